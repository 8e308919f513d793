#!/usr/bin/env bash
# apply's progress line: drawn on standard error when it is a terminal
# (a pseudo-terminal made by script(1)), with people done and total, the
# rate against the limit, retries and the time left; absent when standard
# error is a file, with --quiet or --json; no colour under NO_COLOR.
source "$GCPROV_SRC/tests/lib/assert.sh"

if ! script -qfc true /dev/null >/dev/null 2>&1; then
    echo "script(1) from util-linux is not installed: skipped"
    exit 77
fi
unset GCPROV_PROFILE GENESYSCLOUD_OAUTHCLIENT_ID
unset GENESYSCLOUD_OAUTHCLIENT_SECRET
export XDG_STATE_HOME="$T/state" TMPDIR="$T"
ROSTER="$GCPROV_SRC/examples/roster.csv"
APPLY="$GCPROV_BIN apply --sandbox $ROSTER"

# on_tty CMD: runs CMD with stdin, stdout and stderr on a pseudo-terminal.
on_tty() {
    run script -qfec "$1" /dev/null
}

on_tty "$APPLY"
expect_status 0
expect_stdout_has "apply: 11/11 people, 56/56 changes"
expect_stdout_has "/min of "
expect_stdout_has " retries, "
expect_stdout_has " left"
CHECKS=$((CHECKS + 1))
grep -q $'\e\\[1m' "$T/stdout" || fail "no colour on a terminal"

# Only stderr being a terminal matters: with it in a file, nothing.
on_tty "$APPLY 2>$T/err.txt"
expect_status 0
expect_stdout_has "applied: 38 requests"
expect_stdout_lacks "people,"
CHECKS=$((CHECKS + 1))
grep -q "people," "$T/err.txt" && fail "progress written to a file"

on_tty "$APPLY --quiet"
expect_status 0
expect_stdout_lacks "people,"

on_tty "$APPLY --json"
expect_status 0
expect_stdout_lacks "people,"

on_tty "NO_COLOR=1 $APPLY"
expect_status 0
expect_stdout_has "apply: 11/11 people"
CHECKS=$((CHECKS + 1))
grep -q $'\e' "$T/stdout" && fail "escape codes under NO_COLOR"

finish

#!/usr/bin/env bash
# The command line's conventions: help, unknown commands and options, exit
# statuses and a closed output pipe.
source "$GCPROV_SRC/tests/lib/assert.sh"

run "$GCPROV_BIN" --help
expect_status 0
expect_stdout_has "commands:"

run "$GCPROV_BIN"
expect_status 2

run "$GCPROV_BIN" frobnicate
expect_status 2
expect_stderr_has "gcprov: error: unknown command 'frobnicate'"
expect_stderr_has "try 'gcprov --help'"

run "$GCPROV_BIN" version --no-such-option
expect_status 2
expect_stderr_has "unknown option '--no-such-option'"
expect_stderr_has "try 'gcprov version --help'"

run "$GCPROV_BIN" version --log-format=xml
expect_status 2

run "$GCPROV_BIN" version --json
expect_status 0
expect_stdout_has '"gcprov": "'

run "$GCPROV_BIN" help version
expect_status 0
expect_stdout_has "usage: gcprov version"
expect_stdout_has "--json"

# Completion words come from the option tables.
run "$GCPROV_BIN" complete
expect_status 0
expect_stdout_has "sandbox"
run "$GCPROV_BIN" complete validate
expect_stdout_has "--skip-invalid"
expect_stdout_has "--help"

# The bash completion script offers them.
if command -v bash >/dev/null; then
    out=$(PATH="$(dirname "$GCPROV_BIN"):$PATH" bash -c '
        source "$1"
        COMP_WORDS=(gcprov validate --ski); COMP_CWORD=2; _gcprov
        printf "%s\n" "${COMPREPLY[@]}"' _ \
        "$GCPROV_SRC/scripts/gcprov.bash-completion")
    expect_eq "completion of --ski" "--skip-invalid" "$out"
fi

# Writing to a full device is reported, not silent.
if [ -w /dev/full ]; then
    "$GCPROV_BIN" help >/dev/full 2>"$T/err"
    status=$?
    [ "$status" -eq 5 ] || fail "writing to /dev/full: status $status, not 5"
    grep -q "could not write standard output" "$T/err" ||
        fail "no message for a failed write"
fi

finish

#!/usr/bin/env bash
# docs/gcprov.1 renders without a warning, within 80 columns, and names
# every command and every long option that `gcprov complete` knows, so
# the manual and the option tables cannot drift apart.
source "$GCPROV_SRC/tests/lib/assert.sh"

PAGE="$GCPROV_SRC/docs/gcprov.1"
if ! command -v groff >/dev/null 2>&1; then
    echo "groff is not installed: skipped"
    exit 77
fi

run groff -man -Tutf8 -ww -z "$PAGE"
expect_status 0
expect_eq "no groff warnings" "" "$(cat "$T/stderr")"

# Rendered as plain ASCII, without overstrikes, no hyphenation to undo.
groff -man -Tascii -P-cbou "$PAGE" >"$T/page.txt" 2>/dev/null
expect_eq "rendered lines within 80 columns" "" \
    "$(awk 'length($0) > 80' "$T/page.txt")"
for section in NAME SYNOPSIS DESCRIPTION COMMANDS "COMMON OPTIONS" \
    "CONNECTION OPTIONS" PROFILES ENVIRONMENT FILES "EXIT STATUS" EXAMPLES; do
    CHECKS=$((CHECKS + 1))
    grep -qx "$section" "$T/page.txt" || fail "no section '$section'"
done
for status in 0 1 2 3 4 5; do
    CHECKS=$((CHECKS + 1))
    grep -qE "^       $status( |$)" "$T/page.txt" ||
        fail "exit status $status missing"
done

for cmd in $("$GCPROV_BIN" complete); do
    CHECKS=$((CHECKS + 1))
    grep -qE "^       $cmd( |$)" "$T/page.txt" ||
        fail "command '$cmd' is not described"
    for word in $("$GCPROV_BIN" complete "$cmd"); do
        case "$word" in --*) ;; *) continue ;; esac
        CHECKS=$((CHECKS + 1))
        grep -qE -- "(^|[^-a-z])$word([^-a-z]|$)" "$T/page.txt" ||
            fail "option '$word' of '$cmd' is not in the man page"
    done
done

finish

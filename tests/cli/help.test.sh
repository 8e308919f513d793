#!/usr/bin/env bash
# `gcprov help CMD` for every command `gcprov complete` lists: it works,
# it fits in 80 columns, it shows the same options as the completion word
# list (both come from one table), and an unknown command is a usage error.
source "$GCPROV_SRC/tests/lib/assert.sh"

run "$GCPROV_BIN" complete
expect_status 0
commands=$(cat "$T/stdout")
expect_eq "complete lists apply" true \
    "$(grep -qx apply "$T/stdout" && echo true)"

for cmd in $commands; do
    run "$GCPROV_BIN" help "$cmd"
    expect_status 0
    long=$(awk 'length($0) > 80 { print FILENAME ":" FNR ": " $0 }' \
        "$T/stdout")
    expect_eq "'gcprov help $cmd' within 80 columns" "" "$long"
    [ "$cmd" = help ] && continue
    expect_stdout_has "usage: gcprov $cmd"
    # Every completion word is documented in the help.
    for word in $("$GCPROV_BIN" complete "$cmd"); do
        expect_stdout_has "$word"
    done
done

run "$GCPROV_BIN" help
expect_status 0
long=$(awk 'length($0) > 80' "$T/stdout")
expect_eq "'gcprov help' within 80 columns" "" "$long"

run "$GCPROV_BIN" help no-such-command
expect_status 2

finish

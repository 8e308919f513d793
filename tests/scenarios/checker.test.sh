#!/usr/bin/env bash
# check.jq itself: a tampered tenant (checker/after.json: a person without
# our external id, one key on two users, a missing role and license, a
# seed user stripped of its grant and license, a deleted seed user holding
# a person's email left deleted, a user too many) yields
# exactly the problems in checker/expected.txt, and a correct tenant none.
source "$GCPROV_SRC/tests/lib/assert.sh"
dir=$GCPROV_SRC/tests/scenarios/checker
command -v jq >/dev/null || {
    echo "SKIP: jq is needed"
    exit 77
}

run jq -r --slurpfile people "$dir/people.json" \
    --slurpfile before "$dir/before.json" \
    -f "$GCPROV_SRC/tests/scenarios/check.jq" "$dir/after.json"
expect_status 0
jq -r '.[]' "$T/stdout" >"$T/problems.txt"
expect_eq "problems found" "$(cat "$dir/expected.txt")" \
    "$(cat "$T/problems.txt")"

# The before state checked against itself, with nobody in the roster.
echo '[]' >"$T/nobody.json"
run jq -c --slurpfile people "$T/nobody.json" \
    --slurpfile before "$dir/before.json" \
    -f "$GCPROV_SRC/tests/scenarios/check.jq" "$dir/before.json"
expect_status 0
expect_eq "no problem in an untouched tenant" "[]" "$(cat "$T/stdout")"
finish

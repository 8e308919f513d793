#!/usr/bin/env bash
# `gcprov report`: what one run did, person by person, as a table, CSV and
# JSON; the last run by default; unknown runs and formats refused.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/journal/lib.sh"

run "$GCPROV_BIN" report --journal "$J" --run 1
expect_status 0
expect_stdout_has "run 1 (apply)"
expect_stdout_has "outcome failed: 3 people, 6 steps"
expect_eq "bob's license" "failed 409 license.seats.exhausted corr-bob-license" \
    "$(awk '$1 == "bob" && $2 == "license" {print $4, $5, $6, $7}' "$T/stdout")"
expect_eq "carol open" "open -" \
    "$(awk '$1 == "carol" {print $4, $5}' "$T/stdout")"
expect_stdout_has 'no seat left, "cx" is full'

# The last run by default.
run "$GCPROV_BIN" report --journal "$J"
expect_status 0
expect_stdout_has "run 2 (apply)"

run "$GCPROV_BIN" report --journal "$J" --run 1 --format csv
expect_status 0
expect_eq "csv rows" 7 "$(wc -l <"$T/stdout")"
expect_stdout_has '"run","person","step","target","scope","state"'
# Quotes inside a field are doubled; commas stay inside the field.
expect_stdout_has '"no seat left, ""cx"" is full"'
expect_stdout_has '"1","alice","grant","role-agent","div-home","done","u-alice","204"'

run "$GCPROV_BIN" report --journal "$J" --run 1 --format json
expect_status 0
expect_eq "people in order" "alice bob carol" \
    "$(jq -r '[.people[].person] | join(" ")' "$T/stdout")"
expect_eq "alice's steps" "create grant license" \
    "$(jq -r '[.people[0].steps[].step] | join(" ")' "$T/stdout")"
expect_eq "grant scope" "div-home" \
    "$(jq -r '.people[0].steps[1].scope' "$T/stdout")"
expect_eq "run summary" "3 4 1 1" \
    "$(jq -r '.run | "\(.people) \(.done) \(.failed) \(.unresolved)"' "$T/stdout")"
expect_eq "open step has no result" "null" \
    "$(jq -r '.people[2].steps[0].result_at' "$T/stdout")"

# --json is the same as --format json.
run "$GCPROV_BIN" report --journal "$J" --run 1 --json
expect_status 0
expect_eq "json flag" "alice bob carol" \
    "$(jq -r '[.people[].person] | join(" ")' "$T/stdout")"

run "$GCPROV_BIN" report --journal "$J" --run 9
expect_status 2
expect_stderr_has "has no run 9"

run "$GCPROV_BIN" report --journal "$J" --format xml
expect_status 2
expect_stderr_has "--format must be"
expect_stderr_has "try 'gcprov report --help'"

"$FILL" "$T/empty.db" empty
run "$GCPROV_BIN" report --journal "$T/empty.db"
expect_status 2
expect_stderr_has "has no runs yet"

finish

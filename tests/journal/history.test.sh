#!/usr/bin/env bash
# `gcprov history`: the runs of a journal, newest first, as a table and as
# JSON; the default journal found in the state folder; errors.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/journal/lib.sh"

run "$GCPROV_BIN" history --journal "$J"
expect_status 0
expect_stdout_has "OUTCOME"
expect_eq "rows" 3 "$(wc -l <"$T/stdout")"
expect_eq "newest first" "2" "$(awk 'NR == 2 {print $1}' "$T/stdout")"
expect_eq "run 1's outcome" "failed 1 3 4 1 1" \
    "$(awk '$1 == 1 {print $5, $6, $7, $8, $9, $10}' "$T/stdout")"

run "$GCPROV_BIN" history --journal "$J" --limit 1 --json
expect_status 0
expect_eq "one run" 1 "$(jq '.runs | length' "$T/stdout")"
expect_eq "run 2 held" "2 held 4" \
    "$(jq -r '.runs[0] | "\(.run) \(.outcome) \(.exit_status)"' "$T/stdout")"
expect_eq "client id kept" "client-abc" \
    "$(jq -r '.runs[0].client_id' "$T/stdout")"
expect_eq "options as JSON" "{}" "$(jq -c '.runs[0].options' "$T/stdout")"
# Times carry milliseconds in JSON.
jq -r '.runs[0].started' "$T/stdout" |
    grep -qE '^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}\.[0-9]{3}Z$' ||
    fail "started is not ISO 8601 with milliseconds"

# Without --journal, the one journal in $XDG_STATE_HOME/gcprov is read.
XDG_STATE_HOME="$T/state" run "$GCPROV_BIN" history --json
expect_status 0
expect_eq "default journal" "$J" "$(jq -r '.journal' "$T/stdout")"

# ... or, when there is none, the user is told to name one.
run "$GCPROV_BIN" history
expect_status 2
expect_stderr_has "no journal in '$T/empty-state/gcprov'"
expect_stderr_has "--journal"

# Several: the user must choose.
cp "$J" "$T/state/gcprov/other.db"
XDG_STATE_HOME="$T/state" run "$GCPROV_BIN" history
expect_status 2
expect_stderr_has "several journals"

# A journal that does not exist is a usage error naming it; none is made.
run "$GCPROV_BIN" history --journal "$T/nope/x.db"
expect_status 2
expect_stderr_has "$T/nope/x.db"
[ ! -e "$T/nope" ] || fail "reading created '$T/nope'"

# A journal with no runs yet.
"$FILL" "$T/empty.db" empty
run "$GCPROV_BIN" history --journal "$T/empty.db" --json
expect_status 0
expect_eq "no runs" 0 "$(jq '.runs | length' "$T/stdout")"

# A file that is not a journal: a local failure naming it.
echo "not a database" >"$T/junk.db"
run "$GCPROV_BIN" history --journal "$T/junk.db"
expect_status 5
expect_stderr_has "$T/junk.db"

run "$GCPROV_BIN" history --journal "$J" extra
expect_status 2

finish

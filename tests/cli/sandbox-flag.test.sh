#!/usr/bin/env bash
# `gcprov plan --sandbox` and `gcprov apply --sandbox`: a first try
# without a tenant, on an embedded demo org with the demo credentials
# supplied inside gcprov (never printed), said plainly in the output, with
# nothing left behind.
source "$GCPROV_SRC/tests/lib/assert.sh"

unset GCPROV_PROFILE GENESYSCLOUD_REGION GENESYSCLOUD_OAUTHCLIENT_ID
unset GENESYSCLOUD_OAUTHCLIENT_SECRET
export XDG_CONFIG_HOME="$T/config" XDG_STATE_HOME="$T/state"
export TMPDIR="$T/tmp"
mkdir -p "$TMPDIR"
ROSTER="$GCPROV_SRC/examples/roster.csv"
NOTE="sandbox: ran against a throwaway in-memory demo org"

run "$GCPROV_BIN" plan --sandbox --details "$ROSTER"
expect_status 0
expect_stdout_has "12 people: 11 create"
expect_stdout_has "E1001 grant 'Agent' in 'Support'"
expect_stdout_has "$NOTE"
expect_stderr_has "using a throwaway in-memory sandbox"

run "$GCPROV_BIN" apply --sandbox "$ROSTER"
expect_status 0
expect_stdout_has "0 failed"
expect_stdout_has "$NOTE"
expect_stdout_lacks "gcprov-demo-secret"
CHECKS=$((CHECKS + 1))
grep -q "gcprov-demo-secret" "$T/stderr" && fail "the demo secret was printed"

# Its journal was thrown away with the org; none went to the state folder.
expect_eq "no journal in the state folder" "" \
    "$(ls -A "$XDG_STATE_HOME" 2>/dev/null)"
expect_eq "no scratch folder left" "" "$(ls -A "$TMPDIR")"

# The org is fresh each time: a second apply does the same work again.
run "$GCPROV_BIN" apply --sandbox --json "$ROSTER"
expect_status 0
expect_eq "json says sandbox" true "$(jq '.sandbox' "$T/stdout")"
expect_eq "json counts" 11 "$(jq '.counts.create' "$T/stdout")"
expect_stdout_lacks "$NOTE"

# With --journal the journal is kept, and report reads it.
run "$GCPROV_BIN" apply --sandbox --journal "$T/j.db" "$ROSTER"
expect_status 0
run "$GCPROV_BIN" report --journal "$T/j.db"
expect_status 0
expect_stdout_has "E1001"

# An invalid roster is still a usage error.
printf 'employee_id,email\nE1,not-an-email\n' >"$T/bad.csv"
run "$GCPROV_BIN" apply --sandbox "$T/bad.csv"
expect_status 2

finish

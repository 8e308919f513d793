#!/usr/bin/env bash
# examples/apply_roster, built against the public API, applies the example
# roster to the sandbox's demo org through gcp_apply(): the progress
# callback reports, the tenant ends with one user per person, and a second
# run makes no change. An invalid roster exits 2 before connecting.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"
EXAMPLE=$GCPROV_BUILD/apply_roster
[ -x "$EXAMPLE" ] || { echo "apply_roster is not built: skipped"; exit 77; }
# The client paces at the limit the org reports: 6,000 a minute.
start_sandbox --search-lag 0 --rate-limit 6000

umask 077
printf 'gcprov-demo-secret\n' >"$T/secret"
export GCPROV_API_URL=$SBX_URL GENESYSCLOUD_OAUTHCLIENT_ID=gcprov-demo
export GCPROV_CLIENT_SECRET_FILE=$T/secret
unset GENESYSCLOUD_REGION GENESYSCLOUD_OAUTHCLIENT_SECRET
ROSTER=$GCPROV_SRC/examples/roster.csv
# The joiners: every active row (the email is the fourth column, before
# any quoted comma; the state is the last).
awk -F, '$NF == "active" { print $4 }' "$ROSTER" | sort >"$T/emails"

run "$EXAMPLE" "$ROSTER" "$T/j.db"
expect_status 0
expect_stdout_has "progress: "
expect_stdout_has ": converged, "
expect_stdout_has " 0 failed"

# One user per joiner, by the sandbox's own state.
curl -s "$SBX_URL/_sandbox/state" >"$T/state.json"
expect_eq "joiners in the roster" 11 "$(wc -l <"$T/emails")"
for email in $(cat "$T/emails"); do
    expect_eq "users with $email" 1 "$(jq --arg e "$email" \
        '[.users[] | select(.email == $e)] | length' "$T/state.json")"
done

# The same roster again: nothing to send, and the journal has two runs.
run "$EXAMPLE" "$ROSTER" "$T/j.db"
expect_status 0
expect_stdout_has ": converged, 0 requests, 0 changes made, 0 failed"
expect_eq "runs in the journal" 2 \
    "$(sqlite3 "$T/j.db" 'SELECT count(*) FROM runs')"

printf 'name,email\nNo Mail,not-an-email\n' >"$T/bad.csv"
run "$EXAMPLE" "$T/bad.csv" "$T/j.db"
expect_status 2
expect_stderr_has "bad.csv:2:"
finish

#!/usr/bin/env bash
# `gcprov apply` against the sandbox: a first apply converges (exit 0), a
# second changes nothing, what the roster never mentioned survives, seats
# past a budget hold a person back (exit 4) until the budget allows, and
# the journal records the run.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"

cat >"$T/seed.json" <<'JSON'
{"divisions": [{"id": "d-home", "name": "Home", "home": true},
               {"id": "d-emea", "name": "EMEA"}],
 "licenses": [{"id": "cx3"}, {"id": "comm"}],
 "roles": [{"id": "r-agent", "name": "Agent", "baseLicense": "cx3"},
           {"id": "r-emp", "name": "Employee"}],
 "clients": [{"id": "ci", "secret": "ci-secret"}],
 "users": [{"id": "u-kim", "name": "Kim Park", "email": "kim@example.com",
            "title": "Agent", "licenses": ["comm"],
            "grants": [{"roleId": "r-emp", "divisionId": "d-emea"}]}]}
JSON
start_sandbox --seed "$T/seed.json" --rate-limit 0

cat >"$T/roster.csv" <<'CSV'
employee_id,name,email,title,division,roles,licenses
E1,Ann Lee,ann@example.com,Agent,EMEA,Agent@EMEA;Employee,comm
E2,Bo Ek,bo@example.com,,,Agent,
E3,Kim Park,kim@example.com,Lead,,Agent,
CSV

export GENESYSCLOUD_OAUTHCLIENT_ID=ci GENESYSCLOUD_OAUTHCLIENT_SECRET=ci-secret
CONN=(--api-url "$SBX_URL" --rate-limit 60000 --journal "$T/j.db")

# Ann, Bo and Kim (adopted, given Agent) each need a cx3 seat: Kim waits.
run "$GCPROV_BIN" apply "${CONN[@]}" --seats cx3=2 "$T/roster.csv"
expect_status 4
expect_stdout_has "1 held back"
expect_stdout_has "0 failed"

# The one held back waits in the journal's queue, with the license.
run "$GCPROV_BIN" status --journal "$T/j.db"
expect_status 0
expect_stdout_has "E3: budget for license cx3"

run "$GCPROV_BIN" apply "${CONN[@]}" "$T/roster.csv"
expect_status 0
expect_stdout_has "0 failed"

run "$GCPROV_BIN" apply "${CONN[@]}" --details "$T/roster.csv"
expect_status 0
expect_stdout_has "3 people: 0 create, 0 adopt, 0 restore, 0 update"
expect_stdout_has "applied: 0 requests"

run curl -s "$SBX_URL/_sandbox/state"
# Kim was adopted: she carries our key now. in EMEA and her license, which the roster never named, stay.
state=$(cat "$T/stdout")
kim=$(printf '%s' "$state" | jq -c '.users[] | select(.email == "kim@example.com")')
expect_eq "Kim carries E3" true \
    "$(printf '%s' "$kim" | jq '[.externalIds[] | select(.externalKey == "E3")] | length == 1')"
# Kim's role in EMEA and her license, which the roster never named, stay.
expect_eq "Kim keeps Employee in EMEA" true \
    "$(printf '%s' "$kim" | jq '[.grants[] | select(.divisionId == "d-emea")] | length > 0')"
expect_eq "Kim keeps comm" true \
    "$(printf '%s' "$kim" | jq '.licenses | index("comm") != null')"
expect_eq "one user per person" 3 \
    "$(printf '%s' "$state" | jq '.users | length')"

# A create lag: calls naming a new user get 404 for a moment; apply
# retries them for a bounded time and converges in one run.
stop_sandbox
start_sandbox --seed "$T/seed.json" --rate-limit 0 --create-lag 0.5
run "$GCPROV_BIN" apply --api-url "$SBX_URL" --rate-limit 60000 \
    --journal "$T/lag.db" "$T/roster.csv"
expect_status 0
expect_stdout_has "0 failed"

run "$GCPROV_BIN" history --journal "$T/j.db"
expect_status 0
expect_stdout_has "converged"

# The journal keeps each run's options.
run "$GCPROV_BIN" history --journal "$T/j.db" --json
expect_stdout_has "cx3"

finish

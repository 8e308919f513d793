#!/usr/bin/env bash
# `gcprov plan` against the sandbox: the counts, --details, --json, an
# invalid roster (exit 2, nothing read), seat budgets and --strict-seats
# (exit 4), and a bad --seats value. Nothing is written to the tenant.
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
            "title": "Agent", "grants": [{"roleId": "r-agent"}]}]}
JSON
start_sandbox --seed "$T/seed.json" --rate-limit 0

cat >"$T/roster.csv" <<'CSV'
employee_id,name,email,title,division,roles,licenses,state
E1,Ann Lee,ann@example.com,Agent,EMEA,Agent@EMEA;Employee,comm,active
E2,Bo Ek,bo@example.com,,,Agent,,active
E3,Kim Park,kim@example.com,Lead,,Agent,,active
CSV
printf 'email,name\nnot-an-address,X\n' >"$T/bad.csv"

export GENESYSCLOUD_OAUTHCLIENT_ID=ci GENESYSCLOUD_OAUTHCLIENT_SECRET=ci-secret
CONN=(--api-url "$SBX_URL" --rate-limit 60000)

run "$GCPROV_BIN" plan "${CONN[@]}" "$T/roster.csv"
expect_status 0
expect_stdout_has "3 people: 2 create, 1 adopt"
expect_stdout_has "3 grants, 1 licenses"

run "$GCPROV_BIN" plan "${CONN[@]}" --details "$T/roster.csv"
expect_status 0
expect_stdout_has "E1 grant 'Agent' in 'EMEA'"
expect_stdout_has "E3 adopt 'u-kim'"
expect_stdout_has "E3 update title"

run "$GCPROV_BIN" plan "${CONN[@]}" --json "$T/roster.csv"
expect_status 0
expect_stdout_has '"create": 2'
expect_stdout_has '"key": "E2"'

run "$GCPROV_BIN" plan "${CONN[@]}" "$T/bad.csv"
expect_status 2
expect_stderr_has "invalid"

# Bo and Ann each need a cx3 seat; Kim holds one already.
run "$GCPROV_BIN" plan "${CONN[@]}" --seats cx3=2 "$T/roster.csv"
expect_status 0
expect_stdout_has "1 held back"

run "$GCPROV_BIN" plan "${CONN[@]}" --seats cx3=2 --strict-seats \
    "$T/roster.csv"
expect_status 4
expect_stdout_has "refused"

run "$GCPROV_BIN" plan "${CONN[@]}" --seats cx3 "$T/roster.csv"
expect_status 2
expect_stderr_has "is not LICENSE=N"

# Planning wrote nothing: Kim has no external id yet.
run curl -s "$SBX_URL/_sandbox/state"
expect_stdout_lacks '"externalKey"'

finish

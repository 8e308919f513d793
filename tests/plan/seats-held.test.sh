#!/usr/bin/env bash
# Issue #5: a person held back for seats waits only for what takes a seat.
# Against the sandbox: a joiner past the cx3 budget is created, gets our
# external id and the grant of a role that carries no license, but neither
# the role that carries cx3 nor any license; apply exits 4 and the journal
# queues them; a later run with a bigger budget completes them, without a
# second user. --strict-seats still refuses a run before any write.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"
command -v jq >/dev/null || {
    echo "SKIP: jq is needed"
    exit 77
}

cat >"$T/seed.json" <<'JSON'
{"divisions": [{"id": "d-home", "name": "Home", "home": true}],
 "licenses": [{"id": "cx3"}, {"id": "comm"}],
 "roles": [{"id": "r-agent", "name": "Agent", "baseLicense": "cx3"},
           {"id": "r-emp", "name": "Employee"}],
 "clients": [{"id": "ci", "secret": "ci-secret"}],
 "users": [{"id": "u-has", "name": "Hal Has", "email": "hal@example.com",
            "licenses": ["cx3"]}]}
JSON
start_sandbox --seed "$T/seed.json" --rate-limit 0

cat >"$T/roster.csv" <<'CSV'
employee_id,name,email,roles,licenses
E1,Ann Lee,ann@example.com,Agent;Employee,comm
CSV

export GENESYSCLOUD_OAUTHCLIENT_ID=ci GENESYSCLOUD_OAUTHCLIENT_SECRET=ci-secret
API=(--api-url "$SBX_URL" --rate-limit 60000)
CONN=("${API[@]}" --journal "$T/j.db")

# ann_state: Ann's user as the sandbox holds it (JSON, one line).
ann_state() {
    curl -s "$SBX_URL/_sandbox/state" |
        jq -c '[.users[] | select(.email == "ann@example.com")]'
}

# The one cx3 seat is Hal's: Ann is created and waits for the rest.
run "$GCPROV_BIN" plan "${API[@]}" --seats cx3=1 --details "$T/roster.csv"
expect_status 0
expect_stdout_has "E1 create 'ann@example.com'"
expect_stdout_has "E1 grant 'Employee' in 'Home'"
expect_stdout_has "E1 held: license 'cx3' has 1 of 1 seats in use"
expect_stdout_has "E1 held grant 'Agent' in 'Home'"
expect_stdout_has "E1 held license 'comm'"

run "$GCPROV_BIN" apply "${CONN[@]}" --seats cx3=1 "$T/roster.csv"
expect_status 4
expect_stdout_has "1 create"
expect_stdout_has "1 held back"
expect_stdout_has "0 failed"
ann=$(ann_state)
expect_eq "one user for Ann" 1 "$(jq length <<<"$ann")"
expect_eq "Ann is active" '"active"' "$(jq '.[0].state' <<<"$ann")"
expect_eq "Ann carries E1" true \
    "$(jq '.[0].externalIds | any(.externalKey == "E1")' <<<"$ann")"
expect_eq "Ann has Employee, not Agent" '["r-emp"]' \
    "$(jq -c '[.[0].grants[].roleId]' <<<"$ann")"
expect_eq "Ann holds no license" '[]' \
    "$(jq -c '.[0].licenses // []' <<<"$ann")"

run "$GCPROV_BIN" status --journal "$T/j.db"
expect_status 0
expect_stdout_has "E1: budget for license cx3"

# Still short: the next run only plans what waits, and waits again.
run "$GCPROV_BIN" plan "${API[@]}" --seats cx3=1 "$T/roster.csv"
expect_status 0
expect_stdout_has "0 create, 0 adopt, 0 restore, 0 update"
expect_stdout_has "1 held back"

# A bigger budget: the queue's person is completed, not created again.
run "$GCPROV_BIN" apply "${CONN[@]}" --seats cx3=2 "$T/roster.csv"
expect_status 0
expect_stdout_has "0 create"
expect_stdout_has "0 failed"
ann=$(ann_state)
expect_eq "still one user for Ann" 1 "$(jq length <<<"$ann")"
expect_eq "Ann has Agent now" true \
    "$(jq '.[0].grants | any(.roleId == "r-agent")' <<<"$ann")"
# cx3 comes with Agent (licensing follows roles); comm was explicit.
expect_eq "Ann holds comm" '["comm"]' "$(jq -c '.[0].licenses' <<<"$ann")"
run "$GCPROV_BIN" status --journal "$T/j.db"
expect_status 0
expect_stdout_lacks "E1: budget"

# --strict-seats refuses a run that would hold anyone, before any write.
printf 'E2,Bo Ek,bo@example.com,Agent,\n' >>"$T/roster.csv"
before=$(curl -s "$SBX_URL/_sandbox/stats" | jq '.routes["POST /api/v2/users"] // 0')
run "$GCPROV_BIN" apply "${CONN[@]}" --seats cx3=2 --strict-seats \
    "$T/roster.csv"
expect_status 4
expect_eq "no create under --strict-seats" "$before" \
    "$(curl -s "$SBX_URL/_sandbox/stats" | jq '.routes["POST /api/v2/users"] // 0')"
expect_eq "no user for Bo" 0 \
    "$(curl -s "$SBX_URL/_sandbox/state" | jq '[.users[] | select(.email == "bo@example.com")] | length')"
finish

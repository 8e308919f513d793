#!/usr/bin/env bash
# Issue #5: a create that meets general.conflict is settled in its run.
# In an org large enough for per-person lookups, with search a minute
# behind, a user made moments ago with a roster person's email (as a create
# whose reply was lost would leave it) is found neither by our external id
# nor by search: the plan creates, the API answers 409, and apply finds
# the user in the (strongly consistent) users listing and carries on with
# it: one user, our external id on it, the grant made, exit 0.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"
command -v jq >/dev/null || {
    echo "SKIP: jq is needed"
    exit 77
}

# 3,000 users, so that looking two people up beats scanning the org.
jq -n '{divisions: [{id: "d-home", name: "Home", home: true}],
        licenses: [{id: "cx3"}],
        roles: [{id: "r-agent", name: "Agent", baseLicense: "cx3"}],
        clients: [{id: "ci", secret: "ci-secret"}],
        users: [range(3000) | {id: "f\(.)", name: "Filler \(.)",
                               email: "filler\(.)@example.test"}]}' \
    >"$T/seed.json"
start_sandbox --seed "$T/seed.json" --rate-limit 0 --search-lag 60
export GENESYSCLOUD_OAUTHCLIENT_ID=ci GENESYSCLOUD_OAUTHCLIENT_SECRET=ci-secret
unset GENESYSCLOUD_REGION GCPROV_PROFILE

# The user the lost reply would have left: made, but never told of.
TOKEN=$(curl -s -u ci:ci-secret -d grant_type=client_credentials \
    "$SBX_URL/oauth/token" | jq -r .access_token)
LOST=$(curl -s -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' \
    -d '{"name": "Lou Lost", "email": "lou@example.test"}' \
    "$SBX_URL/api/v2/users" | jq -r .id)
expect_eq "the lost user exists" yes "$([ -n "$LOST" ] && echo yes)"

cat >"$T/roster.csv" <<'CSV'
employee_id,name,email,roles
L1,Lou Lost,lou@example.test,Agent
L2,Nia New,nia@example.test,Agent
CSV
run "$GCPROV_BIN" apply -v --api-url "$SBX_URL" --rate-limit 60000 \
    --journal "$T/j.db" "$T/roster.csv"
expect_status 0
expect_stderr_has "by per-person lookups"
expect_stderr_has "POST /api/v2/users -> 409"
expect_stdout_has "0 failed"

curl -s "$SBX_URL/_sandbox/state" >"$T/state.json"
expect_eq "one user with Lou's email" "$LOST" "$(jq -r \
    '[.users[] | select(.email == "lou@example.test") | .id] | join(",")' \
    "$T/state.json")"
expect_eq "our external id on it" L1 "$(jq -r --arg id "$LOST" \
    '.users[] | select(.id == $id) | .externalIds[]
     | select(.authorityName == "gcprov") | .externalKey' "$T/state.json")"
expect_eq "and the grant" r-agent "$(jq -r --arg id "$LOST" \
    '.users[] | select(.id == $id) | .grants[].roleId' "$T/state.json")"
# The journal keeps the attempt, settled by the look-up.
expect_eq "the create is on record as reconciled" 1 "$(sqlite3 "$T/j.db" \
    "SELECT count(*) FROM steps WHERE person_key = 'L1' AND step = 'create'
     AND state = 'done' AND reconciled_run IS NOT NULL")"
finish

#!/usr/bin/env bash
# Existing users moved to the roster's division, against the sandbox: a
# user seeded in Sales whom the roster puts in Support ends in Support with
# every grant and license it had; a row without a division leaves its user
# where it is; one call moves everyone bound for a division; a second
# apply writes nothing; the journal records one 'move' step per person,
# and a move left unknown is reconciled (done when the user is where it
# should be, absent when the plan still wants it). The same again in an
# org large enough to be read person by person.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"

cat >"$T/seed.json" <<'JSON'
{"divisions": [{"id": "d-home", "name": "Home", "home": true},
               {"id": "d-sales", "name": "Sales"},
               {"id": "d-support", "name": "Support"}],
 "licenses": [{"id": "cx3"}, {"id": "comm"}],
 "roles": [{"id": "r-agent", "name": "Agent", "baseLicense": "cx3"},
           {"id": "r-emp", "name": "Employee"}],
 "clients": [{"id": "ci", "secret": "ci-secret"}],
 "users": [{"id": "u-ann", "name": "Ann Lee", "email": "ann@example.com",
            "divisionId": "d-sales", "licenses": ["comm"],
            "externalIds": [{"authorityName": "gcprov", "externalKey": "E1"}],
            "grants": [{"roleId": "r-emp", "divisionId": "d-sales"},
                       {"roleId": "r-agent", "divisionId": "d-home"}]},
           {"id": "u-bo", "name": "Bo Ek", "email": "bo@example.com",
            "divisionId": "d-sales",
            "externalIds": [{"authorityName": "gcprov", "externalKey": "E2"}]},
           {"id": "u-cy", "name": "Cy Fox", "email": "cy@example.com",
            "externalIds": [{"authorityName": "gcprov", "externalKey": "E3"}]},
           {"id": "u-di", "name": "Di Gray", "email": "di@example.com",
            "divisionId": "d-support",
            "externalIds": [{"authorityName": "gcprov", "externalKey": "E4"}]}]}
JSON
start_sandbox --seed "$T/seed.json" --rate-limit 0

# Ann (Sales) and Cy (Home) go to Support; Bo names no division and stays
# in Sales; Di is in Support already.
cat >"$T/roster.csv" <<'CSV'
employee_id,name,email,division,roles
E1,Ann Lee,ann@example.com,Support,Agent
E2,Bo Ek,bo@example.com,,
E3,Cy Fox,cy@example.com,Support,
E4,Di Gray,di@example.com,Support,
CSV

export GENESYSCLOUD_OAUTHCLIENT_ID=ci GENESYSCLOUD_OAUTHCLIENT_SECRET=ci-secret
CONN=(--api-url "$SBX_URL" --rate-limit 60000)
JOURNAL=(--journal "$T/j.db")
MOVE_ROUTE="POST /api/v2/authorization/divisions/{divisionId}/objects/{objectType}"

# The writes the sandbox has counted: every route but the reads.
writes() {
    curl -s "$SBX_URL/_sandbox/stats" | jq '[.routes | to_entries[]
        | select((.key | test("^(GET |POST /oauth/token|POST /api/v2/users/search|POST /api/v2/license/users$)")) | not)
        | .value] | add // 0'
}

run "$GCPROV_BIN" plan "${CONN[@]}" --details "$T/roster.csv"
expect_status 0
expect_stdout_has "2 moves"
expect_stdout_has "E1 move from 'Sales' to 'Support'"
expect_stdout_has "E3 move from 'Home' to 'Support'"
expect_stdout_lacks "E2 move"
expect_stdout_lacks "E4 move"

run "$GCPROV_BIN" apply "${CONN[@]}" "${JOURNAL[@]}" "$T/roster.csv"
expect_status 0
expect_stdout_has "2 moves"
expect_stdout_has "0 failed"
expect_eq "one call moves both" 1 \
    "$(curl -s "$SBX_URL/_sandbox/stats" | jq --arg r "$MOVE_ROUTE" '.routes[$r]')"

state=$(curl -s "$SBX_URL/_sandbox/state")
user() { printf '%s' "$state" | jq -c --arg id "$1" '.users[] | select(.id == $id)'; }
expect_eq "Ann is in Support" '"d-support"' "$(user u-ann | jq .divisionId)"
expect_eq "Cy is in Support" '"d-support"' "$(user u-cy | jq .divisionId)"
expect_eq "Bo stays in Sales" '"d-sales"' "$(user u-bo | jq .divisionId)"
expect_eq "Di stays in Support" '"d-support"' "$(user u-di | jq .divisionId)"
# Ann keeps her grants (Employee stays in Sales) and her license.
expect_eq "Ann keeps her grants" \
    '[{"divisionId":"d-home","roleId":"r-agent"},{"divisionId":"d-sales","roleId":"r-emp"}]' \
    "$(user u-ann | jq -c '[.grants[] | {divisionId, roleId}] | sort')"
expect_eq "Ann keeps comm" '["comm"]' "$(user u-ann | jq -c '.licenses')"
expect_eq "four users" 4 "$(printf '%s' "$state" | jq '.users | length')"

# The journal: one done 'move' step per person moved, to Support.
run "$GCPROV_BIN" report --journal "$T/j.db" --json
expect_status 0
expect_eq "two moves journalled" '["E1","E3"]' "$(jq -c '[.people[]
    | .person as $p | .steps[] | select(.step == "move" and .state == "done"
      and .target == "d-support") | $p] | sort' "$T/stdout")"

# A second apply finds everyone in place and writes nothing. A move whose
# reply was lost (Cy's, made up here) is then settled as done: the plan,
# reading Cy in Support, no longer wants it.
if command -v sqlite3 >/dev/null; then
    sqlite3 "$T/j.db" "INSERT INTO steps (run_id, person_key, step, user_id,
        target, state, intent_ms) VALUES (1, 'E3', 'move', 'u-cy',
        'd-support', 'unknown', 2)"
fi
before=$(writes)
expect_eq "the first apply wrote only the move" true \
    "$([ "$before" -eq 1 ] && echo true || echo "$before")"
run "$GCPROV_BIN" apply "${CONN[@]}" "${JOURNAL[@]}" "$T/roster.csv"
expect_status 0
expect_stdout_has "0 moves"
expect_stdout_has "applied: 0 requests"
expect_eq "no write in the second apply" "$before" "$(writes)"
if command -v sqlite3 >/dev/null; then
    expect_eq "the lost move that happened is reconciled as done" "done|2" \
        "$(sqlite3 "$T/j.db" "SELECT state, reconciled_run FROM steps
            WHERE step = 'move' AND intent_ms = 2")"
fi

# In a large org the people are looked up one by one (the reverse lookup
# by key), not scanned: those replies carry the division too.
stop_sandbox
jq '.users += [range(2500) | {name: "Filler \(.)",
    email: "f\(.)@filler.example"}]' "$T/seed.json" >"$T/big.json"
start_sandbox --seed "$T/big.json" --rate-limit 0
CONN=(--api-url "$SBX_URL" --rate-limit 60000)
# The first org's journal, with a move to Support whose reply was lost:
# the plan still wants it (Ann is back in Sales here), so reconciling
# marks it absent, never done, and the run makes it again.
if command -v sqlite3 >/dev/null; then
    sqlite3 "$T/j.db" ".backup '$T/big.db'"
    sqlite3 "$T/big.db" "INSERT INTO steps (run_id, person_key, step,
        user_id, target, state, intent_ms) VALUES (1, 'E1', 'move', 'u-ann',
        'd-support', 'unknown', 1)"
fi
run "$GCPROV_BIN" apply "${CONN[@]}" --journal "$T/big.db" "$T/roster.csv"
expect_status 0
expect_stdout_has "2 moves"
if command -v sqlite3 >/dev/null; then
    expect_eq "the lost move is reconciled as absent" "absent|3" \
        "$(sqlite3 "$T/big.db" "SELECT state, reconciled_run FROM steps
            WHERE step = 'move' AND intent_ms = 1")"
fi
expect_eq "looked up by key" 4 "$(curl -s "$SBX_URL/_sandbox/stats" | jq \
    '.routes["GET /api/v2/users/externalid/{authorityName}/{externalKey}"]')"
run "$GCPROV_BIN" plan "${CONN[@]}" "$T/roster.csv"
expect_status 0
expect_stdout_has "0 moves"

finish

#!/usr/bin/env bash
# What apply costs in API calls, counted by the sandbox (never timed):
# 200 joiners with two roles and a license, then the same roster again,
# which must write nothing and cost at most 0.05 calls a person plus the
# fixed setup; and 200 joiners without employee ids (no external id is
# written): one create a person, a grant call per role and a license call
# per 100 people, and at most 15 fixed calls (token, setup and pages), which
# at 1,000 people is at most 1,045 calls: 1.045 a person, under the 1.05 the
# issue allows. GCPROV_COST_PEOPLE changes the number of people.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"

N=${GCPROV_COST_PEOPLE:-200}
cat >"$T/seed.json" <<'JSON'
{"divisions": [{"id": "d-home", "name": "Home", "home": true}],
 "licenses": [{"id": "cx3"}],
 "roles": [{"id": "r-agent", "name": "Agent"}, {"id": "r-emp", "name": "Employee"}],
 "clients": [{"id": "ci", "secret": "ci-secret"}]}
JSON
start_sandbox --seed "$T/seed.json" --rate-limit 0 --search-lag 0

{
    echo "employee_id,name,email,roles,licenses"
    for i in $(seq "$N"); do
        echo "E$i,Person $i,p$i@example.com,Agent;Employee,cx3"
    done
} >"$T/ids.csv"
{
    echo "name,email,roles,licenses"
    for i in $(seq "$N"); do
        echo "Person $i,q$i@example.com,Agent;Employee,cx3"
    done
} >"$T/emails.csv"

export GENESYSCLOUD_OAUTHCLIENT_ID=ci GENESYSCLOUD_OAUTHCLIENT_SECRET=ci-secret
CONN=(--api-url "$SBX_URL" --rate-limit 60000)

# Prints the sandbox's counts so far as "CALLS WRITES": every call (the
# token included) and the calls that changed the org.
counts() {
    curl -s "$SBX_URL/_sandbox/stats" | jq -r '.routes | to_entries |
        ([.[].value] | add // 0) as $all |
        ([.[] | select(.key | test("^(POST|PUT|PATCH|DELETE) ")) |
          select(.key | test("oauth/token|/search$|license/users$") | not) |
          .value] | add // 0) as $writes | "\($all) \($writes)"'
}

# Asserts that CALLS <= PER_PERSON * N + FIXED, PER_PERSON in hundredths.
expect_at_most() {
    local what=$1 calls=$2 hundredths=$3 fixed=$4
    local limit=$(((hundredths * N) / 100 + fixed))

    if [ "$calls" -le "$limit" ]; then
        echo "ok: $what: $calls calls for $N people (at most $limit)"
    else
        fail "$what: $calls calls for $N people, more than $limit"
    fi
}

# Runs apply on ROSTER with journal DB; sets CALLS and WRITES to its cost.
apply_cost() {
    local before after

    before=$(counts)
    run "$GCPROV_BIN" apply "${CONN[@]}" --journal "$2" "$1"
    expect_status 0
    after=$(counts)
    set -- $before $after
    CALLS=$(($3 - $1))
    WRITES=$(($4 - $2))
}

# With employee ids: the first run creates, writes the external ids,
# grants and licenses; the second finds everyone through the journal's
# links and one scan: no writes, a few pages.
apply_cost "$T/ids.csv" "$T/ids.db"
echo "with employee ids: first run $CALLS calls"
apply_cost "$T/ids.csv" "$T/ids.db"
echo "with employee ids: second run $CALLS calls"
expect_eq "second run writes" 0 "$WRITES"
expect_at_most "second run" "$CALLS" 5 12

# Without employee ids, the first run writes no external id.
apply_cost "$T/emails.csv" "$T/emails.db"
echo "without employee ids: first run $CALLS calls"
expect_at_most "first run without employee ids" "$CALLS" 103 15
# Their creates link them in the journal: the second run reads no ids.
apply_cost "$T/emails.csv" "$T/emails.db"
echo "without employee ids: second run $CALLS calls"
expect_eq "second run without employee ids writes" 0 "$WRITES"
expect_at_most "second run without employee ids" "$CALLS" 5 12

finish

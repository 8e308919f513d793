#!/usr/bin/env bash
# A create whose reply is lost is settled in the same run: apply looks the
# person up (external id, then email in the users listing, since search
# lags) and carries on with the external id, grants and license. One run
# converges, and every person has exactly one user.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"

N=40
cat >"$T/seed.json" <<'JSON'
{"divisions": [{"id": "d-home", "name": "Home", "home": true}],
 "licenses": [{"id": "cx3"}],
 "roles": [{"id": "r-agent", "name": "Agent"}],
 "clients": [{"id": "ci", "secret": "ci-secret"}]}
JSON
start_sandbox --seed "$T/seed.json" --rate-limit 0 --search-lag 60 \
    --lost-reply-rate 0.2 --fault-seed 7

seq "$N" | awk 'BEGIN { print "employee_id,name,email,roles,licenses" }
    { printf "E%d,Person %d,p%d@example.com,Agent,cx3\n", $1, $1, $1 }' \
    >"$T/roster.csv"

export GENESYSCLOUD_OAUTHCLIENT_ID=ci GENESYSCLOUD_OAUTHCLIENT_SECRET=ci-secret
run "$GCPROV_BIN" apply --api-url "$SBX_URL" --rate-limit 60000 \
    --journal "$T/j.db" "$T/roster.csv"
expect_status 0
expect_stdout_has "0 failed"

stats=$(curl -s "$SBX_URL/_sandbox/stats")
lost=$(printf '%s' "$stats" | jq '.events.lostReply // 0')
expect_eq "some replies were lost" true "$([ "$lost" -gt 0 ] && echo true)"

state=$(curl -s "$SBX_URL/_sandbox/state")
expect_eq "one user per person" "$N" "$(printf '%s' "$state" | jq '.users | length')"
expect_eq "everyone carries their key" "$N" "$(printf '%s' "$state" | jq \
    '[.users[] | select(.externalIds[0].externalKey == ("E" + (.email |
      ltrimstr("p") | rtrimstr("@example.com"))))] | length')"
expect_eq "everyone holds Agent" "$N" "$(printf '%s' "$state" | jq \
    '[.users[] | select(any(.grants[]?; .roleId == "r-agent"))] | length')"
expect_eq "everyone holds cx3" "$N" "$(printf '%s' "$state" | jq \
    '[.users[] | select(.licenses | index("cx3"))] | length')"

# A second run finds nothing to do.
run "$GCPROV_BIN" apply --api-url "$SBX_URL" --rate-limit 60000 \
    --journal "$T/j.db" "$T/roster.csv"
expect_status 0
expect_stdout_has "applied: 0 requests"

# The lost creates were settled in the run that sent them.
run "$GCPROV_BIN" report --journal "$T/j.db" --run 1 --json
expect_eq "creates reconciled in run 1" true "$(jq '[.people[].steps[] |
    select(.step == "create" and .reconciled_by_run == 1 and
           .state == "done")] | length > 0' "$T/stdout")"

finish

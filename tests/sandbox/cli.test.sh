#!/usr/bin/env bash
# `gcprov sandbox` as a command: its help, the URL line, a clean stop on
# SIGINT and SIGTERM, seed files (good and bad), a state file kept across
# a restart, and listen addresses it cannot use.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/sandbox/lib.sh"

run "$GCPROV_BIN" sandbox --help
expect_status 0
for flag in --listen --seed --state-file --rate-limit --rate-window \
    --latency --fail-rate --lost-reply-rate --reset-rate --token-lifetime \
    --search-lag --create-lag --retry-after --deleted-external-ids --seats \
    --fault-seed; do
    expect_stdout_has "$flag"
done

run "$GCPROV_BIN" sandbox extra
expect_status 2

# The first line is the URL alone; SIGINT stops the server cleanly.
sbx_start
expect_eq "one URL line" 1 "$(wc -l <"$T/sandbox.out" | tr -d ' ')"
kill -INT "$SBX_PID"
wait "$SBX_PID"
expect_eq "exit status on SIGINT" 0 "$?"
SBX_PID=""
CHECKS=$((CHECKS + 1))
curl -s -o /dev/null "$URL/_sandbox/stats" && fail "still serving after SIGINT"

# A seed file replaces the demo org.
cat >"$T/seed.json" <<'JSON'
{
  "organization": {"name": "seeded"},
  "divisions": [{"id": "div-home", "name": "Head office", "home": true}],
  "licenses": [{"id": "cloudCX2"}, {"id": "wem"}],
  "roles": [{"id": "role-agent", "name": "Agent", "baseLicense": "cloudCX2"},
            {"name": "Coach", "baseLicense": "cloudCX2",
             "addonLicenses": ["wem"]}],
  "clients": [{"id": "ci", "secret": "ci-secret",
               "permissions": ["directory:user:view"]}],
  "users": [{"name": "Sam Seed", "email": "sam@seed.example",
             "grants": [{"role": "Coach"}],
             "externalIds": [{"authorityName": "hr", "externalKey": "S1"}],
             "licenses": ["wem"]}]
}
JSON
sbx_start --seed "$T/seed.json" --search-lag 0
login ci ci-secret
LAST_CALL="seeded user by external id"
call GET /api/v2/users/externalid/hr/S1
expect_call 200 '.name == "Sam Seed" and .division.name == "Head office"'
LAST_CALL="seeded client lacks permissions"
call GET /api/v2/authorization/roles
expect_call 403 '.code == "missing.permissions"'
LAST_CALL="the demo client is not in a seeded org"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -u gcprov-demo:gcprov-demo-secret \
    -d grant_type=client_credentials "$URL/oauth/token")
expect_call 401 '.error == "invalid_client"'
LAST_CALL="seeded state"
curl -s "$URL/_sandbox/state" >"$T/body"
STATUS=200
expect_call 200 '.organization.name == "seeded" and (.roles | length) == 2 and .users[0].grants[0].divisionId == "div-home" and .users[0].licenses == ["wem"]'
sbx_stop

# A bad seed is refused (status 2, invalid input) with a message naming
# the problem.
echo '{"divisions": [], "users": []}' >"$T/bad.json"
run "$GCPROV_BIN" sandbox --seed "$T/bad.json"
expect_status 2
expect_stderr_has "seed has no division"
echo '{"divisions": [' >"$T/broken.json"
run "$GCPROV_BIN" sandbox --seed "$T/broken.json"
expect_status 2
expect_stderr_has "broken.json"

# A state file keeps the org across a restart.
sbx_start --state-file "$T/state.json"
login
call POST /api/v2/users '{"name":"Kept","email":"kept@corp.example"}'
KEPT=$(jqb .id)
sbx_stop
expect_eq "the state file is owner-only" 600 "$(stat -c %a "$T/state.json")"
sbx_start --state-file "$T/state.json"
login
LAST_CALL="the user survives a restart"
call GET "/api/v2/users/$KEPT"
expect_call 200 '.email == "kept@corp.example"'
sbx_stop

# Listen addresses it cannot use.
run "$GCPROV_BIN" sandbox --listen nowhere
expect_status 2
expect_stderr_has "'nowhere'"
sbx_start
port=${URL##*:}
run "$GCPROV_BIN" sandbox --listen "127.0.0.1:$port"
expect_status 5
expect_stderr_has "cannot listen"
finish

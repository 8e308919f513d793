#!/usr/bin/env bash
# Every load and fault knob of the sandbox shows its effect: rate limit and
# window, latency, fail, reset and lost-reply rates, seats, token lifetime,
# search lag and create lag; flags and PUT /_sandbox/faults set the same
# knobs, and --fault-seed makes the dice repeatable. Lags and lifetimes are
# 1.5 to 2 s so that a loaded machine (the suite runs under ASan on 2
# shared cores) does not outrun them.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/sandbox/lib.sh"

# faults JSON: changes knobs at run time.
faults() {
    curl -s -o "$T/faults" -w '%{http_code}' -X PUT \
        -H 'Content-Type: application/json' --data-binary "$1" \
        "$URL/_sandbox/faults"
}

# curl_exit METHOD PATH [BODY]: the curl exit status of one call (52: the
# server closed the connection without a reply).
curl_exit() {
    local args=(-s -o "$T/body" -X "$1" -H "Authorization: Bearer $TOKEN")
    [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' -d "$3")
    curl "${args[@]}" "$URL$2"
    echo $?
}

user_count() {
    curl -s "$URL/_sandbox/state" | jq '.users | length'
}

# --- Every flag lands in the knobs ------------------------------------------
sbx_start --rate-limit 7 --rate-window 30 --latency 0 --fail-rate 0 \
    --lost-reply-rate 0 --reset-rate 0 --token-lifetime 600 \
    --search-lag 0 --create-lag 0 --seats wem=1 --seats cloudCX3=5 \
    --fault-seed 3
LAST_CALL="GET /_sandbox/faults"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' "$URL/_sandbox/faults")
expect_call 200 '.["rate-limit"] == 7 and .["rate-window"] == 30 and .["token-lifetime"] == 600 and .["search-lag"] == 0 and .seats == {"wem":1,"cloudCX3":5}'
login
LAST_CALL="limits report the enforced rate per minute"
call GET /api/v2/organizations/limits/namespaces/platform.api
expect_call 200 '.entities[0].value == 14'

# --- Seats: assignments past N fail per change; the knob can be raised ----
call POST /api/v2/users '{"name":"S One","email":"s1@corp.example"}'
S1=$(jqb .id)
call POST /api/v2/users '{"name":"S Two","email":"s2@corp.example"}'
S2=$(jqb .id)
LAST_CALL="assign wem past one seat"
call POST /api/v2/license/organization \
    "{\"assignments\":[{\"licenseId\":\"wem\",\"userIdsAdd\":[\"$S1\",\"$S2\"],\"userIdsRemove\":[]}]}"
expect_call 200 '.[0].result == "Success" and .[1].result == "SeatLimitReached"'
expect_eq "raise seats" 200 "$(faults '{"seats":{"wem":2}}')"
call POST /api/v2/license/organization \
    "{\"assignments\":[{\"licenseId\":\"wem\",\"userIdsAdd\":[\"$S2\"],\"userIdsRemove\":[]}]}"
expect_call 200 '.[0].result == "Success"'

# --- Rate limit: 429 with Retry-After and the limit object, per token ------
expect_eq "rate limit 3 per 60 s" 200 "$(faults '{"rate-limit":3,"rate-window":60}')"
login
for i in 1 2 3; do
    call GET /api/v2/authorization/divisions/home
    LAST_CALL="call $i within the limit"
    expect_call 200 -
done
LAST_CALL="the call past the limit"
call GET /api/v2/authorization/divisions/home
expect_call 429 '.status == 429 and .limit.key == "client.credentials.token.rate.per.minute" and .limit.namespace == "platform.api" and .limit.value == 3'
retry=$(tr -d '\r' <"$T/headers" | awk -F': ' 'tolower($1)=="retry-after"{print $2}')
CHECKS=$((CHECKS + 1))
[ -n "$retry" ] && [ "$retry" -ge 1 ] && [ "$retry" -le 60 ] ||
    fail "Retry-After '$retry' is not 1..60"
FIRST=$TOKEN
login
LAST_CALL="another token has its own budget"
call GET /api/v2/authorization/divisions/home
expect_call 200 -
TOKEN=$FIRST
LAST_CALL="a short window opens again, 429s without Retry-After"
faults '{"rate-limit":1,"rate-window":1.5,"retry-after":0}' >/dev/null
login
call GET /api/v2/authorization/divisions/home
expect_call 200 -
call GET /api/v2/authorization/divisions/home
expect_call 429 -
CHECKS=$((CHECKS + 1))
if tr -d '\r' <"$T/headers" | grep -qi '^retry-after:'; then
    fail "--retry-after 0 still sends Retry-After"
fi
faults '{"retry-after":1}' >/dev/null
sleep 1.6
call GET /api/v2/authorization/divisions/home
expect_call 200 -
faults '{"rate-limit":0}' >/dev/null
LAST_CALL="rate limit off"
for i in 1 2 3 4 5; do call GET /api/v2/authorization/divisions/home; done
expect_call 200 -
curl -s "$URL/_sandbox/stats" >"$T/body"
STATUS=200 LAST_CALL="stats count 429s"
expect_call 200 '.rateLimited == 2 and .statuses["429"] == 2'

# --- Latency ------------------------------------------------------------------
faults '{"latency":300}' >/dev/null
took=$(curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $TOKEN" \
    "$URL/api/v2/authorization/divisions/home")
CHECKS=$((CHECKS + 1))
awk -v t="$took" 'BEGIN { exit !(t >= 0.29) }' ||
    fail "latency 300 ms: the call took $took s"
faults '{"latency":0}' >/dev/null

# --- Fail rate: 503 and nothing done ------------------------------------------
before=$(user_count)
faults '{"fail-rate":1}' >/dev/null
LAST_CALL="create under fail-rate 1"
call POST /api/v2/users '{"name":"F","email":"f@corp.example"}'
expect_call 503 '.code == "service.unavailable" and .status == 503'
expect_eq "no user created by a failed call" "$before" "$(user_count)"
faults '{"fail-rate":0}' >/dev/null

# --- Reset rate: connection cut before anything is done ------------------------
faults '{"reset-rate":1}' >/dev/null
expect_eq "curl sees an empty reply" 52 \
    "$(curl_exit POST /api/v2/users '{"name":"R","email":"r@corp.example"}')"
faults '{"reset-rate":0}' >/dev/null
expect_eq "no user created by a reset call" "$before" "$(user_count)"
call GET "/api/v2/users/externalid/hr/E0001"
LAST_CALL="serving after resets"
expect_call 200 -

# --- Lost replies: carried out, then cut; a retry is a duplicate ----------------
faults '{"lost-reply-rate":1}' >/dev/null
expect_eq "curl sees an empty reply" 52 \
    "$(curl_exit POST /api/v2/users '{"name":"L","email":"lost@corp.example"}')"
faults '{"lost-reply-rate":0}' >/dev/null
expect_eq "the lost create was carried out" $((before + 1)) "$(user_count)"
LAST_CALL="a naive retry of the lost create"
call POST /api/v2/users '{"name":"L","email":"lost@corp.example"}'
expect_call 409 '.code == "general.conflict"'
curl -s "$URL/_sandbox/stats" >"$T/body"
STATUS=200 LAST_CALL="stats count injected faults"
expect_call 200 '.events.failed == 1 and .events.reset == 1 and .events.lostReply == 1'

# --- Token lifetime ---------------------------------------------------------------
faults '{"token-lifetime":2}' >/dev/null
TOKEN=$(curl -s -u gcprov-demo:gcprov-demo-secret -d grant_type=client_credentials \
    "$URL/oauth/token" | tee "$T/body" | jq -r .access_token)
STATUS=200 LAST_CALL="short-lived token"
expect_call 200 '.expires_in == 2'
call GET /api/v2/authorization/divisions/home
expect_call 200 -
sleep 2.1
LAST_CALL="expired token"
call GET /api/v2/authorization/divisions/home
expect_call 401 '.code == "bad.credentials" and (.message | test("expired"))'
faults '{"token-lifetime":86400}' >/dev/null
login

# --- Search lag -------------------------------------------------------------------
faults '{"search-lag":2}' >/dev/null
call POST /api/v2/users '{"name":"Lag","email":"lag@corp.example"}'
q='{"query":[{"type":"EXACT","fields":["email"],"value":"lag@corp.example"}]}'
LAST_CALL="search right after the create"
call POST /api/v2/users/search "$q"
expect_call 200 '.total == 0'
sleep 2.1
LAST_CALL="search after the lag"
call POST /api/v2/users/search "$q"
expect_call 200 '.total == 1'

# --- Create lag: other calls cannot name a new user for a while -----------------------
faults '{"create-lag":2}' >/dev/null
call POST /api/v2/users '{"name":"New","email":"new@corp.example"}'
NEW=$(jqb .id)
LAST_CALL="create under create-lag"
expect_call 200 '.state == "active"'
LAST_CALL="GET a just-created user"
call GET "/api/v2/users/$NEW"
expect_call 404 '.code == "not.found"'
LAST_CALL="external id on a just-created user"
call POST "/api/v2/users/$NEW/externalid" '{"authorityName":"hr","externalKey":"N1"}'
expect_call 404 -
LAST_CALL="grant to a just-created user"
call PUT /api/v2/authorization/roles/a0000000-0000-4000-8000-000000000002/users/add "[\"$NEW\"]"
expect_call 404 -
LAST_CALL="license for a just-created user"
call POST /api/v2/license/organization \
    "{\"assignments\":[{\"licenseId\":\"wem\",\"userIdsAdd\":[\"$NEW\"],\"userIdsRemove\":[]}]}"
expect_call 200 '.[0].result == "UserNotFound"'
LAST_CALL="duplicate create under create-lag"
call POST /api/v2/users '{"name":"New","email":"new@corp.example"}'
expect_call 409 '.code == "general.conflict"'
sleep 2.1
LAST_CALL="GET after the create lag"
call GET "/api/v2/users/$NEW"
expect_call 200 ".id == \"$NEW\""

# --- Deleted users' external ids: hidden (404) unless the knob says ---------------
call GET /api/v2/users/externalid/hr/E0002
LEE=$(jqb .id)
LAST_CALL="external ids of a deleted user, by default"
call GET "/api/v2/users/$LEE/externalid"
expect_call 404 '.code == "not.found"'
expect_eq "deleted-external-ids 1" 200 "$(faults '{"deleted-external-ids":1}')"
LAST_CALL="external ids of a deleted user, readable"
call GET "/api/v2/users/$LEE/externalid"
expect_call 200 'length == 1 and .[0].externalKey == "E0002"'
LAST_CALL="a deleted user still gets no new external id"
call POST "/api/v2/users/$LEE/externalid" '{"authorityName":"hr","externalKey":"X"}'
expect_call 404 -
expect_eq "deleted-external-ids 2" 400 "$(faults '{"deleted-external-ids":2}')"

# --- Knob validation --------------------------------------------------------------
expect_eq "fail-rate above 1" 400 "$(faults '{"fail-rate":2}')"
expect_eq "unknown knob" 400 "$(faults '{"explode":1}')"
expect_eq "seats not a number" 400 "$(faults '{"seats":{"wem":"x"}}')"
sbx_stop

run "$GCPROV_BIN" sandbox --fail-rate abc
expect_status 2
expect_stderr_has "--fail-rate needs a number"
run "$GCPROV_BIN" sandbox --reset-rate 1.5
expect_status 2
run "$GCPROV_BIN" sandbox --seats wem
expect_status 2
expect_stderr_has "LICENSE=N"

# --- The fault seed makes the dice repeatable -----------------------------------------
# statuses SEED: the statuses of 24 calls under a 50 % fail rate.
statuses() {
    sbx_start --fail-rate 0.5 --fault-seed "$1" --rate-limit 0
    TOKEN=""
    until [ -n "$TOKEN" ] && [ "$TOKEN" != null ]; do login; done
    for i in $(seq 24); do
        curl -s -o /dev/null -w '%{http_code} ' -H "Authorization: Bearer $TOKEN" \
            "$URL/api/v2/authorization/divisions/home"
    done
    sbx_stop
}
a=$(statuses 7)
b=$(statuses 7)
c=$(statuses 8)
expect_eq "same seed, same faults" "$a" "$b"
CHECKS=$((CHECKS + 1))
case "$a" in *200*503* | *503*200*) ;; *) fail "fail-rate 0.5 gave '$a'" ;; esac
CHECKS=$((CHECKS + 1))
[ "$a" != "$c" ] || fail "seeds 7 and 8 gave the same faults"
finish

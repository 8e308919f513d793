#!/usr/bin/env bash
# The sandbox's endpoints against the running binary, as a table of calls
# (api.cases), plus what a table cannot say: login failures, headers,
# content types, the admin hooks.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/sandbox/lib.sh"

sbx_start --search-lag 0

# Login failures use the OAuth style.
LAST_CALL="login without credentials"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -d grant_type=client_credentials \
    "$URL/oauth/token")
expect_call 401 '.error == "invalid_client" and (.description | length) > 0'
LAST_CALL="login with a wrong secret"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -u gcprov-demo:wrong \
    -d grant_type=client_credentials "$URL/oauth/token")
expect_call 401 '.error == "invalid_client"'
LAST_CALL="login with another grant"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -u gcprov-demo:gcprov-demo-secret \
    -d grant_type=password "$URL/oauth/token")
expect_call 400 '.error == "unsupported_grant_type"'
LAST_CALL="login"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -u gcprov-demo:gcprov-demo-secret \
    -d 'grant_type=client_credentials&scope=ignored' "$URL/oauth/token")
expect_call 200 '.token_type == "bearer" and .expires_in == 86400 and (.access_token | length) > 20'

# No token, a bad token.
TOKEN=""
LAST_CALL="no token"
call GET /api/v2/users
expect_call 401 '.code == "authentication.required" and .status == 401'
TOKEN=not-a-token
LAST_CALL="bad token"
call GET /api/v2/users
expect_call 401 '.code == "bad.credentials"'

login
# Every reply has a correlation id, and errors repeat it as contextId.
LAST_CALL="correlation id"
call GET /api/v2/users/nope
expect_call 404 '.code == "not.found"'
cid=$(tr -d '\r' <"$T/headers" | awk -F': ' 'tolower($1)=="inin-correlation-id"{print $2}')
expect_eq "ININ-Correlation-Id is the contextId" "$(jqb .contextId)" "$cid"

# A wrong content type is 415; broken JSON is 400.
LAST_CALL="text/plain body"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: text/plain' -d '{}' "$URL/api/v2/users")
expect_call 415 '.code == "unsupported.media.type"'
LAST_CALL="broken JSON"
call POST /api/v2/users '{"name": '
expect_call 400 '.code == "bad.request"'

run_cases "$GCPROV_SRC/tests/sandbox/api.cases"

# The admin hooks: stats by route template and status, state, reset.
LAST_CALL="stats"
call GET /_sandbox/stats
expect_call 200 '.routes["POST /api/v2/users"] >= 8 and .statuses["409"] >= 3 and .tokensIssued == 3 and .routes["GET /api/v2/users/{userId}"] >= 1'
LAST_CALL="state"
call GET /_sandbox/state
expect_call 200 '(.users | length) == 4 and (.users | map(select(.email == "ann.lee@corp.example"))[0].externalIds | length) == 2 and (.roles | length) == 5 and (.clients | length) == 2'
LAST_CALL="reset"
call POST /_sandbox/reset
expect_call 204 -
login
LAST_CALL="after reset"
call GET /api/v2/users
expect_call 200 '.total == 1 and .entities[0].name == "Ada Admin"'
LAST_CALL="stats after reset"
call GET /_sandbox/stats
expect_call 200 '.routes["GET /api/v2/users"] == 1 and .tokensIssued == 1'

sbx_stop
expect_eq "exit status on SIGTERM" 0 "$SBX_STATUS"
finish

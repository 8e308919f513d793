#!/usr/bin/env bash
# Malformed and hostile requests against the running sandbox: each gets the
# right status (or a closed connection) and the sandbox keeps serving.
# Covered: bodies truncated, oversized (413 past 8 MiB, announced or
# chunked), bad Content-Length, invalid UTF-8, deeply nested JSON, huge
# headers (431), garbage request lines, idle and slow clients (closed after
# --idle-timeout), 200 concurrent connections and more than
# --max-connections, traversal-like paths,
# unknown methods (405 with Allow on a known path, 404 elsewhere) and bad
# credentials. Everything stays on 127.0.0.1.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/sandbox/lib.sh"

# raw TEXT: sends TEXT (printf escapes) on a new connection and keeps what
# comes back, until the server closes it, in $T/raw; RAW_RC is 0 when the
# server closed it within 10 s, 124 when it did not.
raw() {
    exec 3<>"/dev/tcp/127.0.0.1/$PORT" || return 1
    printf "$1" >&3
    timeout 10 cat <&3 >"$T/raw"
    RAW_RC=$?
    exec 3<&-
}

raw_status() {
    head -n 1 "$T/raw" | cut -d ' ' -f 2
}

# post PATH BODY-FILE [CURL ARGS...]: a JSON POST with the token.
post() {
    local path=$1 file=$2
    shift 2
    LAST_CALL="POST $path with $(basename "$file")"
    STATUS=$(curl -s -o "$T/body" -w '%{http_code}' "$@" \
        -H "Authorization: Bearer $TOKEN" \
        -H 'Content-Type: application/json' --data-binary "@$file" \
        "$URL$path")
}

alive() {
    LAST_CALL="the sandbox still serves ($1)"
    call GET /api/v2/authorization/divisions/home
    expect_call 200 '.name == "Home"'
}

sbx_start --search-lag 0 --rate-limit 0 --idle-timeout 1
PORT=${URL##*:}
login

# --- Bodies ----------------------------------------------------------------
printf '{"name": "Tru' >"$T/truncated.json"
post /api/v2/users "$T/truncated.json"
expect_call 400 '.code == "bad.request"'

printf '{"name": "Bad \xff\xfe", "email": "utf@corp.example"}' >"$T/utf8.json"
post /api/v2/users "$T/utf8.json"
expect_call 400 '.code == "bad.request"'

head -c 100000 /dev/zero | tr '\0' '[' >"$T/nested.json"
post /api/v2/users/search "$T/nested.json"
expect_call 400 '.code == "bad.request"'

printf '{"query": [{"type": "EXACT", "fields": ["email"], "value": 7}]}' \
    >"$T/wrongtype.json"
post /api/v2/users/search "$T/wrongtype.json"
expect_call 400 '.code == "bad.request"'

# Past 8 MiB: 413, whether the length is announced or the body is chunked.
head -c 9000000 /dev/zero | tr '\0' ' ' >"$T/big.json"
post /api/v2/users "$T/big.json"
expect_call 413 '.code == "request.entity.too.large"'
post /api/v2/users "$T/big.json" -H 'Transfer-Encoding: chunked'
expect_call 413 '.code == "request.entity.too.large"'
# Announced but never sent: answered before any of it is read.
raw 'POST /api/v2/users HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\n'
expect_eq "an announced 100 GB body" 413 "$(raw_status)"
alive "after oversized bodies"

# --- Framing ----------------------------------------------------------------
raw 'POST /api/v2/users HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n'
expect_eq "Content-Length: abc" 400 "$(raw_status)"
raw 'POST /api/v2/users HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n'
expect_eq "Content-Length: -5" 400 "$(raw_status)"
raw 'GARBAGE\r\n\r\n'
expect_eq "a garbage request line: closed" 0 "$RAW_RC"
expect_eq "a garbage request line gets no 2xx" "" "$(grep -E '^HTTP/1.1 2' "$T/raw")"
raw 'GET /\r\n\r\n'
expect_eq "a request line without version" 400 "$(raw_status)"
huge=$(head -c 100000 /dev/zero | tr '\0' a)
LAST_CALL="a 100 kB header"
STATUS=$(curl -s -o /dev/null -w '%{http_code}' -H "X-Big: $huge" \
    "$URL/_sandbox/faults")
expect_eq "a 100 kB header" 431 "$STATUS"
alive "after bad framing"

# --- Slow and idle clients: closed after --idle-timeout (1 s) -------------
raw 'POST /api/v2/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"name":'
expect_eq "a body that stops coming: closed" 0 "$RAW_RC"
raw ''
expect_eq "a connection that sends nothing: closed" 0 "$RAW_RC"
raw 'GET /_sandbox/faults HTTP/1.1\r\nHost: x\r\n'
expect_eq "headers that never end: closed" 0 "$RAW_RC"

# --- Paths and methods ------------------------------------------------------
for path in /api/v2/../../etc/passwd /_sandbox/../api/v2/users \
    '/api/v2/users/%2e%2e%2f%2e%2e/externalid' /api/v2//users \
    "/api/v2/users/$(head -c 3000 /dev/zero | tr '\0' x)" \
    /api/v2/users/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p/q/r/s/t; do
    LAST_CALL="GET ${path:0:60}"
    STATUS=$(curl -s --path-as-is -o "$T/body" -w '%{http_code}' \
        -H "Authorization: Bearer $TOKEN" "$URL$path")
    expect_call 404 '.code == "not.found"'
done
LAST_CALL="BREW /api/v2/users"
call BREW /api/v2/users
expect_call 405 '.code == "method.not.allowed"'
expect_eq "405 names the allowed methods" "Allow: POST, GET" \
    "$(grep -i '^Allow:' "$T/headers" | tr -d '\r')"
LAST_CALL="TRACE on an unknown path"
call TRACE /api/v2/nothing
expect_call 404 '.code == "not.found"'

# --- Credentials -----------------------------------------------------------
LAST_CALL="Basic credentials that are not base64"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' -H 'Authorization: Basic !!!' \
    -d grant_type=client_credentials "$URL/oauth/token")
expect_call 401 '.error == "invalid_client"'
LAST_CALL="Basic credentials without a colon"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' \
    -H "Authorization: Basic $(printf nocolon | base64)" \
    -d grant_type=client_credentials "$URL/oauth/token")
expect_call 401 '.error == "invalid_client"'
LAST_CALL="a 7 kB bearer token"
STATUS=$(curl -s -o "$T/body" -w '%{http_code}' \
    -H "Authorization: Bearer $(head -c 7000 /dev/zero | tr '\0' t)" \
    "$URL/api/v2/users")
expect_call 401 '.code == "bad.credentials"'

alive "at the end"
kill -0 "$SBX_PID" 2>/dev/null
expect_eq "the process is still running" 0 "$?"
sbx_stop
expect_eq "it stops cleanly" 0 "$SBX_STATUS"

# --- 200 connections at once ----------------------------------------------
# On a sandbox of its own with the default idle timeout: under a loaded
# machine some of 200 connections may wait more than the 1 s used above
# before they are served, which is not what this part tests.
sbx_start --search-lag 0 --rate-limit 0
login
for i in $(seq 200); do
    echo "url = \"$URL/api/v2/users?pageSize=1&n=$i\""
    echo "output = \"/dev/null\""
done >"$T/many.cfg"
curl -s --parallel --parallel-immediate --parallel-max 200 \
    -H "Authorization: Bearer $TOKEN" -w '%{http_code}\n' \
    -K "$T/many.cfg" >"$T/many.out" 2>/dev/null
expect_eq "200 concurrent calls all answered 200" 200 \
    "$(grep -c '^200$' "$T/many.out")"

alive "after 200 connections"
sbx_stop

# --- Past --max-connections: the extra connection is closed, not queued ----
sbx_start --max-connections 2
PORT=${URL##*:}
exec 5<>"/dev/tcp/127.0.0.1/$PORT" 6<>"/dev/tcp/127.0.0.1/$PORT"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$URL/_sandbox/faults")
expect_eq "a third connection is closed with no reply" 000 "$code"
exec 5<&- 6<&-
code=000
for _ in $(seq 50); do
    code=$(curl -s -o /dev/null -w '%{http_code}' "$URL/_sandbox/faults")
    [ "$code" = 200 ] && break
    sleep 0.1
done
expect_eq "served again once the two are closed" 200 "$code"
finish

# lib.sh: helpers for the sandbox's shell tests. Source it after
# tests/lib/assert.sh. sbx_start runs `gcprov sandbox` on a free loopback
# port, reads the base URL from its first line, and makes sure the server
# is stopped when the test exits, even on failure.
SBX_PID=""
# Extra curl options for login and call (e.g. --cacert for HTTPS).
SBX_CURL=()

sbx_stop() {
    if [ -n "$SBX_PID" ]; then
        kill -TERM "$SBX_PID" 2>/dev/null
        wait "$SBX_PID" 2>/dev/null
        SBX_STATUS=$?
        SBX_PID=""
    fi
}

trap 'sbx_stop; rm -rf "$T"' EXIT

# sbx_start [FLAGS...]: starts the sandbox and sets URL.
sbx_start() {
    command -v curl >/dev/null && command -v jq >/dev/null || {
        echo "SKIP: curl and jq are needed" >&2
        exit 77
    }
    # A fresh file: a previous sandbox's URL must not be read by mistake.
    rm -f "$T/sandbox.out"
    "$GCPROV_BIN" sandbox --listen 127.0.0.1:0 "$@" >"$T/sandbox.out" \
        2>"$T/sandbox.err" &
    SBX_PID=$!
    URL=""
    for _ in $(seq 100); do
        URL=$(head -n 1 "$T/sandbox.out" 2>/dev/null)
        [ -n "$URL" ] && break
        kill -0 "$SBX_PID" 2>/dev/null || break
        sleep 0.05
    done
    case "$URL" in
    http://127.0.0.1:* | https://127.0.0.1:*) ;;
    *)
        echo "FAIL: the sandbox printed no URL" >&2
        cat "$T/sandbox.err" >&2
        exit 1
        ;;
    esac
}

# login [CLIENT SECRET]: gets a token into TOKEN.
login() {
    TOKEN=$(curl -s "${SBX_CURL[@]}" -u "${1:-gcprov-demo}:${2:-gcprov-demo-secret}" \
        -d grant_type=client_credentials "$URL/oauth/token" |
        jq -r .access_token)
}

# call METHOD PATH [BODY]: an API call with the token; sets STATUS, and
# the reply in $T/body and its headers in $T/headers.
call() {
    local args=(-s "${SBX_CURL[@]}" -o "$T/body" -D "$T/headers"
        -w '%{http_code}' -X "$1")
    [ -n "${TOKEN:-}" ] && args+=(-H "Authorization: Bearer $TOKEN")
    if [ $# -ge 3 ]; then
        args+=(-H 'Content-Type: application/json' --data-binary "$3")
    fi
    STATUS=$(curl "${args[@]}" "$URL$2")
}

# jqb EXPR: evaluates EXPR on the last reply.
jqb() {
    jq -r "$1" "$T/body"
}

# expect_call STATUS JQ-TEST: checks the last call's status and a jq test.
expect_call() {
    CHECKS=$((CHECKS + 1))
    if [ "$STATUS" != "$1" ]; then
        fail "$LAST_CALL: status $STATUS, expected $1: $(head -c 300 "$T/body")"
        return
    fi
    if [ -n "${2:-}" ] && [ "$2" != "-" ] &&
        [ "$(jq -r "$2" "$T/body" 2>&1)" != "true" ]; then
        fail "$LAST_CALL: '$2' is not true of $(head -c 300 "$T/body")"
    fi
}

# subst TEXT: replaces each {{NAME}} with the value of shell variable NAME.
subst() {
    local text="$1" name
    while [[ "$text" =~ \{\{([A-Za-z_][A-Za-z0-9_]*)\}\} ]]; do
        name=${BASH_REMATCH[1]}
        text=${text//"{{$name}}"/${!name}}
    done
    printf '%s' "$text"
}

# run_cases FILE: runs a table of calls, one per line:
#   METHOD PATH || BODY or - || STATUS || JQ test or - [|| VAR=JQ to save]
# {{VAR}} in the path and body is replaced by saved values. Lines starting
# with "#" are comments; "@login CLIENT SECRET" switches client; "@sleep S"
# waits; "@faults JSON" changes the knobs.
run_cases() {
    local line call body status test save method path
    while IFS= read -r line; do
        case "$line" in
        '' | '#'*) continue ;;
        @login*) login ${line#@login} && continue ;;
        @sleep*) sleep ${line#@sleep} && continue ;;
        @faults*)
            curl -s -o /dev/null -X PUT -H 'Content-Type: application/json' \
                --data-binary "${line#@faults }" "$URL/_sandbox/faults"
            continue
            ;;
        esac
        IFS=$'\t' read -r call body status test save \
            <<<"${line// || /$'\t'}"
        call=$(subst "$(echo $call)")
        body=$(subst "$(echo "$body" | sed 's/^ *//; s/ *$//')")
        status=$(echo $status)
        test=$(subst "$(echo "$test" | sed 's/^ *//; s/ *$//')")
        save=$(echo $save)
        method=${call%% *}
        path=${call#* }
        LAST_CALL="$method $path"
        if [ "$body" = "-" ]; then
            call "$method" "$path"
        else
            call "$method" "$path" "$body"
        fi
        expect_call "$status" "$test"
        if [ -n "$save" ] && [ "$save" != "-" ]; then
            printf -v "${save%%=*}" '%s' "$(jqb "${save#*=}")"
        fi
    done <"$1"
}

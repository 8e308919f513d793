# lib.sh: helpers of the scenario runner. Source after tests/lib/assert.sh.
# A sandbox that can be restarted on its port (its state kept with
# --state-file), the fault knobs at run time, gcprov runs in the
# background, and the checks every scenario ends with (check.jq).
SCEN_DIR="$GCPROV_SRC/tests/scenarios"
SBX_PID=
SBX_URL=
SBX_ARGS=()
BG_PIDS=()

# The client's credentials: the demo org's, or a seed's "ci" client.
export GENESYSCLOUD_OAUTHCLIENT_ID=gcprov-demo
export GENESYSCLOUD_OAUTHCLIENT_SECRET=gcprov-demo-secret

scen_cleanup() {
    local pid
    for pid in "${BG_PIDS[@]}"; do
        kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    sbx_down
    rm -rf "$T"
}
trap scen_cleanup EXIT

# sbx_up [KNOBS...]: starts the sandbox (on the port of $SBX_URL when it
# ran before, so that clients find it again) and sets SBX_URL.
sbx_up() {
    local listen=127.0.0.1:0
    [ -n "$SBX_URL" ] && listen=${SBX_URL#http://}
    [ $# -gt 0 ] && SBX_ARGS=("$@")
    rm -f "$T/sandbox.out"
    "$GCPROV_BIN" sandbox --listen "$listen" "${SBX_ARGS[@]}" \
        >"$T/sandbox.out" 2>>"$T/sandbox.err" &
    SBX_PID=$!
    for _ in $(seq 100); do
        SBX_URL=$(head -n 1 "$T/sandbox.out" 2>/dev/null)
        [ -n "$SBX_URL" ] && return 0
        kill -0 "$SBX_PID" 2>/dev/null || break
        sleep 0.05
    done
    echo "FAIL: the sandbox did not start:" >&2
    cat "$T/sandbox.err" >&2
    exit 1
}

# sbx_down: stops the sandbox with SIGTERM (it saves its state file).
sbx_down() {
    if [ -n "$SBX_PID" ]; then
        kill -TERM "$SBX_PID" 2>/dev/null
        wait "$SBX_PID" 2>/dev/null
        SBX_PID=
    fi
}

# restart_sandbox [PAUSE]: stops the sandbox, waits PAUSE seconds (0.5)
# while clients meet a closed port, and starts it again on the same port.
restart_sandbox() {
    sbx_down
    sleep "${1:-0.5}"
    sbx_up
}

# faults JSON: changes the sandbox's knobs at run time.
faults() {
    curl -sf -o /dev/null -X PUT -H 'Content-Type: application/json' \
        --data-binary "$1" "$SBX_URL/_sandbox/faults" ||
        fail "PUT /_sandbox/faults $1 was refused"
}

sbx_state() { curl -sf "$SBX_URL/_sandbox/state"; }

# sbx_requests: the number of requests the sandbox has counted, read with
# bash's /dev/tcp rather than curl and jq, so that polling it every few
# milliseconds does not take the CPU from the run it watches.
sbx_requests() {
    local hostport=${SBX_URL#http://} reply
    exec 9<>"/dev/tcp/${hostport%:*}/${hostport#*:}" || {
        echo 0
        return
    }
    printf 'GET /_sandbox/stats HTTP/1.0\r\nHost: %s\r\n\r\n' \
        "$hostport" >&9
    reply=$(cat <&9)
    exec 9<&-
    [[ $reply =~ \"requests\":([0-9]+) ]] && echo "${BASH_REMATCH[1]}" ||
        echo 0
}
sbx_stats() { curl -sf "$SBX_URL/_sandbox/stats"; }

# wait_requests N [PID]: waits until the sandbox has counted N requests
# since it started. When PID (the apply) ends first, the scenario did not
# test what it meant to: a failure.
wait_requests() {
    local pid=${2:-$APPLY_PID} seen
    CHECKS=$((CHECKS + 1))
    while kill -0 "$pid" 2>/dev/null; do
        seen=$(sbx_requests)
        [ "${seen:-0}" -ge "$1" ] && return 0
        sleep 0.01
    done
    fail "apply ended before the sandbox saw $1 requests"
    return 1
}

# wait_route ROUTE N: waits until the sandbox has counted N calls of ROUTE
# ("METHOD /template", as in /_sandbox/stats); a failure if the apply ends
# first.
wait_route() {
    local seen
    CHECKS=$((CHECKS + 1))
    while kill -0 "$APPLY_PID" 2>/dev/null; do
        seen=$(sbx_stats | jq --arg r "$1" '.routes[$r] // 0')
        [ "${seen:-0}" -ge "$2" ] && return 0
        sleep 0.02
    done
    fail "apply ended before the sandbox saw $2 calls of '$1'"
    return 1
}

# apply_bg NAME JOURNAL ARGS...: starts `gcprov apply ARGS` in the
# background against the sandbox with journal $T/JOURNAL.db; its output
# in $T/NAME.out and .err. Sets APPLY_PID.
apply_bg() {
    local name=$1 journal=$2
    shift 2
    "$GCPROV_BIN" apply --api-url "$SBX_URL" --journal "$T/$journal.db" \
        "$@" >"$T/$name.out" 2>"$T/$name.err" &
    APPLY_PID=$!
    BG_PIDS+=("$APPLY_PID")
}

# apply_wait: waits for APPLY_PID; sets STATUS.
apply_wait() {
    wait "$APPLY_PID"
    STATUS=$?
}

# check_tenant PEOPLE_JSON BEFORE_STATE_FILE: the invariants of check.jq
# against the sandbox's state now; each problem is a failure.
check_tenant() {
    local problems
    sbx_state >"$T/after.json" || {
        fail "GET /_sandbox/state failed"
        return
    }
    if jq --slurpfile people "$1" --slurpfile before "$2" \
        -f "$SCEN_DIR/check.jq" "$T/after.json" >"$T/problems.json"; then
        problems=$(jq -r '.[]' "$T/problems.json")
    else
        problems="check.jq could not read the state"
    fi
    CHECKS=$((CHECKS + 1))
    if [ -n "$problems" ]; then
        fail "the tenant is not as expected:"
        printf '%s\n' "$problems" | head -n 20 | sed 's/^/  /' >&2
    fi
}

# check_failures_reported JOURNAL: every failed step of every run in the
# journal carries the API's answer: a message, and the correlation id of
# the reply when there was one (a cut connection has none to give).
check_failures_reported() {
    local runs n bad
    runs=$("$GCPROV_BIN" history --journal "$1" --json | jq '.runs[].run')
    for n in $runs; do
        bad=$("$GCPROV_BIN" report --journal "$1" --run "$n" --json | jq -r '
            [.people[].steps[] | select(.state == "failed")
             | select(.message == null or
                      ((.http_status // 0) > 0 and .correlation_id == null))
             | "\(.person) \(.step) \(.target): status \(.http_status)"]
            | .[]') || bad="report of run $n could not be read"
        CHECKS=$((CHECKS + 1))
        [ -z "$bad" ] || fail "run $n: failures without their answer: $bad"
    done
}

# sandbox.sh: starts `gcprov sandbox` for a test and stops it at exit.
# Source after tests/lib/assert.sh; call start_sandbox [KNOB...]; then
# $SBX_URL is its base URL. Skips the test (77) when the build has no
# sandbox.
SBX_PID=

stop_sandbox() {
    if [ -n "$SBX_PID" ]; then
        kill "$SBX_PID" 2>/dev/null
        wait "$SBX_PID" 2>/dev/null
        SBX_PID=
    fi
}

start_sandbox() {
    if ! "$GCPROV_BIN" sandbox --help >/dev/null 2>&1; then
        echo "this build has no 'gcprov sandbox': skipped"
        exit 77
    fi
    # The child truncates the file only once it runs: a URL left by an
    # earlier sandbox must not be read meanwhile.
    rm -f "$T/sandbox.out"
    "$GCPROV_BIN" sandbox --listen 127.0.0.1:0 "$@" \
        >"$T/sandbox.out" 2>"$T/sandbox.err" &
    SBX_PID=$!
    trap 'stop_sandbox; rm -rf "$T"' EXIT
    SBX_URL=
    for _ in $(seq 100); do
        SBX_URL=$(head -n 1 "$T/sandbox.out" 2>/dev/null)
        [ -n "$SBX_URL" ] && return 0
        sleep 0.1
    done
    echo "the sandbox did not start:" >&2
    cat "$T/sandbox.err" >&2
    exit 1
}

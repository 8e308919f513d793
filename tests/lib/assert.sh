# assert.sh: a few helpers for shell-driven tests. Source it; call run,
# then the expect_* checks; end with finish. Each test gets its own
# scratch folder in $T, removed at the end.
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/gcprov-test.XXXXXX")
FAILURES=0
CHECKS=0
trap 'rm -rf "$T"' EXIT

fail() {
    echo "FAIL: $*" >&2
    FAILURES=$((FAILURES + 1))
}

# run CMD ARGS...: runs a command, keeping its status, stdout and stderr.
run() {
    LAST_CMD="$*"
    "$@" >"$T/stdout" 2>"$T/stderr"
    STATUS=$?
}

expect_status() {
    CHECKS=$((CHECKS + 1))
    if [ "$STATUS" -ne "$1" ]; then
        fail "'$LAST_CMD' exited $STATUS, expected $1"
        sed 's/^/  stderr: /' "$T/stderr" | head -n 20 >&2
    fi
}

expect_stdout_has() {
    CHECKS=$((CHECKS + 1))
    grep -qF -- "$1" "$T/stdout" || fail "'$LAST_CMD' stdout lacks '$1'"
}

expect_stderr_has() {
    CHECKS=$((CHECKS + 1))
    grep -qF -- "$1" "$T/stderr" || fail "'$LAST_CMD' stderr lacks '$1'"
}

expect_stdout_lacks() {
    CHECKS=$((CHECKS + 1))
    if grep -qF -- "$1" "$T/stdout"; then
        fail "'$LAST_CMD' stdout has '$1'"
    fi
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
    CHECKS=$((CHECKS + 1))
    [ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
}

finish() {
    echo "$CHECKS checks, $FAILURES failed"
    [ "$FAILURES" -eq 0 ]
    exit $?
}

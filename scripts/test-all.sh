#!/usr/bin/env bash
# Runs every pass of the suite and ends with one summary line:
#   1. the normal build's tests,
#   2. the same tests built with AddressSanitizer and UBSan,
#   3. the unit tests under Valgrind's memcheck (leaks are failures),
#   4. each libFuzzer target for a bounded time.
# A pass that fails stops nothing: every pass runs, and the status is the
# worst of them, so one run shows everything that is wrong.
set -uo pipefail
cd "$(dirname "$0")/.."

JOBS=${JOBS:-$(nproc 2>/dev/null || echo 2)}
BUILD=${BUILD:-build}
ASAN=${ASAN:-build-asan}
FUZZ=${FUZZ:-build-fuzz}
LOGDIR=$(mktemp -d "${TMPDIR:-/tmp}/gcprov-tests.XXXXXX")
total_pass=0
total_fail=0
status=0

# run_pass NAME BUILD_DIR CTEST_ARGS...: runs ctest, adds up its counts.
run_pass() {
    local name=$1 dir=$2
    shift 2
    echo "== $name"
    (cd "$dir" && ctest --output-on-failure -j "$JOBS" "$@") \
        2>&1 | tee "$LOGDIR/$name.log"
    local rc=${PIPESTATUS[0]}
    local line
    line=$(grep -E 'tests passed, [0-9]+ tests? failed out of' \
        "$LOGDIR/$name.log" | tail -n 1)
    if [ -n "$line" ]; then
        local failed all
        failed=$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed.*/\1/')
        all=$(echo "$line" | sed -E 's/.*out of ([0-9]+).*/\1/')
        total_fail=$((total_fail + failed))
        total_pass=$((total_pass + all - failed))
    fi
    [ "$rc" -eq 0 ] || status=1
}

configure() {
    local dir=$1
    shift
    cmake -S . -B "$dir" "$@" >/dev/null &&
        cmake --build "$dir" -j "$JOBS" >"$LOGDIR/build-$dir.log" 2>&1 ||
        { cat "$LOGDIR/build-$dir.log"; echo "build of $dir failed"; return 1; }
}

configure "$BUILD" -DCMAKE_BUILD_TYPE=RelWithDebInfo || exit 1
run_pass normal "$BUILD"

# run_memcheck DIR: every unit test program of DIR under memcheck.
run_memcheck() {
    local dir=$1 t rc
    echo "== memcheck"
    if ! command -v valgrind >/dev/null 2>&1; then
        echo "valgrind is missing: run scripts/install-deps.sh"
        status=1
        return
    fi
    for t in "$dir"/test_*; do
        [ -x "$t" ] || continue
        GCPROV_SRC=$PWD GCPROV_BIN=$PWD/$dir/gcprov valgrind -q \
            --error-exitcode=99 --leak-check=full \
            --errors-for-leak-kinds=definite,indirect \
            "$t" >"$LOGDIR/memcheck.log" 2>&1
        rc=$?
        if [ "$rc" -eq 0 ]; then
            total_pass=$((total_pass + 1))
            echo "memcheck ${t##*/}: passed"
        else
            total_fail=$((total_fail + 1))
            status=1
            echo "memcheck ${t##*/}: FAILED ($rc)"
            tail -n 40 "$LOGDIR/memcheck.log"
        fi
    done
}

run_memcheck "$BUILD"

if configure "$ASAN" -DCMAKE_BUILD_TYPE=Debug -DGCP_SANITIZE=ON \
    -DCMAKE_C_COMPILER=clang; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        GCPROV_SANITIZED=1 run_pass sanitizers "$ASAN" -LE nosan
else
    status=1
fi

if configure "$FUZZ" -DCMAKE_BUILD_TYPE=Debug -DGCP_FUZZ=ON \
    -DCMAKE_C_COMPILER=clang; then
    if (cd "$FUZZ" && ctest -N -L fuzz | grep -q 'Total Tests: [1-9]'); then
        run_pass fuzz "$FUZZ" -L fuzz
    fi
else
    status=1
fi

rm -rf "$LOGDIR"
echo
echo "tests: $total_pass passed, $total_fail failed"
exit $status

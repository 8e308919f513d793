#!/usr/bin/env bash
# bench/run.sh end to end on tiny rosters, without the part programs: it
# writes a results file with its header and a row per scenario, every
# person is done, and no sandbox it started is left running.
source "$GCPROV_SRC/tests/lib/assert.sh"

if ! command -v curl >/dev/null || ! command -v jq >/dev/null; then
    echo "SKIP: curl and jq are needed" >&2
    exit 77
fi
[ -x "$GCPROV_BUILD/baseline" ] || {
    echo "SKIP: the benchmark programs are not built" >&2
    exit 77
}

# has REGEX: the results file has a line matching REGEX.
has() {
    CHECKS=$((CHECKS + 1))
    grep -q -- "$1" "$R" || fail "no line of results.md matches '$1'"
}

R=$T/results.md
run env BENCH_SMALL=3 BENCH_LARGE=5 BENCH_SHARE=4 BENCH_PARTS=no \
    BENCH_OUT="$T/results.md" "$GCPROV_SRC/bench/run.sh" "$GCPROV_BUILD"
expect_status 0
has '^- date: 20[0-9-]* [0-9:]* UTC$'
has "^- machine: $(nproc) CPUs"
has '^- commit: '
# Token, home division, two role names, then four calls a person.
has '^| baseline, 3 joiners | 3 | 16 | 5.333 | 9 | .* | 0 | 3/3 |$'
has '^| baseline, 5 joiners | 5 | 24 | .* | 0 | 5/5 |$'
# One sandbox per scenario, but the no-op run reuses the first apply's.
sandboxes=2
if "$GCPROV_BIN" help apply >/dev/null 2>&1; then
    has '^| gcprov apply, 3 joiners | 3 | .* | 3/3 |$'
    has '^| gcprov apply again (no-op) | 3 | .* | 0 | 3/3 |$'
    # The journal's share: 4 joiners, 7 requests (4 creates, then one
    # grant call per role and one license call).
    has '^| normal | 7 | [0-9]* ms | [0-9]* ms | [0-9]* ms | [0-9.]* % |$'
    has '^| full | 7 | [0-9]* ms | [0-9]* ms | [0-9]* ms | [0-9.]* % |$'
    has "^| #6: journal writes under 5 % of apply's wall time, no rate limit | [0-9.]* % of [0-9]* ms | "
    sandboxes=8
else
    has '^| gcprov apply, 3 joiners (not measured yet'
fi
has '^## Targets$'

# Every sandbox it announced is gone.
urls=$(sed -n 's/^bench: sandbox for .* at //p' "$T/stderr")
expect_eq "sandboxes started" "$sandboxes" "$(echo "$urls" | grep -c .)"
for url in $urls; do
    curl -s -o /dev/null "$url/_sandbox/stats" &&
        fail "the sandbox at $url is still serving"
done

finish

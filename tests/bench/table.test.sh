#!/usr/bin/env bash
# bench/run.sh's table writer (bench/lib/table.sh) and its measuring
# wrapper (bench_rusage): the per-person figures, the lower bound and its
# ratio, rows not measured yet, and the gcprov/baseline ratios.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/bench/lib/table.sh"

ROWS=$T/rows.tsv
bench_row "$ROWS" base "baseline, 1,000 joiners" 1000 4000 3000 3 25.0 0.5 \
    10240 0 1000/1000 ""
bench_row "$ROWS" apply "gcprov apply, 1,000 joiners" 1000 1050 1040 0 5.5 \
    0.25 20480 0 1000/1000 ""
bench_row_missing "$ROWS" noop "gcprov apply again (no-op)" 1000 \
    "not measured yet: no apply"

bench_table "$ROWS" 200 >"$T/table.md"
expect_eq "header columns" 13 \
    "$(head -n 1 "$T/table.md" | tr -cd '|' | wc -c | awk '{ print $1 - 1 }')"
expect_eq "baseline row" \
    "| baseline, 1,000 joiners | 1000 | 4000 | 4.000 | 3000 | 3 | 25.0 | 20.0 | 1.25 | 0.50 | 10.0 | 0 | 1000/1000 |" \
    "$(sed -n 3p "$T/table.md")"
expect_eq "gcprov row" \
    "| gcprov apply, 1,000 joiners | 1000 | 1050 | 1.050 | 1040 | 0 | 5.5 | 5.2 | 1.05 | 0.25 | 20.0 | 0 | 1000/1000 |" \
    "$(sed -n 4p "$T/table.md")"
expect_eq "a row not measured" \
    "| gcprov apply again (no-op) (not measured yet: no apply) | 1000 | - | - | - | - | - | - | - | - | - | - | - |" \
    "$(sed -n 5p "$T/table.md")"

# Ratios are per person, so a baseline run on fewer people compares.
bench_row "$ROWS" base-half "baseline, 500 joiners" 500 2000 1500 0 12.5 \
    0.25 10240 0 500/500 ""
bench_ratios "$ROWS" "apply:base:1,000_joiners" "apply:base-half:half" \
    "noop:base:no-op" >"$T/ratios.md"
expect_eq "ratios" \
    "| 1,000 joiners | 0.263 | 0.220 | 0.500 | 2.000 |" \
    "$(sed -n 3p "$T/ratios.md")"
expect_eq "ratios against a smaller baseline run" \
    "| half | 0.263 | 0.220 | 0.500 | 2.000 |" "$(sed -n 4p "$T/ratios.md")"
expect_eq "ratios of a row not measured" \
    "| no-op | not measured yet ||||" "$(sed -n 5p "$T/ratios.md")"

# The targets of #5: met, missed, and not measured yet.
bench_row "$ROWS" apply-small "gcprov apply" 1000 1050 1040 0 5.5 0.25 \
    20480 0 1000/1000 ""
bench_row "$ROWS" apply-noop "no-op" 1000 60 1 0 1.0 0.1 20480 0 1000/1000 ""
bench_row "$ROWS" apply-large "gcprov apply" 10000 10100 10040 0 60.0 2.0 \
    20480 0 10000/10000 ""
bench_targets "$ROWS" 200 >"$T/targets.md"
expect_eq "calls target met" \
    "| #5: 1,000 joiners, no employee ids: at most 1.05 calls/person | 1.050 calls/person | yes |" \
    "$(sed -n 3p "$T/targets.md")"
expect_eq "a target not measured" \
    "| #5: 1,000 joiners with employee ids: at most 2.05 calls/person | not measured yet | - |" \
    "$(sed -n 4p "$T/targets.md")"
expect_eq "no-op target missed" \
    "| #5: no-op re-apply: no writes, at most 0.05 calls/person | 1 writes, 0.060 calls/person | **no** |" \
    "$(sed -n 5p "$T/targets.md")"
expect_eq "bound target met" "wall/bound 1.05 | yes |" \
    "$(sed -n 6p "$T/targets.md" | sed 's/.*| wall/wall/')"
expect_eq "bound target missed" "wall/bound 1.19 | **no** |" \
    "$(sed -n 8p "$T/targets.md" | sed 's/.*| wall/wall/')"

# The wrapper keeps the command's status and writes its figures.
RUSAGE=$GCPROV_BUILD/bench_rusage
if [ -x "$RUSAGE" ]; then
    run "$RUSAGE" "$T/fig" sh -c 'echo out; exit 3'
    expect_status 3
    expect_stdout_has "out"
    grep -Eq '^wall_s=[0-9.]+ user_s=[0-9.]+ sys_s=[0-9.]+ maxrss_kib=[1-9][0-9]* status=3$' \
        "$T/fig" || fail "bench_rusage wrote '$(cat "$T/fig")'"
    run "$RUSAGE" "$T/fig" "$T/no-such-program"
    expect_status 127
    run "$RUSAGE" "$T/fig"
    expect_status 2
fi

finish

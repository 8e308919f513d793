#!/usr/bin/env bash
# Issue #6: the journal's disk fills up mid-run. gcprov stops with status 5
# and a message naming the journal, and a later run converges.
#
# How the disk is filled: `prlimit --fsize=BYTES` (RLIMIT_FSIZE) caps the
# size of every file gcprov writes, so the journal's write-ahead log hits
# the cap after a few requests and SQLite's write fails with EFBIG, which
# it reports as a disk I/O error (gcprov ignores SIGXFSZ so that the write
# fails instead of the process dying). This works as root, where chmod
# cannot make the journal read-only, and needs no mount: CI runs these
# tests as root on the same kind of machine, where mount may be refused.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/scenarios/lib.sh"
command -v prlimit >/dev/null && command -v jq >/dev/null || {
    echo "SKIP: prlimit and jq are needed"
    exit 77
}

"$SCEN_DIR/gen_roster.sh" 300 "$T/roster.csv" "$T/people.json"
sbx_up --rate-limit 0 --search-lag 0 --fail-rate 0.05
sbx_state >"$T/before.json"
APPLY=(apply --api-url "$SBX_URL" --rate-limit 60000 --journal "$T/j.db")

# A few waves' worth of journal (each commit adds pages to the log).
run prlimit --fsize=250000 "$GCPROV_BIN" "${APPLY[@]}" "$T/roster.csv"
expect_status 5
expect_stderr_has "journal '$T/j.db'"
creates=$(sbx_stats | jq '.routes["POST /api/v2/users"] // 0')
CHECKS=$((CHECKS + 1))
[ "$creates" -gt 0 ] && [ "$creates" -lt 300 ] ||
    fail "the full disk should stop the run midway: $creates creates"

# Room again: the next run reconciles and finishes (faults still on).
for n in 1 2 3 4; do
    run "$GCPROV_BIN" "${APPLY[@]}" "$T/roster.csv"
    [ "$STATUS" -eq 0 ] && break
done
expect_status 0
check_tenant "$T/people.json" "$T/before.json"
check_failures_reported "$T/j.db"
finish

#!/usr/bin/env bash
# Issue #6: `gcprov apply` killed with SIGKILL at ten different moments of
# a 2,000-person run (300 under GCPROV_SANITIZED=1, the ASan pass) against
# a sandbox with faults on and users the roster does not own, then run
# again until it exits 0: one user per person, every role and license
# granted, nothing that existed before removed, every failure recorded.
#
# The moments are counts of requests the sandbox has seen since that run
# began: a few (while reading the tenant), then ever later into the
# writes. Each resumed run reads the tenant again, reconciles the steps
# the kill left open, and goes on. Bounded: the rate limit is off, faults
# (1 % 503s, 1 % lost replies) are seeded and on while apply is killed,
# off for the runs that finish.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/scenarios/lib.sh"
command -v jq >/dev/null || {
    echo "SKIP: jq is needed"
    exit 77
}

people=2000
points="3 40 150 300 500 700 900 1200 1500 1800"
if [ "${GCPROV_SANITIZED:-0}" = 1 ]; then
    people=300
    points="3 20 40 70 100 130 160 190 220 250"
fi
"$SCEN_DIR/gen_roster.sh" "$people" "$T/roster.csv" "$T/people.json"
sbx_up --rate-limit 0 --search-lag 0 --seed "$SCEN_DIR/seeds/extras.json" \
    --fail-rate 0.01 --lost-reply-rate 0.01 --fault-seed 6
sbx_state >"$T/before.json"
ARGS=(--rate-limit 60000 "$T/roster.csv")

kills=0
for point in $points; do
    target=$(($(sbx_requests) + point))
    apply_bg "kill$kills" j "${ARGS[@]}"
    start=$SECONDS
    while kill -0 "$APPLY_PID" 2>/dev/null &&
        [ "$(sbx_requests)" -lt "$target" ]; do
        sleep 0.01
    done
    if kill -KILL "$APPLY_PID" 2>/dev/null; then
        wait "$APPLY_PID" 2>/dev/null
        kills=$((kills + 1))
        echo "killed after $point requests, $((SECONDS - start)) s"
    else
        apply_wait # it finished first: nothing left to kill in this run
    fi
done
expect_eq "apply killed at every point" 10 "$kills"

# The runs that finish the job meet no faults, so that one run suffices.
faults '{"fail-rate": 0, "lost-reply-rate": 0}'

for n in 1 2 3 4 5 6; do
    run "$GCPROV_BIN" apply --api-url "$SBX_URL" --journal "$T/j.db" \
        "${ARGS[@]}"
    [ "$STATUS" -eq 0 ] && break
done
expect_status 0
check_tenant "$T/people.json" "$T/before.json"
check_failures_reported "$T/j.db"
# The killed runs that got as far as recording themselves have no end.
run "$GCPROV_BIN" history --journal "$T/j.db" --json
unended=$(jq '[.runs[] | select(.ended == null)] | length' "$T/stdout")
CHECKS=$((CHECKS + 1))
[ "$unended" -gt 0 ] && [ "$unended" -le "$kills" ] ||
    fail "$unended runs without an end after $kills kills"
finish

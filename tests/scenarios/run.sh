#!/usr/bin/env bash
# run.sh SCENARIO: runs one scenario file of tests/scenarios/cases/ against
# a fresh sandbox and checks the tenant it leaves. docs/scenarios.md
# describes the file's variables; in short:
#   PEOPLE    roster size (gen_roster.sh), 20 by default
#   PEOPLE_SANITIZED  the size under GCPROV_SANITIZED=1 (the ASan pass)
#   SEED      a seed under tests/scenarios/seeds/ (default: the demo org)
#   FILLER    users added to the seed (none by default): a large org
#             makes gcprov look a small roster up person by person
#             (reverse lookup, then search by email) instead of a scan
#   SANDBOX   sandbox knobs; the rate limit is off and search lag 0 unless
#             given here
#   APPLY     extra `gcprov apply` flags (the client's pace is 60000/min
#             unless --rate-limit is given)
#   DURING    shell run while the first apply runs (lib.sh's helpers:
#             wait_requests, faults, restart_sandbox, apply_bg ...)
#   AFTER     knobs (JSON) set before the second and later runs
#   AFTER_N   knobs set before run N instead (AFTER_3='{...}')
#   EXPECT    one status pattern per apply run, e.g. "[01] 0"
#   STDERR1   text the first run's stderr must hold
#   STATS     a jq test the sandbox's stats must pass after the first run
# Then: exactly one user per person, every grant and license, nothing of
# the seed removed (check.jq), and every failure recorded with its answer.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/scenarios/lib.sh"

command -v jq >/dev/null && command -v curl >/dev/null || {
    echo "SKIP: curl and jq are needed"
    exit 77
}

PEOPLE=20 SEED= SANDBOX= APPLY= DURING= AFTER= EXPECT=0 STDERR1= STATS=
PEOPLE_SANITIZED= FILLER=0
# shellcheck source=/dev/null
source "$1"
if [ "${GCPROV_SANITIZED:-0}" = 1 ] && [ -n "$PEOPLE_SANITIZED" ]; then
    PEOPLE=$PEOPLE_SANITIZED
fi
echo "scenario $(basename "$1"): $PEOPLE people, expect '$EXPECT'"

"$SCEN_DIR/gen_roster.sh" "$PEOPLE" "$T/roster.csv" "$T/people.json"
ROSTER=$T/roster.csv
knobs=(--rate-limit 0 --search-lag 0 --state-file "$T/org.json")
seed=${SEED:+$SCEN_DIR/seeds/$SEED}
if [ "$FILLER" -gt 0 ]; then
    jq --argjson n "$FILLER" '.users += [range($n) |
        {name: "Filler \(.)", email: "filler\(.)@org.example"}]' \
        "${seed:-$SCEN_DIR/seeds/extras.json}" >"$T/seed.json"
    seed=$T/seed.json
fi
[ -n "$seed" ] && knobs+=(--seed "$seed")
read -r -a extra <<<"$SANDBOX"
sbx_up "${knobs[@]}" "${extra[@]}"
sbx_state >"$T/before.json"

read -r -a apply_args <<<"$APPLY"
case " $APPLY " in
*" --rate-limit "*) ;;
*) apply_args+=(--rate-limit 60000) ;;
esac

n=0
for want in $EXPECT; do
    n=$((n + 1))
    after_n=AFTER_$n
    if [ "$n" -gt 1 ] && [ -n "${!after_n:-}" ]; then
        faults "${!after_n}"
    elif [ "$n" -gt 1 ] && [ -n "$AFTER" ]; then
        faults "$AFTER"
    fi
    apply_bg "run$n" j "${apply_args[@]}" "$ROSTER"
    main_pid=$APPLY_PID
    [ "$n" -eq 1 ] && [ -n "$DURING" ] && eval "$DURING"
    APPLY_PID=$main_pid
    apply_wait
    LAST_CMD="apply run $n"
    cp "$T/run$n.out" "$T/stdout"
    cp "$T/run$n.err" "$T/stderr"
    CHECKS=$((CHECKS + 1))
    # shellcheck disable=SC2254
    case "$STATUS" in
    $want) ;;
    *)
        fail "apply run $n exited $STATUS, expected $want"
        tail -n 5 "$T/run$n.out" "$T/run$n.err" | sed 's/^/  /' >&2
        ;;
    esac
    if [ "$n" -eq 1 ]; then
        [ -n "$STDERR1" ] && expect_stderr_has "$STDERR1"
        if [ -n "$STATS" ]; then
            CHECKS=$((CHECKS + 1))
            sbx_stats | jq -e "$STATS" >/dev/null ||
                fail "stats fail '$STATS': $(sbx_stats | jq -c .events)"
        fi
    fi
done
[ "$STATUS" -eq 0 ] || fail "the last run did not converge"

check_tenant "$T/people.json" "$T/before.json"
for journal in "$T"/*.db; do
    check_failures_reported "$journal"
done
finish

#!/usr/bin/env bash
# run.sh: `make bench`. Measures, in one run against sandboxes of the same
# build, gcprov beside the naive client (bench/baseline.c), then the parts
# (sandbox, journal, client, roster reader), and writes bench/results.md.
#
#   bench/run.sh [BUILD_DIR]        default: build
#
# docs/bench.md explains what is measured and why these settings. Every
# figure is from this one run: the machine is shared and noisy, so only
# ratios within the run mean anything. The knobs below can be overridden
# from the environment for experiments; results.md records the values used.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
source bench/lib/table.sh

BUILD=${1:-build}
GCPROV=$BUILD/gcprov
OUT=${BENCH_OUT:-bench/results.md}

# The rate-limited rows: the real default, 300 requests a minute per token
# with replies in about 150 ms, 40 times faster: 200 requests a second and
# 4 ms of added latency. The window is 5 s (1,000 requests), not 1.5 s,
# because Retry-After counts whole seconds. See docs/bench.md.
RATE_LIMIT=${BENCH_RATE_LIMIT:-1000}
RATE_WINDOW=${BENCH_RATE_WINDOW:-5}
LATENCY_MS=${BENCH_LATENCY_MS:-4}
SMALL=${BENCH_SMALL:-1000}
LARGE=${BENCH_LARGE:-10000}
# The baseline's large run is cut down when it would take longer than this.
BASELINE_BUDGET_S=${BENCH_BASELINE_BUDGET_S:-300}
ROLES="Agent;Communicate User"
LICENSES="wem"

LIMIT_PER_S=$(awk -v n="$RATE_LIMIT" -v w="$RATE_WINDOW" \
    'BEGIN { printf "%g", n / w }')
KNOBS=(--rate-limit "$RATE_LIMIT" --rate-window "$RATE_WINDOW"
    --latency "$LATENCY_MS")

WORK=$(mktemp -d "${TMPDIR:-/tmp}/gcprov-bench.XXXXXX")
ROWS=$WORK/rows.tsv
PIDS=()
BASE_NOTE=""

# Every sandbox started here is stopped on any exit.
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# commas N: 10000 -> 10,000, for labels.
commas() {
    echo "$1" | sed -E ':a; s/([0-9])([0-9]{3})($|,)/\1,\2\3/; ta'
}

say() {
    echo "bench: $*" >&2
}

need() {
    [ -x "$1" ] || {
        say "'$1' is missing: run 'make build' first"
        exit 1
    }
}

# sandbox_start NAME KNOBS...: starts `gcprov sandbox`; sets URL and SBX.
sandbox_start() {
    local name=$1
    shift
    "$GCPROV" sandbox --listen 127.0.0.1:0 "$@" >"$WORK/$name.sbx.out" \
        2>"$WORK/$name.sbx.err" &
    SBX=$!
    PIDS+=("$SBX")
    URL=""
    for _ in $(seq 200); do
        URL=$(head -n 1 "$WORK/$name.sbx.out" 2>/dev/null)
        if [ -n "$URL" ]; then
            say "sandbox for $name at $URL"
            return 0
        fi
        kill -0 "$SBX" 2>/dev/null || break
        sleep 0.05
    done
    say "the sandbox did not start: $(cat "$WORK/$name.sbx.err")"
    exit 1
}

sandbox_stop() {
    kill -TERM "$SBX" 2>/dev/null && wait "$SBX" 2>/dev/null
}

# stats FILE: the sandbox's counters, the source of truth for calls.
stats() {
    curl -sf "$URL/_sandbox/stats" >"$1"
}

# stats_delta BEFORE AFTER: "calls writes http_429" between two snapshots.
# Writes are the calls that can change the tenant: POST, PUT, PATCH and
# DELETE, but not the token, searches or batch reads.
stats_delta() {
    jq -rn --slurpfile a "$1" --slurpfile b "$2" '
        def calls(s): [s.routes[]] | add // 0;
        def writes(s): [s.routes | to_entries[]
            | select(.key | test("^(POST|PUT|PATCH|DELETE) "))
            | select(.key | test("oauth/token|/search$|"
                + "^POST /api/v2/license/(users|infer)$") | not)
            | .value] | add // 0;
        def t429(s): s.statuses["429"] // 0;
        [calls($b[0]) - calls($a[0]), writes($b[0]) - writes($a[0]),
         t429($b[0]) - t429($a[0])] | map(tostring) | join(" ")'
}

# checked PEOPLE: how many bench people the tenant holds with both roles
# and the license, as "N/PEOPLE" (by the sandbox's own state).
checked() {
    curl -sf "$URL/_sandbox/state" | jq -r --arg people "$1" \
        --arg lic "$LICENSES" '
        [.users[] | select(.email | endswith("@bench.example"))
         | select((.grants | length) >= 2 and any(.licenses[]; . == $lic))]
        | "\(length)/\($people)"'
}

# roster N FILE [ids]: N joiners, each with two roles and one license;
# with "ids", an employee id each too (so gcprov writes external ids).
roster() {
    awk -v n="$1" -v roles="$ROLES" -v lic="$LICENSES" -v ids="${3:-}" '
    BEGIN {
        print (ids ? "employee_id," : "") "name,email,roles,licenses"
        for (i = 1; i <= n; i++)
            printf "%sBench Person %d,person%06d@bench.example,%s,%s\n",
                (ids ? sprintf("B%06d,", i) : ""), i, i, roles, lic
    }' >"$2"
}

# measure ID LABEL PEOPLE CMD...: runs CMD under bench_rusage against the
# sandbox at URL and appends its row.
measure() {
    local id=$1 label=$2 people=$3
    shift 3
    local before=$WORK/$id.before after=$WORK/$id.after fig=$WORK/$id.fig
    local calls writes t429 wall user sys rss status cpu
    stats "$before"
    say "$label ..."
    "$BUILD/bench_rusage" "$fig" "$@" >"$WORK/$id.out" 2>"$WORK/$id.err"
    stats "$after"
    read -r calls writes t429 < <(stats_delta "$before" "$after")
    read -r wall user sys rss status < <(sed -E 's/[a-z_]+=//g' "$fig")
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }')
    bench_row "$ROWS" "$id" "$label" "$people" "$calls" "$writes" "$t429" \
        "$wall" "$cpu" "$rss" "$status" "$(checked "$people")" ""
    say "$label: $calls calls, $t429 429s, $wall s, status $status"
    [ "$status" = 0 ] || sed 's/^/  /' "$WORK/$id.err" | tail -n 5 >&2
}

# baseline_people: the baseline's large run, cut to fit the time budget
# from the small run's time per person; a multiple of 1,000.
baseline_people() {
    awk -F '\t' -v large="$LARGE" -v budget="$BASELINE_BUDGET_S" '
        $1 == "base-small" && $7 != "-" {
            n = int(budget / ($7 / $3) / 1000) * 1000
            print (n >= large ? large : (n < 1000 ? 1000 : n))
        }' "$ROWS"
}

run_baseline() {
    local n
    sandbox_start base-small "${KNOBS[@]}"
    roster "$SMALL" "$WORK/small.csv"
    measure base-small "baseline, $(commas "$SMALL") joiners" "$SMALL" \
        "$BUILD/baseline" "$URL" "$WORK/small.csv"
    sandbox_stop
    n=$(baseline_people)
    n=${n:-$LARGE}
    if [ "$n" -lt "$LARGE" ]; then
        BASE_NOTE="run on $(commas "$n") joiners instead of"
        BASE_NOTE+=" $(commas "$LARGE"), to fit a ${BASELINE_BUDGET_S} s"
        BASE_NOTE+=" budget; the per-person figures compare"
    fi
    sandbox_start base-large "${KNOBS[@]}"
    roster "$n" "$WORK/base-large.csv"
    measure base-large "baseline, $(commas "$n") joiners" "$n" \
        "$BUILD/baseline" "$URL" "$WORK/base-large.csv"
    sandbox_stop
}

# apply_argv ROSTER JOURNAL: sets APPLY to the command measured (demo
# client, the secret from an owner-only file, the rate limit read from the
# tenant like in production).
apply_argv() {
    APPLY=("$GCPROV" apply --api-url "$URL" --client-id gcprov-demo
        --client-secret-file "$WORK/secret" --journal "$2" "$1")
}

run_gcprov() {
    local small large ids noop="gcprov apply again (no-op)"
    local why="not measured yet: this build has no 'gcprov apply'"

    small="gcprov apply, $(commas "$SMALL") joiners"
    large="gcprov apply, $(commas "$LARGE") joiners"
    ids="$small with employee ids"
    if ! "$GCPROV" help apply >/dev/null 2>&1; then
        bench_row_missing "$ROWS" apply-small "$small" "$SMALL" "$why"
        bench_row_missing "$ROWS" apply-noop "$noop" "$SMALL" "$why"
        bench_row_missing "$ROWS" apply-full "$small, --journal-sync full" \
            "$SMALL" "$why"
        bench_row_missing "$ROWS" apply-ids "$ids" "$SMALL" "$why"
        bench_row_missing "$ROWS" apply-large "$large" "$LARGE" "$why"
        return
    fi
    (umask 077 && printf '%s' gcprov-demo-secret >"$WORK/secret")
    roster "$SMALL" "$WORK/small.csv"
    roster "$SMALL" "$WORK/ids.csv" ids
    roster "$LARGE" "$WORK/large.csv"

    sandbox_start apply-small "${KNOBS[@]}"
    apply_argv "$WORK/small.csv" "$WORK/small.db"
    measure apply-small "$small" "$SMALL" "${APPLY[@]}"
    # A second run comes later in practice: let the search lag pass.
    sleep 3
    measure apply-noop "$noop" "$SMALL" "${APPLY[@]}"
    sandbox_stop

    # The journal's sync level is gcprov's own cost: the same run with
    # synchronous=FULL (a sync per commit) shows what durability across a
    # power loss would cost.
    sandbox_start apply-full "${KNOBS[@]}"
    apply_argv "$WORK/small.csv" "$WORK/full.db"
    measure apply-full "$small, --journal-sync full" "$SMALL" \
        "${APPLY[@]}" --journal-sync full
    sandbox_stop

    sandbox_start apply-ids "${KNOBS[@]}"
    apply_argv "$WORK/ids.csv" "$WORK/ids.db"
    measure apply-ids "$ids" "$SMALL" "${APPLY[@]}"
    sandbox_stop

    sandbox_start apply-large "${KNOBS[@]}"
    apply_argv "$WORK/large.csv" "$WORK/large.db"
    measure apply-large "$large" "$LARGE" "${APPLY[@]}"
    sandbox_stop
}

# The journal's share of apply's wall time (issue #6): SHARE joiners
# against a sandbox with no rate limit and no added latency, gcprov
# pacing at 600,000 a minute (the org reports no limit, so the client
# would fall back to 300), the figures from apply's own --json. One row
# per sync level.
SHARE=${BENCH_SHARE:-2000}
journal_share_row() {
    local sync=$1 out=$WORK/share-$1.json
    sandbox_start "share-$sync" --rate-limit 0
    apply_argv "$WORK/share.csv" "$WORK/share-$sync.db"
    "${APPLY[@]}" --rate-limit 600000 --journal-sync "$sync" --json \
        >"$out" 2>"$WORK/share-$sync.err"
    sandbox_stop
    jq -r --arg sync "$sync" '.applied | "| \($sync) | \(.requests) | "
        + "\(.seconds * 1000 | round) ms | "
        + "\(.journalSeconds * 1000 | round) ms | "
        + "\(.journalWaitSeconds * 1000 | round) ms | "
        + "\(.journalWaitSeconds / .seconds * 1000 | round / 10) % |"' \
        "$out" 2>/dev/null || echo "| $sync | apply failed: see below |"
}

run_journal_share() {
    if ! "$GCPROV" help apply >/dev/null 2>&1; then
        echo "not measured yet: this build has no 'gcprov apply'"
        return
    fi
    roster "$SHARE" "$WORK/share.csv"
    say "journal share, $(commas "$SHARE") joiners ..."
    echo "| sync | requests | apply | journal writes | not overlapped |" \
        "share of apply |"
    echo "|---|---|---|---|---|---|"
    journal_share_row normal
    journal_share_row full
}

# The parts, each a program of bench/; a missing one is said so.
part() {
    local name=$1
    shift
    if [ -n "${PART_SKIP:-}" ]; then
        echo "not run: BENCH_PARTS=no"
        return
    fi
    if [ ! -x "$BUILD/$name" ]; then
        echo "not measured yet: this build has no $name"
        return
    fi
    say "$name ..."
    # Standard error only when it failed: the sandboxes' chatter is noise.
    if ! "$BUILD/$name" "$@" 2>"$WORK/$name.err"; then
        echo "($name failed; the end of its standard error follows)"
        tail -n 5 "$WORK/$name.err"
    fi
}

# client_table FILE: bench_client's JSON lines as a table, or the text as
# it is when it is not JSON.
client_table() {
    jq -rs '
        "| scenario | calls | seconds | achieved/min | limit/min " +
        "| achieved/limit | 429 share | retries |",
        "|---|--:|--:|--:|--:|--:|--:|--:|",
        (.[] | "| \(.scenario) | \(.calls) | \(.seconds) | \(.per_minute) " +
         "| \(.limit) | \(.share_of_limit) | \(.share_429) | \(.retries) |")
    ' "$1" 2>/dev/null || { echo '```'; cat "$1"; echo '```'; }
}

# headroom FILE: how far bench_sandbox's rate is above the limit used.
headroom() {
    local rps
    rps=$(sed -nE 's|.* ([0-9.]+) requests/s.*|\1|p' "$1" | head -n 1)
    [ -n "$rps" ] || return 0
    awk -v r="$rps" -v l="$LIMIT_PER_S" 'BEGIN {
        printf "\nThat is %.0f times the %s requests/s of the rate-limited " \
               "rows,\nso those rows measure the clients, not the sandbox.\n",
               r / l, l
    }'
}

# client_target FILE: the target of #3, from bench_client's rate-limited
# scenario, as one more row of the targets table.
client_target() {
    local t="#3: achieved rate at least 90 % of the limit, under 1 % 429s"
    jq -rs --arg t "$t" '
        [.[] | select(.scenario | startswith("rate limit"))][0]
        | "| \($t) | achieved/limit \(.share_of_limit), 429 share " +
          "\(.share_429) | " +
          (if .share_of_limit >= 0.9 and .share_429 < 0.01
           then "yes" else "**no**" end) + " |"
    ' "$1" 2>/dev/null || echo "| $t | not measured yet | - |"
}

# journal_target: issue #6's target row, from the default sync's run.
journal_target() {
    local t="#6: journal writes under 5 % of apply's wall time, no rate limit"
    jq -r --arg t "$t" '.applied
        | (.journalWaitSeconds / .seconds * 100) as $share
        | "| \($t) | \($share * 10 | round / 10) % of "
          + "\(.seconds * 1000 | round) ms | "
          + (if $share < 5 then "yes" else "**no**" end) + " |"
    ' "$WORK/share-normal.json" 2>/dev/null ||
        echo "| $t | not measured yet | - |"
}

header() {
    local commit dirty="" cpu mem
    commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
    cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
    mem=$(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)
    git diff --quiet HEAD 2>/dev/null || dirty=" (with uncommitted changes)"
    cat <<EOF
# gcprov benchmark results

Written by \`make bench\` (bench/run.sh); docs/bench.md explains the method.
All figures come from this one run. The machine is shared, so compare
ratios within the run, never figures across runs.

- date: $(date -u '+%Y-%m-%d %H:%M UTC')
- machine: $(nproc) CPUs ($cpu), $mem of memory; load average at the
  start: $LOAD_START
- commit: $commit$dirty
- rate-limited rows: sandbox
  \`--rate-limit $RATE_LIMIT --rate-window $RATE_WINDOW --latency $LATENCY_MS\`,
  that is $LIMIT_PER_S requests/s per token (the real 300/min and about
  150 ms per reply, 40 times faster)
- roster: \`name,email,roles,licenses\`, each joiner with the roles
  \`$ROLES\` and the license \`$LICENSES\`
EOF
}

write_results() {
    local tmp=$WORK/results.md
    {
        header
        echo
        echo "## Provisioning joiners"
        echo
        echo "Calls and 429s are the sandbox's own counts"
        echo "(\`GET /_sandbox/stats\`), token and setup included. The lower"
        echo "bound is calls / $LIMIT_PER_S per s. CPU is user + system"
        echo "time of the client process; peak is its maximum resident set."
        echo "The tenant check counts the people holding both roles and the"
        echo "license afterwards."
        echo
        bench_table "$ROWS" "$LIMIT_PER_S"
        [ -n "$BASE_NOTE" ] && printf '\nBaseline, large run: %s.\n' \
            "$BASE_NOTE"
        echo
        bench_ratios "$ROWS" \
            "apply-small:base-small:$(commas "$SMALL")_joiners" \
            "apply-large:base-large:$(commas "$LARGE")_joiners"
        echo
        echo "## Targets"
        echo
        echo "What issues #5, #3 and #6 ask for, checked against the figures"
        echo "above and below."
        echo
        bench_targets "$ROWS" "$LIMIT_PER_S"
        client_target "$WORK/client.txt"
        journal_target
        echo
        echo "## The parts"
        echo
        echo "### Sandbox throughput (no rate limit)"
        echo
        echo '```'
        cat "$WORK/sandbox.txt"
        echo '```'
        headroom "$WORK/sandbox.txt"
        echo
        echo "### Client: achieved rate and 429 share"
        echo
        client_table "$WORK/client.txt"
        echo
        echo "### Roster: reading and validating 100,000 rows"
        echo
        echo '```'
        cat "$WORK/roster.txt"
        echo '```'
        echo
        echo "### Journal: share of apply's wall time (no rate limit)"
        echo
        echo "$(commas "$SHARE") joiners, each with two roles and a license,"
        echo "against a sandbox with no rate limit and no added latency."
        echo "\"Journal writes\" is the time spent in the journal;"
        echo "\"not overlapped\" the part of it no request in flight hid,"
        echo "which is what it added to apply's time (docs/journal.md)."
        echo
        cat "$WORK/share.txt"
        echo
        echo "### Journal: cost per request"
        echo
        echo '```'
        cat "$WORK/journal.txt"
        echo '```'
        echo
        printf 'The whole run took %d s; load average at the end: %s.\n' \
            "$SECONDS" "$(cut -d ' ' -f 1-3 /proc/loadavg)"
    } >"$tmp" && cp "$tmp" "$OUT"
}

main() {
    need "$GCPROV"
    need "$BUILD/baseline"
    need "$BUILD/bench_rusage"
    if ! command -v jq >/dev/null || ! command -v curl >/dev/null; then
        say "curl and jq are needed: run 'make deps'"
        exit 1
    fi
    LOAD_START=$(cut -d ' ' -f 1-3 /proc/loadavg)
    : >"$ROWS"
    run_baseline
    run_gcprov
    [ "${BENCH_PARTS:-yes}" = no ] && PART_SKIP=1
    part bench_sandbox >"$WORK/sandbox.txt"
    part bench_client "$GCPROV" >"$WORK/client.txt"
    part bench_roster >"$WORK/roster.txt"
    run_journal_share >"$WORK/share.txt"
    mkdir -p "$BUILD/bench-journal"
    part bench_journal 2000 "$BUILD/bench-journal" >"$WORK/journal.txt"
    rmdir "$BUILD/bench-journal" 2>/dev/null
    write_results
    say "wrote $OUT in $SECONDS s"
}

main

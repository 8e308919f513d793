# shellcheck shell=bash
# table.sh: the table writer of bench/run.sh, sourced by it and by
# tests/bench/table.test.sh. A scenario's figures are kept as one line of
# a tab-separated file, then turned into Markdown tables here, so the
# arithmetic (per person, lower bound, ratios) lives in one place.
#
# Columns of the rows file, in order:
#   id label people calls writes http_429 wall_s cpu_s maxrss_kib status
#   checked note
# A field that was not measured is "-". `checked` is what the tenant's state
# showed afterwards, e.g. "1000/1000".

# bench_row FILE ID LABEL PEOPLE CALLS WRITES HTTP_429 WALL_S CPU_S
#           MAXRSS_KIB STATUS CHECKED NOTE: appends one scenario.
bench_row() {
    local file=$1
    shift
    local IFS=$'\t'
    printf '%s\n' "$*" >>"$file"
}

# bench_row_missing FILE ID LABEL PEOPLE NOTE: a scenario not measured.
bench_row_missing() {
    bench_row "$1" "$2" "$3" "$4" - - - - - - - - "$5"
}

# bench_table FILE LIMIT_PER_S: the scenarios table on stdout. The lower
# bound is the calls divided by the rate limit (calls per second).
bench_table() {
    awk -F '\t' -v limit="$2" '
    BEGIN {
        print "| scenario | people | API calls | calls/person | writes " \
              "| 429s | wall s | lower bound s | wall/bound | CPU s " \
              "| peak MiB | exit | tenant check |"
        print "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"
    }
    function num(x) { return x != "-" && x != "" }
    {
        if (!num($4)) {
            printf "| %s (%s) | %s |", $2, $12, $3
            for (i = 0; i < 11; i++)
                printf " - |"
            printf "\n"
            next
        }
        bound = $4 / limit
        ratio = num($7) && bound > 0 ? sprintf("%.2f", $7 / bound) : "-"
        printf "| %s | %s | %d | %.3f | %s | %s | %.1f | %.1f | %s " \
               "| %.2f | %.1f | %s | %s |\n", \
               $2 ($12 != "" ? " (" $12 ")" : ""), $3, $4, $4 / $3, $5, \
               $6, $7, bound, ratio, $8, $9 / 1024, $10, $11
    }' "$1"
}

# bench_ratios FILE PAIR...: the gcprov/baseline table, one line per
# "GCPROV_ID:BASELINE_ID:LABEL" (underscores in LABEL become spaces).
# Figures are per person, so a baseline run on fewer people still compares.
bench_ratios() {
    local file=$1
    shift
    awk -F '\t' -v pairs="$*" '
    function num(x) { return x != "-" && x != "" }
    { for (i = 1; i <= NF; i++) row[$1, i] = $i; seen[$1] = 1 }
    END {
        print "| gcprov / baseline | calls/person | wall/person " \
              "| CPU/person | peak memory |"
        print "|---|--:|--:|--:|--:|"
        n = split(pairs, list, " ")
        for (k = 1; k <= n; k++) {
            split(list[k], p, ":")
            g = p[1]; b = p[2]; label = p[3]
            gsub(/_/, " ", label)
            if (!seen[g] || !seen[b] || !num(row[g, 4]) || !num(row[b, 4])) {
                printf "| %s | not measured yet ||||\n", label
                continue
            }
            gp = row[g, 3]; bp = row[b, 3]
            printf "| %s | %.3f | %.3f | %.3f | %.3f |\n", label, \
                   (row[g, 4] / gp) / (row[b, 4] / bp), \
                   (row[g, 7] / gp) / (row[b, 7] / bp), \
                   (row[g, 8] / gp) / (row[b, 8] / bp), \
                   row[g, 9] / row[b, 9]
        }
    }' "$file"
}

# bench_targets FILE LIMIT_PER_S: the targets of issue #5 checked against
# the rows apply-small, apply-ids, apply-noop and apply-large, as a table
# "target | measured | met" (more rows may follow it).
bench_targets() {
    awk -F '\t' -v limit="$2" '
    function num(x) { return x != "-" && x != "" }
    function line(target, measured, ok) {
        printf "| %s | %s | %s |\n", target, measured, ok ? "yes" : "**no**"
    }
    function absent(target) {
        printf "| %s | not measured yet | - |\n", target
    }
    # calls_target ID TARGET MAX: calls per person at most MAX.
    function calls_target(id, target, max,   cpp) {
        if (!num(c[id])) return absent(target)
        cpp = c[id] / p[id]
        line(target, sprintf("%.3f calls/person", cpp), cpp <= max)
    }
    function bound_target(id, target,   r) {
        if (!num(c[id]) || !num(w[id])) return absent(target)
        r = w[id] / (c[id] / limit)
        line(target, sprintf("wall/bound %.2f", r), r <= 1.15)
    }
    { p[$1] = $3; c[$1] = $4; wr[$1] = $5; w[$1] = $7 }
    END {
        print "| target | measured | met |"
        print "|---|---|---|"
        calls_target("apply-small", "#5: 1,000 joiners, no employee ids: " \
                     "at most 1.05 calls/person", 1.05)
        calls_target("apply-ids", "#5: 1,000 joiners with employee ids: " \
                     "at most 2.05 calls/person", 2.05)
        t = "#5: no-op re-apply: no writes, at most 0.05 calls/person"
        if (!num(c["apply-noop"]))
            absent(t)
        else
            line(t, sprintf("%d writes, %.3f calls/person", wr["apply-noop"],
                            c["apply-noop"] / p["apply-noop"]),
                 wr["apply-noop"] == 0 && \
                 c["apply-noop"] / p["apply-noop"] <= 0.05)
        bound_target("apply-small", "#5: wall time within 15 % of calls / " \
                     "limit (1,000 joiners)")
        bound_target("apply-ids", "#5: the same, with employee ids")
        bound_target("apply-large", "#5: the same, 10,000 joiners")
    }' "$1"
}

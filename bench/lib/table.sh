# table.sh: the table writer of bench/run.sh, sourced by it and by
# tests/bench/table.test.sh. A scenario's figures are kept as one line of
# a tab-separated file, then turned into Markdown tables here, so the
# arithmetic (per person, lower bound, ratios) lives in one place.
#
# Columns of the rows file, in order:
#   id label people calls http_429 wall_s cpu_s maxrss_kib status checked note
# A field that was not measured is "-". `checked` is what the tenant's state
# showed afterwards, e.g. "1000/1000".

# bench_row FILE ID LABEL PEOPLE CALLS HTTP_429 WALL_S CPU_S MAXRSS_KIB
#           STATUS CHECKED NOTE: appends one measured scenario.
bench_row() {
    local file=$1
    shift
    local IFS=$'\t'
    printf '%s\n' "$*" >>"$file"
}

# bench_row_missing FILE ID LABEL PEOPLE NOTE: a scenario not measured.
bench_row_missing() {
    bench_row "$1" "$2" "$3" "$4" - - - - - - - "$5"
}

# bench_table FILE LIMIT_PER_S: the scenarios table on stdout. The lower
# bound is the calls divided by the rate limit (calls per second).
bench_table() {
    awk -F '\t' -v limit="$2" '
    BEGIN {
        print "| scenario | people | API calls | calls/person | 429s " \
              "| wall s | lower bound s | wall/bound | CPU s | peak MiB " \
              "| exit | tenant check |"
        print "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|"
    }
    function num(x) { return x != "-" && x != "" }
    {
        if (!num($4)) {
            printf "| %s (%s) | %s | - | - | - | - | - | - | - | - | - | - |\n", \
                   $2, $11, $3
            next
        }
        bound = $4 / limit
        ratio = num($6) && bound > 0 ? sprintf("%.2f", $6 / bound) : "-"
        printf "| %s | %s | %d | %.3f | %s | %.1f | %.1f | %s | %.2f " \
               "| %.1f | %s | %s |\n", \
               $2 ($11 != "" ? " (" $11 ")" : ""), $3, $4, $4 / $3, $5, \
               $6, bound, ratio, $7, $8 / 1024, $9, $10
    }' "$1"
}

# bench_ratios FILE: the gcprov/baseline table for the pairs given as
# "GCPROV_ID:BASELINE_ID:LABEL" arguments after FILE. Figures are per
# person, so a baseline run on fewer people still compares.
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
                   (row[g, 6] / gp) / (row[b, 6] / bp), \
                   (row[g, 7] / gp) / (row[b, 7] / bp), \
                   row[g, 8] / row[b, 8]
        }
    }' "$file"
}

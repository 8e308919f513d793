#!/usr/bin/env bash
# The benchmark's naive client (bench/baseline.c) against the sandbox on a
# tiny roster: it does its four calls per person, resolves role names once,
# waits out 429s, and its own counts agree with the sandbox's. Not timed.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/sandbox/lib.sh"

BASELINE=$GCPROV_BUILD/baseline
[ -x "$BASELINE" ] || {
    echo "SKIP: $BASELINE is not built" >&2
    exit 77
}

cat >"$T/roster.csv" <<'CSV'
name,email,roles,licenses
Ana Silva,ana@bench.example,Agent;Communicate User,wem
Li Wei,li.wei@bench.example,Agent;Communicate User,wem
Sam Roe,sam@bench.example,Agent,
CSV

# stat JQ: a figure from the sandbox's counters.
stat() {
    curl -s "$URL/_sandbox/stats" | jq -r "$1"
}

# figure NAME: a key=value figure from the baseline's line.
figure() {
    sed -E -n "s/.* $1=([^ ]+).*/\1/p" "$T/stdout"
}

# Four calls per person, setup once: token, home division, two role names.
sbx_start --rate-limit 0
run "$BASELINE" "$URL" "$T/roster.csv"
expect_status 0
expect_stdout_has "baseline: people=3 done=3 "
expect_eq "failures" 0 "$(figure failures)"
expect_eq "POST users" 3 "$(stat '.routes["POST /api/v2/users"]')"
expect_eq "GET user" 3 "$(stat '.routes["GET /api/v2/users/{userId}"]')"
expect_eq "bulkadd" 3 \
    "$(stat '.routes["POST /api/v2/authorization/subjects/{subjectId}/bulkadd"]')"
expect_eq "license calls (Sam has none)" 2 \
    "$(stat '.routes["POST /api/v2/license/organization"]')"
expect_eq "role lookups, once per name" 2 \
    "$(stat '.routes["GET /api/v2/authorization/roles"]')"
expect_eq "tokens" 1 "$(stat .tokensIssued)"
expect_eq "calls counted by the client and the sandbox" \
    "$(stat '[.routes[]] | add')" "$(figure calls)"
expect_eq "what the tenant holds" "Agent,Communicate User wem|Agent,Communicate User wem|Agent " \
    "$(curl -s "$URL/_sandbox/state" | jq -r '
        (.roles | map({(.id): .name}) | add) as $names
        | [.users[] | select(.email | endswith("@bench.example"))
           | "\([.grants[].roleId | $names[.]] | sort | join(",")) \(.licenses | join(","))"]
        | join("|")')"

# Past the rate limit it waits for Retry-After and still does everyone.
sbx_stop
sbx_start --rate-limit 6 --rate-window 1
run "$BASELINE" "$URL" "$T/roster.csv"
expect_status 0
expect_stdout_has "done=3 "
expect_eq "429s seen by the client and sent by the sandbox" \
    "$(stat '.statuses["429"]')" "$(figure http_429)"
[ "$(figure http_429)" -gt 0 ] || fail "no 429 was met at 6 requests/s"

# An unknown role fails that person only; a file that is no roster is usage.
printf 'name,email,roles,licenses\nX Y,x@bench.example,Agnet,\n' \
    >"$T/bad-role.csv"
run "$BASELINE" "$URL" "$T/bad-role.csv"
expect_status 1
expect_stdout_has "people=1 done=0 "
expect_stderr_has "no role named 'Agnet'"

printf 'who,where\na,b\n' >"$T/not-roster.csv"
run "$BASELINE" "$URL" "$T/not-roster.csv"
expect_status 2
run "$BASELINE" "$URL"
expect_status 2

finish

#!/usr/bin/env bash
# Every command's --json document (docs/json.md): it parses, it is the
# only thing on standard output, and its top-level keys are exactly the
# documented ones. The keys are read from docs/json.md's tables, so the
# document and the code cannot drift apart.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"

start_sandbox --rate-limit 0 --search-lag 0
unset GCPROV_PROFILE GENESYSCLOUD_REGION
export XDG_CONFIG_HOME="$T/config" XDG_STATE_HOME="$T/state"
export GENESYSCLOUD_OAUTHCLIENT_ID=gcprov-demo
export GENESYSCLOUD_OAUTHCLIENT_SECRET=gcprov-demo-secret
CONN=(--api-url "$SBX_URL" --rate-limit 60000)
ROSTER="$GCPROV_SRC/examples/roster.csv"
DOC="$GCPROV_SRC/docs/json.md"

# documented_keys CMD: the sorted top-level keys docs/json.md lists in the
# tables under "## `gcprov CMD --json...`" (apply adds to plan's).
documented_keys() {
    awk -F'|' -v cmd="$1" '
        /^## / { on = index($0, "`gcprov " cmd " ") > 0 }
        on && /^\| `/ {
            n = split($2, names, ",")
            for (i = 1; i <= n; i++) {
                k = names[i]; gsub(/[ `]/, "", k)
                if (k != "") print k
            }
        }' "$DOC" | sort -u
}

# expect_keys CMD [EXTRA_DOC_CMD]: stdout parses and has CMD's keys.
expect_keys() {
    local want got
    want=$( (documented_keys "$1"; [ -n "${2:-}" ] && documented_keys "$2") |
        sort -u | paste -sd, -)
    CHECKS=$((CHECKS + 1))
    if ! got=$(jq -r 'keys[]' "$T/stdout" 2>/dev/null | sort |
        paste -sd, -); then
        fail "'$1 --json' did not print one JSON document"
        return
    fi
    expect_eq "documented keys of '$1 --json'" "$want" "$got"
    expect_eq "'$1' documented" true "$([ -n "$want" ] && echo true)"
}

run "$GCPROV_BIN" plan "${CONN[@]}" --json "$ROSTER"
expect_status 0
expect_keys plan

run "$GCPROV_BIN" apply "${CONN[@]}" --json --journal "$T/j.db" \
    --seats cloudCX3=8 "$ROSTER"
expect_status 4
expect_keys apply plan
expect_eq "applied counts" true \
    "$(jq '.applied | (.requests > 0) and (.failed == 0)' "$T/stdout")"

run "$GCPROV_BIN" validate --json "$ROSTER"
expect_status 0
expect_keys validate

for cmd in status history report; do
    run "$GCPROV_BIN" "$cmd" --json --journal "$T/j.db"
    expect_status 0
    expect_keys "$cmd"
done
expect_eq "report's steps" done \
    "$(jq -r '.people[0].steps[0].state' "$T/stdout")"

run "$GCPROV_BIN" check "${CONN[@]}" --json
expect_status 0
expect_keys check

run "$GCPROV_BIN" config --json
expect_status 0
expect_keys config
expect_stdout_lacks "gcprov-demo-secret"

run "$GCPROV_BIN" roles "${CONN[@]}" --json
expect_status 0
expect_keys roles

run "$GCPROV_BIN" licenses "${CONN[@]}" --json
expect_status 0
expect_keys licenses

run "$GCPROV_BIN" version --json
expect_status 0
expect_keys version

finish

#!/usr/bin/env bash
# Every exit status of docs/exit-codes.md, each from a real situation
# against the sandbox; and --log-format json writing one JSON object per
# line of standard error.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"

cat >"$T/seed.json" <<'JSON'
{"divisions": [{"id": "d-home", "name": "Home", "home": true}],
 "licenses": [{"id": "cx3"}],
 "roles": [{"id": "r-agent", "name": "Agent", "baseLicense": "cx3"},
           {"id": "r-emp", "name": "Employee"}],
 "clients": [{"id": "ci", "secret": "ci-secret"}],
 "users": []}
JSON
# The sandbox refuses cx3 past two users: a per-change license failure.
start_sandbox --seed "$T/seed.json" --rate-limit 0 --search-lag 0 \
    --seats cx3=2

unset GCPROV_PROFILE GENESYSCLOUD_REGION
export XDG_CONFIG_HOME="$T/config" XDG_STATE_HOME="$T/state"
export GENESYSCLOUD_OAUTHCLIENT_ID=ci GENESYSCLOUD_OAUTHCLIENT_SECRET=ci-secret
CONN=(--api-url "$SBX_URL" --rate-limit 60000)

cat >"$T/two.csv" <<'CSV'
employee_id,name,email,roles
E1,Ann Lee,ann@example.com,Employee
E2,Bo Ek,bo@example.com,Employee
CSV
cat >"$T/agents.csv" <<'CSV'
employee_id,name,email,roles,licenses
E1,Ann Lee,ann@example.com,Employee,cx3
E2,Bo Ek,bo@example.com,Employee,cx3
E3,Cy Do,cy@example.com,Employee,cx3
CSV

# 0: converged.
run "$GCPROV_BIN" apply "${CONN[@]}" --journal "$T/j.db" "$T/two.csv"
expect_status 0
run "$GCPROV_BIN" version
expect_status 0

# 4: gcprov's own budget holds one of three back.
run "$GCPROV_BIN" apply "${CONN[@]}" --journal "$T/j.db" --seats cx3=2 \
    "$T/agents.csv"
expect_status 4
expect_stdout_has "1 held back"

# 1: without the budget, the sandbox refuses the third cx3 seat; the
# others were done.
cat >"$T/four.csv" <<'CSV'
employee_id,name,email,roles,licenses
E1,Ann Lee,ann@example.com,Employee,cx3
E2,Bo Ek,bo@example.com,Employee,cx3
E3,Cy Do,cy@example.com,Employee,cx3
E4,Di Fu,di@example.com,Employee,cx3
CSV
run "$GCPROV_BIN" apply "${CONN[@]}" --journal "$T/j.db" "$T/four.csv"
expect_status 1
expect_stdout_has "2 failed"

# 2: a usage error, and an invalid roster, with nothing sent.
run "$GCPROV_BIN" apply --no-such-option "$T/two.csv"
expect_status 2
expect_stderr_has "try 'gcprov apply --help'"
run "$GCPROV_BIN" plan "${CONN[@]}"
expect_status 2
printf 'employee_id,name,email\nE9,No Mail,not-an-address\n' >"$T/bad.csv"
run "$GCPROV_BIN" apply "${CONN[@]}" --journal "$T/j.db" "$T/bad.csv"
expect_status 2
expect_stderr_has "bad.csv:2:"

# 3: a wrong secret.
run env GENESYSCLOUD_OAUTHCLIENT_SECRET=wrong "$GCPROV_BIN" plan \
    "${CONN[@]}" "$T/two.csv"
expect_status 3
run env GENESYSCLOUD_OAUTHCLIENT_SECRET=wrong "$GCPROV_BIN" check \
    "${CONN[@]}"
expect_status 3

# 5: a journal that cannot be made (its folder is a file), and output to
# a full disk.
: >"$T/not-a-folder"
run "$GCPROV_BIN" apply "${CONN[@]}" --journal "$T/not-a-folder/j.db" \
    "$T/two.csv"
expect_status 5
if [ -w /dev/full ]; then
    "$GCPROV_BIN" version >/dev/full 2>"$T/stderr"
    STATUS=$?
    LAST_CMD="gcprov version >/dev/full"
    expect_status 5
    expect_stderr_has "could not write standard output"
    "$GCPROV_BIN" plan "${CONN[@]}" "$T/two.csv" >/dev/full 2>"$T/stderr"
    STATUS=$?
    LAST_CMD="gcprov plan >/dev/full"
    expect_status 5
fi

# --log-format json: every line of stderr is one JSON object with a time,
# a level and a message, errors and roster diagnostics included.
run "$GCPROV_BIN" apply "${CONN[@]}" --journal "$T/j.db" -v \
    --log-format json "$T/bad.csv"
expect_status 2
expect_json_lines() {
    local n=0 line
    while IFS= read -r line; do
        n=$((n + 1))
        CHECKS=$((CHECKS + 1))
        printf '%s' "$line" |
            jq -e 'type == "object" and (.time | type == "string") and
                   (.level | type == "string") and
                   (.message | type == "string")' >/dev/null 2>&1 ||
            fail "stderr line $n is not a log object: $line"
    done <"$T/stderr"
    expect_eq "some log lines" true "$([ "$n" -gt 0 ] && echo true)"
}
expect_json_lines
expect_stderr_has '"level":"error"'
run "$GCPROV_BIN" plan "${CONN[@]}" -v --log-format json "$T/two.csv"
expect_status 0
expect_json_lines

finish

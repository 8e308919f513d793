#!/usr/bin/env bash
# A roster naming a role, division or license the org does not have is
# refused before any write (exit 2, each person named with file:line and a
# suggestion), unless --skip-invalid provisions the others.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/sandbox/lib.sh"

sbx_start --search-lag 0 --rate-limit 0
printf 'gcprov-demo-secret\n' >"$T/secret"
chmod 600 "$T/secret"
conn=(--api-url "$URL" --client-id gcprov-demo
    --client-secret-file "$T/secret" --rate-limit 60000)
cat >"$T/roster.csv" <<'CSV'
employee_id,name,email,roles,licenses
N1,Ann One,ann.one@example.com,Agent,cloudCX3
N2,Bob Two,bob.two@example.com,Agnet,cloudCX3
N3,Cy Three,cy.three@example.com,Agent,cloudCX9
CSV

creates() {
    curl -s "$URL/_sandbox/stats" |
        jq '.routes["POST /api/v2/users"] // 0'
}

run "$GCPROV_BIN" plan "${conn[@]}" "$T/roster.csv"
expect_status 2
expect_stderr_has "roster.csv:3: person 'N2': unknown role 'Agnet'"
expect_stderr_has "did you mean 'Agent'?"
expect_stderr_has "roster.csv:4: person 'N3'"
expect_stderr_has "gcprov: hint: valid roles: 'Employee', 'Agent'"
expect_stderr_has "gcprov: hint: valid licenses:"

run "$GCPROV_BIN" apply "${conn[@]}" --journal "$T/j.db" "$T/roster.csv"
expect_status 2
expect_stderr_has "nothing was sent"
expect_eq "creates after a refused apply" 0 "$(creates)"

run "$GCPROV_BIN" apply "${conn[@]}" --journal "$T/j.db" --skip-invalid \
    "$T/roster.csv"
expect_status 0
expect_stderr_has "person 'N2' skipped"
expect_eq "creates with --skip-invalid" 1 "$(creates)"

finish

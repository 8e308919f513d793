#!/usr/bin/env bash
# `gcprov roles` and `gcprov licenses` against the sandbox: the roles with
# the licenses they carry, the seats in use counted from the assignments,
# budgets from --seats or the profile, text and --json; and both on the
# embedded demo org with --sandbox.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"

cat >"$T/seed.json" <<'JSON'
{"divisions": [{"id": "d-home", "name": "Home", "home": true}],
 "licenses": [{"id": "cx3"}, {"id": "comm"}, {"id": "wem"}],
 "roles": [{"id": "r-agent", "name": "Agent", "baseLicense": "cx3"},
           {"id": "r-sup", "name": "Supervisor", "baseLicense": "cx3",
            "addonLicenses": ["wem"]},
           {"id": "r-emp", "name": "Employee"}],
 "clients": [{"id": "ci", "secret": "ci-secret"}],
 "users": [{"id": "u-1", "name": "Kim Park", "email": "kim@example.com",
            "licenses": ["comm"],
            "grants": [{"roleId": "r-agent", "divisionId": "d-home"}]},
           {"id": "u-2", "name": "Al Ba", "email": "al@example.com",
            "grants": [{"roleId": "r-sup", "divisionId": "d-home"}]},
           {"id": "u-3", "name": "Gone", "email": "gone@example.com",
            "state": "deleted", "licenses": ["comm"]}]}
JSON
start_sandbox --seed "$T/seed.json" --rate-limit 0

export XDG_CONFIG_HOME="$T/config"
unset GCPROV_PROFILE GENESYSCLOUD_REGION
export GENESYSCLOUD_OAUTHCLIENT_ID=ci GENESYSCLOUD_OAUTHCLIENT_SECRET=ci-secret
CONN=(--api-url "$SBX_URL" --rate-limit 60000)

run "$GCPROV_BIN" roles "${CONN[@]}"
expect_status 0
expect_stdout_has "Supervisor  licenses: cx3, wem  id r-sup"
expect_stdout_has "3 roles"
expect_stdout_lacks "sandbox:"

run "$GCPROV_BIN" roles "${CONN[@]}" --json
expect_status 0
expect_eq "Agent carries cx3" '["cx3"]' \
    "$(jq -c '.roles[] | select(.name == "Agent") | .licenses' "$T/stdout")"
expect_eq "Employee carries none" '[]' \
    "$(jq -c '.roles[] | select(.name == "Employee") | .licenses' "$T/stdout")"
expect_eq "not the sandbox" false "$(jq '.sandbox' "$T/stdout")"

# Seats in use: cx3 by both (implied by roles), comm by Kim only (the
# deleted user holds no seat), wem by the supervisor.
run "$GCPROV_BIN" licenses "${CONN[@]}" --seats cx3=2 --seats comm=5 --json
expect_status 0
lic() { jq -c --arg id "$1" ".licenses[] | select(.id == \$id) | $2" \
    "$T/stdout"; }
expect_eq "cx3 in use" 2 "$(lic cx3 .inUse)"
expect_eq "cx3 budget" 2 "$(lic cx3 .budget)"
expect_eq "cx3 none left" 0 "$(lic cx3 .left)"
expect_eq "comm in use" 1 "$(lic comm .inUse)"
expect_eq "comm left" 4 "$(lic comm .left)"
expect_eq "wem has no budget" null "$(lic wem .budget)"
expect_eq "roles carrying cx3" '["Agent","Supervisor"]' "$(lic cx3 .roles)"

run "$GCPROV_BIN" licenses "${CONN[@]}" --seats cx3=1
expect_status 0
expect_stdout_has "cx3                      2 in use of 1 (over budget)"
expect_stdout_has "3 licenses"

run "$GCPROV_BIN" licenses "${CONN[@]}" --seats cx3=lots
expect_status 2
expect_stderr_has "--seats 'cx3=lots' is not LICENSE=N"
run "$GCPROV_BIN" licenses "${CONN[@]}" --seats cx3=1,comm=
expect_status 2
expect_stderr_has "--seats 'cx3=1,comm=' is not LICENSE=N"

run "$GCPROV_BIN" licenses "${CONN[@]}" --seats nope=3
expect_status 0
expect_stderr_has "license 'nope', which the org does not have"

# The profile's seats key is a budget too.
mkdir -p "$XDG_CONFIG_HOME/gcprov"
printf '[default]\nseats = comm=3,cx3=9\n' >"$XDG_CONFIG_HOME/gcprov/config"
run "$GCPROV_BIN" licenses "${CONN[@]}" --json
expect_status 0
expect_eq "profile budget" 3 "$(lic comm .budget)"
expect_eq "second profile budget" 9 "$(lic cx3 .budget)"
run "$GCPROV_BIN" licenses "${CONN[@]}" --json --seats comm=4
expect_eq "the flag beats the profile" 4 "$(lic comm .budget)"
expect_eq "which it replaces whole" null "$(lic cx3 .budget)"
rm "$XDG_CONFIG_HOME/gcprov/config"

# A wrong secret is refused before anything is listed.
run env GENESYSCLOUD_OAUTHCLIENT_SECRET=wrong "$GCPROV_BIN" roles "${CONN[@]}"
expect_status 3

# The embedded demo org, without any connection setting.
run env -u GENESYSCLOUD_OAUTHCLIENT_ID -u GENESYSCLOUD_OAUTHCLIENT_SECRET \
    "$GCPROV_BIN" roles --sandbox
expect_status 0
expect_stdout_has "Supervisor  licenses: cloudCX3, wem"
expect_stdout_has "sandbox: ran against a throwaway in-memory demo org"
run "$GCPROV_BIN" licenses --sandbox --seats cloudCX3=4 --json
expect_status 0
expect_eq "demo org's cloudCX3" 1 "$(lic cloudCX3 .inUse)"
expect_eq "sandbox flagged" true "$(jq '.sandbox' "$T/stdout")"
expect_stdout_lacks "gcprov-demo-secret"

run "$GCPROV_BIN" roles extra
expect_status 2

finish

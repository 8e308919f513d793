#!/usr/bin/env bash
# Whose journal: apply names it after the org's API host, however the org
# was given, and status, report and history read the org's journal when a
# region or an API URL names one (flag or GENESYSCLOUD_REGION), even among
# several; without one they read the only journal there is.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"
start_sandbox --rate-limit 0 --search-lag 0

export XDG_STATE_HOME="$T/state" XDG_CONFIG_HOME="$T/config"
unset GCPROV_PROFILE GENESYSCLOUD_REGION
export GENESYSCLOUD_OAUTHCLIENT_ID=gcprov-demo
export GENESYSCLOUD_OAUTHCLIENT_SECRET=gcprov-demo-secret
HOST=${SBX_URL#http://}
DB="$T/state/gcprov/${HOST//:/_}.db"

run "$GCPROV_BIN" apply --api-url "$SBX_URL" --rate-limit 60000 \
    "$GCPROV_SRC/examples/roster.csv"
expect_status 0
expect_eq "the journal is named after the API host" yes \
    "$([ -f "$DB" ] && echo yes)"
expect_eq "the run records the host" "$HOST" \
    "$(sqlite3 "$DB" 'SELECT api_host FROM runs')"

# A second org's journal beside it: the readers must be told which.
cp "$DB" "$T/state/gcprov/api.mypurecloud.de.db"
run "$GCPROV_BIN" history
expect_status 2
expect_stderr_has "several journals"
for cmd in status history; do
    run "$GCPROV_BIN" "$cmd" --json --api-url "$SBX_URL/"
    expect_status 0
    expect_eq "$cmd reads the org's journal" "$DB" \
        "$(jq -r '.journal' "$T/stdout")"
done
run "$GCPROV_BIN" report --api-url "$SBX_URL"
expect_status 0
expect_stdout_has "maria.lopez@example.com"
run "$GCPROV_BIN" status --json --region eu-central-1
expect_status 0
expect_eq "a region names its org's journal" \
    "$T/state/gcprov/api.mypurecloud.de.db" "$(jq -r '.journal' "$T/stdout")"

# An org with no journal here, by flag or by the environment.
run "$GCPROV_BIN" status --region eu-west-1
expect_status 2
expect_stderr_has "no journal for 'api.mypurecloud.ie'"
GENESYSCLOUD_REGION=eu-west-1 run "$GCPROV_BIN" history
expect_status 2
expect_stderr_has "no journal for 'api.mypurecloud.ie'"
run "$GCPROV_BIN" report --region nowhere-1
expect_status 2
expect_stderr_has "nowhere-1"
finish

#!/usr/bin/env bash
# examples/provision_one, built against the public API, provisions one
# person in the sandbox's demo org: created with a role and a license, and
# a second run finds the person and creates nobody.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"
EXAMPLE=$GCPROV_BUILD/provision_one
[ -x "$EXAMPLE" ] || { echo "provision_one is not built: skipped"; exit 77; }
start_sandbox --search-lag 0 --rate-limit 0

AGENT=a0000000-0000-4000-8000-000000000002
umask 077
printf 'gcprov-demo-secret\n' >"$T/secret"
export GCPROV_API_URL=$SBX_URL GENESYSCLOUD_OAUTHCLIENT_ID=gcprov-demo
export GCPROV_CLIENT_SECRET_FILE=$T/secret
unset GENESYSCLOUD_REGION GENESYSCLOUD_OAUTHCLIENT_SECRET

run "$EXAMPLE" X9001 ada.new@example.com "Ada New" "$AGENT" wem
expect_status 0
expect_stdout_has "created "
expect_stdout_has "has role $AGENT and license wem"
ID=$(sed -n 's/^created //p' "$T/stdout")

run "$EXAMPLE" X9001 ada.new@example.com "Ada New" "$AGENT" wem
expect_status 0
expect_stdout_has "found $ID (active)"
expect_stdout_lacks "created"

# What the sandbox holds: one such user, with the grant and the license.
curl -s "$SBX_URL/_sandbox/state" >"$T/state.json"
expect_eq "users with that email" 1 \
    "$(jq '[.users[] | select(.email == "ada.new@example.com")] | length' \
        "$T/state.json")"
expect_eq "the grant" 1 "$(jq --arg id "$ID" --arg r "$AGENT" \
    '[.users[] | select(.id == $id) | .grants[] | select(.roleId == $r)]
     | length' "$T/state.json")"
expect_eq "the license" 1 "$(jq --arg id "$ID" \
    '[.users[] | select(.id == $id) | .licenses[] | select(. == "wem")]
     | length' "$T/state.json")"

# A wrong secret is a clear failure, not a crash.
printf 'wrong\n' >"$T/secret"
run "$EXAMPLE" X9002 bo@example.com "Bo" "$AGENT" wem
expect_status 1
expect_stderr_has "provision_one:"

finish

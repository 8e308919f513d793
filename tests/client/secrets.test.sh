#!/usr/bin/env bash
# No secret or token appears in anything gcprov writes (stdout, stderr at
# debug level, files), in its arguments, or in its children's environment.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"
start_sandbox

unset GENESYSCLOUD_REGION GENESYSCLOUD_OAUTHCLIENT_ID
SECRET=gcprov-demo-secret
ENV_SECRET=env-only-secret-5e1f
BASIC=$(printf 'gcprov-demo:%s' "$SECRET" | base64 -w0)

# The secret command records what a child of gcprov can see: its own
# environment and gcprov's command line.
cat >"$T/vault.sh" <<SCRIPT
env >"$T/child.env"
tr '\0' ' ' </proc/\$PPID/cmdline >"$T/parent.cmdline"
cat /proc/\$PPID/environ >"$T/parent.environ" 2>/dev/null
printf '%s\n' "$SECRET"
SCRIPT

GENESYSCLOUD_OAUTHCLIENT_SECRET=$ENV_SECRET \
    run "$GCPROV_BIN" check -v -v --api-url "$SBX_URL" \
    --client-id gcprov-demo --client-secret-command "sh $T/vault.sh"
expect_status 0
expect_stderr_has "obtained an access token"

# The sandbox's tokens are two UUIDs run together; a correlation id or a
# user id is one UUID, so this shape is a token and nothing else.
UUID='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
TOKEN_SHAPE="$UUID$UUID"
if command -v curl >/dev/null; then
    curl -s -u "gcprov-demo:$SECRET" -d grant_type=client_credentials \
        "$SBX_URL/oauth/token" >"$T/grant.json"
    CHECKS=$((CHECKS + 1))
    grep -qE "\"access_token\": *\"$TOKEN_SHAPE\"" "$T/grant.json" ||
        fail "the token shape no longer matches the sandbox's tokens"
fi

expect_eq "child environment was recorded" yes \
    "$([ -s "$T/child.env" ] && echo yes)"
for f in "$T/stdout" "$T/stderr" "$T/child.env" "$T/parent.cmdline"; do
    for needle in "$SECRET" "$ENV_SECRET" "$BASIC" Bearer; do
        CHECKS=$((CHECKS + 1))
        if grep -qF -- "$needle" "$f"; then
            fail "'${needle:0:6}...' appears in $(basename "$f")"
        fi
    done
    CHECKS=$((CHECKS + 1))
    if grep -qE -- "$TOKEN_SHAPE" "$f"; then
        fail "an access token appears in $(basename "$f")"
    fi
done
CHECKS=$((CHECKS + 1))
if [ -s "$T/parent.environ" ] && grep -qF "$ENV_SECRET" "$T/parent.environ"
then
    fail "the secret is still in gcprov's /proc environ"
fi
# gcprov check writes no file: nothing new in the scratch folder.
CHECKS=$((CHECKS + 1))
if grep -rlF -- "$SECRET" "$T" | grep -v -e vault.sh; then
    fail "a file in the scratch folder holds the secret"
fi

finish

#!/usr/bin/env bash
# `gcprov check` against the sandbox: credentials from each source, the
# refusals an operator must be able to act on, and the permission list.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"
start_sandbox

unset GENESYSCLOUD_REGION GENESYSCLOUD_OAUTHCLIENT_ID \
    GENESYSCLOUD_OAUTHCLIENT_SECRET
printf 'gcprov-demo-secret\n' >"$T/secret"
chmod 600 "$T/secret"
printf 'not-the-secret\n' >"$T/wrong"
chmod 600 "$T/wrong"

# The demo client holds every permission.
run "$GCPROV_BIN" check --api-url "$SBX_URL" --client-id gcprov-demo \
    --client-secret-file "$T/secret"
expect_status 0
expect_stdout_has "credentials accepted"
expect_stdout_has "directory:user:add"
expect_stdout_lacks "missing"

# Most runs below pace fast: the default run above covers the limit read.
FAST="--rate-limit 6000"

# The environment variables of the Genesys tools are honoured.
GENESYSCLOUD_OAUTHCLIENT_ID=gcprov-demo \
    GENESYSCLOUD_OAUTHCLIENT_SECRET=gcprov-demo-secret \
    run "$GCPROV_BIN" check --api-url "$SBX_URL" --json $FAST
expect_status 0
expect_stdout_has '"permission": "organization:limits:view"'
expect_stdout_has '"client_id": "gcprov-demo"'

# A secret command's output is the secret.
run "$GCPROV_BIN" check --api-url "$SBX_URL" --client-id gcprov-demo \
    --client-secret-command "echo gcprov-demo-secret" $FAST
expect_status 0

# A wrong secret is an authentication failure, in words.
run "$GCPROV_BIN" check --api-url "$SBX_URL" --client-id gcprov-demo \
    --client-secret-file "$T/wrong"
expect_status 3
expect_stderr_has "login for client 'gcprov-demo' failed (401 invalid_client"
expect_stderr_has "check --client-id"

# The read-only client lacks the write permissions; check lists them.
printf 'gcprov-readonly-secret\n' >"$T/ro"
chmod 600 "$T/ro"
run "$GCPROV_BIN" check --api-url "$SBX_URL" --client-id gcprov-readonly \
    --client-secret-file "$T/ro" $FAST
expect_status 3
expect_stdout_has "credentials accepted"
grep -q '^directory:user:add  *missing' "$T/stdout" ||
    fail "directory:user:add is not listed as missing"
expect_stdout_has "lacks"

# A secret file others can read is refused, with the fix.
chmod 644 "$T/secret"
run "$GCPROV_BIN" check --api-url "$SBX_URL" --client-id gcprov-demo \
    --client-secret-file "$T/secret"
expect_status 2
expect_stderr_has "chmod 600"
chmod 600 "$T/secret"

# No secret at all and no terminal to ask on.
run setsid "$GCPROV_BIN" check --api-url "$SBX_URL" --client-id gcprov-demo \
    </dev/null
expect_status 2
expect_stderr_has "no client secret"

# An unknown region lists the valid ones; plain http must stay local.
run "$GCPROV_BIN" check --region mars-1 --client-id x \
    --client-secret-file "$T/secret"
expect_status 2
expect_stderr_has "valid regions: us-east-1"
GENESYSCLOUD_REGION=mypurecloud.ie GENESYSCLOUD_OAUTHCLIENT_ID=x \
    run "$GCPROV_BIN" check --region nowhere --client-secret-file "$T/secret"
expect_status 2
expect_stderr_has "unknown region 'nowhere'"
GENESYSCLOUD_REGION=moon-1 run "$GCPROV_BIN" check --client-id x \
    --client-secret-file "$T/secret"
expect_status 2
expect_stderr_has "unknown region 'moon-1'"
run "$GCPROV_BIN" check --api-url http://gateway.example.com \
    --client-id x --client-secret-file "$T/secret"
expect_status 2
expect_stderr_has "not loopback"

# An unreachable login server is not mistaken for a refused secret.
stop_sandbox
run "$GCPROV_BIN" check --api-url "$SBX_URL" --client-id gcprov-demo \
    --client-secret-file "$T/secret" --retry-budget 5
expect_status 1
expect_stderr_has "could not reach the login server"

finish

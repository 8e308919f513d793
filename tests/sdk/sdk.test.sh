#!/usr/bin/env bash
# The SDK fidelity test: the official Genesys Cloud JavaScript SDK, pinned
# in package-lock.json, drives the sandbox (fidelity.js). The packages are
# installed with `npm ci` into the build folder, never into the sources.
# Skips (77) only when node or npm is absent.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/sandbox/lib.sh"

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    echo "SKIP: node and npm are needed" >&2
    exit 77
fi

NODE_DIR="${GCPROV_BUILD:-$T}/sdk-node"
mkdir -p "$NODE_DIR"
if ! cmp -s "$GCPROV_SRC/tests/sdk/package-lock.json" \
    "$NODE_DIR/package-lock.json"; then
    rm -rf "$NODE_DIR/node_modules"
    cp "$GCPROV_SRC/tests/sdk/package.json" \
        "$GCPROV_SRC/tests/sdk/package-lock.json" "$NODE_DIR/"
fi
if [ ! -d "$NODE_DIR/node_modules/purecloud-platform-client-v2" ]; then
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error) ||
        { echo "FAIL: npm ci failed" >&2; exit 1; }
fi

sbx_start --search-lag 0
run env NODE_PATH="$NODE_DIR/node_modules" \
    node "$GCPROV_SRC/tests/sdk/fidelity.js" "$URL"
expect_status 0
expect_stdout_has "checks passed"
if [ "$STATUS" -ne 0 ]; then
    cat "$T/stdout" "$T/stderr" >&2
fi

# What the SDK sent, as the sandbox saw it.
curl -s "$URL/_sandbox/stats" >"$T/body"
STATUS=200 LAST_CALL="stats after the SDK run"
expect_call 200 '.tokensIssued == 2 and .routes["POST /api/v2/users"] == 9 and .routes["POST /oauth/token"] == 3 and .statuses["409"] == 3 and .routes["DELETE /api/v2/users/{userId}"] == 1 and .rateLimited == 1'
finish

#!/usr/bin/env bash
# A real apply, at debug level, with the secret from a vault command: the
# secret and the tokens appear nowhere gcprov writes or shows (its output,
# its logs, the journal and its -wal/-shm, `report` in every format, the
# environment its children see). tests/client/secrets.test.sh covers
# `check`; this is the same search over a run that writes. (That gcprov
# is not dumpable while it holds the secret: tests/unit/test_security_dump.c,
# since /proc shows it only to a non-root reader.)
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"
start_sandbox --rate-limit 0 --search-lag 0

unset GENESYSCLOUD_REGION GENESYSCLOUD_OAUTHCLIENT_ID
SECRET=gcprov-demo-secret
ENV_SECRET=env-only-secret-7a2c
BASIC=$(printf 'gcprov-demo:%s' "$SECRET" | base64 -w0)
UUID='[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}'
TOKEN_SHAPE="$UUID$UUID" # the sandbox's tokens (see secrets.test.sh)

# The vault records the environment a child of gcprov inherits.
cat >"$T/vault.sh" <<SCRIPT
env >"$T/child.env"
printf '%s\n' "$SECRET"
SCRIPT

cat >"$T/roster.csv" <<'CSV'
employee_id,name,email,roles,licenses
S1,Sam Stone,sam.stone@example.com,Agent,wem
S2,Ida Ro,ida.ro@example.com,Supervisor,
CSV

GENESYSCLOUD_OAUTHCLIENT_SECRET=$ENV_SECRET \
    run "$GCPROV_BIN" apply -v -v --api-url "$SBX_URL" \
    --client-id gcprov-demo --client-secret-command "sh $T/vault.sh" \
    --journal "$T/j.db" "$T/roster.csv"
expect_status 0
expect_stderr_has "obtained an access token"
cp "$T/stdout" "$T/apply.out"
cp "$T/stderr" "$T/apply.err"

# The same at debug level in the JSON log format, on a plan.
GENESYSCLOUD_OAUTHCLIENT_SECRET=$ENV_SECRET \
    run "$GCPROV_BIN" plan -v -v --log-format json --api-url "$SBX_URL" \
    --client-id gcprov-demo --client-secret-command "sh $T/vault.sh" \
    "$T/roster.csv"
expect_status 0
expect_stderr_has '"level"'
cat "$T/stdout" "$T/stderr" >"$T/plan.jsonlog"

for format in table csv json; do
    run "$GCPROV_BIN" report -v -v --journal "$T/j.db" --format "$format"
    expect_status 0
    cat "$T/stdout" "$T/stderr" >"$T/report.$format"
done
run "$GCPROV_BIN" report --json --journal "$T/j.db"
expect_status 0
expect_stdout_has "sam.stone@example.com"
cp "$T/stdout" "$T/report.json-flag"

# The journal's content as text, so that two ids stored side by side in a
# database page do not pass for a token.
if ! command -v sqlite3 >/dev/null; then
    echo "no sqlite3 command: skipped"
    exit 77
fi
sqlite3 "$T/j.db" .dump >"$T/journal.dump"
expect_eq "the journal dumps" 0 $?
expect_eq "the dump holds the run" yes \
    "$(grep -q sam.stone@example.com "$T/journal.dump" && echo yes)"

files=("$T/journal.dump" "$T/apply.out" "$T/apply.err" "$T/plan.jsonlog"
    "$T/child.env"
    "$T"/report.* "$T"/j.db*)
for f in "${files[@]}"; do
    [ -e "$f" ] || continue
    for needle in "$SECRET" "$ENV_SECRET" "$BASIC" Bearer; do
        CHECKS=$((CHECKS + 1))
        if grep -qaF -- "$needle" "$f"; then
            fail "'${needle:0:6}...' appears in $(basename "$f")"
        fi
    done
    case $f in *.db | *.db-*) continue ;; esac # searched in the dump
    CHECKS=$((CHECKS + 1))
    if grep -qaE -- "$TOKEN_SHAPE" "$f"; then
        fail "an access token appears in $(basename "$f")"
    fi
done
# The secret's variable is gone from what children inherit.
CHECKS=$((CHECKS + 1))
if grep -q '^GENESYSCLOUD_OAUTHCLIENT_SECRET=' "$T/child.env"; then
    fail "the secret's variable reaches the vault command"
fi
finish

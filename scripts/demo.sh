#!/usr/bin/env bash
# make demo: starts the bundled sandbox (the built-in demo org), then shows
# gcprov's whole loop on examples/roster.csv: validate, plan, apply, plan
# again (nothing left), and the journal's report. Everything it creates
# lives in a temporary folder that is removed at the end.
set -euo pipefail

GCPROV=${1:-build/gcprov}
cd "$(dirname "$0")/.."
ROSTER=examples/roster.csv
WORK=$(mktemp -d "${TMPDIR:-/tmp}/gcprov-demo.XXXXXX")
SANDBOX_PID=

cleanup() {
    [ -n "$SANDBOX_PID" ] && kill "$SANDBOX_PID" 2>/dev/null || true
    [ -n "$SANDBOX_PID" ] && wait "$SANDBOX_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
show() { printf '$ %s\n' "$*"; "$@"; }

step "start the sandbox: a local Genesys Cloud API with a demo org"
"$GCPROV" sandbox --search-lag 0 --rate-limit 0 >"$WORK/url" \
    2>"$WORK/sandbox.log" &
SANDBOX_PID=$!
for _ in $(seq 50); do
    [ -s "$WORK/url" ] && break
    sleep 0.1
done
URL=$(head -n 1 "$WORK/url")
[ -n "$URL" ] || { cat "$WORK/sandbox.log"; exit 1; }
echo "sandbox at $URL (client id gcprov-demo)"

# The secret comes from a file only its owner can read, never from a flag.
umask 077
printf 'gcprov-demo-secret\n' >"$WORK/secret"
CONNECT=(--api-url "$URL" --client-id gcprov-demo
    --client-secret-file "$WORK/secret")
JOURNAL=(--journal "$WORK/demo.db")

step "validate the roster offline"
show "$GCPROV" validate "$ROSTER"

step "plan: what apply would change"
show "$GCPROV" plan --details "${CONNECT[@]}" "$ROSTER"

step "apply: make the org match the roster"
show "$GCPROV" apply "${CONNECT[@]}" "${JOURNAL[@]}" "$ROSTER"

step "plan again: nothing is left to do"
show "$GCPROV" plan "${CONNECT[@]}" "$ROSTER"

step "the journal: what the run did, person by person"
show "$GCPROV" report "${JOURNAL[@]}"

step "the sandbox counted every call"
curl -s "$URL/_sandbox/stats" | jq -c '.routes // .' | head -c 2000
echo

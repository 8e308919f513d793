#!/usr/bin/env bash
# Files holding people's data are owner-only, even under umask 000: the
# journal with its -wal, -shm and lock files and the folder gcprov makes
# for it, and the sandbox's --state-file, checked after a real apply.
# (gcprov writes no report file: reports go to standard output.)
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"
umask 000
start_sandbox --rate-limit 0 --search-lag 0 --state-file "$T/org.json"

cat >"$T/roster.csv" <<'CSV'
employee_id,name,email,roles,licenses
M1,Mo Dahl,mo.dahl@example.com,Agent,wem
CSV
export GENESYSCLOUD_OAUTHCLIENT_ID=gcprov-demo
export GENESYSCLOUD_OAUTHCLIENT_SECRET=gcprov-demo-secret
export XDG_STATE_HOME=$T/xdg

mode() { stat -c %a "$1"; }

# The default journal, in a folder gcprov creates.
run "$GCPROV_BIN" apply --api-url "$SBX_URL" "$T/roster.csv"
expect_status 0
DB=$(find "$T/xdg" -name '*.db' | head -n 1)
expect_eq "a journal in XDG_STATE_HOME" yes "$([ -f "$DB" ] && echo yes)"
expect_eq "the journal folder" 700 "$(mode "$(dirname "$DB")")"

# A named journal, and a second run that finds it there.
for i in 1 2; do
    run "$GCPROV_BIN" apply --api-url "$SBX_URL" --journal "$T/j.db" \
        "$T/roster.csv"
    expect_status 0
done
for f in "$DB" "$DB"[-.]* "$T/j.db" "$T"/j.db[-.]*; do
    [ -e "$f" ] || continue
    expect_eq "mode of $(basename "$f")" 600 "$(mode "$f")"
done

# The -wal and -shm files exist only while a run has the journal open:
# slow the sandbox down and look at them during a run.
curl -s -X PUT -d '{"latency": 150}' "$SBX_URL/_sandbox/faults" >/dev/null
printf 'M2,Lu Berg,lu.berg@example.com,Agent,wem\n' >>"$T/roster.csv"
"$GCPROV_BIN" apply --api-url "$SBX_URL" --journal "$T/k.db" \
    "$T/roster.csv" >"$T/slow.out" 2>&1 &
APPLY=$!
for _ in $(seq 100); do
    [ -e "$T/k.db-wal" ] && [ -e "$T/k.db-shm" ] && break
    sleep 0.05
done
WAL=$(mode "$T/k.db-wal" 2>/dev/null)
SHM=$(mode "$T/k.db-shm" 2>/dev/null)
wait "$APPLY"
expect_eq "the slow apply" 0 $?
expect_eq "mode of the journal's -wal during a run" 600 "$WAL"
expect_eq "mode of the journal's -shm during a run" 600 "$SHM"

# Reports go to standard output, so the shell's redirection decides.
run "$GCPROV_BIN" report --journal "$T/j.db" --json
expect_status 0
expect_eq "no file beside the journal but its own" "" \
    "$(cd "$T" && ls | grep -v -e '^[jk]\.db' -e '^slow\.out$' \
        -e '^xdg$' -e '^org\.json' -e '^roster\.csv$' -e '^sandbox\.' \
        -e '^std')"

stop_sandbox
expect_eq "the sandbox saved its state" yes \
    "$([ -s "$T/org.json" ] && echo yes)"
expect_eq "mode of the sandbox's state file" 600 "$(mode "$T/org.json")"
expect_eq "the state holds the person" yes \
    "$(grep -q mo.dahl@example.com "$T/org.json" && echo yes)"
finish

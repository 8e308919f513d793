#!/usr/bin/env bash
# `gcprov status`: the last run, the people waiting for a seat and why,
# failures no later run fixed, steps a crash left open; and it reads while
# an apply holds the journal.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/journal/lib.sh"

run "$GCPROV_BIN" status --journal "$J"
expect_status 0
expect_stdout_has "last run: 2 (apply)"
expect_stdout_has "outcome: held, exit status 4"
expect_stdout_has "pending: 2 people waiting for a seat"
expect_stdout_has "erin: budget for license lic-cx"
expect_stdout_has "seat budget 10 spent"
expect_stdout_has "frank: in use for license lic-cx"
expect_stdout_has "failures still unresolved: 1"
expect_stdout_has "dave: update title (run 2), HTTP 400, bad.request"
expect_stdout_has "[correlation corr-dave-update]"
# bob's run-1 failure was fixed by run 2: not listed.
expect_stdout_lacks "bob:"
expect_stdout_has "steps interrupted before their result: 1"
expect_stdout_has "carol: create carol@example.test (run 1)"

run "$GCPROV_BIN" status --journal "$J" --json
expect_status 0
expect_eq "last run" 2 "$(jq '.last_run.run' "$T/stdout")"
expect_eq "queue order" "erin frank" \
    "$(jq -r '[.pending[].person] | join(" ")' "$T/stdout")"
expect_eq "reasons" "budget in use" \
    "$(jq -r '[.pending[].reason] | join(" ")' "$T/stdout")"
expect_eq "failures" "dave update 400 bad.request corr-dave-update" \
    "$(jq -r '.failures[] | "\(.person) \(.step) \(.http_status) \(.error_code) \(.correlation_id)"' "$T/stdout")"
expect_eq "unresolved" "carol create open" \
    "$(jq -r '.unresolved[] | "\(.person) \(.step) \(.state)"' "$T/stdout")"

# A journal with no runs.
"$FILL" "$T/empty.db" empty
run "$GCPROV_BIN" status --journal "$T/empty.db"
expect_status 0
expect_stdout_has "last run: none"
expect_stdout_has "pending: 0 people"

# status reads while a writer holds the journal's lock; a second writer
# is refused and told who holds it.
coproc HOLDER { exec "$FILL" "$J" hold; }
# bash unsets HOLDER_PID once it reaps the coprocess: keep a copy.
holder_pid=$HOLDER_PID
read -r ready <&"${HOLDER[0]}"
expect_eq "holder ready" "ready" "$ready"
run "$GCPROV_BIN" status --journal "$J"
expect_status 0
expect_stdout_has "last run: 2"
run "$FILL" "$J" empty
expect_status 1
expect_stderr_has "is in use by another gcprov (pid $holder_pid on host"
echo >&"${HOLDER[1]}"
wait "$holder_pid"
expect_eq "holder exit" 0 "$?"

finish

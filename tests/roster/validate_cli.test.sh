#!/usr/bin/env bash
# `gcprov validate`: standard input, the JSON report, exit statuses, the
# roster options and their usage errors, and the shipped examples.
source "$GCPROV_SRC/tests/lib/assert.sh"

cases="$GCPROV_SRC/tests/roster/cases"

run "$GCPROV_BIN" validate "$GCPROV_SRC/examples/roster.csv"
expect_status 0
expect_stderr_has "12 rows, 12 people valid, 0 errors, 0 warnings"

run "$GCPROV_BIN" validate "$GCPROV_SRC/examples/roster.json"
expect_status 0
expect_stderr_has "12 rows, 12 people valid, 0 errors, 0 warnings"

# Standard input: the format is sniffed from the content.
run "$GCPROV_BIN" validate - <"$cases/bad_emails.csv"
expect_status 2
expect_stderr_has "<stdin>:2:3: field 'email': 'jane@' is not a valid address"
run "$GCPROV_BIN" validate - <"$cases/jsonl_valid.jsonl"
expect_status 0
run "$GCPROV_BIN" validate --format json - <"$cases/valid.json"
expect_status 0

# The JSON report: one document, diagnostics as data.
run "$GCPROV_BIN" validate --json "$cases/bad_emails.csv"
expect_status 2
expect_eq "report validity" "false" "$(jq -r .valid "$T/stdout")"
expect_eq "first diagnostic" "2:3 error email jane@" \
    "$(jq -r '.files[0].diagnostics[0] |
        "\(.line):\(.column) \(.severity) \(.field) \(.value)"' "$T/stdout")"
expect_eq "error count" "10" "$(jq -r '.files[0].errors' "$T/stdout")"
expect_eq "nothing on stderr" "" "$(cat "$T/stderr")"

# Several files: the worst status wins; quiet keeps errors only.
run "$GCPROV_BIN" validate -q "$GCPROV_SRC/examples/roster.csv" \
    "$cases/unknown_column.csv" "$cases/states.csv"
expect_status 2
expect_eq "quiet output" \
    "$cases/states.csv:4:11: field 'state': 'gone' is not a state: use 'active' or 'inactive'" \
    "$(cat "$T/stderr")"

# --skip-invalid: usable rosters pass, broken files still fail.
run "$GCPROV_BIN" validate --skip-invalid "$cases/states.csv"
expect_status 0
run "$GCPROV_BIN" validate --skip-invalid "$cases/missing_email_column.csv"
expect_status 2

# An unreadable file is a local failure.
run "$GCPROV_BIN" validate "$T/none.csv"
expect_status 5
expect_stderr_has "gcprov: error: cannot open '$T/none.csv'"

# Usage errors.
run "$GCPROV_BIN" validate
expect_status 2
expect_stderr_has "validate needs a roster file"
run "$GCPROV_BIN" validate --format xml x.csv
expect_status 2
expect_stderr_has "--format must be 'csv', 'json' or 'jsonl', not 'xml'"
run "$GCPROV_BIN" validate --delimiter ab x.csv
expect_status 2
expect_stderr_has "--delimiter must be one character or 'tab'"
run "$GCPROV_BIN" validate --map email x.csv
expect_status 2
expect_stderr_has "--map needs FIELD=COLUMN, not 'email'"
run "$GCPROV_BIN" validate --map nick=Nick "$cases/map.csv"
expect_status 2
expect_stderr_has "cannot map unknown field 'nick'"

run "$GCPROV_BIN" validate --help
expect_status 0
expect_stdout_has "roster options:"
expect_stdout_has "--skip-invalid"

finish

#!/usr/bin/env bash
# The roster corpus: each file in tests/roster/cases is read with
# `gcprov validate`. CASE.expected holds the exit status on its first line
# ("exit N") and then the exact diagnostics printed on stderr; CASE.args,
# when present, adds options; CASE.records.json, when present, is the list
# of people `validate --json --people` must report. Regenerate nothing by
# hand-waving: every expected file was read and checked line by line.
source "$GCPROV_SRC/tests/lib/assert.sh"

cases="$GCPROV_SRC/tests/roster/cases"
count=0

check_case() {
    local name=$1 args=() expected status
    [ -f "$cases/$name.args" ] && read -r -a args <"$cases/$name.args"
    # --map values may hold spaces: the .args file quotes nothing, so a
    # map value with a space is written with '+' and restored here.
    args=("${args[@]//+/ }")
    (cd "$cases" && "$GCPROV_BIN" validate "${args[@]}" "$name") \
        >"$T/out" 2>"$T/err"
    status=$?
    expected=$(head -n 1 "$cases/$name.expected")
    CHECKS=$((CHECKS + 1))
    [ "exit $status" = "$expected" ] ||
        fail "$name: $expected expected, got exit $status"
    grep -v '^gcprov: ' "$T/err" >"$T/diags"
    tail -n +2 "$cases/$name.expected" >"$T/want"
    CHECKS=$((CHECKS + 1))
    if ! diff -u "$T/want" "$T/diags" >"$T/diff"; then
        fail "$name: diagnostics differ"
        cat "$T/diff" >&2
    fi
    [ -f "$cases/$name.records.json" ] || return 0
    (cd "$cases" && "$GCPROV_BIN" validate --json --people "${args[@]}" \
        "$name") 2>/dev/null | jq -S '.files[0].records | map(del(.[] | nulls))' >"$T/got.json"
    jq -S . "$cases/$name.records.json" >"$T/want.json"
    CHECKS=$((CHECKS + 1))
    if ! diff -u "$T/want.json" "$T/got.json" >"$T/diff"; then
        fail "$name: records differ"
        cat "$T/diff" >&2
    fi
}

for f in "$cases"/*; do
    name=$(basename "$f")
    case "$name" in
    *.expected | *.args | *.records.json) continue ;;
    esac
    if [ ! -f "$cases/$name.expected" ]; then
        fail "$name: no $name.expected"
        continue
    fi
    check_case "$name"
    count=$((count + 1))
done
echo "$count cases"
CHECKS=$((CHECKS + 1))
[ "$count" -ge 40 ] || fail "only $count cases, at least 40 expected"

finish

#!/usr/bin/env bash
# The shared library exports the public API and nothing else: every
# exported function is gcp_* and declared in include/.
source "$GCPROV_SRC/tests/lib/assert.sh"

lib="$GCPROV_BUILD/libgcprov.so"
[ -f "$lib" ] || { echo "no $lib"; exit 77; }

nm -D --defined-only "$lib" | awk '$2 == "T" {print $3}' | sort >"$T/syms"
[ -s "$T/syms" ] || fail "libgcprov.so exports nothing"
while read -r sym; do
    CHECKS=$((CHECKS + 1))
    case "$sym" in
    gcp_*__*) fail "internal symbol '$sym' is exported" ;;
    gcp_*) grep -rqw "$sym" "$GCPROV_SRC/include" ||
        fail "'$sym' is exported but not declared in include/" ;;
    *) fail "'$sym' is exported without the gcp_ prefix" ;;
    esac
done <"$T/syms"

finish

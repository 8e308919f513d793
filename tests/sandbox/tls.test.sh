#!/usr/bin/env bash
# The sandbox over HTTPS: --tls-cert and --tls-key make it print an
# https:// URL and serve the API with that certificate. curl refuses the
# self-signed certificate without its CA and trusts it with --cacert;
# plain HTTP to the TLS port gets no reply; the two flags go together and a
# certificate that is not PEM is refused at start.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/lib/tls.sh"
source "$GCPROV_SRC/tests/sandbox/lib.sh"

tls_have_openssl || {
    echo "SKIP: the openssl command is needed" >&2
    exit 77
}
tls_make_cert "$T/tls" || {
    echo "FAIL: openssl could not make a certificate" >&2
    exit 1
}
expect_eq "the key is owner-only" 600 "$(stat -c %a "$T/tls/key.pem")"

sbx_start --search-lag 0 --tls-cert "$T/tls/cert.pem" \
    --tls-key "$T/tls/key.pem"
expect_eq "the first line is an https URL" "https" "${URL%%://*}"

# Without the CA: a certificate verification failure (curl exit 60).
curl -s -o /dev/null "$URL/_sandbox/faults"
expect_eq "curl without the CA refuses the certificate" 60 "$?"

# With it: the hooks, a login and API calls all work.
SBX_CURL=(--cacert "$T/tls/cert.pem")
LAST_CALL="GET /_sandbox/faults over TLS"
call GET /_sandbox/faults
expect_call 200 '.["rate-limit"] == 300'
login
expect_eq "a token over TLS" 1 "$([ -n "$TOKEN" ] && [ "$TOKEN" != null ] && echo 1)"
LAST_CALL="create a user over TLS"
call POST /api/v2/users '{"name":"Tia Tls","email":"tia@corp.example"}'
expect_call 200 '.email == "tia@corp.example" and .version == 1'
LAST_CALL="the name localhost is in the certificate too"
STATUS=$(curl -s --cacert "$T/tls/cert.pem" -o "$T/body" -w '%{http_code}' \
    --resolve "localhost:${URL##*:}:127.0.0.1" \
    "https://localhost:${URL##*:}/api/v2/users/me" \
    -H "Authorization: Bearer $TOKEN")
expect_call 404 '.code == "not.found"'

# Plain HTTP to the TLS port: no HTTP reply.
code=$(curl -s -o /dev/null -w '%{http_code}' "http://${URL#https://}/_sandbox/faults")
expect_eq "plain HTTP gets no HTTP reply" 000 "$code"
sbx_stop
expect_eq "the TLS sandbox stops cleanly" 0 "$SBX_STATUS"

# Flags that cannot work.
run "$GCPROV_BIN" sandbox --tls-cert "$T/tls/cert.pem"
expect_status 2
expect_stderr_has "--tls-cert and --tls-key go together"
printf 'not a certificate\n' >"$T/bad.pem"
run "$GCPROV_BIN" sandbox --tls-cert "$T/bad.pem" --tls-key "$T/tls/key.pem"
expect_status 5
expect_stderr_has "TLS"
run "$GCPROV_BIN" sandbox --tls-cert "$T/none.pem" --tls-key "$T/tls/key.pem"
expect_status 5
expect_stderr_has "none.pem"
finish

#!/usr/bin/env bash
# TLS is verified and cannot be turned off: against a sandbox serving a
# self-signed certificate, `gcprov check` is refused at once with a line
# about the certificate, and trusts it only when given --ca-file. Plain
# http to a host that is not loopback is refused before any connection.
source "$GCPROV_SRC/tests/lib/assert.sh"
source "$GCPROV_SRC/tests/lib/tls.sh"
source "$GCPROV_SRC/tests/client/sandbox.sh"
tls_have_openssl || { echo "no openssl: skipped"; exit 77; }
tls_make_cert "$T/tls" || fail "could not make a certificate"
start_sandbox --tls-cert "$T/tls/cert.pem" --tls-key "$T/tls/key.pem"
case $SBX_URL in https://127.0.0.1:*) ;; *) fail "not https: $SBX_URL" ;; esac

unset GENESYSCLOUD_REGION
export GENESYSCLOUD_OAUTHCLIENT_ID=gcprov-demo
export GENESYSCLOUD_OAUTHCLIENT_SECRET=gcprov-demo-secret

run "$GCPROV_BIN" check --api-url "$SBX_URL"
expect_status 1
expect_stderr_has "certificate is not trusted"
expect_stderr_has "--ca-file"
# Refused once, not retried: the certificate would not change.
expect_eq "retries of an untrusted certificate" 0 \
    "$(grep -c 'retry' "$T/stderr")"

run "$GCPROV_BIN" check --api-url "$SBX_URL" --ca-file "$T/tls/cert.pem"
expect_status 0
expect_stdout_has "credentials accepted"

# No option, in any command's help, turns verification off.
for cmd in check plan apply roles licenses; do
    run "$GCPROV_BIN" "$cmd" --help
    expect_stdout_lacks "insecure"
    expect_stdout_lacks "no-verify"
    expect_stdout_lacks "verify-"
    expect_stdout_lacks "-ssl"
    expect_stdout_lacks "-tls"
done
run "$GCPROV_BIN" check --api-url "$SBX_URL" --insecure
expect_status 2

# 192.0.2.1 (TEST-NET-1) answers nothing: the refusal must come before
# any attempt to connect, with no retry line.
for url in http://192.0.2.1 http://example.com:8080/api; do
    run "$GCPROV_BIN" check --api-url "$url" --timeout 2
    expect_status 2
    expect_stderr_has "plain http"
    expect_eq "no attempt to reach $url" 0 "$(grep -c 'retry' "$T/stderr")"
done
run "$GCPROV_BIN" check --api-url https://127.0.0.1:1 \
    --login-url http://192.0.2.1
expect_status 2
expect_stderr_has "plain http"
finish

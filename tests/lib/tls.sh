# tls.sh: a self-signed certificate for loopback HTTPS tests. Source it;
# needs the openssl command.
#
#   tls_make_cert DIR   writes DIR/cert.pem (self-signed, for 127.0.0.1
#                       and localhost as subjectAltName, valid one day)
#                       and DIR/key.pem (unencrypted, mode 0600); prints
#                       nothing; returns non-zero when openssl fails.
#   tls_have_openssl    succeeds when the openssl command is there.

tls_have_openssl() {
    command -v openssl >/dev/null 2>&1
}

tls_make_cert() {
    local dir=$1
    mkdir -p "$dir" || return 1
    (umask 077 &&
        openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
            -subj "/CN=gcprov sandbox test" \
            -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
            -keyout "$dir/key.pem" -out "$dir/cert.pem" >/dev/null 2>&1)
}

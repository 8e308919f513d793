#!/bin/sh
# Installs the Debian packages gcprov needs to build, test and run its demo,
# and only those that are missing. Uses sudo when not run as root.
set -eu

PKGS="build-essential cmake pkg-config clang clang-format \
libclang-rt-14-dev valgrind curl jq ca-certificates openssl \
libcurl4-openssl-dev libjansson-dev libsqlite3-dev libcsv-dev \
libmicrohttpd-dev libcmocka-dev nodejs npm groff-base sqlite3 \
util-linux bsdutils"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
        grep -q "ok installed"; then
        missing="$missing $p"
    fi
done

# nodejs may come from outside Debian (a node binary already on PATH):
# then the Debian packages are not needed for the SDK test.
if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
    missing=$(echo "$missing" | tr ' ' '\n' |
        grep -vx -e nodejs -e npm | tr '\n' ' ')
fi

missing=$(echo "$missing" | tr -s ' ')
if [ -z "$(echo "$missing" | tr -d ' ')" ]; then
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo"
fi
echo "install-deps: installing:$missing" >&2
$SUDO apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null

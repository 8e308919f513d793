#!/usr/bin/env bash
# The installed library is complete on its own: `cmake --install` into a
# DESTDIR, then examples/provision_one.c compiles and links against the
# installed headers and library with nothing but
# `pkg-config --cflags --libs gcprov`, and runs.
source "$GCPROV_SRC/tests/lib/assert.sh"
command -v pkg-config >/dev/null || { echo "no pkg-config: skipped"; exit 77; }
cache=$GCPROV_BUILD/CMakeCache.txt
setting() { sed -n "s/^$1:[A-Z]*=//p" "$cache"; }
PREFIX=$(setting CMAKE_INSTALL_PREFIX)
CC=$(setting CMAKE_C_COMPILER)
SAN=()
[ "$(setting GCP_SANITIZE)" = ON ] && SAN=(-fsanitize=address,undefined)

DEST=$T/root
run env DESTDIR="$DEST" cmake --install "$GCPROV_BUILD"
expect_status 0
PC=$(find "$DEST$PREFIX" -name gcprov.pc | head -n 1)
expect_eq "gcprov.pc is installed" yes "$([ -f "$PC" ] && echo yes)"
for h in gcprov.h gcprov/users.h gcprov/client.h gcprov/roster.h \
    gcprov/apply.h; do
    expect_eq "$h is installed" yes \
        "$([ -f "$DEST$PREFIX/include/$h" ] && echo yes)"
done

# The sysroot maps the .pc file's prefix into the DESTDIR.
export PKG_CONFIG_PATH=$(dirname "$PC") PKG_CONFIG_SYSROOT_DIR=$DEST
FLAGS=$(pkg-config --cflags --libs gcprov)
expect_eq "pkg-config knows gcprov" 0 $?
# Only the installed tree: no -I into the sources.
case "$FLAGS" in *"$GCPROV_SRC"*) fail "the flags name the source tree" ;; esac
for example in provision_one apply_roster; do
    run "$CC" -std=c11 -Wall -Wextra -Werror "${SAN[@]}" \
        "$GCPROV_SRC/examples/$example.c" $FLAGS -o "$T/$example"
    expect_status 0
done

# It loads the installed shared library and runs (usage: exit 2). The
# sysroot is already in the libdir pkg-config gives.
LIBDIR=$(pkg-config --variable=libdir gcprov)
run env LD_LIBRARY_PATH="$LIBDIR" "$T/provision_one"
expect_status 2
expect_stderr_has "usage: provision_one"
finish

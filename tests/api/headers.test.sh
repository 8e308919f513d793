#!/usr/bin/env bash
# Each public header compiles on its own, as C11 and as C++, with no
# warnings: a caller may include any one of them first.
source "$GCPROV_SRC/tests/lib/assert.sh"

CC=${CC:-cc}
headers=("$GCPROV_SRC"/include/gcprov.h "$GCPROV_SRC"/include/gcprov/*.h)
for h in "${headers[@]}"; do
    name=${h#"$GCPROV_SRC/include/"}
    printf '#include "%s"\n#include "%s"\nint main(void) { return 0; }\n' \
        "$name" "$name" >"$T/one.c"
    run "$CC" -std=c11 -Wall -Wextra -Werror -pedantic \
        -I"$GCPROV_SRC/include" -c "$T/one.c" -o "$T/one.o"
    expect_status 0
    if command -v c++ >/dev/null 2>&1; then
        cp "$T/one.c" "$T/one.cc"
        run c++ -Wall -Wextra -Werror -I"$GCPROV_SRC/include" \
            -c "$T/one.cc" -o "$T/one.o"
        expect_status 0
    fi
done

# Nothing outside include/ leaks into the public headers.
run grep -lE '#include "(err|log|wipe)\.h"' "${headers[@]}"
expect_status 1

finish

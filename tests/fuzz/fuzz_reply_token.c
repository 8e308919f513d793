/*
 * fuzz_reply_token.c: the login server's grant reply on arbitrary bytes.
 * A reply without a usable access_token and a positive expires_in is
 * refused with GCP_EAUTH; any token kept is a non-empty string with a
 * positive lifetime. The reply buffer is wiped in every case.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "client_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gcp_token t = {0};
    struct gcp_err err;
    char *reply = malloc(size + 1);
    int rc;

    if (reply == NULL)
        return 0;
    memcpy(reply, data, size);
    gcp_err__clear(&err);
    rc = gcp_token__store(&t, reply, size, 100.0, &err);
    if (rc == 0 && (t.value == NULL || t.value[0] == '\0' || t.lifetime <= 0))
        __builtin_trap();
    if (rc != 0 && rc != GCP_EAUTH && rc != GCP_ENOMEM)
        __builtin_trap();
    for (size_t i = 0; i < size; i++)
        if (reply[i] != '\0')
            __builtin_trap(); /* a copy of the token left behind */
    if (rc == 0)
        (void)gcp_token__fresh(&t, 100.0);
    gcp_token__clear(&t);
    free(reply);
    return 0;
}

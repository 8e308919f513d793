/*
 * wipe.c: explicit_bzero is used because a plain memset before free() may
 * be removed by the optimiser as a dead store.
 */
#include <stdlib.h>
#include <string.h>

#include "wipe.h"

void gcp_wipe(void *p, size_t len)
{
    if (p != NULL && len > 0)
        explicit_bzero(p, len);
}

void gcp_wipe_free(char *s)
{
    if (s == NULL)
        return;
    gcp_wipe(s, strlen(s));
    free(s);
}

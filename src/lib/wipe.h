/*
 * wipe.h: clearing secrets from memory in a way the compiler keeps.
 */
#ifndef GCP_WIPE_H
#define GCP_WIPE_H

#include <stddef.h>

/* Overwrites `len` bytes at `p` with zeros; NULL or 0 does nothing. */
void gcp_wipe(void *p, size_t len);

/* Wipes a NUL-terminated string in place, then frees it. NULL is fine. */
void gcp_wipe_free(char *s);

#endif

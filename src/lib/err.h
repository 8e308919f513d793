/*
 * err.h: the per-handle error message behind the error contract in
 * gcprov/common.h. Each handle embeds one struct gcp_err; public entry
 * points clear it and failures fill it with one line.
 */
#ifndef GCP_ERR_H
#define GCP_ERR_H

#include "gcprov/common.h"

#define GCP_ERRMSG_MAX 512

struct gcp_err {
    int code;                 /* last gcp_error, 0 when none */
    char msg[GCP_ERRMSG_MAX]; /* one line, lower case, no final period */
};

/* Forgets the last failure. */
void gcp_err__clear(struct gcp_err *e);

/*
 * Records a failure and returns `code`, so that a call site can write
 * `return gcp_err__set(&h->err, GCP_EINVALID, "...", ...)`. A message
 * longer than GCP_ERRMSG_MAX is cut; a NULL `e` only returns `code`.
 */
int gcp_err__set(struct gcp_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copies another handle's failure, code and message, and returns it. */
int gcp_err__copy(struct gcp_err *dst, const struct gcp_err *src);

/* Returns the message, or "" when there was no failure. Never NULL. */
const char *gcp_err__message(const struct gcp_err *e);

#endif

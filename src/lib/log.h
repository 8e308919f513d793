/*
 * log.h: the library's only way to say anything: a levelled callback.
 * The level is checked before a message is formatted.
 */
#ifndef GCP_LOG_H
#define GCP_LOG_H

#include "gcprov/common.h"

struct gcp_logger {
    gcp_log_fn fn;     /* NULL: nothing is reported */
    void *payload;     /* passed back to fn, borrowed */
    gcp_log_level min; /* messages below this level are dropped */
};

/* Returns non-zero when a message at `level` would reach the callback. */
int gcp_log__enabled(const struct gcp_logger *lg, gcp_log_level level);

/* Formats and reports one message; cheap when the level is disabled. */
void gcp_log__emit(const struct gcp_logger *lg, gcp_log_level level,
                   const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif

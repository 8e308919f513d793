/*
 * gcprov/common.h: what every gcprov module shares: the export macro, the
 * error contract and the log callback.
 *
 * The error contract. Every function that can fail returns 0 on success or
 * a negative gcp_error code. Codes have names only where a caller branches
 * on them. The handle the function was called on keeps a one-line message
 * (lower case, no final period) describing the last failure; each public
 * entry point clears it. Functions without a handle say how they report.
 */
#ifndef GCPROV_COMMON_H
#define GCPROV_COMMON_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define GCP_EXTERN __attribute__((visibility("default")))
#else
#define GCP_EXTERN
#endif

/* Results of gcprov functions: 0 or one of these negative codes. */
typedef enum gcp_error {
    GCP_OK = 0,
    GCP_ERROR = -1,         /* a failure no caller branches on */
    GCP_ENOMEM = -2,        /* out of memory */
    GCP_EINVALID = -3,      /* invalid argument, input or request (400) */
    GCP_ENOTFOUND = -4,     /* the thing asked for does not exist (404) */
    GCP_ECONFLICT = -5,     /* duplicate or stale version (409) */
    GCP_EPERMISSION = -6,   /* the OAuth client lacks a permission (403) */
    GCP_EAUTH = -7,         /* credentials refused or token invalid (401) */
    GCP_ERATELIMITED = -8,  /* 429 and no retry left */
    GCP_ETRANSIENT = -9,    /* 5xx, timeout or connection failure */
    GCP_EUNKNOWN = -10,     /* sent, outcome unknown: reconcile, don't redo */
    GCP_EIO = -11,          /* local file, disk or journal failure */
    GCP_EBUSY = -12,        /* held by another process (journal lock) */
    GCP_EBUDGET = -13,      /* the run's retry budget is spent */
    GCP_ECANCELLED = -14,   /* stopped on request */
    GCP_EUNSUPPORTED = -15, /* not offered by this build or server */
} gcp_error;

/*
 * Returns a static, lower-case name for a gcp_error code ("not found"),
 * or "unknown error" for a value that is not one. Never NULL.
 */
GCP_EXTERN const char *gcp_error_name(int code);

/* Log levels, most verbose first. */
typedef enum gcp_log_level {
    GCP_LOG_DEBUG = 0,
    GCP_LOG_INFO = 1,
    GCP_LOG_WARN = 2,
    GCP_LOG_ERROR = 3,
} gcp_log_level;

/*
 * A log callback. `message` is one full sentence without a trailing
 * newline, borrowed for the duration of the call. The library never
 * prints: it reports through this callback only, and never passes secrets
 * or tokens to it. Called from the thread that did the work.
 */
typedef void (*gcp_log_fn)(gcp_log_level level, const char *message,
                           void *payload);

/* Returns "debug", "info", "warn" or "error". Never NULL. */
GCP_EXTERN const char *gcp_log_level_name(gcp_log_level level);

/* Returns the library's version string, e.g. "0.1.0". Never NULL. */
GCP_EXTERN const char *gcp_version(void);

#ifdef __cplusplus
}
#endif

#endif

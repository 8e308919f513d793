/*
 * gcprov/client.h: the connection to one Genesys Cloud org. A gcp_client
 * owns the credentials, the OAuth token, the request pacing, the retries
 * and the error classification; everything above it sees classified
 * results that carry the correlation id. See docs/client.md.
 *
 * Signals: transfers run with CURLOPT_NOSIGNAL, so a program using the
 * client should ignore SIGPIPE (a peer closing a TLS connection could
 * otherwise end the process); gcprov's CLI does.
 *
 * Threads: every function taking a gcp_client may be called from several
 * threads at once, except gcp_client_free. The last failure's message is
 * kept per client, so with several threads read each result's own
 * `message` instead of gcp_client_message().
 */
#ifndef GCPROV_CLIENT_H
#define GCPROV_CLIENT_H

#include <stddef.h>

#include <jansson.h>

#include "gcprov/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gcp_client gcp_client;

#define GCP_CLIENT_OPTIONS_VERSION 1

/*
 * How to reach and pace one org. Zero means "the default" for every
 * number. Strings are borrowed for the duration of gcp_client_new only:
 * the client copies what it keeps.
 */
typedef struct gcp_client_options {
    unsigned int version; /* GCP_CLIENT_OPTIONS_VERSION */

    /* Where: a region (SDK name "eu-west-1" or domain "mypurecloud.ie"),
     * or an API URL (gateway, proxy, sandbox). The login URL defaults to
     * the region's login host, or to api_url when that is given. Plain
     * http:// is refused unless the host is loopback. */
    const char *region;
    const char *api_url;
    const char *login_url;

    /* Who: the OAuth client id and secret. The secret is copied; the
     * copy is wiped when the client is freed. The caller still owns (and
     * should wipe) its own buffer. `secret_len` 0: strlen(secret). */
    const char *client_id;
    const char *secret;
    size_t secret_len;

    /* Pace: requests per minute. 0: read the tenant's limit
     * (client.credentials.token.rate.per.minute) from the limits API when
     * the client may, else 300. */
    double rate_per_minute;
    int max_in_flight;       /* concurrent requests; default 8 */
    long connect_timeout_ms; /* default 10000 */
    long timeout_ms;         /* whole request; default 60000 */
    const char *ca_file;     /* extra trusted CAs (PEM); NULL: system only */

    /* Retries: the budget shared by the whole run (AWS standard mode
     * units: a retry costs 5, after a timeout 10; default 500), the most
     * attempts per request (default 8) and the backoff in milliseconds
     * (full jitter, base default 200, cap default 20000). */
    int retry_budget;
    int max_attempts;
    long backoff_base_ms;
    long backoff_cap_ms;
    unsigned int seed; /* jitter seed; 0: from the clock */

    /* Logs: never carries a secret or a token, at any level. */
    gcp_log_fn log;
    void *log_payload; /* borrowed until gcp_client_free */
    gcp_log_level log_level;
} gcp_client_options;

#define GCP_CLIENT_OPTIONS_INIT                                                \
    {                                                                          \
        .version = GCP_CLIENT_OPTIONS_VERSION                                  \
    }

/*
 * Creates a client. Nothing is sent yet. On success *out is a client the
 * caller frees with gcp_client_free. On failure returns GCP_EINVALID
 * (unknown region, bad URL, missing id or secret; `*out` NULL, the reason
 * in `errbuf` when it is not NULL, `errlen` bytes at most) or GCP_ENOMEM.
 */
GCP_EXTERN int gcp_client_new(gcp_client **out, const gcp_client_options *opts,
                              char *errbuf, size_t errlen);

/* Wipes the secret and the token and frees the client. NULL is fine. */
GCP_EXTERN void gcp_client_free(gcp_client *client);

/* The last failure's one-line message, or "". Borrowed from the client. */
GCP_EXTERN const char *gcp_client_message(const gcp_client *client);

/* The OAuth client id in use, borrowed from the client. Never NULL. */
GCP_EXTERN const char *gcp_client_id(const gcp_client *client);

/*
 * The URL of the API the client talks to, without its scheme:
 * "api.mypurecloud.ie", "127.0.0.1:8080" or "gw.example.com/genesys",
 * the same whether the org was named by region, by domain or by URL. It
 * names the org in journals and reports. Borrowed from the client. Never
 * NULL.
 */
GCP_EXTERN const char *gcp_client_api_host(const gcp_client *client);

/*
 * Writes to `out` (`size` bytes) what gcp_client_api_host() would give
 * for a client made with `region` and `api_url` (as in
 * gcp_client_options; either may be NULL), without making one. Returns
 * 0, GCP_EINVALID (an unknown region, a URL gcp_client_new refuses, or
 * `size` too small; the reason in `out` when it fits).
 */
GCP_EXTERN int gcp_client_api_host_for(char *out, size_t size,
                                       const char *region, const char *api_url);

/*
 * Gets a token (checking the credentials) and, when rate_per_minute was
 * 0, reads the tenant's rate limit. Calls do this themselves when needed;
 * call it first to fail early. Returns 0, GCP_EAUTH (credentials refused:
 * the message says whether the client is unknown or the secret wrong),
 * GCP_ETRANSIENT (login server unreachable) or another gcp_error.
 */
GCP_EXTERN int gcp_client_connect(gcp_client *client);

/* One request. Every pointer is borrowed for the duration of the call. */
typedef struct gcp_request {
    const char *method; /* "GET", "POST", "PUT", "PATCH", "DELETE" */
    const char *route;  /* the template, for reports: "/api/v2/users/{id}" */
    const char *path;   /* escaped path and query: "/api/v2/users/ab%2F" */
    json_t *body;       /* borrowed; NULL sends no body */
    int idempotent;     /* non-zero: safe to send twice (GET always is) */
} gcp_request;

/*
 * What became of a request. Filled by the client; the caller owns it and
 * releases what it holds with gcp_result_clear.
 */
typedef struct gcp_result {
    int code;     /* 0 or the classification: GCP_EINVALID, ENOTFOUND,
                     ECONFLICT, EPERMISSION, EAUTH, ERATELIMITED,
                     ETRANSIENT, EUNKNOWN, EBUDGET, ENOMEM */
    long status;  /* HTTP status of the last attempt; 0: no reply */
    json_t *json; /* the reply body (also on errors); NULL when empty or
                     not JSON; owned: a callback may steal it (set NULL) */
    char method[8];
    char route[160];         /* "POST /api/v2/users" uses both */
    char correlation_id[80]; /* ININ-Correlation-Id, or "" */
    int retries;             /* attempts after the first */
    double retry_after;      /* Retry-After of the last 429, seconds */
    /* The ErrorBody's fields, borrowed from `json` (NULL when absent). */
    const char *error_code;    /* "general.conflict" */
    const char *error_message; /* the API's message */
    const char *error_message_with_params;
    const char *error_context_id;
    json_t *error_details;        /* borrowed array or NULL */
    json_t *error_errors;         /* nested ErrorBodies, borrowed */
    char missing_permission[128]; /* on 403, when the API names it */
    char message[512];            /* one line for an operator */
} gcp_result;

/* Frees what a result holds and zeroes it. NULL is fine. */
GCP_EXTERN void gcp_result_clear(gcp_result *result);

/*
 * Sends one request, paced and retried, and waits for it. Fills `out`
 * (which must be zeroed or cleared) and returns out->code. The token is
 * renewed before the request when needed; a 401 renews once and replays.
 */
GCP_EXTERN int gcp_client_call(gcp_client *client, gcp_result *out,
                               const gcp_request *request);

/*
 * Called once per finished request of a batch, from the thread running
 * the batch. `result` is the request's result: borrowed until the callback
 * returns (unless it lives in the caller's `out` array), but the callback
 * may steal result->json by setting it to NULL.
 */
typedef void (*gcp_done_fn)(size_t index, const gcp_request *request,
                            gcp_result *result, void *payload);

/*
 * Sends `count` requests concurrently within the in-flight bound and the
 * pacing, and waits for them all. Each result goes to out[i] when `out`
 * is not NULL (count zeroed results, caller-owned), and to `done` when it
 * is not NULL. `requests` and what they point to are borrowed until the
 * call returns. Returns 0 when every request succeeded, else the code of
 * the first failed one by index (GCP_EBUDGET when the retry budget ran
 * out), with the client's message set.
 */
GCP_EXTERN int gcp_client_batch(gcp_client *client, gcp_result *out,
                                const gcp_request *requests, size_t count,
                                gcp_done_fn done, void *payload);

/* The run's counters, for reports and benchmarks. */
typedef struct gcp_client_stats {
    unsigned long requests;     /* attempts sent to the API (not tokens) */
    unsigned long retries;      /* attempts after a first */
    unsigned long throttled;    /* 429 replies met */
    unsigned long token_grants; /* tokens obtained */
    unsigned long failures;     /* requests that ended in an error */
    unsigned long bytes_sent;   /* request bodies */
    unsigned long bytes_received;
    double rate_limit; /* the limit in force, per minute */
    double rate_now;   /* the paced rate now, per minute */
    int budget_left;   /* what remains of the retry budget */
} gcp_client_stats;

/* Copies the counters into *out. */
GCP_EXTERN void gcp_client_stats_get(gcp_client_stats *out, gcp_client *client);

/*
 * Escapes one path segment ("a/b c" -> "a%2Fb%20c"). Returns a new string
 * the caller frees with free(), or NULL when out of memory.
 */
GCP_EXTERN char *gcp_url_escape(const char *segment);

#ifdef __cplusplus
}
#endif

#endif

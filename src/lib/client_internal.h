/*
 * client_internal.h: the inside of a gcp_client, shared by client.c (life
 * cycle, options, limits), client_token.c (the OAuth token),
 * client_error.c (ErrorBody and classification) and http_engine.c (the
 * libcurl multi loop). Nothing here is exported.
 *
 * Locking: `mu` guards the queue, the token, the pacing, the budget and
 * the counters. Only the thread holding the driver role (`driving`) calls
 * into the multi handle; the others wait on `cv` and are woken after every
 * step of the driver, and take the role over when it is free.
 */
#ifndef GCP_CLIENT_INTERNAL_H
#define GCP_CLIENT_INTERNAL_H

#include <pthread.h>

#include <curl/curl.h>

#include "err.h"
#include "gcprov/client.h"
#include "log.h"
#include "pace.h"
#include "retry.h"

/* Renew a token when less than this is left, or a tenth of its life. */
#define GCP_TOKEN_MARGIN 300.0

/* The default rate when the tenant's limit cannot be read, per minute. */
#define GCP_DEFAULT_RATE 300.0

/* Pacing aims a little under the limit so window edges meet no 429. */
#define GCP_PACE_SHARE 0.95

/* The cached OAuth token. */
struct gcp_token {
    char *value;              /* the access token; wiped; NULL: none */
    double expires_at;        /* monotonic seconds */
    double lifetime;          /* expires_in as granted */
    unsigned long generation; /* counts grants, to spot a stale 401 */
};

/* A growing byte buffer for reply bodies. */
struct gcp_buf {
    char *data;
    size_t len;
    size_t cap;
};

struct gcp_batch;

/* One request on its way: waiting, in flight, or finished. */
struct gcp_job {
    const gcp_request *req; /* borrowed from the caller */
    gcp_result *res;        /* where the outcome goes */
    size_t index;           /* in the batch */
    struct gcp_batch *batch;
    int is_token; /* a token grant rather than an API call */
    CURL *easy;   /* while in flight */
    struct curl_slist *headers;
    char *body; /* the serialised JSON body, or NULL */
    struct gcp_buf reply;
    double not_before; /* monotonic seconds: backoff */
    int attempts;      /* sent so far */
    int auth_replays;  /* 401 replays so far (at most one) */
    int spent;         /* retry budget spent by this request */
    unsigned long token_generation;
    struct gcp_job *next; /* in the waiting queue or a finished list */
};

/* A caller waiting for its requests. */
struct gcp_batch {
    struct gcp_job *jobs;
    size_t count;
    size_t finished;      /* results ready (delivered or not) */
    struct gcp_job *done; /* finished, not yet delivered to the caller */
};

struct gcp_client {
    /* settings, fixed after gcp_client_new */
    char *api_url;
    char *login_url;
    char *client_id;
    char *secret; /* wiped on free */
    char *ca_file;
    char *ca_path;
    double rate_option; /* per minute; 0: read the tenant's limit */
    int max_in_flight;
    long connect_timeout_ms;
    long timeout_ms;
    int max_attempts;
    double backoff_base; /* seconds */
    double backoff_cap;
    struct gcp_logger log;

    pthread_mutex_t ready_mu; /* serialises gcp_client_connect */
    int ready;                /* token granted and rate known */

    pthread_mutex_t mu;
    pthread_cond_t cv;
    int driving;
    CURLM *multi;
    struct gcp_job *waiting; /* FIFO of jobs not started */
    int in_flight;
    struct gcp_token token;
    struct gcp_job *token_job;    /* the grant under way, or NULL */
    int grant_wanted;             /* callers waiting for a token alone */
    unsigned long token_failures; /* grants that ended in failure */
    struct gcp_err token_err;     /* why the last grant failed */
    struct gcp_job token_slot;    /* storage for that job */
    gcp_request token_request;
    gcp_result token_result;
    struct gcp_pace pace;
    struct gcp_retry_budget budget;
    unsigned int seed;
    gcp_client_stats stats;
    struct gcp_err err;
};

/* snprintf that may cut: the one place where a cut line is expected. */
void gcp_client__format(char *out, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* --- client_token.c --- */

/* Returns the margin before expiry at which a token is renewed. */
double gcp_token__margin(double lifetime);

/* Returns non-zero when the token exists and needs no renewal at `now`. */
int gcp_token__fresh(const struct gcp_token *t, double now);

/* Wipes and drops the token. */
void gcp_token__clear(struct gcp_token *t);

/*
 * Takes a token grant's reply body (JSON, wiped here whatever happens) and
 * stores the token. Returns 0, or GCP_EAUTH with `err` set when the reply
 * has no usable token.
 */
int gcp_token__store(struct gcp_token *t, char *reply, size_t len, double now,
                     struct gcp_err *err);

/*
 * Words an operator can act on for a refused grant: fills `out` from the
 * status and the OAuth-style {"error", "description"} reply.
 */
void gcp_token__explain(char *out, size_t size, long status, const char *reply,
                        size_t len, const char *client_id);

/* --- client_error.c --- */

/* How an attempt ended, and whether to try again. */
struct gcp_verdict {
    int code;  /* 0 or a gcp_error */
    int retry; /* non-zero: worth another attempt */
    int cost;  /* budget a retry costs */
};

/*
 * Classifies an attempt: `curl_rc` the transfer's result, `status` the
 * HTTP status (0: none), `sent` non-zero when any of the request reached
 * the wire, `idempotent` as the caller marked it.
 */
struct gcp_verdict gcp_error__classify(int curl_rc, long status, int sent,
                                       int idempotent);

/* True when `curl_rc` says the server's certificate is not trusted. */
int gcp_error__is_tls_trust(int curl_rc);

/*
 * Fills the ErrorBody fields of `r` from r->json (borrowed pointers) and
 * the missing permission on a 403.
 */
void gcp_error__parse(gcp_result *r);

/*
 * Writes r->message: "POST /api/v2/users: 409 general.conflict: ...
 * (correlation id ...)"; `transport` is the curl error text or NULL.
 */
void gcp_error__describe(gcp_result *r, const char *transport);

/* --- http_engine.c --- */

/* Creates the multi handle. Returns 0 or GCP_ENOMEM. */
int gcp_engine__init(gcp_client *c);

/* Frees the multi handle and anything left in it. */
void gcp_engine__free(gcp_client *c);

/*
 * Runs `count` jobs to their end (see gcp_client_batch). The jobs are
 * caller storage, zeroed, with req/res/index set. Calls `done` for each
 * from this thread. Returns 0 or the first failure's code by index.
 */
int gcp_engine__run(gcp_client *c, struct gcp_job *jobs, size_t count,
                    gcp_done_fn done, void *payload);

/* Makes sure a token is held, granting one if needed. */
int gcp_engine__grant(gcp_client *c);

#endif

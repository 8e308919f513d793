/*
 * server.h: what the HTTP side of the sandbox shares between server.c
 * (libmicrohttpd, the request pipeline: faults, tokens, rate limit,
 * content type) and the routes_*.c files (one handler per endpoint, which
 * call the model and shape the reply). Handlers never see storage; the
 * model never sees HTTP.
 */
#ifndef SBX_SERVER_H
#define SBX_SERVER_H

#include <jansson.h>
#include <microhttpd.h>
#include <pthread.h>

#include "faults.h"
#include "log.h"
#include "model.h"
#include "sandbox.h"

struct sbx_stats;

struct sbx {
    struct MHD_Daemon *daemon;
    char url[80];
    struct sbx_model *model;
    struct sbx_engine *engine;
    struct sbx_stats *stats;
    char *state_file;
    char *tls_cert; /* PEM text, kept while the daemon runs */
    char *tls_key;  /* PEM text, wiped on stop */
    struct gcp_logger log;
    pthread_mutex_t id_lock; /* guards id_rng */
    unsigned short id_rng[3];
};

#define SBX_MAX_PARAMS 3

/* A header or query parameter; `value` may be NULL ("?flag"). Borrowed. */
struct sbx_kv {
    const char *key;
    const char *value;
};

/*
 * One request, as a handler sees it. Everything is borrowed. Headers and
 * query parameters are plain arrays, so that routes run without a socket
 * (sbx_handle_raw) as well as behind libmicrohttpd.
 */
struct sbx_req {
    struct sbx *sbx;
    const char *method;
    const char *path; /* decoded, without the query string */
    const struct sbx_kv *query;
    size_t query_count;
    const struct sbx_kv *headers;
    size_t header_count;
    const char *params[SBX_MAX_PARAMS]; /* the template's {names}, in order */
    const json_t *body;                 /* parsed JSON body, or NULL */
    const char *raw_body;               /* the body as received */
    size_t raw_len;
    const char *correlation_id;
    double now; /* s, monotonic */
};

/* A handler's reply: a status and a JSON body (owned; NULL: empty). */
struct sbx_reply {
    int status;
    json_t *body;
    long retry_after;        /* > 0: sent as Retry-After */
    char correlation_id[37]; /* set by sbx_handle */
    char allow[64];          /* a 405's Allow header */
};

/* What a route needs before its handler runs. */
enum {
    SBX_ROUTE_PUBLIC = 1, /* no bearer token (login, admin hooks) */
    SBX_ROUTE_ADMIN = 2,  /* test hook: no faults, no stats by route */
    SBX_ROUTE_JSON = 4,   /* a JSON body is required */
};

struct sbx_route {
    const char *method;
    const char *path;       /* template: /api/v2/users/{userId} */
    const char *permission; /* needed by the token's client, or NULL */
    unsigned flags;
    void (*handle)(struct sbx_reply *out, const struct sbx_req *req);
};

/* The body size past which a request gets 413 (docs/sandbox.md). */
#define SBX_MAX_BODY (8 * 1024 * 1024)

/*
 * Runs one request through the whole pipeline (route, faults, token, rate
 * limit, permission, content type, handler) and fills `out` (its body is
 * the caller's to json_decref). `req` needs sbx, method, path, query,
 * headers and the raw body; the rest is filled here. `too_big` says the
 * body went past SBX_MAX_BODY (413). Returns 1 when the connection must be
 * cut with no reply (a reset or lost-reply fault), else 0.
 */
int sbx_handle(struct sbx_reply *out, struct sbx_req *req, int too_big);

/*
 * The same without a socket, for tests and fuzzers: `query` is the raw
 * query string ("a=1&b=x%20y", NULL for none), decoded here as
 * libmicrohttpd would; `body` need not end with NUL. Returns 1 (cut), 0,
 * or GCP_ENOMEM.
 */
int sbx_handle_raw(struct sbx_reply *out, struct sbx *s, const char *method,
                   const char *path, const char *query,
                   const struct sbx_kv *headers, size_t header_count,
                   const char *body, size_t body_len);

/*
 * Loads the org and makes a sandbox that does not listen (sbx_url is
 * empty): requests go through sbx_handle_raw. Freed with sbx_stop.
 */
int sbx_open(struct sbx **out, const struct sbx_config *cfg,
             struct gcp_err *err);

/* A request header, compared without regard to case, or NULL. */
const char *sbx_header(const struct sbx_req *req, const char *name);

/*
 * Decodes an "Authorization: Basic" header into *out_user and
 * *out_password (one allocation: free *out_user only). Returns 0, or -1
 * when the header is missing or malformed.
 */
int sbx_basic_auth(char **out_user, const char **out_password,
                   const struct sbx_req *req);

/*
 * Finds the route for a method and path, filling `params`; NULL when none.
 * *out_path_known is set when the path exists under another method.
 */
const struct sbx_route *sbx_routes_match(const char *method, const char *path,
                                         const char *params[SBX_MAX_PARAMS],
                                         char *scratch, size_t scratch_len,
                                         int *out_path_known);

/*
 * Writes the methods `path` is served under ("GET, PATCH, DELETE"), for a
 * 405's Allow header, into `out` (empty when none; cut short to fit).
 */
void sbx_routes_allow(char *out, size_t size, const char *path);

/* --- Replies ----------------------------------------------------------------
 */

/* Sets a JSON reply; `body` is stolen. */
void sbx_reply_json(struct sbx_reply *out, int status, json_t *body);

/* Sets an ErrorBody reply with the given status, code and message. */
void sbx_reply_error(struct sbx_reply *out, const struct sbx_req *req,
                     int status, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Maps a model failure (gcp_error and message) to its status and code. */
void sbx_reply_failure(struct sbx_reply *out, const struct sbx_req *req, int rc,
                       const struct gcp_err *err);

/*
 * Sets a paging envelope around `entities` (stolen): entities, pageSize,
 * pageNumber, total, pageCount, firstUri, selfUri, lastUri, nextUri and
 * previousUri where they exist.
 */
void sbx_reply_page(struct sbx_reply *out, const struct sbx_req *req,
                    json_t *entities, long total, const struct sbx_page *page);

/* --- Query parameters -------------------------------------------------------
 */

/* One query parameter (the first of its name), or NULL. Borrowed. */
const char *sbx_query(const struct sbx_req *req, const char *name);

/*
 * Every value of a repeatable parameter, commas splitting values too, as a
 * new array of strings (empty when absent).
 */
json_t *sbx_query_list(const struct sbx_req *req, const char *name);

/*
 * Reads pageSize (default `def`, at most `max`) and pageNumber (default 1).
 * Returns 0, or -1 after setting a 400 reply.
 */
int sbx_query_page(struct sbx_reply *out, const struct sbx_req *req,
                   struct sbx_page *page, long def, long max);

/* --- Stats
 * -------------------------------------------------------------------- */

struct sbx_stats *sbx_stats_new(void);
void sbx_stats_free(struct sbx_stats *st);
void sbx_stats_clear(struct sbx_stats *st);
void sbx_stats_route(struct sbx_stats *st, const char *method,
                     const char *path);
void sbx_stats_status(struct sbx_stats *st, int status);
/* Counts one event: "tokensIssued", "rateLimited", "failed", "reset"... */
void sbx_stats_event(struct sbx_stats *st, const char *name);
json_t *sbx_stats_json(struct sbx_stats *st);

/* --- Handlers, one per endpoint (routes_*.c)
 * ---------------------------------- */

#define SBX_HANDLER(name)                                                      \
    void name(struct sbx_reply *out, const struct sbx_req *req)

SBX_HANDLER(sbx_oauth_token);
SBX_HANDLER(sbx_admin_stats);
SBX_HANDLER(sbx_admin_state);
SBX_HANDLER(sbx_admin_reset);
SBX_HANDLER(sbx_admin_faults_get);
SBX_HANDLER(sbx_admin_faults_put);

SBX_HANDLER(sbx_users_create);
SBX_HANDLER(sbx_users_list);
SBX_HANDLER(sbx_users_get);
SBX_HANDLER(sbx_users_patch);
SBX_HANDLER(sbx_users_delete);
SBX_HANDLER(sbx_users_search);
SBX_HANDLER(sbx_users_extid_add);
SBX_HANDLER(sbx_users_extid_list);
SBX_HANDLER(sbx_users_extid_find);
SBX_HANDLER(sbx_users_roles_put);

SBX_HANDLER(sbx_authz_division_home);
SBX_HANDLER(sbx_authz_divisions);
SBX_HANDLER(sbx_authz_roles);
SBX_HANDLER(sbx_authz_role);
SBX_HANDLER(sbx_authz_role_grant);
SBX_HANDLER(sbx_authz_role_users);
SBX_HANDLER(sbx_authz_role_subjectgrants);
SBX_HANDLER(sbx_authz_role_users_add);
SBX_HANDLER(sbx_authz_division_objects);
SBX_HANDLER(sbx_authz_role_users_remove);
SBX_HANDLER(sbx_authz_subject);
SBX_HANDLER(sbx_authz_bulkadd);
SBX_HANDLER(sbx_authz_bulkremove);
SBX_HANDLER(sbx_authz_bulkreplace);

SBX_HANDLER(sbx_license_definitions);
SBX_HANDLER(sbx_license_user);
SBX_HANDLER(sbx_license_users);
SBX_HANDLER(sbx_license_users_batch);
SBX_HANDLER(sbx_license_organization);
SBX_HANDLER(sbx_license_infer);
SBX_HANDLER(sbx_limits_namespace);

#endif

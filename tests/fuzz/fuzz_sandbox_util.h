/*
 * fuzz_sandbox_util.h: what the sandbox's fuzz targets share. Each input
 * gets a fresh sandbox that does not listen (sbx_open: the demo org, no
 * rate limit, no search lag), a token of the all-powerful demo client, and
 * requests driven through sbx_handle_raw, the same pipeline the socket
 * feeds. Every reply is serialised (so that ASan sees a dangling pointer
 * in it) and checked: a status from 200 to 599, an ErrorBody on errors,
 * and never a 500, which would be a sandbox bug.
 */
#ifndef FUZZ_SANDBOX_UTIL_H
#define FUZZ_SANDBOX_UTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server.h"

#define FZ_ADA   "e0000000-0000-4000-8000-000000000001"
#define FZ_LEE   "e0000000-0000-4000-8000-000000000002"
#define FZ_AGENT "a0000000-0000-4000-8000-000000000002"

struct fz {
    struct sbx *sbx;
    struct sbx_config cfg;
    char bearer[256];
};

static inline void fz_die(const char *what, int status, const char *text)
{
    fprintf(stderr, "fuzz: %s (status %d): %.300s\n", what, status,
            text ? text : "");
    abort();
}

/* A fresh sandbox and token; aborts when the demo org cannot load. */
static inline void fz_open(struct fz *f)
{
    struct gcp_err err;
    struct timespec now;
    char *token = NULL;
    long expires;

    gcp_err__clear(&err);
    clock_gettime(CLOCK_MONOTONIC, &now);
    sbx_config_init(&f->cfg);
    f->cfg.faults.rate_limit = 0;
    f->cfg.faults.search_lag = 0;
    if (sbx_open(&f->sbx, &f->cfg, &err) < 0)
        fz_die(gcp_err__message(&err), 0, NULL);
    if (sbx_model_token_issue(f->sbx->model, &token, &expires, "gcprov-demo",
                              "gcprov-demo-secret", (double)now.tv_sec,
                              &err) < 0)
        fz_die(gcp_err__message(&err), 0, NULL);
    snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", token);
    free(token);
}

static inline void fz_close(struct fz *f)
{
    sbx_stop(f->sbx, NULL);
}

/* Serialises and checks one reply, then frees its body. */
static inline void fz_check(struct sbx_reply *r)
{
    char *text = r->body ? json_dumps(r->body, JSON_COMPACT) : NULL;

    if (r->status < 200 || r->status > 599 || r->status == 500)
        fz_die("a status the sandbox must not send", r->status, text);
    if (r->status >= 400 && json_object_get(r->body, "code") == NULL &&
        json_object_get(r->body, "error") == NULL)
        fz_die("an error without a code (ErrorBody) or error (OAuth)",
               r->status, text);
    free(text);
    json_decref(r->body);
    r->body = NULL;
}

/* One request with the given headers. */
static inline void fz_request(struct fz *f, const char *method,
                              const char *path, const char *query,
                              const struct sbx_kv *headers, size_t header_count,
                              const char *body, size_t len)
{
    struct sbx_reply r = {0};
    int rc = sbx_handle_raw(&r, f->sbx, method, path, query, headers,
                            header_count, body, len);

    if (rc < 0)
        fz_die("sbx_handle_raw failed", rc, NULL);
    if (rc == 0)
        fz_check(&r);
}

/* One API call with the token and a JSON content type. */
static inline void fz_call(struct fz *f, const char *method, const char *path,
                           const char *query, const char *body, size_t len)
{
    const struct sbx_kv headers[] = {
        {"Authorization", f->bearer},
        {"Content-Type", "application/json"},
    };

    fz_request(f, method, path, query, headers, 2, body, len);
}

/* Reads the org back in every way, so that a write left nothing broken. */
static inline void fz_read_back(struct fz *f)
{
    static const char search[] =
        "{\"query\": [{\"type\": \"CONTAINS\", \"fields\": [\"name\", "
        "\"email\", \"state\"], \"values\": [\"a\", \"active\", "
        "\"inactive\", \"deleted\"]}], \"pageSize\": 100}";

    sbx_set_faults(f->sbx, &f->cfg.faults); /* undo a fuzzed PUT */
    fz_call(f, "GET", "/_sandbox/state", NULL, NULL, 0);
    fz_call(f, "GET", "/api/v2/users",
            "state=any&pageSize=500&expand=employerInfo,authorization", NULL,
            0);
    fz_call(f, "POST", "/api/v2/users/search", NULL, search,
            sizeof(search) - 1);
    fz_call(f, "GET", "/api/v2/license/users", "pageSize=500", NULL, 0);
    fz_call(f, "GET", "/api/v2/authorization/subjects/" FZ_ADA, NULL, NULL, 0);
    fz_call(f, "GET", "/api/v2/authorization/roles/" FZ_AGENT "/users", NULL,
            NULL, 0);
    fz_call(f, "GET", "/_sandbox/stats", NULL, NULL, 0);
}

#endif

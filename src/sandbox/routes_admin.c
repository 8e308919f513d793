/*
 * routes_admin.c: the OAuth token endpoint and the test hooks under
 * /_sandbox/ (stats, state, reset, faults). The hooks need no token and
 * are never delayed, failed or rate-limited.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"
#include "wipe.h"

static void oauth_error(struct sbx_reply *out, int status, const char *error,
                        const char *description)
{
    sbx_reply_json(
        out, status,
        json_pack("{s:s, s:s}", "error", error, "description", description));
}

/* Finds `name` in a form body; copies its unescaped value into `value`. */
static int form_value(const char *body, size_t len, const char *name,
                      char *value, size_t size)
{
    size_t nlen = strlen(name);
    const char *p = body;
    const char *end = body + len;

    while (p != NULL && p < end) {
        const char *amp = memchr(p, '&', (size_t)(end - p));
        size_t plen = amp ? (size_t)(amp - p) : (size_t)(end - p);

        if (plen > nlen && p[nlen] == '=' && strncmp(p, name, nlen) == 0 &&
            plen - nlen - 1 < size) {
            memcpy(value, p + nlen + 1, plen - nlen - 1);
            value[plen - nlen - 1] = '\0';
            MHD_http_unescape(value);
            return 0;
        }
        p = amp ? amp + 1 : NULL;
    }
    return -1;
}

static void issue_token(struct sbx_reply *out, const struct sbx_req *req,
                        const char *client, const char *secret)
{
    struct gcp_err err;
    char *token = NULL;
    long expires = 0;

    gcp_err__clear(&err);
    if (sbx_model_token_issue(req->sbx->model, &token, &expires, client, secret,
                              req->now, &err) < 0) {
        oauth_error(out, 401, "invalid_client", gcp_err__message(&err));
        return;
    }
    sbx_stats_event(req->sbx->stats, "tokensIssued");
    sbx_reply_json(out, 200,
                   json_pack("{s:s, s:s, s:I}", "access_token", token,
                             "token_type", "bearer", "expires_in",
                             (json_int_t)expires));
    free(token);
}

SBX_HANDLER(sbx_oauth_token)
{
    const char *type = sbx_header(req, "Content-Type");
    const char *password;
    char grant[64];
    char *user;

    if (type == NULL ||
        strncasecmp(type, "application/x-www-form-urlencoded", 33) != 0) {
        oauth_error(out, 400, "invalid_request",
                    "the body must be application/x-www-form-urlencoded");
        return;
    }
    if (form_value(req->raw_body ? req->raw_body : "", req->raw_len,
                   "grant_type", grant, sizeof(grant)) < 0 ||
        strcmp(grant, "client_credentials") != 0) {
        oauth_error(out, 400, "unsupported_grant_type",
                    "grant_type must be client_credentials");
        return;
    }
    if (sbx_basic_auth(&user, &password, req) < 0)
        oauth_error(out, 401, "invalid_client",
                    "client credentials are required in a basic "
                    "authorization header");
    else
        issue_token(out, req, user, password);
    gcp_wipe_free(user);
}

SBX_HANDLER(sbx_admin_stats)
{
    sbx_reply_json(out, 200, sbx_stats_json(req->sbx->stats));
}

SBX_HANDLER(sbx_admin_state)
{
    sbx_reply_json(out, 200, sbx_model_dump(req->sbx->model));
}

SBX_HANDLER(sbx_admin_reset)
{
    struct gcp_err err;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_reset(req->sbx->model, &err);
    if (rc < 0) {
        sbx_reply_failure(out, req, rc, &err);
        return;
    }
    sbx_stats_clear(req->sbx->stats);
    sbx_reply_json(out, 204, NULL);
}

SBX_HANDLER(sbx_admin_faults_get)
{
    struct sbx_faults f;

    sbx_engine_get(req->sbx->engine, &f);
    sbx_reply_json(out, 200, sbx_faults_to_json(&f));
}

SBX_HANDLER(sbx_admin_faults_put)
{
    struct sbx_faults f;
    struct gcp_err err;
    int rc;

    gcp_err__clear(&err);
    sbx_engine_get(req->sbx->engine, &f);
    rc = sbx_faults_merge(&f, req->body, &err);
    if (rc < 0) {
        sbx_reply_failure(out, req, rc, &err);
        return;
    }
    sbx_set_faults(req->sbx, &f);
    sbx_reply_json(out, 200, sbx_faults_to_json(&f));
}

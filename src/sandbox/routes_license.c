/*
 * routes_license.c: license definitions, users' licenses, batch
 * assignment and inference, and the organization limits the sandbox
 * enforces.
 */
#include <string.h>

#include "server.h"

#define LICENSE_PAGE_DEFAULT 25
#define LICENSE_PAGE_MAX     500
#define LIMITS_NAMESPACE     "platform.api"

SBX_HANDLER(sbx_license_definitions)
{
    json_t *defs = sbx_model_license_definitions(req->sbx->model);

    if (defs == NULL)
        sbx_reply_error(out, req, 500, "internal.server.error",
                        "out of memory");
    else
        sbx_reply_json(out, 200, defs);
}

SBX_HANDLER(sbx_license_user)
{
    struct gcp_err err;
    json_t *licenses = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_license_user(req->sbx->model, &licenses, req->params[0],
                                req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, licenses);
}

SBX_HANDLER(sbx_license_users)
{
    struct sbx_page page;
    json_t *list = NULL;
    long total = 0;

    if (sbx_query_page(out, req, &page, LICENSE_PAGE_DEFAULT,
                       LICENSE_PAGE_MAX) < 0)
        return;
    if (sbx_model_license_users(req->sbx->model, &list, &total, &page) < 0)
        sbx_reply_error(out, req, 500, "internal.server.error",
                        "out of memory");
    else
        sbx_reply_page(out, req, list, total, &page);
}

SBX_HANDLER(sbx_license_users_batch)
{
    struct gcp_err err;
    json_t *map = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_license_batch(req->sbx->model, &map, req->body, req->now,
                                 &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, map);
}

SBX_HANDLER(sbx_license_organization)
{
    struct gcp_err err;
    json_t *results = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_license_assign(req->sbx->model, &results, req->body,
                                  req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, results);
}

SBX_HANDLER(sbx_license_infer)
{
    struct gcp_err err;
    json_t *ids = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_license_infer(req->sbx->model, &ids, req->body, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, ids);
}

/*
 * The token rate limit lives in namespace "platform.api" under the key
 * "client.credentials.token.rate.per.minute": what the sandbox enforces per
 * token, scaled to a minute (0 when the limit is off).
 */
SBX_HANDLER(sbx_limits_namespace)
{
    struct sbx_faults f;

    if (strcmp(req->params[0], LIMITS_NAMESPACE) != 0) {
        sbx_reply_error(out, req, 404, "not.found", "no limits namespace '%s'",
                        req->params[0]);
        return;
    }
    sbx_engine_get(req->sbx->engine, &f);
    sbx_reply_json(out, 200,
                   json_pack("{s:[{s:s, s:s, s:I}]}", "entities", "key",
                             "client.credentials.token.rate.per.minute",
                             "namespace", LIMITS_NAMESPACE, "value",
                             (json_int_t)sbx_faults_per_minute(&f)));
}

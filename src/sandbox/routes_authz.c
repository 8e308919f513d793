/*
 * routes_authz.c: divisions, moves between them, roles, role members and
 * grants. Grant and move calls reply 204 with no body, as the real ones
 * do, except roles/{id}/users/add and /remove, which echo the user ids.
 */
#include <string.h>

#include "server.h"

#define ROLE_PAGE_DEFAULT 25
#define ROLE_PAGE_MAX     500

SBX_HANDLER(sbx_authz_division_home)
{
    json_t *division = NULL;

    if (sbx_model_division_home(req->sbx->model, &division) < 0)
        sbx_reply_error(out, req, 500, "internal.server.error",
                        "out of memory");
    else
        sbx_reply_json(out, 200, division);
}

SBX_HANDLER(sbx_authz_divisions)
{
    struct sbx_page page;
    json_t *list = NULL;
    long total = 0;

    if (sbx_query_page(out, req, &page, ROLE_PAGE_DEFAULT, ROLE_PAGE_MAX) < 0)
        return;
    if (sbx_model_division_list(req->sbx->model, &list, &total,
                                sbx_query(req, "name"), &page) < 0)
        sbx_reply_error(out, req, 500, "internal.server.error",
                        "out of memory");
    else
        sbx_reply_page(out, req, list, total, &page);
}

/*
 * POST divisions/{divisionId}/objects/{objectType} with a list of object
 * ids: moves them to the division, 204. The sandbox holds users only, so
 * any other object type is refused.
 */
SBX_HANDLER(sbx_authz_division_objects)
{
    struct gcp_err err;
    int rc;

    gcp_err__clear(&err);
    if (strcmp(req->params[1], "USER") != 0) {
        sbx_reply_error(out, req, 400, "bad.request",
                        "the sandbox moves objects of type USER only");
        return;
    }
    rc = sbx_model_division_move_users(req->sbx->model, req->params[0],
                                       req->body, req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 204, NULL);
}

SBX_HANDLER(sbx_authz_roles)
{
    struct sbx_page page;
    json_t *list = NULL;
    long total = 0;

    if (sbx_query_page(out, req, &page, ROLE_PAGE_DEFAULT, ROLE_PAGE_MAX) < 0)
        return;
    if (sbx_model_role_list(req->sbx->model, &list, &total,
                            sbx_query(req, "name"), &page) < 0)
        sbx_reply_error(out, req, 500, "internal.server.error",
                        "out of memory");
    else
        sbx_reply_page(out, req, list, total, &page);
}

SBX_HANDLER(sbx_authz_role)
{
    struct gcp_err err;
    json_t *role = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_role_get(req->sbx->model, &role, req->params[0], &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, role);
}

typedef int (*members_fn)(struct sbx_model *m, json_t **out, long *out_total,
                          const char *role_id, const struct sbx_page *page,
                          struct gcp_err *err);

static void role_members(struct sbx_reply *out, const struct sbx_req *req,
                         members_fn members)
{
    struct sbx_page page;
    struct gcp_err err;
    json_t *list = NULL;
    long total = 0;
    int rc;

    gcp_err__clear(&err);
    if (sbx_query_page(out, req, &page, ROLE_PAGE_DEFAULT, ROLE_PAGE_MAX) < 0)
        return;
    rc = members(req->sbx->model, &list, &total, req->params[0], &page, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_page(out, req, list, total, &page);
}

SBX_HANDLER(sbx_authz_role_users)
{
    role_members(out, req, sbx_model_role_users);
}

SBX_HANDLER(sbx_authz_role_subjectgrants)
{
    role_members(out, req, sbx_model_role_subject_grants);
}

/* POST roles/{id}?subjectType=PC_USER {subjectIds, divisionIds}. */
SBX_HANDLER(sbx_authz_role_grant)
{
    const char *type = sbx_query(req, "subjectType");
    struct gcp_err err;
    int rc;

    gcp_err__clear(&err);
    if (type != NULL && strcmp(type, "PC_USER") != 0) {
        sbx_reply_error(out, req, 400, "bad.request",
                        "the sandbox grants roles to PC_USER subjects only");
        return;
    }
    if (!json_is_object(req->body) ||
        !json_is_array(json_object_get(req->body, "subjectIds"))) {
        sbx_reply_error(out, req, 400, "bad.request",
                        "'subjectIds' and 'divisionIds' are required");
        return;
    }
    rc = sbx_model_grant_role(req->sbx->model, req->params[0],
                              json_object_get(req->body, "subjectIds"),
                              json_object_get(req->body, "divisionIds"),
                              SBX_GRANT_ADD, req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 204, NULL);
}

static void role_users_change(struct sbx_reply *out, const struct sbx_req *req,
                              enum sbx_grant_mode mode)
{
    struct gcp_err err;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_grant_role(req->sbx->model, req->params[0], req->body, NULL,
                              mode, req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, json_deep_copy(req->body));
}

SBX_HANDLER(sbx_authz_role_users_add)
{
    role_users_change(out, req, SBX_GRANT_ADD);
}

SBX_HANDLER(sbx_authz_role_users_remove)
{
    role_users_change(out, req, SBX_GRANT_REMOVE);
}

SBX_HANDLER(sbx_authz_subject)
{
    struct gcp_err err;
    json_t *subject = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_subject_get(req->sbx->model, &subject, req->params[0],
                               req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, subject);
}

static void subject_change(struct sbx_reply *out, const struct sbx_req *req,
                           enum sbx_grant_mode mode)
{
    struct gcp_err err;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_grant_subject(req->sbx->model, req->params[0],
                                 json_object_get(req->body, "grants"), mode,
                                 req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 204, NULL);
}

SBX_HANDLER(sbx_authz_bulkadd)
{
    subject_change(out, req, SBX_GRANT_ADD);
}

SBX_HANDLER(sbx_authz_bulkremove)
{
    subject_change(out, req, SBX_GRANT_REMOVE);
}

SBX_HANDLER(sbx_authz_bulkreplace)
{
    subject_change(out, req, SBX_GRANT_REPLACE);
}

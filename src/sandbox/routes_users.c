/*
 * routes_users.c: the users endpoints: create, read, list, patch, delete,
 * search, external ids, and PUT /users/{id}/roles.
 */
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define USER_PAGE_DEFAULT   25
#define USER_PAGE_MAX       500
#define SEARCH_PAGE_DEFAULT 25
#define SEARCH_PAGE_MAX     100

/* Reads expand=employerInfo,authorization into `f`. */
static void read_expand(const struct sbx_req *req, struct sbx_user_filter *f)
{
    json_t *expand = sbx_query_list(req, "expand");
    size_t i;
    json_t *v;

    json_array_foreach(expand, i, v)
    {
        if (strcmp(json_string_value(v), "employerInfo") == 0)
            f->expand_employer = 1;
        else if (strcmp(json_string_value(v), "authorization") == 0)
            f->expand_authz = 1;
    }
    json_decref(expand);
}

SBX_HANDLER(sbx_users_create)
{
    struct gcp_err err;
    json_t *user = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_user_create(req->sbx->model, &user, req->body, req->now,
                               &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, user);
}

SBX_HANDLER(sbx_users_get)
{
    struct sbx_user_filter expand = {0};
    const char *state = sbx_query(req, "state");
    struct gcp_err err;
    json_t *user = NULL;
    int rc;

    gcp_err__clear(&err);
    read_expand(req, &expand);
    rc = sbx_model_user_get(req->sbx->model, &user, req->params[0], &expand,
                            state != NULL && strcmp(state, "deleted") == 0,
                            req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, user);
}

static int valid_state(const char *state)
{
    return state == NULL || strcmp(state, "active") == 0 ||
           strcmp(state, "inactive") == 0 || strcmp(state, "deleted") == 0 ||
           strcmp(state, "any") == 0;
}

/* Borrows the strings of `ids` into a C array for the model's filter. */
static const char **id_array(const json_t *ids)
{
    const char **out = calloc(json_array_size(ids) + 1, sizeof(*out));

    for (size_t i = 0; out != NULL && i < json_array_size(ids); i++)
        out[i] = json_string_value(json_array_get(ids, i));
    return out;
}

SBX_HANDLER(sbx_users_list)
{
    struct sbx_user_filter filter = {.state = sbx_query(req, "state")};
    struct sbx_page page;
    json_t *ids = sbx_query_list(req, "id");
    json_t *users = NULL;
    long total = 0;

    if (sbx_query_page(out, req, &page, USER_PAGE_DEFAULT, USER_PAGE_MAX) < 0)
        goto cleanup;
    if (!valid_state(filter.state)) {
        sbx_reply_error(out, req, 400, "bad.request",
                        "state must be active, inactive, deleted or any");
        goto cleanup;
    }
    read_expand(req, &filter);
    if (json_array_size(ids) > 0) {
        filter.ids = id_array(ids);
        filter.id_count = json_array_size(ids);
    }
    if (sbx_model_user_list(req->sbx->model, &users, &total, &filter, &page,
                            req->now) < 0)
        sbx_reply_error(out, req, 500, "internal.server.error",
                        "out of memory");
    else
        sbx_reply_page(out, req, users, total, &page);

cleanup:
    free((void *)filter.ids);
    json_decref(ids);
}

SBX_HANDLER(sbx_users_patch)
{
    struct gcp_err err;
    json_t *user = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_user_patch(req->sbx->model, &user, req->params[0], req->body,
                              req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, user);
}

SBX_HANDLER(sbx_users_delete)
{
    struct gcp_err err;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_user_delete(req->sbx->model, req->params[0], req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, json_object());
}

static long body_long(const json_t *body, const char *key, long def)
{
    json_t *v = json_object_get(body, key);

    return json_is_integer(v) ? (long)json_integer_value(v) : def;
}

SBX_HANDLER(sbx_users_search)
{
    struct sbx_page page = {
        body_long(req->body, "pageSize", SEARCH_PAGE_DEFAULT),
        body_long(req->body, "pageNumber", 1)};
    struct gcp_err err;
    json_t *results = NULL;
    long total = 0;
    int rc;

    gcp_err__clear(&err);
    if (page.size < 1 || page.size > SEARCH_PAGE_MAX || page.number < 1) {
        sbx_reply_error(out, req, 400, "bad.request",
                        "pageSize must be from 1 to %d, pageNumber from 1",
                        SEARCH_PAGE_MAX);
        return;
    }
    rc = sbx_model_user_search(req->sbx->model, &results, &total, req->body,
                               &page, req->now, &err);
    if (rc < 0) {
        sbx_reply_failure(out, req, rc, &err);
        return;
    }
    sbx_reply_json(out, 200,
                   json_pack("{s:I, s:I, s:i, s:i, s:[s], s:o}", "total",
                             (json_int_t)total, "pageCount",
                             (json_int_t)((total + page.size - 1) / page.size),
                             "pageSize", (int)page.size, "pageNumber",
                             (int)page.number, "types", "users", "results",
                             results));
}

SBX_HANDLER(sbx_users_extid_add)
{
    struct gcp_err err;
    json_t *list = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_extid_add(req->sbx->model, &list, req->params[0], req->body,
                             req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, list);
}

SBX_HANDLER(sbx_users_extid_list)
{
    struct gcp_err err;
    json_t *list = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_extid_list(req->sbx->model, &list, req->params[0], req->now,
                              &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, list);
}

SBX_HANDLER(sbx_users_extid_find)
{
    struct gcp_err err;
    json_t *user = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_extid_find(req->sbx->model, &user, req->params[0],
                              req->params[1], req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, user);
}

SBX_HANDLER(sbx_users_roles_put)
{
    struct gcp_err err;
    json_t *authz = NULL;
    int rc;

    gcp_err__clear(&err);
    rc = sbx_model_user_roles_put(req->sbx->model, &authz, req->params[0],
                                  req->body, req->now, &err);
    if (rc < 0)
        sbx_reply_failure(out, req, rc, &err);
    else
        sbx_reply_json(out, 200, authz);
}

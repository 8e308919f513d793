/*
 * routes.c: the sandbox's route table, the matcher, and the helpers that
 * shape replies (ErrorBody, paging envelopes) and read query parameters.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server.h"

#define U   "/api/v2/users"
#define AZ  "/api/v2/authorization"
#define LIC "/api/v2/license"
#define PUB SBX_ROUTE_PUBLIC
#define ADM (SBX_ROUTE_PUBLIC | SBX_ROUTE_ADMIN)
#define JS  SBX_ROUTE_JSON

/* Literal paths come before templates that could swallow them. */
static const struct sbx_route routes[] = {
    {"POST", "/oauth/token", NULL, PUB, sbx_oauth_token},
    {"GET", "/_sandbox/stats", NULL, ADM, sbx_admin_stats},
    {"GET", "/_sandbox/state", NULL, ADM, sbx_admin_state},
    {"POST", "/_sandbox/reset", NULL, ADM, sbx_admin_reset},
    {"GET", "/_sandbox/faults", NULL, ADM, sbx_admin_faults_get},
    {"PUT", "/_sandbox/faults", NULL, ADM | JS, sbx_admin_faults_put},

    {"POST", U, "directory:user:add", JS, sbx_users_create},
    {"GET", U, "directory:user:view", 0, sbx_users_list},
    {"POST", U "/search", "directory:user:view", JS, sbx_users_search},
    {"GET", U "/externalid/{authorityName}/{externalKey}",
     "directory:user:view", 0, sbx_users_extid_find},
    {"GET", U "/{userId}", "directory:user:view", 0, sbx_users_get},
    {"PATCH", U "/{userId}", "directory:user:edit", JS, sbx_users_patch},
    {"DELETE", U "/{userId}", "directory:user:delete", 0, sbx_users_delete},
    {"POST", U "/{userId}/externalid", "directory:user:edit", JS,
     sbx_users_extid_add},
    {"GET", U "/{userId}/externalid", "directory:user:view", 0,
     sbx_users_extid_list},
    {"PUT", U "/{subjectId}/roles", "authorization:grant:add", JS,
     sbx_users_roles_put},

    {"GET", AZ "/divisions/home", "authorization:division:view", 0,
     sbx_authz_division_home},
    {"GET", AZ "/divisions", "authorization:division:view", 0,
     sbx_authz_divisions},
    {"POST", AZ "/divisions/{divisionId}/objects/{objectType}",
     "directory:user:edit", JS, sbx_authz_division_objects},
    {"GET", AZ "/roles", "authorization:role:view", 0, sbx_authz_roles},
    {"GET", AZ "/roles/{roleId}", "authorization:role:view", 0, sbx_authz_role},
    {"POST", AZ "/roles/{roleId}", "authorization:grant:add", JS,
     sbx_authz_role_grant},
    {"GET", AZ "/roles/{roleId}/users", "authorization:role:view", 0,
     sbx_authz_role_users},
    {"GET", AZ "/roles/{roleId}/subjectgrants", "authorization:grant:view", 0,
     sbx_authz_role_subjectgrants},
    {"PUT", AZ "/roles/{roleId}/users/add", "authorization:grant:add", JS,
     sbx_authz_role_users_add},
    {"PUT", AZ "/roles/{roleId}/users/remove", "authorization:grant:delete", JS,
     sbx_authz_role_users_remove},
    {"GET", AZ "/subjects/{subjectId}", "authorization:grant:view", 0,
     sbx_authz_subject},
    {"POST", AZ "/subjects/{subjectId}/bulkadd", "authorization:grant:add", JS,
     sbx_authz_bulkadd},
    {"POST", AZ "/subjects/{subjectId}/bulkremove",
     "authorization:grant:delete", JS, sbx_authz_bulkremove},
    {"POST", AZ "/subjects/{subjectId}/bulkreplace",
     "authorization:grant:delete", JS, sbx_authz_bulkreplace},

    {"GET", LIC "/definitions", "authorization:license:view", 0,
     sbx_license_definitions},
    {"GET", LIC "/users", "authorization:license:view", 0, sbx_license_users},
    {"POST", LIC "/users", "authorization:license:view", JS,
     sbx_license_users_batch},
    {"GET", LIC "/users/{userId}", "authorization:license:view", 0,
     sbx_license_user},
    {"POST", LIC "/organization", "authorization:grant:add", JS,
     sbx_license_organization},
    {"POST", LIC "/infer", "authorization:license:view", JS, sbx_license_infer},
    {"GET", "/api/v2/organizations/limits/namespaces/{namespaceName}",
     "organization:limits:view", 0, sbx_limits_namespace},
};

#define ROUTE_COUNT (sizeof(routes) / sizeof(routes[0]))

/*
 * Matches `path` (in `scratch`, split in place) against one template.
 * Path parameters point into `scratch`.
 */
static int path_matches(const char *tmpl, char *segs[], size_t nsegs,
                        const char *params[SBX_MAX_PARAMS])
{
    size_t i = 0, np = 0;
    const char *t = tmpl + 1;

    for (; *t != '\0' || i < nsegs; i++) {
        size_t len = strcspn(t, "/");

        if (i >= nsegs || *t == '\0')
            return 0;
        if (t[0] == '{') {
            if (np == SBX_MAX_PARAMS || segs[i][0] == '\0')
                return 0;
            params[np++] = segs[i];
        } else if (strlen(segs[i]) != len || strncmp(segs[i], t, len) != 0) {
            return 0;
        }
        t += len + (t[len] == '/');
    }
    return 1;
}

static size_t split_path(char *scratch, char *segs[], size_t max)
{
    size_t n = 0;
    char *p = scratch + (scratch[0] == '/');
    size_t len = strlen(p);

    if (len > 0 && p[len - 1] == '/')
        p[len - 1] = '\0';
    while (n < max) {
        segs[n++] = p;
        p = strchr(p, '/');
        if (p == NULL)
            break;
        *p++ = '\0';
    }
    return n;
}

const struct sbx_route *sbx_routes_match(const char *method, const char *path,
                                         const char *params[SBX_MAX_PARAMS],
                                         char *scratch, size_t scratch_len,
                                         int *out_path_known)
{
    char *segs[16];
    size_t nsegs;

    *out_path_known = 0;
    if (strlen(path) >= scratch_len || path[0] != '/')
        return NULL;
    strcpy(scratch, path);
    nsegs = split_path(scratch, segs, 16);
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        if (!path_matches(routes[i].path, segs, nsegs, params))
            continue;
        if (strcmp(routes[i].method, method) == 0)
            return &routes[i];
        *out_path_known = 1;
    }
    return NULL;
}

void sbx_routes_allow(char *out, size_t size, const char *path)
{
    const char *params[SBX_MAX_PARAMS];
    char scratch[2048];
    char *segs[16];
    size_t nsegs, used = 0;

    out[0] = '\0';
    if (strlen(path) >= sizeof(scratch) || path[0] != '/')
        return;
    strcpy(scratch, path);
    nsegs = split_path(scratch, segs, 16);
    for (size_t i = 0; i < ROUTE_COUNT; i++) {
        int n;

        if (!path_matches(routes[i].path, segs, nsegs, params))
            continue;
        n = snprintf(out + used, size - used, "%s%s", used ? ", " : "",
                     routes[i].method);
        if (n < 0 || (size_t)n >= size - used)
            return;
        used += (size_t)n;
    }
}

/* --- Replies ----------------------------------------------------------------
 */

void sbx_reply_json(struct sbx_reply *out, int status, json_t *body)
{
    json_decref(out->body);
    out->status = status;
    out->body = body;
}

static json_t *error_body(const char *message, const char *code, int status,
                          const char *correlation_id)
{
    return json_pack("{s:s, s:s, s:i, s:s, s:s, s:{}, s:[], s:[]}", "message",
                     message, "code", code, "status", status, "contextId",
                     correlation_id, "messageWithParams", message,
                     "messageParams", "details", "errors");
}

/* Replaces every byte outside printable ASCII with '?'. */
static void ascii_only(char *text)
{
    for (unsigned char *p = (unsigned char *)text; *p != '\0'; p++)
        if (*p < 0x20 || *p > 0x7e)
            *p = '?';
}

void sbx_reply_error(struct sbx_reply *out, const struct sbx_req *req,
                     int status, const char *code, const char *fmt, ...)
{
    char message[512];
    va_list ap;

    json_t *body;

    va_start(ap, fmt);
    vsnprintf(message, sizeof(message), fmt, ap);
    va_end(ap);
    body = error_body(message, code, status, req->correlation_id);
    if (body == NULL) {
        /* Jansson refuses invalid UTF-8, which a client's path may carry. */
        ascii_only(message);
        body = error_body(message, code, status, req->correlation_id);
    }
    sbx_reply_json(out, status, body);
}

void sbx_reply_failure(struct sbx_reply *out, const struct sbx_req *req, int rc,
                       const struct gcp_err *err)
{
    const char *msg = gcp_err__message(err);

    switch (rc) {
    case GCP_EINVALID:
        sbx_reply_error(out, req, 400, "bad.request", "%s", msg);
        break;
    case GCP_ENOTFOUND:
        sbx_reply_error(out, req, 404, "not.found", "%s", msg);
        break;
    case GCP_ECONFLICT:
        sbx_reply_error(out, req, 409, "general.conflict", "%s", msg);
        break;
    case GCP_EPERMISSION:
        sbx_reply_error(out, req, 403, "missing.permissions", "%s", msg);
        break;
    case GCP_EAUTH:
        sbx_reply_error(out, req, 401, "bad.credentials", "%s", msg);
        break;
    default:
        sbx_reply_error(out, req, 500, "internal.server.error",
                        "the sandbox failed: %s", msg);
    }
}

static json_t *page_uri(const struct sbx_req *req, long size, long number)
{
    char uri[512];

    snprintf(uri, sizeof(uri), "%s?pageSize=%ld&pageNumber=%ld", req->path,
             size, number);
    return json_string(uri);
}

void sbx_reply_page(struct sbx_reply *out, const struct sbx_req *req,
                    json_t *entities, long total, const struct sbx_page *page)
{
    long count = (total + page->size - 1) / page->size;
    json_t *body;

    body =
        json_pack("{s:o, s:i, s:i, s:I, s:I}", "entities", entities, "pageSize",
                  (int)page->size, "pageNumber", (int)page->number, "total",
                  (json_int_t)total, "pageCount", (json_int_t)count);
    if (body == NULL) {
        sbx_reply_error(out, req, 500, "internal.server.error",
                        "out of memory");
        return;
    }
    json_object_set_new(body, "firstUri", page_uri(req, page->size, 1));
    json_object_set_new(body, "selfUri",
                        page_uri(req, page->size, page->number));
    json_object_set_new(body, "lastUri",
                        page_uri(req, page->size, count ? count : 1));
    if (page->number < count)
        json_object_set_new(body, "nextUri",
                            page_uri(req, page->size, page->number + 1));
    if (page->number > 1)
        json_object_set_new(body, "previousUri",
                            page_uri(req, page->size, page->number - 1));
    sbx_reply_json(out, 200, body);
}

/* --- Query parameters -------------------------------------------------------
 */

static int parse_positive(const char *text, long def, long *out)
{
    char *end;
    long v;

    if (text == NULL || *text == '\0') {
        *out = def;
        return 0;
    }
    v = strtol(text, &end, 10);
    if (*end != '\0' || v < 1)
        return -1;
    *out = v;
    return 0;
}

int sbx_query_page(struct sbx_reply *out, const struct sbx_req *req,
                   struct sbx_page *page, long def, long max)
{
    if (parse_positive(sbx_query(req, "pageSize"), def, &page->size) < 0 ||
        page->size > max) {
        sbx_reply_error(out, req, 400, "bad.request",
                        "pageSize must be a whole number from 1 to %ld", max);
        return -1;
    }
    if (parse_positive(sbx_query(req, "pageNumber"), 1, &page->number) < 0 ||
        page->number > 1000000) {
        sbx_reply_error(out, req, 400, "bad.request",
                        "pageNumber must be a whole number from 1");
        return -1;
    }
    return 0;
}

/*
 * model_authz.c: grants of roles to users in divisions. A grant is a
 * (role, division) pair on a user. Licensing follows roles: a user's
 * effective licenses are those assigned explicitly plus the baseLicense and
 * addonLicenses of every role it holds (see model_license.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

static int grant_index(const struct sbx_user *u, const char *role,
                       const char *division)
{
    size_t i;
    json_t *g;

    json_array_foreach(u->grants, i, g)
    {
        if (strcmp(sbx_model__str(g, "roleId"), role) == 0 &&
            (division == NULL ||
             strcmp(sbx_model__str(g, "divisionId"), division) == 0))
            return (int)i;
    }
    return -1;
}

static void grant_add(struct sbx_user *u, const char *role,
                      const char *division)
{
    if (grant_index(u, role, division) < 0)
        json_array_append_new(u->grants, json_pack("{s:s, s:s}", "roleId", role,
                                                   "divisionId", division));
}

/* Removes the role in `division`, or in every division when NULL. */
static void grant_remove(struct sbx_user *u, const char *role,
                         const char *division)
{
    int at;

    while ((at = grant_index(u, role, division)) >= 0)
        json_array_remove(u->grants, (size_t)at);
}

static const char *home_id(struct sbx_model *m)
{
    return sbx_model__str(sbx_model__home_division(m), "id");
}

/* Checks that every string of `ids` names a live user. */
static int check_users(struct sbx_model *m, const json_t *ids, double now,
                       struct gcp_err *err)
{
    size_t i;
    json_t *id;
    struct sbx_user *u;
    int rc;

    if (!json_is_array(ids))
        return gcp_err__set(err, GCP_EINVALID, "expected an array of ids");
    json_array_foreach(ids, i, id)
    {
        if (!json_is_string(id))
            return gcp_err__set(err, GCP_EINVALID, "ids must be strings");
        rc = sbx_model__live_user(m, &u, json_string_value(id), 0, now, err);
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int check_divisions(struct sbx_model *m, const json_t *ids,
                           struct gcp_err *err)
{
    size_t i;
    json_t *id;

    if (ids != NULL && !json_is_array(ids))
        return gcp_err__set(err, GCP_EINVALID, "'divisionIds' is not an array");
    json_array_foreach(ids, i, id)
    {
        if (sbx_model__division(m, json_string_value(id)) == NULL)
            return gcp_err__set(err, GCP_ENOTFOUND, "division '%s' not found",
                                json_string_value(id) ? json_string_value(id)
                                                      : "");
    }
    return 0;
}

static void grant_one(struct sbx_model *m, struct sbx_user *u, const char *role,
                      const json_t *divisions, enum sbx_grant_mode mode,
                      double now)
{
    size_t i;
    json_t *d;

    if (json_array_size(divisions) == 0) {
        if (mode == SBX_GRANT_REMOVE)
            grant_remove(u, role, NULL);
        else
            grant_add(u, role, home_id(m));
    }
    json_array_foreach(divisions, i, d)
    {
        if (mode == SBX_GRANT_REMOVE)
            grant_remove(u, role, json_string_value(d));
        else
            grant_add(u, role, json_string_value(d));
    }
    sbx_model__index_touch(m, u, now);
}

int sbx_model_grant_role(struct sbx_model *m, const char *role_id,
                         const json_t *user_ids, const json_t *divisions,
                         enum sbx_grant_mode mode, double now,
                         struct gcp_err *err)
{
    size_t i;
    json_t *id;
    int rc = 0;

    pthread_mutex_lock(&m->lock);
    if (sbx_model__role(m, role_id) == NULL) {
        rc = gcp_err__set(err, GCP_ENOTFOUND, "role '%s' not found", role_id);
        goto cleanup;
    }
    if ((rc = check_users(m, user_ids, now, err)) < 0 ||
        (rc = check_divisions(m, divisions, err)) < 0)
        goto cleanup;
    json_array_foreach(user_ids, i, id)
    {
        grant_one(m, sbx_model__user(m, json_string_value(id)), role_id,
                  divisions, mode, now);
    }

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

/* Checks a RoleDivisionPair array: known roles, known divisions. */
static int check_pairs(struct sbx_model *m, const json_t *grants,
                       struct gcp_err *err)
{
    size_t i;
    json_t *g;

    if (!json_is_array(grants))
        return gcp_err__set(err, GCP_EINVALID, "'grants' is not an array");
    json_array_foreach(grants, i, g)
    {
        const char *role = sbx_model__str(g, "roleId");
        const char *div = sbx_model__str(g, "divisionId");

        if (role == NULL || div == NULL)
            return gcp_err__set(err, GCP_EINVALID,
                                "each grant needs 'roleId' and 'divisionId'");
        if (sbx_model__role(m, role) == NULL)
            return gcp_err__set(err, GCP_ENOTFOUND, "role '%s' not found",
                                role);
        if (sbx_model__division(m, div) == NULL)
            return gcp_err__set(err, GCP_ENOTFOUND, "division '%s' not found",
                                div);
    }
    return 0;
}

int sbx_model_grant_subject(struct sbx_model *m, const char *user_id,
                            const json_t *grants, enum sbx_grant_mode mode,
                            double now, struct gcp_err *err)
{
    struct sbx_user *u;
    size_t i;
    json_t *g;
    int rc;

    pthread_mutex_lock(&m->lock);
    if ((rc = sbx_model__live_user(m, &u, user_id, 0, now, err)) < 0 ||
        (rc = check_pairs(m, grants, err)) < 0)
        goto cleanup;
    if (mode == SBX_GRANT_REPLACE)
        json_array_clear(u->grants);
    json_array_foreach(grants, i, g)
    {
        const char *role = sbx_model__str(g, "roleId");
        const char *div = sbx_model__str(g, "divisionId");
        if (mode == SBX_GRANT_REMOVE)
            grant_remove(u, role, div);
        else
            grant_add(u, role, div);
    }
    sbx_model__index_touch(m, u, now);

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

static json_t *grant_json(struct sbx_model *m, const char *user_id,
                          const json_t *g)
{
    json_t *role = sbx_model__role(m, sbx_model__str(g, "roleId"));
    json_t *div = sbx_model__division(m, sbx_model__str(g, "divisionId"));
    char uri[128];

    snprintf(uri, sizeof(uri), "/api/v2/authorization/roles/%s",
             sbx_model__str(role, "id"));
    return json_pack("{s:s, s:o, s:{s:s, s:s, s:s, s:b, s:s}, s:s}",
                     "subjectId", user_id, "division",
                     sbx_model__division_json(div), "role", "id",
                     sbx_model__str(role, "id"), "name",
                     sbx_model__str(role, "name"), "description",
                     sbx_model__str(role, "description")
                         ? sbx_model__str(role, "description")
                         : "",
                     "default", json_is_true(json_object_get(role, "default")),
                     "selfUri", uri, "grantMadeAt", "2024-01-01T00:00:00.000Z");
}

int sbx_model_subject_get(struct sbx_model *m, json_t **out,
                          const char *user_id, double now, struct gcp_err *err)
{
    struct sbx_user *u;
    json_t *grants;
    size_t i;
    json_t *g;
    char uri[128];
    int rc;

    pthread_mutex_lock(&m->lock);
    if ((rc = sbx_model__live_user(m, &u, user_id, 0, now, err)) < 0)
        goto cleanup;
    grants = json_array();
    json_array_foreach(u->grants, i, g)
        json_array_append_new(grants, grant_json(m, user_id, g));
    snprintf(uri, sizeof(uri), "/api/v2/authorization/subjects/%s", user_id);
    *out = json_pack("{s:s, s:s, s:o, s:i, s:s}", "id", user_id, "name",
                     sbx_model__str(u->doc, "name"), "grants", grants,
                     "version", 1, "selfUri", uri);
    if (*out == NULL)
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

static int check_roles(struct sbx_model *m, const json_t *role_ids,
                       struct gcp_err *err)
{
    size_t i;
    json_t *id;

    if (!json_is_array(role_ids))
        return gcp_err__set(err, GCP_EINVALID, "expected an array of role ids");
    json_array_foreach(role_ids, i, id)
    {
        if (sbx_model__role(m, json_string_value(id)) == NULL)
            return gcp_err__set(err, GCP_ENOTFOUND, "role '%s' not found",
                                json_string_value(id) ? json_string_value(id)
                                                      : "");
    }
    return 0;
}

static int listed(const json_t *ids, const char *id)
{
    size_t i;
    json_t *v;

    json_array_foreach(ids, i, v)
    {
        if (json_is_string(v) && strcmp(json_string_value(v), id) == 0)
            return 1;
    }
    return 0;
}

/* Keeps the grants of listed roles, drops the rest, adds missing ones. */
static void replace_roles(struct sbx_model *m, struct sbx_user *u,
                          const json_t *role_ids)
{
    size_t i = 0;
    json_t *id;

    while (i < json_array_size(u->grants)) {
        json_t *g = json_array_get(u->grants, i);
        if (listed(role_ids, sbx_model__str(g, "roleId")))
            i++;
        else
            json_array_remove(u->grants, i);
    }
    json_array_foreach(role_ids, i, id)
    {
        if (grant_index(u, json_string_value(id), NULL) < 0)
            grant_add(u, json_string_value(id), home_id(m));
    }
}

int sbx_model_user_roles_put(struct sbx_model *m, json_t **out,
                             const char *user_id, const json_t *role_ids,
                             double now, struct gcp_err *err)
{
    struct sbx_user *u;
    struct sbx_user_filter expand = {.expand_authz = 1};
    json_t *user;
    int rc;

    pthread_mutex_lock(&m->lock);
    if ((rc = sbx_model__live_user(m, &u, user_id, 0, now, err)) < 0 ||
        (rc = check_roles(m, role_ids, err)) < 0)
        goto cleanup;
    replace_roles(m, u, role_ids);
    sbx_model__index_touch(m, u, now);
    user = sbx_model__user_json(m, u, &expand);
    *out = json_incref(json_object_get(user, "authorization"));
    json_decref(user);
    if (*out == NULL)
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

/* A role member as one entry of a listing: a User or its subject grants. */
typedef json_t *(*member_fn)(struct sbx_model *m, const struct sbx_user *u,
                             const char *role_id);

static json_t *member_user(struct sbx_model *m, const struct sbx_user *u,
                           const char *role_id)
{
    (void)role_id;
    return sbx_model__user_json(m, u, NULL);
}

/* SubjectDivisionGrants: the user and every division it holds the role in. */
static json_t *member_grants(struct sbx_model *m, const struct sbx_user *u,
                             const char *role_id)
{
    const char *id = sbx_model__str(u->doc, "id");
    json_t *divisions = json_array();
    char uri[128];
    size_t i;
    json_t *g;

    json_array_foreach(u->grants, i, g)
    {
        if (strcmp(sbx_model__str(g, "roleId"), role_id) == 0)
            json_array_append_new(divisions,
                                  sbx_model__division_json(sbx_model__division(
                                      m, sbx_model__str(g, "divisionId"))));
    }
    snprintf(uri, sizeof(uri), "/api/v2/users/%s", id);
    return json_pack("{s:s, s:s, s:o, s:s, s:s}", "id", id, "name",
                     sbx_model__str(u->doc, "name"), "divisions", divisions,
                     "type", "PC_USER", "selfUri", uri);
}

/* One page of the role's members (not deleted), each made by `member`. */
static int role_members(struct sbx_model *m, json_t **out, long *out_total,
                        const char *role_id, const struct sbx_page *page,
                        member_fn member, struct gcp_err *err)
{
    long first = (page->number - 1) * page->size;
    long total = 0;
    json_t *list = json_array();
    int rc = 0;

    pthread_mutex_lock(&m->lock);
    if (sbx_model__role(m, role_id) == NULL) {
        rc = gcp_err__set(err, GCP_ENOTFOUND, "role '%s' not found", role_id);
        goto cleanup;
    }
    for (size_t i = 0; list != NULL && i < m->org.user_count; i++) {
        struct sbx_user *u = m->org.users[i];
        if (grant_index(u, role_id, NULL) < 0 ||
            strcmp(sbx_model__state(u), "deleted") == 0)
            continue;
        if (total >= first && total < first + page->size)
            json_array_append_new(list, member(m, u, role_id));
        total++;
    }
    *out_total = total;
    *out = list;
    list = NULL;

cleanup:
    json_decref(list);
    pthread_mutex_unlock(&m->lock);
    return rc;
}

int sbx_model_role_users(struct sbx_model *m, json_t **out, long *out_total,
                         const char *role_id, const struct sbx_page *page,
                         struct gcp_err *err)
{
    return role_members(m, out, out_total, role_id, page, member_user, err);
}

int sbx_model_role_subject_grants(struct sbx_model *m, json_t **out,
                                  long *out_total, const char *role_id,
                                  const struct sbx_page *page,
                                  struct gcp_err *err)
{
    return role_members(m, out, out_total, role_id, page, member_grants, err);
}

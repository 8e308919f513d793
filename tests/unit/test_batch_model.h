/*
 * test_batch_model.h: a model of the tenant for the batch tests: the
 * snapshot document, changed for each resolved request the way the real
 * API changes the org. Joiners get ids "new-1", "new-2", ...
 */
#ifndef TEST_BATCH_MODEL_H
#define TEST_BATCH_MODEL_H

#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "batch.h"

/* The tenant model: the document, and the ids given to joiners. */
struct model {
    json_t *doc;
    json_t *created; /* key -> user object */
    int next_id;
};

static inline json_t *model_user(struct model *m, const char *id)
{
    size_t i;
    json_t *u;

    json_array_foreach(json_object_get(m->doc, "users"), i, u)
    {
        if (strcmp(json_string_value(json_object_get(u, "id")), id) == 0)
            return u;
    }
    return NULL;
}

static inline int model_lookup(const char **out_id, long *out_version,
                               const char *key, void *payload)
{
    struct model *m = payload;
    json_t *u = json_object_get(m->created, key);

    if (u == NULL)
        return GCP_ENOTFOUND;
    *out_id = json_string_value(json_object_get(u, "id"));
    *out_version = (long)json_integer_value(json_object_get(u, "version"));
    return 0;
}

/* Returns the user a "/api/v2/users/{id}..." path names. */
static inline json_t *model_path_user(struct model *m, const char *path)
{
    char id[128];

    assert_int_equal(sscanf(path, "/api/v2/users/%127[^/]", id), 1);
    return model_user(m, id);
}

static inline void model_create(struct model *m, const char *key, json_t *body)
{
    char id[32];
    json_t *u = json_deep_copy(body);

    snprintf(id, sizeof(id), "new-%d", ++m->next_id);
    json_object_set_new(u, "id", json_string(id));
    json_object_set_new(u, "version", json_integer(1));
    json_object_set_new(u, "externalIds", json_array());
    json_array_append(json_object_get(m->doc, "users"), u);
    json_object_set_new(m->created, key, u); /* steals the reference */
}

static inline void model_patch(json_t *u, json_t *body)
{
    json_t *manager = json_object_get(body, "manager");

    json_object_update(u, body);
    if (manager != NULL) {
        json_object_set(u, "managerId", manager);
        json_object_del(u, "manager");
    }
    json_object_set_new(
        u, "version",
        json_integer(json_integer_value(json_object_get(u, "version")) + 1));
}

static inline void model_grant(struct model *m, const char *role, json_t *ids,
                               const char *division)
{
    size_t i;
    json_t *id;

    json_array_foreach(ids, i, id)
    {
        json_t *u = model_user(m, json_string_value(id));
        json_t *grants = json_object_get(u, "grants");

        if (grants == NULL)
            json_object_set_new(u, "grants", grants = json_array());
        json_array_append_new(grants, json_pack("{s:s, s:s}", "roleId", role,
                                                "divisionId", division));
    }
}

/* Moves each user of `ids` to `division`, with a new version. */
static inline void model_move(struct model *m, const char *division,
                              json_t *ids)
{
    size_t i;
    json_t *id;

    json_array_foreach(ids, i, id)
    {
        json_t *u = model_user(m, json_string_value(id));

        json_object_del(u, "division");
        json_object_set_new(u, "divisionId", json_string(division));
        json_object_set_new(
            u, "version",
            json_integer(json_integer_value(json_object_get(u, "version")) +
                         1));
    }
}

/* Adds or removes license `lic` for each user id of `ids`. */
static inline void model_licenses(struct model *m, const char *lic, json_t *ids,
                                  int add)
{
    size_t i, j;
    json_t *id, *held;

    json_array_foreach(ids, i, id)
    {
        json_t *u = model_user(m, json_string_value(id));
        json_t *list = json_object_get(u, "licenses");

        if (list == NULL)
            json_object_set_new(u, "licenses", list = json_array());
        json_array_foreach(list, j, held)
        {
            if (strcmp(json_string_value(held), lic) == 0)
                break;
        }
        if (add && j == json_array_size(list))
            json_array_append_new(list, json_string(lic));
        if (!add && j < json_array_size(list))
            json_array_remove(list, j);
    }
}

static inline void model_assign(struct model *m, json_t *body)
{
    size_t i;
    json_t *a;

    json_array_foreach(json_object_get(body, "assignments"), i, a)
    {
        const char *lic = json_string_value(json_object_get(a, "licenseId"));

        model_licenses(m, lic, json_object_get(a, "userIdsRemove"), 0);
        model_licenses(m, lic, json_object_get(a, "userIdsAdd"), 1);
    }
}

/* Carries out one resolved request the way the API would. */
static inline void model_send(struct model *m,
                              const struct gcp_batch_request *r,
                              const char *path, json_t *body)
{
    const char *home =
        json_string_value(json_object_get(m->doc, "homeDivisionId"));
    char role[128], division[128];

    if (r->kind == GCP_BATCH_CREATE)
        model_create(m, r->user_key, body);
    else if (r->kind == GCP_BATCH_EXTID)
        json_array_append(
            json_object_get(model_path_user(m, path), "externalIds"), body);
    else if (r->kind == GCP_BATCH_GRANT &&
             sscanf(path, "/api/v2/authorization/roles/%127[^/?]", role) == 1)
        model_grant(
            m, role,
            json_is_array(body) ? body : json_object_get(body, "subjectIds"),
            json_is_array(body)
                ? home
                : json_string_value(
                      json_array_get(json_object_get(body, "divisionIds"), 0)));
    else if (r->kind == GCP_BATCH_LICENSE || r->kind == GCP_BATCH_RELEASE)
        model_assign(m, body);
    else if (r->kind == GCP_BATCH_MOVE &&
             sscanf(path, "/api/v2/authorization/divisions/%127[^/]",
                    division) == 1)
        model_move(m, division, body);
    else
        model_patch(model_path_user(m, path), body);
}

#endif

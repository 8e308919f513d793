/*
 * model_license.c: license definitions and users' licenses. A user's
 * effective licenses are its explicit assignments plus those its roles
 * carry. Seat limits (rules.seats) refuse explicit assignments that would
 * take a license past its seats; licenses that come with a role are never
 * refused, as overage is billed, not refused, by the real service.
 *
 * The per-change results of a batch assignment ([U] in the API reference):
 * "Success", "UserNotFound", "LicenseNotFound", "SeatLimitReached" and, for
 * a removal of a license a role still implies, "LicenseFromRole".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model_internal.h"

#define MAX_CHANGES 100

json_t *sbx_model__effective_licenses(struct sbx_model *m,
                                      const struct sbx_user *u)
{
    json_t *set = json_deep_copy(u->licenses);
    size_t i, j;
    json_t *g, *addon;

    json_array_foreach(u->grants, i, g)
    {
        json_t *role = sbx_model__role(m, sbx_model__str(g, "roleId"));
        const char *base = sbx_model__str(role, "baseLicense");

        if (base != NULL)
            json_object_set_new(set, base, json_true());
        json_array_foreach(json_object_get(role, "addonLicenses"), j, addon)
        {
            if (json_is_string(addon))
                json_object_set_new(set, json_string_value(addon), json_true());
        }
    }
    return set;
}

static json_t *id_list(const json_t *set)
{
    json_t *out = json_array();
    const char *key;
    json_t *value;

    json_object_foreach((json_t *)set, key, value)
        json_array_append_new(out, json_string(key));
    return out;
}

static json_t *definition_json(const json_t *def)
{
    json_t *out = json_deep_copy(def);
    char uri[128];

    snprintf(uri, sizeof(uri), "/api/v2/license/definitions/%s",
             sbx_model__str(def, "id"));
    if (json_object_get(out, "description") == NULL)
        json_object_set_new(out, "description", json_string(""));
    if (!json_is_object(json_object_get(out, "permissions")))
        json_object_set_new(out, "permissions", json_pack("{s:[]}", "ids"));
    if (json_object_get(out, "prerequisites") == NULL)
        json_object_set_new(out, "prerequisites", json_array());
    if (json_object_get(out, "comprises") == NULL)
        json_object_set_new(out, "comprises", json_array());
    json_object_set_new(out, "selfUri", json_string(uri));
    return out;
}

json_t *sbx_model_license_definitions(struct sbx_model *m)
{
    json_t *out = json_array();
    size_t i;
    json_t *def;

    pthread_mutex_lock(&m->lock);
    json_array_foreach(m->org.licenses, i, def)
        json_array_append_new(out, definition_json(def));
    pthread_mutex_unlock(&m->lock);
    return out;
}

static json_t *user_licenses_json(struct sbx_model *m, const struct sbx_user *u)
{
    const char *id = sbx_model__str(u->doc, "id");
    json_t *set = sbx_model__effective_licenses(m, u);
    char uri[128];
    json_t *out;

    snprintf(uri, sizeof(uri), "/api/v2/license/users/%s", id);
    out = json_pack("{s:s, s:o, s:s}", "id", id, "licenses", id_list(set),
                    "selfUri", uri);
    json_decref(set);
    return out;
}

int sbx_model_license_user(struct sbx_model *m, json_t **out,
                           const char *user_id, double now, struct gcp_err *err)
{
    struct sbx_user *u;
    json_t *set, *defs;
    const char *key;
    json_t *value;
    int rc;

    pthread_mutex_lock(&m->lock);
    if ((rc = sbx_model__live_user(m, &u, user_id, 0, now, err)) < 0)
        goto cleanup;
    set = sbx_model__effective_licenses(m, u);
    defs = json_array();
    json_object_foreach(set, key, value) json_array_append_new(
        defs, definition_json(sbx_model__license(m, key)));
    json_decref(set);
    *out = json_pack("{s:s, s:o}", "id", user_id, "licenses", defs);
    if (*out == NULL)
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

static int holds_any(struct sbx_model *m, const struct sbx_user *u)
{
    json_t *set = sbx_model__effective_licenses(m, u);
    int any = json_object_size(set) > 0;

    json_decref(set);
    return any;
}

int sbx_model_license_users(struct sbx_model *m, json_t **out, long *out_total,
                            const struct sbx_page *page)
{
    long first = (page->number - 1) * page->size;
    long total = 0;
    json_t *list = json_array();

    pthread_mutex_lock(&m->lock);
    for (size_t i = 0; list != NULL && i < m->org.user_count; i++) {
        struct sbx_user *u = m->org.users[i];
        if (strcmp(sbx_model__state(u), "deleted") == 0 || !holds_any(m, u))
            continue;
        if (total >= first && total < first + page->size)
            json_array_append_new(list, user_licenses_json(m, u));
        total++;
    }
    pthread_mutex_unlock(&m->lock);
    *out = list;
    *out_total = total;
    return list ? 0 : GCP_ENOMEM;
}

int sbx_model_license_batch(struct sbx_model *m, json_t **out,
                            const json_t *user_ids, double now,
                            struct gcp_err *err)
{
    json_t *map;
    size_t i;
    json_t *id;
    struct sbx_user *u;

    if (!json_is_array(user_ids))
        return gcp_err__set(err, GCP_EINVALID, "expected an array of ids");
    map = json_object();
    pthread_mutex_lock(&m->lock);
    json_array_foreach(user_ids, i, id)
    {
        if (sbx_model__live_user(m, &u, json_string_value(id), 0, now, NULL) ==
            0)
            json_object_set_new(map, json_string_value(id),
                                user_licenses_json(m, u));
    }
    pthread_mutex_unlock(&m->lock);
    *out = map;
    return map ? 0 : gcp_err__set(err, GCP_ENOMEM, "out of memory");
}

/* --- Assignment --------------------------------------------------------------
 */

static long seats_in_use(struct sbx_model *m, const char *license)
{
    long used = 0;

    for (size_t i = 0; i < m->org.user_count; i++) {
        struct sbx_user *u = m->org.users[i];
        json_t *set;

        if (strcmp(sbx_model__state(u), "deleted") == 0)
            continue;
        set = sbx_model__effective_licenses(m, u);
        used += json_object_get(set, license) != NULL;
        json_decref(set);
    }
    return used;
}

static int check_ids(const json_t *ids)
{
    size_t i;
    json_t *id;

    if (ids == NULL)
        return 0;
    if (!json_is_array(ids) || json_array_size(ids) > MAX_CHANGES)
        return -1;
    json_array_foreach(ids, i, id)
    {
        if (!json_is_string(id))
            return -1;
    }
    return 0;
}

static int check_assignments(const json_t *request, struct gcp_err *err)
{
    json_t *list = json_object_get(request, "assignments");
    size_t i;
    json_t *a;

    if (!json_is_array(list))
        return gcp_err__set(err, GCP_EINVALID, "'assignments' is required");
    json_array_foreach(list, i, a)
    {
        if (sbx_model__str(a, "licenseId") == NULL ||
            check_ids(json_object_get(a, "userIdsAdd")) < 0 ||
            check_ids(json_object_get(a, "userIdsRemove")) < 0)
            return gcp_err__set(err, GCP_EINVALID,
                                "assignment %zu needs 'licenseId' and at "
                                "most %d ids in each list",
                                i, MAX_CHANGES);
    }
    return 0;
}

/* State of one license across a batch: the seats left to give. */
struct seat_state {
    const char *license;
    long left; /* -1: unlimited */
};

static int holds(struct sbx_model *m, const struct sbx_user *u,
                 const char *license)
{
    json_t *set = sbx_model__effective_licenses(m, u);
    int held = json_object_get(set, license) != NULL;

    json_decref(set);
    return held;
}

static const char *add_one(struct sbx_model *m, struct seat_state *seats,
                           const char *user_id, double now)
{
    struct sbx_user *u;
    int held;

    if (sbx_model__live_user(m, &u, user_id, 0, now, NULL) < 0)
        return "UserNotFound";
    held = holds(m, u, seats->license);
    if (!held && seats->left == 0)
        return "SeatLimitReached";
    json_object_set_new(u->licenses, seats->license, json_true());
    if (!held && seats->left > 0)
        seats->left--;
    return "Success";
}

static const char *remove_one(struct sbx_model *m, struct seat_state *seats,
                              const char *user_id, double now)
{
    struct sbx_user *u;
    int had;

    if (sbx_model__live_user(m, &u, user_id, 0, now, NULL) < 0)
        return "UserNotFound";
    had = holds(m, u, seats->license);
    json_object_del(u->licenses, seats->license);
    if (holds(m, u, seats->license))
        return "LicenseFromRole";
    if (had && seats->left >= 0)
        seats->left++;
    return "Success";
}

static void assign_list(struct sbx_model *m, json_t *out,
                        struct seat_state *seats, const json_t *ids, int adding,
                        double now)
{
    size_t i;
    json_t *id;
    const char *result;

    json_array_foreach(ids, i, id)
    {
        const char *uid = json_string_value(id);
        if (sbx_model__license(m, seats->license) == NULL)
            result = "LicenseNotFound";
        else if (adding)
            result = add_one(m, seats, uid, now);
        else
            result = remove_one(m, seats, uid, now);
        json_array_append_new(out, json_pack("{s:s, s:s, s:s}", "userId", uid,
                                             "licenseId", seats->license,
                                             "result", result));
    }
}

int sbx_model_license_assign(struct sbx_model *m, json_t **out,
                             const json_t *request, double now,
                             struct gcp_err *err)
{
    json_t *results;
    size_t i;
    json_t *a;
    int rc;

    pthread_mutex_lock(&m->lock);
    if ((rc = check_assignments(request, err)) < 0)
        goto cleanup;
    results = json_array();
    json_array_foreach(json_object_get(request, "assignments"), i, a)
    {
        struct seat_state seats = {sbx_model__str(a, "licenseId"), -1};
        json_t *limit = json_object_get(m->rules.seats, seats.license);

        if (json_is_integer(limit)) {
            seats.left = (long)json_integer_value(limit) -
                         seats_in_use(m, seats.license);
            if (seats.left < 0)
                seats.left = 0;
        }
        assign_list(m, results, &seats, json_object_get(a, "userIdsRemove"), 0,
                    now);
        assign_list(m, results, &seats, json_object_get(a, "userIdsAdd"), 1,
                    now);
    }
    *out = results;

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

int sbx_model_license_infer(struct sbx_model *m, json_t **out,
                            const json_t *role_ids, struct gcp_err *err)
{
    json_t *set;
    size_t i, j;
    json_t *id, *addon;

    if (!json_is_array(role_ids))
        return gcp_err__set(err, GCP_EINVALID, "expected an array of role ids");
    set = json_object();
    pthread_mutex_lock(&m->lock);
    json_array_foreach(role_ids, i, id)
    {
        json_t *role = sbx_model__role(m, json_string_value(id));
        const char *base = sbx_model__str(role, "baseLicense");

        if (base != NULL)
            json_object_set_new(set, base, json_true());
        json_array_foreach(json_object_get(role, "addonLicenses"), j, addon)
            json_object_set_new(set, json_string_value(addon), json_true());
    }
    pthread_mutex_unlock(&m->lock);
    *out = id_list(set);
    json_decref(set);
    return *out ? 0 : gcp_err__set(err, GCP_ENOMEM, "out of memory");
}

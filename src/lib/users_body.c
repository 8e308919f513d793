/*
 * users_body.c: the request bodies shared by the batch and the building
 * blocks (see users_body.h), and the check of a license call's reply.
 *
 * A create carries only the real CreateUser fields (name, email,
 * divisionId, department, title, and the work phone as a PHONE/WORK
 * contact); a state change is a PATCH of its own, since the API makes it
 * the only change of its request.
 */
#include <stdio.h>
#include <string.h>

#include "users_body.h"

#define GRANT_HOME_ROUTE "/api/v2/authorization/roles/{roleId}/users/add"
#define GRANT_DIV_ROUTE  "/api/v2/authorization/roles/{roleId}"

/*
 * Sets `field` to a new string of `value` when `value` is not NULL.
 * Returns 0 or -1 when out of memory. (json_pack's optional "s*" would
 * hide an allocation failure by leaving the member out.)
 */
static int body_opt(json_t *obj, const char *field, const char *value)
{
    return value != NULL ? json_object_set_new(obj, field, json_string(value))
                         : 0;
}

json_t *gcp_users__phone(const gcp_person *p)
{
    json_t *c = json_pack("{s:s, s:s}", "mediaType", "PHONE", "type", "WORK");

    if (c == NULL || body_opt(c, "address", p->phone_work) < 0 ||
        body_opt(c, "extension", p->extension) < 0) {
        json_decref(c);
        return NULL;
    }
    return c;
}

int gcp_users__has_phone(const gcp_person *p)
{
    return p->phone_work != NULL || p->extension != NULL;
}

json_t *gcp_users__create_body(const gcp_person *p, const char *division_id)
{
    json_t *body;
    int fails;

    body = json_pack("{s:s, s:s}", "name", p->name != NULL ? p->name : p->email,
                     "email", p->email);
    if (body == NULL)
        return NULL;
    fails = body_opt(body, "divisionId", division_id) < 0 ||
            body_opt(body, "department", p->department) < 0 ||
            body_opt(body, "title", p->title) < 0;
    /* "[o]" steals the contact (or fails on NULL); set_new steals. */
    if (!fails && gcp_users__has_phone(p))
        fails = json_object_set_new(body, "addresses",
                                    json_pack("[o]", gcp_users__phone(p))) < 0;
    if (fails) {
        json_decref(body);
        return NULL;
    }
    return body;
}

json_t *gcp_users__state_body(const char *state, long version)
{
    return json_pack("{s:s, s:I}", "state", state, "version",
                     (json_int_t)version);
}

json_t *gcp_users__extid_body(const char *authority, const char *key)
{
    return json_pack("{s:s, s:s}", "authorityName", authority, "externalKey",
                     key);
}

json_t *gcp_users__grant_body(const char **out_method, const char **out_route,
                              char *path, size_t size, const char *role_id,
                              const char *division_id, json_t *ids)
{
    int home = division_id == NULL;

    snprintf(path, size,
             home ? "/api/v2/authorization/roles/%s/users/add"
                  : "/api/v2/authorization/roles/%s?subjectType=PC_USER",
             role_id);
    *out_method = home ? "PUT" : "POST";
    *out_route = home ? GRANT_HOME_ROUTE : GRANT_DIV_ROUTE;
    if (home)
        return ids;
    /* "o" steals ids, also when the pack fails. */
    return json_pack("{s:o, s:[s]}", "subjectIds", ids, "divisionIds",
                     division_id);
}

json_t *gcp_users__license_assignment(json_t **out_ids, const char *license_id,
                                      int remove)
{
    json_t *add = json_array();
    json_t *rm = json_array();

    *out_ids = remove ? rm : add;
    /* "o" steals both lists; the assignment keeps them alive. */
    return json_pack("{s:s, s:o, s:o}", "licenseId", license_id, "userIdsAdd",
                     add, "userIdsRemove", rm);
}

const char *gcp_users__license_result(const json_t *results,
                                      const char *user_id,
                                      const char *license_id)
{
    size_t i;
    json_t *c;

    if (!json_is_array(results))
        return NULL;
    json_array_foreach(results, i, c)
    {
        const char *u = json_string_value(json_object_get(c, "userId"));
        const char *l = json_string_value(json_object_get(c, "licenseId"));

        if (u != NULL && l != NULL && user_id != NULL && license_id != NULL &&
            strcmp(u, user_id) == 0 && strcmp(l, license_id) == 0)
            return json_string_value(json_object_get(c, "result"));
    }
    return NULL;
}

json_t *gcp_users__search_body(const char *email)
{
    return json_pack("{s:[{s:s, s:[s], s:s}, {s:s, s:[s], s:[s, s, s]}], s:i}",
                     "query", "type", "EXACT", "fields", "email", "value",
                     email, "type", "EXACT", "fields", "state", "values",
                     "active", "inactive", "deleted", "pageSize", 25);
}

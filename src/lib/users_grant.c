/*
 * users_grant.c: the building blocks that change an existing user: add
 * roles, add licenses, deactivate (see gcprov/users.h). Additive only:
 * grants go through the calls that add, licenses through assignments
 * whose removal lists stay empty. Bodies come from users_body.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "users_body.h"
#include "users_int.h"

/* Grants one role to the user. */
static int grant_one(gcp_client *client, const char *user_id,
                     const gcp_user_grant *g, gcp_result *detail)
{
    gcp_request req = {NULL, NULL, NULL, NULL, 1};
    char *role = NULL;
    char path[1024];
    int error;

    if (g->role_id == NULL || g->role_id[0] == '\0' || strlen(g->role_id) > 200)
        return gcp_users__fail(detail, GCP_EINVALID, "a role id is missing");
    if ((role = gcp_url_escape(g->role_id)) == NULL)
        return gcp_users__fail(detail, GCP_ENOMEM, "out of memory");
    /* grant_body steals the list, even when it fails. */
    req.body =
        gcp_users__grant_body(&req.method, &req.route, path, sizeof(path), role,
                              g->division_id, json_pack("[s]", user_id));
    free(role);
    req.path = path;
    if (req.body == NULL)
        return gcp_users__fail(detail, GCP_ENOMEM, "out of memory");
    error = gcp_users__call(NULL, client, detail, &req);
    json_decref(req.body);
    return error;
}

int gcp_user_add_roles(gcp_client *client, const char *user_id,
                       const gcp_user_grant *grants, size_t count,
                       gcp_result *detail)
{
    int error = 0;

    if (user_id == NULL || (grants == NULL && count > 0))
        return gcp_users__fail(detail, GCP_EINVALID, "no user or no roles");
    for (size_t i = 0; i < count && error == 0; i++)
        error = grant_one(client, user_id, &grants[i], detail);
    return error;
}

/* The assignment body: each license added to the one user. */
static json_t *licenses_body(const char *user_id,
                             const char *const *license_ids, size_t count)
{
    json_t *list = json_array();
    int fails = list == NULL;

    for (size_t i = 0; !fails && i < count; i++) {
        json_t *ids = NULL;
        json_t *a = gcp_users__license_assignment(&ids, license_ids[i], 0);

        fails = a == NULL || json_array_append_new(list, a) < 0 ||
                json_array_append_new(ids, json_string(user_id)) < 0;
    }
    if (fails) {
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o}", "assignments", list); /* steals list */
}

/* Checks that the reply says "Success" for every license. */
static int licenses_check(const json_t *reply, const char *user_id,
                          const char *const *license_ids, size_t count,
                          gcp_result *detail)
{
    for (size_t i = 0; i < count; i++) {
        const char *result =
            gcp_users__license_result(reply, user_id, license_ids[i]);

        if (result == NULL)
            return gcp_users__fail(detail, GCP_EUNKNOWN,
                                   "the reply says nothing of license '%s'",
                                   license_ids[i]);
        if (strcasecmp(result, "Success") != 0)
            return gcp_users__fail(detail, GCP_ERROR,
                                   "license '%s' was refused: '%.100s'",
                                   license_ids[i], result);
    }
    return 0;
}

int gcp_user_add_licenses(gcp_client *client, const char *user_id,
                          const char *const *license_ids, size_t count,
                          gcp_result *detail)
{
    static const char route[] = "/api/v2/license/organization";
    gcp_request req = {"POST", route, route, NULL, 1};
    json_t *reply = NULL;
    int error;

    if (user_id == NULL || (license_ids == NULL && count > 0))
        return gcp_users__fail(detail, GCP_EINVALID, "no user or no licenses");
    for (size_t i = 0; i < count; i++)
        if (license_ids[i] == NULL)
            return gcp_users__fail(detail, GCP_EINVALID, "a license is NULL");
    if (count == 0)
        return 0;
    if ((req.body = licenses_body(user_id, license_ids, count)) == NULL)
        return gcp_users__fail(detail, GCP_ENOMEM, "out of memory");
    error = gcp_users__call(&reply, client, detail, &req);
    json_decref(req.body);
    if (error == 0)
        error = licenses_check(reply, user_id, license_ids, count, detail);
    json_decref(reply);
    return error;
}

int gcp_user_deactivate(gcp_client *client, const char *user_id,
                        gcp_result *detail)
{
    gcp_request req = {"GET", "/api/v2/users/{userId}", NULL, NULL, 1};
    json_t *user = NULL;
    const char *state;
    int error;

    if (user_id == NULL)
        return gcp_users__fail(detail, GCP_EINVALID, "no user");
    if ((req.path = gcp_users__path(user_id, "")) == NULL)
        return gcp_users__fail(detail, GCP_ENOMEM, "out of memory");
    if ((error = gcp_users__call(&user, client, detail, &req)) < 0)
        goto cleanup;
    state = json_string_value(json_object_get(user, "state"));
    if (state != NULL && strcmp(state, "inactive") == 0)
        goto cleanup;
    req.method = "PATCH";
    req.body = gcp_users__state_body(
        "inactive", (long)json_integer_value(json_object_get(user, "version")));
    error = req.body != NULL
                ? gcp_users__call(NULL, client, detail, &req)
                : gcp_users__fail(detail, GCP_ENOMEM, "out of memory");

cleanup:
    json_decref(req.body);
    json_decref(user);
    free((char *)req.path);
    return error;
}

/*
 * users.c: the building blocks' users: the gcp_user handle, the lookups
 * by key and by email, and the create (see gcprov/users.h). The request
 * bodies come from users_body.c, shared with the batch.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "users_body.h"
#include "users_int.h"

#define USERS_AUTHORITY "gcprov"

struct gcp_user {
    json_t *json;   /* owned reference: the User the API returned */
    const char *id; /* borrowed from json */
};

int gcp_users__call(json_t **out, gcp_client *client, gcp_result *detail,
                    const gcp_request *req)
{
    gcp_result r;
    int code;

    memset(&r, 0, sizeof(r));
    code = gcp_client_call(client, &r, req);
    if (code < 0 && detail != NULL) {
        gcp_result_clear(detail);
        *detail = r; /* detail now owns r.json and what borrows from it */
        return code;
    }
    if (code == 0 && out != NULL) {
        *out = r.json;
        r.json = NULL;
    }
    gcp_result_clear(&r);
    return code;
}

int gcp_users__fail(gcp_result *detail, int code, const char *fmt, ...)
{
    va_list ap;

    if (detail == NULL)
        return code;
    gcp_result_clear(detail);
    detail->code = code;
    va_start(ap, fmt);
    vsnprintf(detail->message, sizeof(detail->message), fmt, ap);
    va_end(ap);
    return code;
}

char *gcp_users__path(const char *user_id, const char *suffix)
{
    char *id = gcp_url_escape(user_id);
    size_t size = (id != NULL ? strlen(id) : 0) + strlen(suffix) + 32;
    char *path = id != NULL ? malloc(size) : NULL;

    if (path != NULL)
        snprintf(path, size, "/api/v2/users/%s%s", id, suffix);
    free(id);
    return path;
}

/* Wraps `json` (a new reference, taken even on failure) as a user. */
static int users_wrap(gcp_user **out, json_t *json, const char *route,
                      gcp_result *detail)
{
    const char *id = json_string_value(json_object_get(json, "id"));
    gcp_user *user;

    if (id == NULL || id[0] == '\0') {
        json_decref(json);
        return gcp_users__fail(detail, GCP_EINVALID,
                               "the reply to '%s' has no user id", route);
    }
    if ((user = calloc(1, sizeof(*user))) == NULL) {
        json_decref(json);
        return gcp_users__fail(detail, GCP_ENOMEM, "out of memory");
    }
    user->json = json;
    user->id = id;
    *out = user;
    return 0;
}

void gcp_user_free(gcp_user *user)
{
    if (user == NULL)
        return;
    json_decref(user->json);
    free(user);
}

const char *gcp_user_id(const gcp_user *user)
{
    return user->id;
}

const char *gcp_user_email(const gcp_user *user)
{
    return json_string_value(json_object_get(user->json, "email"));
}

const char *gcp_user_state(const gcp_user *user)
{
    return json_string_value(json_object_get(user->json, "state"));
}

long gcp_user_version(const gcp_user *user)
{
    return (long)json_integer_value(json_object_get(user->json, "version"));
}

/* Builds the reverse lookup's path, both segments escaped, or NULL. */
static char *users_key_path(const char *authority, const char *key)
{
    char *a = gcp_url_escape(authority);
    char *k = gcp_url_escape(key);
    size_t size = (a != NULL && k != NULL) ? strlen(a) + strlen(k) + 40 : 0;
    char *path = size > 0 ? malloc(size) : NULL;

    if (path != NULL)
        snprintf(path, size, "/api/v2/users/externalid/%s/%s", a, k);
    free(a);
    free(k);
    return path;
}

int gcp_user_find_by_key(gcp_user **out, gcp_client *client,
                         const char *authority, const char *key,
                         gcp_result *detail)
{
    static const char route[] =
        "/api/v2/users/externalid/{authorityName}/{externalKey}";
    gcp_request req = {"GET", route, NULL, NULL, 1};
    json_t *json = NULL;
    char *path;
    int error;

    *out = NULL;
    if (key == NULL || key[0] == '\0')
        return gcp_users__fail(detail, GCP_EINVALID, "the key is empty");
    path = users_key_path(authority != NULL ? authority : USERS_AUTHORITY, key);
    if (path == NULL)
        return gcp_users__fail(detail, GCP_ENOMEM, "out of memory");
    req.path = path;
    error = gcp_users__call(&json, client, detail, &req);
    free(path);
    if (error < 0)
        return error;
    return users_wrap(out, json, route, detail);
}

/* The result whose email is `email` (any case), borrowed, or NULL. */
static json_t *users_match(const json_t *reply, const char *email)
{
    json_t *results = json_object_get(reply, "results");
    size_t i;
    json_t *u;

    json_array_foreach(results, i, u)
    {
        const char *e = json_string_value(json_object_get(u, "email"));

        if (e != NULL && strcasecmp(e, email) == 0)
            return u;
    }
    return NULL;
}

int gcp_user_find_by_email(gcp_user **out, gcp_client *client,
                           const char *email, gcp_result *detail)
{
    static const char route[] = "/api/v2/users/search";
    gcp_request req = {"POST", route, route, NULL, 1};
    json_t *reply = NULL;
    json_t *found;
    int error;

    *out = NULL;
    if (email == NULL || email[0] == '\0')
        return gcp_users__fail(detail, GCP_EINVALID, "the email is empty");
    if ((req.body = gcp_users__search_body(email)) == NULL)
        return gcp_users__fail(detail, GCP_ENOMEM, "out of memory");
    error = gcp_users__call(&reply, client, detail, &req);
    json_decref(req.body);
    if (error < 0)
        return error;
    found = users_match(reply, email);
    if (found == NULL) {
        json_decref(reply);
        return gcp_users__fail(detail, GCP_ENOTFOUND, "no user has '%s'",
                               email);
    }
    json_incref(found);
    json_decref(reply);
    return users_wrap(out, found, route, detail);
}

/* Adds the person's key as the new user's external id. */
static int users_link(gcp_client *client, const gcp_user *user,
                      const char *authority, const char *key,
                      gcp_result *detail)
{
    gcp_request req = {"POST", "/api/v2/users/{userId}/externalid", NULL, NULL,
                       1};
    char *path = gcp_users__path(user->id, "/externalid");
    int error = GCP_ENOMEM;

    req.path = path;
    req.body = gcp_users__extid_body(authority, key);
    if (path != NULL && req.body != NULL)
        error = gcp_users__call(NULL, client, detail, &req);
    else
        gcp_users__fail(detail, error, "out of memory");
    json_decref(req.body);
    free(path);
    return error;
}

int gcp_user_create(gcp_user **out, gcp_client *client,
                    const gcp_person *person, const char *division_id,
                    const char *authority, gcp_result *detail)
{
    static const char route[] = "/api/v2/users";
    gcp_request req = {"POST", route, route, NULL, 0};
    json_t *json = NULL;
    int error;

    *out = NULL;
    if (person == NULL || person->email == NULL || person->email[0] == '\0')
        return gcp_users__fail(detail, GCP_EINVALID, "the person has no email");
    if ((req.body = gcp_users__create_body(person, division_id)) == NULL)
        return gcp_users__fail(detail, GCP_ENOMEM, "out of memory");
    error = gcp_users__call(&json, client, detail, &req);
    json_decref(req.body);
    if (error == 0)
        error = users_wrap(out, json, route, detail);
    if (error == 0 && authority != NULL && person->key != NULL)
        error = users_link(client, *out, authority, person->key, detail);
    return error;
}

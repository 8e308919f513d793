/*
 * batch_resolve.c: fills in, just before a request is sent, what was not
 * known when the batch was built: the ids of users created in this run
 * and the current version of users patched more than once.
 */
#include <stdlib.h>
#include <string.h>

#include "batch.h"

#define RESOLVE_PREFIX "{user:"

/* Returns the key inside "{user:KEY}", copied into `buf`, or NULL. */
static const char *resolve_key(const json_t *v, char *buf, size_t size)
{
    const char *s = json_string_value(v);
    size_t prefix = strlen(RESOLVE_PREFIX);
    size_t len = s != NULL ? strlen(s) : 0;

    if (len <= prefix + 1 || strncmp(s, RESOLVE_PREFIX, prefix) != 0 ||
        s[len - 1] != '}' || len - prefix >= size)
        return NULL;
    memcpy(buf, s + prefix, len - prefix - 1);
    buf[len - prefix - 1] = '\0';
    return buf;
}

struct resolve {
    gcp_batch_lookup_fn lookup;
    void *payload;
    size_t dropped;
};

static int resolve_value(struct resolve *r, json_t *v);

/* Replaces placeholders in a list; unknown users are dropped from it. */
static int resolve_array(struct resolve *r, json_t *arr)
{
    for (size_t i = 0; i < json_array_size(arr);) {
        int error = resolve_value(r, json_array_get(arr, i));

        if (error == GCP_ENOTFOUND) {
            json_array_remove(arr, i);
            r->dropped++;
            continue;
        }
        if (error < 0)
            return error;
        i++;
    }
    return 0;
}

static int resolve_object(struct resolve *r, json_t *obj)
{
    const char *name;
    json_t *v;

    json_object_foreach(obj, name, v)
    {
        int error = resolve_value(r, v);

        if (error < 0)
            return error;
    }
    return 0;
}

/* Replaces one placeholder string in place, or walks a container. */
static int resolve_value(struct resolve *r, json_t *v)
{
    char buf[1024];
    const char *key;
    const char *id;
    long version;
    int error;

    if (json_is_array(v))
        return resolve_array(r, v);
    if (json_is_object(v))
        return resolve_object(r, v);
    if ((key = resolve_key(v, buf, sizeof(buf))) == NULL)
        return 0;
    if ((error = r->lookup(&id, &version, key, r->payload)) < 0)
        return error;
    return json_string_set(v, id) < 0 ? GCP_ENOMEM : 0;
}

static char *resolve_path(const struct gcp_batch_request *req,
                          struct resolve *r, int *error)
{
    const char *at = strstr(req->path, "{userId}");
    const char *id;
    long version;
    char *path;

    *error = 0;
    if (at == NULL)
        return strdup(req->path);
    if (req->user_key == NULL ||
        (*error = r->lookup(&id, &version, req->user_key, r->payload)) < 0) {
        *error = *error < 0 ? *error : GCP_ENOTFOUND;
        return NULL;
    }
    if ((path = malloc(strlen(req->path) + strlen(id) + 1)) == NULL)
        return NULL;
    memcpy(path, req->path, (size_t)(at - req->path));
    strcpy(path + (at - req->path), id);
    strcat(path, at + strlen("{userId}"));
    return path;
}

/* A PATCH carries the version apply last saw, when it saw one. */
static int resolve_version(const struct gcp_batch_request *req, json_t *body,
                           struct resolve *r)
{
    const char *id;
    long version;

    if (strcmp(req->method, "PATCH") != 0 || req->user_key == NULL ||
        r->lookup(&id, &version, req->user_key, r->payload) < 0)
        return 0;
    return json_object_set_new(body, "version", json_integer(version)) < 0
               ? GCP_ENOMEM
               : 0;
}

int gcp_batch__resolve(char **out_path, json_t **out_body, size_t *out_dropped,
                       const struct gcp_batch_request *req,
                       gcp_batch_lookup_fn lookup, void *payload)
{
    struct resolve r = {lookup, payload, 0};
    json_t *body = NULL;
    char *path;
    int error;

    *out_path = NULL;
    *out_body = NULL;
    *out_dropped = 0;
    if ((path = resolve_path(req, &r, &error)) == NULL)
        return error < 0 ? error : GCP_ENOMEM;
    if (req->body != NULL && (body = json_deep_copy(req->body)) == NULL)
        error = GCP_ENOMEM;
    if (error == 0 && body != NULL && (error = resolve_value(&r, body)) == 0)
        error = resolve_version(req, body, &r);
    if (error < 0) {
        free(path);
        json_decref(body);
        return error;
    }
    *out_path = path;
    *out_body = body;
    *out_dropped = r.dropped;
    return 0;
}

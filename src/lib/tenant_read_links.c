/*
 * tenant_read_links.c: after a scan, the external ids the plan needs, in
 * as few calls as the arithmetic allows. A user the journal links to a
 * person carries our external id (apply records a link only once the id is
 * written), so it costs nothing. A user found by email gets its external
 * ids read: the plan must know whether it belongs to another key. People
 * found by neither may have changed their email: either each is looked up
 * by key (GET /api/v2/users/externalid/{authority}/{key}) or every user no
 * one matched has its ids read, whichever is fewer calls.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "tenant_read_int.h"

struct links {
    json_t *by_email; /* lower-cased email -> user id */
    json_t *claimed;  /* user id -> true, for users tied to a person */
    json_t *to_read;  /* user ids whose external ids must be read */
    json_t *misses;   /* indices of people found by neither, with a key */
};

static void links_free(struct links *l)
{
    json_decref(l->by_email);
    json_decref(l->claimed);
    json_decref(l->to_read);
    json_decref(l->misses);
}

static int links_lower(char *buf, size_t size, const char *s)
{
    size_t n = strlen(s);

    if (n >= size)
        return GCP_EINVALID;
    for (size_t i = 0; i <= n; i++)
        buf[i] = (char)tolower((unsigned char)s[i]);
    return 0;
}

static int links_index(struct links *l, const json_t *users)
{
    size_t i;
    json_t *u;

    json_array_foreach(users, i, u)
    {
        char email[512];

        if (links_lower(email, sizeof(email),
                        json_string_value(json_object_get(u, "email"))) < 0)
            continue;
        if (json_object_set(l->by_email, email, json_object_get(u, "id")) < 0)
            return GCP_ENOMEM;
    }
    return 0;
}

/* True when the list holds (authority, key). */
static int links_carries(const json_t *ids, const char *authority,
                         const char *key)
{
    size_t i;
    json_t *e;

    json_array_foreach(ids, i, e)
    {
        const char *a = json_string_value(json_object_get(e, "authorityName"));
        const char *k = json_string_value(json_object_get(e, "externalKey"));

        if (a != NULL && k != NULL && strcmp(a, authority) == 0 &&
            strcmp(k, key) == 0)
            return 1;
    }
    return 0;
}

int gcp_tenant__mark_extid(struct gcp_tenant_reader *r, const char *user_id,
                           const char *key)
{
    const json_t *u = gcp_tenant__doc_user(r->doc, user_id);
    const json_t *known = json_object_get(u, "externalIds");
    json_t *ids;
    int error;

    if (u == NULL || links_carries(known, r->authority, key))
        return 0;
    /* A list read already (a deleted user's may be empty, hidden) gets
     * the pair the lookup proved, keeping the other keys it shows. */
    ids = known != NULL ? json_copy((json_t *)known) : json_array();
    if (ids == NULL ||
        json_array_append_new(ids, json_pack("{s:s, s:s}", "authorityName",
                                             r->authority, "externalKey",
                                             key)) < 0) {
        json_decref(ids);
        return GCP_ENOMEM;
    }
    error = gcp_tenant__doc_external_ids(r->doc, user_id, ids);
    json_decref(ids);
    return error;
}

/* Ties person `i` to a user by journal link or email, or notes a miss. */
static int links_person(struct gcp_tenant_reader *r, struct links *l, size_t i)
{
    const gcp_person *p = r->people[i];
    const char *linked = gcp_tenant__linked(r, p->key);
    const char *id;
    char email[512];

    if (linked != NULL && gcp_tenant__doc_user(r->doc, linked) != NULL) {
        if (json_object_set_new(l->claimed, linked, json_true()) < 0)
            return GCP_ENOMEM;
        return gcp_tenant__mark_extid(r, linked, p->key);
    }
    if (links_lower(email, sizeof(email), p->email) == 0 &&
        (id = json_string_value(json_object_get(l->by_email, email))) != NULL) {
        if (json_object_get(l->claimed, id) != NULL)
            return 0;
        if (json_object_set_new(l->claimed, id, json_true()) < 0 ||
            json_array_append_new(l->to_read, json_string(id)) < 0)
            return GCP_ENOMEM;
        return 0;
    }
    if (p->employee_id == NULL)
        return 0;
    return json_array_append_new(l->misses, json_integer((json_int_t)i)) < 0
               ? GCP_ENOMEM
               : 0;
}

/* Looks person `i` up by our external id; a user found is marked. */
static int links_lookup(struct gcp_tenant_reader *r, size_t i)
{
    static const char route[] =
        "/api/v2/users/externalid/{authorityName}/{externalKey}";
    const char *key = r->people[i]->key;
    char *a = curl_easy_escape(NULL, r->authority, 0);
    char *k = curl_easy_escape(NULL, key, 0);
    char path[1024];
    json_t *user = NULL;
    int error = a != NULL && k != NULL ? 0 : GCP_ENOMEM;

    if (error == 0) {
        snprintf(path, sizeof(path), "/api/v2/users/externalid/%s/%s", a, k);
        error = gcp_tenant__call(&user, r, "GET", route, path, NULL);
    }
    curl_free(a);
    curl_free(k);
    if (error == GCP_ENOTFOUND)
        return 0;
    if (error == 0 && (error = gcp_tenant__doc_users(r->doc, user)) < 0)
        error = gcp_tenant__refused(r, route, error);
    if (error == 0)
        error = gcp_tenant__mark_extid(
            r, json_string_value(json_object_get(user, "id")), key);
    json_decref(user);
    return error;
}

/* Collects the users no one matched whose external ids are unknown. */
static int links_unmatched(struct gcp_tenant_reader *r, struct links *l,
                           json_t *out)
{
    const json_t *users =
        json_object_get(gcp_tenant__doc_json(r->doc), "users");
    size_t i;
    json_t *u;

    json_array_foreach(users, i, u)
    {
        json_t *id = json_object_get(u, "id");

        if (json_object_get(l->claimed, json_string_value(id)) != NULL ||
            json_object_get(u, "externalIds") != NULL)
            continue;
        if (json_array_append(out, id) < 0)
            return GCP_ENOMEM;
    }
    return 0;
}

static int links_read_all(struct gcp_tenant_reader *r, const json_t *ids)
{
    size_t i;
    json_t *id;

    json_array_foreach(ids, i, id)
    {
        int error = gcp_tenant__read_extids(r, json_string_value(id));

        if (error < 0 && error != GCP_ENOTFOUND)
            return error;
    }
    return 0;
}

/* People found by neither: by key, or the unmatched users, fewer calls. */
static int links_misses(struct gcp_tenant_reader *r, struct links *l)
{
    json_t *unmatched = json_array();
    size_t i;
    json_t *index;
    int error =
        unmatched != NULL ? links_unmatched(r, l, unmatched) : GCP_ENOMEM;

    if (error == 0 && json_array_size(l->misses) > json_array_size(unmatched))
        error = links_read_all(r, unmatched);
    else if (error == 0)
        json_array_foreach(l->misses, i, index)
        {
            if ((error = links_lookup(r, (size_t)json_integer_value(index))) <
                0)
                break;
        }
    json_decref(unmatched);
    return error;
}

int gcp_tenant__read_links(struct gcp_tenant_reader *r)
{
    struct links l = {json_object(), json_object(), json_array(), json_array()};
    int error = 0;

    if (l.by_email == NULL || l.claimed == NULL || l.to_read == NULL ||
        l.misses == NULL)
        error = GCP_ENOMEM;
    if (error == 0)
        error = links_index(
            &l, json_object_get(gcp_tenant__doc_json(r->doc), "users"));
    for (size_t i = 0; i < r->count && error == 0; i++)
        error = links_person(r, &l, i);
    if (error == 0)
        error = links_read_all(r, l.to_read);
    if (error == 0)
        error = links_misses(r, &l);
    links_free(&l);
    if (error == GCP_ENOMEM)
        gcp_err__set(r->err, error, "out of memory");
    return error;
}

/*
 * tenant_read_people.c: per-person lookups, for a few people in a big
 * org. Each person costs a reverse lookup of our external id (when they
 * have an employee id), else or on a miss a search by email in every
 * state, then a read of the found user's external ids (found by email,
 * unless the journal links them) and grants. Licenses come in batch reads
 * of the found users, or from every page of the license listing when
 * budgets need every seat counted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "tenant_read_int.h"
#include "users_body.h"

#define PEOPLE_ID_MAX 128

/* Adds `user` (borrowed) to the document and copies its id into `id`. */
static int people_add(struct gcp_tenant_reader *r, const json_t *user,
                      const char *route, char *id)
{
    const char *s = json_string_value(json_object_get(user, "id"));
    int error = gcp_tenant__doc_users(r->doc, user);

    if (error < 0 || s == NULL || strlen(s) >= PEOPLE_ID_MAX)
        return gcp_tenant__refused(r, route, error < 0 ? error : GCP_EINVALID);
    strcpy(id, s);
    return 0;
}

/* The reverse lookup: fills `id` ("" when not found). */
static int people_by_key(struct gcp_tenant_reader *r, const gcp_person *p,
                         char *id)
{
    static const char route[] =
        "/api/v2/users/externalid/{authorityName}/{externalKey}";
    char *a = curl_easy_escape(NULL, r->authority, 0);
    char *k = curl_easy_escape(NULL, p->key, 0);
    char path[1024];
    json_t *user = NULL;
    int error = a != NULL && k != NULL ? 0 : GCP_ENOMEM;

    if (error == 0) {
        snprintf(path, sizeof(path), "/api/v2/users/externalid/%s/%s", a, k);
        error = gcp_tenant__call(&user, r, "GET", route, path, NULL);
    }
    curl_free(a);
    curl_free(k);
    if (error == 0)
        error = people_add(r, user, route, id);
    json_decref(user);
    return error == GCP_ENOTFOUND ? 0 : error;
}

/* The search by email, in every state: fills `id` ("" when none). */
static int people_by_email(struct gcp_tenant_reader *r, const gcp_person *p,
                           char *id)
{
    static const char route[] = "/api/v2/users/search";
    json_t *body = gcp_users__search_body(p->email);
    json_t *reply = NULL;
    const json_t *found;
    int error = GCP_ENOMEM;

    if (body != NULL)
        error = gcp_tenant__call(&reply, r, "POST", route, route, body);
    json_decref(body);
    found = json_array_get(json_object_get(reply, "results"), 0);
    if (error == 0 && found != NULL)
        error = people_add(r, found, route, id);
    json_decref(reply);
    return error;
}

int gcp_tenant__read_subject(struct gcp_tenant_reader *r, const char *user_id)
{
    static const char route[] = "/api/v2/authorization/subjects/{subjectId}";
    char path[512];
    json_t *subject;
    int error;

    snprintf(path, sizeof(path), "/api/v2/authorization/subjects/%s", user_id);
    if ((error = gcp_tenant__call(&subject, r, "GET", route, path, NULL)) < 0)
        return error == GCP_ENOTFOUND ? 0 : error;
    error = gcp_tenant__doc_subject(r->doc, subject);
    json_decref(subject);
    return error < 0 ? gcp_tenant__refused(r, route, error) : 0;
}

/* True when the journal links person `p` to user `id`: it carries the key. */
static int people_linked(struct gcp_tenant_reader *r, const gcp_person *p,
                         const char *id)
{
    const char *linked = gcp_tenant__linked(r, p->key);

    return linked != NULL && strcmp(linked, id) == 0;
}

/* Finds one person and reads what the plan needs of their user. */
static int people_one(struct gcp_tenant_reader *r, const gcp_person *p,
                      json_t *found)
{
    char id[PEOPLE_ID_MAX] = "";
    int by_key = 0;
    int error = 0;

    if (p->employee_id != NULL) {
        error = people_by_key(r, p, id);
        by_key = id[0] != '\0';
    }
    if (error == 0 && id[0] == '\0')
        error = people_by_email(r, p, id);
    if (error < 0 || id[0] == '\0')
        return error;
    if (by_key || people_linked(r, p, id))
        error = gcp_tenant__mark_extid(r, id, p->key);
    else
        error = gcp_tenant__read_extids(r, id);
    if (error == 0)
        error = gcp_tenant__read_subject(r, id);
    if (error == 0 && json_array_append_new(found, json_string(id)) < 0)
        error = GCP_ENOMEM;
    return error;
}

/* Feeds a batch read's map {userId: {id, licenses}} as a page. */
static int people_license_map(struct gcp_tenant_reader *r, const json_t *map)
{
    json_t *page = json_array();
    const char *key;
    json_t *value;
    int error;

    if (page == NULL)
        return GCP_ENOMEM;
    json_object_foreach((json_t *)map, key, value)
    {
        if (json_array_append(page, value) < 0) {
            json_decref(page);
            return GCP_ENOMEM;
        }
    }
    error = gcp_tenant__doc_license_page(r->doc, page, 0);
    json_decref(page);
    return error;
}

/* POST /api/v2/license/users for ids[from .. from + page). */
static int people_licenses_chunk(struct gcp_tenant_reader *r, const json_t *ids,
                                 size_t from)
{
    static const char route[] = "/api/v2/license/users";
    json_t *chunk = json_array();
    json_t *reply = NULL;
    int error = chunk != NULL ? 0 : GCP_ENOMEM;

    for (size_t i = from;
         error == 0 && i < json_array_size(ids) && i < from + r->page; i++)
        if (json_array_append(chunk, json_array_get(ids, i)) < 0)
            error = GCP_ENOMEM;
    if (error == 0)
        error = gcp_tenant__call(&reply, r, "POST", route, route, chunk);
    if (error == 0 && (error = people_license_map(r, reply)) < 0)
        error = gcp_tenant__refused(r, route, error);
    json_decref(chunk);
    json_decref(reply);
    return error;
}

static int people_licenses(struct gcp_tenant_reader *r, const json_t *found)
{
    int error = 0;

    if (r->opts->seats)
        return gcp_tenant__read_license_pages(r);
    for (size_t i = 0; i < json_array_size(found) && error == 0; i += r->page)
        error = people_licenses_chunk(r, found, i);
    return error;
}

int gcp_tenant__read_people(struct gcp_tenant_reader *r)
{
    json_t *found = json_array(); /* user ids found */
    int error = found != NULL ? 0 : GCP_ENOMEM;

    for (size_t i = 0; i < r->count && error == 0; i++)
        error = people_one(r, r->people[i], found);
    if (error == 0)
        error = people_licenses(r, found);
    json_decref(found);
    if (error == GCP_ENOMEM)
        gcp_err__set(r->err, error, "out of memory");
    return error;
}

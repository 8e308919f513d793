/*
 * tenant_read.c: the read as named steps: setup (home division,
 * divisions, roles, license definitions), the first page of users (whose
 * `total` is the org's size), the choice of strategy, then the strategy
 * (tenant_read_scan.c or tenant_read_people.c), then the snapshot.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tenant_read_int.h"

#define READ_PAGE 500

int gcp_tenant__call(json_t **out, struct gcp_tenant_reader *r,
                     const char *method, const char *route, const char *path,
                     json_t *body)
{
    int error;

    *out = NULL;
    r->stats->calls++;
    error = r->call(out, method, route, path, body, r->payload);
    /* A 404 some callers expect still gets a message, for those that
     * do not; the message is read only when the read fails. */
    if (error < 0)
        gcp_err__set(r->err, error, "reading the tenant: '%s %s' failed: %s",
                     method, route, gcp_error_name(error));
    return error;
}

int gcp_tenant__refused(struct gcp_tenant_reader *r, const char *route,
                        int error)
{
    if (error == GCP_ENOMEM)
        return gcp_err__set(r->err, error, "out of memory");
    return gcp_err__set(r->err, error,
                        "reading the tenant: the reply of '%s' lacks what "
                        "it must carry",
                        route);
}

const char *gcp_tenant__linked(struct gcp_tenant_reader *r, const char *key)
{
    const char *id = NULL;

    if (r->opts->link == NULL ||
        r->opts->link(&id, key, r->opts->link_payload) < 0)
        return NULL;
    return id;
}

/* True when the document holds the user in state deleted. */
static int read_deleted(const struct gcp_tenant_reader *r, const char *user_id)
{
    const json_t *u = gcp_tenant__doc_user(r->doc, user_id);
    const char *state = json_string_value(json_object_get(u, "state"));

    return state != NULL && strcmp(state, "deleted") == 0;
}

/*
 * A deleted user whose external ids answer 404 (whether the API shows a
 * deleted user's ids is [U]) carries none we can see: it gets an empty
 * list, unless a reverse lookup already tied a key to it.
 */
static int read_hidden_extids(struct gcp_tenant_reader *r, const char *user_id)
{
    json_t *none;
    int error;

    if (json_object_get(gcp_tenant__doc_user(r->doc, user_id), "externalIds") !=
        NULL)
        return 0;
    if ((none = json_array()) == NULL)
        return GCP_ENOMEM;
    error = gcp_tenant__doc_external_ids(r->doc, user_id, none);
    json_decref(none);
    return error;
}

int gcp_tenant__read_extids(struct gcp_tenant_reader *r, const char *user_id)
{
    static const char route[] = "/api/v2/users/{userId}/externalid";
    char path[512];
    json_t *reply;
    int error;

    snprintf(path, sizeof(path), "/api/v2/users/%s/externalid", user_id);
    error = gcp_tenant__call(&reply, r, "GET", route, path, NULL);
    if (error == GCP_ENOTFOUND && read_deleted(r, user_id)) {
        gcp_err__clear(r->err);
        return read_hidden_extids(r, user_id);
    }
    if (error < 0)
        return error;
    error = gcp_tenant__doc_external_ids(r->doc, user_id, reply);
    json_decref(reply);
    return error < 0 ? gcp_tenant__refused(r, route, error) : 0;
}

/* Reads every page of a listing into the document's `member`. */
static int read_list(struct gcp_tenant_reader *r, const char *member,
                     const char *route)
{
    char path[512];
    size_t pages = 1;
    int error = 0;

    for (size_t n = 1; n <= pages && error == 0; n++) {
        json_t *reply;

        snprintf(path, sizeof(path), "%s?pageSize=%zu&pageNumber=%zu", route,
                 r->page, n);
        if ((error = gcp_tenant__call(&reply, r, "GET", route, path, NULL)) < 0)
            return error;
        pages = (size_t)json_integer_value(json_object_get(reply, "pageCount"));
        if ((error = gcp_tenant__doc_list(r->doc, member, reply)) < 0)
            error = gcp_tenant__refused(r, route, error);
        json_decref(reply);
    }
    return error;
}

static int read_one(struct gcp_tenant_reader *r, const char *route,
                    const char *member)
{
    json_t *reply;
    int error;

    if ((error = gcp_tenant__call(&reply, r, "GET", route, route, NULL)) < 0)
        return error;
    error = member != NULL ? gcp_tenant__doc_list(r->doc, member, reply)
                           : gcp_tenant__doc_home(r->doc, reply);
    json_decref(reply);
    return error < 0 ? gcp_tenant__refused(r, route, error) : 0;
}

static int read_setup(struct gcp_tenant_reader *r)
{
    int error;

    if ((error = read_one(r, "/api/v2/authorization/divisions/home", NULL)) <
            0 ||
        (error = read_list(r, "divisions", "/api/v2/authorization/divisions")) <
            0 ||
        (error = read_list(r, "roles", "/api/v2/authorization/roles")) < 0)
        return error;
    return read_one(r, "/api/v2/license/definitions", "licenseDefinitions");
}

/* Reads the first page of users, in every state; returns the total. */
static int read_first_users(struct gcp_tenant_reader *r, size_t *out_total)
{
    static const char route[] = "/api/v2/users";
    char path[512];
    json_t *reply;
    int error;

    snprintf(path, sizeof(path),
             "/api/v2/users?pageSize=%zu&pageNumber=1&state=any", r->page);
    if ((error = gcp_tenant__call(&reply, r, "GET", route, path, NULL)) < 0)
        return error;
    *out_total = (size_t)json_integer_value(json_object_get(reply, "total"));
    error = gcp_tenant__doc_users(r->doc, reply);
    json_decref(reply);
    return error < 0 ? gcp_tenant__refused(r, route, error) : 0;
}

static int read_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Counts the distinct role names of the roster; 0 when out of memory. */
static size_t read_roles_named(const struct gcp_tenant_reader *r)
{
    const char **names;
    size_t n = 0, distinct = 0;

    for (size_t i = 0; i < r->count; i++)
        n += r->people[i]->role_count;
    if ((names = calloc(n + 1, sizeof(*names))) == NULL)
        return 0;
    n = 0;
    for (size_t i = 0; i < r->count; i++)
        for (size_t k = 0; k < r->people[i]->role_count; k++)
            names[n++] = r->people[i]->roles[k].role;
    qsort(names, n, sizeof(*names), read_cmp_str);
    for (size_t i = 0; i < n; i++)
        distinct += i == 0 || strcmp(names[i - 1], names[i]) != 0;
    free(names);
    return distinct;
}

static void read_choose(struct gcp_tenant_reader *r, size_t total)
{
    struct gcp_lookup_input in = {
        r->count, total, r->page, read_roles_named(r), 0, r->opts->seats};

    r->stats->org_users = total;
    gcp_plan__lookup_cost(&r->stats->cost, &in);
    r->stats->strategy = r->opts->strategy == GCP_TENANT_READ_AUTO
                             ? r->stats->cost.choice
                             : (enum gcp_lookup_strategy)r->opts->strategy;
}

static int read_steps(struct gcp_tenant_reader *r)
{
    size_t total = 0;
    int error;

    if ((error = read_setup(r)) < 0 ||
        (error = read_first_users(r, &total)) < 0)
        return error;
    read_choose(r, total);
    if (r->stats->strategy == GCP_LOOKUP_SCAN)
        return gcp_tenant__read_scan(r, total);
    return gcp_tenant__read_people(r);
}

int gcp_tenant__read(gcp_snapshot **out, struct gcp_tenant_read_stats *stats,
                     const gcp_person *const *people, size_t count,
                     const struct gcp_tenant_read_options *opts,
                     gcp_tenant_call_fn call, void *payload,
                     struct gcp_err *err)
{
    struct gcp_tenant_read_stats local = {0};
    struct gcp_tenant_reader r = {
        opts,    NULL, 0,   call,
        payload, NULL, err, stats != NULL ? stats : &local,
        people,  count};
    int error;

    *out = NULL;
    memset(r.stats, 0, sizeof(*r.stats));
    r.authority = opts->authority != NULL ? opts->authority : "gcprov";
    r.page = opts->page_size > 0 ? opts->page_size : READ_PAGE;
    if ((error = gcp_tenant__doc_new(&r.doc)) < 0)
        return gcp_err__set(err, error, "out of memory");
    if ((error = read_steps(&r)) == 0)
        error = gcp_tenant__doc_snapshot(out, r.doc, err);
    gcp_tenant__doc_free(r.doc);
    return error;
}

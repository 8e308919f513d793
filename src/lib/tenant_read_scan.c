/*
 * tenant_read_scan.c: the paged scan. Every page of users (in every
 * state), every page of licenses (which also counts the seats), and for
 * each role the roster names every page of its subject grants. The
 * external ids the plan needs come after (tenant_read_links.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tenant_read_int.h"

/* Feeds one page to the document; `arg` is the page's role id or NULL. */
typedef int (*scan_feed_fn)(struct gcp_tenant_doc *doc, const char *arg,
                            const json_t *reply);

/* Reads pages `from` .. pageCount of `base` (route, then its query). */
static int scan_pages(struct gcp_tenant_reader *r, const char *route,
                      const char *base, const char *query, size_t from,
                      scan_feed_fn feed, const char *arg)
{
    char path[512];
    size_t pages = from;
    int error = 0;

    for (size_t n = from; n <= pages && error == 0; n++) {
        json_t *reply;

        snprintf(path, sizeof(path), "%s?pageSize=%zu&pageNumber=%zu%s", base,
                 r->page, n, query);
        if ((error = gcp_tenant__call(&reply, r, "GET", route, path, NULL)) < 0)
            return error;
        pages = (size_t)json_integer_value(json_object_get(reply, "pageCount"));
        if ((error = feed(r->doc, arg, reply)) < 0)
            error = gcp_tenant__refused(r, route, error);
        json_decref(reply);
    }
    return error;
}

static int scan_feed_users(struct gcp_tenant_doc *doc, const char *arg,
                           const json_t *reply)
{
    return gcp_tenant__doc_users(doc, reply);
}

static int scan_feed_licenses(struct gcp_tenant_doc *doc, const char *arg,
                              const json_t *reply)
{
    return gcp_tenant__doc_license_page(doc, reply, 1);
}

static int scan_feed_grants(struct gcp_tenant_doc *doc, const char *role_id,
                            const json_t *reply)
{
    return gcp_tenant__doc_role_grants(doc, role_id, reply);
}

/* Returns the id of the role named `name` in the document, or NULL. */
static const char *scan_role(struct gcp_tenant_reader *r, const char *name)
{
    const json_t *roles =
        json_object_get(gcp_tenant__doc_json(r->doc), "roles");
    size_t i;
    json_t *role;

    json_array_foreach(roles, i, role)
    {
        const char *n = json_string_value(json_object_get(role, "name"));

        if (n != NULL && strcasecmp(n, name) == 0)
            return json_string_value(json_object_get(role, "id"));
    }
    return NULL;
}

/* Reads the subject grants of one role unless `done` has it. */
static int scan_role_grants(struct gcp_tenant_reader *r, const char *name,
                            json_t *done)
{
    static const char route[] =
        "/api/v2/authorization/roles/{roleId}/subjectgrants";
    const char *id = scan_role(r, name);
    char base[256];

    if (id == NULL || json_object_get(done, id) != NULL)
        return 0;
    if (json_object_set_new(done, id, json_true()) < 0)
        return GCP_ENOMEM;
    snprintf(base, sizeof(base), "/api/v2/authorization/roles/%s/subjectgrants",
             id);
    return scan_pages(r, route, base, "", 1, scan_feed_grants, id);
}

static int scan_grants(struct gcp_tenant_reader *r)
{
    json_t *done = json_object(); /* role ids read */
    int error = done != NULL ? 0 : GCP_ENOMEM;

    for (size_t i = 0; i < r->count && error == 0; i++)
        for (size_t k = 0; k < r->people[i]->role_count && error == 0; k++)
            error = scan_role_grants(r, r->people[i]->roles[k].role, done);
    json_decref(done);
    return error;
}

int gcp_tenant__read_license_pages(struct gcp_tenant_reader *r)
{
    return scan_pages(r, "/api/v2/license/users", "/api/v2/license/users", "",
                      1, scan_feed_licenses, NULL);
}

/*
 * Without subject grants (a server that does not offer the route), reads
 * the grants of each user whose external ids are now known: the users the
 * plan ties to people, one call each.
 */
static int scan_subjects(struct gcp_tenant_reader *r)
{
    const json_t *users =
        json_object_get(gcp_tenant__doc_json(r->doc), "users");
    size_t i;
    json_t *u;

    json_array_foreach(users, i, u)
    {
        int error;

        if (json_object_get(u, "externalIds") == NULL)
            continue;
        error = gcp_tenant__read_subject(
            r, json_string_value(json_object_get(u, "id")));
        if (error < 0)
            return error;
    }
    return 0;
}

int gcp_tenant__read_scan(struct gcp_tenant_reader *r, size_t total)
{
    int no_subjectgrants = 0;
    int error = 0;

    if (total > r->page)
        error = scan_pages(r, "/api/v2/users", "/api/v2/users", "&state=any", 2,
                           scan_feed_users, NULL);
    if (error == 0)
        error = gcp_tenant__read_license_pages(r);
    if (error == 0 && (error = scan_grants(r)) == GCP_ENOTFOUND) {
        no_subjectgrants = 1;
        error = 0;
    }
    if (error == 0)
        error = gcp_tenant__read_links(r);
    if (error == 0 && no_subjectgrants)
        error = scan_subjects(r);
    return error;
}

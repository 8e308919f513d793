/*
 * tenant_doc.c: the snapshot document, assembled reply by reply. Users
 * are kept in the document's list and indexed by id in a JSON object that
 * holds a second reference to each, so that licenses, grants and external
 * ids attach to them in constant time.
 */
#include <stdlib.h>
#include <string.h>

#include "tenant_doc.h"

struct gcp_tenant_doc {
    json_t *doc;   /* the snapshot document */
    json_t *by_id; /* user id -> the user object in doc.users */
    json_t *seats; /* license id -> count, also doc.seatsInUse */
};

int gcp_tenant__doc_new(struct gcp_tenant_doc **out)
{
    struct gcp_tenant_doc *d = calloc(1, sizeof(*d));

    *out = NULL;
    if (d == NULL)
        return GCP_ENOMEM;
    d->doc = json_pack("{s:[], s:[], s:[], s:[], s:{}}", "divisions", "roles",
                       "licenseDefinitions", "users", "seatsInUse");
    d->by_id = json_object();
    if (d->doc == NULL || d->by_id == NULL) {
        gcp_tenant__doc_free(d);
        return GCP_ENOMEM;
    }
    d->seats = json_object_get(d->doc, "seatsInUse"); /* borrowed */
    *out = d;
    return 0;
}

void gcp_tenant__doc_free(struct gcp_tenant_doc *doc)
{
    if (doc == NULL)
        return;
    json_decref(doc->doc);
    json_decref(doc->by_id);
    free(doc);
}

const json_t *gcp_tenant__doc_user(const struct gcp_tenant_doc *doc,
                                   const char *id)
{
    return json_object_get(doc->by_id, id);
}

const json_t *gcp_tenant__doc_json(const struct gcp_tenant_doc *doc)
{
    return doc->doc;
}

int gcp_tenant__doc_snapshot(gcp_snapshot **out,
                             const struct gcp_tenant_doc *doc,
                             struct gcp_err *err)
{
    return gcp_tenant__from_json(out, doc->doc, err);
}

/* Returns a reply's entries: `entities`, `results`, or the array itself. */
static const json_t *doc_entries(const json_t *reply)
{
    const json_t *list;

    if (json_is_array(reply))
        return reply;
    if ((list = json_object_get(reply, "entities")) != NULL)
        return list;
    return json_object_get(reply, "results");
}

int gcp_tenant__doc_home(struct gcp_tenant_doc *doc, const json_t *division)
{
    json_t *id = json_object_get(division, "id"); /* borrowed */

    if (!json_is_string(id))
        return GCP_EINVALID;
    return json_object_set(doc->doc, "homeDivisionId", id) < 0 ? GCP_ENOMEM : 0;
}

int gcp_tenant__doc_list(struct gcp_tenant_doc *doc, const char *member,
                         const json_t *reply)
{
    json_t *list = json_object_get(doc->doc, member); /* borrowed */
    const json_t *entries = doc_entries(reply);
    json_t *copy;

    if (list == NULL || !json_is_array(entries))
        return GCP_EINVALID;
    if ((copy = json_deep_copy(entries)) == NULL)
        return GCP_ENOMEM;
    if (json_array_extend(list, copy) < 0) {
        json_decref(copy);
        return GCP_ENOMEM;
    }
    json_decref(copy);
    return 0;
}

/* Adds one User, or refreshes the one with its id. */
static int doc_user(struct gcp_tenant_doc *doc, const json_t *user)
{
    const char *id = json_string_value(json_object_get(user, "id"));
    json_t *old;
    json_t *copy;

    if (id == NULL || !json_is_string(json_object_get(user, "email")))
        return GCP_EINVALID;
    if ((copy = json_deep_copy(user)) == NULL)
        return GCP_ENOMEM;
    if ((old = json_object_get(doc->by_id, id)) != NULL) {
        int error = json_object_update(old, copy) < 0 ? GCP_ENOMEM : 0;

        json_decref(copy);
        return error;
    }
    /* The index takes a reference of its own; the list steals `copy`. */
    if (json_object_set(doc->by_id, id, copy) < 0) {
        json_decref(copy);
        return GCP_ENOMEM;
    }
    if (json_array_append_new(json_object_get(doc->doc, "users"), copy) < 0) {
        json_object_del(doc->by_id, id);
        return GCP_ENOMEM;
    }
    return 0;
}

int gcp_tenant__doc_users(struct gcp_tenant_doc *doc, const json_t *reply)
{
    const json_t *entries = doc_entries(reply);
    size_t i;
    json_t *user;

    if (entries == NULL)
        return doc_user(doc, reply);
    if (!json_is_array(entries))
        return GCP_EINVALID;
    json_array_foreach(entries, i, user)
    {
        int error = doc_user(doc, user);

        if (error < 0)
            return error;
    }
    return 0;
}

/* Counts one seat of `license`. */
static int doc_seat(struct gcp_tenant_doc *doc, const char *license)
{
    json_t *n = json_object_get(doc->seats, license); /* borrowed */
    json_int_t count = n != NULL ? json_integer_value(n) + 1 : 1;

    return json_object_set_new(doc->seats, license, json_integer(count)) < 0
               ? GCP_ENOMEM
               : 0;
}

static int doc_license_entry(struct gcp_tenant_doc *doc, const json_t *entry,
                             int count_seats)
{
    const char *id = json_string_value(json_object_get(entry, "id"));
    json_t *licenses = json_object_get(entry, "licenses"); /* borrowed */
    json_t *user;
    size_t i;
    json_t *lic;

    if (id == NULL || !json_is_array(licenses))
        return GCP_EINVALID;
    json_array_foreach(licenses, i, lic)
    {
        if (!json_is_string(lic))
            return GCP_EINVALID;
        if (count_seats && doc_seat(doc, json_string_value(lic)) < 0)
            return GCP_ENOMEM;
    }
    if ((user = json_object_get(doc->by_id, id)) == NULL)
        return 0;
    return json_object_set_new(user, "licenses", json_deep_copy(licenses)) < 0
               ? GCP_ENOMEM
               : 0;
}

int gcp_tenant__doc_license_page(struct gcp_tenant_doc *doc,
                                 const json_t *reply, int count_seats)
{
    const json_t *entries = doc_entries(reply);
    size_t i;
    json_t *entry;

    if (!json_is_array(entries))
        return GCP_EINVALID;
    json_array_foreach(entries, i, entry)
    {
        int error = doc_license_entry(doc, entry, count_seats);

        if (error < 0)
            return error;
    }
    return 0;
}

/* Returns the user's grant list, made when missing; NULL when no memory. */
static json_t *doc_grants(json_t *user)
{
    json_t *grants = json_object_get(user, "grants"); /* borrowed */

    if (json_is_array(grants))
        return grants;
    if (json_object_set_new(user, "grants", json_array()) < 0)
        return NULL;
    return json_object_get(user, "grants");
}

/* Adds (role, division) to the user's grants unless it is there. */
static int doc_grant(json_t *user, const char *role_id, const char *division_id)
{
    json_t *grants = doc_grants(user);
    size_t i;
    json_t *g;

    if (grants == NULL)
        return GCP_ENOMEM;
    json_array_foreach(grants, i, g)
    {
        const char *r = json_string_value(json_object_get(g, "roleId"));
        const char *d = json_string_value(json_object_get(g, "divisionId"));

        if (r != NULL && d != NULL && strcmp(r, role_id) == 0 &&
            strcmp(d, division_id) == 0)
            return 0;
    }
    return json_array_append_new(grants,
                                 json_pack("{s:s, s:s}", "roleId", role_id,
                                           "divisionId", division_id)) < 0
               ? GCP_ENOMEM
               : 0;
}

static int doc_subject_divisions(struct gcp_tenant_doc *doc,
                                 const char *role_id, const json_t *entry)
{
    const char *id = json_string_value(json_object_get(entry, "id"));
    const json_t *divisions = json_object_get(entry, "divisions");
    json_t *user = id != NULL ? json_object_get(doc->by_id, id) : NULL;
    size_t i;
    json_t *div;

    if (id == NULL || !json_is_array(divisions))
        return GCP_EINVALID;
    json_array_foreach(divisions, i, div)
    {
        const char *division_id = json_string_value(json_object_get(div, "id"));
        int error;

        if (division_id == NULL)
            return GCP_EINVALID;
        if (user != NULL && (error = doc_grant(user, role_id, division_id)) < 0)
            return error;
    }
    return 0;
}

int gcp_tenant__doc_role_grants(struct gcp_tenant_doc *doc, const char *role_id,
                                const json_t *reply)
{
    const json_t *entries = doc_entries(reply);
    size_t i;
    json_t *entry;

    if (!json_is_array(entries))
        return GCP_EINVALID;
    json_array_foreach(entries, i, entry)
    {
        int error = doc_subject_divisions(doc, role_id, entry);

        if (error < 0)
            return error;
    }
    return 0;
}

int gcp_tenant__doc_subject(struct gcp_tenant_doc *doc, const json_t *subject)
{
    const char *id = json_string_value(json_object_get(subject, "id"));
    const json_t *grants = json_object_get(subject, "grants");
    json_t *user = id != NULL ? json_object_get(doc->by_id, id) : NULL;
    size_t i;
    json_t *g;

    if (id == NULL || !json_is_array(grants))
        return GCP_EINVALID;
    /* A user read with no grant has an empty list, not an unread one. */
    if (user != NULL && doc_grants(user) == NULL)
        return GCP_ENOMEM;
    json_array_foreach(grants, i, g)
    {
        const char *role = json_string_value(
            json_object_get(json_object_get(g, "role"), "id"));
        const char *division = json_string_value(
            json_object_get(json_object_get(g, "division"), "id"));
        int error;

        if (role == NULL || division == NULL)
            return GCP_EINVALID;
        if (user != NULL && (error = doc_grant(user, role, division)) < 0)
            return error;
    }
    return 0;
}

int gcp_tenant__doc_external_ids(struct gcp_tenant_doc *doc,
                                 const char *user_id, const json_t *list)
{
    json_t *user = json_object_get(doc->by_id, user_id); /* borrowed */

    if (!json_is_array(list))
        return GCP_EINVALID;
    if (user == NULL)
        return 0;
    return json_object_set_new(user, "externalIds", json_deep_copy(list)) < 0
               ? GCP_ENOMEM
               : 0;
}

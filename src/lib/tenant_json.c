/*
 * tenant_json.c: fills a snapshot from one JSON document whose parts have
 * the shapes of the API's replies (Division, DomainOrganizationRole,
 * LicenseDefinition, User with `division`, `manager` and `addresses`), plus
 * three fields per user that the reader collects from other calls:
 * `externalIds` (UserExternalIdentifier list; absent: not read), `grants`
 * (AuthzGrant list, or {roleId, divisionId}) and `licenses` (license ids).
 * docs/plan.md describes the document.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tenant.h"

/* Copies an optional string member; absent or null leaves *out NULL. */
static int tj_str(char **out, const json_t *obj, const char *field,
                  struct gcp_err *err)
{
    json_t *v = json_object_get(obj, field); /* borrowed */

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_string(v))
        return gcp_err__set(err, GCP_EINVALID,
                            "snapshot field '%s' is not a string", field);
    *out = strdup(json_string_value(v));
    return *out != NULL ? 0 : GCP_ENOMEM;
}

/* As tj_str, but the member must be there. */
static int tj_req(char **out, const json_t *obj, const char *field,
                  struct gcp_err *err)
{
    int error = tj_str(out, obj, field, err);

    if (error == 0 && *out == NULL)
        return gcp_err__set(err, GCP_EINVALID, "snapshot entry lacks '%s'",
                            field);
    return error;
}

/* Reads {"field": {"id": ...}} or {"fieldId": ...}. */
static int tj_ref(char **out, const json_t *obj, const char *field,
                  const char *flat, struct gcp_err *err)
{
    json_t *nested = json_object_get(obj, field); /* borrowed */

    if (json_is_object(nested))
        return tj_str(out, nested, "id", err);
    return tj_str(out, obj, flat, err);
}

/* Borrows the array member `field` into *out; NULL when absent. */
static int tj_array(const json_t **out, const json_t *obj, const char *field,
                    struct gcp_err *err)
{
    json_t *v = json_object_get(obj, field); /* borrowed */

    *out = NULL;
    if (v == NULL || json_is_null(v))
        return 0;
    if (!json_is_array(v))
        return gcp_err__set(err, GCP_EINVALID,
                            "snapshot field '%s' is not a list", field);
    *out = v;
    return 0;
}

/* Allocates `n` zeroed entries of `size` bytes (at least one). */
static void *tj_alloc(size_t n, size_t size)
{
    return calloc(n > 0 ? n : 1, size);
}

static int tj_division(struct gcp_tenant_division *d, const json_t *obj,
                       struct gcp_err *err)
{
    int error = tj_req(&d->id, obj, "id", err);

    return error < 0 ? error : tj_req(&d->name, obj, "name", err);
}

static int tj_role(struct gcp_tenant_role *r, const json_t *obj,
                   struct gcp_err *err)
{
    const json_t *addons;
    char *base = NULL;
    int error;

    if ((error = tj_array(&addons, obj, "addonLicenses", err)) < 0 ||
        (error = tj_req(&r->id, obj, "id", err)) < 0 ||
        (error = tj_req(&r->name, obj, "name", err)) < 0 ||
        (error = tj_str(&base, obj, "baseLicense", err)) < 0)
        return error;
    r->licenses = tj_alloc(json_array_size(addons) + 1, sizeof(char *));
    if (r->licenses == NULL) {
        free(base);
        return GCP_ENOMEM;
    }
    if (base != NULL)
        r->licenses[r->license_count++] = base;
    for (size_t i = 0; i < json_array_size(addons); i++) {
        json_t *v = json_array_get(addons, i); /* borrowed */

        if (!json_is_string(v))
            return gcp_err__set(err, GCP_EINVALID,
                                "role '%s' has a non-string add-on", r->name);
        if ((r->licenses[r->license_count] = strdup(json_string_value(v))) ==
            NULL)
            return GCP_ENOMEM;
        r->license_count++;
    }
    return 0;
}

static int tj_license(struct gcp_tenant_license *l, const json_t *obj,
                      struct gcp_err *err)
{
    if (json_is_string(obj))
        return (l->id = strdup(json_string_value(obj))) != NULL ? 0
                                                                : GCP_ENOMEM;
    return tj_req(&l->id, obj, "id", err);
}

/* Takes the first PHONE contact of type WORK as the work phone. */
static int tj_user_phone(struct gcp_tenant_user *u, const json_t *addresses,
                         struct gcp_err *err)
{
    size_t i;
    json_t *c;

    json_array_foreach(addresses, i, c)
    {
        const char *media = json_string_value(json_object_get(c, "mediaType"));
        const char *type = json_string_value(json_object_get(c, "type"));
        int error;

        if (media == NULL || type == NULL || strcmp(media, "PHONE") != 0 ||
            strcmp(type, "WORK") != 0)
            continue;
        if ((error = tj_str(&u->phone_work, c, "address", err)) < 0)
            return error;
        return tj_str(&u->extension, c, "extension", err);
    }
    return 0;
}

static int tj_user_state(struct gcp_tenant_user *u, const json_t *obj,
                         struct gcp_err *err)
{
    const char *state = json_string_value(json_object_get(obj, "state"));
    json_t *version = json_object_get(obj, "version"); /* borrowed */

    u->version =
        json_is_integer(version) ? (long)json_integer_value(version) : 1;
    if (state == NULL || strcmp(state, "active") == 0)
        u->state = GCP_TENANT_ACTIVE;
    else if (strcmp(state, "inactive") == 0)
        u->state = GCP_TENANT_INACTIVE;
    else if (strcmp(state, "deleted") == 0)
        u->state = GCP_TENANT_DELETED;
    else
        return gcp_err__set(err, GCP_EINVALID, "user '%s' has state '%s'",
                            u->id, state);
    return 0;
}

static int tj_user_extids(struct gcp_tenant_user *u, const json_t *obj,
                          struct gcp_err *err)
{
    const json_t *arr;
    size_t i;
    json_t *v;
    int error;

    if ((error = tj_array(&arr, obj, "externalIds", err)) < 0 || arr == NULL)
        return error;
    u->extids_known = 1;
    u->extids = tj_alloc(json_array_size(arr), sizeof(*u->extids));
    if (u->extids == NULL)
        return GCP_ENOMEM;
    json_array_foreach(arr, i, v)
    {
        struct gcp_tenant_extid *e = &u->extids[i];

        u->extid_count = i + 1;
        if ((error = tj_req(&e->authority, v, "authorityName", err)) < 0 ||
            (error = tj_req(&e->key, v, "externalKey", err)) < 0)
            return error;
    }
    return 0;
}

static int tj_user_grants(struct gcp_tenant_user *u, const json_t *obj,
                          struct gcp_err *err)
{
    const json_t *arr;
    size_t i;
    json_t *v;
    int error;

    if ((error = tj_array(&arr, obj, "grants", err)) < 0)
        return error;
    u->grants = tj_alloc(json_array_size(arr), sizeof(*u->grants));
    if (u->grants == NULL)
        return GCP_ENOMEM;
    json_array_foreach(arr, i, v)
    {
        struct gcp_tenant_grant *g = &u->grants[i];

        u->grant_count = i + 1;
        if ((error = tj_ref(&g->role_id, v, "role", "roleId", err)) < 0 ||
            (error =
                 tj_ref(&g->division_id, v, "division", "divisionId", err)) < 0)
            return error;
        if (g->role_id == NULL || g->division_id == NULL)
            return gcp_err__set(err, GCP_EINVALID,
                                "a grant of user '%s' lacks its role or "
                                "division",
                                u->id);
    }
    return 0;
}

static int tj_user_licenses(struct gcp_tenant_user *u, const json_t *obj,
                            struct gcp_err *err)
{
    const json_t *arr;
    size_t i;
    json_t *v;
    int error;

    if ((error = tj_array(&arr, obj, "licenses", err)) < 0)
        return error;
    u->licenses = tj_alloc(json_array_size(arr), sizeof(*u->licenses));
    if (u->licenses == NULL)
        return GCP_ENOMEM;
    json_array_foreach(arr, i, v)
    {
        json_t *id = json_is_object(v) ? json_object_get(v, "id") : v;

        if (!json_is_string(id))
            return gcp_err__set(err, GCP_EINVALID,
                                "a license of user '%s' is not a string",
                                u->id);
        if ((u->licenses[i].license_id = strdup(json_string_value(id))) == NULL)
            return GCP_ENOMEM;
        u->license_count = i + 1;
    }
    return 0;
}

static int tj_user_fields(struct gcp_tenant_user *u, const json_t *obj,
                          struct gcp_err *err)
{
    int error;

    if ((error = tj_req(&u->id, obj, "id", err)) < 0 ||
        (error = tj_req(&u->email, obj, "email", err)) < 0 ||
        (error = tj_str(&u->name, obj, "name", err)) < 0 ||
        (error = tj_ref(&u->division_id, obj, "division", "divisionId", err)) <
            0 ||
        (error = tj_str(&u->department, obj, "department", err)) < 0 ||
        (error = tj_str(&u->title, obj, "title", err)) < 0 ||
        (error = tj_ref(&u->manager_id, obj, "manager", "managerId", err)) < 0)
        return error;
    if ((u->email_lower = strdup(u->email)) == NULL)
        return GCP_ENOMEM;
    for (char *c = u->email_lower; *c != '\0'; c++)
        if (*c >= 'A' && *c <= 'Z')
            *c = (char)(*c - 'A' + 'a');
    return tj_user_state(u, obj, err);
}

static int tj_user(struct gcp_tenant_user *u, const json_t *obj,
                   struct gcp_err *err)
{
    const json_t *addresses;
    int error;

    if (!json_is_object(obj))
        return gcp_err__set(err, GCP_EINVALID,
                            "a snapshot user is not "
                            "an object");
    if ((error = tj_array(&addresses, obj, "addresses", err)) < 0 ||
        (error = tj_user_fields(u, obj, err)) < 0 ||
        (error = tj_user_phone(u, addresses, err)) < 0 ||
        (error = tj_user_extids(u, obj, err)) < 0 ||
        (error = tj_user_grants(u, obj, err)) < 0)
        return error;
    if (json_array_size(addresses) > 0 &&
        (u->addresses = json_deep_copy(addresses)) == NULL)
        return GCP_ENOMEM;
    return tj_user_licenses(u, obj, err);
}

/* Loads one list member into `*out` entries of `size` bytes each. */
#define TJ_LIST(snap, doc, field, arr, count, fn, err)                         \
    tj_list(doc, field, (void **)&(snap)->arr, &(snap)->count,                 \
            sizeof(*(snap)->arr), (tj_entry_fn)(fn), err)

typedef int (*tj_entry_fn)(void *entry, const json_t *obj, struct gcp_err *err);

static int tj_list(const json_t *doc, const char *field, void **out,
                   size_t *count, size_t size, tj_entry_fn fn,
                   struct gcp_err *err)
{
    const json_t *arr;
    size_t i;
    json_t *v;
    int error;

    if ((error = tj_array(&arr, doc, field, err)) < 0)
        return error;
    if ((*out = tj_alloc(json_array_size(arr), size)) == NULL)
        return GCP_ENOMEM;
    json_array_foreach(arr, i, v)
    {
        *count = i + 1;
        if ((error = fn((char *)*out + i * size, v, err)) < 0)
            return error;
    }
    return 0;
}

/* Applies "seatsInUse": {"licenseId": n}, flagging each in `stated`. */
static int tj_seats(gcp_snapshot *snap, const json_t *doc, int *stated,
                    struct gcp_err *err)
{
    json_t *seats = json_object_get(doc, "seatsInUse"); /* borrowed */
    const char *id;
    json_t *v;

    json_object_foreach(seats, id, v)
    {
        struct gcp_tenant_license *lic = gcp_tenant__license(snap, id);

        if (lic == NULL || !json_is_integer(v) || json_integer_value(v) < 0)
            return gcp_err__set(err, GCP_EINVALID,
                                "seatsInUse names unknown license '%s' or "
                                "is not a count",
                                id);
        lic->in_use = (unsigned long)json_integer_value(v);
        stated[lic - snap->licenses] = 1;
    }
    return 0;
}

static int tj_doc(gcp_snapshot *snap, const json_t *doc, struct gcp_err *err)
{
    int *stated = NULL;
    int error;

    if ((error = tj_req(&snap->home_division_id, doc, "homeDivisionId", err)) <
            0 ||
        (error = TJ_LIST(snap, doc, "divisions", divisions, division_count,
                         tj_division, err)) < 0 ||
        (error = TJ_LIST(snap, doc, "roles", roles, role_count, tj_role, err)) <
            0 ||
        (error = TJ_LIST(snap, doc, "licenseDefinitions", licenses,
                         license_count, tj_license, err)) < 0 ||
        (error = TJ_LIST(snap, doc, "users", users, user_count, tj_user, err)) <
            0)
        return error;
    if ((stated = tj_alloc(snap->license_count, sizeof(int))) == NULL)
        return GCP_ENOMEM;
    if ((error = tj_seats(snap, doc, stated, err)) == 0)
        error = gcp_tenant__index(snap, stated);
    free(stated);
    return error;
}

int gcp_tenant__from_json(gcp_snapshot **out, const json_t *doc,
                          struct gcp_err *err)
{
    gcp_snapshot *snap = NULL;
    int error;

    *out = NULL;
    if (!json_is_object(doc))
        return gcp_err__set(err, GCP_EINVALID,
                            "the snapshot is not an "
                            "object");
    if ((snap = calloc(1, sizeof(*snap))) == NULL)
        return gcp_err__set(err, GCP_ENOMEM, "out of memory");
    if ((error = tj_doc(snap, doc, err)) < 0) {
        if (error == GCP_ENOMEM)
            gcp_err__set(err, GCP_ENOMEM, "out of memory");
        gcp_tenant__free(snap);
        return error;
    }
    *out = snap;
    return 0;
}

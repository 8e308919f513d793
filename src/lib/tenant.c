/*
 * tenant.c: the snapshot's lookups, its indices and the seat count.
 *
 * Users are sorted by id, and indexed by lower-cased email and by external
 * id, so that matching a roster of thousands against an org of thousands
 * stays O(n log n). Licenses implied by a user's roles are added to the
 * user's licenses when the tenant did not list them, and every license a
 * user who is not deleted holds takes one seat.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tenant.h"

static void tenant_user_clear(struct gcp_tenant_user *u)
{
    free(u->id);
    free(u->name);
    free(u->email);
    free(u->email_lower);
    free(u->division_id);
    free(u->department);
    free(u->title);
    free(u->phone_work);
    free(u->extension);
    free(u->manager_id);
    json_decref(u->addresses);
    for (size_t i = 0; i < u->extid_count; i++) {
        free(u->extids[i].authority);
        free(u->extids[i].key);
    }
    free(u->extids);
    for (size_t i = 0; i < u->grant_count; i++) {
        free(u->grants[i].role_id);
        free(u->grants[i].division_id);
    }
    free(u->grants);
    for (size_t i = 0; i < u->license_count; i++)
        free(u->licenses[i].license_id);
    free(u->licenses);
}

static void tenant_role_clear(struct gcp_tenant_role *r)
{
    free(r->id);
    free(r->name);
    for (size_t i = 0; i < r->license_count; i++)
        free(r->licenses[i]);
    free(r->licenses);
}

void gcp_tenant__free(gcp_snapshot *snap)
{
    if (snap == NULL)
        return;
    free(snap->home_division_id);
    for (size_t i = 0; i < snap->division_count; i++) {
        free(snap->divisions[i].id);
        free(snap->divisions[i].name);
    }
    free(snap->divisions);
    for (size_t i = 0; i < snap->role_count; i++)
        tenant_role_clear(&snap->roles[i]);
    free(snap->roles);
    for (size_t i = 0; i < snap->license_count; i++)
        free(snap->licenses[i].id);
    free(snap->licenses);
    for (size_t i = 0; i < snap->user_count; i++)
        tenant_user_clear(&snap->users[i]);
    free(snap->users);
    free(snap->by_email);
    free(snap->by_extid);
    free(snap->role_names);
    free(snap->division_names);
    free(snap->license_ids);
    free(snap);
}

const struct gcp_tenant_division *
gcp_tenant__division_by_name(const gcp_snapshot *snap, const char *name)
{
    for (size_t i = 0; i < snap->division_count; i++)
        if (strcasecmp(snap->divisions[i].name, name) == 0)
            return &snap->divisions[i];
    return NULL;
}

const struct gcp_tenant_division *
gcp_tenant__division_by_id(const gcp_snapshot *snap, const char *id)
{
    for (size_t i = 0; i < snap->division_count; i++)
        if (strcmp(snap->divisions[i].id, id) == 0)
            return &snap->divisions[i];
    return NULL;
}

/* Role names are matched exactly first, then ignoring case. */
const struct gcp_tenant_role *gcp_tenant__role_by_name(const gcp_snapshot *snap,
                                                       const char *name)
{
    for (size_t i = 0; i < snap->role_count; i++)
        if (strcmp(snap->roles[i].name, name) == 0)
            return &snap->roles[i];
    for (size_t i = 0; i < snap->role_count; i++)
        if (strcasecmp(snap->roles[i].name, name) == 0)
            return &snap->roles[i];
    return NULL;
}

const struct gcp_tenant_role *gcp_tenant__role_by_id(const gcp_snapshot *snap,
                                                     const char *id)
{
    for (size_t i = 0; i < snap->role_count; i++)
        if (strcmp(snap->roles[i].id, id) == 0)
            return &snap->roles[i];
    return NULL;
}

struct gcp_tenant_license *gcp_tenant__license(const gcp_snapshot *snap,
                                               const char *id)
{
    for (size_t i = 0; i < snap->license_count; i++)
        if (strcmp(snap->licenses[i].id, id) == 0)
            return &snap->licenses[i];
    return NULL;
}

static int tenant_cmp_email(const void *a, const void *b)
{
    const struct gcp_tenant_user *const *x = a;
    const struct gcp_tenant_user *const *y = b;
    int c = strcmp((*x)->email_lower, (*y)->email_lower);

    if (c != 0)
        return c;
    return (int)((*x)->state == GCP_TENANT_DELETED) -
           (int)((*y)->state == GCP_TENANT_DELETED);
}

const struct gcp_tenant_user *
gcp_tenant__user_by_email(const gcp_snapshot *snap, const char *email)
{
    size_t lo = 0;
    size_t hi = snap->user_count;

    /* Lower bound, so that the first (non-deleted) holder is found. */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;

        if (strcasecmp(snap->by_email[mid]->email_lower, email) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < snap->user_count &&
        strcasecmp(snap->by_email[lo]->email_lower, email) == 0)
        return snap->by_email[lo];
    return NULL;
}

static int tenant_cmp_extref(const void *a, const void *b)
{
    const struct gcp_tenant_extref *x = a;
    const struct gcp_tenant_extref *y = b;
    int c = strcmp(x->authority, y->authority);

    return c != 0 ? c : strcmp(x->key, y->key);
}

const struct gcp_tenant_user *
gcp_tenant__user_by_extid(const gcp_snapshot *snap, const char *authority,
                          const char *key)
{
    struct gcp_tenant_extref probe = {authority, key, NULL};
    const struct gcp_tenant_extref *hit;

    if (snap->extref_count == 0)
        return NULL;
    hit = bsearch(&probe, snap->by_extid, snap->extref_count, sizeof(probe),
                  tenant_cmp_extref);
    return hit != NULL ? hit->user : NULL;
}

static int tenant_cmp_user_id(const void *a, const void *b)
{
    const struct gcp_tenant_user *x = a;
    const struct gcp_tenant_user *y = b;

    return strcmp(x->id, y->id);
}

const struct gcp_tenant_user *gcp_tenant__user_by_id(const gcp_snapshot *snap,
                                                     const char *id)
{
    struct gcp_tenant_user probe = {.id = (char *)id};

    if (snap->user_count == 0)
        return NULL;
    return bsearch(&probe, snap->users, snap->user_count, sizeof(probe),
                   tenant_cmp_user_id);
}

int gcp_tenant__user_has_grant(const struct gcp_tenant_user *user,
                               const char *role_id, const char *division_id)
{
    for (size_t i = 0; i < user->grant_count; i++)
        if (strcmp(user->grants[i].role_id, role_id) == 0 &&
            strcmp(user->grants[i].division_id, division_id) == 0)
            return 1;
    return 0;
}

int gcp_tenant__user_has_license(const struct gcp_tenant_user *user,
                                 const char *license_id)
{
    for (size_t i = 0; i < user->license_count; i++)
        if (strcmp(user->licenses[i].license_id, license_id) == 0)
            return 1;
    return 0;
}

int gcp_tenant__role_carries(const struct gcp_tenant_role *role,
                             const char *license_id)
{
    for (size_t i = 0; i < role->license_count; i++)
        if (strcmp(role->licenses[i], license_id) == 0)
            return 1;
    return 0;
}

const char *gcp_tenant__state_name(enum gcp_tenant_state state)
{
    switch (state) {
    case GCP_TENANT_ACTIVE:
        return "active";
    case GCP_TENANT_INACTIVE:
        return "inactive";
    case GCP_TENANT_DELETED:
        return "deleted";
    }
    return "active";
}

/* Marks held licenses that a role implies, adding those not listed. */
static int tenant_mark_implied(gcp_snapshot *snap, struct gcp_tenant_user *u)
{
    for (size_t g = 0; g < u->grant_count; g++) {
        const struct gcp_tenant_role *role =
            gcp_tenant__role_by_id(snap, u->grants[g].role_id);

        for (size_t l = 0; role != NULL && l < role->license_count; l++) {
            const char *lic = role->licenses[l];
            size_t i = 0;
            struct gcp_tenant_held *grown;

            while (i < u->license_count &&
                   strcmp(u->licenses[i].license_id, lic) != 0)
                i++;
            if (i < u->license_count) {
                u->licenses[i].implied = 1;
                continue;
            }
            grown = realloc(u->licenses, (i + 1) * sizeof(*grown));
            if (grown == NULL)
                return GCP_ENOMEM;
            u->licenses = grown;
            if ((grown[i].license_id = strdup(lic)) == NULL)
                return GCP_ENOMEM;
            grown[i].implied = 1;
            u->license_count++;
        }
    }
    return 0;
}

/* Counts a seat per license held by every user who is not deleted. */
static void tenant_count_seats(gcp_snapshot *snap, const int *stated)
{
    for (size_t u = 0; u < snap->user_count; u++) {
        const struct gcp_tenant_user *user = &snap->users[u];

        if (user->state == GCP_TENANT_DELETED)
            continue;
        for (size_t l = 0; l < user->license_count; l++) {
            struct gcp_tenant_license *lic =
                gcp_tenant__license(snap, user->licenses[l].license_id);

            if (lic != NULL && !stated[lic - snap->licenses])
                lic->in_use++;
        }
    }
}

static int tenant_index_extids(gcp_snapshot *snap)
{
    size_t n = 0;

    for (size_t u = 0; u < snap->user_count; u++)
        n += snap->users[u].extid_count;
    snap->by_extid = calloc(n + 1, sizeof(*snap->by_extid));
    if (snap->by_extid == NULL)
        return GCP_ENOMEM;
    for (size_t u = 0; u < snap->user_count; u++) {
        const struct gcp_tenant_user *user = &snap->users[u];

        for (size_t e = 0; e < user->extid_count; e++) {
            struct gcp_tenant_extref *ref = &snap->by_extid[snap->extref_count];

            ref->authority = user->extids[e].authority;
            ref->key = user->extids[e].key;
            ref->user = user;
            snap->extref_count++;
        }
    }
    qsort(snap->by_extid, snap->extref_count, sizeof(*snap->by_extid),
          tenant_cmp_extref);
    return 0;
}

/* Lists the names the planner suggests from when one is unknown. */
static int tenant_index_names(gcp_snapshot *snap)
{
    snap->role_names = calloc(snap->role_count + 1, sizeof(char *));
    snap->division_names = calloc(snap->division_count + 1, sizeof(char *));
    snap->license_ids = calloc(snap->license_count + 1, sizeof(char *));
    if (snap->role_names == NULL || snap->division_names == NULL ||
        snap->license_ids == NULL)
        return GCP_ENOMEM;
    for (size_t i = 0; i < snap->role_count; i++)
        snap->role_names[i] = snap->roles[i].name;
    for (size_t i = 0; i < snap->division_count; i++)
        snap->division_names[i] = snap->divisions[i].name;
    for (size_t i = 0; i < snap->license_count; i++)
        snap->license_ids[i] = snap->licenses[i].id;
    return 0;
}

/*
 * Sorts and indexes the users, marks implied licenses and counts seats.
 * `stated` flags (per license, borrowed) the seat counts the document gave
 * and that counting must not change. Returns 0 or GCP_ENOMEM.
 */
int gcp_tenant__index(gcp_snapshot *snap, const int *stated)
{
    int error;

    qsort(snap->users, snap->user_count, sizeof(*snap->users),
          tenant_cmp_user_id);
    for (size_t u = 0; u < snap->user_count; u++)
        if ((error = tenant_mark_implied(snap, &snap->users[u])) < 0)
            return error;
    snap->by_email = calloc(snap->user_count + 1, sizeof(*snap->by_email));
    if (snap->by_email == NULL)
        return GCP_ENOMEM;
    for (size_t u = 0; u < snap->user_count; u++)
        snap->by_email[u] = &snap->users[u];
    qsort(snap->by_email, snap->user_count, sizeof(*snap->by_email),
          tenant_cmp_email);
    tenant_count_seats(snap, stated);
    if ((error = tenant_index_names(snap)) < 0)
        return error;
    return tenant_index_extids(snap);
}

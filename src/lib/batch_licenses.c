/*
 * batch_licenses.c: license assignments, several licenses and many users
 * per call of POST /api/v2/license/organization. Each call holds at most
 * `chunk` (user, license) changes [U], grouped per license as the
 * LicenseAssignmentRequest model wants them; both of its lists are always
 * sent, since the model requires both. Removals (userIdsRemove) are made
 * only for leavers under release_licenses, in calls of their own that come
 * before any addition, so that freed seats can go to joiners.
 */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "users_body.h"

#define LICENSE_ROUTE "/api/v2/license/organization"

struct license_item {
    const char *license_id;
    size_t entry;
};

static int licenses_cmp(const void *a, const void *b)
{
    const struct license_item *x = a;
    const struct license_item *y = b;
    int c = strcmp(x->license_id, y->license_id);

    return c != 0 ? c : (x->entry > y->entry) - (x->entry < y->entry);
}

static const struct gcp_plan_strs *licenses_of(const struct gcp_plan_entry *e,
                                               enum gcp_batch_kind kind)
{
    return kind == GCP_BATCH_RELEASE ? &e->releases : &e->licenses;
}

/* Lists every change of `kind`, sorted by license, then key. */
static struct license_item *
licenses_collect(const gcp_plan *plan, enum gcp_batch_kind kind, size_t *out_n)
{
    struct license_item *items;
    size_t n = 0;

    for (size_t i = 0; i < plan->count; i++)
        if (gcp_plan__acts(&plan->entries[i]))
            n += licenses_of(&plan->entries[i], kind)->count;
    if ((items = calloc(n + 1, sizeof(*items))) == NULL)
        return NULL;
    n = 0;
    for (size_t i = 0; i < plan->count; i++) {
        const struct gcp_plan_strs *list = licenses_of(&plan->entries[i], kind);

        for (size_t l = 0; gcp_plan__acts(&plan->entries[i]) && l < list->count;
             l++) {
            items[n].license_id = list->items[l];
            items[n++].entry = i;
        }
    }
    qsort(items, n, sizeof(*items), licenses_cmp);
    *out_n = n;
    return items;
}

/* Builds the body for items[from .. to), one assignment per license. */
static json_t *licenses_body(const gcp_plan *plan,
                             const struct license_item *items, size_t from,
                             size_t to, enum gcp_batch_kind kind)
{
    json_t *list = json_array();
    json_t *ids = NULL;
    int fails = list == NULL;

    for (size_t i = from; !fails && i < to; i++) {
        if (i == from ||
            strcmp(items[i].license_id, items[i - 1].license_id) != 0) {
            json_t *a = gcp_users__license_assignment(
                &ids, items[i].license_id, kind == GCP_BATCH_RELEASE);

            fails |= a == NULL || json_array_append_new(list, a) < 0;
        }
        if (!fails) {
            json_t *ref = gcp_batch__user_ref(&plan->entries[items[i].entry]);

            fails = json_array_append_new(ids, ref) < 0;
        }
    }
    if (fails) {
        json_decref(list);
        return NULL;
    }
    return json_pack("{s:o}", "assignments", list);
}

static int licenses_chunk(struct gcp_batch *batch, const gcp_plan *plan,
                          const struct license_item *items, size_t from,
                          size_t to, enum gcp_batch_kind kind)
{
    json_t *body = licenses_body(plan, items, from, to, kind);
    int error;

    if (body == NULL)
        return GCP_ENOMEM;
    error = gcp_batch__add(batch, kind, "POST", LICENSE_ROUTE, LICENSE_ROUTE,
                           body, 1);
    for (size_t i = from; i < to && error == 0; i++)
        error =
            gcp_batch__change(batch, items[i].entry, items[i].license_id, NULL);
    return error;
}

int gcp_batch__licenses(struct gcp_batch *batch, const gcp_plan *plan,
                        enum gcp_batch_kind kind, size_t chunk)
{
    size_t n = 0;
    struct license_item *items = licenses_collect(plan, kind, &n);
    int error = 0;

    if (items == NULL)
        return GCP_ENOMEM;
    for (size_t from = 0; from < n && error == 0; from += chunk)
        error = licenses_chunk(batch, plan, items, from,
                               from + chunk < n ? from + chunk : n, kind);
    free(items);
    return error;
}

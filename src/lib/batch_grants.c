/*
 * batch_grants.c: role grants, batched one call per (role, division) for
 * many users, through additive endpoints only.
 *
 * In the home division: PUT /api/v2/authorization/roles/{roleId}/users/add
 * with a list of user ids; which division that endpoint grants in is [U]
 * and gcprov assumes the home division. In any other division: POST
 * /api/v2/authorization/roles/{roleId}?subjectType=PC_USER with
 * {subjectIds, divisionIds}. Lists are cut at `chunk` users [U].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "users_body.h"

/* One grant to make: which, and for which person of the plan. */
struct grant_item {
    const struct gcp_plan_grant *grant;
    size_t entry;
};

static int grants_cmp(const void *a, const void *b)
{
    const struct grant_item *x = a;
    const struct grant_item *y = b;
    int c = strcmp(x->grant->role->name, y->grant->role->name);

    if (c == 0)
        c = strcmp(x->grant->division->name, y->grant->division->name);
    if (c == 0)
        c = (x->entry > y->entry) - (x->entry < y->entry);
    return c;
}

static int grants_same(const struct grant_item *a, const struct grant_item *b)
{
    return a->grant->role == b->grant->role &&
           a->grant->division == b->grant->division;
}

/* Lists every grant to make, sorted by role, division and key. */
static struct grant_item *grants_collect(const gcp_plan *plan, size_t *out_n)
{
    struct grant_item *items;
    size_t n = 0;

    for (size_t i = 0; i < plan->count; i++)
        if (gcp_plan__acts(&plan->entries[i]))
            n += plan->entries[i].grant_count;
    if ((items = calloc(n + 1, sizeof(*items))) == NULL)
        return NULL;
    n = 0;
    for (size_t i = 0; i < plan->count; i++) {
        const struct gcp_plan_entry *e = &plan->entries[i];

        for (size_t g = 0; gcp_plan__acts(e) && g < e->grant_count; g++) {
            items[n].grant = &e->grants[g];
            items[n++].entry = i;
        }
    }
    qsort(items, n, sizeof(*items), grants_cmp);
    *out_n = n;
    return items;
}

/* Adds the request for one chunk, whose user ids are in `ids` (stolen). */
static int grants_request(struct gcp_batch *batch, const gcp_plan *plan,
                          const struct gcp_plan_grant *g, json_t *ids)
{
    int home = strcmp(g->division->id, plan->snap->home_division_id) == 0;
    const char *method;
    const char *route;
    char path[512];
    json_t *body =
        gcp_users__grant_body(&method, &route, path, sizeof(path), g->role->id,
                              home ? NULL : g->division->id, ids);

    if (body == NULL)
        return GCP_ENOMEM;
    return gcp_batch__add(batch, GCP_BATCH_GRANT, method, route, path, body, 1);
}

/* Emits the chunk items[from .. to) as one request. */
static int grants_chunk(struct gcp_batch *batch, const gcp_plan *plan,
                        const struct grant_item *items, size_t from, size_t to)
{
    json_t *ids = json_array();
    int error;

    for (size_t i = from; ids != NULL && i < to; i++)
        if (json_array_append_new(
                ids, gcp_batch__user_ref(&plan->entries[items[i].entry])) < 0) {
            json_decref(ids);
            ids = NULL;
        }
    if (ids == NULL)
        return GCP_ENOMEM;
    if ((error = grants_request(batch, plan, items[from].grant, ids)) < 0)
        return error;
    for (size_t i = from; i < to && error == 0; i++)
        error =
            gcp_batch__change(batch, items[i].entry, items[i].grant->role->id,
                              items[i].grant->division->id);
    return error;
}

int gcp_batch__grants(struct gcp_batch *batch, const gcp_plan *plan,
                      size_t chunk)
{
    size_t n = 0;
    struct grant_item *items = grants_collect(plan, &n);
    size_t from = 0;
    int error = 0;

    if (items == NULL)
        return GCP_ENOMEM;
    while (from < n && error == 0) {
        size_t to = from + 1;

        while (to < n && to - from < chunk &&
               grants_same(&items[from], &items[to]))
            to++;
        error = grants_chunk(batch, plan, items, from, to);
        from = to;
    }
    free(items);
    return error;
}

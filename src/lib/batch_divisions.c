/*
 * batch_divisions.c: existing users moved to the roster's division, one
 * call per division for many users: POST
 * /api/v2/authorization/divisions/{divisionId}/objects/USER with a list
 * of user ids. The reply has no body. Lists are cut at `chunk` users [U]:
 * the API publishes no limit.
 *
 * Moves come after patches (a move gives the user a new version, which a
 * later PATCH would need) and before grants, so that a person's home is
 * right before anything is granted; grants name their division anyway.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch.h"

#define MOVE_ROUTE                                                             \
    "/api/v2/authorization/divisions/{divisionId}/objects/{objectType}"

/* One person to move, and where. */
struct move_item {
    const struct gcp_tenant_division *division;
    size_t entry;
};

static int moves_cmp(const void *a, const void *b)
{
    const struct move_item *x = a;
    const struct move_item *y = b;
    int c = strcmp(x->division->name, y->division->name);

    return c != 0 ? c : (x->entry > y->entry) - (x->entry < y->entry);
}

/* Lists the people to move, sorted by division name, then key. */
static struct move_item *moves_collect(const gcp_plan *plan, size_t *out_n)
{
    struct move_item *items = calloc(plan->count + 1, sizeof(*items));
    size_t n = 0;

    if (items == NULL)
        return NULL;
    for (size_t i = 0; i < plan->count; i++) {
        const struct gcp_plan_entry *e = &plan->entries[i];

        if (e->move != NULL && gcp_plan__acts(e)) {
            items[n].division = e->move;
            items[n++].entry = i;
        }
    }
    qsort(items, n, sizeof(*items), moves_cmp);
    *out_n = n;
    return items;
}

/* Emits the chunk items[from .. to), all bound for one division. */
static int moves_chunk(struct gcp_batch *batch, const gcp_plan *plan,
                       const struct move_item *items, size_t from, size_t to)
{
    const struct gcp_tenant_division *d = items[from].division;
    json_t *ids = json_array();
    char path[512];
    int error = 0;

    for (size_t i = from; ids != NULL && i < to; i++)
        if (json_array_append_new(
                ids, json_string(plan->entries[items[i].entry].user->id)) < 0) {
            json_decref(ids);
            ids = NULL;
        }
    if (ids == NULL)
        return GCP_ENOMEM;
    snprintf(path, sizeof(path),
             "/api/v2/authorization/divisions/%s/objects/USER", d->id);
    if ((error = gcp_batch__add(batch, GCP_BATCH_MOVE, "POST", MOVE_ROUTE, path,
                                ids, 1)) < 0)
        return error;
    for (size_t i = from; i < to && error == 0; i++)
        error = gcp_batch__change(batch, items[i].entry, d->id, NULL);
    return error;
}

int gcp_batch__moves(struct gcp_batch *batch, const gcp_plan *plan,
                     size_t chunk)
{
    size_t n = 0;
    struct move_item *items = moves_collect(plan, &n);
    size_t from = 0;
    int error = 0;

    if (items == NULL)
        return GCP_ENOMEM;
    while (from < n && error == 0) {
        size_t to = from + 1;

        while (to < n && to - from < chunk &&
               items[to].division == items[from].division)
            to++;
        error = moves_chunk(batch, plan, items, from, to);
        from = to;
    }
    free(items);
    return error;
}

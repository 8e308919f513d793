/*
 * batch.c: the request list and the order of its phases. The phases
 * themselves are in batch_users.c, batch_divisions.c, batch_grants.c and
 * batch_licenses.c.
 */
#include <stdlib.h>
#include <string.h>

#include "batch.h"

int gcp_batch__add(struct gcp_batch *batch, enum gcp_batch_kind kind,
                   const char *method, const char *route, const char *path,
                   json_t *body, int idempotent)
{
    struct gcp_batch_request *r;

    if (batch->count == batch->capacity) {
        size_t cap = batch->capacity > 0 ? batch->capacity * 2 : 64;
        struct gcp_batch_request *grown =
            realloc(batch->requests, cap * sizeof(*grown));

        if (grown == NULL) {
            json_decref(body);
            return GCP_ENOMEM;
        }
        batch->requests = grown;
        batch->capacity = cap;
    }
    r = &batch->requests[batch->count];
    memset(r, 0, sizeof(*r));
    r->kind = kind;
    r->method = method;
    r->route = route;
    r->body = body;
    r->idempotent = idempotent;
    batch->count++;
    if ((r->path = strdup(path)) == NULL)
        return GCP_ENOMEM;
    return 0;
}

/* Records that the last request serves person `index`, once. */
static int batch_serves(struct gcp_batch *batch, size_t index)
{
    struct gcp_batch_request *r = &batch->requests[batch->count - 1];
    size_t *grown;

    for (size_t i = 0; i < r->serve_count; i++)
        if (r->serves[i] == index)
            return 0;
    grown = realloc(r->serves, (r->serve_count + 1) * sizeof(*grown));
    if (grown == NULL)
        return GCP_ENOMEM;
    r->serves = grown;
    grown[r->serve_count++] = index;
    return 0;
}

static char *batch_dup(const char *s, int *failed)
{
    char *copy = s != NULL ? strdup(s) : NULL;

    *failed |= s != NULL && copy == NULL;
    return copy;
}

int gcp_batch__change(struct gcp_batch *batch, size_t entry, const char *target,
                      const char *scope)
{
    struct gcp_batch_request *r = &batch->requests[batch->count - 1];
    struct gcp_batch_change *grown;
    int failed = 0;

    grown = realloc(r->changes, (r->change_count + 1) * sizeof(*grown));
    if (grown == NULL)
        return GCP_ENOMEM;
    r->changes = grown;
    grown[r->change_count].entry = entry;
    grown[r->change_count].target = batch_dup(target, &failed);
    grown[r->change_count].scope = batch_dup(scope, &failed);
    r->change_count++;
    return failed ? GCP_ENOMEM : batch_serves(batch, entry);
}

/* Joiners have no id yet: "{user:KEY}" stands for it until apply. */
json_t *gcp_batch__user_ref(const struct gcp_plan_entry *e)
{
    if (e->user != NULL)
        return json_string(e->user->id);
    return json_sprintf("{user:%s}", e->person->key);
}

static int batch_phases(struct gcp_batch *batch, const gcp_plan *plan,
                        const struct gcp_batch_options *opts)
{
    int error = 0;

    for (int kind = 0; kind < GCP_BATCH_KIND_COUNT && error == 0; kind++) {
        if (kind == GCP_BATCH_MOVE)
            error = gcp_batch__moves(batch, plan, opts->division_users);
        else if (kind == GCP_BATCH_GRANT)
            error = gcp_batch__grants(batch, plan, opts->grant_users);
        else if (kind == GCP_BATCH_RELEASE || kind == GCP_BATCH_LICENSE)
            error =
                gcp_batch__licenses(batch, plan, kind, opts->license_changes);
        else
            error = gcp_batch__users(batch, plan, kind);
    }
    return error;
}

int gcp_batch__build(struct gcp_batch **out, const gcp_plan *plan,
                     const struct gcp_batch_options *opts)
{
    struct gcp_batch_options use = GCP_BATCH_OPTIONS_INIT;
    struct gcp_batch *batch;
    int error;

    *out = NULL;
    if (plan == NULL ||
        (opts != NULL && opts->version != GCP_BATCH_OPTIONS_VERSION))
        return GCP_EINVALID;
    if (opts != NULL && opts->grant_users > 0)
        use.grant_users = opts->grant_users;
    if (opts != NULL && opts->license_changes > 0)
        use.license_changes = opts->license_changes;
    if (opts != NULL && opts->division_users > 0)
        use.division_users = opts->division_users;
    if ((batch = calloc(1, sizeof(*batch))) == NULL)
        return GCP_ENOMEM;
    if ((error = batch_phases(batch, plan, &use)) < 0) {
        gcp_batch__free(batch);
        return error;
    }
    *out = batch;
    return 0;
}

void gcp_batch__free(struct gcp_batch *batch)
{
    if (batch == NULL)
        return;
    for (size_t i = 0; i < batch->count; i++) {
        struct gcp_batch_request *r = &batch->requests[i];

        free(r->path);
        json_decref(r->body);
        free(r->serves);
        for (size_t c = 0; c < r->change_count; c++) {
            free(r->changes[c].target);
            free(r->changes[c].scope);
        }
        free(r->changes);
    }
    free(batch->requests);
    free(batch);
}

size_t gcp_batch__count(const struct gcp_batch *batch, enum gcp_batch_kind kind)
{
    size_t n = 0;

    for (size_t i = 0; i < batch->count; i++)
        n += batch->requests[i].kind == kind;
    return n;
}

size_t gcp_batch__writes(const struct gcp_batch *batch)
{
    return batch != NULL ? batch->count : 0;
}

const char *gcp_batch__kind_name(enum gcp_batch_kind kind)
{
    static const char *const names[] = {
        "deactivate", "release", "restore", "create",  "externalId",
        "patch",      "move",    "grant",   "license",
    };

    if ((unsigned)kind >= sizeof(names) / sizeof(names[0]))
        return "unknown";
    return names[kind];
}

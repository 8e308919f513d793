/*
 * plan_seats.c: who gets a seat when a license's budget is short.
 *
 * No API reports purchased seats, so the operator states a budget per
 * license. Seats in use come from the snapshot (licenses implied by roles
 * included). Leavers released under release_licenses give their seats
 * back first; then the people pending from an earlier run take seats, in
 * the order of the queue; then everyone else, in key order. A person
 * whose new licenses (explicit, or carried by a role to grant) would pass
 * any budget is held back, with the first such license, its budget and
 * the seats in use at that point. Only what takes a seat waits: every
 * license to assign and every grant of a role that carries a license the
 * user lacks. The create, restore, adoption, field changes, division move
 * and grants of roles that carry no new license go ahead, so the
 * person's account is ready when the seat is free; all of their seats
 * wait together, so a person never holds part of them while waiting for
 * the rest.
 */
#include <stdlib.h>
#include <string.h>

#include "plan_model.h"

/* Working seat counts, one per snapshot license, and their budgets. */
struct seats {
    const gcp_snapshot *snap;
    unsigned long *in_use;
    const gcp_plan_options *opts;
};

/* Returns the budget for the license, or 0 with *has 0 when none. */
static unsigned long seats_budget(const struct seats *s, const char *id,
                                  int *has)
{
    for (size_t i = 0; i < s->opts->budget_count; i++)
        if (strcmp(s->opts->budgets[i].license_id, id) == 0) {
            *has = 1;
            return s->opts->budgets[i].seats;
        }
    *has = 0;
    return 0;
}

static unsigned long *seats_slot(const struct seats *s, const char *id)
{
    struct gcp_tenant_license *lic = gcp_tenant__license(s->snap, id);

    return lic != NULL ? &s->in_use[lic - s->snap->licenses] : NULL;
}

static void seats_release(struct seats *s, const struct gcp_plan_entry *e)
{
    for (size_t i = 0; i < e->releases.count; i++) {
        unsigned long *slot = seats_slot(s, e->releases.items[i]);

        if (slot != NULL && *slot > 0)
            (*slot)--;
    }
}

/*
 * Returns non-zero when the grant's role carries a license the entry's
 * seats list, that is one the user lacks.
 */
static int seats_grant_takes(const struct gcp_plan_entry *e,
                             const struct gcp_plan_grant *g)
{
    for (size_t i = 0; i < g->role->license_count; i++)
        if (gcp_plan__strs_has(&e->seats, g->role->licenses[i]))
            return 1;
    return 0;
}

/* Moves the entry's seat-taking grants and its licenses to wait. */
static int seats_hold(struct gcp_plan_entry *e)
{
    size_t kept = 0;

    e->held_grants = calloc(e->grant_count + 1, sizeof(*e->held_grants));
    if (e->held_grants == NULL)
        return GCP_ENOMEM;
    for (size_t i = 0; i < e->grant_count; i++) {
        if (seats_grant_takes(e, &e->grants[i]))
            e->held_grants[e->held_grant_count++] = e->grants[i];
        else
            e->grants[kept++] = e->grants[i];
    }
    e->grant_count = kept;
    e->held_licenses = e->licenses;
    e->licenses.items = NULL;
    e->licenses.count = 0;
    return 0;
}

/* Gives the entry its seats, or holds it back at the first short one. */
static int seats_take(struct seats *s, struct gcp_plan_entry *e)
{
    for (size_t i = 0; i < e->seats.count; i++) {
        const char *id = e->seats.items[i];
        unsigned long *slot = seats_slot(s, id);
        int has;
        unsigned long budget = seats_budget(s, id, &has);

        if (has && slot != NULL && *slot + 1 > budget) {
            e->held_license = id;
            e->held_budget = budget;
            e->held_in_use = *slot;
            if (seats_hold(e) < 0)
                return GCP_ENOMEM;
            return gcp_plan__problem(e,
                                     "license '%s' has %lu of %lu seats "
                                     "in use",
                                     id, *slot, budget);
        }
    }
    for (size_t i = 0; i < e->seats.count; i++) {
        unsigned long *slot = seats_slot(s, e->seats.items[i]);

        if (slot != NULL)
            (*slot)++;
    }
    return 0;
}

static struct gcp_plan_entry *seats_find(gcp_plan *plan, const char *key)
{
    for (size_t lo = 0, hi = plan->count; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(plan->entries[mid].person->key, key);

        if (c == 0)
            return &plan->entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Takes seats for the entry once; `done` marks who was served. */
static int seats_serve(struct seats *s, gcp_plan *plan, size_t at, char *done)
{
    struct gcp_plan_entry *e = &plan->entries[at];

    if (done[at])
        return 0;
    done[at] = 1;
    if (gcp_plan__acts(e) && e->seats.count > 0)
        return seats_take(s, e);
    return 0;
}

static int seats_allocate(struct seats *s, gcp_plan *plan, char *done)
{
    int error = 0;

    for (size_t i = 0; i < plan->count; i++)
        if (gcp_plan__acts(&plan->entries[i]))
            seats_release(s, &plan->entries[i]);
    for (size_t i = 0; i < s->opts->pending_count && error == 0; i++) {
        struct gcp_plan_entry *e = seats_find(plan, s->opts->pending_first[i]);

        if (e != NULL)
            error = seats_serve(s, plan, (size_t)(e - plan->entries), done);
    }
    for (size_t i = 0; i < plan->count && error == 0; i++)
        error = seats_serve(s, plan, i, done);
    return error;
}

int gcp_plan__seats(gcp_plan *plan, const gcp_plan_options *opts)
{
    struct seats s = {plan->snap, NULL, opts};
    char *done = calloc(plan->count + 1, 1);
    int error;

    s.in_use = calloc(plan->snap->license_count + 1, sizeof(*s.in_use));
    if (done == NULL || s.in_use == NULL) {
        free(done);
        free(s.in_use);
        return GCP_ENOMEM;
    }
    for (size_t i = 0; i < plan->snap->license_count; i++)
        s.in_use[i] = plan->snap->licenses[i].in_use;
    error = seats_allocate(&s, plan, done);
    for (size_t i = 0; i < plan->count; i++)
        if (plan->entries[i].held_license != NULL)
            plan->refused = opts->strict_seats;
    free(done);
    free(s.in_use);
    return error;
}

/*
 * plan.c: builds a plan in named steps (order, match, diff, seats, settle)
 * and answers questions about it. The steps live in plan_match.c,
 * plan_diff.c and plan_seats.c; this file holds what they share.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_model.h"

#define PLAN_DEFAULT_AUTHORITY "gcprov"

int gcp_plan__strs_has(const struct gcp_plan_strs *list, const char *s)
{
    for (size_t i = 0; i < list->count; i++)
        if (strcmp(list->items[i], s) == 0)
            return 1;
    return 0;
}

int gcp_plan__strs_add(struct gcp_plan_strs *list, const char *s)
{
    const char **grown;
    size_t at = 0;

    if (gcp_plan__strs_has(list, s))
        return 0;
    grown = realloc(list->items, (list->count + 1) * sizeof(*grown));
    if (grown == NULL)
        return GCP_ENOMEM;
    list->items = grown;
    while (at < list->count && strcmp(grown[at], s) < 0)
        at++;
    memmove(&grown[at + 1], &grown[at], (list->count - at) * sizeof(*grown));
    grown[at] = s;
    list->count++;
    return 0;
}

int gcp_plan__problem(struct gcp_plan_entry *e, const char *fmt, ...)
{
    char text[512];
    size_t old = e->problem != NULL ? strlen(e->problem) : 0;
    char *grown;
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    grown = realloc(e->problem, old + strlen(text) + 3);
    if (grown == NULL)
        return GCP_ENOMEM;
    if (old > 0)
        strcpy(grown + old, "; ");
    strcpy(grown + old + (old > 0 ? 2 : 0), text);
    e->problem = grown;
    return 0;
}

const char *gcp_plan__field_name(size_t i)
{
    static const char *const names[GCP_PLAN_FIELD_COUNT] = {
        "name", "email", "department", "title", "phone", "manager",
    };

    return i < GCP_PLAN_FIELD_COUNT ? names[i] : "unknown";
}

char *gcp_plan__field_list(char *buf, size_t size, unsigned fields)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < GCP_PLAN_FIELD_COUNT && used < size; i++)
        if (fields & (1u << i))
            used +=
                (size_t)snprintf(buf + used, size - used, "%s%s",
                                 used > 0 ? "," : "", gcp_plan__field_name(i));
    return buf;
}

int gcp_plan__acts(const struct gcp_plan_entry *e)
{
    return e->problem == NULL || e->held_license != NULL;
}

static int plan_grants_have(const struct gcp_plan_grant *grants, size_t count,
                            const char *role_id, const char *division_id)
{
    for (size_t i = 0; i < count; i++)
        if (strcmp(grants[i].role->id, role_id) == 0 &&
            strcmp(grants[i].division->id, division_id) == 0)
            return 1;
    return 0;
}

int gcp_plan__wants_grant(const struct gcp_plan_entry *e, const char *role_id,
                          const char *division_id)
{
    if (role_id == NULL || division_id == NULL)
        return 0;
    return plan_grants_have(e->grants, e->grant_count, role_id, division_id) ||
           plan_grants_have(e->held_grants, e->held_grant_count, role_id,
                            division_id);
}

int gcp_plan__wants_license(const struct gcp_plan_entry *e,
                            const char *license_id)
{
    return license_id != NULL &&
           (gcp_plan__strs_has(&e->licenses, license_id) ||
            gcp_plan__strs_has(&e->held_licenses, license_id));
}

static int plan_cmp_entry(const void *a, const void *b)
{
    const struct gcp_plan_entry *x = a;
    const struct gcp_plan_entry *y = b;

    return strcmp(x->person->key, y->person->key);
}

/* Copies the people into entries sorted by key; a repeated key fails. */
static int plan_order(gcp_plan *plan, const gcp_person *const *people,
                      size_t count)
{
    plan->entries = calloc(count > 0 ? count : 1, sizeof(*plan->entries));
    if (plan->entries == NULL)
        return GCP_ENOMEM;
    for (size_t i = 0; i < count; i++) {
        if (people[i] == NULL || people[i]->key == NULL ||
            people[i]->email == NULL)
            return GCP_EINVALID;
        plan->entries[i].person = people[i];
    }
    plan->count = count;
    qsort(plan->entries, count, sizeof(*plan->entries), plan_cmp_entry);
    for (size_t i = 1; i < count; i++)
        if (plan_cmp_entry(&plan->entries[i - 1], &plan->entries[i]) == 0)
            return GCP_EINVALID;
    return 0;
}

/*
 * Picks each person's outcome from the steps, first that applies. A
 * person held back for seats keeps the outcome of what is still done
 * for them; `held` is the outcome of one with nothing else to do.
 */
static gcp_plan_outcome plan_outcome(const struct gcp_plan_entry *e)
{
    if (e->outcome == GCP_PLAN_INVALID || e->outcome == GCP_PLAN_CONFLICT)
        return e->outcome;
    if (e->create)
        return GCP_PLAN_CREATE;
    if (e->restore)
        return GCP_PLAN_RESTORE;
    if (e->adopt)
        return GCP_PLAN_ADOPT;
    if (e->deactivate)
        return GCP_PLAN_DEACTIVATE;
    if (e->fields != 0 || e->move != NULL || e->grant_count > 0 ||
        e->licenses.count > 0 || e->releases.count > 0)
        return GCP_PLAN_UPDATE;
    if (e->held_license != NULL)
        return GCP_PLAN_HELD;
    return GCP_PLAN_UNCHANGED;
}

static void plan_count(gcp_plan_counts *c, const struct gcp_plan_entry *e)
{
    size_t *by_outcome[] = {
        [GCP_PLAN_INVALID] = &c->invalid,
        [GCP_PLAN_CONFLICT] = &c->conflict,
        [GCP_PLAN_HELD] = &c->held,
        [GCP_PLAN_CREATE] = &c->create,
        [GCP_PLAN_RESTORE] = &c->restore,
        [GCP_PLAN_ADOPT] = &c->adopt,
        [GCP_PLAN_DEACTIVATE] = &c->deactivate,
        [GCP_PLAN_UPDATE] = &c->update,
        [GCP_PLAN_UNCHANGED] = &c->unchanged,
    };

    c->people++;
    (*by_outcome[e->outcome])++;
    if (!gcp_plan__acts(e))
        return;
    /* Everyone held back counts, whatever else is done for them. */
    if (e->held_license != NULL && e->outcome != GCP_PLAN_HELD)
        c->held++;
    /* A joiner or restored person may need adopting or patching too. */
    if (e->adopt && e->outcome != GCP_PLAN_ADOPT)
        c->adopt++;
    if (e->fields != 0 && e->outcome == GCP_PLAN_RESTORE)
        c->update++;
    c->moves += e->move != NULL;
    c->grants += e->grant_count;
    c->licenses += e->licenses.count;
    c->releases += e->releases.count;
}

/* Drops a manager link to a joiner who will not be created this run. */
static void plan_settle(gcp_plan *plan)
{
    for (size_t i = 0; i < plan->count; i++) {
        struct gcp_plan_entry *e = &plan->entries[i];

        if (e->manager != NULL &&
            !(gcp_plan__acts(e->manager) && e->manager->create)) {
            e->manager = NULL;
            e->fields &= ~(unsigned)GCP_PLAN_F_MANAGER;
        }
    }
    for (size_t i = 0; i < plan->count; i++) {
        plan->entries[i].outcome = plan_outcome(&plan->entries[i]);
        plan_count(&plan->counts, &plan->entries[i]);
    }
}

static int plan_steps(gcp_plan *plan, const gcp_person *const *people,
                      size_t count, const gcp_plan_options *opts)
{
    int error;

    if ((error = plan_order(plan, people, count)) < 0 ||
        (error = gcp_plan__match(plan)) < 0 ||
        (error = gcp_plan__diff(plan)) < 0 ||
        (error = gcp_plan__seats(plan, opts)) < 0)
        return error;
    plan_settle(plan);
    return 0;
}

int gcp_plan_build(gcp_plan **out, const gcp_person *const *people,
                   size_t count, const gcp_snapshot *snapshot,
                   const gcp_plan_options *opts)
{
    static const gcp_plan_options defaults = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *plan = NULL;
    int error;

    if (out == NULL)
        return GCP_EINVALID;
    *out = NULL;
    if (opts == NULL)
        opts = &defaults;
    if (snapshot == NULL || (people == NULL && count > 0) ||
        opts->version != GCP_PLAN_OPTIONS_VERSION)
        return GCP_EINVALID;
    if ((plan = calloc(1, sizeof(*plan))) == NULL)
        return GCP_ENOMEM;
    plan->snap = snapshot;
    plan->authority = opts->key_authority != NULL ? opts->key_authority
                                                  : PLAN_DEFAULT_AUTHORITY;
    plan->release_licenses = opts->release_licenses;
    if ((error = plan_steps(plan, people, count, opts)) < 0) {
        gcp_plan_free(plan);
        return error;
    }
    *out = plan;
    return 0;
}

int gcp_plan_build_roster(gcp_plan **out, const gcp_roster *roster,
                          const gcp_snapshot *snapshot,
                          const gcp_plan_options *opts)
{
    size_t count = gcp_roster_count(roster);
    const gcp_person **people;
    int error;

    if (out != NULL)
        *out = NULL;
    if (roster == NULL)
        return GCP_EINVALID;
    /* The plan keeps the people, not this array of pointers to them. */
    if ((people = calloc(count + 1, sizeof(*people))) == NULL)
        return GCP_ENOMEM;
    for (size_t i = 0; i < count; i++)
        people[i] = gcp_roster_person(roster, i);
    error = gcp_plan_build(out, people, count, snapshot, opts);
    free(people);
    return error;
}

void gcp_plan_counts_get(gcp_plan_counts *out, const gcp_plan *plan)
{
    static const gcp_plan_counts none;

    *out = plan != NULL ? plan->counts : none;
}

int gcp_plan_refused(const gcp_plan *plan)
{
    return plan != NULL && plan->refused;
}

size_t gcp_plan_person_count(const gcp_plan *plan)
{
    return plan != NULL ? plan->count : 0;
}

int gcp_plan_person_get(gcp_plan_person *out, const gcp_plan *plan,
                        size_t index)
{
    const struct gcp_plan_entry *e;

    if (plan == NULL || index >= plan->count)
        return GCP_ENOTFOUND;
    e = &plan->entries[index];
    memset(out, 0, sizeof(*out));
    out->key = e->person->key;
    out->user_id = e->user != NULL ? e->user->id : NULL;
    out->outcome = e->outcome;
    out->problem = e->problem;
    out->field_count = (size_t)__builtin_popcount(e->fields);
    out->grant_count = e->grant_count;
    out->license_count = e->licenses.count;
    out->release_count = e->releases.count;
    out->held_license = e->held_license;
    out->held_budget = e->held_budget;
    out->held_in_use = e->held_in_use;
    out->move_division_id = e->move != NULL ? e->move->id : NULL;
    return 0;
}

const char *gcp_plan_outcome_name(gcp_plan_outcome outcome)
{
    static const char *const names[] = {
        [GCP_PLAN_INVALID] = "invalid",
        [GCP_PLAN_CONFLICT] = "conflict",
        [GCP_PLAN_HELD] = "held",
        [GCP_PLAN_CREATE] = "create",
        [GCP_PLAN_RESTORE] = "restore",
        [GCP_PLAN_ADOPT] = "adopt",
        [GCP_PLAN_DEACTIVATE] = "deactivate",
        [GCP_PLAN_UPDATE] = "update",
        [GCP_PLAN_UNCHANGED] = "unchanged",
    };

    if ((unsigned)outcome >= sizeof(names) / sizeof(names[0]))
        return "unknown";
    return names[outcome];
}

void gcp_plan_free(gcp_plan *plan)
{
    if (plan == NULL)
        return;
    for (size_t i = 0; i < plan->count; i++) {
        struct gcp_plan_entry *e = &plan->entries[i];

        free(e->grants);
        free(e->licenses.items);
        free(e->releases.items);
        free(e->seats.items);
        free(e->problem);
        free(e->held_grants);
        free(e->held_licenses.items);
    }
    free(plan->entries);
    free(plan);
}

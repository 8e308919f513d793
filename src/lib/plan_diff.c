/*
 * plan_diff.c: what changes for each person the tenant knows or will
 * know: the fields of their user, their division, their manager, the
 * grants and licenses they lack, the licenses a leaver gives back, and
 * the seats this takes.
 *
 * Only additions: a grant or license the roster does not mention stays.
 * A field the roster leaves empty is left as it is in the tenant. Names
 * the tenant does not know (role, division, license, manager) make the
 * person invalid: nothing is done for them, and each unknown name is
 * reported.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan_model.h"

/*
 * Reports an unknown name of `what` ("role", ...), with the closest of
 * `names` when one is a likely misspelling.
 */
static int diff_unknown(struct gcp_plan_entry *e, const char *what,
                        const char *name, const char *const *names,
                        size_t count)
{
    const char *near = gcp_roster_suggest(name, names, count);

    if (near != NULL)
        return gcp_plan__problem(e, "unknown %s '%s' (did you mean '%s'?)",
                                 what, name, near);
    return gcp_plan__problem(e, "unknown %s '%s'", what, name);
}

/* Returns non-zero when the roster sets `want` and it differs from `have`. */
static int diff_str(const char *want, const char *have)
{
    return want != NULL && (have == NULL || strcmp(want, have) != 0);
}

static unsigned diff_fields(const gcp_person *p,
                            const struct gcp_tenant_user *u)
{
    unsigned f = 0;

    if (diff_str(p->name, u->name))
        f |= GCP_PLAN_F_NAME;
    if (strcasecmp(p->email, u->email) != 0)
        f |= GCP_PLAN_F_EMAIL;
    if (diff_str(p->department, u->department))
        f |= GCP_PLAN_F_DEPARTMENT;
    if (diff_str(p->title, u->title))
        f |= GCP_PLAN_F_TITLE;
    if (diff_str(p->phone_work, u->phone_work) ||
        diff_str(p->extension, u->extension))
        f |= GCP_PLAN_F_PHONE;
    return f;
}

static int diff_cmp_email(const void *a, const void *b)
{
    const struct gcp_plan_entry *const *x = a;
    const struct gcp_plan_entry *const *y = b;

    return strcasecmp((*x)->person->email, (*y)->person->email);
}

/* Returns the roster entry with `email`, from the sorted `index`. */
static const struct gcp_plan_entry *
diff_roster_email(const struct gcp_plan_entry **index, size_t count,
                  const char *email)
{
    struct gcp_plan_person_probe {
        gcp_person person;
        struct gcp_plan_entry entry;
    } probe = {.person = {.email = email}};
    const struct gcp_plan_entry *key = &probe.entry;
    const struct gcp_plan_entry **hit;

    probe.entry.person = &probe.person;
    hit = bsearch(&key, index, count, sizeof(*index), diff_cmp_email);
    return hit != NULL ? *hit : NULL;
}

/* Resolves the manager: a person of this run first, then the tenant. */
static int diff_manager(struct gcp_plan_entry *e, const gcp_plan *plan,
                        const struct gcp_plan_entry **index)
{
    const char *email = e->person->manager_email;
    const struct gcp_plan_entry *m;
    const struct gcp_tenant_user *u;

    if (email == NULL)
        return 0;
    m = diff_roster_email(index, plan->count, email);
    if (m != NULL && m->create && m->problem == NULL) {
        e->manager = m;
        e->fields |= GCP_PLAN_F_MANAGER;
        return 0;
    }
    u = m != NULL && m->user != NULL
            ? m->user
            : gcp_tenant__user_by_email(plan->snap, email);
    if (u == NULL || u->state == GCP_TENANT_DELETED)
        return gcp_plan__problem(e, "unknown manager '%s'", email);
    e->manager_id = u->id;
    if (e->user == NULL || diff_str(u->id, e->user->manager_id))
        e->fields |= GCP_PLAN_F_MANAGER;
    return 0;
}

/* Resolves a division by name; NULL is the home division. */
static const struct gcp_tenant_division *diff_division(struct gcp_plan_entry *e,
                                                       const gcp_snapshot *snap,
                                                       const char *name,
                                                       int *error)
{
    const struct gcp_tenant_division *d;

    d = name != NULL ? gcp_tenant__division_by_name(snap, name)
                     : gcp_tenant__division_by_id(snap, snap->home_division_id);
    if (d == NULL)
        *error = diff_unknown(e, "division", name != NULL ? name : "(home)",
                              snap->division_names, snap->division_count);
    return d;
}

/* Orders grants by role name, then division name, for stable output. */
static int diff_grant_cmp(const struct gcp_plan_grant *g,
                          const struct gcp_tenant_role *role,
                          const struct gcp_tenant_division *div)
{
    int c = strcmp(g->role->name, role->name);

    return c != 0 ? c : strcmp(g->division->name, div->name);
}

static int diff_grant_add(struct gcp_plan_entry *e,
                          const struct gcp_tenant_role *role,
                          const struct gcp_tenant_division *div)
{
    struct gcp_plan_grant *grown;
    size_t at = 0;

    while (at < e->grant_count && diff_grant_cmp(&e->grants[at], role, div) < 0)
        at++;
    if (at < e->grant_count && diff_grant_cmp(&e->grants[at], role, div) == 0)
        return 0;
    grown = realloc(e->grants, (e->grant_count + 1) * sizeof(*grown));
    if (grown == NULL)
        return GCP_ENOMEM;
    e->grants = grown;
    memmove(&grown[at + 1], &grown[at], (e->grant_count - at) * sizeof(*grown));
    grown[at].role = role;
    grown[at].division = div;
    e->grant_count++;
    return 0;
}

/* Lists the grants the person lacks, and the seats their roles take. */
static int diff_grants(struct gcp_plan_entry *e, const gcp_snapshot *snap)
{
    int error = 0;

    for (size_t i = 0; i < e->person->role_count && error == 0; i++) {
        const gcp_role_ref *ref = &e->person->roles[i];
        const struct gcp_tenant_role *role =
            gcp_tenant__role_by_name(snap, ref->role);
        const struct gcp_tenant_division *div =
            diff_division(e, snap, ref->division, &error);

        if (role == NULL && error == 0)
            error = diff_unknown(e, "role", ref->role, snap->role_names,
                                 snap->role_count);
        if (role == NULL || div == NULL || error < 0)
            continue;
        if (e->user != NULL &&
            gcp_tenant__user_has_grant(e->user, role->id, div->id))
            continue;
        error = diff_grant_add(e, role, div);
        for (size_t l = 0; l < role->license_count && error == 0; l++)
            if (e->user == NULL ||
                !gcp_tenant__user_has_license(e->user, role->licenses[l]))
                error = gcp_plan__strs_add(&e->seats, role->licenses[l]);
    }
    return error;
}

/* Lists the licenses the person lacks; each also takes a seat. */
static int diff_licenses(struct gcp_plan_entry *e, const gcp_snapshot *snap)
{
    int error = 0;

    for (size_t i = 0; i < e->person->license_count && error == 0; i++) {
        const struct gcp_tenant_license *lic =
            gcp_tenant__license(snap, e->person->licenses[i]);

        if (lic == NULL) {
            error = diff_unknown(e, "license", e->person->licenses[i],
                                 snap->license_ids, snap->license_count);
            continue;
        }
        if (e->user != NULL && gcp_tenant__user_has_license(e->user, lic->id))
            continue;
        if ((error = gcp_plan__strs_add(&e->licenses, lic->id)) == 0)
            error = gcp_plan__strs_add(&e->seats, lic->id);
    }
    return error;
}

/* A leaver under release_licenses gives back what was assigned by hand. */
static int diff_releases(struct gcp_plan_entry *e)
{
    const struct gcp_tenant_user *u = e->user;
    int error = 0;

    if (u == NULL || u->state == GCP_TENANT_DELETED)
        return 0;
    for (size_t i = 0; i < u->license_count && error == 0; i++)
        if (!u->licenses[i].implied)
            error = gcp_plan__strs_add(&e->releases, u->licenses[i].license_id);
    return error;
}

static int diff_joiner(struct gcp_plan_entry *e, const gcp_snapshot *snap)
{
    const struct gcp_tenant_division *d;
    int error = 0;

    if (!e->create)
        return 0;
    d = diff_division(e, snap, e->person->division, &error);
    e->division_id = d != NULL ? d->id : NULL;
    return error;
}

/*
 * Moves an existing user to the roster's division when it is elsewhere.
 * A row without a division keeps the user where it is: an empty column
 * never sends anyone back home. A user whose division the reader did not
 * see is left alone too, or the move would be sent again every run.
 */
static int diff_move(struct gcp_plan_entry *e, const gcp_snapshot *snap)
{
    const char *name = e->person->division;
    const struct gcp_tenant_division *d;
    int error = 0;

    if (e->create || e->user == NULL || name == NULL || name[0] == '\0')
        return 0;
    d = diff_division(e, snap, name, &error);
    if (d != NULL && e->user->division_id != NULL &&
        strcmp(d->id, e->user->division_id) != 0)
        e->move = d;
    return error;
}

static int diff_entry(struct gcp_plan_entry *e, const gcp_plan *plan,
                      const struct gcp_plan_entry **index)
{
    int error;

    if (e->problem != NULL)
        return 0;
    if (e->person->state == GCP_PERSON_INACTIVE)
        return plan->release_licenses ? diff_releases(e) : 0;
    if (e->user != NULL)
        e->fields = diff_fields(e->person, e->user);
    if ((error = diff_joiner(e, plan->snap)) < 0 ||
        (error = diff_move(e, plan->snap)) < 0 ||
        (error = diff_manager(e, plan, index)) < 0 ||
        (error = diff_grants(e, plan->snap)) < 0 ||
        (error = diff_licenses(e, plan->snap)) < 0)
        return error;
    if (e->problem != NULL)
        e->outcome = GCP_PLAN_INVALID;
    return 0;
}

int gcp_plan__diff(gcp_plan *plan)
{
    const struct gcp_plan_entry **index;
    int error = 0;

    index = calloc(plan->count + 1, sizeof(*index));
    if (index == NULL)
        return GCP_ENOMEM;
    for (size_t i = 0; i < plan->count; i++)
        index[i] = &plan->entries[i];
    qsort(index, plan->count, sizeof(*index), diff_cmp_email);
    for (size_t i = 0; i < plan->count && error == 0; i++)
        error = diff_entry(&plan->entries[i], plan, index);
    free(index);
    return error;
}

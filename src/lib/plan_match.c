/*
 * plan_match.c: who each person is in the tenant, and what happens to
 * their account as a whole (create, adopt, restore, deactivate, conflict).
 *
 * A person is found by our external id (authority, key) first: it
 * survives an email change. Only then by email, ignoring case. A user
 * found by email that carries our authority with another key belongs to
 * someone else: a conflict, left alone. So is a user two people point at,
 * and an email change onto an address another user holds.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "plan_model.h"

/*
 * Returns `key` when the user carries it under `authority`, else another
 * key it carries there, else NULL.
 */
static const char *match_our_key(const struct gcp_tenant_user *u,
                                 const char *authority, const char *key)
{
    const char *other = NULL;

    for (size_t i = 0; i < u->extid_count; i++) {
        if (strcmp(u->extids[i].authority, authority) != 0)
            continue;
        if (strcmp(u->extids[i].key, key) == 0)
            return u->extids[i].key;
        other = u->extids[i].key;
    }
    return other;
}

/* Checks a user found by email; returns 0, or 1 when it is not ours. */
static int match_by_email_check(struct gcp_plan_entry *e,
                                const struct gcp_tenant_user *u,
                                const char *authority, int *error)
{
    const char *theirs;

    if (!u->extids_known) {
        *error = gcp_plan__problem(e,
                                   "external ids of user '%s' were not "
                                   "read",
                                   u->id);
        e->outcome = GCP_PLAN_INVALID;
        return 1;
    }
    theirs = match_our_key(u, authority, e->person->key);
    if (theirs != NULL && strcmp(theirs, e->person->key) != 0) {
        *error = gcp_plan__problem(e,
                                   "user '%s' with email '%s' belongs to "
                                   "key '%s'",
                                   u->id, u->email, theirs);
        e->outcome = GCP_PLAN_CONFLICT;
        return 1;
    }
    e->adopt = theirs == NULL && e->person->employee_id != NULL;
    return 0;
}

/* Flags an email change onto an address another user holds. */
static int match_email_taken(struct gcp_plan_entry *e, const gcp_snapshot *snap)
{
    const struct gcp_tenant_user *holder =
        gcp_tenant__user_by_email(snap, e->person->email);

    if (holder == NULL || holder == e->user)
        return 0;
    e->outcome = GCP_PLAN_CONFLICT;
    return gcp_plan__problem(e, "email '%s' is held by user '%s'",
                             e->person->email, holder->id);
}

/* Takes the user for the entry; one taken already is a conflict. */
static int match_claim(struct gcp_plan_entry *e, const gcp_plan *plan,
                       const struct gcp_tenant_user *u,
                       const struct gcp_plan_entry **claims)
{
    size_t at = (size_t)(u - plan->snap->users);

    if (claims[at] != NULL) {
        e->outcome = GCP_PLAN_CONFLICT;
        return gcp_plan__problem(e, "user '%s' is also matched to key '%s'",
                                 u->id, claims[at]->person->key);
    }
    claims[at] = e;
    e->user = u;
    if (e->person->state == GCP_PERSON_INACTIVE)
        return 0;
    return match_email_taken(e, plan->snap);
}

/* First pass: our external id, which survives an email change. */
static int match_by_extid(struct gcp_plan_entry *e, const gcp_plan *plan,
                          const struct gcp_plan_entry **claims)
{
    const struct gcp_tenant_user *u =
        gcp_tenant__user_by_extid(plan->snap, plan->authority, e->person->key);

    return u != NULL ? match_claim(e, plan, u, claims) : 0;
}

/* Second pass, for people the first did not find: the email. */
static int match_by_email(struct gcp_plan_entry *e, const gcp_plan *plan,
                          const struct gcp_plan_entry **claims)
{
    const struct gcp_tenant_user *u;
    int error = 0;

    if (e->user != NULL || e->outcome == GCP_PLAN_CONFLICT)
        return 0;
    u = gcp_tenant__user_by_email(plan->snap, e->person->email);
    if (u == NULL || match_by_email_check(e, u, plan->authority, &error))
        return error;
    return match_claim(e, plan, u, claims);
}

/* Sets the account steps once the user is known. */
static void match_steps(struct gcp_plan_entry *e)
{
    const struct gcp_tenant_user *u = e->user;

    if (e->outcome == GCP_PLAN_CONFLICT || e->outcome == GCP_PLAN_INVALID)
        return;
    if (e->person->state == GCP_PERSON_INACTIVE) {
        e->adopt = 0; /* a leaver is left as found, only switched off */
        e->deactivate = u != NULL && u->state == GCP_TENANT_ACTIVE;
        return;
    }
    e->create = u == NULL;
    e->restore = u != NULL && u->state != GCP_TENANT_ACTIVE;
}

int gcp_plan__match(gcp_plan *plan)
{
    const struct gcp_plan_entry **claims;
    int error = 0;

    claims = calloc(plan->snap->user_count + 1, sizeof(*claims));
    if (claims == NULL)
        return GCP_ENOMEM;
    for (size_t i = 0; i < plan->count && error == 0; i++) {
        plan->entries[i].outcome = GCP_PLAN_UNCHANGED;
        error = match_by_extid(&plan->entries[i], plan, claims);
    }
    for (size_t i = 0; i < plan->count && error == 0; i++)
        error = match_by_email(&plan->entries[i], plan, claims);
    for (size_t i = 0; i < plan->count && error == 0; i++)
        match_steps(&plan->entries[i]);
    free(claims);
    return error;
}

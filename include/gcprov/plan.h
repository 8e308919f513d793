/*
 * gcprov/plan.h: the plan, what gcprov would change in a tenant to make it
 * match the roster: a pure function of the people, a snapshot of the
 * tenant and the seat budgets. `gcprov plan` prints it and `gcprov apply`
 * carries it out.
 *
 * The plan only adds. It creates joiners, adopts, restores, updates,
 * moves (to the roster's division) and deactivates people, grants roles
 * they lack and assigns licenses they lack; it never removes a grant, and
 * removes licenses only from leavers when asked to (release_licenses).
 * docs/plan.md explains every rule.
 */
#ifndef GCPROV_PLAN_H
#define GCPROV_PLAN_H

#include <stddef.h>

#include "gcprov/client.h"
#include "gcprov/common.h"
#include "gcprov/journal.h"
#include "gcprov/roster.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gcp_plan gcp_plan;

/* What gcprov knows of the tenant; built by the tenant reader. */
typedef struct gcp_snapshot gcp_snapshot;

/* How to read the tenant. Strings are borrowed for the call. */
typedef struct gcp_snapshot_options {
    unsigned int version;
    const char *key_authority; /* NULL: "gcprov" */
    size_t page_size;          /* users and licenses per page; 0: 500 */
    int count_seats;           /* budgets are set: count every seat */
    int strategy;              /* -1: cheaper by arithmetic; 0: per
                                  person; 1: paged scan */
    gcp_log_fn log;            /* NULL: silent */
    void *log_payload;
    gcp_log_level log_level;
    gcp_journal *journal; /* borrowed; NULL: no links. Its known users
                             (people whose user carries their key) save
                             the reads of their external ids */
} gcp_snapshot_options;

#define GCP_SNAPSHOT_OPTIONS_VERSION 1
#define GCP_SNAPSHOT_OPTIONS_INIT                                              \
    {                                                                          \
        GCP_SNAPSHOT_OPTIONS_VERSION, NULL, 0, 0, -1, NULL, NULL,              \
            GCP_LOG_INFO, NULL                                                 \
    }

/*
 * Reads what a plan of `roster`'s people needs from the org behind
 * `client` (both borrowed): divisions, roles, licenses, and the users,
 * found per person or by a paged scan, whichever costs fewer calls
 * (docs/plan.md). On success *out is caller-owned (gcp_snapshot_free).
 * On failure returns the failed call's gcp_error (or GCP_EINVALID for a
 * reply without what it must carry, GCP_ENOMEM), writes a one-line reason
 * into `errbuf` (`errlen` bytes; may be NULL) and leaves *out NULL.
 */
GCP_EXTERN int gcp_snapshot_read(gcp_snapshot **out, gcp_client *client,
                                 const gcp_roster *roster,
                                 const gcp_snapshot_options *opts, char *errbuf,
                                 size_t errlen);

/* Frees a snapshot. NULL is fine. */
GCP_EXTERN void gcp_snapshot_free(gcp_snapshot *snapshot);

/* The operator's budget for one license: at most `seats` users hold it. */
typedef struct gcp_seat_budget {
    const char *license_id;
    unsigned long seats;
} gcp_seat_budget;

/* How to plan. Every pointer is borrowed for the gcp_plan_build() call. */
typedef struct gcp_plan_options {
    unsigned int version;
    const char *key_authority;      /* NULL: "gcprov" */
    int release_licenses;           /* leavers lose explicit licenses */
    int strict_seats;               /* refuse if anyone is held back */
    const gcp_seat_budget *budgets; /* licenses without one: no limit */
    size_t budget_count;
    const char *const *pending_first; /* keys that get seats first */
    size_t pending_count;
} gcp_plan_options;

#define GCP_PLAN_OPTIONS_VERSION 1
#define GCP_PLAN_OPTIONS_INIT                                                  \
    {                                                                          \
        GCP_PLAN_OPTIONS_VERSION, NULL, 0, 0, NULL, 0, NULL, 0                 \
    }

/* A person's outcome, the first that applies in this order. */
typedef enum gcp_plan_outcome {
    GCP_PLAN_INVALID = 0, /* a role, division, license or manager unknown */
    GCP_PLAN_CONFLICT,    /* the email's user is another key's: left alone */
    GCP_PLAN_HELD,        /* held back for seats, with nothing else to do */
    GCP_PLAN_CREATE,      /* a joiner */
    GCP_PLAN_RESTORE,     /* deleted or inactive user made active again */
    GCP_PLAN_ADOPT,       /* found by email: our external id is added */
    GCP_PLAN_DEACTIVATE,  /* a leaver still active */
    GCP_PLAN_UPDATE,      /* fields, grants or licenses change */
    GCP_PLAN_UNCHANGED,   /* nothing to do */
} gcp_plan_outcome;

/*
 * How many people have each outcome, and how many changes of each kind.
 * `adopt` also counts restored people who get our external id, and
 * `update` restored people whose fields change. `held` counts everyone
 * held back for seats, whatever their outcome (a held joiner is still
 * created); `grants` and `licenses` leave out the changes that wait.
 * A joiner's manager, set right after the create, counts as part of the
 * create.
 */
typedef struct gcp_plan_counts {
    size_t people;
    size_t create;
    size_t adopt;
    size_t restore;
    size_t update;
    size_t deactivate;
    size_t conflict;
    size_t invalid;
    size_t held;
    size_t unchanged;
    size_t grants;   /* (person, role, division) grants to add */
    size_t licenses; /* (person, license) assignments to add */
    size_t releases; /* (leaver, license) assignments to remove */
    size_t moves;    /* existing users moved to another division */
} gcp_plan_counts;

/* One person's plan; strings borrowed from the plan. */
typedef struct gcp_plan_person {
    const char *key;
    const char *user_id; /* NULL for a joiner */
    gcp_plan_outcome outcome;
    const char *problem; /* why invalid, conflicting or held; else NULL */
    size_t field_count;  /* fields to patch */
    size_t grant_count;
    size_t license_count;
    size_t release_count;
    /* When held back for seats: the first short license, its budget and
     * the seats in use at that point. Only the changes that take a seat
     * wait (they are not in grant_count and license_count); the rest is
     * done. */
    const char *held_license;
    unsigned long held_budget;
    unsigned long held_in_use;
    const char *move_division_id; /* the division the user moves to */
} gcp_plan_person;

/*
 * Plans `count` people against `snapshot`. People and snapshot are
 * borrowed and must outlive the plan; `opts` may be NULL for defaults.
 * On success *out is caller-owned (gcp_plan_free). Returns 0 even when
 * people are invalid, in conflict or held back (the plan reports them) or
 * when strict_seats refuses the plan (see gcp_plan_refused). Returns
 * GCP_EINVALID (NULL arguments, an options version this library does not
 * know, two people with one key) or GCP_ENOMEM with *out NULL; the reason
 * for GCP_EINVALID is logged nowhere, so callers check their arguments.
 */
GCP_EXTERN int gcp_plan_build(gcp_plan **out, const gcp_person *const *people,
                              size_t count, const gcp_snapshot *snapshot,
                              const gcp_plan_options *opts);

/*
 * As gcp_plan_build(), for every person of `roster` (borrowed, and must
 * outlive the plan).
 */
GCP_EXTERN int gcp_plan_build_roster(gcp_plan **out, const gcp_roster *roster,
                                     const gcp_snapshot *snapshot,
                                     const gcp_plan_options *opts);

/* Fills *out with the plan's counts. */
GCP_EXTERN void gcp_plan_counts_get(gcp_plan_counts *out, const gcp_plan *plan);

/*
 * Returns non-zero when strict_seats was set and someone would be held
 * back: nothing of this plan may be applied.
 */
GCP_EXTERN int gcp_plan_refused(const gcp_plan *plan);

/* Returns how many people the plan covers, sorted by key. */
GCP_EXTERN size_t gcp_plan_person_count(const gcp_plan *plan);

/*
 * Fills *out with the person at `index` (0 .. count - 1, in key order);
 * strings are borrowed until gcp_plan_free. Returns 0 or GCP_ENOTFOUND.
 */
GCP_EXTERN int gcp_plan_person_get(gcp_plan_person *out, const gcp_plan *plan,
                                   size_t index);

/* Returns "create", "adopt", ... for an outcome. Never NULL. */
GCP_EXTERN const char *gcp_plan_outcome_name(gcp_plan_outcome outcome);

/*
 * Renders the plan as one JSON document: the counts, and with `details`
 * every person who is not unchanged with each change. Returns a
 * caller-owned string (free()) or NULL when out of memory.
 */
GCP_EXTERN char *gcp_plan_to_json(const gcp_plan *plan, int details);

/*
 * Renders the plan as text: a line of counts (after a line saying the
 * plan is refused, when it is) and, with `details`, one line per person
 * and change ("KEY grant 'Agent' in 'EMEA'"), and per person not acted on
 * ("KEY conflict: reason"). Returns a caller-owned string (free()) or
 * NULL when out of memory.
 */
GCP_EXTERN char *gcp_plan_to_text(const gcp_plan *plan, int details);

/* Frees the plan. NULL is fine. */
GCP_EXTERN void gcp_plan_free(gcp_plan *plan);

#ifdef __cplusplus
}
#endif

#endif

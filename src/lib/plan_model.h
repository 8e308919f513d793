/*
 * plan_model.h: the plan's inside, shared by its steps: match (who is
 * who), diff (what changes), seats (who waits) and render (JSON), and by
 * batch, which turns a plan into requests.
 *
 * A plan borrows the people and the snapshot it was built from: entries
 * point into both instead of copying them.
 */
#ifndef GCP_PLAN_MODEL_H
#define GCP_PLAN_MODEL_H

#include "gcprov/plan.h"
#include "tenant.h"

/* Fields a PATCH of an existing user may carry, as bits. */
enum gcp_plan_field {
    GCP_PLAN_F_NAME = 1 << 0,
    GCP_PLAN_F_EMAIL = 1 << 1,
    GCP_PLAN_F_DEPARTMENT = 1 << 2,
    GCP_PLAN_F_TITLE = 1 << 3,
    GCP_PLAN_F_PHONE = 1 << 4,
    GCP_PLAN_F_MANAGER = 1 << 5,
};

#define GCP_PLAN_FIELD_COUNT 6

/* Returns the name of field bit `i` (0 .. GCP_PLAN_FIELD_COUNT - 1). */
const char *gcp_plan__field_name(size_t i);

/*
 * Writes the names of `fields` joined by "," into `buf` (`size` bytes,
 * 64 is enough) and returns it.
 */
char *gcp_plan__field_list(char *buf, size_t size, unsigned fields);

/* A role to grant in a division, both borrowed from the snapshot. */
struct gcp_plan_grant {
    const struct gcp_tenant_role *role;
    const struct gcp_tenant_division *division;
};

/* Growable list of borrowed strings, kept sorted and without repeats. */
struct gcp_plan_strs {
    const char **items;
    size_t count;
};

struct gcp_plan_entry {
    const gcp_person *person;
    const struct gcp_tenant_user *user; /* matched; NULL for a joiner */
    gcp_plan_outcome outcome;
    int create;                             /* POST /users */
    int adopt;                              /* add our external id */
    int restore;                            /* PATCH state active */
    int deactivate;                         /* PATCH state inactive */
    unsigned fields;                        /* gcp_plan_field bits */
    const char *division_id;                /* for a create */
    const struct gcp_tenant_division *move; /* an existing user's new one */
    const char *manager_id;                 /* an existing manager */
    const struct gcp_plan_entry *manager;   /* or a joiner of this run */
    struct gcp_plan_grant *grants;
    size_t grant_count;
    struct gcp_plan_strs licenses; /* to add */
    struct gcp_plan_strs releases; /* to remove (leavers) */
    struct gcp_plan_strs seats;    /* licenses newly held */
    char *problem;                 /* owned; NULL when none */
    /* Held back for seats: the first short license, and the changes that
     * take a seat, moved out of grants and licenses to wait. */
    const char *held_license;
    unsigned long held_budget;
    unsigned long held_in_use;
    struct gcp_plan_grant *held_grants;
    size_t held_grant_count;
    struct gcp_plan_strs held_licenses;
};

struct gcp_plan {
    struct gcp_plan_entry *entries; /* sorted by person key */
    size_t count;
    const gcp_snapshot *snap;
    const char *authority; /* borrowed from the options or static */
    int release_licenses;
    int refused;
    gcp_plan_counts counts;
};

/* Finds who each person is in the tenant; sets the state steps. */
int gcp_plan__match(gcp_plan *plan);

/* Works out fields, manager, grants, licenses and seats per person. */
int gcp_plan__diff(gcp_plan *plan);

/* Holds back people past a budget; sets plan->refused under strict. */
int gcp_plan__seats(gcp_plan *plan, const gcp_plan_options *opts);

/*
 * Adds `s` (borrowed) to the sorted list unless it is there. Returns 0 or
 * GCP_ENOMEM.
 */
int gcp_plan__strs_add(struct gcp_plan_strs *list, const char *s);

/* Returns non-zero when the list holds `s`. */
int gcp_plan__strs_has(const struct gcp_plan_strs *list, const char *s);

/*
 * Returns non-zero when the entry wants the grant of role `role_id` in
 * division `division_id`, or license `license_id`, in this run or, held
 * back for seats, in a later one. NULL ids are never wanted.
 */
int gcp_plan__wants_grant(const struct gcp_plan_entry *e, const char *role_id,
                          const char *division_id);
int gcp_plan__wants_license(const struct gcp_plan_entry *e,
                            const char *license_id);

/*
 * Appends "; "-separated `text` to the entry's problem. Returns 0 or
 * GCP_ENOMEM.
 */
int gcp_plan__problem(struct gcp_plan_entry *e, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Returns non-zero when the entry will be acted on: not invalid or in
 * conflict. A person held back for seats is acted on, without the
 * changes that wait.
 */
int gcp_plan__acts(const struct gcp_plan_entry *e);

/*
 * Returns the name of the division entry `e` (which moves) leaves, or its
 * id when the snapshot does not know it. Borrowed from the snapshot.
 */
const char *gcp_plan__move_from(const gcp_plan *plan,
                                const struct gcp_plan_entry *e);

/*
 * Returns the plan as a new JSON object (caller-owned reference), or NULL
 * when out of memory. `details` adds every person.
 */
json_t *gcp_plan__to_json_value(const gcp_plan *plan, int details);

#endif

/*
 * tenant.h: the snapshot, what gcprov knows about one Genesys Cloud org at
 * the start of a run: the home division, divisions and roles by name, the
 * license definitions, the users with their external ids, grants and
 * licenses, and the seats in use per license.
 *
 * A snapshot is plain data. It is filled from one JSON document shaped like
 * the API's replies (see docs/plan.md, "The snapshot"), then indexed once;
 * the planner only reads it. Every string it hands out is owned by the
 * snapshot and valid until gcp_tenant__free().
 */
#ifndef GCP_TENANT_H
#define GCP_TENANT_H

#include <stddef.h>

#include <jansson.h>

#include "err.h"

typedef struct gcp_snapshot gcp_snapshot;

enum gcp_tenant_state {
    GCP_TENANT_ACTIVE = 0,
    GCP_TENANT_INACTIVE = 1,
    GCP_TENANT_DELETED = 2,
};

struct gcp_tenant_division {
    char *id;
    char *name;
};

/* A role and the licenses it carries: baseLicense first, then add-ons. */
struct gcp_tenant_role {
    char *id;
    char *name;
    char **licenses;
    size_t license_count;
};

struct gcp_tenant_grant {
    char *role_id;
    char *division_id;
};

struct gcp_tenant_extid {
    char *authority;
    char *key;
};

/* A license a user holds; `implied` when one of its roles carries it. */
struct gcp_tenant_held {
    char *license_id;
    int implied;
};

struct gcp_tenant_user {
    char *id;
    char *name;
    char *email;
    char *email_lower;
    char *division_id;
    char *department;
    char *title;
    char *phone_work; /* the PHONE/WORK contact's address */
    char *extension;  /* and its extension */
    char *manager_id;
    json_t *addresses; /* the whole Contact list, owned; NULL when none */
    enum gcp_tenant_state state;
    long version;
    struct gcp_tenant_extid *extids;
    size_t extid_count;
    int extids_known; /* 0: the external ids were not read */
    struct gcp_tenant_grant *grants;
    size_t grant_count;
    struct gcp_tenant_held *licenses;
    size_t license_count;
};

/* One external id pointing at its user, for the sorted index. */
struct gcp_tenant_extref {
    const char *authority;
    const char *key;
    const struct gcp_tenant_user *user;
};

/* A license definition with the seats in use counted or stated. */
struct gcp_tenant_license {
    char *id;
    unsigned long in_use;
};

struct gcp_snapshot {
    char *home_division_id;
    struct gcp_tenant_division *divisions;
    size_t division_count;
    struct gcp_tenant_role *roles;
    size_t role_count;
    struct gcp_tenant_license *licenses;
    size_t license_count;
    struct gcp_tenant_user *users;
    size_t user_count;
    struct gcp_tenant_user **by_email;  /* sorted by email_lower */
    struct gcp_tenant_extref *by_extid; /* sorted by authority, key */
    const char **role_names;            /* role_count names, for suggestions */
    const char **division_names;        /* division_count names */
    const char **license_ids;           /* license_count ids */
    size_t extref_count;
    struct gcp_err err;
};

/*
 * Builds a snapshot from `doc` (borrowed), indexes it and counts the seats
 * in use. On success *out is caller-owned (gcp_tenant__free). On failure
 * returns GCP_EINVALID (a field has the wrong type or a name is missing;
 * the message goes to `err`) or GCP_ENOMEM, and *out is NULL.
 */
int gcp_tenant__from_json(gcp_snapshot **out, const json_t *doc,
                          struct gcp_err *err);

/*
 * Sorts and indexes the users, marks implied licenses and counts the seats
 * in use, leaving alone the licenses whose flag in `stated` (one per
 * license, borrowed) is set. Used by the loaders. Returns 0 or GCP_ENOMEM.
 */
int gcp_tenant__index(gcp_snapshot *snap, const int *stated);

/* Frees the snapshot. NULL is fine. */
void gcp_tenant__free(gcp_snapshot *snap);

/* Lookups. Each returns a borrowed entry or NULL when there is none. */
const struct gcp_tenant_division *
gcp_tenant__division_by_name(const gcp_snapshot *snap, const char *name);
const struct gcp_tenant_division *
gcp_tenant__division_by_id(const gcp_snapshot *snap, const char *id);
const struct gcp_tenant_role *gcp_tenant__role_by_name(const gcp_snapshot *snap,
                                                       const char *name);
const struct gcp_tenant_role *gcp_tenant__role_by_id(const gcp_snapshot *snap,
                                                     const char *id);
struct gcp_tenant_license *gcp_tenant__license(const gcp_snapshot *snap,
                                               const char *id);

/*
 * Returns the user holding `email` (compared case-insensitively), the
 * non-deleted one first when several do, or NULL.
 */
const struct gcp_tenant_user *
gcp_tenant__user_by_email(const gcp_snapshot *snap, const char *email);

/* Returns the user carrying (authority, key), or NULL. */
const struct gcp_tenant_user *
gcp_tenant__user_by_extid(const gcp_snapshot *snap, const char *authority,
                          const char *key);

/* Returns the user with `id` (users are sorted by id), or NULL. */
const struct gcp_tenant_user *gcp_tenant__user_by_id(const gcp_snapshot *snap,
                                                     const char *id);

/* Returns non-zero when the user holds (role_id, division_id). */
int gcp_tenant__user_has_grant(const struct gcp_tenant_user *user,
                               const char *role_id, const char *division_id);

/* Returns non-zero when the user holds the license, implied or not. */
int gcp_tenant__user_has_license(const struct gcp_tenant_user *user,
                                 const char *license_id);

/* Returns non-zero when `role` carries `license_id`. */
int gcp_tenant__role_carries(const struct gcp_tenant_role *role,
                             const char *license_id);

/* Returns "active", "inactive" or "deleted". */
const char *gcp_tenant__state_name(enum gcp_tenant_state state);

#endif

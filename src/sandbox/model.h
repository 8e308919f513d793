/*
 * model.h: the sandbox's org model: divisions, roles, license definitions,
 * OAuth clients and tokens, users with their external ids, grants and
 * licenses, and the lagging search index. Pure data and rules: it knows
 * nothing of HTTP. Every function locks the model for its own duration
 * only, so the HTTP threads may call it concurrently.
 *
 * Times are seconds on any monotonic clock, passed in as `now`, so that the
 * rules that depend on time (token expiry, search lag, create lag) can be
 * tested without waiting. Entities come back as new Jansson references in
 * the API's wire shape (field names of the Genesys Cloud models); the
 * caller owns them and releases them with json_decref.
 *
 * Failures return a negative gcp_error and fill `err`: GCP_EINVALID for a
 * body the API would refuse (400), GCP_ENOTFOUND (404), GCP_ECONFLICT for a
 * duplicate email or a stale version (409), GCP_EAUTH for refused client
 * credentials. Nothing is changed when a function fails.
 */
#ifndef SBX_MODEL_H
#define SBX_MODEL_H

#include <jansson.h>

#include "err.h"

struct sbx_model;

/* The rules that depend on time and seats, changeable at run time. */
struct sbx_model_rules {
    double search_lag;   /* s before a write shows in search */
    double create_lag;   /* s after a create before other calls see it */
    long token_lifetime; /* s, the expires_in of new tokens */
    json_t *seats;       /* object license id -> seats; NULL: unlimited */
    int deleted_extids;  /* a deleted user's external ids can be read [U] */
};

/* A page request: 1-based page number and a size already range-checked. */
struct sbx_page {
    long size;
    long number;
};

/* What a user listing filters on. Borrowed for the call. */
struct sbx_user_filter {
    const char *state; /* "active" (default), "inactive", "deleted", "any" */
    const char **ids;  /* NULL: every user */
    size_t id_count;
    int expand_employer; /* non-zero: include employerInfo */
    int expand_authz;    /* non-zero: include authorization */
};

/*
 * Builds a model from `seed` (borrowed; the format is docs/sandbox.md's
 * seed file, also what sbx_model_dump writes). On success *out is owned by
 * the caller and freed with sbx_model_free. Fails with GCP_EINVALID and a
 * message naming the bad entry, or GCP_ENOMEM.
 */
int sbx_model_new(struct sbx_model **out, const json_t *seed,
                  const struct sbx_model_rules *rules, struct gcp_err *err);

/* Frees the model; NULL is accepted. */
void sbx_model_free(struct sbx_model *m);

/*
 * Puts the org back to the seed it was built from. Issued tokens stay
 * valid, so that a test can reset between steps without logging in again.
 */
int sbx_model_reset(struct sbx_model *m, struct gcp_err *err);

/* Replaces the time and seat rules; `rules->seats` is copied. */
void sbx_model_set_rules(struct sbx_model *m,
                         const struct sbx_model_rules *rules);

/* Returns the whole org in the seed format (a new reference), or NULL. */
json_t *sbx_model_dump(struct sbx_model *m);

/* --- OAuth clients and tokens ------------------------------------------ */

/*
 * Checks a client id and secret and issues a token: *out_token (caller
 * frees with free) and *out_expires_in (s). GCP_EAUTH when refused.
 */
int sbx_model_token_issue(struct sbx_model *m, char **out_token,
                          long *out_expires_in, const char *client_id,
                          const char *secret, double now, struct gcp_err *err);

/*
 * Checks a bearer token; GCP_EAUTH when unknown or expired. With
 * `permission` non-NULL, GCP_EPERMISSION when the token's client lacks it.
 */
int sbx_model_token_check(struct sbx_model *m, const char *token,
                          const char *permission, double now,
                          struct gcp_err *err);

/* --- Users -------------------------------------------------------------- */

/* Creates a user from a CreateUser body; *out is the User. */
int sbx_model_user_create(struct sbx_model *m, json_t **out, const json_t *body,
                          double now, struct gcp_err *err);

/* Reads one user; deleted users only when `allow_deleted`. */
int sbx_model_user_get(struct sbx_model *m, json_t **out, const char *id,
                       const struct sbx_user_filter *expand, int allow_deleted,
                       double now, struct gcp_err *err);

/* Lists users: *out an array of Users on the page, *out_total all matches. */
int sbx_model_user_list(struct sbx_model *m, json_t **out, long *out_total,
                        const struct sbx_user_filter *filter,
                        const struct sbx_page *page, double now);

/* Applies an UpdateUser body with its `version`; *out is the new User. */
int sbx_model_user_patch(struct sbx_model *m, json_t **out, const char *id,
                         const json_t *body, double now, struct gcp_err *err);

/* Soft-deletes a user: its state becomes "deleted". */
int sbx_model_user_delete(struct sbx_model *m, const char *id, double now,
                          struct gcp_err *err);

/*
 * Runs a UserSearchRequest against the index as it stood search_lag
 * seconds ago: *out is the results array of the page, *out_total all hits.
 */
int sbx_model_user_search(struct sbx_model *m, json_t **out, long *out_total,
                          const json_t *request, const struct sbx_page *page,
                          double now, struct gcp_err *err);

/* Adds one UserExternalIdentifier; *out is the user's whole list. */
int sbx_model_extid_add(struct sbx_model *m, json_t **out, const char *id,
                        const json_t *body, double now, struct gcp_err *err);

/* The user's external ids, an array. */
int sbx_model_extid_list(struct sbx_model *m, json_t **out, const char *id,
                         double now, struct gcp_err *err);

/* The user holding an external id, in any state, deleted included. */
int sbx_model_extid_find(struct sbx_model *m, json_t **out,
                         const char *authority, const char *key, double now,
                         struct gcp_err *err);

/* --- Divisions and roles ------------------------------------------------ */

int sbx_model_division_home(struct sbx_model *m, json_t **out);

/* Divisions whose name contains `name` (NULL: all), paged. */
int sbx_model_division_list(struct sbx_model *m, json_t **out, long *out_total,
                            const char *name, const struct sbx_page *page);

/* At most this many object ids per division move [U]. */
#define SBX_DIVISION_OBJECTS_MAX 100

/*
 * Moves every user of `user_ids` (an array of id strings, borrowed) to
 * division `division_id`. All ids are checked before anything changes:
 * GCP_ENOTFOUND for an unknown division; GCP_EINVALID for a body that is
 * not such an array, longer than SBX_DIVISION_OBJECTS_MAX, or naming a
 * user that is unknown, deleted or within its create lag. A user that
 * changes division gets a new version.
 */
int sbx_model_division_move_users(struct sbx_model *m, const char *division_id,
                                  const json_t *user_ids, double now,
                                  struct gcp_err *err);

/* Roles whose name contains `name`, case-insensitively (NULL: all). */
int sbx_model_role_list(struct sbx_model *m, json_t **out, long *out_total,
                        const char *name, const struct sbx_page *page);

int sbx_model_role_get(struct sbx_model *m, json_t **out, const char *id,
                       struct gcp_err *err);

/*
 * The role's members (not deleted), as Users: a superset of the
 * UserReference ({id, selfUri}) the real endpoint returns.
 */
int sbx_model_role_users(struct sbx_model *m, json_t **out, long *out_total,
                         const char *role_id, const struct sbx_page *page,
                         struct gcp_err *err);

/*
 * The role's members (not deleted) as SubjectDivisionGrants {id, name,
 * divisions: [Division], type "PC_USER", selfUri}: the divisions each
 * holds the role in. Users only: the sandbox has no groups.
 */
int sbx_model_role_subject_grants(struct sbx_model *m, json_t **out,
                                  long *out_total, const char *role_id,
                                  const struct sbx_page *page,
                                  struct gcp_err *err);

/* --- Grants ------------------------------------------------------------- */

enum sbx_grant_mode { SBX_GRANT_ADD, SBX_GRANT_REMOVE, SBX_GRANT_REPLACE };

/*
 * Grants (or removes) one role to many users in many divisions
 * (`divisions` NULL or empty: the home division). All ids are checked
 * before anything changes. Arrays of strings, borrowed.
 */
int sbx_model_grant_role(struct sbx_model *m, const char *role_id,
                         const json_t *user_ids, const json_t *divisions,
                         enum sbx_grant_mode mode, double now,
                         struct gcp_err *err);

/* Bulk add, remove or replace one subject's grants (RoleDivisionPair[]). */
int sbx_model_grant_subject(struct sbx_model *m, const char *user_id,
                            const json_t *grants, enum sbx_grant_mode mode,
                            double now, struct gcp_err *err);

/* The AuthzSubject of a user. */
int sbx_model_subject_get(struct sbx_model *m, json_t **out,
                          const char *user_id, double now, struct gcp_err *err);

/*
 * PUT /users/{id}/roles: the user's roles become exactly `role_ids` in the
 * home division; *out is the UserAuthorization.
 */
int sbx_model_user_roles_put(struct sbx_model *m, json_t **out,
                             const char *user_id, const json_t *role_ids,
                             double now, struct gcp_err *err);

/* --- Licenses ----------------------------------------------------------- */

/* The license definitions, an array. */
json_t *sbx_model_license_definitions(struct sbx_model *m);

/* One user's licenses: {id, licenses: [LicenseDefinition]}. */
int sbx_model_license_user(struct sbx_model *m, json_t **out,
                           const char *user_id, double now,
                           struct gcp_err *err);

/* A page of UserLicenses ({id, licenses: [id strings]}) over live users. */
int sbx_model_license_users(struct sbx_model *m, json_t **out, long *out_total,
                            const struct sbx_page *page);

/* Batch read: an object keyed by user id (unknown ids are left out). */
int sbx_model_license_batch(struct sbx_model *m, json_t **out,
                            const json_t *user_ids, double now,
                            struct gcp_err *err);

/*
 * Applies a LicenseBatchAssignmentRequest; *out is the array of
 * LicenseUpdateStatus, one per change, with the result strings of
 * docs/sandbox.md.
 */
int sbx_model_license_assign(struct sbx_model *m, json_t **out,
                             const json_t *request, double now,
                             struct gcp_err *err);

/* The license ids implied by an array of role ids. */
int sbx_model_license_infer(struct sbx_model *m, json_t **out,
                            const json_t *role_ids, struct gcp_err *err);

#endif

/*
 * gcprov/users.h: the building blocks on their own, for a program that
 * provisions people one at a time: find a user by key or by email, create
 * one, add roles, add licenses, deactivate. They send the same requests
 * as plan and apply, and like them never take anything away: roles and
 * licenses are only ever added. See docs/library.md.
 *
 * Threads: every function here may be called from several threads at
 * once on one gcp_client (the client shares one token, renewed once for
 * all of them). A gcp_user belongs to the thread holding it.
 *
 * Errors: each function returns 0 or a negative gcp_error. `detail`, when
 * not NULL, must be a zeroed (or cleared) gcp_result: on failure it gets
 * the failed call's result (its `message`, one line for an operator, and
 * its correlation id), or for a failure before any call just `code` and
 * `message`. The caller releases it with gcp_result_clear. With several
 * threads, read `detail` rather than gcp_client_message().
 */
#ifndef GCPROV_USERS_H
#define GCPROV_USERS_H

#include <stddef.h>

#include "gcprov/client.h"
#include "gcprov/common.h"
#include "gcprov/roster.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One user of the org as the API returned it. Opaque. */
typedef struct gcp_user gcp_user;

/* Frees a user. NULL is fine. */
GCP_EXTERN void gcp_user_free(gcp_user *user);

/* The user's id, borrowed from `user`. Never NULL. */
GCP_EXTERN const char *gcp_user_id(const gcp_user *user);

/* The user's email, or NULL when the reply had none. Borrowed. */
GCP_EXTERN const char *gcp_user_email(const gcp_user *user);

/* "active", "inactive" or "deleted" (NULL when absent). Borrowed. */
GCP_EXTERN const char *gcp_user_state(const gcp_user *user);

/* The user's version, as an update must send it; 0 when absent. */
GCP_EXTERN long gcp_user_version(const gcp_user *user);

/*
 * Finds the user whose external id is (`authority`, `key`), with one read
 * (GET /api/v2/users/externalid/{authority}/{key}). Both strings are
 * borrowed for the call; `authority` NULL means "gcprov", the authority
 * gcprov's apply writes. On success *out is a user the caller frees with
 * gcp_user_free. Returns 0, GCP_ENOTFOUND (no such user; *out NULL),
 * GCP_EINVALID (empty key, or a reply without an id) or the client's
 * classification of the failed call.
 */
GCP_EXTERN int gcp_user_find_by_key(gcp_user **out, gcp_client *client,
                                    const char *authority, const char *key,
                                    gcp_result *detail);

/*
 * Finds the user with `email` (borrowed), in any state, deleted included,
 * with a search. Search trails writes by seconds: a user created moments
 * ago may not be found yet (find by key instead). On success *out is
 * caller-owned (gcp_user_free). Returns 0, GCP_ENOTFOUND, GCP_EINVALID or
 * the client's classification of the failed call.
 */
GCP_EXTERN int gcp_user_find_by_email(gcp_user **out, gcp_client *client,
                                      const char *email, gcp_result *detail);

/*
 * Creates a user from `person` (borrowed; its name, email, department,
 * title, work phone and extension: the real CreateUser fields; its roles,
 * licenses and division are not read) in the division `division_id`
 * (NULL: the home division). When `authority` is not NULL and the person
 * has a key, the key is then added as the user's external id under
 * `authority`, so that gcp_user_find_by_key finds the user at once.
 *
 * A create is never replayed: GCP_EUNKNOWN means the outcome is unknown,
 * so look the person up before trying again. On success *out is
 * caller-owned (gcp_user_free). Returns 0, GCP_EINVALID (no email),
 * GCP_ECONFLICT (the email is taken, possibly by a deleted user),
 * GCP_EUNKNOWN or another classification; when only the external id
 * failed, the user exists: *out is still set and the code is the
 * external id call's.
 */
GCP_EXTERN int gcp_user_create(gcp_user **out, gcp_client *client,
                               const gcp_person *person,
                               const char *division_id, const char *authority,
                               gcp_result *detail);

/* One role to grant: ids, borrowed. `division_id` NULL: the home one. */
typedef struct gcp_user_grant {
    const char *role_id;
    const char *division_id;
} gcp_user_grant;

/*
 * Grants `count` roles to the user `user_id`, one additive call per role
 * (grants the user already has stay; nothing is removed). Everything is
 * borrowed for the call. Stops at the first failure. Returns 0,
 * GCP_EINVALID, GCP_ENOTFOUND (no such user or role) or the client's
 * classification of the failed call.
 */
GCP_EXTERN int gcp_user_add_roles(gcp_client *client, const char *user_id,
                                  const gcp_user_grant *grants, size_t count,
                                  gcp_result *detail);

/*
 * Assigns `count` licenses (ids, borrowed) to the user `user_id` in one
 * call; the user's other licenses are untouched. The reply holds a result
 * per license: every one must be a success. Returns 0, GCP_ERROR (a
 * license was refused: detail->message names it and the API's result),
 * GCP_EUNKNOWN (the reply did not mention a license) or the client's
 * classification of the failed call.
 */
GCP_EXTERN int gcp_user_add_licenses(gcp_client *client, const char *user_id,
                                     const char *const *license_ids,
                                     size_t count, gcp_result *detail);

/*
 * Makes the user `user_id` (borrowed) inactive: reads its version, then
 * changes only the state. A user already inactive is left as it is.
 * Returns 0, GCP_ENOTFOUND, GCP_ECONFLICT (changed meanwhile: call
 * again) or the client's classification of the failed call.
 */
GCP_EXTERN int gcp_user_deactivate(gcp_client *client, const char *user_id,
                                   gcp_result *detail);

#ifdef __cplusplus
}
#endif

#endif

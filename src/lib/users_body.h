/*
 * users_body.h: the request bodies and reply checks that both the batch
 * (plan and apply) and the building blocks of gcprov/users.h send and
 * read, written once. Each builder returns a new reference the caller
 * owns, or NULL when out of memory.
 */
#ifndef GCP_USERS_BODY_H
#define GCP_USERS_BODY_H

#include <jansson.h>

#include "gcprov/roster.h"

/* A CreateUser for `p` in division `division_id` (NULL: the home one). */
json_t *gcp_users__create_body(const gcp_person *p, const char *division_id);

/* A PHONE/WORK contact for `p` (address and extension as given). */
json_t *gcp_users__phone(const gcp_person *p);

/* True when the person has a work phone or an extension. */
int gcp_users__has_phone(const gcp_person *p);

/* An UpdateUser changing only the state ("active", "inactive"). */
json_t *gcp_users__state_body(const char *state, long version);

/* The external id object {authorityName, externalKey}. */
json_t *gcp_users__extid_body(const char *authority, const char *key);

/* The search for `email` exactly, in every state (deleted included). */
json_t *gcp_users__search_body(const char *email);

/*
 * A grant of one role to the users in `ids` (stolen, even on failure):
 * fills `path` (`size` bytes) and sets *out_method and *out_route
 * (static). In the home division (`division_id` NULL) the body is the
 * list itself for PUT .../users/add; elsewhere {subjectIds, divisionIds}.
 */
json_t *gcp_users__grant_body(const char **out_method, const char **out_route,
                              char *path, size_t size, const char *role_id,
                              const char *division_id, json_t *ids);

/*
 * One LicenseAssignmentRequest entry for `license_id`, with both lists;
 * *out_ids is set to the list to fill (userIdsRemove when `remove`,
 * else userIdsAdd), borrowed from the returned object.
 */
json_t *gcp_users__license_assignment(json_t **out_ids, const char *license_id,
                                      int remove);

/*
 * The `result` string the license call replied for (user, license), or
 * NULL when the reply (any JSON, borrowed) has no such entry.
 */
const char *gcp_users__license_result(const json_t *results,
                                      const char *user_id,
                                      const char *license_id);

#endif

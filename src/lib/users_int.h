/*
 * users_int.h: what the files of the building blocks (users.c,
 * users_grant.c) share: one call through the client with its failure
 * kept in the caller's `detail`.
 */
#ifndef GCP_USERS_INT_H
#define GCP_USERS_INT_H

#include "gcprov/users.h"

/*
 * Sends one request. On success *out (when not NULL) gets the reply's
 * JSON (a new reference, or NULL when the reply had none). On failure the
 * whole result moves into `detail` (when not NULL). `body` is borrowed.
 * Returns 0 or the client's classification.
 */
int gcp_users__call(json_t **out, gcp_client *client, gcp_result *detail,
                    const gcp_request *req);

/*
 * Records a failure made before or after any call: sets detail->code and
 * its message from `fmt` (when `detail` is not NULL). Returns `code`.
 */
int gcp_users__fail(gcp_result *detail, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Writes "/api/v2/users/ID" + `suffix` into a new string the caller
 * frees, the id escaped. Returns NULL when out of memory.
 */
char *gcp_users__path(const char *user_id, const char *suffix);

#endif

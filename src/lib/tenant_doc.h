/*
 * tenant_doc.h: assembles the snapshot document (see tenant_json.c) from
 * the API's replies as the tenant reader receives them, so that the
 * reader is a list of calls and the assembling is pure and tested.
 *
 * Feed the setup replies and the users first: licenses, grants and
 * external ids are attached to users already in the document, and
 * ignored for others (license pages still count their seats).
 */
#ifndef GCP_TENANT_DOC_H
#define GCP_TENANT_DOC_H

#include <jansson.h>

#include "tenant.h"

struct gcp_tenant_doc;

/* Makes an empty document; *out is caller-owned. 0 or GCP_ENOMEM. */
int gcp_tenant__doc_new(struct gcp_tenant_doc **out);

/* Frees the document. NULL is fine. */
void gcp_tenant__doc_free(struct gcp_tenant_doc *doc);

/*
 * Each of these takes one reply (borrowed; what is kept is copied or
 * referenced) and returns 0, GCP_EINVALID when the reply lacks what it
 * must carry, or GCP_ENOMEM.
 */

/* GET /api/v2/authorization/divisions/home: a Division. */
int gcp_tenant__doc_home(struct gcp_tenant_doc *doc, const json_t *division);

/*
 * A page of divisions, roles or license definitions: a listing with
 * `entities`, or a plain array (GET /api/v2/license/definitions).
 * `member` is "divisions", "roles" or "licenseDefinitions".
 */
int gcp_tenant__doc_list(struct gcp_tenant_doc *doc, const char *member,
                         const json_t *reply);

/*
 * Users: a listing page (`entities`), a search reply (`results`) or one
 * User. A user already in the document is replaced by the newer reply,
 * keeping what was attached to it.
 */
int gcp_tenant__doc_users(struct gcp_tenant_doc *doc, const json_t *reply);

/*
 * GET /api/v2/license/users page: {entities: [{id, licenses: [ids]}]}.
 * With `count_seats`, every entry also counts a seat per license: pass it
 * only for the pages of a full listing.
 */
int gcp_tenant__doc_license_page(struct gcp_tenant_doc *doc,
                                 const json_t *reply, int count_seats);

/*
 * GET /api/v2/authorization/roles/{roleId}/subjectgrants page:
 * {entities: [{id, type, divisions: [{id}]}]}; users get the role in each
 * division.
 */
int gcp_tenant__doc_role_grants(struct gcp_tenant_doc *doc, const char *role_id,
                                const json_t *reply);

/* GET /api/v2/authorization/subjects/{id}: AuthzSubject {id, grants}. */
int gcp_tenant__doc_subject(struct gcp_tenant_doc *doc, const json_t *subject);

/* GET /api/v2/users/{id}/externalid: [UserExternalIdentifier]. */
int gcp_tenant__doc_external_ids(struct gcp_tenant_doc *doc,
                                 const char *user_id, const json_t *list);

/* Returns the user with `id` in the document, borrowed, or NULL. */
const json_t *gcp_tenant__doc_user(const struct gcp_tenant_doc *doc,
                                   const char *id);

/* Returns the document, borrowed until the next call or the free. */
const json_t *gcp_tenant__doc_json(const struct gcp_tenant_doc *doc);

/* Builds the snapshot from the document: see gcp_tenant__from_json(). */
int gcp_tenant__doc_snapshot(gcp_snapshot **out,
                             const struct gcp_tenant_doc *doc,
                             struct gcp_err *err);

#endif

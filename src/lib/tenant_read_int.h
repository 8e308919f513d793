/*
 * tenant_read_int.h: what the reader's files share: the state of one read
 * and the calls every strategy makes.
 */
#ifndef GCP_TENANT_READ_INT_H
#define GCP_TENANT_READ_INT_H

#include "tenant_doc.h"
#include "tenant_read.h"

struct gcp_tenant_reader {
    const struct gcp_tenant_read_options *opts;
    const char *authority;
    size_t page;
    gcp_tenant_call_fn call;
    void *payload;
    struct gcp_tenant_doc *doc;
    struct gcp_err *err;
    struct gcp_tenant_read_stats *stats;
    const gcp_person *const *people;
    size_t count;
};

/*
 * Makes one call, counting it; a failure gets a message naming the route
 * (GCP_ENOTFOUND too: callers decide whether it is a failure). *out as
 * gcp_tenant_call_fn.
 */
int gcp_tenant__call(json_t **out, struct gcp_tenant_reader *r,
                     const char *method, const char *route, const char *path,
                     json_t *body);

/* Records that the document refused a reply of `route`; returns `error`. */
int gcp_tenant__refused(struct gcp_tenant_reader *r, const char *route,
                        int error);

/* Returns the user id the journal links to `key`, or NULL. */
const char *gcp_tenant__linked(struct gcp_tenant_reader *r, const char *key);

/*
 * Marks the user as carrying (our authority, `key`), which a lookup or
 * the journal proved: added to its external ids when they do not show it.
 * Returns 0 or GCP_ENOMEM.
 */
int gcp_tenant__mark_extid(struct gcp_tenant_reader *r, const char *user_id,
                           const char *key);

/*
 * Reads one user's external ids into the document. A 404 for a user the
 * document holds as deleted is no error: it carries none we can see.
 */
int gcp_tenant__read_extids(struct gcp_tenant_reader *r, const char *user_id);

/*
 * After a scan: reads the external ids the plan needs. Users found by
 * email and not linked by the journal get theirs read; people found by
 * neither are looked up by key, or the users no one matched are read,
 * whichever takes fewer calls.
 */
int gcp_tenant__read_links(struct gcp_tenant_reader *r);

/* Reads one user's grants (GET /api/v2/authorization/subjects/{id}). */
int gcp_tenant__read_subject(struct gcp_tenant_reader *r, const char *user_id);

/* Reads every page of the license listing, counting the seats. */
int gcp_tenant__read_license_pages(struct gcp_tenant_reader *r);

/* The two strategies; the first users page is already in the document. */
int gcp_tenant__read_scan(struct gcp_tenant_reader *r, size_t total);
int gcp_tenant__read_people(struct gcp_tenant_reader *r);

#endif

/*
 * tenant_read.h: reads what a plan needs from the tenant into a snapshot,
 * choosing per-person lookups or a paged scan by arithmetic (see
 * plan_lookup.h and docs/plan.md, "Finding the people").
 *
 * The reader does not know HTTP: it makes each call through a callback,
 * which apply binds to the client and tests bind to a model of the org.
 */
#ifndef GCP_TENANT_READ_H
#define GCP_TENANT_READ_H

#include <jansson.h>

#include "gcprov/roster.h"
#include "plan_lookup.h"
#include "tenant.h"

/*
 * Makes one call: `method` ("GET" or "POST"), `route` (the template, for
 * reports) and `path` (escaped, with the query). `body` is borrowed and
 * may be NULL. On success *out is the reply (caller-owned reference, may
 * be NULL for an empty reply). Returns 0, GCP_ENOTFOUND (404) or another
 * gcp_error, which stops the read.
 */
typedef int (*gcp_tenant_call_fn)(json_t **out, const char *method,
                                  const char *route, const char *path,
                                  json_t *body, void *payload);

/*
 * Tells whether the journal knows person `key` as user `*out_user_id`
 * (borrowed until the next call) and that user carries our external id.
 * Returns 0, or GCP_ENOTFOUND when it does not know.
 */
typedef int (*gcp_tenant_link_fn)(const char **out_user_id, const char *key,
                                  void *payload);

#define GCP_TENANT_READ_AUTO -1

struct gcp_tenant_read_options {
    const char *authority;   /* NULL: "gcprov" */
    size_t page_size;        /* users and licenses per page; 0: 500 [U] */
    int seats;               /* budgets are set: count every seat in use */
    int strategy;            /* GCP_TENANT_READ_AUTO or a gcp_lookup_strategy */
    gcp_tenant_link_fn link; /* NULL: no journal */
    void *link_payload;
};

/* What the read cost and chose, for logs and benchmarks. */
struct gcp_tenant_read_stats {
    size_t calls;
    size_t org_users; /* `total` of the first page */
    struct gcp_lookup_cost cost;
    enum gcp_lookup_strategy strategy;
};

/*
 * Reads the tenant for `people` (borrowed) through `call`. On success
 * *out is a caller-owned snapshot (gcp_tenant__free) and *stats, when not
 * NULL, says what it cost. On failure returns the call's error, or
 * GCP_EINVALID for a reply without what it must carry, with the message
 * in `err`, and *out is NULL.
 */
int gcp_tenant__read(gcp_snapshot **out, struct gcp_tenant_read_stats *stats,
                     const gcp_person *const *people, size_t count,
                     const struct gcp_tenant_read_options *opts,
                     gcp_tenant_call_fn call, void *payload,
                     struct gcp_err *err);

#endif

/*
 * apply.h: what apply adds around a batch run: the journal. Before each
 * request its intents are recorded, after it each change's result; steps
 * left open by a crash are reconciled against a fresh plan (a change the
 * new plan still wants never happened); people held back for seats are
 * queued, and served ones leave the queue.
 */
#ifndef GCP_APPLY_H
#define GCP_APPLY_H

#include "batch.h"
#include "gcprov/journal.h"
#include "tenant_client.h"

struct gcp_apply {
    gcp_journal *journal; /* borrowed */
    int64_t run;
    const gcp_plan *plan; /* borrowed */
    struct gcp_tenant_sender sender;
    int64_t *steps; /* the current request's step ids */
    size_t step_cap;
    size_t failed; /* changes that failed */
    int error;     /* the first journal failure, which stops the run */
    int found;     /* the last create was settled by gcp_apply__found */
};

/* The three hooks of gcp_batch__run; their payload is a struct gcp_apply. */
int gcp_apply__send(struct gcp_batch_reply *out,
                    const struct gcp_batch_request *req, const char *path,
                    json_t *body, void *payload);
int gcp_apply__before(const struct gcp_batch_request *req, void *payload);
int gcp_apply__after(const struct gcp_batch_request *req, size_t change,
                     int code, const char *user_id,
                     const struct gcp_batch_reply *reply, void *payload);

/*
 * After a create whose reply `out` is GCP_EUNKNOWN or 409 general.conflict,
 * looks the person up (our external id, then email in the users listing)
 * and, when their active user is found, turns `out` into that success:
 * out->json is replaced by the user (owned) and a->found set. Returns
 * out->code as it then stands; any other reply is left alone.
 */
int gcp_apply__found(struct gcp_batch_reply *out,
                     const struct gcp_batch_request *req, struct gcp_apply *a);

/*
 * Marks every step the journal left open or unknown as happened or not,
 * by `plan` (built on the tenant as it is now): a change the plan still
 * wants did not happen. Returns 0 or GCP_EIO / GCP_ENOMEM.
 */
int gcp_apply__reconcile(gcp_journal *journal, int64_t run,
                         const gcp_plan *plan);

/*
 * Queues the people `plan` holds back for seats, and takes out of the
 * queue those it serves. Returns 0 or the journal's error.
 */
int gcp_apply__pending(gcp_journal *journal, int64_t run, const gcp_plan *plan);

/* Frees what the apply state holds (not the journal). */
void gcp_apply__clear(struct gcp_apply *a);

#endif

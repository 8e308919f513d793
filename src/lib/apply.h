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
#include "progress_track.h"
#include "tenant_client.h"

/* One wave's share of the apply state (see gcp_batch_hooks' slots). */
struct gcp_apply_slot {
    struct gcp_tenant_sender sender; /* holds the wave's replies' strings */
    /* The wave's steps: ids from the intents, results as reported. */
    int64_t *steps;
    gcp_journal_result *results;
    unsigned char *reconciled; /* per step: settled by a look-up */
    unsigned char *has_user;   /* per step: its intent names the user */
    size_t step_count;         /* steps of the wave */
    size_t step_cap;
    size_t reported; /* steps of the wave reported so far */
};

struct gcp_apply {
    gcp_journal *journal; /* borrowed */
    int64_t run;
    const gcp_plan *plan;             /* borrowed */
    gcp_client *client;               /* borrowed */
    struct gcp_progress_track *track; /* borrowed; may be NULL */
    struct gcp_apply_slot slots[2];
    double journal_seconds; /* spent writing the journal */
};

/*
 * The four hooks of gcp_batch__run; their payload is a struct gcp_apply.
 * `before` records the wave's intents in one transaction, `after` keeps
 * each change's result, `end` records the wave's results in another.
 * `send` touches only its slot, the client and the plan, so that it can
 * run on a thread of its own.
 */
void gcp_apply__send(struct gcp_batch_reply *out,
                     const struct gcp_batch_request *const *reqs,
                     char *const *paths, json_t *const *bodies, size_t count,
                     int slot, void *payload);
int gcp_apply__before(const struct gcp_batch_request *const *reqs, size_t count,
                      gcp_batch_lookup_fn lookup, void *lookup_payload,
                      int slot, void *payload);
int gcp_apply__after(const struct gcp_batch_request *req, size_t change,
                     int code, const char *user_id,
                     const struct gcp_batch_reply *reply, int slot,
                     void *payload);
int gcp_apply__end(int slot, void *payload);

/*
 * After a create whose reply `out` is GCP_EUNKNOWN or 409 general.conflict,
 * looks the person up (our external id, then email in the users listing)
 * and, when their active user is found, turns `out` into that success:
 * out->json is replaced by the user (owned). Returns
 * out->code as it then stands, with out->reconciled set when found; any
 * other reply is left alone.
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

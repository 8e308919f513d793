/*
 * gcprov/apply.h: carrying out a plan against the tenant, journalled.
 *
 * The sequence a program follows is the one `gcprov apply` follows:
 * connect (gcp_client_new), open the org's journal (gcp_journal_open),
 * read the tenant (gcp_snapshot_read, with the journal's links), plan
 * (gcp_plan_build_roster, with the journal's pending people first), then
 * gcp_apply(). examples/apply_roster.c does exactly this.
 */
#ifndef GCPROV_APPLY_H
#define GCPROV_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "gcprov/client.h"
#include "gcprov/common.h"
#include "gcprov/journal.h"
#include "gcprov/plan.h"
#include "gcprov/progress.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How an apply ended. */
typedef enum gcp_apply_outcome {
    GCP_APPLY_CONVERGED = 0, /* every change made: the tenant matches */
    GCP_APPLY_FAILED,        /* some changes failed, or people conflict */
    GCP_APPLY_HELD,          /* people wait for seats; the rest is done */
    GCP_APPLY_REFUSED,       /* strict seats: nothing was sent */
    GCP_APPLY_STOPPED,       /* the client's retry budget ran out */
} gcp_apply_outcome;

typedef struct gcp_apply_options {
    unsigned int version; /* GCP_APPLY_OPTIONS_VERSION */

    /* Recorded with the run in the journal; each may be NULL. The
     * roster's file is hashed, so that an audit can tell which roster a
     * run applied. `options_json` must be a JSON object. */
    const char *command; /* NULL: "apply" */
    const char *roster_path;
    const char *api_host;
    const char *options_json;

    /* Called after every change ends, from the calling thread. */
    gcp_progress_fn progress;
    void *progress_payload;

    /* Most requests sent together, each wave's intents recorded in one
     * transaction before it is sent. 0: 64. Sending is paced and bounded
     * by the client's max_in_flight all the same. */
    size_t wave;
} gcp_apply_options;

#define GCP_APPLY_OPTIONS_VERSION 1
#define GCP_APPLY_OPTIONS_INIT                                                 \
    {                                                                          \
        .version = GCP_APPLY_OPTIONS_VERSION                                   \
    }

/* What an apply did. */
typedef struct gcp_apply_result {
    int64_t run; /* the run's number in the journal */
    gcp_apply_outcome outcome;
    int exit_status;        /* gcprov's exit status for the outcome
                               (docs/exit-codes.md), as recorded */
    size_t sent;            /* requests sent */
    size_t skipped;         /* requests not sent: their users are missing */
    size_t done;            /* changes made */
    size_t failed;          /* changes failed or skipped */
    double seconds;         /* wall time of the whole call */
    double journal_seconds; /* time spent writing the journal */
    /* Of journal_seconds, what the run waited for: writes made while no
     * request was in flight (most overlap the requests of a wave). */
    double journal_wait_seconds;
} gcp_apply_result;

/*
 * Carries out `plan` against the tenant `client` talks to, recording
 * every change in `journal` (opened for writing): a run begins, steps a
 * crash left open are reconciled against the plan (a change the plan
 * still wants never happened), the plan's requests are sent in waves,
 * each change's intent durable before its request and its result after,
 * people held back for seats are queued, and the run ends with its
 * outcome. `plan` must have been built on a snapshot read after the
 * journal was opened. All three handles are borrowed. `opts` may be
 * NULL for the defaults.
 *
 * Returns 0 when the run went through to its end, whatever its outcome
 * (out->outcome: some changes may have failed); GCP_EBUDGET when the
 * client's retry budget ran out and the run stopped (out filled,
 * outcome STOPPED, gcp_client_message says why); GCP_EIO, GCP_EBUSY or
 * GCP_ENOMEM when the journal failed (gcp_journal_message says why; the
 * next run reconciles what this one left open); GCP_EINVALID for NULL
 * handles or an unknown options version. `out` may be NULL.
 */
GCP_EXTERN int gcp_apply(gcp_apply_result *out, gcp_client *client,
                         const gcp_plan *plan, gcp_journal *journal,
                         const gcp_apply_options *opts);

/* Returns "converged", "failed", "held", "refused" or "stopped". */
GCP_EXTERN const char *gcp_apply_outcome_name(gcp_apply_outcome outcome);

/*
 * Reads the journal's queue of people held back for seats, in queue
 * order, for gcp_plan_options.pending_first: *out is a NULL-terminated
 * array of keys and *out_count its length, both freed with
 * gcp_apply_pending_free. Returns 0, GCP_EIO or GCP_ENOMEM.
 */
GCP_EXTERN int gcp_apply_pending_keys(char ***out, size_t *out_count,
                                      gcp_journal *journal);

/* Frees what gcp_apply_pending_keys gave. NULL is fine. */
GCP_EXTERN void gcp_apply_pending_free(char **keys);

#ifdef __cplusplus
}
#endif

#endif

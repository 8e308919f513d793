/*
 * progress_track.h: counts an apply's progress change by change and
 * hands a gcp_progress to the caller's callback. Apply's per-change hook
 * feeds it; it reads the client's counters for the rate and retries.
 */
#ifndef GCP_PROGRESS_TRACK_H
#define GCP_PROGRESS_TRACK_H

#include "batch.h"
#include "gcprov/client.h"
#include "gcprov/progress.h"

struct gcp_progress_track {
    gcp_progress now;
    gcp_progress_fn fn; /* NULL: counting is off */
    void *payload;
    gcp_client *client; /* borrowed; may be NULL */
    size_t *left;       /* per plan entry: changes not yet ended */
    size_t entries;
    double started; /* monotonic seconds */
};

/*
 * Starts counting the changes of `batch` (borrowed for the call) and
 * reads `client`'s counters (borrowed until gcp_progress__end) at each
 * report. With `fn` NULL nothing is counted. Returns 0 or GCP_ENOMEM
 * (counting is then off).
 */
int gcp_progress__begin(struct gcp_progress_track *t,
                        const struct gcp_batch *batch, gcp_client *client,
                        gcp_progress_fn fn, void *payload);

/*
 * Counts one ended change of the person at plan entry `entry` (`code` 0:
 * made) and calls the callback.
 */
void gcp_progress__change(struct gcp_progress_track *t, size_t entry, int code);

/* Frees what the tracker holds. */
void gcp_progress__end(struct gcp_progress_track *t);

#endif

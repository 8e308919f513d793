/*
 * progress.h: apply's progress line on standard error: people done and
 * total, the request rate against the limit, retries and an estimate of
 * the time left, redrawn in place at most four times a second. It is
 * shown only when standard error is a terminal, never with --quiet,
 * --json or --log-format json, and without colour when NO_COLOR is set. The
 * library prints nothing: the line is fed by apply's per-change hook and the
 * client's counters (gcp_client_stats_get).
 */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <stddef.h>

#include "batch.h"
#include "gcprov/client.h"
#include "opts.h"

struct cli_progress {
    int on;             /* drawing at all */
    int colour;         /* NO_COLOR unset */
    gcp_client *client; /* borrowed, for the rate and retries */
    size_t *left;       /* per plan entry: changes not yet reported */
    size_t entries;
    size_t people_total, people_done;
    size_t changes_total, changes_done;
    double started, drawn; /* monotonic seconds */
    size_t width;          /* of the last line drawn */
};

/*
 * Prepares the line for a run of `batch` through `client` (borrowed for
 * the run). Draws nothing when the display is off (see above). Returns 0,
 * or -1 when out of memory (the display is then off).
 */
int cli_progress_begin(struct cli_progress *p, const struct cli_common *common,
                       gcp_client *client, const struct gcp_batch *batch);

/*
 * Counts one reported change of the person at plan entry `entry` and
 * redraws when the last drawing is a quarter of a second old.
 */
void cli_progress_change(struct cli_progress *p, size_t entry);

/* Draws the final line, ends it, and frees what `p` holds. */
void cli_progress_end(struct cli_progress *p);

#endif

/*
 * progress.h: apply's progress line on standard error: people done and
 * total, the request rate against the limit, retries and an estimate of
 * the time left, redrawn in place at most four times a second. It is
 * shown only when standard error is a terminal, never with --quiet,
 * --json or --log-format json, and without colour when NO_COLOR is set.
 * The library counts (gcprov/progress.h) and prints nothing; this draws.
 */
#ifndef CLI_PROGRESS_H
#define CLI_PROGRESS_H

#include <stddef.h>

#include "gcprov/progress.h"
#include "opts.h"

struct cli_progress {
    int on;            /* drawing at all */
    int colour;        /* NO_COLOR unset */
    gcp_progress last; /* the latest report */
    int have_last;
    double drawn; /* monotonic seconds of the last drawing; 0: never */
    size_t width; /* of the last line drawn */
};

/* Decides whether to draw at all, from the options and stderr. */
void cli_progress_begin(struct cli_progress *p,
                        const struct cli_common *common);

/*
 * A gcp_progress_fn whose payload is a struct cli_progress: keeps the
 * report and redraws when the last drawing is a quarter second old.
 */
void cli_progress_report(const gcp_progress *progress, void *payload);

/* Draws the latest report once more and ends the line. */
void cli_progress_end(struct cli_progress *p);

#endif

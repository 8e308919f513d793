/*
 * progress.c: apply's progress line (see progress.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "progress.h"

#define PROGRESS_EVERY 0.25 /* s between drawings: four a second at most */

static double progress_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cli_progress_begin(struct cli_progress *p, const struct cli_common *common)
{
    const char *no_colour = getenv("NO_COLOR");

    *p = (struct cli_progress){0};
    /* JSON logs promise one object a line: no line redrawn among them. */
    p->on =
        !common->quiet && !common->json && isatty(STDERR_FILENO) &&
        (common->log_format == NULL || strcmp(common->log_format, "json") != 0);
    p->colour = no_colour == NULL || no_colour[0] == '\0';
}

/* Writes the estimate of the time left as "1m05s", or "?" before any. */
static void progress_eta(char *buf, size_t size, double left)
{
    if (left < 0)
        snprintf(buf, size, "?");
    else
        snprintf(buf, size, "%dm%02ds", (int)(left / 60), (int)left % 60);
}

static void progress_draw(struct cli_progress *p)
{
    const gcp_progress *g = &p->last;
    char eta[32], line[200];
    int n;

    progress_eta(eta, sizeof(eta), g->remaining);
    n = snprintf(line, sizeof(line),
                 "apply: %zu/%zu people, %zu/%zu changes, %.0f/min of "
                 "%.0f/min, %lu retries, %s left",
                 g->people_done, g->people_total,
                 g->changes_done + g->changes_failed, g->changes_total,
                 g->rate_now, g->rate_limit, g->retries, eta);
    if (n < 0)
        return;
    /* Pad over a longer previous line rather than send an erase code. */
    fprintf(stderr, "\r%s%s%s%*s", p->colour ? "\033[1m" : "", line,
            p->colour ? "\033[0m" : "",
            (size_t)n < p->width ? (int)(p->width - (size_t)n) : 0, "");
    fflush(stderr);
    p->width = (size_t)n;
    p->drawn = progress_now();
}

void cli_progress_report(const gcp_progress *progress, void *payload)
{
    struct cli_progress *p = payload;

    if (!p->on)
        return;
    p->last = *progress;
    p->have_last = 1;
    if (p->drawn == 0 || progress_now() - p->drawn >= PROGRESS_EVERY)
        progress_draw(p);
}

void cli_progress_end(struct cli_progress *p)
{
    if (p->on && p->have_last) {
        progress_draw(p);
        fputc('\n', stderr);
    }
    p->on = 0;
}

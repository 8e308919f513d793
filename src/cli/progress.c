/*
 * progress.c: apply's progress line (see progress.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "progress.h"

#define PROGRESS_EVERY 0.25 /* s between drawings: four a second at most */

static double progress_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Counts each person's changes, and the people with any. */
static int progress_count(struct cli_progress *p, const struct gcp_batch *b)
{
    for (size_t i = 0; i < b->count; i++)
        for (size_t j = 0; j < b->requests[i].change_count; j++)
            if (b->requests[i].changes[j].entry + 1 > p->entries)
                p->entries = b->requests[i].changes[j].entry + 1;
    if (p->entries > 0 &&
        (p->left = calloc(p->entries, sizeof(size_t))) == NULL)
        return -1;
    for (size_t i = 0; i < b->count; i++)
        for (size_t j = 0; j < b->requests[i].change_count; j++) {
            size_t e = b->requests[i].changes[j].entry;

            p->people_total += p->left[e]++ == 0;
            p->changes_total++;
        }
    return 0;
}

int cli_progress_begin(struct cli_progress *p, const struct cli_common *common,
                       gcp_client *client, const struct gcp_batch *batch)
{
    const char *no_colour = getenv("NO_COLOR");

    *p = (struct cli_progress){0};
    /* JSON logs promise one object a line: no line redrawn among them. */
    if (common->quiet || common->json || !isatty(STDERR_FILENO) ||
        (common->log_format != NULL && strcmp(common->log_format, "json") == 0))
        return 0;
    if (progress_count(p, batch) != 0)
        return -1;
    p->on = p->changes_total > 0;
    p->colour = no_colour == NULL || no_colour[0] == '\0';
    p->client = client;
    p->started = progress_now();
    return 0;
}

/* Writes the estimate of the time left as "1m05s", or "?" before any. */
static void progress_eta(char *buf, size_t size, const struct cli_progress *p)
{
    double spent = progress_now() - p->started;
    double left;

    if (p->changes_done == 0) {
        snprintf(buf, size, "?");
        return;
    }
    left = spent / (double)p->changes_done *
           (double)(p->changes_total - p->changes_done);
    snprintf(buf, size, "%dm%02ds", (int)(left / 60), (int)left % 60);
}

static void progress_draw(struct cli_progress *p)
{
    gcp_client_stats st;
    char eta[32], line[160];
    int n;

    gcp_client_stats_get(&st, p->client);
    progress_eta(eta, sizeof(eta), p);
    n = snprintf(line, sizeof(line),
                 "apply: %zu/%zu people, %zu/%zu changes, %.0f/min of "
                 "%.0f/min, %lu retries, %s left",
                 p->people_done, p->people_total, p->changes_done,
                 p->changes_total, st.rate_now, st.rate_limit, st.retries, eta);
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

void cli_progress_change(struct cli_progress *p, size_t entry)
{
    if (!p->on)
        return;
    p->changes_done++;
    if (entry < p->entries && p->left[entry] > 0 && --p->left[entry] == 0)
        p->people_done++;
    if (p->drawn == 0 || progress_now() - p->drawn >= PROGRESS_EVERY)
        progress_draw(p);
}

void cli_progress_end(struct cli_progress *p)
{
    if (p->on) {
        progress_draw(p);
        fputc('\n', stderr);
    }
    free(p->left);
    p->left = NULL;
    p->on = 0;
}

/*
 * progress_track.c: apply's progress, counted (see progress_track.h).
 */
#include <stdlib.h>
#include <time.h>

#include "clock.h"
#include "progress_track.h"

/* Counts each person's changes, and the people with any. */
static int track_count(struct gcp_progress_track *t, const struct gcp_batch *b)
{
    for (size_t i = 0; i < b->count; i++)
        for (size_t j = 0; j < b->requests[i].change_count; j++)
            if (b->requests[i].changes[j].entry + 1 > t->entries)
                t->entries = b->requests[i].changes[j].entry + 1;
    if (t->entries > 0 &&
        (t->left = calloc(t->entries, sizeof(*t->left))) == NULL)
        return GCP_ENOMEM;
    for (size_t i = 0; i < b->count; i++)
        for (size_t j = 0; j < b->requests[i].change_count; j++) {
            size_t e = b->requests[i].changes[j].entry;

            t->now.people_total += t->left[e]++ == 0;
            t->now.changes_total++;
        }
    return 0;
}

int gcp_progress__begin(struct gcp_progress_track *t,
                        const struct gcp_batch *batch, gcp_client *client,
                        gcp_progress_fn fn, void *payload)
{
    int error;

    *t = (struct gcp_progress_track){0};
    t->now.version = GCP_PROGRESS_VERSION;
    t->now.remaining = -1;
    if (fn == NULL)
        return 0;
    if ((error = track_count(t, batch)) != 0)
        return error;
    t->fn = fn;
    t->payload = payload;
    t->client = client;
    t->started = gcp_clock__now();
    return 0;
}

/* Copies the client's counters and estimates the time left. */
static void track_update(struct gcp_progress_track *t)
{
    gcp_progress *p = &t->now;
    size_t ended = p->changes_done + p->changes_failed;
    gcp_client_stats st;

    if (t->client != NULL) {
        gcp_client_stats_get(&st, t->client);
        p->requests = st.requests;
        p->retries = st.retries;
        p->throttled = st.throttled;
        p->rate_now = st.rate_now;
        p->rate_limit = st.rate_limit;
    }
    p->elapsed = gcp_clock__now() - t->started;
    p->remaining = ended == 0 ? -1
                              : p->elapsed / (double)ended *
                                    (double)(p->changes_total - ended);
}

void gcp_progress__change(struct gcp_progress_track *t, size_t entry, int code)
{
    if (t->fn == NULL)
        return;
    if (code == 0)
        t->now.changes_done++;
    else
        t->now.changes_failed++;
    if (entry < t->entries && t->left[entry] > 0 && --t->left[entry] == 0)
        t->now.people_done++;
    track_update(t);
    t->fn(&t->now, t->payload);
}

void gcp_progress__end(struct gcp_progress_track *t)
{
    free(t->left);
    t->left = NULL;
    t->fn = NULL;
}

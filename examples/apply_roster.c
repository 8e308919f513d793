/*
 * apply_roster.c: what `gcprov apply` does, with the public API only
 * (gcprov.h): read and check a roster, connect, open the journal, read
 * the tenant, plan with the people waiting for seats first, and apply,
 * reporting progress through the library's callback.
 *
 *   apply_roster ROSTER JOURNAL
 *
 * Where and who come from the environment, as for gcprov (see
 * example_connect.h). Prints the plan's counts, then one line per tenth
 * of the changes made, then the outcome; exits 0 when the tenant matches
 * the roster, 1 when it does not, 2 for an invalid roster.
 */
#define _POSIX_C_SOURCE 200809L /* unsetenv */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include <gcprov.h>

#include "example_connect.h"

#define PROG "apply_roster"

/* What the run holds; every handle is freed by release(). */
struct run {
    gcp_roster *roster;
    gcp_client *client;
    gcp_journal *journal;
    gcp_snapshot *snapshot;
    gcp_plan *plan;
    char **pending;
    size_t last_tenth; /* the progress line printed last */
};

/* Prints every problem of an unusable roster as FILE:LINE:COL: message. */
static int read_roster(struct run *r, const char *path)
{
    int error = gcp_roster_read(&r->roster, path, NULL);

    if (error != 0 || !gcp_roster_is_valid(r->roster)) {
        for (size_t i = 0; i < gcp_roster_diag_count(r->roster); i++) {
            const gcp_roster_diagnostic *d = gcp_roster_diag(r->roster, i);

            fprintf(stderr, "%s:%u:%u: %s\n", d->file, d->line, d->column,
                    d->message);
        }
        if (error != 0)
            fprintf(stderr, PROG ": %s\n", gcp_roster_error(r->roster));
        return -1;
    }
    return 0;
}

/* Reads the tenant and plans, the journal's queue served first. */
static int plan(struct run *r)
{
    gcp_snapshot_options so = GCP_SNAPSHOT_OPTIONS_INIT;
    gcp_plan_options po = GCP_PLAN_OPTIONS_INIT;
    char why[256] = "";
    int error;

    if ((error = gcp_apply_pending_keys(&r->pending, &po.pending_count,
                                        r->journal)) != 0) {
        fprintf(stderr, PROG ": %s\n", gcp_journal_message(r->journal));
        return -1;
    }
    po.pending_first = (const char *const *)r->pending;
    so.journal = r->journal;
    if (gcp_snapshot_read(&r->snapshot, r->client, r->roster, &so, why,
                          sizeof(why)) != 0) {
        fprintf(stderr, PROG ": %s\n", why);
        return -1;
    }
    if (gcp_plan_build_roster(&r->plan, r->roster, r->snapshot, &po) != 0) {
        fprintf(stderr, PROG ": planning failed\n");
        return -1;
    }
    return 0;
}

/* The progress callback: a line each time another tenth is done. */
static void progress(const gcp_progress *p, void *payload)
{
    struct run *r = payload;
    size_t ended = p->changes_done + p->changes_failed;
    size_t tenth = p->changes_total > 0 ? ended * 10 / p->changes_total : 10;

    if (tenth == r->last_tenth)
        return;
    r->last_tenth = tenth;
    printf("progress: %zu of %zu changes, %zu of %zu people, %lu requests\n",
           ended, p->changes_total, p->people_done, p->people_total,
           p->requests);
}

static int apply(struct run *r, const char *roster_path)
{
    gcp_apply_options o = GCP_APPLY_OPTIONS_INIT;
    gcp_apply_result res;
    char *counts = gcp_plan_to_text(r->plan, 0);
    int error;

    if (counts != NULL)
        fputs(counts, stdout);
    free(counts);
    o.command = PROG;
    o.roster_path = roster_path;
    o.progress = progress;
    o.progress_payload = r;
    if ((error = gcp_apply(&res, r->client, r->plan, r->journal, &o)) != 0) {
        fprintf(stderr, PROG ": %s: %s\n", gcp_error_name(error),
                error == GCP_EBUDGET ? gcp_client_message(r->client)
                                     : gcp_journal_message(r->journal));
        return -1;
    }
    printf("run %lld: %s, %zu requests, %zu changes made, %zu failed\n",
           (long long)res.run, gcp_apply_outcome_name(res.outcome), res.sent,
           res.done, res.failed);
    return res.outcome == GCP_APPLY_CONVERGED ? 0 : -1;
}

static void release(struct run *r)
{
    gcp_apply_pending_free(r->pending);
    gcp_plan_free(r->plan);
    gcp_snapshot_free(r->snapshot);
    gcp_journal_free(r->journal);
    gcp_client_free(r->client);
    gcp_roster_free(r->roster);
}

int main(int argc, char **argv)
{
    struct run r = {0};
    int status = 1;

    if (argc != 3) {
        fprintf(stderr, "usage: " PROG " ROSTER JOURNAL\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN); /* see gcprov/client.h */
    if (read_roster(&r, argv[1]) != 0)
        status = 2;
    else if ((r.client = example_connect(PROG)) == NULL)
        status = 1;
    else if (gcp_journal_open(&r.journal, argv[2], NULL) != 0)
        fprintf(stderr, PROG ": %s\n", gcp_journal_message(r.journal));
    else if (plan(&r) == 0 && apply(&r, argv[1]) == 0)
        status = 0;
    if (r.journal != NULL && gcp_journal_close(r.journal) != 0) {
        fprintf(stderr, PROG ": %s\n", gcp_journal_message(r.journal));
        status = 1;
    }
    release(&r);
    return status;
}

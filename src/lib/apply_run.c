/*
 * apply_run.c: gcp_apply(), one journalled run around the batch runner
 * and apply's hooks (apply.c), with the progress counted and the time
 * spent in the journal measured.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "apply.h"
#include "gcprov/apply.h"

/* The exit statuses of docs/exit-codes.md, as the journal records them. */
#define APPLY_EXIT_OK     0
#define APPLY_EXIT_FAILED 1
#define APPLY_EXIT_HELD   4
#define APPLY_EXIT_LOCAL  5

/* One call of gcp_apply. */
struct apply_call {
    gcp_client *client;
    const gcp_plan *plan;
    gcp_journal *journal;
    const gcp_apply_options *opts;
    gcp_apply_result result;
    double started;
};

/* Counts journal writes from `started` to now, made with nothing in flight. */
static void run_journal_time(struct apply_call *c, double started)
{
    double spent = gcp_clock__now() - started;

    c->result.journal_seconds += spent;
    c->result.journal_wait_seconds += spent;
}

const char *gcp_apply_outcome_name(gcp_apply_outcome outcome)
{
    switch (outcome) {
    case GCP_APPLY_CONVERGED:
        return "converged";
    case GCP_APPLY_FAILED:
        return "failed";
    case GCP_APPLY_HELD:
        return "held";
    case GCP_APPLY_REFUSED:
        return "refused";
    case GCP_APPLY_STOPPED:
        return "stopped";
    }
    return "unknown";
}

static int run_exit_status(gcp_apply_outcome outcome)
{
    switch (outcome) {
    case GCP_APPLY_CONVERGED:
        return APPLY_EXIT_OK;
    case GCP_APPLY_HELD:
    case GCP_APPLY_REFUSED:
        return APPLY_EXIT_HELD;
    default:
        return APPLY_EXIT_FAILED;
    }
}

/* Records the run's start and reconciles what earlier runs left open. */
static int run_begin(struct apply_call *c)
{
    gcp_journal_run_info info = GCP_JOURNAL_RUN_INFO_INIT;
    const gcp_apply_options *o = c->opts;
    double started = gcp_clock__now();
    int error;

    info.command = o->command != NULL ? o->command : "apply";
    info.client_id = gcp_client_id(c->client);
    info.api_host = o->api_host;
    info.roster_path = o->roster_path;
    info.options_json = o->options_json != NULL ? o->options_json : "{}";
    error = gcp_journal_run_begin(&c->result.run, c->journal, &info);
    if (error == 0)
        error = gcp_apply__reconcile(c->journal, c->result.run, c->plan);
    run_journal_time(c, started);
    return error;
}

/* Sends the plan's requests; fills the counts. */
static int run_changes(struct apply_call *c, struct gcp_batch *batch)
{
    struct gcp_progress_track track;
    struct gcp_apply a = {.journal = c->journal,
                          .run = c->result.run,
                          .plan = c->plan,
                          .client = c->client,
                          .track = &track};
    /* The journal's writes overlap the requests in flight. */
    struct gcp_batch_hooks hooks = {.send = gcp_apply__send,
                                    .before = gcp_apply__before,
                                    .after = gcp_apply__after,
                                    .end = gcp_apply__end,
                                    .payload = &a,
                                    .wave = c->opts->wave,
                                    .overlap = 1};
    struct gcp_batch_run_stats st = {0};
    int error;

    error = gcp_progress__begin(&track, batch, c->client, c->opts->progress,
                                c->opts->progress_payload);
    if (error == 0)
        error = gcp_batch__run(&st, batch, c->plan, &hooks);
    gcp_progress__end(&track);
    gcp_apply__clear(&a);
    c->result.sent = st.sent;
    c->result.skipped = st.skipped;
    c->result.done = st.done;
    c->result.failed = st.failed;
    c->result.journal_seconds += a.journal_seconds;
    c->result.journal_wait_seconds += st.hooks_exposed;
    return error;
}

/* Queues who waits for a seat; decides the outcome from the counts. */
static int run_settle(struct apply_call *c)
{
    double started = gcp_clock__now();
    int error = gcp_apply__pending(c->journal, c->result.run, c->plan);
    gcp_plan_counts counts;

    run_journal_time(c, started);
    gcp_plan_counts_get(&counts, c->plan);
    /* A conflict is left alone, so the tenant does not match the roster. */
    if (c->result.failed > 0 || counts.conflict > 0)
        c->result.outcome = GCP_APPLY_FAILED;
    else if (counts.held > 0)
        c->result.outcome = GCP_APPLY_HELD;
    else
        c->result.outcome = GCP_APPLY_CONVERGED;
    return error;
}

/* Builds the batch and carries it out, unless strict seats refuse it. */
static int run_body(struct apply_call *c)
{
    struct gcp_batch *batch = NULL;
    int error;

    if (gcp_plan_refused(c->plan)) {
        c->result.outcome = GCP_APPLY_REFUSED;
        return 0;
    }
    if ((error = gcp_batch__build(&batch, c->plan, NULL)) == 0)
        error = run_changes(c, batch);
    gcp_batch__free(batch);
    if (error == GCP_EBUDGET) {
        c->result.outcome = GCP_APPLY_STOPPED;
        return error;
    }
    return error != 0 ? error : run_settle(c);
}

/*
 * Records the run's end. After a local failure nothing more is written:
 * the journal keeps the failure's message, and the run stays without an
 * end, as if the process had died there, for the next run to reconcile.
 */
static int run_end(struct apply_call *c, int error)
{
    double started = gcp_clock__now();
    int ended;

    if (error != 0 && error != GCP_EBUDGET) {
        c->result.exit_status = APPLY_EXIT_LOCAL;
        c->result.outcome = GCP_APPLY_STOPPED;
        return error;
    }
    c->result.exit_status = run_exit_status(c->result.outcome);
    ended = gcp_journal_run_end(c->journal, c->result.run,
                                gcp_apply_outcome_name(c->result.outcome),
                                c->result.exit_status);
    run_journal_time(c, started);
    return error != 0 ? error : ended;
}

int gcp_apply(gcp_apply_result *out, gcp_client *client, const gcp_plan *plan,
              gcp_journal *journal, const gcp_apply_options *opts)
{
    gcp_apply_options defaults = GCP_APPLY_OPTIONS_INIT;
    struct apply_call c = {client, plan, journal, opts, {0}, gcp_clock__now()};
    int error;

    if (out != NULL)
        memset(out, 0, sizeof(*out));
    if (client == NULL || plan == NULL || journal == NULL ||
        (opts != NULL && opts->version != GCP_APPLY_OPTIONS_VERSION))
        return GCP_EINVALID;
    if (opts == NULL)
        c.opts = &defaults;
    if ((error = run_begin(&c)) != 0)
        return error;
    error = run_end(&c, run_body(&c));
    c.result.seconds = gcp_clock__now() - c.started;
    if (out != NULL)
        *out = c.result;
    return error;
}

int gcp_apply_pending_keys(char ***out, size_t *out_count, gcp_journal *journal)
{
    gcp_journal_pending *queue = NULL;
    size_t n;
    int error;

    *out = NULL;
    *out_count = 0;
    if ((error = gcp_journal_pending_list(&queue, journal)) != 0)
        return error;
    n = gcp_journal_pending_count(queue);
    if ((*out = calloc(n + 1, sizeof(**out))) == NULL)
        error = GCP_ENOMEM;
    for (size_t i = 0; error == 0 && i < n; i++)
        if (((*out)[i] =
                 strdup(gcp_journal_pending_get(queue, i)->person_key)) == NULL)
            error = GCP_ENOMEM;
    gcp_journal_pending_free(queue);
    if (error != 0) {
        gcp_apply_pending_free(*out);
        *out = NULL;
        return error;
    }
    *out_count = n;
    return 0;
}

void gcp_apply_pending_free(char **keys)
{
    for (size_t i = 0; keys != NULL && keys[i] != NULL; i++)
        free(keys[i]);
    free(keys);
}

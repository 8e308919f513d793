/*
 * cmd_apply.c: `gcprov apply ROSTER` makes the tenant match the roster:
 * read the roster and the tenant, plan, reconcile what a crash left open,
 * then carry out the plan's requests, each change journalled before and
 * after. Prints the plan's counts and what was done; exits 0 when all
 * converged, 1 when some changes failed, 4 when people wait for seats.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "apply.h"
#include "commands.h"
#include "connect.h"
#include "embedded.h"
#include "exit.h"
#include "gcprov/plan.h"
#include "journal_opts.h"
#include "msg.h"
#include "plan_opts.h"
#include "progress.h"
#include "progress_track.h"

struct apply_settings {
    struct cli_plan_opts plan;
    struct cli_roster_opts roster;
    struct cli_connect conn;
    struct cli_journal_opts journal;
};

static const struct cli_opt_group apply_groups[] = {
    CLI_PLAN_GROUP(struct apply_settings, plan),
    CLI_ROSTER_GROUP(struct apply_settings, roster),
    CLI_CONNECT_GROUP(offsetof(struct apply_settings, conn)),
    CLI_JOURNAL_WRITER_GROUP(struct apply_settings, journal),
    CLI_GROUP_END,
};

/* What one apply holds; released by apply_release. */
struct apply_run {
    const struct apply_settings *s;
    const struct cli_common *common;
    gcp_roster *roster;
    gcp_client *client;
    struct sbx *sandbox; /* --sandbox: the embedded demo org */
    char *scratch;       /* --sandbox: the throwaway journal's folder */
    gcp_journal *journal;
    gcp_snapshot *snap;
    gcp_plan *plan;
    struct gcp_batch *batch;
    struct cli_plan_setup setup;
    const char **pending;
    int64_t run;
    const char *path; /* the roster file, for messages */
    int skip_invalid; /* --skip-invalid: provision the valid people */
};

/* Serves the journal's queue first: its keys, in queue order. */
static int apply_pending(struct apply_run *a)
{
    gcp_journal_pending *queue = NULL;
    size_t n;
    int lost = 0;

    if (gcp_journal_pending_list(&queue, a->journal) != 0)
        return cli_error(CLI_EXIT_LOCAL, "%s", gcp_journal_message(a->journal));
    n = gcp_journal_pending_count(queue);
    a->pending = calloc(n + 1, sizeof(*a->pending));
    for (size_t i = 0; a->pending != NULL && i < n; i++) {
        a->pending[i] = strdup(gcp_journal_pending_get(queue, i)->person_key);
        lost |= a->pending[i] == NULL;
    }
    gcp_journal_pending_free(queue);
    if (a->pending == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    a->setup.opts.pending_first = a->pending;
    a->setup.opts.pending_count = n; /* apply_release frees them */
    return lost ? cli_error(CLI_EXIT_LOCAL, "out of memory") : 0;
}

/* Reads the tenant and plans. */
static int apply_plan(struct apply_run *a)
{
    gcp_snapshot_options so = GCP_SNAPSHOT_OPTIONS_INIT;
    char why[512];
    int rc;

    so.key_authority = a->s->plan.key_authority;
    so.count_seats = a->setup.opts.budget_count > 0;
    so.journal = a->journal;
    so.log = cli_log;
    so.log_level = cli_log_min_level();
    if ((rc = gcp_snapshot_read(&a->snap, a->client, a->roster, &so, why,
                                sizeof(why))) != 0)
        return cli_error(cli_exit_from_error(rc), "%s", why);
    if ((rc = gcp_plan_build_roster(&a->plan, a->roster, a->snap,
                                    &a->setup.opts)) != 0)
        return cli_error(cli_exit_from_error(rc), "planning failed: %s",
                         gcp_error_name(rc));
    return cli_plan_check_names(a->plan, a->snap, a->roster, a->path,
                                a->skip_invalid);
}

/* The run's plan options as JSON text for the journal (free()), or NULL. */
static char *apply_options_json(const struct apply_run *a)
{
    const gcp_plan_options *o = &a->setup.opts;
    json_t *seats = json_object();
    json_t *doc;
    char *text;

    for (size_t i = 0; seats != NULL && i < o->budget_count; i++)
        json_object_set_new(seats, o->budgets[i].license_id,
                            json_integer((json_int_t)o->budgets[i].seats));
    /* "o" steals `seats`; "s?" writes null for the default authority. */
    doc = json_pack("{s:s?, s:b, s:b, s:o}", "keyAuthority", o->key_authority,
                    "releaseLicenses", o->release_licenses, "strictSeats",
                    o->strict_seats, "seats", seats);
    text = doc != NULL ? json_dumps(doc, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(doc);
    return text;
}

static int apply_begin(struct apply_run *a, const char *path)
{
    gcp_journal_run_info info = GCP_JOURNAL_RUN_INFO_INIT;
    char *options = apply_options_json(a);
    int failed;

    if (options == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    info.command = "apply";
    info.client_id = a->s->conn.client_id;
    info.api_host = a->s->conn.api_url;
    info.roster_path = path;
    info.options_json = options;
    failed = gcp_journal_run_begin(&a->run, a->journal, &info) != 0 ||
             gcp_apply__reconcile(a->journal, a->run, a->plan) != 0;
    free(options);
    if (failed)
        return cli_error(CLI_EXIT_LOCAL, "%s", gcp_journal_message(a->journal));
    return 0;
}

/* The journal's hooks, with the progress counted and drawn. */
struct apply_watch {
    struct gcp_apply state;
    struct gcp_progress_track track;
    struct cli_progress line;
};

static int apply_send(struct gcp_batch_reply *out,
                      const struct gcp_batch_request *req, const char *path,
                      json_t *body, void *payload)
{
    return gcp_apply__send(out, req, path, body,
                           &((struct apply_watch *)payload)->state);
}

static int apply_before(const struct gcp_batch_request *req, void *payload)
{
    return gcp_apply__before(req, &((struct apply_watch *)payload)->state);
}

static int apply_after(const struct gcp_batch_request *req, size_t change,
                       int code, const char *user_id,
                       const struct gcp_batch_reply *reply, void *payload)
{
    struct apply_watch *w = payload;

    gcp_progress__change(&w->track, req->changes[change].entry, code);
    return gcp_apply__after(req, change, code, user_id, reply, &w->state);
}

/* Carries out the plan; returns the exit status. */
static int apply_execute(struct apply_run *a, struct gcp_batch_run_stats *st)
{
    struct apply_watch w = {.state = {.journal = a->journal,
                                      .run = a->run,
                                      .plan = a->plan,
                                      .sender = {.client = a->client}}};
    struct gcp_batch_hooks hooks = {apply_send, apply_before, apply_after, &w};
    gcp_plan_counts c;
    int rc;

    cli_progress_begin(&w.line, a->common);
    if ((rc = gcp_batch__build(&a->batch, a->plan, NULL)) != 0 ||
        gcp_progress__begin(&w.track, a->batch, a->client,
                            w.line.on ? cli_progress_report : NULL,
                            &w.line) != 0)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    rc = gcp_batch__run(st, a->batch, a->plan, &hooks);
    gcp_progress__end(&w.track);
    cli_progress_end(&w.line);
    gcp_apply__clear(&w.state);
    if (rc == GCP_EBUDGET)
        return cli_error(CLI_EXIT_FAILED,
                         "stopped: the run's retry budget is spent after "
                         "repeated failures of the tenant; nothing more was "
                         "sent; run apply again once it answers");
    if (rc != 0 || gcp_apply__pending(a->journal, a->run, a->plan) != 0)
        return cli_error(CLI_EXIT_LOCAL, "%s", gcp_journal_message(a->journal));
    gcp_plan_counts_get(&c, a->plan);
    /* A conflict is left alone, so the tenant does not match the roster. */
    if (st->failed > 0 || c.conflict > 0)
        return CLI_EXIT_FAILED;
    return c.held > 0 ? CLI_EXIT_HELD : CLI_EXIT_OK;
}

static const char *apply_outcome(int status)
{
    switch (status) {
    case CLI_EXIT_OK:
        return "converged";
    case CLI_EXIT_FAILED:
        return "failed";
    case CLI_EXIT_HELD:
        return "held";
    default:
        return "stopped";
    }
}

static void apply_report(const struct apply_run *a,
                         const struct gcp_batch_run_stats *st)
{
    char *text = a->common->json
                     ? cli_plan_json(a->plan, a->s->plan.sandbox, st)
                     : gcp_plan_to_text(a->plan, a->s->plan.details);

    if (text != NULL)
        fputs(text, stdout);
    free(text);
    if (a->common->json)
        fputc('\n', stdout);
    else
        printf("applied: %zu requests, %zu changes done, %zu failed, "
               "%zu requests skipped\n",
               st->sent, st->done, st->failed, st->skipped);
    if (a->s->plan.sandbox && !a->common->json)
        printf("%s\n", CLI_EMBEDDED_NOTE);
}

/*
 * With --sandbox and no --journal, a journal in a fresh folder that
 * apply_release removes: the demo org lives no longer than the run, so
 * its journal must not either.
 */
static int apply_journal(struct apply_run *a, const char *host)
{
    struct cli_journal_opts opts = a->s->journal;
    const char *tmp = getenv("TMPDIR");
    char path[4096];

    if (!a->s->plan.sandbox || opts.path != NULL)
        return cli_journal_open_writer(&a->journal, &opts, host);
    snprintf(path, sizeof(path), "%s/gcprov-sandbox.XXXXXX",
             tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
    if ((a->scratch = strdup(path)) == NULL || mkdtemp(a->scratch) == NULL)
        return cli_error(CLI_EXIT_LOCAL, "cannot make a folder in '%s'",
                         tmp != NULL ? tmp : "/tmp");
    snprintf(path, sizeof(path), "%s/journal.db", a->scratch);
    opts.path = path;
    return cli_journal_open_writer(&a->journal, &opts, host);
}

static int apply_steps(struct apply_run *a, const char *path)
{
    struct gcp_batch_run_stats st = {0};
    const char *host =
        a->s->conn.api_url != NULL ? a->s->conn.api_url : a->s->conn.region;
    int status;

    if ((status = cli_plan_connect(&a->client, &a->sandbox, &a->s->plan,
                                   &a->s->conn)) != 0 ||
        (status = apply_journal(a, host)) != 0 ||
        (status = apply_pending(a)) != 0 || (status = apply_plan(a)) != 0 ||
        (status = apply_begin(a, path)) != 0)
        return status;
    if (gcp_plan_refused(a->plan))
        status = cli_error(CLI_EXIT_HELD,
                           "--strict-seats: people would be held back for "
                           "seats; nothing was changed");
    else
        status = apply_execute(a, &st);
    apply_report(a, &st);
    if (gcp_journal_run_end(a->journal, a->run, apply_outcome(status),
                            status) != 0 ||
        gcp_journal_close(a->journal) != 0)
        status =
            cli_error(CLI_EXIT_LOCAL, "%s", gcp_journal_message(a->journal));
    return status;
}

static int scratch_remove(const char *path, const struct stat *st, int flag,
                          struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void apply_release(struct apply_run *a)
{
    for (size_t i = 0; a->pending != NULL && i < a->setup.opts.pending_count;
         i++)
        free((char *)a->pending[i]);
    free(a->pending);
    gcp_batch__free(a->batch);
    gcp_plan_free(a->plan);
    gcp_snapshot_free(a->snap);
    gcp_journal_free(a->journal);
    cli_embedded_close(a->sandbox, a->client);
    if (a->scratch != NULL)
        nftw(a->scratch, scratch_remove, 8, FTW_DEPTH | FTW_PHYS);
    free(a->scratch);
    gcp_roster_free(a->roster);
}

static int run_apply(const struct cli_common *common, void *settings, int argc,
                     char **argv)
{
    struct apply_run a = {.s = settings, .common = common};
    struct cli_roster_setup rs;
    int status;

    memset(&rs, 0, sizeof(rs));
    if (argc != 1)
        status = cli_usage_error(&cli_cmd_apply, "apply needs one roster");
    else if ((status = cli_plan_setup(&cli_cmd_apply, &a.s->plan, &a.setup)) ==
                 0 &&
             (status = cli_roster_setup(&cli_cmd_apply, &a.s->roster, &rs)) ==
                 0 &&
             (status = cli_plan_read_roster(&a.roster, argv[0], &rs)) == 0) {
        a.path = argv[0];
        a.skip_invalid = rs.opts.skip_invalid;
        status = apply_steps(&a, argv[0]);
    }
    apply_release(&a);
    cli_roster_setup_release(&rs);
    return status;
}

const struct cli_command cli_cmd_apply = {
    .name = "apply",
    .operands = "ROSTER",
    .summary = "make the tenant match the roster, additively",
    .details =
        "Plans as `gcprov plan` does, then carries the plan out: leavers,\n"
        "existing people, joiners, roles and licenses, in batches, every\n"
        "change journalled before and after. Never removes a role, and a\n"
        "license only from leavers under --release-licenses. Exits 0 when\n"
        "all converged, 1 when some changes failed, 2 for an invalid\n"
        "roster, 3 when refused access, 4 when people wait for seats, 5\n"
        "for a local failure. A progress line shows on standard error\n"
        "when it is a terminal. --sandbox applies to a throwaway in-memory\n"
        "demo org, with a throwaway journal unless --journal is given.\n"
        "docs/plan.md describes every rule.",
    .groups = apply_groups,
    .settings_size = sizeof(struct apply_settings),
    .json_output = 1,
    .run = run_apply,
};

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

#include "commands.h"
#include "connect.h"
#include "embedded.h"
#include "exit.h"
#include "gcprov/plan.h"
#include "journal_opts.h"
#include "msg.h"
#include "plan_opts.h"
#include "progress.h"

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
    struct cli_plan_setup setup;
    char **pending; /* the journal's queue, served first */
    gcp_apply_result result;
    const char *path; /* the roster file, for messages */
    int skip_invalid; /* --skip-invalid: provision the valid people */
};

/* Serves the journal's queue first: its keys, in queue order. */
static int apply_pending(struct apply_run *a)
{
    size_t n = 0;
    int rc = gcp_apply_pending_keys(&a->pending, &n, a->journal);

    if (rc == GCP_ENOMEM)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    if (rc != 0)
        return cli_error(CLI_EXIT_LOCAL, "%s", gcp_journal_message(a->journal));
    a->setup.opts.pending_first = (const char *const *)a->pending;
    a->setup.opts.pending_count = n;
    return 0;
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

/* The exit status for how the run went, after saying why it failed. */
static int apply_status(const struct apply_run *a, int rc)
{
    if (rc == GCP_EBUDGET)
        return cli_error(CLI_EXIT_FAILED,
                         "stopped: the run's retry budget is spent after "
                         "repeated failures of the tenant; nothing more was "
                         "sent; run apply again once it answers");
    if (rc == GCP_ENOMEM)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    if (rc != 0)
        return cli_error(CLI_EXIT_LOCAL, "%s", gcp_journal_message(a->journal));
    if (a->result.outcome == GCP_APPLY_REFUSED)
        return cli_error(CLI_EXIT_HELD,
                         "--strict-seats: people would be held back for "
                         "seats; nothing was changed");
    return a->result.exit_status;
}

/* Logs (at info, -v) how long the run took and its journal's share. */
static void apply_log_time(const gcp_apply_result *r)
{
    char line[160];

    if (cli_log_min_level() > GCP_LOG_INFO)
        return;
    snprintf(line, sizeof(line),
             "apply took %.3f s; the journal's writes %.3f s, of which "
             "%.3f s not overlapped by requests",
             r->seconds, r->journal_seconds, r->journal_wait_seconds);
    cli_log(GCP_LOG_INFO, line, NULL);
}

/* Carries out the plan through the library; returns the exit status. */
static int apply_execute(struct apply_run *a)
{
    gcp_apply_options o = GCP_APPLY_OPTIONS_INIT;
    struct cli_progress line;
    char *options = apply_options_json(a);
    int rc;

    if (options == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    cli_progress_begin(&line, a->common);
    o.roster_path = a->path;
    o.api_host = gcp_client_api_host(a->client);
    o.options_json = options;
    o.progress = line.on ? cli_progress_report : NULL;
    o.progress_payload = &line;
    rc = gcp_apply(&a->result, a->client, a->plan, a->journal, &o);
    cli_progress_end(&line);
    free(options);
    apply_log_time(&a->result);
    return apply_status(a, rc);
}

static void apply_report(const struct apply_run *a)
{
    const gcp_apply_result *st = &a->result;

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

static int apply_steps(struct apply_run *a)
{
    int status;

    /* The journal is named after the org's API host, however given. */
    if ((status = cli_plan_connect(&a->client, &a->sandbox, &a->s->plan,
                                   &a->s->conn)) != 0 ||
        (status = apply_journal(a, gcp_client_api_host(a->client))) != 0 ||
        (status = apply_pending(a)) != 0 || (status = apply_plan(a)) != 0)
        return status;
    status = apply_execute(a);
    apply_report(a);
    if (gcp_journal_close(a->journal) != 0)
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
    gcp_apply_pending_free(a->pending);
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
        status = apply_steps(&a);
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

/*
 * test_apply.c: gcp_apply(), the library's apply, through the public API
 * against the sandbox's demo org over loopback: a run converges and says
 * so in its result, its journal and its progress reports; a second run
 * sends nothing; a refused plan sends nothing; a tenant that fails every
 * request stops the run on the retry budget; bad arguments are refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gcprov.h"
#include "sandbox.h"

static const char roster_csv[] =
    "employee_id,name,email,roles,licenses\n"
    "T1,Tess One,tess.one@example.test,Agent,cloudCX3\n"
    "T2,Tom Two,tom.two@example.test,Agent;Supervisor,cloudCX3;wem\n"
    "T3,Tia Three,tia.three@example.test,Communicate User,communicate\n";

struct world {
    struct sbx *sandbox;
    gcp_client *client;
    gcp_journal *journal;
    gcp_roster *roster;
    gcp_snapshot *snapshot;
    gcp_plan *plan;
    char dir[64];
    char path[96];
    size_t reports;  /* progress callbacks */
    size_t last_end; /* changes ended at the last report */
    int backwards;   /* a report counted fewer ended changes */
};

static int world_setup(void **state)
{
    struct world *w = calloc(1, sizeof(*w));
    gcp_client_options co = GCP_CLIENT_OPTIONS_INIT;
    struct sbx_config cfg;
    struct gcp_err err;
    char why[256];

    assert_non_null(w);
    sbx_config_init(&cfg);
    cfg.faults.rate_limit = 0;
    cfg.faults.search_lag = 0;
    assert_int_equal(sbx_start(&w->sandbox, &cfg, &err), 0);
    co.api_url = sbx_url(w->sandbox);
    co.client_id = "gcprov-demo";
    co.secret = "gcprov-demo-secret";
    co.rate_per_minute = 600000;
    co.retry_budget = 50;
    co.backoff_base_ms = 1;
    co.backoff_cap_ms = 5;
    assert_int_equal(gcp_client_new(&w->client, &co, why, sizeof(why)), 0);
    snprintf(w->dir, sizeof(w->dir), "/tmp/gcprov-apply-XXXXXX");
    assert_non_null(mkdtemp(w->dir));
    snprintf(w->path, sizeof(w->path), "%s/journal.db", w->dir);
    assert_int_equal(gcp_journal_open(&w->journal, w->path, NULL), 0);
    assert_int_equal(gcp_roster_read_buffer(&w->roster, roster_csv,
                                            strlen(roster_csv), "roster.csv",
                                            NULL),
                     0);
    assert_true(gcp_roster_is_valid(w->roster));
    *state = w;
    return 0;
}

static int world_teardown(void **state)
{
    struct world *w = *state;
    char path[128];

    gcp_plan_free(w->plan);
    gcp_snapshot_free(w->snapshot);
    gcp_roster_free(w->roster);
    gcp_journal_free(w->journal);
    gcp_client_free(w->client);
    sbx_stop(w->sandbox, NULL);
    for (const char *const *ext =
             (const char *const[]){"", "-wal", "-shm", ".lock", NULL};
         *ext != NULL; ext++) {
        snprintf(path, sizeof(path), "%s%s", w->path, *ext);
        unlink(path);
    }
    rmdir(w->dir);
    free(w);
    return 0;
}

/* Reads the tenant and plans afresh, with `opts` (NULL: defaults). */
static void world_plan(struct world *w, const gcp_plan_options *opts)
{
    gcp_snapshot_options so = GCP_SNAPSHOT_OPTIONS_INIT;
    char why[256] = "";

    gcp_plan_free(w->plan);
    gcp_snapshot_free(w->snapshot);
    w->plan = NULL;
    so.journal = w->journal;
    if (gcp_snapshot_read(&w->snapshot, w->client, w->roster, &so, why,
                          sizeof(why)) != 0)
        fail_msg("%s", why);
    assert_int_equal(
        gcp_plan_build_roster(&w->plan, w->roster, w->snapshot, opts), 0);
}

static void on_progress(const gcp_progress *p, void *payload)
{
    struct world *w = payload;
    size_t ended = p->changes_done + p->changes_failed;

    w->reports++;
    w->backwards |= ended < w->last_end;
    w->last_end = ended;
}

/* The outcome and exit status the journal recorded for run `run`. */
static const gcp_journal_run_row *journal_run(struct world *w, int64_t run,
                                              gcp_journal_runs **list)
{
    assert_int_equal(gcp_journal_run_get(list, w->journal, run), 0);
    assert_int_equal(gcp_journal_runs_count(*list), 1);
    return gcp_journal_runs_get(*list, 0);
}

static void a_run_converges_and_reports_its_progress(void **state)
{
    struct world *w = *state;
    gcp_apply_options o = GCP_APPLY_OPTIONS_INIT;
    gcp_apply_result r;
    gcp_journal_runs *runs = NULL;
    const gcp_journal_run_row *row;

    world_plan(w, NULL);
    o.progress = on_progress;
    o.progress_payload = w;
    o.roster_path = "roster.csv";
    assert_int_equal(gcp_apply(&r, w->client, w->plan, w->journal, &o), 0);
    assert_int_equal(r.outcome, GCP_APPLY_CONVERGED);
    assert_int_equal(r.exit_status, 0);
    assert_int_equal(r.failed, 0);
    /* 3 creates, 3 external ids, a grant call per role, a license call. */
    assert_int_equal(r.sent, 3 + 3 + 3 + 1);
    /* Changes: 3 + 3 steps, 4 grants, 4 licenses. */
    assert_int_equal(r.done, 3 + 3 + 4 + 4);
    assert_true(r.seconds >= r.journal_seconds);
    assert_true(r.journal_seconds >= r.journal_wait_seconds);
    assert_true(r.journal_wait_seconds > 0);
    /* A report per change, never counting backwards, ending at all. */
    assert_int_equal(w->reports, r.done);
    assert_false(w->backwards);
    assert_int_equal(w->last_end, r.done);
    row = journal_run(w, r.run, &runs);
    assert_string_equal(row->outcome, "converged");
    assert_int_equal(row->exit_status, 0);
    assert_string_equal(row->command, "apply");
    assert_string_equal(row->client_id, "gcprov-demo");
    gcp_journal_runs_free(runs);

    /* Again: the tenant matches, nothing is sent. */
    world_plan(w, NULL);
    assert_int_equal(gcp_apply(&r, w->client, w->plan, w->journal, NULL), 0);
    assert_int_equal(r.outcome, GCP_APPLY_CONVERGED);
    assert_int_equal(r.sent, 0);
    assert_int_equal(r.run, 2);
}

static void a_refused_plan_sends_nothing(void **state)
{
    struct world *w = *state;
    gcp_plan_options po = GCP_PLAN_OPTIONS_INIT;
    gcp_seat_budget none = {"cloudCX3", 0};
    gcp_apply_result r;
    gcp_journal_runs *runs = NULL;
    const gcp_journal_run_row *row;

    po.budgets = &none;
    po.budget_count = 1;
    po.strict_seats = 1;
    world_plan(w, &po);
    assert_true(gcp_plan_refused(w->plan));
    assert_int_equal(gcp_apply(&r, w->client, w->plan, w->journal, NULL), 0);
    assert_int_equal(r.outcome, GCP_APPLY_REFUSED);
    assert_int_equal(r.exit_status, 4);
    assert_int_equal(r.sent, 0);
    row = journal_run(w, r.run, &runs);
    assert_string_equal(row->outcome, "refused");
    gcp_journal_runs_free(runs);
}

static void a_failing_tenant_stops_the_run_on_the_budget(void **state)
{
    struct world *w = *state;
    struct sbx_faults faults;
    gcp_apply_result r;
    gcp_journal_runs *runs = NULL;
    const gcp_journal_run_row *row;

    world_plan(w, NULL);
    sbx_faults_init(&faults);
    faults.rate_limit = 0;
    faults.fail_rate = 1.0; /* every request: 503 */
    sbx_set_faults(w->sandbox, &faults);
    assert_int_equal(gcp_apply(&r, w->client, w->plan, w->journal, NULL),
                     GCP_EBUDGET);
    assert_int_equal(r.outcome, GCP_APPLY_STOPPED);
    assert_int_equal(r.exit_status, 1);
    assert_int_equal(r.done, 0);
    /* The first wave (the creates) went out; nothing after it. */
    assert_int_equal(r.sent, 3);
    row = journal_run(w, r.run, &runs);
    assert_string_equal(row->outcome, "stopped");
    gcp_journal_runs_free(runs);
}

static void bad_arguments_are_refused(void **state)
{
    struct world *w = *state;
    gcp_apply_options o = GCP_APPLY_OPTIONS_INIT;
    gcp_apply_result r;

    world_plan(w, NULL);
    assert_int_equal(gcp_apply(&r, NULL, w->plan, w->journal, NULL),
                     GCP_EINVALID);
    assert_int_equal(gcp_apply(&r, w->client, NULL, w->journal, NULL),
                     GCP_EINVALID);
    assert_int_equal(gcp_apply(&r, w->client, w->plan, NULL, NULL),
                     GCP_EINVALID);
    o.version = GCP_APPLY_OPTIONS_VERSION + 1;
    assert_int_equal(gcp_apply(&r, w->client, w->plan, w->journal, &o),
                     GCP_EINVALID);
    assert_string_equal(gcp_apply_outcome_name(GCP_APPLY_HELD), "held");
}

#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, world_setup, world_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(a_run_converges_and_reports_its_progress),
        T(a_refused_plan_sends_nothing),
        T(a_failing_tenant_stops_the_run_on_the_budget),
        T(bad_arguments_are_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

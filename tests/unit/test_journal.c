/*
 * test_journal.c: the journal's contract: schema and migrations, owner-only
 * files, the writer's lock, steps left open by a crash, the pending queue,
 * what a report reads back, and disk failures reported as GCP_EIO naming
 * the file. Each test gets a fresh folder with a journal path inside a
 * folder that does not exist yet.
 */
#define _GNU_SOURCE /* for memmem */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftw.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "gcprov/journal.h"
#include "journal_int.h"

struct fixture {
    char dir[64];
    char path[128]; /* dir/state/org.db */
};

static int fixture_setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    if (f == NULL)
        return -1;
    snprintf(f->dir, sizeof(f->dir), "/tmp/gcprov-journal-XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/state/org.db", f->dir);
    *state = f;
    return 0;
}

static int remove_entry(const char *path, const struct stat *st, int type,
                        struct FTW *ftw)
{
    return remove(path);
}

static int fixture_teardown(void **state)
{
    struct fixture *f = *state;

    nftw(f->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(f);
    return 0;
}

/* Opens the fixture's journal for writing; the test fails if it can't. */
static gcp_journal *open_writer(const struct fixture *f)
{
    gcp_journal *j = NULL;
    int rc = gcp_journal_open(&j, f->path, NULL);

    if (rc != 0)
        fail_msg("open failed: %s", gcp_journal_message(j));
    return j;
}

static gcp_journal *open_reader(const struct fixture *f)
{
    gcp_journal_options opts = GCP_JOURNAL_OPTIONS_INIT;
    gcp_journal *j = NULL;

    opts.read_only = 1;
    if (gcp_journal_open(&j, f->path, &opts) != 0)
        fail_msg("read-only open failed: %s", gcp_journal_message(j));
    return j;
}

static int64_t begin_run(gcp_journal *j)
{
    gcp_journal_run_info info = GCP_JOURNAL_RUN_INFO_INIT;
    int64_t run = 0;

    info.command = "apply";
    info.client_id = "client-1";
    info.api_host = "api.example.test";
    info.roster_path = "-";
    info.options_json = "{\"dry_run\": false}";
    assert_int_equal(gcp_journal_run_begin(&run, j, &info), 0);
    return run;
}

/* Records one intent and returns its step id. */
static int64_t intent(gcp_journal *j, int64_t run, const char *key,
                      gcp_journal_step step, const char *target)
{
    gcp_journal_intent in = GCP_JOURNAL_INTENT_INIT;
    int64_t id = 0;

    in.person_key = key;
    in.step = step;
    in.target = target;
    assert_int_equal(gcp_journal_intents(&id, j, run, &in, 1), 0);
    return id;
}

static void result(gcp_journal *j, int64_t step, gcp_journal_state state,
                   const char *user_id, int http)
{
    gcp_journal_result r = GCP_JOURNAL_RESULT_INIT;

    r.state = state;
    r.user_id = user_id;
    r.http_status = http;
    r.correlation_id = "corr-1";
    if (state == GCP_STATE_FAILED) {
        r.error_code = "general.conflict";
        r.message = "seat limit reached";
    }
    assert_int_equal(gcp_journal_results(j, &step, &r, 1), 0);
}

static int query_int(gcp_journal *j, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int value = -1;

    assert_int_equal(sqlite3_prepare_v2(j->db, sql, -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW)
        value = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return value;
}

static mode_t mode_of(const char *path)
{
    struct stat st;

    if (stat(path, &st) != 0)
        fail_msg("no file '%s'", path);
    return st.st_mode & 0777;
}

/* -------------------------------------------------------------- schema */

static void a_new_journal_has_the_current_schema(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);

    assert_int_equal(query_int(j, "PRAGMA user_version"),
                     gcp_journal_schema_version());
    assert_int_equal(query_int(j, "SELECT count(*) FROM sqlite_master WHERE"
                                  " name IN ('runs', 'steps', 'pending',"
                                  " 'known_users')"),
                     4);
    assert_int_equal(query_int(j, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(query_int(j, "SELECT journal_mode = 'wal' FROM"
                                  " pragma_journal_mode"),
                     1);
    assert_int_equal(gcp_journal_close(j), 0);
    gcp_journal_free(j);
}

static void a_writer_may_trade_power_loss_safety_for_speed(void **state)
{
    struct fixture *f = *state;
    gcp_journal_options opts = GCP_JOURNAL_OPTIONS_INIT;
    gcp_journal *j = NULL;

    opts.sync = GCP_JOURNAL_SYNC_NORMAL;
    assert_int_equal(gcp_journal_open(&j, f->path, &opts), 0);
    assert_int_equal(query_int(j, "PRAGMA synchronous"), 1); /* NORMAL */
    gcp_journal_free(j);
}

static void an_older_journal_is_migrated_and_keeps_its_rows(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j;
    gcp_journal_steps *steps = NULL;
    sqlite3 *db = NULL;

    /* A journal as the first schema left it, with one run and step. */
    snprintf(f->path, sizeof(f->path), "%s/old.db", f->dir);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(gcp_journal__migrate(db, 1), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(db,
                     "INSERT INTO runs (command, started_ms, pid, host)"
                     " VALUES ('apply', 1, 1, 'h');"
                     "INSERT INTO steps (run_id, person_key, step, state,"
                     " intent_ms) VALUES (1, 'e1', 'create', 'done', 1);",
                     NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);

    j = open_writer(f);
    assert_int_equal(query_int(j, "PRAGMA user_version"),
                     gcp_journal_schema_version());
    assert_int_equal(gcp_journal_run_steps(&steps, j, 1), 0);
    assert_int_equal(gcp_journal_steps_count(steps), 1);
    assert_string_equal(gcp_journal_steps_get(steps, 0)->person_key, "e1");
    assert_int_equal(gcp_journal_steps_get(steps, 0)->reconciled_run, 0);
    assert_int_equal(
        gcp_journal_pending_add(j, 1, "e1", NULL, GCP_PENDING_BUDGET, NULL), 0);
    gcp_journal_steps_free(steps);
    gcp_journal_free(j);
}

/* A journal at schema 2, before the step 'move', with rows in every table. */
static void make_schema_2_journal(struct fixture *f)
{
    sqlite3 *db = NULL;

    snprintf(f->path, sizeof(f->path), "%s/v2.db", f->dir);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(gcp_journal__migrate(db, 2), SQLITE_OK);
    assert_int_equal(
        sqlite3_exec(
            db,
            "INSERT INTO runs (command, started_ms, pid, host)"
            " VALUES ('apply', 1, 1, 'h'), ('apply', 2, 1, 'h');"
            "INSERT INTO steps (id, run_id, person_key, step, target, scope,"
            " state, http_status, intent_ms, result_ms, reconciled_run,"
            " reconciled_ms) VALUES (5, 1, 'e1', 'grant', 'r-1', 'd-1',"
            " 'done', 200, 10, 11, 2, 12);"
            "INSERT INTO steps (id, run_id, person_key, step, target, state,"
            " intent_ms) VALUES (9, 2, 'e2', 'create', 'b@x', 'unknown', 20);"
            "INSERT INTO pending (person_key, license_id, reason, queued_ms,"
            " updated_ms) VALUES ('e3', 'cx3', 'budget', 1, 1);"
            "INSERT INTO known_users (person_key, user_id, learned_ms)"
            " VALUES ('e1', 'u-1', 1);",
            NULL, NULL, NULL),
        SQLITE_OK);
    /* Schema 2 refuses the new step: that is what migration 3 changes. */
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO steps (run_id, person_key,"
                                      " step, intent_ms) VALUES (1, 'e1',"
                                      " 'move', 1)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

static void
a_schema_2_journal_learns_the_move_step_and_keeps_its_rows(void **state)
{
    struct fixture *f = *state;
    gcp_journal_steps *steps = NULL;
    const gcp_journal_step_row *row;
    gcp_journal *j;

    make_schema_2_journal(f);
    j = open_writer(f);
    assert_int_equal(query_int(j, "PRAGMA user_version"),
                     gcp_journal_schema_version());
    assert_int_equal(query_int(j, "SELECT count(*) FROM steps"), 2);
    assert_int_equal(query_int(j, "SELECT count(*) FROM sqlite_master WHERE"
                                  " tbl_name = 'steps' AND type = 'index' AND"
                                  " name IN ('steps_by_run',"
                                  " 'steps_by_person', 'steps_unresolved')"),
                     3);
    assert_int_equal(query_int(j, "SELECT count(*) FROM sqlite_master WHERE"
                                  " name = 'steps_v3'"),
                     0);
    assert_int_equal(query_int(j, "SELECT count(*) FROM pending"), 1);
    assert_int_equal(query_int(j, "SELECT count(*) FROM known_users"), 1);
    assert_int_equal(query_int(j, "SELECT count(*) FROM"
                                  " pragma_foreign_key_check"),
                     0);

    /* Every column of the old rows, ids included, is still there. */
    assert_int_equal(gcp_journal_run_steps(&steps, j, 1), 0);
    assert_int_equal(gcp_journal_steps_count(steps), 1);
    row = gcp_journal_steps_get(steps, 0);
    assert_int_equal(row->id, 5);
    assert_int_equal(row->step, GCP_STEP_GRANT);
    assert_string_equal(row->scope, "d-1");
    assert_int_equal(row->state, GCP_STATE_DONE);
    assert_int_equal(row->http_status, 200);
    assert_int_equal(row->result_ms, 11);
    assert_int_equal(row->reconciled_run, 2);
    gcp_journal_steps_free(steps);
    assert_int_equal(gcp_journal_unresolved(&steps, j), 0);
    assert_int_equal(gcp_journal_steps_count(steps), 1);
    assert_int_equal(gcp_journal_steps_get(steps, 0)->id, 9);
    gcp_journal_steps_free(steps);

    /* The new step is recorded and read back, after the old ids. */
    assert_true(intent(j, 2, "e1", GCP_STEP_MOVE, "d-2") > 9);
    assert_int_equal(gcp_journal_run_steps(&steps, j, 2), 0);
    assert_int_equal(gcp_journal_steps_count(steps), 2);
    row = gcp_journal_steps_get(steps, 0); /* by person: e1 first */
    assert_int_equal(row->step, GCP_STEP_MOVE);
    assert_string_equal(row->target, "d-2");
    gcp_journal_steps_free(steps);
    gcp_journal_free(j);
}

static void an_older_journal_opened_read_only_is_left_alone(void **state)
{
    struct fixture *f = *state;
    gcp_journal_options opts = GCP_JOURNAL_OPTIONS_INIT;
    gcp_journal *j = NULL;
    sqlite3 *db = NULL;

    snprintf(f->path, sizeof(f->path), "%s/old.db", f->dir);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(gcp_journal__migrate(db, 1), SQLITE_OK);
    sqlite3_close(db);
    opts.read_only = 1;
    assert_int_equal(gcp_journal_open(&j, f->path, &opts), GCP_EUNSUPPORTED);
    assert_non_null(strstr(gcp_journal_message(j), "older schema 1"));
    gcp_journal_free(j);
}

static void a_journal_from_a_newer_gcprov_is_refused(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);

    assert_int_equal(
        sqlite3_exec(j->db, "PRAGMA user_version = 99", NULL, NULL, NULL),
        SQLITE_OK);
    gcp_journal_free(j);
    assert_int_equal(gcp_journal_open(&j, f->path, NULL), GCP_EUNSUPPORTED);
    assert_non_null(strstr(gcp_journal_message(j), "schema 99"));
    gcp_journal_free(j);
}

/* --------------------------------------------------------------- modes */

static void every_journal_file_is_owner_only_whatever_the_umask(void **state)
{
    struct fixture *f = *state;
    mode_t old = umask(0);
    char name[160];
    gcp_journal *j = open_writer(f);

    begin_run(j); /* a write, so that -wal and -shm exist */
    umask(old);
    snprintf(name, sizeof(name), "%s/state", f->dir);
    assert_int_equal(mode_of(name), 0700);
    assert_int_equal(mode_of(f->path), 0600);
    snprintf(name, sizeof(name), "%s-wal", f->path);
    assert_int_equal(mode_of(name), 0600);
    snprintf(name, sizeof(name), "%s-shm", f->path);
    assert_int_equal(mode_of(name), 0600);
    snprintf(name, sizeof(name), "%s.lock", f->path);
    assert_int_equal(mode_of(name), 0600);
    gcp_journal_free(j);
}

static void an_existing_journal_readable_by_others_is_narrowed(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);

    gcp_journal_free(j);
    assert_int_equal(chmod(f->path, 0644), 0);
    j = open_writer(f);
    assert_int_equal(mode_of(f->path), 0600);
    gcp_journal_free(j);
}

/* ---------------------------------------------------------------- lock */

/*
 * Forks a child that opens the journal for writing, says so on a pipe and
 * holds it until the parent writes to the other pipe. Returns its pid.
 */
static pid_t spawn_holder(const struct fixture *f, int *release_fd)
{
    int ready[2];
    int release[2];
    char byte = 0;
    pid_t pid;

    assert_int_equal(pipe(ready), 0);
    assert_int_equal(pipe(release), 0);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        gcp_journal *j = NULL;
        int rc = gcp_journal_open(&j, f->path, NULL);

        byte = rc == 0 ? 'y' : 'n';
        if (write(ready[1], &byte, 1) != 1 || read(release[0], &byte, 1) < 0)
            _exit(2);
        gcp_journal_free(j);
        _exit(0);
    }
    close(ready[1]);
    close(release[0]);
    assert_int_equal(read(ready[0], &byte, 1), 1);
    assert_int_equal(byte, 'y');
    close(ready[0]);
    *release_fd = release[1];
    return pid;
}

static void a_second_writer_fails_at_once_naming_the_holder(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = NULL;
    int release_fd;
    pid_t pid = spawn_holder(f, &release_fd);
    char expect[64];
    int status;

    snprintf(expect, sizeof(expect), "pid %ld on host '", (long)pid);
    assert_int_equal(gcp_journal_open(&j, f->path, NULL), GCP_EBUSY);
    assert_non_null(strstr(gcp_journal_message(j), expect));
    assert_non_null(strstr(gcp_journal_message(j), f->path));
    assert_non_null(strstr(gcp_journal_message(j), "started 20"));
    gcp_journal_free(j);

    /* A reader needs no lock. */
    gcp_journal_free(open_reader(f));

    assert_int_equal(write(release_fd, "x", 1), 1);
    close(release_fd);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 0);
    gcp_journal_free(open_writer(f));
}

static void a_second_writer_in_the_same_process_is_refused_too(void **state)
{
    struct fixture *f = *state;
    gcp_journal *first = open_writer(f);
    gcp_journal *second = NULL;

    assert_int_equal(gcp_journal_open(&second, f->path, NULL), GCP_EBUSY);
    gcp_journal_free(second);
    gcp_journal_free(first);
    gcp_journal_free(open_writer(f));
}

static void a_killed_writer_leaves_no_stale_lock(void **state)
{
    struct fixture *f = *state;
    int release_fd;
    pid_t pid = spawn_holder(f, &release_fd);
    int status;

    kill(pid, SIGKILL);
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(release_fd);
    gcp_journal_free(open_writer(f));
}

/* --------------------------------------------------------------- steps */

static void an_intent_without_a_result_is_found_after_a_crash(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    gcp_journal_steps *open = NULL;
    const gcp_journal_step_row *row;
    pid_t pid;
    int status;
    int64_t run;

    gcp_journal_free(j);
    pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* The child dies between the request and its result. */
        gcp_journal *c = NULL;
        gcp_journal_intent in[2] = {GCP_JOURNAL_INTENT_INIT,
                                    GCP_JOURNAL_INTENT_INIT};
        gcp_journal_result done = GCP_JOURNAL_RESULT_INIT;
        int64_t ids[2];
        int64_t r = 0;
        gcp_journal_run_info info = GCP_JOURNAL_RUN_INFO_INIT;

        info.command = "apply";
        in[0].person_key = "e1";
        in[0].step = GCP_STEP_CREATE;
        in[0].target = "e1@example.test";
        in[1].person_key = "e2";
        in[1].step = GCP_STEP_GRANT;
        in[1].user_id = "u2";
        in[1].target = "role-1";
        in[1].scope = "div-1";
        done.user_id = "u2";
        if (gcp_journal_open(&c, f->path, NULL) != 0 ||
            gcp_journal_run_begin(&r, c, &info) != 0 ||
            gcp_journal_intents(ids, c, r, in, 2) != 0 ||
            gcp_journal_results(c, &ids[1], &done, 1) != 0)
            _exit(1);
        _exit(0);
    }
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_int_equal(WEXITSTATUS(status), 0);

    j = open_writer(f);
    run = begin_run(j);
    assert_int_equal(gcp_journal_unresolved(&open, j), 0);
    assert_int_equal(gcp_journal_steps_count(open), 1);
    row = gcp_journal_steps_get(open, 0);
    assert_string_equal(row->person_key, "e1");
    assert_int_equal(row->step, GCP_STEP_CREATE);
    assert_string_equal(row->target, "e1@example.test");
    assert_int_equal(row->state, GCP_STATE_OPEN);
    assert_int_equal(row->result_ms, 0);

    /* The tenant shows the create happened: the step is done. */
    assert_int_equal(gcp_journal_reconcile(j, row->id, run, 1, "u1"), 0);
    assert_int_equal(gcp_journal_reconcile(j, row->id, run, 1, "u1"),
                     GCP_ENOTFOUND);
    gcp_journal_steps_free(open);
    assert_int_equal(gcp_journal_unresolved(&open, j), 0);
    assert_int_equal(gcp_journal_steps_count(open), 0);
    gcp_journal_steps_free(open);
    assert_int_equal(query_int(j, "SELECT reconciled_run FROM steps WHERE"
                                  " person_key = 'e1'"),
                     (int)run);
    gcp_journal_free(j);
}

static void a_step_the_tenant_never_saw_becomes_absent(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    int64_t run = begin_run(j);
    int64_t id = intent(j, run, "e1", GCP_STEP_LICENSE, "lic-1");
    gcp_journal_result unknown = GCP_JOURNAL_RESULT_INIT;
    gcp_journal_steps *open = NULL;
    char *user = NULL;

    unknown.state = GCP_STATE_UNKNOWN;
    unknown.message = "timed out after sending";
    assert_int_equal(gcp_journal_results(j, &id, &unknown, 1), 0);
    assert_int_equal(gcp_journal_unresolved(&open, j), 0);
    assert_int_equal(gcp_journal_steps_count(open), 1);
    assert_int_equal(gcp_journal_steps_get(open, 0)->state, GCP_STATE_UNKNOWN);
    gcp_journal_steps_free(open);
    assert_int_equal(gcp_journal_reconcile(j, id, run, 0, NULL), 0);
    assert_int_equal(query_int(j, "SELECT state = 'absent' FROM steps"), 1);
    assert_int_equal(gcp_journal_known_user_get(&user, j, "e1"), GCP_ENOTFOUND);
    gcp_journal_free(j);
}

static void a_result_records_the_answer_and_learns_the_user(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    int64_t run = begin_run(j);
    int64_t create = intent(j, run, "e1", GCP_STEP_CREATE, "e1@x.test");
    int64_t license = intent(j, run, "e1", GCP_STEP_LICENSE, "lic-1");
    gcp_journal_steps *steps = NULL;
    const gcp_journal_step_row *row;
    char *user = NULL;

    int64_t extid;

    result(j, create, GCP_STATE_DONE, "user-1", 200);
    result(j, license, GCP_STATE_FAILED, NULL, 409);
    /* Created, but not yet carrying the key: no link. */
    assert_int_equal(gcp_journal_known_user_get(&user, j, "e1"), GCP_ENOTFOUND);
    extid = intent(j, run, "e1", GCP_STEP_EXTERNALID, "e1");
    result(j, extid, GCP_STATE_DONE, "user-1", 200);
    assert_int_equal(gcp_journal_known_user_get(&user, j, "e1"), 0);
    assert_string_equal(user, "user-1");
    free(user);

    assert_int_equal(gcp_journal_run_steps(&steps, j, run), 0);
    assert_int_equal(gcp_journal_steps_count(steps), 3);
    row = gcp_journal_steps_get(steps, 1);
    assert_int_equal(row->step, GCP_STEP_LICENSE);
    assert_int_equal(row->state, GCP_STATE_FAILED);
    assert_int_equal(row->http_status, 409);
    assert_string_equal(row->error_code, "general.conflict");
    assert_string_equal(row->message, "seat limit reached");
    assert_string_equal(row->correlation_id, "corr-1");
    assert_true(row->result_ms >= row->intent_ms && row->intent_ms > 0);
    gcp_journal_steps_free(steps);
    gcp_journal_free(j);
}

/* A grant to four people: the same answer for three, another for one. */
static void results_alike_are_recorded_each_on_its_own_step(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    int64_t run = begin_run(j);
    gcp_journal_intent in[4] = {
        GCP_JOURNAL_INTENT_INIT, GCP_JOURNAL_INTENT_INIT,
        GCP_JOURNAL_INTENT_INIT, GCP_JOURNAL_INTENT_INIT};
    gcp_journal_result r[4] = {GCP_JOURNAL_RESULT_INIT, GCP_JOURNAL_RESULT_INIT,
                               GCP_JOURNAL_RESULT_INIT,
                               GCP_JOURNAL_RESULT_INIT};
    const char *keys[4] = {"e1", "e2", "e3", "e4"};
    const char *users[4] = {"u1", "u2", "u3", "u4"};
    gcp_journal_steps *steps = NULL;
    int64_t ids[4];

    for (size_t i = 0; i < 4; i++) {
        in[i].person_key = keys[i];
        in[i].step = GCP_STEP_GRANT;
        in[i].user_id = users[i];
        in[i].target = "role-1";
        r[i].http_status = 200;
        r[i].correlation_id = "corr-g";
    }
    r[2].state = GCP_STATE_FAILED;
    r[2].http_status = 404;
    assert_int_equal(gcp_journal_intents(ids, j, run, in, 4), 0);
    assert_int_equal(gcp_journal_results(j, ids, r, 4), 0);
    assert_int_equal(gcp_journal_run_steps(&steps, j, run), 0);
    assert_int_equal(gcp_journal_steps_count(steps), 4);
    for (size_t i = 0; i < 4; i++) {
        const gcp_journal_step_row *row = gcp_journal_steps_get(steps, i);

        assert_string_equal(row->person_key, keys[i]);
        assert_string_equal(row->user_id, users[i]); /* the intent's kept */
        assert_int_equal(row->state,
                         i == 2 ? GCP_STATE_FAILED : GCP_STATE_DONE);
        assert_int_equal(row->http_status, i == 2 ? 404 : 200);
        assert_string_equal(row->correlation_id, "corr-g");
    }
    gcp_journal_steps_free(steps);
    /* A result for steps that do not all exist writes none of them. */
    ids[1] = ids[0] + 100;
    assert_int_equal(gcp_journal_results(j, ids, r, 2), GCP_ENOTFOUND);
    gcp_journal_free(j);
}

static void a_bad_intent_in_a_batch_records_none_of_it(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    int64_t run = begin_run(j);
    gcp_journal_intent in[2] = {GCP_JOURNAL_INTENT_INIT,
                                GCP_JOURNAL_INTENT_INIT};
    int64_t ids[2];
    int64_t missing = 12345;
    gcp_journal_result r = GCP_JOURNAL_RESULT_INIT;

    in[0].person_key = "e1";
    in[1].person_key = NULL;
    assert_int_equal(gcp_journal_intents(ids, j, run, in, 2), GCP_EINVALID);
    in[1].person_key = "e2";
    in[1].step = (gcp_journal_step)42;
    assert_int_equal(gcp_journal_intents(ids, j, run, in, 2), GCP_EINVALID);
    assert_int_equal(gcp_journal_intents(ids, j, 999, in, 1), GCP_EINVALID);
    assert_int_equal(query_int(j, "SELECT count(*) FROM steps"), 0);
    assert_int_equal(gcp_journal_results(j, &missing, &r, 1), GCP_ENOTFOUND);
    r.state = GCP_STATE_OPEN;
    assert_int_equal(gcp_journal_results(j, &missing, &r, 1), GCP_EINVALID);
    gcp_journal_free(j);
}

static void a_batch_is_written_at_commit_and_undone_by_rollback(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    int64_t run = begin_run(j);
    int64_t first = intent(j, run, "e1", GCP_STEP_CREATE, NULL);

    assert_int_equal(gcp_journal_begin(j), 0);
    assert_int_equal(gcp_journal_begin(j), GCP_EINVALID);
    result(j, first, GCP_STATE_DONE, "u1", 201);
    intent(j, run, "e1", GCP_STEP_GRANT, "role-1");
    assert_int_equal(gcp_journal_rollback(j), 0);
    assert_int_equal(query_int(j, "SELECT count(*) FROM steps"), 1);
    assert_int_equal(query_int(j, "SELECT state = 'open' FROM steps"), 1);

    assert_int_equal(gcp_journal_begin(j), 0);
    result(j, first, GCP_STATE_DONE, "u1", 201);
    intent(j, run, "e1", GCP_STEP_GRANT, "role-1");
    assert_int_equal(gcp_journal_commit(j), 0);
    assert_int_equal(gcp_journal_commit(j), GCP_EINVALID);
    gcp_journal_free(j);

    j = open_reader(f);
    assert_int_equal(query_int(j, "SELECT count(*) FROM steps"), 2);
    assert_int_equal(query_int(j, "SELECT count(*) FROM steps WHERE"
                                  " state = 'done'"),
                     1);
    gcp_journal_free(j);
}

static void failures_stand_until_a_later_step_succeeds(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    int64_t run1 = begin_run(j);
    int64_t run2;
    gcp_journal_steps *failures = NULL;

    result(j, intent(j, run1, "e1", GCP_STEP_LICENSE, "lic-1"),
           GCP_STATE_FAILED, NULL, 409);
    result(j, intent(j, run1, "e2", GCP_STEP_LICENSE, "lic-1"),
           GCP_STATE_FAILED, NULL, 409);
    run2 = begin_run(j);
    result(j, intent(j, run2, "e1", GCP_STEP_LICENSE, "lic-1"), GCP_STATE_DONE,
           NULL, 200);
    result(j, intent(j, run2, "e2", GCP_STEP_LICENSE, "lic-1"),
           GCP_STATE_FAILED, NULL, 500);

    assert_int_equal(gcp_journal_failures(&failures, j), 0);
    assert_int_equal(gcp_journal_steps_count(failures), 1);
    assert_string_equal(gcp_journal_steps_get(failures, 0)->person_key, "e2");
    assert_int_equal(gcp_journal_steps_get(failures, 0)->run, run2);
    assert_int_equal(gcp_journal_steps_get(failures, 0)->http_status, 500);
    gcp_journal_steps_free(failures);
    gcp_journal_free(j);
}

/* ------------------------------------------------------------- pending */

static void the_pending_queue_serves_the_first_queued_first(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    int64_t run = begin_run(j);
    gcp_journal_pending *queue = NULL;
    const gcp_journal_pending_row *row;

    assert_int_equal(gcp_journal_pending_add(j, run, "carol", "lic-1",
                                             GCP_PENDING_BUDGET, "budget 10"),
                     0);
    assert_int_equal(gcp_journal_pending_add(j, run, "alice", "lic-1",
                                             GCP_PENDING_IN_USE, NULL),
                     0);
    assert_int_equal(
        gcp_journal_pending_add(j, run, "bob", NULL, GCP_PENDING_LICENSE, NULL),
        0);
    /* Queued again: a new reason, the same place. */
    assert_int_equal(gcp_journal_pending_add(j, run, "carol", "lic-1",
                                             GCP_PENDING_LICENSE, "refused"),
                     0);
    assert_int_equal(gcp_journal_pending_done(j, "alice", "lic-1"), 0);
    assert_int_equal(gcp_journal_pending_done(j, "nobody", NULL), 0);

    assert_int_equal(gcp_journal_pending_list(&queue, j), 0);
    assert_int_equal(gcp_journal_pending_count(queue), 2);
    row = gcp_journal_pending_get(queue, 0);
    assert_string_equal(row->person_key, "carol");
    assert_string_equal(row->license_id, "lic-1");
    assert_int_equal(row->reason, GCP_PENDING_LICENSE);
    assert_string_equal(row->detail, "refused");
    assert_int_equal(row->first_run, run);
    assert_true(row->updated_ms >= row->queued_ms);
    row = gcp_journal_pending_get(queue, 1);
    assert_string_equal(row->person_key, "bob");
    assert_null(row->license_id);
    assert_null(gcp_journal_pending_get(queue, 2));
    gcp_journal_pending_free(queue);

    assert_int_equal(gcp_journal_pending_done(j, "carol", NULL), 0);
    assert_int_equal(gcp_journal_pending_list(&queue, j), 0);
    assert_int_equal(gcp_journal_pending_count(queue), 1);
    gcp_journal_pending_free(queue);
    assert_int_equal(
        gcp_journal_pending_add(j, run, "", NULL, GCP_PENDING_BUDGET, NULL),
        GCP_EINVALID);
    gcp_journal_free(j);
}

/* --------------------------------------------------------- known users */

static int count_user(const char *key, const char *user, void *payload)
{
    (*(int *)payload)++;
    return 0;
}

static void known_users_are_remembered_and_forgotten(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    char *user = NULL;
    int count = 0;

    assert_int_equal(gcp_journal_known_user_set(j, "e1", "u1"), 0);
    assert_int_equal(gcp_journal_known_user_set(j, "e2", "u2"), 0);
    assert_int_equal(gcp_journal_known_user_set(j, "e1", "u1b"), 0);
    assert_int_equal(gcp_journal_known_user_get(&user, j, "e1"), 0);
    assert_string_equal(user, "u1b");
    free(user);
    assert_int_equal(gcp_journal_known_users_foreach(j, count_user, &count), 0);
    assert_int_equal(count, 2);
    assert_int_equal(gcp_journal_known_user_forget(j, "e1"), 0);
    assert_int_equal(gcp_journal_known_user_get(&user, j, "e1"), GCP_ENOTFOUND);
    assert_null(user);
    gcp_journal_free(j);
}

/* -------------------------------------------------------------- report */

static void a_run_reads_back_with_its_counts_and_outcome(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    int64_t run1 = begin_run(j);
    int64_t run2;
    gcp_journal_runs *runs = NULL;
    const gcp_journal_run_row *row;

    result(j, intent(j, run1, "e1", GCP_STEP_CREATE, NULL), GCP_STATE_DONE,
           "u1", 200);
    result(j, intent(j, run1, "e1", GCP_STEP_GRANT, "r1"), GCP_STATE_DONE, NULL,
           204);
    result(j, intent(j, run1, "e2", GCP_STEP_CREATE, NULL), GCP_STATE_FAILED,
           NULL, 400);
    intent(j, run1, "e3", GCP_STEP_CREATE, NULL);
    assert_int_equal(gcp_journal_run_end(j, run1, "failed", 1), 0);
    assert_int_equal(gcp_journal_run_end(j, 77, "failed", 1), GCP_ENOTFOUND);
    run2 = begin_run(j);

    assert_int_equal(gcp_journal_runs_list(&runs, j, 0), 0);
    assert_int_equal(gcp_journal_runs_count(runs), 2);
    assert_int_equal(gcp_journal_runs_get(runs, 0)->id, run2);
    assert_null(gcp_journal_runs_get(runs, 0)->outcome);
    assert_int_equal(gcp_journal_runs_get(runs, 0)->exit_status, -1);
    row = gcp_journal_runs_get(runs, 1);
    assert_int_equal(row->id, run1);
    assert_string_equal(row->command, "apply");
    assert_string_equal(row->client_id, "client-1");
    assert_string_equal(row->options_json, "{\"dry_run\": false}");
    assert_string_equal(row->outcome, "failed");
    assert_int_equal(row->exit_status, 1);
    assert_int_equal(row->pid, (long)getpid());
    assert_int_equal(row->people, 3);
    assert_int_equal(row->done, 2);
    assert_int_equal(row->failed, 1);
    assert_int_equal(row->unresolved, 1);
    assert_true(row->ended_ms >= row->started_ms);
    gcp_journal_runs_free(runs);

    assert_int_equal(gcp_journal_runs_list(&runs, j, 1), 0);
    assert_int_equal(gcp_journal_runs_count(runs), 1);
    gcp_journal_runs_free(runs);
    assert_int_equal(gcp_journal_run_get(&runs, j, 99), GCP_ENOTFOUND);
    assert_null(runs);
    gcp_journal_free(j);
}

static void a_run_hashes_its_roster_and_checks_its_options(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    gcp_journal_run_info info = GCP_JOURNAL_RUN_INFO_INIT;
    gcp_journal_runs *runs = NULL;
    char roster[160];
    FILE *out;
    int64_t run;

    snprintf(roster, sizeof(roster), "%s/roster.csv", f->dir);
    assert_non_null(out = fopen(roster, "w"));
    fputs("abc", out);
    assert_int_equal(fclose(out), 0);
    info.command = "apply";
    info.roster_path = roster;
    info.options_json = "[1]";
    assert_int_equal(gcp_journal_run_begin(&run, j, &info), GCP_EINVALID);
    info.options_json = NULL;
    assert_int_equal(gcp_journal_run_begin(&run, j, &info), 0);
    assert_int_equal(gcp_journal_run_get(&runs, j, run), 0);
    assert_string_equal(gcp_journal_runs_get(runs, 0)->roster_sha256,
                        "ba7816bf8f01cfea414140de5dae2223"
                        "b00361a396177a9cb410ff61f20015ad");
    gcp_journal_runs_free(runs);
    gcp_journal_free(j);
}

/* ------------------------------------------------------------ failures */

static void a_read_only_journal_refuses_writes_naming_the_file(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    gcp_journal_intent in = GCP_JOURNAL_INTENT_INIT;
    int64_t id;
    int64_t run = begin_run(j);

    /*
     * Mid-run, the file stops taking writes. Root ignores chmod, so the
     * connection is swapped for one SQLite opened read-only: the same
     * SQLITE_READONLY a write-protected file gives an ordinary user.
     */
    for (int i = 0; i < JSTMT_COUNT; i++) {
        sqlite3_finalize(j->stmts[i]);
        j->stmts[i] = NULL;
    }
    assert_int_equal(sqlite3_close(j->db), SQLITE_OK);
    assert_int_equal(
        sqlite3_open_v2(f->path, &j->db, SQLITE_OPEN_READONLY, NULL),
        SQLITE_OK);
    in.person_key = "e1";
    assert_int_equal(gcp_journal_intents(&id, j, run, &in, 1), GCP_EIO);
    assert_non_null(strstr(gcp_journal_message(j), f->path));
    assert_non_null(strstr(gcp_journal_message(j), "readonly"));
    assert_int_equal(gcp_journal_run_end(j, run, "x", 5), GCP_EIO);
    gcp_journal_free(j);

    /* A handle opened read-only refuses before SQLite is asked. */
    j = open_reader(f);
    assert_int_equal(
        gcp_journal_pending_add(j, run, "e1", NULL, GCP_PENDING_BUDGET, NULL),
        GCP_EIO);
    assert_non_null(strstr(gcp_journal_message(j), f->path));
    gcp_journal_free(j);
}

static void a_write_protected_file_is_refused_when_not_root(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);

    gcp_journal_free(j);
    if (geteuid() == 0)
        skip(); /* root writes through chmod 0400 */
    assert_int_equal(chmod(f->path, 0400), 0);
    assert_int_equal(gcp_journal_open(&j, f->path, NULL), GCP_EIO);
    assert_non_null(strstr(gcp_journal_message(j), f->path));
    gcp_journal_free(j);
}

static void a_full_disk_fails_with_eio_and_keeps_what_was_done(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    int64_t run = begin_run(j);
    char big[4000];
    gcp_journal_intent in = GCP_JOURNAL_INTENT_INIT;
    int64_t id;
    int rc = 0;
    int recorded = 0;
    char sql[64];

    /* The database may not grow past its size now: a full disk. */
    snprintf(sql, sizeof(sql), "PRAGMA max_page_count = %d",
             query_int(j, "PRAGMA page_count") + 2);
    assert_int_equal(sqlite3_exec(j->db, sql, NULL, NULL, NULL), SQLITE_OK);
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    in.person_key = "e1";
    in.target = big;
    while (rc == 0 && recorded < 100) {
        rc = gcp_journal_intents(&id, j, run, &in, 1);
        recorded += rc == 0;
    }
    assert_int_equal(rc, GCP_EIO);
    assert_non_null(strstr(gcp_journal_message(j), f->path));
    assert_non_null(strstr(gcp_journal_message(j), "full"));
    assert_int_equal(query_int(j, "SELECT count(*) FROM steps"), recorded);
    assert_int_equal(gcp_journal_close(j), 0);
    gcp_journal_free(j);
}

static void a_closed_journal_refuses_writes(void **state)
{
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);

    assert_int_equal(gcp_journal_close(j), 0);
    assert_int_equal(gcp_journal_known_user_set(j, "e1", "u1"), GCP_EIO);
    assert_non_null(strstr(gcp_journal_message(j), "closed"));
    gcp_journal_free(j);
    gcp_journal_free(NULL);
}

static void reading_a_missing_journal_is_not_found(void **state)
{
    struct fixture *f = *state;
    gcp_journal_options opts = GCP_JOURNAL_OPTIONS_INIT;
    gcp_journal *j = NULL;

    opts.read_only = 1;
    assert_int_equal(gcp_journal_open(&j, f->path, &opts), GCP_ENOTFOUND);
    assert_non_null(strstr(gcp_journal_message(j), f->path));
    gcp_journal_free(j);
}

/* ------------------------------------------------------------- secrets */

static int file_contains(const char *path, const char *needle)
{
    FILE *in = fopen(path, "rb");
    static char buf[1 << 20];
    size_t n;

    if (in == NULL)
        return 0;
    n = fread(buf, 1, sizeof(buf), in);
    fclose(in);
    return memmem(buf, n, needle, strlen(needle)) != NULL;
}

static void no_secret_reaches_any_journal_file(void **state)
{
    static const char secret[] = "S3CRET-do-not-store-4711";
    struct fixture *f = *state;
    gcp_journal *j = open_writer(f);
    int64_t run = begin_run(j);
    const char *suffixes[] = {"", "-wal", ".lock"};
    char name[160];

    /* Everything a run records, while a secret sits in this process. */
    setenv("GCPROV_CLIENT_SECRET", secret, 1);
    result(j, intent(j, run, "e1", GCP_STEP_CREATE, "e1@x.test"),
           GCP_STATE_DONE, "u1", 200);
    assert_int_equal(
        gcp_journal_pending_add(j, run, "e2", "lic", GCP_PENDING_BUDGET, NULL),
        0);
    assert_int_equal(gcp_journal_run_end(j, run, "converged", 0), 0);
    for (size_t i = 0; i < 3; i++) {
        snprintf(name, sizeof(name), "%s%s", f->path, suffixes[i]);
        assert_false(file_contains(name, secret));
    }
    /* The search works: the client id, which is recorded, is found. */
    snprintf(name, sizeof(name), "%s-wal", f->path);
    assert_true(file_contains(name, "client-1"));
    unsetenv("GCPROV_CLIENT_SECRET");
    gcp_journal_free(j);
}

static void names_of_steps_states_and_reasons_are_stable(void **state)
{
    assert_string_equal(gcp_journal_step_name(GCP_STEP_EXTERNALID),
                        "externalid");
    assert_string_equal(gcp_journal_step_name(GCP_STEP_RELEASE), "release");
    assert_string_equal(gcp_journal_step_name(GCP_STEP_MOVE), "move");
    assert_string_equal(gcp_journal_step_name((gcp_journal_step)99), "unknown");
    assert_string_equal(gcp_journal_state_name(GCP_STATE_ABSENT), "absent");
    assert_string_equal(gcp_pending_reason_name(GCP_PENDING_IN_USE), "in use");
}

#define T(name)                                                                \
    cmocka_unit_test_setup_teardown(name, fixture_setup, fixture_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(a_new_journal_has_the_current_schema),
        T(a_writer_may_trade_power_loss_safety_for_speed),
        T(an_older_journal_is_migrated_and_keeps_its_rows),
        T(a_schema_2_journal_learns_the_move_step_and_keeps_its_rows),
        T(an_older_journal_opened_read_only_is_left_alone),
        T(a_journal_from_a_newer_gcprov_is_refused),
        T(every_journal_file_is_owner_only_whatever_the_umask),
        T(an_existing_journal_readable_by_others_is_narrowed),
        T(a_second_writer_fails_at_once_naming_the_holder),
        T(a_second_writer_in_the_same_process_is_refused_too),
        T(a_killed_writer_leaves_no_stale_lock),
        T(an_intent_without_a_result_is_found_after_a_crash),
        T(a_step_the_tenant_never_saw_becomes_absent),
        T(a_result_records_the_answer_and_learns_the_user),
        T(results_alike_are_recorded_each_on_its_own_step),
        T(a_bad_intent_in_a_batch_records_none_of_it),
        T(a_batch_is_written_at_commit_and_undone_by_rollback),
        T(failures_stand_until_a_later_step_succeeds),
        T(the_pending_queue_serves_the_first_queued_first),
        T(known_users_are_remembered_and_forgotten),
        T(a_run_reads_back_with_its_counts_and_outcome),
        T(a_run_hashes_its_roster_and_checks_its_options),
        T(a_read_only_journal_refuses_writes_naming_the_file),
        T(a_write_protected_file_is_refused_when_not_root),
        T(a_full_disk_fails_with_eio_and_keeps_what_was_done),
        T(a_closed_journal_refuses_writes),
        T(reading_a_missing_journal_is_not_found),
        T(no_secret_reaches_any_journal_file),
        T(names_of_steps_states_and_reasons_are_stable),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

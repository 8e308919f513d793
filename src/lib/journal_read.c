/*
 * journal_read.c: what status, report, history and a resuming apply read
 * back: steps, runs, the pending queue and the known users. Lists copy
 * every string, so they outlive the statement that read them and the
 * caller may write to the journal while holding one.
 */
#include <stdlib.h>
#include <string.h>

#include "journal_int.h"

/* A growable array of rows of `size` bytes, and the strings they own. */
struct row_list {
    void *rows;
    size_t count;
    size_t capacity;
    size_t size;
    char **strings;
    size_t string_count;
    size_t string_capacity;
    int failed; /* out of memory while copying */
};

struct gcp_journal_steps {
    struct row_list list;
};

struct gcp_journal_runs {
    struct row_list list;
};

struct gcp_journal_pending {
    struct row_list list;
};

static void *list_grow(struct row_list *l)
{
    if (l->count == l->capacity) {
        size_t capacity = l->capacity ? l->capacity * 2 : 16;
        void *rows = realloc(l->rows, capacity * l->size);

        if (rows == NULL) {
            l->failed = 1;
            return NULL;
        }
        l->rows = rows;
        l->capacity = capacity;
    }
    memset((char *)l->rows + l->count * l->size, 0, l->size);
    return (char *)l->rows + l->count++ * l->size;
}

/* Copies column `col` into the list; NULL for SQL NULL or out of memory. */
static const char *list_text(struct row_list *l, sqlite3_stmt *st, int col)
{
    const unsigned char *text = sqlite3_column_text(st, col);
    char *copy;

    if (text == NULL)
        return NULL;
    if (l->string_count == l->string_capacity) {
        size_t capacity = l->string_capacity ? l->string_capacity * 2 : 64;
        char **strings = realloc(l->strings, capacity * sizeof(*strings));

        if (strings == NULL) {
            l->failed = 1;
            return NULL;
        }
        l->strings = strings;
        l->string_capacity = capacity;
    }
    if ((copy = strdup((const char *)text)) == NULL) {
        l->failed = 1;
        return NULL;
    }
    l->strings[l->string_count++] = copy;
    return copy;
}

static void list_release(struct row_list *l)
{
    for (size_t i = 0; i < l->string_count; i++)
        free(l->strings[i]);
    free(l->strings);
    free(l->rows);
}

static const void *list_get(const struct row_list *l, size_t i)
{
    if (i >= l->count)
        return NULL;
    return (const char *)l->rows + i * l->size;
}

/* Returns the index of `name` in `names`, or `fallback`. */
static int name_index(const char *name, const char *(*namer)(int), int count,
                      int fallback)
{
    for (int i = 0; name != NULL && i < count; i++)
        if (strcmp(namer(i), name) == 0)
            return i;
    return fallback;
}

static const char *step_namer(int i)
{
    return gcp_journal_step_name((gcp_journal_step)i);
}

static const char *state_namer(int i)
{
    return gcp_journal_state_name((gcp_journal_state)i);
}

static const char *reason_namer(int i)
{
    return gcp_pending_reason_name((gcp_pending_reason)i);
}

/*
 * Runs `sql` with the integer parameters `params` (count `nparams`) and
 * calls `read_row` for each row. Returns 0, or the handle's failure.
 */
static int list_query(gcp_journal *j, struct row_list *l, const char *sql,
                      const int64_t *params, int nparams,
                      void (*read_row)(struct row_list *, sqlite3_stmt *),
                      const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if (j->db == NULL)
        return gcp_err__set(&j->err, GCP_EIO, "journal '%s' is closed",
                            j->path);
    rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
    for (int i = 0; rc == SQLITE_OK && i < nparams; i++)
        rc = sqlite3_bind_int64(st, i + 1, params[i]);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        read_row(l, st);
        rc = l->failed ? SQLITE_NOMEM : SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE)
        return gcp_journal__fail(j, rc, what);
    return 0;
}

/* ----------------------------------------------------------------- steps */

#define STEP_COLUMNS                                                           \
    "s.id, s.run_id, s.person_key, s.step, s.user_id, s.target, s.scope,"      \
    " s.state, s.http_status, s.error_code, s.message, s.correlation_id,"      \
    " s.intent_ms, s.result_ms, s.reconciled_run"

static void step_read(struct row_list *l, sqlite3_stmt *st)
{
    gcp_journal_step_row *row = list_grow(l);

    if (row == NULL)
        return;
    row->id = sqlite3_column_int64(st, 0);
    row->run = sqlite3_column_int64(st, 1);
    row->person_key = list_text(l, st, 2);
    row->step = name_index((const char *)sqlite3_column_text(st, 3), step_namer,
                           GCP_STEP_COUNT, 0);
    row->user_id = list_text(l, st, 4);
    row->target = list_text(l, st, 5);
    row->scope = list_text(l, st, 6);
    row->state = name_index((const char *)sqlite3_column_text(st, 7),
                            state_namer, 5, GCP_STATE_OPEN);
    row->http_status = sqlite3_column_int(st, 8);
    row->error_code = list_text(l, st, 9);
    row->message = list_text(l, st, 10);
    row->correlation_id = list_text(l, st, 11);
    row->intent_ms = sqlite3_column_int64(st, 12);
    row->result_ms = sqlite3_column_int64(st, 13);
    row->reconciled_run = sqlite3_column_int64(st, 14);
}

static int steps_query(gcp_journal_steps **out, gcp_journal *j, const char *sql,
                       const int64_t *params, int nparams)
{
    gcp_journal_steps *list = calloc(1, sizeof(*list));
    int rc;

    *out = NULL;
    gcp_err__clear(&j->err);
    if (list == NULL)
        return gcp_err__set(&j->err, GCP_ENOMEM, "out of memory");
    list->list.size = sizeof(gcp_journal_step_row);
    rc = list_query(j, &list->list, sql, params, nparams, step_read,
                    "read steps");
    if (rc != 0) {
        gcp_journal_steps_free(list);
        return rc;
    }
    *out = list;
    return 0;
}

int gcp_journal_unresolved(gcp_journal_steps **out, gcp_journal *j)
{
    return steps_query(out, j,
                       "SELECT " STEP_COLUMNS " FROM steps s"
                       " WHERE s.state IN ('open', 'unknown') ORDER BY s.id",
                       NULL, 0);
}

int gcp_journal_run_steps(gcp_journal_steps **out, gcp_journal *j, int64_t run)
{
    return steps_query(out, j,
                       "SELECT " STEP_COLUMNS " FROM steps s"
                       " WHERE s.run_id = ? ORDER BY s.person_key, s.id",
                       &run, 1);
}

/* A failure stands until a later step for the same thing is done; only
 * the latest failure of each is listed. */
int gcp_journal_failures(gcp_journal_steps **out, gcp_journal *j)
{
    return steps_query(out, j,
                       "SELECT " STEP_COLUMNS " FROM steps s"
                       " WHERE s.state = 'failed' AND NOT EXISTS"
                       " (SELECT 1 FROM steps l WHERE l.person_key ="
                       " s.person_key AND l.step = s.step AND l.target IS"
                       " s.target AND l.scope IS s.scope AND l.id > s.id"
                       " AND l.state IN ('done', 'failed')) ORDER BY s.id",
                       NULL, 0);
}

size_t gcp_journal_steps_count(const gcp_journal_steps *list)
{
    return list != NULL ? list->list.count : 0;
}

const gcp_journal_step_row *gcp_journal_steps_get(const gcp_journal_steps *list,
                                                  size_t i)
{
    return list != NULL ? list_get(&list->list, i) : NULL;
}

void gcp_journal_steps_free(gcp_journal_steps *list)
{
    if (list == NULL)
        return;
    list_release(&list->list);
    free(list);
}

/* ------------------------------------------------------------------ runs */

#define RUN_QUERY                                                              \
    "SELECT r.id, r.command, r.started_ms, r.ended_ms, r.client_id,"           \
    " r.api_host, r.roster_path, r.roster_sha256, r.options_json, r.outcome,"  \
    " r.exit_status, r.pid, r.host,"                                           \
    " (SELECT count(DISTINCT person_key) FROM steps WHERE run_id = r.id),"     \
    " (SELECT count(*) FROM steps WHERE run_id = r.id AND state = 'done'),"    \
    " (SELECT count(*) FROM steps WHERE run_id = r.id AND state = 'failed'),"  \
    " (SELECT count(*) FROM steps WHERE run_id = r.id"                         \
    "  AND state IN ('open', 'unknown'))"                                      \
    " FROM runs r"

static void run_read(struct row_list *l, sqlite3_stmt *st)
{
    gcp_journal_run_row *row = list_grow(l);

    if (row == NULL)
        return;
    row->id = sqlite3_column_int64(st, 0);
    row->command = list_text(l, st, 1);
    row->started_ms = sqlite3_column_int64(st, 2);
    row->ended_ms = sqlite3_column_int64(st, 3);
    row->client_id = list_text(l, st, 4);
    row->api_host = list_text(l, st, 5);
    row->roster_path = list_text(l, st, 6);
    row->roster_sha256 = list_text(l, st, 7);
    row->options_json = list_text(l, st, 8);
    row->outcome = list_text(l, st, 9);
    row->exit_status = sqlite3_column_type(st, 10) == SQLITE_NULL
                           ? -1
                           : sqlite3_column_int(st, 10);
    row->pid = (long)sqlite3_column_int64(st, 11);
    row->host = list_text(l, st, 12);
    row->people = (size_t)sqlite3_column_int64(st, 13);
    row->done = (size_t)sqlite3_column_int64(st, 14);
    row->failed = (size_t)sqlite3_column_int64(st, 15);
    row->unresolved = (size_t)sqlite3_column_int64(st, 16);
}

static int runs_query(gcp_journal_runs **out, gcp_journal *j, const char *sql,
                      int64_t param)
{
    gcp_journal_runs *list = calloc(1, sizeof(*list));
    int rc;

    *out = NULL;
    gcp_err__clear(&j->err);
    if (list == NULL)
        return gcp_err__set(&j->err, GCP_ENOMEM, "out of memory");
    list->list.size = sizeof(gcp_journal_run_row);
    rc = list_query(j, &list->list, sql, &param, 1, run_read, "read runs");
    if (rc != 0) {
        gcp_journal_runs_free(list);
        return rc;
    }
    *out = list;
    return 0;
}

int gcp_journal_runs_list(gcp_journal_runs **out, gcp_journal *j, size_t limit)
{
    int64_t n = limit == 0 ? -1 : (int64_t)limit;

    return runs_query(out, j, RUN_QUERY " ORDER BY r.id DESC LIMIT ?", n);
}

int gcp_journal_run_get(gcp_journal_runs **out, gcp_journal *j, int64_t run)
{
    int rc = runs_query(out, j, RUN_QUERY " WHERE r.id = ?", run);

    if (rc != 0 || (*out)->list.count > 0)
        return rc;
    gcp_journal_runs_free(*out);
    *out = NULL;
    return gcp_err__set(&j->err, GCP_ENOTFOUND, "journal '%s' has no run %lld",
                        j->path, (long long)run);
}

size_t gcp_journal_runs_count(const gcp_journal_runs *list)
{
    return list != NULL ? list->list.count : 0;
}

const gcp_journal_run_row *gcp_journal_runs_get(const gcp_journal_runs *list,
                                                size_t i)
{
    return list != NULL ? list_get(&list->list, i) : NULL;
}

void gcp_journal_runs_free(gcp_journal_runs *list)
{
    if (list == NULL)
        return;
    list_release(&list->list);
    free(list);
}

/* --------------------------------------------------------- pending queue */

static void pending_read(struct row_list *l, sqlite3_stmt *st)
{
    gcp_journal_pending_row *row = list_grow(l);
    const unsigned char *license = sqlite3_column_text(st, 1);

    if (row == NULL)
        return;
    row->person_key = list_text(l, st, 0);
    /* '' stands for "no license" so that UNIQUE can see it. */
    row->license_id = license != NULL && *license ? list_text(l, st, 1) : NULL;
    row->reason = name_index((const char *)sqlite3_column_text(st, 2),
                             reason_namer, 3, GCP_PENDING_LICENSE);
    row->detail = list_text(l, st, 3);
    row->first_run = sqlite3_column_int64(st, 4);
    row->queued_ms = sqlite3_column_int64(st, 5);
    row->updated_ms = sqlite3_column_int64(st, 6);
}

int gcp_journal_pending_list(gcp_journal_pending **out, gcp_journal *j)
{
    static const char sql[] =
        "SELECT person_key, license_id, reason, detail, first_run,"
        " queued_ms, updated_ms FROM pending ORDER BY seq";
    gcp_journal_pending *list = calloc(1, sizeof(*list));
    int rc;

    *out = NULL;
    gcp_err__clear(&j->err);
    if (list == NULL)
        return gcp_err__set(&j->err, GCP_ENOMEM, "out of memory");
    list->list.size = sizeof(gcp_journal_pending_row);
    rc = list_query(j, &list->list, sql, NULL, 0, pending_read,
                    "read the pending queue");
    if (rc != 0) {
        gcp_journal_pending_free(list);
        return rc;
    }
    *out = list;
    return 0;
}

size_t gcp_journal_pending_count(const gcp_journal_pending *list)
{
    return list != NULL ? list->list.count : 0;
}

const gcp_journal_pending_row *
gcp_journal_pending_get(const gcp_journal_pending *list, size_t i)
{
    return list != NULL ? list_get(&list->list, i) : NULL;
}

void gcp_journal_pending_free(gcp_journal_pending *list)
{
    if (list == NULL)
        return;
    list_release(&list->list);
    free(list);
}

/* ----------------------------------------------------------- known users */

int gcp_journal_known_user_get(char **out, gcp_journal *j,
                               const char *person_key)
{
    static const char sql[] =
        "SELECT user_id FROM known_users WHERE person_key = ?";
    sqlite3_stmt *st = NULL;
    int rc;

    *out = NULL;
    gcp_err__clear(&j->err);
    if (j->db == NULL || person_key == NULL)
        return gcp_err__set(&j->err, GCP_EINVALID,
                            "no open journal or no person key");
    rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
    if (rc == SQLITE_OK)
        rc = gcp_journal__bind_text(st, 1, person_key);
    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = strdup((const char *)sqlite3_column_text(st, 0));
        rc = *out != NULL ? SQLITE_OK : SQLITE_NOMEM;
    }
    sqlite3_finalize(st);
    if (rc == SQLITE_DONE)
        return gcp_err__set(&j->err, GCP_ENOTFOUND, "no user id known for '%s'",
                            person_key);
    return rc == SQLITE_OK ? 0 : gcp_journal__fail(j, rc, "read a user id");
}

int gcp_journal_known_users_foreach(gcp_journal *j,
                                    int (*fn)(const char *, const char *,
                                              void *),
                                    void *payload)
{
    static const char sql[] =
        "SELECT person_key, user_id FROM known_users ORDER BY person_key";
    sqlite3_stmt *st = NULL;
    int stop = 0;
    int rc;

    gcp_err__clear(&j->err);
    if (j->db == NULL)
        return gcp_err__set(&j->err, GCP_EIO, "journal '%s' is closed",
                            j->path);
    rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
    while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        stop = fn((const char *)sqlite3_column_text(st, 0),
                  (const char *)sqlite3_column_text(st, 1), payload);
        rc = stop != 0 ? SQLITE_DONE : SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (stop != 0)
        return stop;
    return rc == SQLITE_DONE ? 0 : gcp_journal__fail(j, rc, "read user ids");
}

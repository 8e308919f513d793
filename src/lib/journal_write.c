/*
 * journal_write.c: what apply records: runs, the intent and result of each
 * step, reconciliation, the pending queue and the user ids learned. Each
 * public write is one transaction (or one savepoint inside a batch), so it
 * is all recorded or not at all.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "journal_int.h"

/*
 * Runs a statement that returns no rows and resets it, so that a cached
 * statement holds nothing between calls. Returns an SQLite code.
 */
static int step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);

    sqlite3_reset(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* Prepares a one-off statement, failing the handle with `what`. */
static int write_prepare(gcp_journal *j, sqlite3_stmt **out, const char *sql,
                         const char *what)
{
    int rc = sqlite3_prepare_v2(j->db, sql, -1, out, NULL);

    return rc == SQLITE_OK ? 0 : gcp_journal__fail(j, rc, what);
}

/* ------------------------------------------------------------------ runs */

static int run_validate(gcp_journal *j, const gcp_journal_run_info *info)
{
    json_t *options;
    int is_object;

    if (info == NULL || info->command == NULL || *info->command == '\0')
        return gcp_err__set(&j->err, GCP_EINVALID,
                            "a run needs the command that started it");
    if (info->options_json == NULL)
        return 0;
    options = json_loads(info->options_json, 0, NULL);
    is_object = json_is_object(options);
    json_decref(options);
    if (!is_object)
        return gcp_err__set(&j->err, GCP_EINVALID,
                            "a run's options must be a JSON object");
    return 0;
}

/* The roster's hash: as given, or computed from its file when possible. */
static const char *run_roster_hash(gcp_journal *j,
                                   const gcp_journal_run_info *info,
                                   char buf[GCP_SHA256_HEX_SIZE])
{
    const char *path = info->roster_path;

    if (info->roster_sha256 != NULL)
        return info->roster_sha256;
    if (path == NULL || strcmp(path, "-") == 0)
        return NULL;
    if (gcp_sha256_file(buf, path) == 0)
        return buf;
    gcp_log__emit(&j->log, GCP_LOG_WARN,
                  "Could not read roster '%s' to hash it; the run is "
                  "recorded without its hash.",
                  path);
    return NULL;
}

static int run_insert(gcp_journal *j, const gcp_journal_run_info *info,
                      const char *hash)
{
    static const char sql[] =
        "INSERT INTO runs (command, started_ms, client_id, api_host,"
        " roster_path, roster_sha256, options_json, pid, host)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)";
    char host[256] = "unknown";
    sqlite3_stmt *st = NULL;
    int rc;

    if (gethostname(host, sizeof(host)) != 0)
        strcpy(host, "unknown");
    host[sizeof(host) - 1] = '\0';
    if ((rc = write_prepare(j, &st, sql, "record the run")) != 0)
        return rc;
    gcp_journal__bind_text(st, 1, info->command);
    sqlite3_bind_int64(st, 2, gcp_journal__now_ms());
    gcp_journal__bind_text(st, 3, info->client_id);
    gcp_journal__bind_text(st, 4, info->api_host);
    gcp_journal__bind_text(st, 5, info->roster_path);
    gcp_journal__bind_text(st, 6, hash);
    gcp_journal__bind_text(st, 7, info->options_json);
    sqlite3_bind_int64(st, 8, (sqlite3_int64)getpid());
    gcp_journal__bind_text(st, 9, host);
    rc = step_done(st);
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : gcp_journal__fail(j, rc, "record the run");
}

int gcp_journal_run_begin(int64_t *out, gcp_journal *j,
                          const gcp_journal_run_info *info)
{
    char buf[GCP_SHA256_HEX_SIZE];
    const char *hash;
    int rc;

    gcp_err__clear(&j->err);
    *out = 0;
    if ((rc = run_validate(j, info)) != 0)
        return rc;
    hash = run_roster_hash(j, info, buf);
    if ((rc = gcp_journal__tx_begin(j, "record the run")) != 0)
        return rc;
    rc = run_insert(j, info, hash);
    if (rc == 0)
        *out = sqlite3_last_insert_rowid(j->db);
    rc = gcp_journal__tx_end(j, rc, "record the run");
    if (rc != 0)
        *out = 0;
    return rc;
}

int gcp_journal_run_end(gcp_journal *j, int64_t run, const char *outcome,
                        int exit_status)
{
    static const char sql[] = "UPDATE runs SET ended_ms = ?, outcome = ?,"
                              " exit_status = ? WHERE id = ?";
    sqlite3_stmt *st = NULL;
    int rc;

    gcp_err__clear(&j->err);
    if ((rc = gcp_journal__tx_begin(j, "record the run's end")) != 0)
        return rc;
    if ((rc = write_prepare(j, &st, sql, "record the run's end")) != 0)
        return gcp_journal__tx_end(j, rc, "record the run's end");
    sqlite3_bind_int64(st, 1, gcp_journal__now_ms());
    gcp_journal__bind_text(st, 2, outcome);
    sqlite3_bind_int(st, 3, exit_status);
    sqlite3_bind_int64(st, 4, run);
    if ((rc = step_done(st)) != SQLITE_OK)
        rc = gcp_journal__fail(j, rc, "record the run's end");
    else if (sqlite3_changes(j->db) == 0)
        rc =
            gcp_err__set(&j->err, GCP_ENOTFOUND, "journal '%s' has no run %lld",
                         j->path, (long long)run);
    sqlite3_finalize(st);
    return gcp_journal__tx_end(j, rc, "record the run's end");
}

/* ----------------------------------------------------------------- steps */

static int intent_validate(gcp_journal *j, const gcp_journal_intent *in)
{
    if (in->person_key == NULL || *in->person_key == '\0')
        return gcp_err__set(&j->err, GCP_EINVALID,
                            "an intent needs a person key");
    if ((unsigned)in->step >= GCP_STEP_COUNT)
        return gcp_err__set(&j->err, GCP_EINVALID,
                            "intent for '%s' has an unknown step %d",
                            in->person_key, (int)in->step);
    return 0;
}

static int intent_insert(gcp_journal *j, int64_t run,
                         const gcp_journal_intent *in, int64_t now,
                         int64_t *out)
{
    sqlite3_stmt *st = gcp_journal__stmt(j, JSTMT_INTENT);
    int rc;

    if (st == NULL)
        return j->err.code;
    sqlite3_bind_int64(st, 1, run);
    gcp_journal__bind_text(st, 2, in->person_key);
    gcp_journal__bind_text(st, 3, gcp_journal_step_name(in->step));
    gcp_journal__bind_text(st, 4, in->user_id);
    gcp_journal__bind_text(st, 5, in->target);
    gcp_journal__bind_text(st, 6, in->scope);
    sqlite3_bind_int64(st, 7, now);
    if ((rc = step_done(st)) != SQLITE_OK)
        return gcp_journal__fail(j, rc, "record an intent");
    *out = sqlite3_last_insert_rowid(j->db);
    return 0;
}

int gcp_journal_intents(int64_t *out, gcp_journal *j, int64_t run,
                        const gcp_journal_intent *intents, size_t count)
{
    int64_t now = gcp_journal__now_ms();
    int rc = 0;

    gcp_err__clear(&j->err);
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = intent_validate(j, &intents[i]);
    if (rc != 0 || count == 0)
        return rc;
    if ((rc = gcp_journal__tx_begin(j, "record an intent")) != 0)
        return rc;
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = intent_insert(j, run, &intents[i], now, &out[i]);
    return gcp_journal__tx_end(j, rc, "record an intent");
}

/*
 * Teaches known_users the user id of steps `first` .. `last` that make the
 * user carry the person's key: an external id written, or the create of a
 * person keyed by email (no external id is ever written for them). A user
 * merely created is not linked: its external id may never be written.
 */
static int learn_user(gcp_journal *j, int64_t first, int64_t last, int64_t now)
{
    sqlite3_stmt *st = gcp_journal__stmt(j, JSTMT_STEP_USER);
    int rc;

    if (st == NULL)
        return j->err.code;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, first);
    sqlite3_bind_int64(st, 3, last);
    rc = step_done(st);
    return rc == SQLITE_OK ? 0 : gcp_journal__fail(j, rc, "learn a user id");
}

static int result_validate(gcp_journal *j, const gcp_journal_result *r)
{
    if (r->state == GCP_STATE_DONE || r->state == GCP_STATE_FAILED ||
        r->state == GCP_STATE_UNKNOWN)
        return 0;
    return gcp_err__set(&j->err, GCP_EINVALID,
                        "a result must be done, failed or unknown, not '%s'",
                        gcp_journal_state_name(r->state));
}

/* Returns non-zero when two strings are both NULL or equal. */
static int same_text(const char *a, const char *b)
{
    return a == b || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* Returns non-zero when two results write the same values. */
static int same_result(const gcp_journal_result *a, const gcp_journal_result *b)
{
    return a->state == b->state && a->http_status == b->http_status &&
           same_text(a->user_id, b->user_id) &&
           same_text(a->error_code, b->error_code) &&
           same_text(a->message, b->message) &&
           same_text(a->correlation_id, b->correlation_id);
}

/*
 * Writes result `r` to steps first .. last (consecutive ids: the changes
 * of one request, whose intents were recorded together) in one
 * statement, and teaches known_users what they link.
 */
static int result_update(gcp_journal *j, int64_t first, int64_t last,
                         const gcp_journal_result *r, int64_t now)
{
    sqlite3_stmt *st = gcp_journal__stmt(j, JSTMT_RESULT);
    int rc;

    if (st == NULL)
        return j->err.code;
    gcp_journal__bind_text(st, 1, gcp_journal_state_name(r->state));
    gcp_journal__bind_text(st, 2, r->user_id);
    if (r->http_status > 0)
        sqlite3_bind_int(st, 3, r->http_status);
    gcp_journal__bind_text(st, 4, r->error_code);
    gcp_journal__bind_text(st, 5, r->message);
    gcp_journal__bind_text(st, 6, r->correlation_id);
    sqlite3_bind_int64(st, 7, now);
    sqlite3_bind_int64(st, 8, first);
    sqlite3_bind_int64(st, 9, last);
    if ((rc = step_done(st)) != SQLITE_OK)
        return gcp_journal__fail(j, rc, "record a result");
    if (sqlite3_changes(j->db) != last - first + 1)
        return gcp_err__set(&j->err, GCP_ENOTFOUND,
                            "journal '%s' lacks a step of %lld .. %lld",
                            j->path, (long long)first, (long long)last);
    return r->state == GCP_STATE_DONE ? learn_user(j, first, last, now) : 0;
}

/* How many results from `i` on go to consecutive steps with one value. */
static size_t result_run(const int64_t *steps,
                         const gcp_journal_result *results, size_t i,
                         size_t count)
{
    size_t n = 1;

    while (i + n < count && steps[i + n] == steps[i] + (int64_t)n &&
           same_result(&results[i + n], &results[i]))
        n++;
    return n;
}

int gcp_journal_results(gcp_journal *j, const int64_t *steps,
                        const gcp_journal_result *results, size_t count)
{
    int64_t now = gcp_journal__now_ms();
    int rc = 0;

    gcp_err__clear(&j->err);
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = result_validate(j, &results[i]);
    if (rc != 0 || count == 0)
        return rc;
    if ((rc = gcp_journal__tx_begin(j, "record a result")) != 0)
        return rc;
    for (size_t i = 0, n; i < count && rc == 0; i += n) {
        n = result_run(steps, results, i, count);
        rc = result_update(j, steps[i], steps[i] + (int64_t)n - 1, &results[i],
                           now);
    }
    return gcp_journal__tx_end(j, rc, "record a result");
}

static int reconcile_update(gcp_journal *j, int64_t step, int64_t run,
                            int happened, const char *user_id)
{
    static const char sql[] =
        "UPDATE steps SET state = ?, user_id = coalesce(?, user_id),"
        " reconciled_run = ?, reconciled_ms = ?"
        " WHERE id = ? AND state IN ('open', 'unknown')";
    int64_t now = gcp_journal__now_ms();
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = write_prepare(j, &st, sql, "reconcile a step")) != 0)
        return rc;
    gcp_journal__bind_text(st, 1, happened ? "done" : "absent");
    gcp_journal__bind_text(st, 2, user_id);
    sqlite3_bind_int64(st, 3, run);
    sqlite3_bind_int64(st, 4, now);
    sqlite3_bind_int64(st, 5, step);
    rc = step_done(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return gcp_journal__fail(j, rc, "reconcile a step");
    if (sqlite3_changes(j->db) == 0)
        return gcp_err__set(&j->err, GCP_ENOTFOUND,
                            "journal '%s' has no open step %lld", j->path,
                            (long long)step);
    return happened ? learn_user(j, step, step, now) : 0;
}

int gcp_journal_reconcile(gcp_journal *j, int64_t step, int64_t run,
                          int happened, const char *user_id)
{
    int rc;

    gcp_err__clear(&j->err);
    if ((rc = gcp_journal__tx_begin(j, "reconcile a step")) != 0)
        return rc;
    rc = reconcile_update(j, step, run, happened, user_id);
    return gcp_journal__tx_end(j, rc, "reconcile a step");
}

/* --------------------------------------------------------- pending queue */

/*
 * Runs one statement with text and integer parameters as a whole write.
 * `types` has one letter per parameter: 't' text (from `texts`, in order),
 * 'i' integer (from `ints`, in order).
 */
static int write_simple(gcp_journal *j, const char *sql, const char *types,
                        const char *const *texts, const int64_t *ints,
                        const char *what)
{
    sqlite3_stmt *st = NULL;
    int rc;

    if ((rc = gcp_journal__tx_begin(j, what)) != 0)
        return rc;
    if ((rc = write_prepare(j, &st, sql, what)) != 0)
        return gcp_journal__tx_end(j, rc, what);
    for (int i = 0; types[i] != '\0'; i++) {
        if (types[i] == 't')
            gcp_journal__bind_text(st, i + 1, *texts++);
        else
            sqlite3_bind_int64(st, i + 1, *ints++);
    }
    if ((rc = step_done(st)) != SQLITE_OK)
        rc = gcp_journal__fail(j, rc, what);
    sqlite3_finalize(st);
    return gcp_journal__tx_end(j, rc, what);
}

int gcp_journal_pending_add(gcp_journal *j, int64_t run, const char *person_key,
                            const char *license_id, gcp_pending_reason reason,
                            const char *detail)
{
    static const char sql[] =
        "INSERT INTO pending (person_key, license_id, reason, detail,"
        " first_run, queued_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (person_key, license_id) DO UPDATE SET"
        " reason = excluded.reason, detail = excluded.detail,"
        " updated_ms = excluded.updated_ms";
    int64_t now = gcp_journal__now_ms();
    const char *texts[4];
    int64_t ints[3] = {run, now, now};

    gcp_err__clear(&j->err);
    if (person_key == NULL || *person_key == '\0' ||
        strcmp(gcp_pending_reason_name(reason), "unknown") == 0)
        return gcp_err__set(&j->err, GCP_EINVALID,
                            "a pending person needs a key and a reason");
    texts[0] = person_key;
    texts[1] = license_id != NULL ? license_id : "";
    texts[2] = gcp_pending_reason_name(reason);
    texts[3] = detail;
    return write_simple(j, sql, "ttttiii", texts, ints, "queue a person");
}

int gcp_journal_pending_done(gcp_journal *j, const char *person_key,
                             const char *license_id)
{
    static const char sql[] = "DELETE FROM pending WHERE person_key = ?1 AND"
                              " (?2 IS NULL OR license_id = ?2)";
    const char *texts[2] = {person_key, license_id};

    gcp_err__clear(&j->err);
    if (person_key == NULL)
        return gcp_err__set(&j->err, GCP_EINVALID, "no person key given");
    return write_simple(j, sql, "tt", texts, NULL, "unqueue a person");
}

/* ----------------------------------------------------------- known users */

int gcp_journal_known_user_set(gcp_journal *j, const char *person_key,
                               const char *user_id)
{
    sqlite3_stmt *st;
    int rc;

    gcp_err__clear(&j->err);
    if (person_key == NULL || user_id == NULL || *person_key == '\0' ||
        *user_id == '\0')
        return gcp_err__set(&j->err, GCP_EINVALID,
                            "a known user needs a person key and a user id");
    if ((rc = gcp_journal__tx_begin(j, "learn a user id")) != 0)
        return rc;
    if ((st = gcp_journal__stmt(j, JSTMT_KNOWN_SET)) == NULL)
        return gcp_journal__tx_end(j, j->err.code, "learn a user id");
    gcp_journal__bind_text(st, 1, person_key);
    gcp_journal__bind_text(st, 2, user_id);
    sqlite3_bind_int64(st, 3, gcp_journal__now_ms());
    if ((rc = step_done(st)) != SQLITE_OK)
        rc = gcp_journal__fail(j, rc, "learn a user id");
    return gcp_journal__tx_end(j, rc, "learn a user id");
}

int gcp_journal_known_user_forget(gcp_journal *j, const char *person_key)
{
    static const char sql[] = "DELETE FROM known_users WHERE person_key = ?";
    const char *texts[1] = {person_key};

    gcp_err__clear(&j->err);
    if (person_key == NULL)
        return gcp_err__set(&j->err, GCP_EINVALID, "no person key given");
    return write_simple(j, sql, "t", texts, NULL, "forget a user id");
}

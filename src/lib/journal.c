/*
 * journal.c: opening and closing a journal, its transactions and the
 * mapping of SQLite failures onto the error contract.
 *
 * Durability: WAL mode with synchronous=FULL by default. In WAL mode,
 * NORMAL already survives a killed process, but may lose the last commits
 * if the machine loses power; FULL syncs the log at every commit, so an
 * intent is on disk before its request leaves. That costs one sync per
 * transaction, which is why apply batches a request's intents
 * (gcp_journal_intents) and may join one request's results with the next
 * one's intents (gcp_journal_begin). A caller may choose NORMAL
 * (gcp_journal_options.sync) when the sync cost shows.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "journal_int.h"

/* How long a reader may wait for a checkpoint of the writer, in ms. */
#define JOURNAL_BUSY_TIMEOUT_MS 5000

static const char *const step_names[GCP_STEP_COUNT] = {
    "create", "externalid", "update",  "restore", "deactivate",
    "grant",  "license",    "release", "move",
};

static const char *const state_names[] = {"open", "done", "failed", "unknown",
                                          "absent"};

static const char *const reason_names[] = {"license", "budget", "in use"};

const char *gcp_journal_step_name(gcp_journal_step step)
{
    if ((unsigned)step >= GCP_STEP_COUNT)
        return "unknown";
    return step_names[step];
}

const char *gcp_journal_state_name(gcp_journal_state state)
{
    if ((unsigned)state >= sizeof(state_names) / sizeof(state_names[0]))
        return "unknown";
    return state_names[state];
}

const char *gcp_pending_reason_name(gcp_pending_reason reason)
{
    if ((unsigned)reason >= sizeof(reason_names) / sizeof(reason_names[0]))
        return "unknown";
    return reason_names[reason];
}

int64_t gcp_journal__now_ms(void)
{
    struct timeval tv;

    gettimeofday(&tv, NULL);
    return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

int gcp_journal__fail(gcp_journal *j, int sqlite_rc, const char *what)
{
    int primary = sqlite_rc & 0xff;
    const char *text = sqlite3_errstr(sqlite_rc);

    /* The connection's message is richer, when it is about this failure. */
    if (j->db != NULL && (sqlite3_errcode(j->db) & 0xff) == primary)
        text = sqlite3_errmsg(j->db);
    if (primary == SQLITE_NOMEM)
        return gcp_err__set(&j->err, GCP_ENOMEM, "out of memory");
    if (primary == SQLITE_CONSTRAINT)
        return gcp_err__set(&j->err, GCP_EINVALID,
                            "could not %s in journal '%s': %s", what, j->path,
                            text);
    return gcp_err__set(&j->err, GCP_EIO, "could not %s in journal '%s': %s",
                        what, j->path, text);
}

int gcp_journal__writable(gcp_journal *j)
{
    if (j->db == NULL)
        return gcp_err__set(&j->err, GCP_EIO, "journal '%s' is closed",
                            j->path);
    if (j->read_only)
        return gcp_err__set(&j->err, GCP_EIO, "journal '%s' is open read-only",
                            j->path);
    return 0;
}

int gcp_journal__bind_text(sqlite3_stmt *st, int index, const char *text)
{
    if (text == NULL)
        return sqlite3_bind_null(st, index);
    return sqlite3_bind_text(st, index, text, -1, SQLITE_STATIC);
}

static const char *const stmt_sql[JSTMT_COUNT] = {
    [JSTMT_INTENT] = "INSERT INTO steps (run_id, person_key, step, user_id,"
                     " target, scope, intent_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
    [JSTMT_RESULT] =
        "UPDATE steps SET state = ?, user_id = coalesce(?,"
        " user_id), http_status = ?, error_code = ?, message = ?,"
        " correlation_id = ?, result_ms = ? WHERE id BETWEEN ? AND ?",
    [JSTMT_STEP_USER] =
        "INSERT INTO known_users (person_key, user_id,"
        " learned_run, learned_ms) SELECT person_key, user_id,"
        " run_id, ? FROM steps WHERE id BETWEEN ? AND ? AND user_id IS NOT"
        " NULL AND (step = 'externalid' OR (step = 'create'"
        " AND lower(target) = person_key)) ON CONFLICT "
        "(person_key) DO UPDATE SET user_id"
        " = excluded.user_id, learned_run ="
        " excluded.learned_run, learned_ms ="
        " excluded.learned_ms",
    [JSTMT_KNOWN_SET] = "INSERT INTO known_users (person_key, user_id,"
                        " learned_run, learned_ms) VALUES (?, ?, NULL, ?)"
                        " ON CONFLICT (person_key) DO UPDATE SET user_id ="
                        " excluded.user_id, learned_ms = excluded.learned_ms",
};

sqlite3_stmt *gcp_journal__stmt(gcp_journal *j, enum journal_stmt which)
{
    sqlite3_stmt *st = j->stmts[which];
    int rc;

    if (st != NULL) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
        return st;
    }
    rc = sqlite3_prepare_v3(j->db, stmt_sql[which], -1,
                            SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK) {
        gcp_journal__fail(j, rc, "prepare a statement");
        return NULL;
    }
    j->stmts[which] = st;
    return st;
}

static int journal_exec(gcp_journal *j, const char *sql, const char *what)
{
    int rc = sqlite3_exec(j->db, sql, NULL, NULL, NULL);

    return rc == SQLITE_OK ? 0 : gcp_journal__fail(j, rc, what);
}

int gcp_journal__tx_begin(gcp_journal *j, const char *what)
{
    int rc = gcp_journal__writable(j);

    if (rc != 0)
        return rc;
    /* Inside a batch, a savepoint undoes this call alone on failure. */
    if (j->in_batch)
        return journal_exec(j, "SAVEPOINT journal_call", what);
    return journal_exec(j, "BEGIN IMMEDIATE", what);
}

/* Rolls back after a failure, keeping the failure's message. */
static void journal_undo(gcp_journal *j)
{
    if (j->in_batch) {
        sqlite3_exec(j->db, "ROLLBACK TO journal_call; RELEASE journal_call",
                     NULL, NULL, NULL);
        return;
    }
    if (!sqlite3_get_autocommit(j->db))
        sqlite3_exec(j->db, "ROLLBACK", NULL, NULL, NULL);
}

int gcp_journal__tx_end(gcp_journal *j, int rc, const char *what)
{
    if (rc != 0) {
        journal_undo(j);
        return rc;
    }
    if (j->in_batch)
        rc = journal_exec(j, "RELEASE journal_call", what);
    else
        rc = journal_exec(j, "COMMIT", what);
    if (rc != 0)
        journal_undo(j);
    return rc;
}

int gcp_journal_begin(gcp_journal *j)
{
    int rc;

    gcp_err__clear(&j->err);
    if ((rc = gcp_journal__writable(j)) != 0)
        return rc;
    if (j->in_batch)
        return gcp_err__set(&j->err, GCP_EINVALID,
                            "a batch is already open on journal '%s'", j->path);
    if ((rc = journal_exec(j, "BEGIN IMMEDIATE", "start a batch")) == 0)
        j->in_batch = 1;
    return rc;
}

int gcp_journal_commit(gcp_journal *j)
{
    int rc;

    gcp_err__clear(&j->err);
    if (!j->in_batch)
        return gcp_err__set(&j->err, GCP_EINVALID,
                            "no batch is open on journal '%s'", j->path);
    j->in_batch = 0;
    rc = journal_exec(j, "COMMIT", "commit a batch");
    if (rc != 0)
        journal_undo(j);
    return rc;
}

int gcp_journal_rollback(gcp_journal *j)
{
    /* The message of the failure that led here stays, unless this fails. */
    if (!j->in_batch)
        return 0;
    j->in_batch = 0;
    return journal_exec(j, "ROLLBACK", "roll back a batch");
}

/* ---------------------------------------------------------------- opening */

/* Creates the missing folders above `path`, each owner-only (0700). */
static int journal_make_parents(gcp_journal *j)
{
    char *dir = strdup(j->path);
    int rc = 0;

    if (dir == NULL)
        return gcp_err__set(&j->err, GCP_ENOMEM, "out of memory");
    for (char *p = dir + 1; *p != '\0' && rc == 0; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) == 0) {
            /* mkdir honours the umask; chmod makes 0700 exact. */
            if (chmod(dir, 0700) != 0)
                rc = GCP_EIO;
        } else if (errno != EEXIST) {
            rc = GCP_EIO;
        }
        if (rc != 0)
            gcp_err__set(&j->err, GCP_EIO, "could not create folder '%s': %s",
                         dir, strerror(errno));
        *p = '/';
    }
    free(dir);
    return rc;
}

/*
 * Makes `path` an owner-only file: creates it 0600 if missing, and
 * narrows an existing one that others could read. `must_exist` is for the
 * -wal and -shm files, which SQLite creates itself: only narrowed.
 */
static int journal_protect(gcp_journal *j, const char *path, int must_exist)
{
    int flags = O_RDWR | O_CLOEXEC | O_NOFOLLOW | (must_exist ? 0 : O_CREAT);
    int fd = open(path, flags, 0600);
    struct stat st;
    int rc = 0;

    if (fd < 0 && must_exist && errno == ENOENT)
        return 0;
    if (fd < 0)
        return gcp_err__set(&j->err, GCP_EIO, "could not open journal '%s': %s",
                            path, strerror(errno));
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
        rc = gcp_err__set(&j->err, GCP_EIO,
                          "journal '%s' is not a regular file", path);
    else if ((st.st_mode & 0777) != 0600 && fchmod(fd, 0600) != 0)
        rc = gcp_err__set(&j->err, GCP_EIO,
                          "could not make journal '%s' owner-only: %s", path,
                          strerror(errno));
    close(fd);
    return rc;
}

/*
 * Creates the -wal and -shm files owner-only before SQLite needs them
 * (`create`), or narrows them after (`!create`). SQLite gives the files it
 * creates the database's mode already; this makes it so whatever created
 * them. Creating never truncates: a log left by a crash is data.
 */
static int journal_protect_companions(gcp_journal *j, int create)
{
    static const char *const suffixes[] = {"-wal", "-shm"};
    size_t len = strlen(j->path) + 5;
    char *name = malloc(len);
    int rc = 0;

    if (name == NULL)
        return gcp_err__set(&j->err, GCP_ENOMEM, "out of memory");
    for (size_t i = 0; i < 2 && rc == 0; i++) {
        snprintf(name, len, "%s%s", j->path, suffixes[i]);
        rc = journal_protect(j, name, !create);
    }
    free(name);
    return rc;
}

static int journal_pragma_text(gcp_journal *j, const char *sql,
                               const char *expect)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(j->db, sql, -1, &st, NULL);
    int matches = 0;

    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *got = (const char *)sqlite3_column_text(st, 0);

        matches = got != NULL && strcmp(got, expect) == 0;
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_OK)
        return gcp_journal__fail(j, rc, "configure the database");
    if (!matches)
        return gcp_err__set(&j->err, GCP_EIO,
                            "journal '%s' refused '%s': is it on a network "
                            "file system?",
                            j->path, sql);
    return 0;
}

static int journal_configure_writer(gcp_journal *j)
{
    int rc;

    if (sqlite3_db_readonly(j->db, "main") == 1)
        return gcp_err__set(&j->err, GCP_EIO,
                            "journal '%s' is read-only: cannot record a run",
                            j->path);
    if ((rc = journal_pragma_text(j, "PRAGMA journal_mode = WAL", "wal")) != 0)
        return rc;
    return journal_exec(j,
                        j->sync == GCP_JOURNAL_SYNC_NORMAL
                            ? "PRAGMA synchronous = NORMAL; "
                              "PRAGMA foreign_keys = ON"
                            : "PRAGMA synchronous = FULL; "
                              "PRAGMA foreign_keys = ON",
                        "configure the database");
}

static int journal_read_version(gcp_journal *j, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(j->db, "PRAGMA user_version", -1, &st, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_OK ? 0 : gcp_journal__fail(j, rc, "read the schema");
}

/* Brings the schema up to date, or refuses a journal this build can't use. */
static int journal_check_schema(gcp_journal *j)
{
    int current = gcp_journal__migration_count;
    int version = 0;
    int rc;

    if ((rc = journal_read_version(j, &version)) != 0)
        return rc;
    if (version > current)
        return gcp_err__set(&j->err, GCP_EUNSUPPORTED,
                            "journal '%s' has schema %d, newer than this "
                            "gcprov's %d: upgrade gcprov",
                            j->path, version, current);
    if (version == current)
        return 0;
    if (j->read_only)
        return gcp_err__set(&j->err, GCP_EUNSUPPORTED,
                            "journal '%s' has the older schema %d: run "
                            "'gcprov apply' once to upgrade it",
                            j->path, version);
    gcp_log__emit(&j->log, GCP_LOG_INFO,
                  "Upgrading journal '%s' from schema %d to %d.", j->path,
                  version, current);
    rc = gcp_journal__migrate(j->db, current);
    return rc == SQLITE_OK ? 0 : gcp_journal__fail(j, rc, "upgrade the schema");
}

static int journal_connect(gcp_journal *j)
{
    int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE |
                (j->read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
    int rc = sqlite3_open_v2(j->path, &j->db, flags, NULL);

    if (rc != SQLITE_OK)
        return gcp_journal__fail(j, rc, "open the database");
    sqlite3_busy_timeout(j->db, JOURNAL_BUSY_TIMEOUT_MS);
    return 0;
}

static int journal_open_reader(gcp_journal *j)
{
    struct stat st;
    int rc;

    if (stat(j->path, &st) != 0)
        return gcp_err__set(&j->err, errno == ENOENT ? GCP_ENOTFOUND : GCP_EIO,
                            "could not open journal '%s': %s", j->path,
                            strerror(errno));
    if ((rc = journal_connect(j)) != 0)
        return rc;
    return journal_check_schema(j);
}

static int journal_open_writer(gcp_journal *j)
{
    int rc;

    if ((rc = journal_make_parents(j)) != 0 ||
        (rc = gcp_journal__lock(j)) != 0 ||
        (rc = journal_protect(j, j->path, 0)) != 0 ||
        (rc = journal_protect_companions(j, 1)) != 0 ||
        (rc = journal_connect(j)) != 0 ||
        (rc = journal_configure_writer(j)) != 0 ||
        (rc = journal_check_schema(j)) != 0)
        return rc;
    return journal_protect_companions(j, 0);
}

int gcp_journal_open(gcp_journal **out, const char *path,
                     const gcp_journal_options *opts)
{
    gcp_journal_options defaults = GCP_JOURNAL_OPTIONS_INIT;
    gcp_journal *j = calloc(1, sizeof(*j));

    *out = j;
    if (j == NULL)
        return GCP_ENOMEM;
    if (opts == NULL)
        opts = &defaults;
    j->lock_fd = -1;
    j->read_only = opts->read_only;
    j->sync = opts->sync;
    j->log.fn = opts->log_fn;
    j->log.payload = opts->log_payload;
    j->log.min = opts->log_level;
    if (path == NULL || *path == '\0')
        return gcp_err__set(&j->err, GCP_EINVALID, "no journal path given");
    if ((j->path = strdup(path)) == NULL)
        return gcp_err__set(&j->err, GCP_ENOMEM, "out of memory");
    if (j->read_only)
        return journal_open_reader(j);
    return journal_open_writer(j);
}

/* ---------------------------------------------------------------- closing */

int gcp_journal_close(gcp_journal *j)
{
    int rc = SQLITE_OK;

    if (j == NULL)
        return 0;
    gcp_err__clear(&j->err);
    if (j->in_batch)
        gcp_journal_rollback(j);
    for (int i = 0; i < JSTMT_COUNT; i++) {
        sqlite3_finalize(j->stmts[i]);
        j->stmts[i] = NULL;
    }
    if (j->db != NULL) {
        rc = sqlite3_close(j->db);
        if (rc != SQLITE_OK) {
            gcp_err__set(&j->err, GCP_EIO, "could not close journal '%s': %s",
                         j->path, sqlite3_errstr(rc));
            /* Let SQLite finish once the last statement is gone. */
            sqlite3_close_v2(j->db);
        }
        j->db = NULL;
    }
    gcp_journal__unlock(j);
    return rc == SQLITE_OK ? 0 : GCP_EIO;
}

void gcp_journal_free(gcp_journal *j)
{
    if (j == NULL)
        return;
    gcp_journal_close(j);
    free(j->lock_path);
    free(j->path);
    free(j);
}

const char *gcp_journal_message(const gcp_journal *j)
{
    return j != NULL ? gcp_err__message(&j->err) : "";
}

const char *gcp_journal_path(const gcp_journal *j)
{
    return j != NULL && j->path != NULL ? j->path : "";
}

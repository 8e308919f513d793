/*
 * journal_int.h: what the journal's source files share: the handle, its
 * prepared statements, the schema's migration steps and the error mapping.
 * Tests include it to reach the SQLite connection (to simulate a full
 * disk) and to build journals at an older schema version.
 */
#ifndef GCP_JOURNAL_INT_H
#define GCP_JOURNAL_INT_H

#include <sqlite3.h>

#include "err.h"
#include "gcprov/journal.h"
#include "log.h"

/* Statements prepared once per handle, because apply runs them per step. */
enum journal_stmt {
    JSTMT_INTENT,
    JSTMT_RESULT,
    JSTMT_STEP_USER,
    JSTMT_KNOWN_SET,
    JSTMT_COUNT
};

struct gcp_journal {
    struct gcp_err err;
    struct gcp_logger log;
    char *path;
    sqlite3 *db;
    int read_only;
    gcp_journal_sync sync;
    int in_batch; /* inside gcp_journal_begin .. commit */
    int lock_fd;  /* the held lock file, or -1 */
    char *lock_path;
    sqlite3_stmt *stmts[JSTMT_COUNT];
};

/* The schema: migration step i brings user_version from i to i + 1. */
extern const char *const gcp_journal__migrations[];
extern const int gcp_journal__migration_count;

/*
 * Runs migration steps on `db` until its user_version is `target`, each
 * step and its version bump in one transaction. Returns an SQLite code.
 */
int gcp_journal__migrate(sqlite3 *db, int target);

/*
 * Records an SQLite failure as GCP_EIO (GCP_ENOMEM when out of memory)
 * with a message "could not WHAT in journal 'PATH': SQLITE-TEXT", and
 * returns the code.
 */
int gcp_journal__fail(gcp_journal *j, int sqlite_rc, const char *what);

/* Returns the current UTC time in milliseconds since 1970. */
int64_t gcp_journal__now_ms(void);

/*
 * Starts a transaction for one public write, unless a batch is open, and
 * finishes it: commit on rc == 0, roll back otherwise. tx_end returns the
 * final code (a failed commit becomes GCP_EIO naming the file).
 */
int gcp_journal__tx_begin(gcp_journal *j, const char *what);
int gcp_journal__tx_end(gcp_journal *j, int rc, const char *what);

/* Returns the prepared statement `which`, reset, or NULL after failing. */
sqlite3_stmt *gcp_journal__stmt(gcp_journal *j, enum journal_stmt which);

/* Fails with GCP_EIO when the handle is read-only or closed. */
int gcp_journal__writable(gcp_journal *j);

/* Binds a string, or NULL when `text` is NULL. Returns an SQLite code. */
int gcp_journal__bind_text(sqlite3_stmt *st, int index, const char *text);

/* Takes the writer's lock next to the journal; releases it. */
int gcp_journal__lock(gcp_journal *j);
void gcp_journal__unlock(gcp_journal *j);

#endif

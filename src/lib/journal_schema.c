/*
 * journal_schema.c: the journal's schema, as an ordered list of migration
 * steps. PRAGMA user_version holds how many steps a file has had; opening
 * it for writing runs the missing ones. A step, once released, is never
 * edited: a change to the schema is a new step at the end.
 *
 * Steps and states are stored by name, not number, so that an auditor can
 * read the file with the sqlite3 shell. Times are milliseconds since 1970,
 * UTC. No table has a column for a secret or a token. The CHECKs spell
 * their lists with OR, not IN: SQLite builds a temporary table for an IN
 * list each time a row is written, which doubled the cost of a step.
 */
#include <stdio.h>

#include "journal_int.h"

const char *const gcp_journal__migrations[] = {
    /* 1: the audit trail: runs and the steps they took. */
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY,"
    " command TEXT NOT NULL,"
    " started_ms INTEGER NOT NULL,"
    " ended_ms INTEGER,"
    " client_id TEXT,"
    " api_host TEXT,"
    " roster_path TEXT,"
    " roster_sha256 TEXT,"
    " options_json TEXT,"
    " outcome TEXT,"
    " exit_status INTEGER,"
    " pid INTEGER NOT NULL,"
    " host TEXT NOT NULL);"
    "CREATE TABLE steps ("
    " id INTEGER PRIMARY KEY,"
    " run_id INTEGER NOT NULL REFERENCES runs(id),"
    " person_key TEXT NOT NULL,"
    " step TEXT NOT NULL CHECK (step = 'create' OR step = 'externalid' OR"
    "  step = 'update' OR step = 'restore' OR step = 'deactivate' OR"
    "  step = 'grant' OR step = 'license' OR step = 'release'),"
    " user_id TEXT,"
    " target TEXT,"
    " scope TEXT,"
    " state TEXT NOT NULL DEFAULT 'open' CHECK (state = 'open' OR"
    "  state = 'done' OR state = 'failed' OR state = 'unknown' OR"
    "  state = 'absent'),"
    " http_status INTEGER,"
    " error_code TEXT,"
    " message TEXT,"
    " correlation_id TEXT,"
    " intent_ms INTEGER NOT NULL,"
    " result_ms INTEGER);"
    "CREATE INDEX steps_by_run ON steps(run_id, person_key, id);"
    "CREATE INDEX steps_by_person ON steps(person_key, step);",

    /*
     * 2: resuming: who checked an open step against the tenant, the queue
     * of people waiting for seats and the user ids learned so far.
     */
    "ALTER TABLE steps ADD COLUMN reconciled_run INTEGER REFERENCES runs(id);"
    "ALTER TABLE steps ADD COLUMN reconciled_ms INTEGER;"
    "CREATE INDEX steps_unresolved ON steps(id)"
    " WHERE state IN ('open', 'unknown');"
    "CREATE TABLE pending ("
    " seq INTEGER PRIMARY KEY AUTOINCREMENT,"
    " person_key TEXT NOT NULL,"
    " license_id TEXT NOT NULL DEFAULT '',"
    " reason TEXT NOT NULL CHECK (reason = 'license' OR reason = 'budget'"
    "  OR reason = 'in use'),"
    " detail TEXT,"
    " first_run INTEGER REFERENCES runs(id),"
    " queued_ms INTEGER NOT NULL,"
    " updated_ms INTEGER NOT NULL,"
    " UNIQUE (person_key, license_id));"
    "CREATE TABLE known_users ("
    " person_key TEXT PRIMARY KEY,"
    " user_id TEXT NOT NULL,"
    " learned_run INTEGER,"
    " learned_ms INTEGER NOT NULL) WITHOUT ROWID;",

    /*
     * 3: the step 'move' (a user moved to another division). SQLite
     * cannot change a CHECK, so the table is made again with every
     * column of steps 1 and 2 in their order, its rows copied with their
     * ids, and its indexes made again (dropping the table dropped them).
     * No table refers to steps, so the foreign keys stay whole.
     */
    "CREATE TABLE steps_v3 ("
    " id INTEGER PRIMARY KEY,"
    " run_id INTEGER NOT NULL REFERENCES runs(id),"
    " person_key TEXT NOT NULL,"
    " step TEXT NOT NULL CHECK (step = 'create' OR step = 'externalid' OR"
    "  step = 'update' OR step = 'restore' OR step = 'deactivate' OR"
    "  step = 'grant' OR step = 'license' OR step = 'release' OR"
    "  step = 'move'),"
    " user_id TEXT,"
    " target TEXT,"
    " scope TEXT,"
    " state TEXT NOT NULL DEFAULT 'open' CHECK (state = 'open' OR"
    "  state = 'done' OR state = 'failed' OR state = 'unknown' OR"
    "  state = 'absent'),"
    " http_status INTEGER,"
    " error_code TEXT,"
    " message TEXT,"
    " correlation_id TEXT,"
    " intent_ms INTEGER NOT NULL,"
    " result_ms INTEGER,"
    " reconciled_run INTEGER REFERENCES runs(id),"
    " reconciled_ms INTEGER);"
    "INSERT INTO steps_v3 (id, run_id, person_key, step, user_id, target,"
    " scope, state, http_status, error_code, message, correlation_id,"
    " intent_ms, result_ms, reconciled_run, reconciled_ms)"
    " SELECT id, run_id, person_key, step, user_id, target, scope, state,"
    " http_status, error_code, message, correlation_id, intent_ms,"
    " result_ms, reconciled_run, reconciled_ms FROM steps;"
    "DROP TABLE steps;"
    "ALTER TABLE steps_v3 RENAME TO steps;"
    "CREATE INDEX steps_by_run ON steps(run_id, person_key, id);"
    "CREATE INDEX steps_by_person ON steps(person_key, step);"
    "CREATE INDEX steps_unresolved ON steps(id)"
    " WHERE state IN ('open', 'unknown');",
};

const int gcp_journal__migration_count =
    (int)(sizeof(gcp_journal__migrations) / sizeof(gcp_journal__migrations[0]));

int gcp_journal_schema_version(void)
{
    return gcp_journal__migration_count;
}

static int schema_version(sqlite3 *db, int *out)
{
    sqlite3_stmt *st = NULL;
    int rc = sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL);

    if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        *out = sqlite3_column_int(st, 0);
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Runs step `index` and records it, in one transaction. */
static int migrate_one(sqlite3 *db, int index)
{
    char bump[64];
    int rc;

    snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", index + 1);
    if ((rc = sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != 0)
        return rc;
    rc = sqlite3_exec(db, gcp_journal__migrations[index], NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, bump, NULL, NULL, NULL);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK && !sqlite3_get_autocommit(db)) {
        /* Keep the failing step's error text, not the rollback's. */
        sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
    }
    return rc;
}

int gcp_journal__migrate(sqlite3 *db, int target)
{
    int version = 0;
    int rc = schema_version(db, &version);

    for (; rc == SQLITE_OK && version < target; version++)
        rc = migrate_one(db, version);
    return rc;
}

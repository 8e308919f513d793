/*
 * gcprov/journal.h: the journal, gcprov's only local state. One SQLite
 * file per org records every run (who, which roster, which options, how it
 * ended), every step taken for every person (an intent before the request,
 * a result after), the people held back for seats and the Genesys user ids
 * learned so far. It lets an interrupted apply resume without repeating a
 * write blindly, and tells an auditor what was done to whom and when.
 *
 * The rules apply must follow are in docs/journal.md. In short: record the
 * intent (gcp_journal_intents) before sending a request, record the result
 * (gcp_journal_results) after; at the start of a run, read the steps left
 * open by a crash (gcp_journal_unresolved), check each against the tenant
 * and mark it (gcp_journal_reconcile).
 *
 * A gcp_journal is an opaque handle; it is not thread-safe: use it from one
 * thread at a time. Every function that takes a handle clears its message
 * on entry and, on failure, leaves a one-line message naming the journal
 * file (gcp_journal_message). Disk, permission and SQLite failures are
 * GCP_EIO. The journal holds no secrets and no tokens: there is no column
 * for them.
 */
#ifndef GCPROV_JOURNAL_H
#define GCPROV_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "gcprov/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gcp_journal gcp_journal;

/* The writes apply makes for a person, one journal step each. */
typedef enum gcp_journal_step {
    GCP_STEP_CREATE = 0,     /* POST /users; target: the email */
    GCP_STEP_EXTERNALID = 1, /* set the external id; target: its value */
    GCP_STEP_UPDATE = 2,     /* PATCH /users/{id}; target: field names */
    GCP_STEP_RESTORE = 3,    /* bring back a deleted user */
    GCP_STEP_DEACTIVATE = 4, /* set state inactive */
    GCP_STEP_GRANT = 5,      /* target: role id, scope: division id */
    GCP_STEP_LICENSE = 6,    /* assign; target: license id */
    GCP_STEP_RELEASE = 7,    /* unassign; target: license id */
    GCP_STEP_MOVE = 8,       /* to another division; target: its id */
} gcp_journal_step;

#define GCP_STEP_COUNT 9

/* Where a step stands. */
typedef enum gcp_journal_state {
    GCP_STATE_OPEN = 0,    /* intent recorded, no result: reconcile it */
    GCP_STATE_DONE = 1,    /* the tenant accepted it */
    GCP_STATE_FAILED = 2,  /* the tenant refused it; nothing changed */
    GCP_STATE_UNKNOWN = 3, /* sent, outcome unknown: reconcile it */
    GCP_STATE_ABSENT = 4,  /* reconciled: the tenant shows it never happened */
} gcp_journal_state;

/* Why a person waits in the pending queue. */
typedef enum gcp_pending_reason {
    GCP_PENDING_LICENSE = 0, /* the tenant refused the license: no seat */
    GCP_PENDING_BUDGET = 1,  /* the operator's seat budget is spent */
    GCP_PENDING_IN_USE = 2,  /* every seat is taken; waiting for a release */
} gcp_pending_reason;

/*
 * Returns the step's lower-case name ("create", "externalid", ...), the
 * state's ("open", "done", ...) or the reason's ("license", "budget",
 * "in use"); "unknown" for a value out of range. Never NULL.
 */
GCP_EXTERN const char *gcp_journal_step_name(gcp_journal_step step);
GCP_EXTERN const char *gcp_journal_state_name(gcp_journal_state state);
GCP_EXTERN const char *gcp_pending_reason_name(gcp_pending_reason reason);

/*
 * How hard each commit presses its writes to the disk (PRAGMA synchronous
 * in WAL mode). Both survive a killed process: the difference is a power
 * loss or an OS crash. See docs/journal.md for the figures.
 */
typedef enum gcp_journal_sync {
    /* Sync the log at every commit: a recorded intent survives a power
     * loss, at the price of one disk sync per commit. */
    GCP_JOURNAL_SYNC_FULL = 0,
    /* Sync only at checkpoints: a killed process loses nothing, a power
     * loss may forget the last commits (never corrupts); apply then finds
     * the truth in the tenant, which it reads anyway. The default: about
     * four times cheaper per commit on a disk that syncs slowly. */
    GCP_JOURNAL_SYNC_NORMAL = 1,
} gcp_journal_sync;

/* How to open a journal. */
typedef struct gcp_journal_options {
    unsigned version;
    /*
     * Non-zero: open an existing journal to read it (status, report,
     * history). No lock is taken, nothing is created or migrated, and
     * every write fails with GCP_EIO.
     */
    int read_only;
    gcp_log_fn log_fn; /* NULL: silent */
    void *log_payload; /* passed back to log_fn, borrowed */
    gcp_log_level log_level;
    gcp_journal_sync sync; /* writers only */
} gcp_journal_options;

#define GCP_JOURNAL_OPTIONS_VERSION 1
#define GCP_JOURNAL_OPTIONS_INIT                                               \
    {                                                                          \
        GCP_JOURNAL_OPTIONS_VERSION, 0, NULL, NULL, GCP_LOG_WARN,              \
            GCP_JOURNAL_SYNC_NORMAL                                            \
    }

/*
 * Opens the journal at `path` (borrowed), creating it, and any missing
 * parent folder (0700), owner-only (0600) when it does not exist, and
 * bringing its schema up to date. A writer takes the journal's lock: a
 * second writer on the same file fails at once with GCP_EBUSY and a
 * message naming the holder's pid, host and start time. `opts` may be
 * NULL for the defaults.
 *
 * Like sqlite3_open, *out is set even on failure (unless out of memory,
 * when it is NULL): the handle then only holds the message. The caller
 * frees it with gcp_journal_free() in both cases.
 *
 * Returns 0; GCP_EBUSY when locked; GCP_ENOTFOUND when opening read-only
 * a journal that does not exist; GCP_EUNSUPPORTED for a journal written
 * by a newer gcprov, or an older one opened read-only; GCP_EIO otherwise.
 */
GCP_EXTERN int gcp_journal_open(gcp_journal **out, const char *path,
                                const gcp_journal_options *opts);

/*
 * Closes the database, checking that the last writes reached the file,
 * and releases the lock. The handle stays valid for gcp_journal_message()
 * and must still be freed. Returns 0 or GCP_EIO.
 */
GCP_EXTERN int gcp_journal_close(gcp_journal *j);

/* Closes the journal if still open (unchecked) and frees it. NULL is fine. */
GCP_EXTERN void gcp_journal_free(gcp_journal *j);

/* Returns the last failure's message, "" when none. Borrowed; never NULL. */
GCP_EXTERN const char *gcp_journal_message(const gcp_journal *j);

/* Returns the journal's path, borrowed from the handle. Never NULL. */
GCP_EXTERN const char *gcp_journal_path(const gcp_journal *j);

/* The schema version this build writes. */
GCP_EXTERN int gcp_journal_schema_version(void);

/*
 * Groups several of the writes below into one transaction, so they cost
 * one disk sync instead of one each (e.g. the results of one request and
 * the intents of the next). Nothing is durable before gcp_journal_commit:
 * commit before sending a request whose intent is in the batch. Batches
 * do not nest. Return 0 or GCP_EIO; commit failing leaves nothing written.
 */
GCP_EXTERN int gcp_journal_begin(gcp_journal *j);
GCP_EXTERN int gcp_journal_commit(gcp_journal *j);

/*
 * Undoes an open batch. The message of the failure that made the caller
 * roll back is kept, unless the rollback fails too. Returns 0 or GCP_EIO.
 */
GCP_EXTERN int gcp_journal_rollback(gcp_journal *j);

/* ------------------------------------------------------------------ runs */

/* What a run records about itself when it starts. Strings are borrowed. */
typedef struct gcp_journal_run_info {
    unsigned version;
    const char *command;     /* "apply"; required */
    const char *client_id;   /* the OAuth client id, never its secret */
    const char *api_host;    /* e.g. "api.mypurecloud.com" */
    const char *roster_path; /* as given; "-" for standard input */
    /*
     * The roster's SHA-256 in lower-case hex; NULL: computed here from
     * roster_path when it names a readable file.
     */
    const char *roster_sha256;
    const char *options_json; /* the run's options as a JSON object */
} gcp_journal_run_info;

#define GCP_JOURNAL_RUN_INFO_VERSION 1
#define GCP_JOURNAL_RUN_INFO_INIT                                              \
    {                                                                          \
        GCP_JOURNAL_RUN_INFO_VERSION, NULL, NULL, NULL, NULL, NULL, NULL       \
    }

/*
 * Records the start of a run (now, this process's pid and host) and sets
 * *out to its number, 1 for the first run of a journal. Returns 0,
 * GCP_EINVALID (no command, options_json not a JSON object) or GCP_EIO.
 */
GCP_EXTERN int gcp_journal_run_begin(int64_t *out, gcp_journal *j,
                                     const gcp_journal_run_info *info);

/*
 * Records how run `run` ended: an outcome word ("converged", "failed",
 * "held", "interrupted", ...) and the exit status. Returns 0,
 * GCP_ENOTFOUND or GCP_EIO.
 */
GCP_EXTERN int gcp_journal_run_end(gcp_journal *j, int64_t run,
                                   const char *outcome, int exit_status);

/* ----------------------------------------------------------------- steps */

/* The intent of one step, recorded before its request. Strings borrowed. */
typedef struct gcp_journal_intent {
    unsigned version;
    const char *person_key; /* the roster's key; required */
    gcp_journal_step step;
    const char *user_id; /* the Genesys user id when known (not for create) */
    const char *target;  /* role id, license id, external id, ...; or NULL */
    const char *scope;   /* the division id of a grant; or NULL */
} gcp_journal_intent;

#define GCP_JOURNAL_INTENT_VERSION 1
#define GCP_JOURNAL_INTENT_INIT                                                \
    {                                                                          \
        GCP_JOURNAL_INTENT_VERSION, NULL, GCP_STEP_CREATE, NULL, NULL, NULL    \
    }

/*
 * Records `count` intents of run `run` in one transaction (one request
 * may carry several people, as a grant or a license batch does) and
 * writes their step ids to out[0 .. count - 1]. Durable when this returns
 * 0, unless inside gcp_journal_begin (then at commit). Returns 0,
 * GCP_EINVALID (no person key, bad step) or GCP_EIO; on failure nothing
 * is recorded.
 */
GCP_EXTERN int gcp_journal_intents(int64_t *out, gcp_journal *j, int64_t run,
                                   const gcp_journal_intent *intents,
                                   size_t count);

/* The result of one step, recorded after its request. Strings borrowed. */
typedef struct gcp_journal_result {
    unsigned version;
    gcp_journal_state state; /* DONE, FAILED or UNKNOWN */
    const char *user_id;     /* learned or confirmed; NULL: keep the intent's */
    int http_status;         /* 0: no response */
    const char *error_code;  /* the API's "code", or NULL */
    const char *message;     /* the API's or transport's message, or NULL */
    const char *correlation_id; /* ININ-Correlation-Id, or NULL */
} gcp_journal_result;

#define GCP_JOURNAL_RESULT_VERSION 1
#define GCP_JOURNAL_RESULT_INIT                                                \
    {                                                                          \
        GCP_JOURNAL_RESULT_VERSION, GCP_STATE_DONE, NULL, 0, NULL, NULL, NULL  \
    }

/*
 * Records the results of steps `steps[0 .. count - 1]` in one transaction.
 * A DONE result with a user id also teaches the known-users table.
 * Returns 0, GCP_EINVALID (a state other than DONE, FAILED, UNKNOWN),
 * GCP_ENOTFOUND (no such step) or GCP_EIO; on failure nothing is recorded.
 */
GCP_EXTERN int gcp_journal_results(gcp_journal *j, const int64_t *steps,
                                   const gcp_journal_result *results,
                                   size_t count);

/*
 * Marks step `step`, left OPEN or UNKNOWN, as checked against the tenant
 * by run `run`: `happened` non-zero when the tenant shows the write took
 * effect (the step becomes DONE), zero when it did not (ABSENT: the plan
 * will do it again as a new step). `user_id` (borrowed, may be NULL) is
 * the user found. Returns 0, GCP_ENOTFOUND (no such step or not open) or
 * GCP_EIO.
 */
GCP_EXTERN int gcp_journal_reconcile(gcp_journal *j, int64_t step, int64_t run,
                                     int happened, const char *user_id);

/* One step, as read back. Strings are owned by the list; NULL when unset. */
typedef struct gcp_journal_step_row {
    int64_t id;
    int64_t run;
    const char *person_key;
    gcp_journal_step step;
    const char *user_id;
    const char *target;
    const char *scope;
    gcp_journal_state state;
    int http_status;
    const char *error_code;
    const char *message;
    const char *correlation_id;
    int64_t intent_ms;      /* when the intent was recorded, ms since 1970 */
    int64_t result_ms;      /* when the result was, or 0 */
    int64_t reconciled_run; /* the run that reconciled it, or 0 */
} gcp_journal_step_row;

typedef struct gcp_journal_steps gcp_journal_steps;

/*
 * Lists the steps whose intent was recorded but whose outcome is not
 * known (OPEN or UNKNOWN), oldest first. *out is caller-owned, freed with
 * gcp_journal_steps_free(). Returns 0 or GCP_EIO.
 */
GCP_EXTERN int gcp_journal_unresolved(gcp_journal_steps **out, gcp_journal *j);

/* Lists every step of run `run` by person, then in order. Like above. */
GCP_EXTERN int gcp_journal_run_steps(gcp_journal_steps **out, gcp_journal *j,
                                     int64_t run);

/*
 * Lists the FAILED steps not followed by a DONE step for the same person,
 * step, target and scope: failures still unresolved, oldest first.
 */
GCP_EXTERN int gcp_journal_failures(gcp_journal_steps **out, gcp_journal *j);

/* Returns how many rows; 0 for NULL. */
GCP_EXTERN size_t gcp_journal_steps_count(const gcp_journal_steps *list);

/* Returns row `i`, borrowed until the list is freed; NULL out of range. */
GCP_EXTERN const gcp_journal_step_row *
gcp_journal_steps_get(const gcp_journal_steps *list, size_t i);

/* Frees a list of steps. NULL is fine. */
GCP_EXTERN void gcp_journal_steps_free(gcp_journal_steps *list);

/* ------------------------------------------------------------------ runs */

/* One run, as read back. Strings are owned by the list; NULL when unset. */
typedef struct gcp_journal_run_row {
    int64_t id;
    const char *command;
    int64_t started_ms;
    int64_t ended_ms; /* 0: still running, or died */
    const char *client_id;
    const char *api_host;
    const char *roster_path;
    const char *roster_sha256;
    const char *options_json;
    const char *outcome; /* NULL until gcp_journal_run_end */
    int exit_status;     /* -1 until gcp_journal_run_end */
    long pid;
    const char *host;
    size_t people; /* distinct people with a step in this run */
    size_t done, failed, unresolved; /* steps by state (ABSENT not counted) */
} gcp_journal_run_row;

typedef struct gcp_journal_runs gcp_journal_runs;

/*
 * Lists the runs, newest first; `limit` 0 for all, or the newest `limit`.
 * *out is caller-owned, freed with gcp_journal_runs_free(). Returns 0 or
 * GCP_EIO.
 */
GCP_EXTERN int gcp_journal_runs_list(gcp_journal_runs **out, gcp_journal *j,
                                     size_t limit);

/* Reads run `run` alone into a one-row list. GCP_ENOTFOUND when absent. */
GCP_EXTERN int gcp_journal_run_get(gcp_journal_runs **out, gcp_journal *j,
                                   int64_t run);

GCP_EXTERN size_t gcp_journal_runs_count(const gcp_journal_runs *list);
GCP_EXTERN const gcp_journal_run_row *
gcp_journal_runs_get(const gcp_journal_runs *list, size_t i);
GCP_EXTERN void gcp_journal_runs_free(gcp_journal_runs *list);

/* --------------------------------------------------------- pending queue */

/*
 * Queues a person held back for a seat of license `license_id` (NULL when
 * the hold is not about one license), with a reason and an optional
 * detail sentence. Queuing a person already queued for the same license
 * updates the reason and keeps their place. Returns 0, GCP_EINVALID or
 * GCP_EIO.
 */
GCP_EXTERN int gcp_journal_pending_add(gcp_journal *j, int64_t run,
                                       const char *person_key,
                                       const char *license_id,
                                       gcp_pending_reason reason,
                                       const char *detail);

/*
 * Takes a person out of the queue once served: for `license_id`, or for
 * every license when it is NULL. Removing someone not queued is not an
 * error. Returns 0 or GCP_EIO.
 */
GCP_EXTERN int gcp_journal_pending_done(gcp_journal *j, const char *person_key,
                                        const char *license_id);

typedef struct gcp_journal_pending_row {
    const char *person_key;
    const char *license_id; /* NULL when not about one license */
    gcp_pending_reason reason;
    const char *detail;
    int64_t first_run;  /* the run that queued them first */
    int64_t queued_ms;  /* when first queued */
    int64_t updated_ms; /* when last queued again */
} gcp_journal_pending_row;

typedef struct gcp_journal_pending gcp_journal_pending;

/*
 * Lists the queue in the order apply must serve it: first queued first.
 * *out is caller-owned, freed with gcp_journal_pending_free(). Returns 0
 * or GCP_EIO.
 */
GCP_EXTERN int gcp_journal_pending_list(gcp_journal_pending **out,
                                        gcp_journal *j);

GCP_EXTERN size_t gcp_journal_pending_count(const gcp_journal_pending *list);
GCP_EXTERN const gcp_journal_pending_row *
gcp_journal_pending_get(const gcp_journal_pending *list, size_t i);
GCP_EXTERN void gcp_journal_pending_free(gcp_journal_pending *list);

/* ----------------------------------------------------------- known users */

/*
 * Remembers that person `person_key` is Genesys user `user_id`. A hint to
 * skip lookups: the tenant stays the truth. Returns 0, GCP_EINVALID or
 * GCP_EIO.
 */
GCP_EXTERN int gcp_journal_known_user_set(gcp_journal *j,
                                          const char *person_key,
                                          const char *user_id);

/*
 * Sets *out to the user id learned for `person_key`, caller-owned (free()).
 * Returns 0, GCP_ENOTFOUND or GCP_EIO.
 */
GCP_EXTERN int gcp_journal_known_user_get(char **out, gcp_journal *j,
                                          const char *person_key);

/*
 * Calls `fn` for each known user, in key order, with strings borrowed for
 * the call. A non-zero return from `fn` stops the walk and is returned.
 * Returns 0 or GCP_EIO otherwise.
 */
GCP_EXTERN int gcp_journal_known_users_foreach(gcp_journal *j,
                                               int (*fn)(const char *person_key,
                                                         const char *user_id,
                                                         void *payload),
                                               void *payload);

/*
 * Forgets a person's user id (the tenant says it is gone). Not knowing it
 * is not an error. Returns 0 or GCP_EIO.
 */
GCP_EXTERN int gcp_journal_known_user_forget(gcp_journal *j,
                                             const char *person_key);

/* ---------------------------------------------------------------- hashing */

#define GCP_SHA256_HEX_SIZE 65 /* 64 hex digits and a NUL */

/*
 * Writes the SHA-256 of the file at `path` as lower-case hex into `out`.
 * Returns 0, GCP_ENOTFOUND or GCP_EIO; reports through no handle.
 */
GCP_EXTERN int gcp_sha256_file(char out[GCP_SHA256_HEX_SIZE], const char *path);

#ifdef __cplusplus
}
#endif

#endif

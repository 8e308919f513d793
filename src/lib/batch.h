/*
 * batch.h: a plan turned into the API requests that carry it out, as
 * data: method, route template, path, JSON body, whether a replay is
 * harmless, and which people each request serves. Apply journals an intent
 * per request, sends it and records the result; tests count requests.
 *
 * Requests come in phases, in this order: deactivations, license
 * releases, restores, creates, external ids, patches, division moves,
 * grants, license assignments. Leavers free their seats before joiners
 * take them, and every user exists before anything refers to it.
 *
 * A joiner has no user id until the create's reply. Requests that need it
 * say so: `user_key` names the person whose id fills the path's
 * "{userId}", and inside bodies the string "{user:KEY}" stands for the id
 * of the user created for KEY. gcp_batch__resolve() fills both in.
 */
#ifndef GCP_BATCH_H
#define GCP_BATCH_H

#include <stddef.h>

#include <jansson.h>

#include "gcprov/journal.h"
#include "plan_model.h"

enum gcp_batch_kind {
    GCP_BATCH_DEACTIVATE = 0, /* PATCH /api/v2/users/{userId} state */
    GCP_BATCH_RELEASE,        /* POST /api/v2/license/organization, removes */
    GCP_BATCH_RESTORE,        /* PATCH /api/v2/users/{userId} state */
    GCP_BATCH_CREATE,         /* POST /api/v2/users */
    GCP_BATCH_EXTID,          /* POST /api/v2/users/{userId}/externalid */
    GCP_BATCH_PATCH,          /* PATCH /api/v2/users/{userId} fields */
    GCP_BATCH_MOVE,           /* divisions/{divisionId}/objects/USER */
    GCP_BATCH_GRANT,          /* roles/{roleId}/users/add or roles/{roleId} */
    GCP_BATCH_LICENSE,        /* POST /api/v2/license/organization, adds */
    GCP_BATCH_KIND_COUNT
};

/*
 * One change a request makes for one person: what the journal records as
 * a step. `target` and `scope` are owned copies: the email of a create,
 * the external key, the patched field names ("name,title"), the role and
 * division ids of a grant, the license id of an assignment or release.
 */
struct gcp_batch_change {
    size_t entry; /* index of the person in the plan */
    char *target; /* or NULL */
    char *scope;  /* or NULL */
};

struct gcp_batch_request {
    enum gcp_batch_kind kind;
    const char *method;   /* static: "POST", "PUT", "PATCH" */
    const char *route;    /* static template, "/api/v2/users/{userId}" */
    char *path;           /* owned; may hold "{userId}" (see user_key) */
    const char *user_key; /* borrowed: whose id fills "{userId}", or NULL */
    json_t *body;         /* owned reference; NULL when none */
    int idempotent;       /* a replay changes nothing more */
    size_t *serves;       /* owned: indices of the plan's people, once */
    size_t serve_count;
    struct gcp_batch_change *changes; /* owned: every change, in order */
    size_t change_count;
};

struct gcp_batch {
    struct gcp_batch_request *requests;
    size_t count;
    size_t capacity;
};

/* Limits per request. [U]: the API does not publish them. */
struct gcp_batch_options {
    unsigned int version;
    size_t grant_users;     /* user ids per grant call */
    size_t license_changes; /* (user, license) changes per license call */
    size_t division_users;  /* user ids per division move */
};

#define GCP_BATCH_OPTIONS_VERSION 1
#define GCP_BATCH_GRANT_USERS     100
#define GCP_BATCH_LICENSE_CHANGES 100
#define GCP_BATCH_DIVISION_USERS  100
#define GCP_BATCH_OPTIONS_INIT                                                 \
    {                                                                          \
        GCP_BATCH_OPTIONS_VERSION, GCP_BATCH_GRANT_USERS,                      \
            GCP_BATCH_LICENSE_CHANGES, GCP_BATCH_DIVISION_USERS                \
    }

/*
 * Turns `plan` (borrowed; the batch borrows its people and must not
 * outlive it) into requests. `opts` may be NULL for the defaults; a zero
 * limit means the default. On success *out is caller-owned
 * (gcp_batch__free). Returns 0, GCP_EINVALID or GCP_ENOMEM (*out NULL).
 */
int gcp_batch__build(struct gcp_batch **out, const gcp_plan *plan,
                     const struct gcp_batch_options *opts);

/* Frees the batch. NULL is fine. */
void gcp_batch__free(struct gcp_batch *batch);

/* Returns how many requests of `kind` the batch holds. */
size_t gcp_batch__count(const struct gcp_batch *batch,
                        enum gcp_batch_kind kind);

/* Returns how many requests write (every request of a batch does). */
size_t gcp_batch__writes(const struct gcp_batch *batch);

/* Returns a static name for the kind: "create", "grant", ... */
const char *gcp_batch__kind_name(enum gcp_batch_kind kind);

/*
 * Looks up the user made for `key` this run: sets *out_id (borrowed from
 * the caller until the next call) and *out_version (the user's current
 * version). Returns 0, or GCP_ENOTFOUND when there is no such user.
 */
typedef int (*gcp_batch_lookup_fn)(const char **out_id, long *out_version,
                                   const char *key, void *payload);

/*
 * Fills in a request's placeholders: *out_path gets the path with
 * "{userId}" replaced (caller-owned, free()), *out_body a new body
 * (caller-owned reference, or NULL when the request has none) whose
 * "{user:KEY}" strings are replaced and whose "version", for a PATCH, is
 * the current one from `lookup`. A user id inside a list whose key is not
 * found is dropped and counted in *out_dropped; a missing id anywhere
 * else fails with GCP_ENOTFOUND. Returns 0, GCP_ENOTFOUND or GCP_ENOMEM.
 */
int gcp_batch__resolve(char **out_path, json_t **out_body, size_t *out_dropped,
                       const struct gcp_batch_request *req,
                       gcp_batch_lookup_fn lookup, void *payload);

/* Returns the journal step a request of `kind` records. */
gcp_journal_step gcp_batch__step(enum gcp_batch_kind kind);

/*
 * Fills out[0 .. req->change_count - 1] with the journal intents of a
 * request, one per change: the person's key, the step, the user id
 * (known, or from `lookup` for a joiner; NULL before its create), target
 * and scope. Strings are borrowed from the request, the plan or the
 * lookup, valid while they are.
 */
void gcp_batch__intents(gcp_journal_intent *out,
                        const struct gcp_batch_request *req,
                        const gcp_plan *plan, gcp_batch_lookup_fn lookup,
                        void *payload);

/* ------------------------------------------------------------ running */

/* What became of one request, as the client classified it. */
struct gcp_batch_reply {
    int code;                   /* 0 or a gcp_error */
    long status;                /* HTTP status; 0: no reply */
    json_t *json;               /* the reply body, owned; NULL when none */
    const char *error_code;     /* the API's code, or a license result */
    const char *message;        /* one line, or NULL */
    const char *correlation_id; /* or NULL */
    int reconciled; /* a failed create settled by looking the user up */
};

/*
 * The hooks below see waves through a `slot`, 0 or 1: the calls for one
 * wave (before, send, after, end) share its slot, and with `overlap` the
 * next wave's `before` may come, in the other slot, before the last
 * wave's `end`. Every hook but `send` runs on the thread that called
 * gcp_batch__run.
 */

/*
 * Sends the `count` requests of one wave, each with its path and body
 * filled in (paths[i], bodies[i], borrowed), possibly concurrently, and
 * fills out[i] for each; the runner takes out[i].json. The strings the
 * replies point to must stay valid until the wave's `end` hook returns.
 * With `overlap`, runs on a thread of its own while the other hooks run
 * for the neighbouring waves.
 */
typedef void (*gcp_batch_send_fn)(struct gcp_batch_reply *out,
                                  const struct gcp_batch_request *const *reqs,
                                  char *const *paths, json_t *const *bodies,
                                  size_t count, int slot, void *payload);

/*
 * Called before a wave of `count` requests is sent (journal their
 * intents); `lookup` (with `lookup_payload`) knows the users created so
 * far, for gcp_batch__intents(). Non-zero stops the run before anything
 * of the wave is sent.
 */
typedef int (*gcp_batch_before_fn)(const struct gcp_batch_request *const *reqs,
                                   size_t count, gcp_batch_lookup_fn lookup,
                                   void *lookup_payload, int slot,
                                   void *payload);

/*
 * Called once per change with its outcome, in request order: 0, the
 * request's error, a license change's own failure (GCP_ERROR, the result
 * string in reply->error_code), or GCP_ENOTFOUND when skipped because the
 * person's create failed (reply->status is then 0, `slot` is -1: the
 * request was never part of a wave). `user_id` is the user's id when
 * known; it and the reply's strings stay valid until the wave's `end`
 * hook returns. Non-zero stops the run.
 */
typedef int (*gcp_batch_after_fn)(const struct gcp_batch_request *req,
                                  size_t change, int code, const char *user_id,
                                  const struct gcp_batch_reply *reply, int slot,
                                  void *payload);

/* Called after every change of a wave was reported; non-zero stops. */
typedef int (*gcp_batch_end_fn)(int slot, void *payload);

struct gcp_batch_hooks {
    gcp_batch_send_fn send;
    gcp_batch_before_fn before; /* may be NULL */
    gcp_batch_after_fn after;   /* may be NULL */
    gcp_batch_end_fn end;       /* may be NULL */
    void *payload;
    size_t wave; /* most requests per wave; 0: GCP_BATCH_WAVE */
    /*
     * Non-zero: while a wave is in flight, end the wave before it and
     * begin the next one when it is of the same kind, so that the
     * journal's writes overlap the network instead of adding to it.
     */
    int overlap;
};

/*
 * Requests sent together by default, and the changes they may carry in
 * all (a wave holds one request at least). Enough to keep the client's
 * in-flight bound busy between the waves' ends; few enough that a crash
 * leaves a short list of unknown steps for the next run to read back,
 * and that the journal's work for one wave hides behind the next wave's
 * requests.
 */
#define GCP_BATCH_WAVE         64
#define GCP_BATCH_WAVE_CHANGES 256

struct gcp_batch_run_stats {
    size_t sent;    /* requests sent */
    size_t skipped; /* requests not sent: every user they name is missing */
    size_t done;    /* changes that succeeded */
    size_t failed;  /* changes that failed or were skipped */
    /* Seconds spent in the `before` and `end` hooks while no request was
     * in flight: what they added to the run's wall time. */
    double hooks_exposed;
};

/*
 * Carries out `batch` (of `plan`) in waves: consecutive requests of one
 * kind, which never depend on each other (every phase depends only on
 * earlier ones), at most hooks->wave of them. For each wave it fills in
 * the requests' ids and versions from what earlier waves taught, reports
 * the requests it must skip, calls `before`, sends, learns the ids of
 * created users and the versions of patched ones, reports every change
 * to `after` in request order, then calls `end` (with `overlap`, while
 * the next wave is in flight). A failed request does
 * not stop the run, unless it failed because the client's retry budget
 * is spent (GCP_EBUDGET is returned after its wave); a hook's non-zero
 * return stops it and is returned. Returns 0 or GCP_ENOMEM otherwise;
 * *out, when not NULL, gets the counts.
 */
int gcp_batch__run(struct gcp_batch_run_stats *out,
                   const struct gcp_batch *batch, const gcp_plan *plan,
                   const struct gcp_batch_hooks *hooks);

/* Internal to the batch files: adds a request, taking `body` (stolen). */
int gcp_batch__add(struct gcp_batch *batch, enum gcp_batch_kind kind,
                   const char *method, const char *route, const char *path,
                   json_t *body, int idempotent);

/*
 * Records a change of the last request for person `entry`, copying
 * `target` and `scope` (each may be NULL), and that the request serves
 * that person. Returns 0 or GCP_ENOMEM.
 */
int gcp_batch__change(struct gcp_batch *batch, size_t entry, const char *target,
                      const char *scope);

/* Returns the user id of entry `e` as a new JSON string (placeholder for
 * a joiner), or NULL when out of memory. */
json_t *gcp_batch__user_ref(const struct gcp_plan_entry *e);

/*
 * The phases, each adding its requests to `batch`: one request per person
 * for the user phases (deactivate, restore, create, extid, patch), chunks
 * of `chunk` users or changes for moves, grants and licenses (release or
 * license). Each returns 0 or GCP_ENOMEM.
 */
int gcp_batch__users(struct gcp_batch *batch, const gcp_plan *plan,
                     enum gcp_batch_kind kind);
int gcp_batch__moves(struct gcp_batch *batch, const gcp_plan *plan,
                     size_t chunk);
int gcp_batch__grants(struct gcp_batch *batch, const gcp_plan *plan,
                      size_t chunk);
int gcp_batch__licenses(struct gcp_batch *batch, const gcp_plan *plan,
                        enum gcp_batch_kind kind, size_t chunk);

#endif

/*
 * batch_run.c: carries out a batch through a send callback, in waves of
 * requests of one kind. What the batch could not know is learned as the
 * run goes: the id and version of each created user from the create's
 * reply, the version of each patched user from the patch's. A request
 * naming only users whose create failed is skipped; in a list, such users
 * are dropped. A license call's reply holds a result per change, each
 * reported on its own.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "users_body.h"

/* The requests of the wave being gathered or sent, index by index. */
struct wave {
    const struct gcp_batch_request **reqs;
    char **paths;
    json_t **bodies;
    struct gcp_batch_reply *replies;
    size_t count;
    size_t limit;
};

struct run {
    const struct gcp_batch *batch;
    const gcp_plan *plan;
    const struct gcp_batch_hooks *hooks;
    json_t *known; /* person key -> {"id", "version"} learned */
    struct gcp_batch_run_stats stats;
    struct wave wave;
};

static int run_lookup(const char **out_id, long *out_version, const char *key,
                      void *payload)
{
    struct run *r = payload;
    json_t *u = json_object_get(r->known, key);

    if (u == NULL)
        return GCP_ENOTFOUND;
    *out_id = json_string_value(json_object_get(u, "id"));
    *out_version = (long)json_integer_value(json_object_get(u, "version"));
    return 0;
}

/* The user id of a change's person: from the snapshot or learned. */
static const char *run_user_id(struct run *r, size_t entry)
{
    const struct gcp_plan_entry *e = &r->plan->entries[entry];
    const char *id = NULL;
    long version;

    if (e->user != NULL)
        return e->user->id;
    return run_lookup(&id, &version, e->person->key, r) == 0 ? id : NULL;
}

/* Learns the id and version a user reply carries, for the request's key. */
static int run_learn(struct run *r, const struct gcp_batch_request *req,
                     const json_t *reply)
{
    const char *id = json_string_value(json_object_get(reply, "id"));
    json_t *version = json_object_get(reply, "version"); /* borrowed */

    if (req->user_key == NULL || id == NULL || !json_is_integer(version))
        return 0;
    return json_object_set_new(
               r->known, req->user_key,
               json_pack("{s:s, s:O}", "id", id, "version", version)) < 0
               ? GCP_ENOMEM
               : 0;
}

/* The outcome of change `i` of a request answered `reply`. */
static int run_change_code(struct run *r, const struct gcp_batch_request *req,
                           size_t i, const char *user_id,
                           struct gcp_batch_reply *reply)
{
    const char *result;
    int is_license =
        req->kind == GCP_BATCH_LICENSE || req->kind == GCP_BATCH_RELEASE;

    if (user_id == NULL) {
        reply->message = "skipped: the user was not created";
        return GCP_ENOTFOUND; /* dropped from the list */
    }
    if (reply->code != 0 || !is_license)
        return reply->code;
    result =
        gcp_users__license_result(reply->json, user_id, req->changes[i].target);
    if (result != NULL && strcasecmp(result, "Success") == 0)
        return 0;
    reply->error_code = result != NULL ? result : "no result";
    return result != NULL ? GCP_ERROR : GCP_EUNKNOWN;
}

/* Reports every change of the request. */
static int run_report(struct run *r, const struct gcp_batch_request *req,
                      struct gcp_batch_reply *reply)
{
    for (size_t i = 0; i < req->change_count; i++) {
        const char *user_id = run_user_id(r, req->changes[i].entry);
        struct gcp_batch_reply mine = *reply;
        int code = run_change_code(r, req, i, user_id, &mine);
        int stop;

        if (code == 0)
            r->stats.done++;
        else
            r->stats.failed++;
        if (r->hooks->after != NULL &&
            (stop = r->hooks->after(req, i, code, user_id, &mine,
                                    r->hooks->payload)) != 0)
            return stop;
    }
    return 0;
}

/* Returns non-zero when a reply carries a user to learn from. */
static int run_teaches(const struct gcp_batch_request *req,
                       const struct gcp_batch_reply *reply)
{
    return reply->code == 0 && req->kind != GCP_BATCH_GRANT &&
           req->kind != GCP_BATCH_LICENSE && req->kind != GCP_BATCH_RELEASE &&
           req->kind != GCP_BATCH_EXTID;
}

/* Forgets the wave's requests and frees what they held. */
static void wave_clear(struct wave *w)
{
    for (size_t i = 0; i < w->count; i++) {
        free(w->paths[i]);
        json_decref(w->bodies[i]);
        json_decref(w->replies[i].json);
        memset(&w->replies[i], 0, sizeof(w->replies[i]));
    }
    w->count = 0;
}

/* Learns from the wave's replies and reports their changes, in order. */
static int run_learn_all(struct run *r)
{
    struct wave *w = &r->wave;
    int error = 0;

    for (size_t i = 0; i < w->count && error == 0; i++) {
        if (run_teaches(w->reqs[i], &w->replies[i]))
            error = run_learn(r, w->reqs[i], w->replies[i].json);
        if (error == 0)
            error = run_report(r, w->reqs[i], &w->replies[i]);
    }
    return error;
}

/* Returns GCP_EBUDGET when a reply of the wave spent the retry budget. */
static int run_budget(const struct wave *w)
{
    for (size_t i = 0; i < w->count; i++)
        if (w->replies[i].code == GCP_EBUDGET)
            return GCP_EBUDGET;
    return 0;
}

/*
 * Sends the gathered wave and reports it. The `end` hook runs whenever
 * `before` did, so that what the wave's changes recorded is flushed.
 */
static int run_wave(struct run *r)
{
    const struct gcp_batch_hooks *h = r->hooks;
    struct wave *w = &r->wave;
    int error = 0, ended = 0;

    if (w->count == 0)
        return 0;
    if (h->before != NULL && (error = h->before(w->reqs, w->count, run_lookup,
                                                r, h->payload)) != 0) {
        wave_clear(w);
        return error;
    }
    r->stats.sent += w->count;
    h->send(w->replies, w->reqs, w->paths, w->bodies, w->count, h->payload);
    error = run_learn_all(r);
    if (h->end != NULL)
        ended = h->end(h->payload);
    /* The tenant has failed so often that every further request would
     * fail at once: stop here rather than record a failure per change. */
    if (error == 0 && ended == 0)
        error = run_budget(w);
    wave_clear(w);
    return error != 0 ? error : ended;
}

/* Returns non-zero when no person the request changes has a user. */
static int run_nobody(struct run *r, const struct gcp_batch_request *req)
{
    for (size_t i = 0; i < req->change_count; i++)
        if (run_user_id(r, req->changes[i].entry) != NULL)
            return 0;
    return req->kind != GCP_BATCH_CREATE;
}

/* Fills in a request and adds it to the wave, or reports it skipped. */
static int run_gather(struct run *r, const struct gcp_batch_request *req)
{
    struct gcp_batch_reply skipped = {
        GCP_ENOTFOUND, 0, NULL, NULL, "skipped: the user was not created",
        NULL,          0};
    struct wave *w = &r->wave;
    char *path = NULL;
    json_t *body = NULL;
    size_t dropped = 0;
    int error;

    error = gcp_batch__resolve(&path, &body, &dropped, req, run_lookup, r);
    /* A single missing user, or a list emptied of every user: skip. */
    if (error == GCP_ENOTFOUND || (error == 0 && run_nobody(r, req))) {
        free(path);
        json_decref(body);
        r->stats.skipped++;
        return run_report(r, req, &skipped);
    }
    if (error != 0)
        return error;
    w->reqs[w->count] = req;
    w->paths[w->count] = path; /* the wave owns both now */
    w->bodies[w->count] = body;
    w->count++;
    return 0;
}

/*
 * Gathers the wave that starts at request *next, sends it and moves
 * *next past it: every following request of the same kind, until the
 * wave is full.
 */
static int run_next_wave(struct run *r, size_t *next)
{
    const struct gcp_batch *b = r->batch;
    enum gcp_batch_kind kind = b->requests[*next].kind;
    int error = 0;

    while (*next < b->count && b->requests[*next].kind == kind &&
           r->wave.count < r->wave.limit && error == 0)
        error = run_gather(r, &b->requests[(*next)++]);
    if (error != 0) {
        wave_clear(&r->wave);
        return error;
    }
    return run_wave(r);
}

static int wave_init(struct wave *w, size_t limit)
{
    w->limit = limit > 0 ? limit : GCP_BATCH_WAVE;
    w->reqs = calloc(w->limit, sizeof(*w->reqs));
    w->paths = calloc(w->limit, sizeof(*w->paths));
    w->bodies = calloc(w->limit, sizeof(*w->bodies));
    w->replies = calloc(w->limit, sizeof(*w->replies));
    return w->reqs != NULL && w->paths != NULL && w->bodies != NULL &&
                   w->replies != NULL
               ? 0
               : GCP_ENOMEM;
}

static void wave_free(struct wave *w)
{
    wave_clear(w);
    free(w->reqs);
    free(w->paths);
    free(w->bodies);
    free(w->replies);
}

int gcp_batch__run(struct gcp_batch_run_stats *out,
                   const struct gcp_batch *batch, const gcp_plan *plan,
                   const struct gcp_batch_hooks *hooks)
{
    struct run r = {batch, plan, hooks, json_object(), {0}, {0}};
    int error = wave_init(&r.wave, hooks->wave);

    if (error == 0 && r.known == NULL)
        error = GCP_ENOMEM;
    for (size_t next = 0; next < batch->count && error == 0;)
        error = run_next_wave(&r, &next);
    if (out != NULL)
        *out = r.stats;
    wave_free(&r.wave);
    json_decref(r.known);
    return error;
}

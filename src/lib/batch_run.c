/*
 * batch_run.c: carries out a batch through a send callback, in waves of
 * requests of one kind. What the batch could not know is learned as the
 * run goes: the id and version of each created user from the create's
 * reply, the version of each patched user from the patch's. A request
 * naming only users whose create failed is skipped; in a list, such users
 * are dropped. A license call's reply holds a result per change, each
 * reported on its own.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "clock.h"
#include "batch.h"
#include "users_body.h"

struct run;

/* The requests of a wave being gathered or sent, index by index. */
struct wave {
    const struct gcp_batch_request **reqs;
    char **paths;
    json_t **bodies;
    struct gcp_batch_reply *replies;
    size_t count;
    size_t limit;
    int slot;
    int begun;  /* `before` ran: `end` is owed */
    int budget; /* a reply said the retry budget is spent */
    struct run *run;
    pthread_t thread;
    int threaded;   /* `thread` is sending it */
    double sent_at; /* when sending ended, monotonic seconds */
};

struct run {
    const struct gcp_batch *batch;
    const gcp_plan *plan;
    const struct gcp_batch_hooks *hooks;
    json_t *known; /* person key -> {"id", "version"} learned */
    struct gcp_batch_run_stats stats;
    struct wave waves[2];
    size_t next;        /* the first request not yet gathered */
    int in_flight;      /* a wave is being sent on its thread */
    double spans[2][2]; /* hook calls made while it is: start, end */
    size_t span_count;
};

/*
 * Counts a hook call from t0 to t1 as exposed, or, while a wave is in
 * flight, keeps it until the wave's end is known.
 */
static void run_account(struct run *r, double t0, double t1)
{
    if (r->in_flight && r->span_count < 2) {
        r->spans[r->span_count][0] = t0;
        r->spans[r->span_count++][1] = t1;
        return;
    }
    r->stats.hooks_exposed += t1 - t0;
}

/* Counts what the calls kept outlasted the flight that ended at `done`. */
static void run_account_flight(struct run *r, double done)
{
    for (size_t i = 0; i < r->span_count; i++) {
        double from = r->spans[i][0] > done ? r->spans[i][0] : done;

        if (r->spans[i][1] > from)
            r->stats.hooks_exposed += r->spans[i][1] - from;
    }
    r->span_count = 0;
    r->in_flight = 0;
}

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
                      struct gcp_batch_reply *reply, int slot)
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
            (stop = r->hooks->after(req, i, code, user_id, &mine, slot,
                                    r->hooks->payload)) != 0)
            return stop;
    }
    return 0;
}

/* Returns non-zero when replies of `kind` teach ids or versions. */
static int kind_teaches(enum gcp_batch_kind kind)
{
    return kind != GCP_BATCH_GRANT && kind != GCP_BATCH_LICENSE &&
           kind != GCP_BATCH_RELEASE && kind != GCP_BATCH_EXTID &&
           kind != GCP_BATCH_MOVE;
}

/* Returns non-zero when a reply carries a user to learn from. */
static int run_teaches(const struct gcp_batch_request *req,
                       const struct gcp_batch_reply *reply)
{
    return reply->code == 0 && kind_teaches(req->kind);
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
    w->budget = 0;
}

/*
 * Learns from the wave's replies and reports their changes, in order,
 * and notes whether the tenant failed so often that every further
 * request would fail at once.
 */
static int wave_report(struct run *r, struct wave *w)
{
    int error = 0;

    for (size_t i = 0; i < w->count && error == 0; i++) {
        if (run_teaches(w->reqs[i], &w->replies[i]))
            error = run_learn(r, w->reqs[i], w->replies[i].json);
        if (error == 0)
            error = run_report(r, w->reqs[i], &w->replies[i], w->slot);
        w->budget |= w->replies[i].code == GCP_EBUDGET;
    }
    return error;
}

/* Calls `end` for a wave that began, and frees what it held. */
static int wave_end(struct run *r, struct wave *w)
{
    int error = 0;

    if (w->begun && r->hooks->end != NULL) {
        double t0 = gcp_clock__now();

        error = r->hooks->end(w->slot, r->hooks->payload);
        run_account(r, t0, gcp_clock__now());
    }
    w->begun = 0;
    wave_clear(w);
    return error;
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
static int run_gather(struct run *r, struct wave *w,
                      const struct gcp_batch_request *req)
{
    struct gcp_batch_reply skipped = {
        GCP_ENOTFOUND, 0, NULL, NULL, "skipped: the user was not created",
        NULL,          0};
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
        return run_report(r, req, &skipped, -1);
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
 * Returns non-zero when the next request may join `w`, a wave of `kind`
 * whose requests carry `changes` changes so far.
 */
static int wave_has_room(const struct run *r, const struct wave *w,
                         enum gcp_batch_kind kind, size_t changes)
{
    const struct gcp_batch_request *next = &r->batch->requests[r->next];

    if (r->next >= r->batch->count || next->kind != kind ||
        w->count >= w->limit)
        return 0;
    return changes == 0 ||
           changes + next->change_count <= GCP_BATCH_WAVE_CHANGES;
}

/*
 * Gathers into `w` the requests from r->next on that are of its kind,
 * until the wave is full, and calls `before` for them.
 */
static int wave_begin(struct run *r, struct wave *w)
{
    const struct gcp_batch *b = r->batch;
    enum gcp_batch_kind kind = b->requests[r->next].kind;
    const struct gcp_batch_hooks *h = r->hooks;
    size_t changes = 0;
    int error = 0;

    while (error == 0 && wave_has_room(r, w, kind, changes)) {
        changes += b->requests[r->next].change_count;
        error = run_gather(r, w, &b->requests[r->next++]);
    }
    if (error == 0 && w->count > 0 && h->before != NULL) {
        double t0 = gcp_clock__now();

        error =
            h->before(w->reqs, w->count, run_lookup, r, w->slot, h->payload);
        run_account(r, t0, gcp_clock__now());
    }
    w->begun = error == 0 && w->count > 0;
    if (error != 0)
        wave_clear(w);
    return error;
}

static void *wave_send_main(void *arg)
{
    struct wave *w = arg;
    const struct gcp_batch_hooks *h = w->run->hooks;

    h->send(w->replies, w->reqs, w->paths, w->bodies, w->count, w->slot,
            h->payload);
    w->sent_at = gcp_clock__now();
    return NULL;
}

/* Starts sending the wave: on a thread of its own with `overlap`. */
static void wave_send_start(struct run *r, struct wave *w)
{
    r->stats.sent += w->count;
    w->threaded = r->hooks->overlap &&
                  pthread_create(&w->thread, NULL, wave_send_main, w) == 0;
    r->in_flight = w->threaded;
    if (!w->threaded)
        wave_send_main(w);
}

static void wave_send_wait(struct run *r, struct wave *w)
{
    if (w->threaded)
        pthread_join(w->thread, NULL);
    w->threaded = 0;
    run_account_flight(r, w->sent_at);
}

/*
 * Returns non-zero when the next wave may begin while `cur` is in
 * flight: it is of cur's kind (requests of one kind never depend on each
 * other), or cur's replies teach nothing a later request needs. It is
 * still sent after cur.
 */
static int run_may_begin_ahead(const struct run *r, const struct wave *cur)
{
    enum gcp_batch_kind kind = cur->reqs[0]->kind;

    if (!r->hooks->overlap || r->next >= r->batch->count)
        return 0;
    return r->batch->requests[r->next].kind == kind || !kind_teaches(kind);
}

/*
 * Sends `cur` and reports it. While it is in flight, ends `*owed` (the
 * wave reported last) and, with `overlap`, begins `ahead` when
 * run_may_begin_ahead() allows. On return *owed is cur, whose `end` is
 * still owed, unless overlap is off or reporting failed.
 */
static int run_step(struct run *r, struct wave *cur, struct wave *ahead,
                    struct wave **owed)
{
    int error = 0, reported, budget;

    wave_send_start(r, cur);
    if (*owed != NULL)
        error = wave_end(r, *owed);
    *owed = NULL;
    if (error == 0 && run_may_begin_ahead(r, cur))
        error = wave_begin(r, ahead);
    wave_send_wait(r, cur);
    reported = wave_report(r, cur);
    budget = cur->budget;
    if (r->hooks->overlap && reported == 0)
        *owed = cur;
    else if (error == 0)
        error = wave_end(r, cur);
    if (error == 0 && reported == 0 && budget)
        return GCP_EBUDGET;
    return error != 0 ? error : reported;
}

/*
 * The run's loop over two waves in turn: the one sent now, and the other,
 * which is the one begun ahead, or the last one reported (owed its end),
 * or empty.
 */
static int run_waves(struct run *r)
{
    struct wave *cur = &r->waves[0], *other = &r->waves[1], *owed = NULL;
    int error = 0;

    while (error == 0) {
        struct wave *sent = cur;

        if (cur->count == 0) {
            if (r->next >= r->batch->count)
                break;
            if ((error = wave_begin(r, cur)) != 0 || cur->count == 0)
                continue; /* every request gathered was skipped */
        }
        error = run_step(r, cur, other, &owed);
        cur = other;
        other = sent;
    }
    /* After a stop for the budget too, what was recorded is finished. */
    if (owed != NULL && (error == 0 || error == GCP_EBUDGET)) {
        int ended = wave_end(r, owed);

        error = error != 0 ? error : ended;
    }
    if (error == GCP_EBUDGET && cur->begun)
        wave_end(r, cur); /* begun ahead, never sent */
    return error;
}

static int wave_init(struct wave *w, size_t limit, int slot, struct run *r)
{
    w->limit = limit > 0 ? limit : GCP_BATCH_WAVE;
    w->slot = slot;
    w->run = r;
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
    struct run r = {
        .batch = batch, .plan = plan, .hooks = hooks, .known = json_object()};
    int error = 0;

    for (int i = 0; i < 2 && error == 0; i++)
        error = wave_init(&r.waves[i], hooks->wave, i, &r);
    if (error == 0 && r.known == NULL)
        error = GCP_ENOMEM;
    if (error == 0)
        error = run_waves(&r);
    if (out != NULL)
        *out = r.stats;
    wave_free(&r.waves[0]);
    wave_free(&r.waves[1]);
    json_decref(r.known);
    return error;
}

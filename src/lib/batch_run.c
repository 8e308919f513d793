/*
 * batch_run.c: carries out a batch through a send callback, in order.
 * What the batch could not know is learned as the run goes: the id and
 * version of each created user from the create's reply, the version of
 * each patched user from the patch's. A request naming only users whose
 * create failed is skipped; in a list, such users are dropped. A license
 * call's reply holds a result per change, each reported on its own.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "batch.h"
#include "users_body.h"

struct run {
    const struct gcp_batch *batch;
    const gcp_plan *plan;
    const struct gcp_batch_hooks *hooks;
    json_t *known; /* person key -> {"id", "version"} learned */
    struct gcp_batch_run_stats stats;
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

/* Sends one resolved request and learns from its reply. */
static int run_send(struct run *r, const struct gcp_batch_request *req,
                    const char *path, json_t *body)
{
    struct gcp_batch_reply reply = {0};
    int error = 0;

    if (r->hooks->before != NULL &&
        (error = r->hooks->before(req, r->hooks->payload)) != 0)
        return error;
    r->stats.sent++;
    r->hooks->send(&reply, req, path, body, r->hooks->payload);
    if (reply.code == 0 && req->kind != GCP_BATCH_GRANT &&
        req->kind != GCP_BATCH_LICENSE && req->kind != GCP_BATCH_RELEASE &&
        req->kind != GCP_BATCH_EXTID)
        error = run_learn(r, req, reply.json);
    if (error == 0)
        error = run_report(r, req, &reply);
    /* The tenant has failed so often that every further request would
     * fail at once: stop here rather than record a failure per change. */
    if (error == 0 && reply.code == GCP_EBUDGET)
        error = GCP_EBUDGET;
    json_decref(reply.json);
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

static int run_request(struct run *r, const struct gcp_batch_request *req)
{
    struct gcp_batch_reply skipped = {
        GCP_ENOTFOUND, 0, NULL, NULL, "skipped: the user was not created",
        NULL};
    char *path = NULL;
    json_t *body = NULL;
    size_t dropped = 0;
    int error;

    error = gcp_batch__resolve(&path, &body, &dropped, req, run_lookup, r);
    /* A single missing user, or a list emptied of every user: skip. */
    if (error == GCP_ENOTFOUND || (error == 0 && run_nobody(r, req))) {
        r->stats.skipped++;
        error = run_report(r, req, &skipped);
    } else if (error == 0) {
        error = run_send(r, req, path, body);
    }
    free(path);
    json_decref(body);
    return error;
}

int gcp_batch__run(struct gcp_batch_run_stats *out,
                   const struct gcp_batch *batch, const gcp_plan *plan,
                   const struct gcp_batch_hooks *hooks)
{
    struct run r = {batch, plan, hooks, json_object(), {0}};
    int error = r.known != NULL ? 0 : GCP_ENOMEM;

    for (size_t i = 0; i < batch->count && error == 0; i++)
        error = run_request(&r, &batch->requests[i]);
    if (out != NULL)
        *out = r.stats;
    json_decref(r.known);
    return error;
}

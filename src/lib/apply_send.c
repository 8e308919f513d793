/*
 * apply_send.c: apply's send hook. A wave goes out through the client at
 * once; requests that meet a user created a moment ago and not yet
 * visible are sent again after a pause, and a create whose outcome is
 * unknown or in conflict is settled by looking the person up.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "apply.h"

/* How long a just-created user may be unknown to other calls [U]. */
#define APPLY_LAG_TRIES    8
#define APPLY_LAG_FIRST_MS 100
#define APPLY_LAG_MAX_MS   3200

/* Returns non-zero when a license call's reply names an unknown user. */
static int apply_user_unknown(const struct gcp_batch_reply *reply)
{
    size_t i;
    json_t *c;

    json_array_foreach(reply->json, i, c)
    {
        const char *r = json_string_value(json_object_get(c, "result"));

        if (r != NULL && strcasecmp(r, "UserNotFound") == 0)
            return 1;
    }
    return 0;
}

/* True when the reply says a user the request names is not there yet. */
static int apply_lagging(const struct gcp_batch_request *req,
                         const struct gcp_batch_reply *reply)
{
    /* A move names existing users only: its 404 is the division's. */
    if (req->kind == GCP_BATCH_CREATE || req->kind == GCP_BATCH_MOVE)
        return 0;
    return reply->code == GCP_ENOTFOUND ||
           (reply->code == 0 && req->kind == GCP_BATCH_LICENSE &&
            apply_user_unknown(reply));
}

static void apply_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* Returns non-zero when a reply of the wave says a user is not there. */
static int apply_any_lagging(const struct gcp_batch_request *const *reqs,
                             const struct gcp_batch_reply *out, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (apply_lagging(reqs[i], &out[i]))
            return 1;
    return 0;
}

/* The part of a wave sent again, index by index. */
struct apply_resend {
    const struct gcp_batch_request **reqs;
    char **paths;
    json_t **bodies;
    struct gcp_batch_reply *replies;
    size_t *which; /* the request's index in the wave */
};

static void apply_resend_free(struct apply_resend *r)
{
    free(r->reqs);
    free(r->paths);
    free(r->bodies);
    free(r->replies);
    free(r->which);
}

static int apply_resend_alloc(struct apply_resend *r, size_t count)
{
    r->reqs = calloc(count, sizeof(*r->reqs));
    r->paths = calloc(count, sizeof(*r->paths));
    r->bodies = calloc(count, sizeof(*r->bodies));
    r->replies = calloc(count, sizeof(*r->replies));
    r->which = calloc(count, sizeof(*r->which));
    return r->reqs != NULL && r->paths != NULL && r->bodies != NULL &&
           r->replies != NULL && r->which != NULL;
}

/*
 * Sends again, once, the requests of the wave whose reply says a user is
 * not there yet, each reply replaced. Out of memory, the replies stand.
 */
static void apply_resend_lagging(struct gcp_batch_reply *out,
                                 const struct gcp_batch_request *const *reqs,
                                 char *const *paths, json_t *const *bodies,
                                 size_t count, struct gcp_tenant_sender *sender)
{
    struct apply_resend r = {0};
    size_t n = 0;

    if (!apply_resend_alloc(&r, count)) {
        apply_resend_free(&r);
        return;
    }
    for (size_t i = 0; i < count; i++) {
        if (!apply_lagging(reqs[i], &out[i]))
            continue;
        r.reqs[n] = reqs[i];
        r.paths[n] = paths[i];
        r.bodies[n] = bodies[i];
        r.which[n++] = i;
    }
    gcp_tenant__client_send(r.replies, r.reqs, r.paths, r.bodies, n, sender);
    for (size_t k = 0; k < n; k++) {
        json_decref(out[r.which[k]].json);
        out[r.which[k]] = r.replies[k]; /* its strings live in the sender */
    }
    apply_resend_free(&r);
}

/*
 * Sends the wave through the client, all at once within its in-flight
 * bound. A user just created may answer 404 (or a license result
 * UserNotFound) for a moment: such requests are sent again after 0.1,
 * 0.2, ... 3.2 s, about 6 s in all, before their failure stands. Every
 * request retried so is idempotent: only creates are not; a create that
 * fails unknown or in conflict is settled by gcp_apply__found.
 */
void gcp_apply__send(struct gcp_batch_reply *out,
                     const struct gcp_batch_request *const *reqs,
                     char *const *paths, json_t *const *bodies, size_t count,
                     int slot, void *payload)
{
    struct gcp_apply *a = payload;
    struct gcp_tenant_sender *sender = &a->slots[slot].sender;
    long wait = APPLY_LAG_FIRST_MS;

    sender->client = a->client;
    gcp_tenant__sender_clear(sender); /* the slot's last wave has ended */
    gcp_tenant__client_send(out, reqs, paths, bodies, count, sender);
    for (int i = 1; i < APPLY_LAG_TRIES && apply_any_lagging(reqs, out, count);
         i++) {
        apply_sleep_ms(wait);
        wait = wait * 2 > APPLY_LAG_MAX_MS ? APPLY_LAG_MAX_MS : wait * 2;
        apply_resend_lagging(out, reqs, paths, bodies, count, sender);
    }
    for (size_t i = 0; i < count; i++)
        if (out[i].code != 0)
            gcp_apply__found(&out[i], reqs[i], a);
}

/*
 * tenant_client.c: the reader and the batch runner over a gcp_client. The
 * client paces, retries and classifies; these only translate.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gcprov/plan.h"
#include "log.h"
#include "tenant_client.h"

int gcp_tenant__client_call(json_t **out, const char *method, const char *route,
                            const char *path, json_t *body, void *payload)
{
    gcp_request req = {method, route, path, body, 1};
    gcp_result result;
    int code;

    memset(&result, 0, sizeof(result));
    code = gcp_client_call(payload, &result, &req);
    *out = NULL;
    if (code == 0) {
        *out = result.json; /* stolen from the result */
        result.json = NULL;
    }
    gcp_result_clear(&result);
    return code;
}

/*
 * A new block of `count` zeroed results that stays where it is until
 * the sender is cleared (replies point into it), or NULL.
 */
static gcp_result *sender_grow(struct gcp_tenant_sender *s, size_t count)
{
    struct gcp_tenant_block *blocks = s->blocks;
    gcp_result *r;

    if (s->count == s->capacity) {
        size_t cap = s->capacity > 0 ? s->capacity * 2 : 4;

        if ((blocks = realloc(s->blocks, cap * sizeof(*blocks))) == NULL)
            return NULL;
        s->blocks = blocks;
        s->capacity = cap;
    }
    if ((r = calloc(count + 1, sizeof(*r))) == NULL)
        return NULL;
    blocks[s->count++] = (struct gcp_tenant_block){r, count};
    return r;
}

/* Turns a client result into a batch reply, the reply taking the body. */
static void sender_reply(struct gcp_batch_reply *out, gcp_result *r)
{
    out->code = r->code;
    out->status = r->status;
    out->json = r->json; /* stolen; the error strings point into it */
    r->json = NULL;
    out->error_code = r->error_code;
    out->message = r->message[0] != '\0' ? r->message : NULL;
    out->correlation_id =
        r->correlation_id[0] != '\0' ? r->correlation_id : NULL;
    out->reconciled = 0;
}

void gcp_tenant__client_send(struct gcp_batch_reply *out,
                             const struct gcp_batch_request *const *reqs,
                             char *const *paths, json_t *const *bodies,
                             size_t count, void *payload)
{
    struct gcp_tenant_sender *s = payload;
    gcp_request *requests = calloc(count + 1, sizeof(*requests));
    gcp_result *results = requests != NULL ? sender_grow(s, count) : NULL;

    for (size_t i = 0; results == NULL && i < count; i++) {
        memset(&out[i], 0, sizeof(out[i]));
        out[i].code = GCP_ENOMEM;
        out[i].message = "out of memory";
    }
    if (results != NULL) {
        for (size_t i = 0; i < count; i++)
            requests[i] =
                (gcp_request){reqs[i]->method, reqs[i]->route, paths[i],
                              bodies[i], reqs[i]->idempotent};
        gcp_client_batch(s->client, results, requests, count, NULL, NULL);
        for (size_t i = 0; i < count; i++)
            sender_reply(&out[i], &results[i]);
    }
    free(requests);
}

void gcp_tenant__sender_clear(struct gcp_tenant_sender *sender)
{
    for (size_t i = 0; i < sender->count; i++) {
        for (size_t k = 0; k < sender->blocks[i].count; k++)
            gcp_result_clear(&sender->blocks[i].results[k]);
        free(sender->blocks[i].results);
    }
    sender->count = 0;
}

/* Frees what the sender holds. */
void gcp_tenant__sender_free(struct gcp_tenant_sender *sender)
{
    gcp_tenant__sender_clear(sender);
    free(sender->blocks);
    sender->blocks = NULL;
    sender->capacity = 0;
}

/* The journal's known users as the reader's links. */
struct client_links {
    gcp_journal *journal;
    char *last; /* the id handed out last, kept until the next call */
};

static int client_link(const char **out_user_id, const char *key, void *payload)
{
    struct client_links *l = payload;
    int error;

    free(l->last);
    l->last = NULL;
    if ((error = gcp_journal_known_user_get(&l->last, l->journal, key)) < 0)
        return error;
    *out_user_id = l->last;
    return 0;
}

/* Collects the roster's people into a new array (free()), or NULL. */
static const gcp_person **client_people(const gcp_roster *roster)
{
    size_t count = gcp_roster_count(roster);
    const gcp_person **people = calloc(count + 1, sizeof(*people));

    for (size_t i = 0; people != NULL && i < count; i++)
        people[i] = gcp_roster_person(roster, i);
    return people;
}

static void client_log(const gcp_snapshot_options *opts,
                       const struct gcp_tenant_read_stats *stats, size_t people)
{
    struct gcp_logger lg = {opts->log, opts->log_payload, opts->log_level};

    gcp_log__emit(&lg, GCP_LOG_INFO,
                  "read the tenant for %zu people in %zu calls by %s (org of "
                  "%zu users; estimates: %zu per person, %zu by scan)",
                  people, stats->calls,
                  stats->strategy == GCP_LOOKUP_SCAN ? "a paged scan"
                                                     : "per-person lookups",
                  stats->org_users, stats->cost.per_person, stats->cost.scan);
}

int gcp_snapshot_read(gcp_snapshot **out, gcp_client *client,
                      const gcp_roster *roster,
                      const gcp_snapshot_options *opts, char *errbuf,
                      size_t errlen)
{
    static const gcp_snapshot_options defaults = GCP_SNAPSHOT_OPTIONS_INIT;
    struct gcp_tenant_read_options ro = {0};
    struct gcp_tenant_read_stats stats;
    struct client_links links = {opts != NULL ? opts->journal : NULL, NULL};
    const gcp_person **people;
    struct gcp_err err;
    int error;

    if (opts == NULL)
        opts = &defaults;
    gcp_err__clear(&err);
    if (out == NULL || client == NULL ||
        opts->version != GCP_SNAPSHOT_OPTIONS_VERSION)
        error = gcp_err__set(&err, GCP_EINVALID, "invalid arguments");
    else if ((people = client_people(roster)) == NULL)
        error = gcp_err__set(&err, GCP_ENOMEM, "out of memory");
    else {
        ro.authority = opts->key_authority;
        ro.page_size = opts->page_size;
        ro.seats = opts->count_seats;
        ro.strategy = opts->strategy;
        ro.link = opts->journal != NULL ? client_link : NULL;
        ro.link_payload = &links;
        error = gcp_tenant__read(out, &stats, people, gcp_roster_count(roster),
                                 &ro, gcp_tenant__client_call, client, &err);
        if (error == 0)
            client_log(opts, &stats, gcp_roster_count(roster));
        free(people);
        free(links.last);
    }
    if (error < 0 && errbuf != NULL && errlen > 0)
        snprintf(errbuf, errlen, "%s", gcp_err__message(&err));
    return error;
}

void gcp_snapshot_free(gcp_snapshot *snapshot)
{
    gcp_tenant__free(snapshot);
}

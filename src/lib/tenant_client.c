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

int gcp_tenant__client_send(struct gcp_batch_reply *out,
                            const struct gcp_batch_request *req,
                            const char *path, json_t *body, void *payload)
{
    struct gcp_tenant_sender *s = payload;
    gcp_request request = {req->method, req->route, path, body,
                           req->idempotent};

    gcp_result_clear(&s->last);
    gcp_client_call(s->client, &s->last, &request);
    out->code = s->last.code;
    out->status = s->last.status;
    out->json = s->last.json; /* stolen; the error strings point into it */
    s->last.json = NULL;
    out->error_code = s->last.error_code;
    out->message = s->last.message[0] != '\0' ? s->last.message : NULL;
    out->correlation_id =
        s->last.correlation_id[0] != '\0' ? s->last.correlation_id : NULL;
    return out->code;
}

void gcp_tenant__sender_clear(struct gcp_tenant_sender *sender)
{
    gcp_result_clear(&sender->last);
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

/*
 * tenant_client.h: binds the reader's calls and the batch runner's sends
 * to a gcp_client, so apply hands them the connection it opened.
 */
#ifndef GCP_TENANT_CLIENT_H
#define GCP_TENANT_CLIENT_H

#include "batch.h"
#include "gcprov/client.h"
#include "tenant_read.h"

/*
 * A gcp_tenant_call_fn whose payload is a gcp_client: every read is sent
 * as idempotent (the searches and batch reads by POST too).
 */
int gcp_tenant__client_call(json_t **out, const char *method, const char *route,
                            const char *path, json_t *body, void *payload);

/*
 * What the batch sender keeps between sends: every result since the last
 * gcp_tenant__sender_clear(), which the replies' strings point into.
 */
struct gcp_tenant_block {
    gcp_result *results;
    size_t count;
};

struct gcp_tenant_sender {
    gcp_client *client;              /* borrowed */
    struct gcp_tenant_block *blocks; /* one per send, never moved */
    size_t count;
    size_t capacity;
};

/*
 * Sends `count` requests through the client at once (gcp_client_batch)
 * and fills out[i] for each: the classification, the reply (out[i].json,
 * the caller's) and the error strings, which stay valid until
 * gcp_tenant__sender_clear(). Out of memory, every out[i] is GCP_ENOMEM
 * and nothing is sent. The signature is a gcp_batch_send_fn's, with a
 * struct gcp_tenant_sender for payload.
 */
void gcp_tenant__client_send(struct gcp_batch_reply *out,
                             const struct gcp_batch_request *const *reqs,
                             char *const *paths, json_t *const *bodies,
                             size_t count, void *payload);

/* Releases the results the sender holds; the sender can be used again. */
void gcp_tenant__sender_clear(struct gcp_tenant_sender *sender);

/* Releases everything the sender holds. */
void gcp_tenant__sender_free(struct gcp_tenant_sender *sender);

#endif

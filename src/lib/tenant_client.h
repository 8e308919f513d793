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

/* What the batch sender keeps between sends: the last result. */
struct gcp_tenant_sender {
    gcp_client *client; /* borrowed */
    gcp_result last;    /* holds the strings the last reply points to */
};

/*
 * A gcp_batch_send_fn whose payload is a struct gcp_tenant_sender. The
 * reply's strings stay valid until the next send or
 * gcp_tenant__sender_clear().
 */
int gcp_tenant__client_send(struct gcp_batch_reply *out,
                            const struct gcp_batch_request *req,
                            const char *path, json_t *body, void *payload);

/* Releases what the sender holds. */
void gcp_tenant__sender_clear(struct gcp_tenant_sender *sender);

#endif

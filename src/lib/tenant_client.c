/*
 * tenant_client.c: the reader and the batch runner over a gcp_client. The
 * client paces, retries and classifies; these only translate.
 */
#include <string.h>

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

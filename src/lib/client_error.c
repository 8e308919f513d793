/*
 * client_error.c: what an attempt's outcome means. Classification decides
 * the gcp_error and whether a retry is safe; parsing lifts the ErrorBody's
 * fields out of the reply; describing makes the one line an operator
 * reads, with the route and the correlation id Genesys support asks for.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <curl/curl.h>

#include "client_internal.h"

int gcp_error__is_tls_trust(int curl_rc)
{
    return curl_rc == CURLE_PEER_FAILED_VERIFICATION ||
           curl_rc == CURLE_SSL_CACERT_BADFILE ||
           curl_rc == CURLE_SSL_CERTPROBLEM ||
           curl_rc == CURLE_SSL_ISSUER_ERROR ||
           curl_rc == CURLE_SSL_PINNEDPUBKEYNOTMATCH;
}

/*
 * A transport failure: retried unless a non-idempotent request left, or
 * the server's certificate is not trusted (a retry would meet it again).
 */
static struct gcp_verdict error_transport(int curl_rc, int sent, int idempotent)
{
    struct gcp_verdict v = {GCP_ETRANSIENT, 1, GCP_RETRY_COST};

    if (curl_rc == CURLE_OPERATION_TIMEDOUT)
        v.cost = GCP_RETRY_TIMEOUT_COST;
    if (gcp_error__is_tls_trust(curl_rc)) {
        v.retry = 0;
    } else if (curl_rc == CURLE_OUT_OF_MEMORY) {
        v.code = GCP_ENOMEM;
        v.retry = 0;
    } else if (sent && !idempotent) {
        v.code = GCP_EUNKNOWN;
        v.retry = 0;
    }
    return v;
}

/* A 5xx: 503 and 429 mean "not done"; others may have been done. */
static struct gcp_verdict error_server(long status, int idempotent)
{
    struct gcp_verdict v = {GCP_ETRANSIENT, 1, GCP_RETRY_COST};

    if (status == 501) {
        v.code = GCP_EUNSUPPORTED;
        v.retry = 0;
    } else if (status != 503 && !idempotent) {
        v.code = GCP_EUNKNOWN;
        v.retry = 0;
    }
    return v;
}

struct gcp_verdict gcp_error__classify(int curl_rc, long status, int sent,
                                       int idempotent)
{
    struct gcp_verdict v = {0, 0, 0};

    if (curl_rc != CURLE_OK)
        return error_transport(curl_rc, sent, idempotent);
    if (status == 429) {
        v.code = GCP_ERATELIMITED;
        v.retry = 1;
        v.cost = GCP_RETRY_COST;
    } else if (status >= 500) {
        v = error_server(status, idempotent);
    } else if (status == 401) {
        v.code = GCP_EAUTH;
    } else if (status == 403) {
        v.code = GCP_EPERMISSION;
    } else if (status == 404 || status == 410) {
        v.code = GCP_ENOTFOUND;
    } else if (status == 409) {
        v.code = GCP_ECONFLICT;
    } else if (status >= 400 || status < 200) {
        v.code = GCP_EINVALID;
    }
    return v;
}

/* Copies the first "a:b:c" permission-shaped word of `text` into out. */
static int error_find_permission(char *out, size_t size, const char *text)
{
    for (const char *p = text; p != NULL && *p != '\0'; p++) {
        size_t len = strspn(p, "abcdefghijklmnopqrstuvwxyz"
                               "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_*-");
        const char *colon = memchr(p, ':', len);

        if (colon != NULL && memchr(colon + 1, ':', len - (colon + 1 - p)) &&
            len < size && p[0] != ':') {
            memcpy(out, p, len);
            out[len] = '\0';
            return 1;
        }
        p += len > 0 ? len - 1 : 0;
    }
    return 0;
}

/* The permission a 403 names: in messageParams, else in the message. */
static void error_missing_permission(gcp_result *r)
{
    json_t *params = json_object_get(r->json, "messageParams");
    const char *key;
    json_t *value;

    json_object_foreach(params, key, value)
    {
        if (json_is_string(value) &&
            error_find_permission(r->missing_permission,
                                  sizeof(r->missing_permission),
                                  json_string_value(value)))
            return;
    }
    if (error_find_permission(r->missing_permission,
                              sizeof(r->missing_permission), r->error_message))
        return;
    error_find_permission(r->missing_permission, sizeof(r->missing_permission),
                          r->error_message_with_params);
}

void gcp_error__parse(gcp_result *r)
{
    json_t *body = json_is_object(r->json) ? r->json : NULL;

    r->error_code = json_string_value(json_object_get(body, "code"));
    r->error_message = json_string_value(json_object_get(body, "message"));
    r->error_message_with_params =
        json_string_value(json_object_get(body, "messageWithParams"));
    r->error_context_id = json_string_value(json_object_get(body, "contextId"));
    r->error_details = json_object_get(body, "details");
    r->error_errors = json_object_get(body, "errors");
    r->missing_permission[0] = '\0';
    if (r->status == 403 && body != NULL)
        error_missing_permission(r);
}

/* Replaces control characters so a message stays on one line. */
static void error_one_line(char *s)
{
    for (; *s != '\0'; s++)
        if (iscntrl((unsigned char)*s))
            *s = ' ';
}

void gcp_error__describe(gcp_result *r, const char *transport)
{
    char what[300];
    const char *text = r->error_message ? r->error_message : "";

    if (r->code == 0) {
        r->message[0] = '\0';
        return;
    }
    if (transport != NULL)
        gcp_client__format(what, sizeof(what), "%s", transport);
    else if (r->missing_permission[0] != '\0')
        gcp_client__format(what, sizeof(what),
                           "%ld: the OAuth client lacks "
                           "permission '%s'",
                           r->status, r->missing_permission);
    else
        gcp_client__format(what, sizeof(what), "%ld%s%s%s%s", r->status,
                           r->error_code ? " " : "",
                           r->error_code ? r->error_code : "",
                           text[0] ? ": " : "", text);
    gcp_client__format(r->message, sizeof(r->message), "%s %s: %s%s%s%s%s",
                       r->method, r->route, gcp_error_name(r->code), ": ", what,
                       r->correlation_id[0] ? " (correlation id " : "",
                       r->correlation_id[0] ? r->correlation_id : "");
    if (r->correlation_id[0] != '\0')
        strncat(r->message, ")", sizeof(r->message) - strlen(r->message) - 1);
    error_one_line(r->message);
}

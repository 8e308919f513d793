/*
 * client_token.c: the OAuth token's arithmetic and the words for a refused
 * grant. The grant itself travels through http_engine.c like any request.
 * Token bytes are wiped wherever they were copied: the reply buffer, the
 * parsed JSON string and the cached value.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client_internal.h"
#include "wipe.h"

double gcp_token__margin(double lifetime)
{
    double tenth = lifetime / 10.0;

    /* A 300 s margin would renew a short-lived token at every use. */
    return tenth < GCP_TOKEN_MARGIN ? tenth : GCP_TOKEN_MARGIN;
}

int gcp_token__fresh(const struct gcp_token *t, double now)
{
    return t->value != NULL &&
           now < t->expires_at - gcp_token__margin(t->lifetime);
}

void gcp_token__clear(struct gcp_token *t)
{
    gcp_wipe_free(t->value);
    t->value = NULL;
    t->expires_at = 0;
    t->lifetime = 0;
}

/* Wipes the bytes of a parsed JSON string before the tree is freed. */
static void token_wipe_json(json_t *root)
{
    json_t *value = json_object_get(root, "access_token");

    /* Jansson frees without clearing; the cast reaches our own copy. */
    if (json_is_string(value))
        gcp_wipe((char *)json_string_value(value), json_string_length(value));
}

int gcp_token__store(struct gcp_token *t, char *reply, size_t len, double now,
                     struct gcp_err *err)
{
    json_t *root = json_loadb(reply, len, 0, NULL);
    const char *value =
        json_string_value(json_object_get(root, "access_token"));
    json_t *expires = json_object_get(root, "expires_in");
    int rc = 0;

    gcp_wipe(reply, len);
    if (value == NULL || value[0] == '\0' || !json_is_number(expires) ||
        json_number_value(expires) <= 0) {
        rc = gcp_err__set(err, GCP_EAUTH,
                          "the login server's reply has no usable "
                          "access_token and expires_in");
        goto cleanup;
    }
    gcp_token__clear(t);
    if ((t->value = strdup(value)) == NULL) {
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
        goto cleanup;
    }
    t->lifetime = json_number_value(expires);
    t->expires_at = now + t->lifetime;
    t->generation++;

cleanup:
    token_wipe_json(root);
    json_decref(root);
    return rc;
}

/* Non-zero when `text` contains any of the NULL-terminated `words`. */
static int token_mentions(const char *text, const char *const *words)
{
    for (; text != NULL && *words != NULL; words++)
        if (strstr(text, *words) != NULL)
            return 1;
    return 0;
}

/* Words for invalid_client: the description may say which part failed. */
static const char *token_invalid_client(const char *description)
{
    static const char *const unknown[] = {"not found", "unknown",
                                          "does not exist", "no such", NULL};
    static const char *const secret[] = {"secret", NULL};
    static const char *const either[] = {" or ", NULL};

    if (token_mentions(description, unknown))
        return "the client id is unknown to this region; check "
               "--client-id and --region";
    if (token_mentions(description, secret) &&
        !token_mentions(description, either))
        return "the client secret is wrong; check the secret source";
    return "the client id is unknown to this region, or its secret is "
           "wrong; check --client-id, --region and the secret";
}

/* The advice for an OAuth error code, or NULL when it has none. */
static const char *token_advice(const char *error, const char *description)
{
    if (error == NULL)
        return NULL;
    if (strcmp(error, "invalid_client") == 0)
        return token_invalid_client(description);
    if (strcmp(error, "unauthorized_client") == 0)
        return "the OAuth client may not use the client credentials grant; "
               "set its grant type to client credentials";
    if (strcmp(error, "unsupported_grant_type") == 0 ||
        strcmp(error, "invalid_request") == 0)
        return "the login server refused the grant request; check "
               "--login-url";
    return NULL;
}

void gcp_token__explain(char *out, size_t size, long status, const char *reply,
                        size_t len, const char *client_id)
{
    json_t *root = json_loadb(reply, len, 0, NULL);
    const char *error = json_string_value(json_object_get(root, "error"));
    const char *description =
        json_string_value(json_object_get(root, "description"));
    const char *advice;

    if (description == NULL)
        description =
            json_string_value(json_object_get(root, "error_description"));
    advice = token_advice(error, description);
    if (advice == NULL && (status == 401 || status == 400))
        advice = "credentials refused; check --client-id and the secret";
    if (advice == NULL)
        advice = "the login server did not grant a token; check "
                 "--login-url or --region";
    gcp_client__format(
        out, size, "login for client '%s' failed (%ld%s%s%s%s): %s", client_id,
        status, error ? " " : "", error ? error : "", description ? ": " : "",
        description ? description : "", advice);
    json_decref(root);
}

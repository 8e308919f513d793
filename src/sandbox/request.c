/*
 * request.c: what a handler reads from a request besides its body:
 * headers, the Basic credentials of the token endpoint, query parameters;
 * and sbx_handle_raw, which builds a request from plain strings (the query
 * decoded as libmicrohttpd decodes it) so that routes run without a
 * socket.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"

const char *sbx_header(const struct sbx_req *req, const char *name)
{
    for (size_t i = 0; i < req->header_count; i++)
        if (strcasecmp(req->headers[i].key, name) == 0)
            return req->headers[i].value;
    return NULL;
}

const char *sbx_query(const struct sbx_req *req, const char *name)
{
    for (size_t i = 0; i < req->query_count; i++)
        if (strcmp(req->query[i].key, name) == 0)
            return req->query[i].value;
    return NULL;
}

static void split_values(json_t *values, const char *p)
{
    while (*p != '\0') {
        size_t len = strcspn(p, ",");
        if (len > 0)
            json_array_append_new(values, json_stringn(p, len));
        p += len + (p[len] == ',');
    }
}

json_t *sbx_query_list(const struct sbx_req *req, const char *name)
{
    json_t *values = json_array();

    for (size_t i = 0; values != NULL && i < req->query_count; i++)
        if (req->query[i].value != NULL && strcmp(req->query[i].key, name) == 0)
            split_values(values, req->query[i].value);
    return values;
}

/* --- Basic credentials ------------------------------------------------------
 */

static int base64_value(char c)
{
    static const char alphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char *p = c ? strchr(alphabet, c) : NULL;

    return p ? (int)(p - alphabet) : -1;
}

/*
 * Decodes standard base64 (padding optional) into a new NUL-terminated
 * string, or NULL when `in` is not base64 or decodes to a NUL byte.
 */
static char *base64_decode(const char *in)
{
    size_t len = strcspn(in, "=");
    char *out = malloc(len * 3 / 4 + 1);
    size_t n = 0;
    unsigned bits = 0, nbits = 0;

    if (out == NULL || strspn(in + len, "=") != strlen(in + len))
        goto fail;
    for (size_t i = 0; i < len; i++) {
        int v = base64_value(in[i]);
        if (v < 0)
            goto fail;
        bits = (bits << 6) | (unsigned)v;
        nbits += 6;
        if (nbits >= 8) {
            nbits -= 8;
            out[n] = (char)((bits >> nbits) & 0xff);
            if (out[n++] == '\0')
                goto fail;
        }
    }
    out[n] = '\0';
    return out;

fail:
    free(out);
    return NULL;
}

int sbx_basic_auth(char **out_user, const char **out_password,
                   const struct sbx_req *req)
{
    const char *auth = sbx_header(req, "Authorization");
    char *colon;

    *out_user = NULL;
    *out_password = NULL;
    if (auth == NULL || strncasecmp(auth, "basic ", 6) != 0)
        return -1;
    auth += 6 + strspn(auth + 6, " ");
    if ((*out_user = base64_decode(auth)) == NULL)
        return -1;
    colon = strchr(*out_user, ':');
    if (colon == NULL) {
        free(*out_user);
        *out_user = NULL;
        return -1;
    }
    *colon = '\0';
    *out_password = colon + 1;
    return 0;
}

/* --- Requests without a socket ----------------------------------------------
 */

/* Decodes one query component in place: '+' is a space, then %XX. */
static void unescape(char *text)
{
    for (char *p = text; *p != '\0'; p++)
        if (*p == '+')
            *p = ' ';
    MHD_http_unescape(text);
}

/* Splits `query` (modified) into `kv`, as many as fit. Returns the count. */
static size_t parse_query(struct sbx_kv *kv, size_t max, char *query)
{
    size_t n = 0;

    for (char *p = query; p != NULL && *p != '\0' && n < max;) {
        char *amp = strchr(p, '&');
        char *eq;

        if (amp != NULL)
            *amp = '\0';
        eq = strchr(p, '=');
        if (eq != NULL)
            *eq = '\0';
        unescape(p);
        if (eq != NULL)
            unescape(eq + 1);
        kv[n++] = (struct sbx_kv){p, eq ? eq + 1 : NULL};
        p = amp ? amp + 1 : NULL;
    }
    return n;
}

int sbx_handle_raw(struct sbx_reply *out, struct sbx *s, const char *method,
                   const char *path, const char *query,
                   const struct sbx_kv *headers, size_t header_count,
                   const char *body, size_t body_len)
{
    struct sbx_req req = {.sbx = s,
                          .method = method,
                          .path = path,
                          .headers = headers,
                          .header_count = header_count};
    size_t qlen = query ? strlen(query) : 0;
    struct sbx_kv *kv = calloc(qlen / 2 + 1, sizeof(*kv));
    char *qcopy = query ? strdup(query) : NULL;
    char *bcopy = malloc(body_len + 1);
    int rc = GCP_ENOMEM;

    if (kv == NULL || bcopy == NULL || (query != NULL && qcopy == NULL))
        goto cleanup;
    req.query = kv;
    req.query_count = qcopy ? parse_query(kv, qlen / 2 + 1, qcopy) : 0;
    if (body_len > 0)
        memcpy(bcopy, body, body_len);
    bcopy[body_len] = '\0';
    req.raw_body = bcopy;
    req.raw_len = body_len;
    rc = sbx_handle(out, &req, body_len > SBX_MAX_BODY);

cleanup:
    free(kv);
    free(qcopy);
    free(bcopy);
    return rc;
}

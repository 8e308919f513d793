/*
 * fuzz_reply_error.c: a hostile or broken server's error replies. The
 * first byte picks the HTTP status the reply came with; the rest is the
 * body. The client classifies it, lifts the ErrorBody's fields (code,
 * message, messageWithParams, contextId, details, nested errors, the
 * missing permission of a 403) and writes the operator's line; the login
 * server's errors are explained from the same bytes.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "client_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const long statuses[] = {400, 401, 403, 404, 409, 410, 429, 500,
                                501, 502, 503, 504, 200, 201, 0,   599};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    long status = size > 0 ? statuses[data[0] % 16] : 400;
    const char *body = size > 0 ? (const char *)data + 1 : "";
    size_t len = size > 0 ? size - 1 : 0;
    char why[GCP_ERRMSG_MAX];
    gcp_result r;

    memset(&r, 0, sizeof(r));
    r.status = status;
    r.code = gcp_error__classify(0, status, 1, 0).code;
    strcpy(r.method, "POST");
    strcpy(r.route, "/api/v2/users");
    r.json = json_loadb(body, len, JSON_DECODE_ANY, NULL);
    gcp_error__parse(&r);
    gcp_error__describe(&r, NULL);
    /* The line is one line, NUL-terminated within the buffer. */
    if (memchr(r.message, '\0', sizeof(r.message)) == NULL ||
        strchr(r.message, '\n') != NULL)
        __builtin_trap();
    gcp_result_clear(&r);
    gcp_token__explain(why, sizeof(why), status, body, len, "ci");
    if (memchr(why, '\0', sizeof(why)) == NULL)
        __builtin_trap();
    return 0;
}

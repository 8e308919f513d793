/*
 * err.c: error names and the per-handle message buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

void gcp_err__clear(struct gcp_err *e)
{
    if (e == NULL)
        return;
    e->code = 0;
    e->msg[0] = '\0';
}

int gcp_err__set(struct gcp_err *e, int code, const char *fmt, ...)
{
    va_list ap;

    if (e == NULL)
        return code;
    e->code = code;
    va_start(ap, fmt);
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    va_end(ap);
    return code;
}

int gcp_err__copy(struct gcp_err *dst, const struct gcp_err *src)
{
    if (dst != NULL && src != NULL && dst != src) {
        dst->code = src->code;
        memcpy(dst->msg, src->msg, sizeof(dst->msg));
    }
    return src != NULL ? src->code : GCP_ERROR;
}

const char *gcp_err__message(const struct gcp_err *e)
{
    return e != NULL ? e->msg : "";
}

const char *gcp_error_name(int code)
{
    static const char *const names[] = {
        "success",
        "error",
        "out of memory",
        "invalid input",
        "not found",
        "conflict",
        "permission",
        "authentication",
        "rate limited",
        "transient",
        "outcome unknown",
        "local i/o failure",
        "busy",
        "retry budget spent",
        "cancelled",
        "unsupported",
    };
    size_t index = (size_t)(-(long)code);

    if (code > 0 || index >= sizeof(names) / sizeof(names[0]))
        return "unknown error";
    return names[index];
}

const char *gcp_version(void)
{
    return GCP_VERSION;
}

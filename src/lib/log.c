/*
 * log.c: level filtering and formatting for the log callback.
 */
#include <stdarg.h>
#include <stdio.h>

#include "log.h"

/* One log line at most; longer messages are cut, never split. */
#define LOG_LINE_MAX 2048

int gcp_log__enabled(const struct gcp_logger *lg, gcp_log_level level)
{
    return lg != NULL && lg->fn != NULL && level >= lg->min;
}

void gcp_log__emit(const struct gcp_logger *lg, gcp_log_level level,
                   const char *fmt, ...)
{
    char line[LOG_LINE_MAX];
    va_list ap;

    if (!gcp_log__enabled(lg, level))
        return;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    lg->fn(level, line, lg->payload);
}

const char *gcp_log_level_name(gcp_log_level level)
{
    switch (level) {
    case GCP_LOG_DEBUG:
        return "debug";
    case GCP_LOG_INFO:
        return "info";
    case GCP_LOG_WARN:
        return "warn";
    case GCP_LOG_ERROR:
        return "error";
    }
    return "info";
}

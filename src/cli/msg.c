/*
 * msg.c: the CLI's messages and its log sink. The settings live here, set
 * once by main() from the command line, and nowhere else.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include <jansson.h>

#include "exit.h"
#include "msg.h"
#include "opts.h"

static struct {
    int quiet;
    gcp_log_level min_level;
    enum cli_log_format format;
} settings = {0, GCP_LOG_WARN, CLI_LOG_TEXT};

void cli_msg_configure(int quiet, gcp_log_level min_level,
                       enum cli_log_format format)
{
    settings.quiet = quiet;
    settings.min_level = min_level;
    settings.format = format;
}

int cli_is_quiet(void)
{
    return settings.quiet;
}

gcp_log_level cli_log_min_level(void)
{
    return settings.min_level;
}

static void format_timestamp(char *out, size_t size);
static void log_json(const char *when, gcp_log_level level,
                     const char *message);

/*
 * Prints one message: "PREFIXmessage", or under --log-format json one
 * JSON object at `level`, so that every line of stderr parses.
 */
static void print_prefixed(gcp_log_level level, const char *prefix,
                           const char *fmt, va_list ap)
{
    char message[2048], when[64];

    if (settings.format != CLI_LOG_JSON) {
        fputs(prefix, stderr);
        vfprintf(stderr, fmt, ap);
        fputc('\n', stderr);
        return;
    }
    vsnprintf(message, sizeof(message), fmt, ap);
    format_timestamp(when, sizeof(when));
    log_json(when, level, message);
}

/* print_prefixed with its arguments given directly. */
static void print_line(gcp_log_level level, const char *prefix, const char *fmt,
                       ...)
{
    va_list ap;

    va_start(ap, fmt);
    print_prefixed(level, prefix, fmt, ap);
    va_end(ap);
}

int cli_error(int status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    print_prefixed(GCP_LOG_ERROR, "gcprov: error: ", fmt, ap);
    va_end(ap);
    return status;
}

int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    print_prefixed(GCP_LOG_ERROR, "gcprov: error: ", fmt, ap);
    va_end(ap);
    print_line(GCP_LOG_INFO, "", "try 'gcprov %s%s--help'",
               cmd != NULL ? cmd->name : "", cmd != NULL ? " " : "");
    return CLI_EXIT_USAGE;
}

void cli_hint(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    print_prefixed(GCP_LOG_ERROR, "gcprov: hint: ", fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;

    if (settings.quiet)
        return;
    va_start(ap, fmt);
    print_prefixed(GCP_LOG_WARN, "gcprov: warning: ", fmt, ap);
    va_end(ap);
}

void cli_message(gcp_log_level level, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    print_prefixed(level, "", fmt, ap);
    va_end(ap);
}

void cli_info(const char *fmt, ...)
{
    va_list ap;

    if (settings.quiet)
        return;
    va_start(ap, fmt);
    print_prefixed(GCP_LOG_INFO, "gcprov: ", fmt, ap);
    va_end(ap);
}

/* Formats the current UTC time as 2026-12-03T15:54:14.123Z. */
static void format_timestamp(char *out, size_t size)
{
    struct timeval tv;
    struct tm tm;
    char base[24];

    gettimeofday(&tv, NULL);
    gmtime_r(&tv.tv_sec, &tm);
    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, size, "%s.%03ldZ", base, (long)(tv.tv_usec / 1000));
}

static void log_json(const char *when, gcp_log_level level, const char *message)
{
    json_t *line = json_pack("{s:s, s:s, s:s}", "time", when, "level",
                             gcp_log_level_name(level), "message", message);
    char *text = line != NULL ? json_dumps(line, JSON_COMPACT) : NULL;

    if (text != NULL)
        fprintf(stderr, "%s\n", text);
    free(text);
    json_decref(line);
}

void cli_log(gcp_log_level level, const char *message, void *payload)
{
    char when[64];

    if (level < settings.min_level)
        return;
    if (settings.quiet && level < GCP_LOG_ERROR)
        return;
    format_timestamp(when, sizeof(when));
    if (settings.format == CLI_LOG_JSON) {
        log_json(when, level, message);
        return;
    }
    fprintf(stderr, "%s %-5s %s\n", when, gcp_log_level_name(level), message);
}

int cli_finish_output(int status)
{
    int failed = fflush(stdout) != 0 || ferror(stdout);
    int saved = errno;

    if (fclose(stdout) != 0 && !failed) {
        failed = 1;
        saved = errno;
    }
    if (!failed)
        return status;
    cli_error(CLI_EXIT_LOCAL, "could not write standard output: %s",
              strerror(saved));
    return CLI_EXIT_LOCAL;
}

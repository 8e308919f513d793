/*
 * msg.h: everything the CLI tells a person goes through here, with fixed
 * prefixes ("gcprov: error: ", "gcprov: warning: "). Results go to stdout;
 * messages and logs go to stderr. Each error helper returns the exit status
 * so that a call site can `return cli_error(CLI_EXIT_USAGE, ...)`.
 */
#ifndef CLI_MSG_H
#define CLI_MSG_H

#include <stdio.h>

#include "gcprov/common.h"

struct cli_command;

enum cli_log_format { CLI_LOG_TEXT, CLI_LOG_JSON };

/* Sets what reaches stderr: --quiet drops info and warnings. */
void cli_msg_configure(int quiet, gcp_log_level min_level,
                       enum cli_log_format format);

/* Prints "gcprov: error: MESSAGE" and returns `status`. */
int cli_error(int status, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Prints the error and a pointer to the command's --help, and returns
 * CLI_EXIT_USAGE. `cmd` may be NULL for errors before a command is known.
 */
int cli_usage_error(const struct cli_command *cmd, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/*
 * Prints "gcprov: hint: MESSAGE", what to do about an error just printed;
 * shown even with --quiet, like the error itself.
 */
void cli_hint(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "gcprov: warning: MESSAGE" unless quiet. */
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints "gcprov: MESSAGE" unless quiet. */
void cli_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Prints MESSAGE as it is (a roster diagnostic, "file:line:col: ..."), or
 * under --log-format json as one JSON object at `level`. Not filtered.
 */
void cli_message(gcp_log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Returns non-zero when --quiet was given. */
int cli_is_quiet(void);

/*
 * The library's log callback: writes a timestamped line (text or one JSON
 * object) to stderr when the level is enabled. `payload` is unused.
 */
void cli_log(gcp_log_level level, const char *message, void *payload);

/* The minimum level cli_log prints; pass it to the library's logger. */
gcp_log_level cli_log_min_level(void);

/*
 * Flushes and closes stdout, reporting a write failure (closed pipe, full
 * disk). Returns `status`, or CLI_EXIT_LOCAL when the output was lost.
 */
int cli_finish_output(int status);

#endif

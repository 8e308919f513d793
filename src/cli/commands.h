/*
 * commands.h: the subcommands of gcprov. Each lives in its own cmd_*.c and
 * is listed once in main.c's table.
 */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "opts.h"

extern const struct cli_command cli_cmd_validate;
extern const struct cli_command cli_cmd_version;
extern const struct cli_command cli_cmd_check;
extern const struct cli_command cli_cmd_status;
extern const struct cli_command cli_cmd_report;
extern const struct cli_command cli_cmd_history;
extern const struct cli_command cli_cmd_sandbox;

#endif

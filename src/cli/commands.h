/*
 * commands.h: the subcommands of gcprov. Each lives in its own cmd_*.c and
 * is listed once in commands.c's table.
 */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "opts.h"

extern const struct cli_command cli_cmd_validate;
extern const struct cli_command cli_cmd_version;
extern const struct cli_command cli_cmd_check;
extern const struct cli_command cli_cmd_plan;
extern const struct cli_command cli_cmd_apply;
extern const struct cli_command cli_cmd_status;
extern const struct cli_command cli_cmd_report;
extern const struct cli_command cli_cmd_history;
extern const struct cli_command cli_cmd_sandbox;
extern const struct cli_command cli_cmd_roles;
extern const struct cli_command cli_cmd_licenses;

extern const struct cli_command cli_cmd_config;

/* Every command, in the order `gcprov help` lists them. */
extern const struct cli_command *const cli_commands[];
extern const size_t cli_command_count;

/* Returns the command called `name`, or NULL. */
const struct cli_command *cli_command_find(const char *name);

#endif

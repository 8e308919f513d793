/*
 * commands.c: the table of gcprov's subcommands.
 */
#include <string.h>

#include "commands.h"

/* One entry per line, in the order `gcprov help` lists them. */
/* clang-format off */
const struct cli_command *const cli_commands[] = {
    &cli_cmd_validate,
    &cli_cmd_status,
    &cli_cmd_report,
    &cli_cmd_history,
    &cli_cmd_check,
    &cli_cmd_roles,
    &cli_cmd_licenses,
    &cli_cmd_plan,
    &cli_cmd_apply,
    &cli_cmd_config,
    &cli_cmd_sandbox,
    &cli_cmd_version,
};
/* clang-format on */

const size_t cli_command_count = sizeof(cli_commands) / sizeof(*cli_commands);

const struct cli_command *cli_command_find(const char *name)
{
    for (size_t i = 0; i < cli_command_count; i++)
        if (strcmp(cli_commands[i]->name, name) == 0)
            return cli_commands[i];
    return NULL;
}

/*
 * main.c: gcprov's entry point. It finds the subcommand, parses its options
 * from the command's table, configures messages and runs it. Output is
 * flushed and checked here, once, for every command.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exit.h"
#include "msg.h"
#include "profile.h"

static void print_overview(FILE *out)
{
    fputs("usage: gcprov COMMAND [options] [operands]\n\n"
          "keeps Genesys Cloud users in line with an HR roster\n\n"
          "commands:\n",
          out);
    for (size_t i = 0; i < cli_command_count; i++)
        fprintf(out, "  %-10s %s\n", cli_commands[i]->name,
                cli_commands[i]->summary);
    fputs("\n'gcprov help COMMAND' or 'gcprov COMMAND --help' tells more\n",
          out);
}

/* `gcprov help [COMMAND]`; `gcprov help help` is the overview. */
static int run_help(int argc, char **argv)
{
    const struct cli_command *cmd;

    if (argc < 1 || strcmp(argv[0], "help") == 0) {
        print_overview(stdout);
        return CLI_EXIT_OK;
    }
    if ((cmd = cli_command_find(argv[0])) == NULL)
        return cli_usage_error(NULL, "unknown command '%s'", argv[0]);
    cli_opts_help(cmd, stdout);
    return CLI_EXIT_OK;
}

/*
 * `gcprov complete [COMMAND]`, for the bash completion script: the
 * command names, or the options of one command, one word per line.
 */
static int run_complete(int argc, char **argv)
{
    const struct cli_command *cmd;

    if (argc < 1) {
        for (size_t i = 0; i < cli_command_count; i++)
            printf("%s\n", cli_commands[i]->name);
        printf("help\n");
        return CLI_EXIT_OK;
    }
    if ((cmd = cli_command_find(argv[0])) != NULL)
        cli_opts_words(cmd, stdout);
    return CLI_EXIT_OK;
}

static void configure_messages(const struct cli_common *common)
{
    gcp_log_level level = GCP_LOG_WARN;
    enum cli_log_format format = CLI_LOG_TEXT;

    if (common->verbose >= 2)
        level = GCP_LOG_DEBUG;
    else if (common->verbose == 1)
        level = GCP_LOG_INFO;
    if (common->log_format != NULL && strcmp(common->log_format, "json") == 0)
        format = CLI_LOG_JSON;
    cli_msg_configure(common->quiet, level, format);
}

static int check_common(const struct cli_command *cmd,
                        const struct cli_common *common)
{
    const char *fmt = common->log_format;

    if (fmt != NULL && strcmp(fmt, "text") != 0 && strcmp(fmt, "json") != 0)
        return cli_usage_error(cmd, "--log-format must be 'text' or 'json'");
    return 0;
}

static int run_command(const struct cli_command *cmd, int argc, char **argv)
{
    struct cli_common common = {0};
    struct cli_profile profile = {0};
    void *settings = calloc(1, cmd->settings_size ? cmd->settings_size : 1);
    int operands = 0;
    int rc;

    if (settings == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    rc = cli_opts_parse(cmd, argc, argv, &common, settings, &operands);
    if (rc == 0)
        rc = check_common(cmd, &common);
    if (rc != 0)
        goto cleanup;
    configure_messages(&common);
    if (common.help) {
        cli_opts_help(cmd, stdout);
        goto cleanup;
    }
    if ((rc = cli_profile_load(&profile, common.profile)) != 0 ||
        (rc = cli_profile_apply(&profile, cmd, settings)) != 0)
        goto cleanup;
    common.loaded_profile = &profile;
    rc = cmd->run(&common, settings, operands, argv);

cleanup:
    cli_profile_release(&profile);
    cli_opts_release(cmd, settings);
    free(settings);
    return rc;
}

static int dispatch(int argc, char **argv)
{
    const struct cli_command *cmd;

    if (argc < 2) {
        print_overview(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
        return run_help(0, NULL);
    if (strcmp(argv[1], "help") == 0)
        return run_help(argc - 2, argv + 2);
    if (strcmp(argv[1], "complete") == 0)
        return run_complete(argc - 2, argv + 2);
    if (strcmp(argv[1], "--version") == 0)
        return run_command(&cli_cmd_version, 0, argv + 2);
    if ((cmd = cli_command_find(argv[1])) == NULL)
        return cli_usage_error(NULL, "unknown command '%s'", argv[1]);
    return run_command(cmd, argc - 2, argv + 2);
}

int main(int argc, char **argv)
{
    /* A closed pipe must be an error we report, not a silent death. */
    signal(SIGPIPE, SIG_IGN);
    /* Past RLIMIT_FSIZE a write must fail with EFBIG, so that the journal
     * reports a full disk (exit 5, the file named) instead of the process
     * dying of SIGXFSZ. */
    signal(SIGXFSZ, SIG_IGN);
    return cli_finish_output(dispatch(argc, argv));
}

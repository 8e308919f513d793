/*
 * cmd_history.c: `gcprov history` lists the runs a journal recorded,
 * newest first: when, what, how it ended and how many steps of each kind.
 */
#include <stdio.h>

#include "commands.h"
#include "exit.h"
#include "journal_opts.h"
#include "msg.h"

struct history_settings {
    long limit;
    struct cli_journal_opts journal;
};

static const struct cli_opt history_opts[] = {
    {"limit", 'n', CLI_INT, offsetof(struct history_settings, limit), "N",
     "show only the newest N runs"},
    CLI_OPT_END,
};

static const struct cli_opt_group history_groups[] = {
    CLI_JOURNAL_GROUP(struct history_settings, journal),
    CLI_GROUP_END,
};

static void history_print_row(const gcp_journal_run_row *run)
{
    char started[32];
    char ended[32];
    char status[16] = "-";

    cli_journal_time(started, sizeof(started), run->started_ms);
    cli_journal_time(ended, sizeof(ended), run->ended_ms);
    if (run->exit_status >= 0)
        snprintf(status, sizeof(status), "%d", run->exit_status);
    printf("%5lld  %-20s  %-20s  %-8s  %-11s  %4s  %6zu  %6zu  %6zu  %6zu\n",
           (long long)run->id, started, ended,
           run->command ? run->command : "-",
           run->outcome ? run->outcome : "unfinished", status, run->people,
           run->done, run->failed, run->unresolved);
}

static int history_table(const gcp_journal_runs *runs)
{
    size_t count = gcp_journal_runs_count(runs);

    if (count == 0) {
        cli_info("the journal has no runs yet");
        return CLI_EXIT_OK;
    }
    printf("%5s  %-20s  %-20s  %-8s  %-11s  %4s  %6s  %6s  %6s  %6s\n", "RUN",
           "STARTED", "ENDED", "COMMAND", "OUTCOME", "EXIT", "PEOPLE", "DONE",
           "FAILED", "OPEN");
    for (size_t i = 0; i < count; i++)
        history_print_row(gcp_journal_runs_get(runs, i));
    return CLI_EXIT_OK;
}

static int history_json(const gcp_journal *j, const gcp_journal_runs *runs)
{
    json_t *doc = json_object();
    json_t *list = json_array();

    if (doc == NULL || list == NULL) {
        json_decref(doc);
        json_decref(list);
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    }
    for (size_t i = 0; i < gcp_journal_runs_count(runs); i++)
        json_array_append_new(
            list, cli_journal_run_json(gcp_journal_runs_get(runs, i)));
    json_object_set_new(doc, "journal", json_string(gcp_journal_path(j)));
    json_object_set_new(doc, "runs", list); /* stolen */
    return cli_journal_print_json(doc);
}

static int run_history(const struct cli_common *common, void *settings,
                       int argc, char **argv)
{
    struct history_settings *s = settings;
    gcp_journal *j = NULL;
    gcp_journal_runs *runs = NULL;
    int rc;

    if (argc > 0)
        return cli_usage_error(&cli_cmd_history, "unexpected operand '%s'",
                               argv[0]);
    if (s->limit < 0)
        return cli_usage_error(&cli_cmd_history, "--limit must be positive");
    if ((rc = cli_journal_open_reader(&j, &s->journal)) != 0)
        goto cleanup;
    if ((rc = gcp_journal_runs_list(&runs, j, (size_t)s->limit)) != 0) {
        rc = cli_journal_error(j, rc);
        goto cleanup;
    }
    rc = common->json ? history_json(j, runs) : history_table(runs);

cleanup:
    gcp_journal_runs_free(runs);
    gcp_journal_free(j);
    return rc;
}

const struct cli_command cli_cmd_history = {
    .name = "history",
    .summary = "list the runs the journal recorded, newest first",
    .details = "OPEN counts steps whose outcome is unknown: the next apply "
               "checks them\nagainst the tenant. 'unfinished' marks a run "
               "that is still going or died.",
    .opts = history_opts,
    .groups = history_groups,
    .settings_size = sizeof(struct history_settings),
    .json_output = 1,
    .run = run_history,
};

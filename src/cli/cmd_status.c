/*
 * cmd_status.c: `gcprov status` answers "where do we stand?" from the
 * journal alone: the last run, the people waiting for a seat and why,
 * the failures no later run has fixed and the steps a crash left open.
 */
#include <stdio.h>

#include "commands.h"
#include "exit.h"
#include "journal_opts.h"
#include "msg.h"

struct status_settings {
    struct cli_journal_opts journal;
};

static const struct cli_opt_group status_groups[] = {
    CLI_JOURNAL_GROUP(struct status_settings, journal),
    CLI_GROUP_END,
};

/* Everything status shows, read before anything is printed. */
struct status_data {
    gcp_journal_runs *last;
    gcp_journal_pending *pending;
    gcp_journal_steps *failures;
    gcp_journal_steps *open;
};

static int status_read(struct status_data *d, gcp_journal *j)
{
    int rc;

    if ((rc = gcp_journal_runs_list(&d->last, j, 1)) != 0 ||
        (rc = gcp_journal_pending_list(&d->pending, j)) != 0 ||
        (rc = gcp_journal_failures(&d->failures, j)) != 0 ||
        (rc = gcp_journal_unresolved(&d->open, j)) != 0)
        return cli_journal_error(j, rc);
    return 0;
}

static void status_release(struct status_data *d)
{
    gcp_journal_runs_free(d->last);
    gcp_journal_pending_free(d->pending);
    gcp_journal_steps_free(d->failures);
    gcp_journal_steps_free(d->open);
}

static void status_print_run(const gcp_journal_run_row *run)
{
    char started[32];
    char ended[32];

    if (run == NULL) {
        puts("last run: none");
        return;
    }
    cli_journal_time(started, sizeof(started), run->started_ms);
    cli_journal_time(ended, sizeof(ended), run->ended_ms);
    printf("last run: %lld (%s), started %s, ended %s\n", (long long)run->id,
           run->command, started, ended);
    if (run->outcome != NULL)
        printf("  outcome: %s, exit status %d\n", run->outcome,
               run->exit_status);
    else
        printf("  outcome: unfinished (still running, or stopped before "
               "the end)\n");
    printf("  people: %zu; steps done %zu, failed %zu, unresolved %zu\n",
           run->people, run->done, run->failed, run->unresolved);
}

static void status_print_pending(const gcp_journal_pending *pending)
{
    size_t count = gcp_journal_pending_count(pending);

    printf("\npending: %zu %s waiting for a seat%s\n", count,
           count == 1 ? "person" : "people",
           count > 0 ? " (the next apply takes them first)" : "");
    for (size_t i = 0; i < count; i++) {
        const gcp_journal_pending_row *p = gcp_journal_pending_get(pending, i);
        char since[32];

        cli_journal_time(since, sizeof(since), p->queued_ms);
        printf("  %s: %s%s%s, since %s%s%s\n", p->person_key,
               gcp_pending_reason_name(p->reason),
               p->license_id ? " for license " : "",
               p->license_id ? p->license_id : "", since, p->detail ? ": " : "",
               p->detail ? p->detail : "");
    }
}

static void status_print_steps(const char *title, const char *hint,
                               const gcp_journal_steps *steps)
{
    size_t count = gcp_journal_steps_count(steps);

    printf("\n%s: %zu%s\n", title, count, count > 0 ? hint : "");
    for (size_t i = 0; i < count; i++) {
        const gcp_journal_step_row *s = gcp_journal_steps_get(steps, i);

        printf("  %s: %s%s%s (run %lld)", s->person_key,
               gcp_journal_step_name(s->step), s->target ? " " : "",
               s->target ? s->target : "", (long long)s->run);
        if (s->http_status > 0)
            printf(", HTTP %d", s->http_status);
        if (s->error_code != NULL)
            printf(", %s", s->error_code);
        if (s->message != NULL)
            printf(": %s", s->message);
        if (s->correlation_id != NULL)
            printf(" [correlation %s]", s->correlation_id);
        putchar('\n');
    }
}

static int status_text(const gcp_journal *j, const struct status_data *d)
{
    printf("journal: %s\n", gcp_journal_path(j));
    status_print_run(gcp_journal_runs_get(d->last, 0));
    status_print_pending(d->pending);
    status_print_steps("failures still unresolved",
                       " (a later apply retries them)", d->failures);
    status_print_steps("steps interrupted before their result",
                       " (the next apply checks them against the tenant)",
                       d->open);
    return CLI_EXIT_OK;
}

static json_t *status_pending_json(const gcp_journal_pending *pending)
{
    json_t *list = json_array();

    for (size_t i = 0; list && i < gcp_journal_pending_count(pending); i++) {
        const gcp_journal_pending_row *p = gcp_journal_pending_get(pending, i);
        char since[32];

        cli_journal_time_ms(since, sizeof(since), p->queued_ms);
        json_array_append_new(
            list,
            json_pack("{s:s, s:s?, s:s, s:s?, s:I, s:s}", "person",
                      p->person_key, "license_id", p->license_id, "reason",
                      gcp_pending_reason_name(p->reason), "detail", p->detail,
                      "first_run", (json_int_t)p->first_run, "since", since));
    }
    return list;
}

static json_t *status_steps_json(const gcp_journal_steps *steps)
{
    json_t *list = json_array();

    for (size_t i = 0; list && i < gcp_journal_steps_count(steps); i++)
        json_array_append_new(
            list, cli_journal_step_json(gcp_journal_steps_get(steps, i)));
    return list;
}

static int status_json(const gcp_journal *j, const struct status_data *d)
{
    const gcp_journal_run_row *run = gcp_journal_runs_get(d->last, 0);
    json_t *doc = json_object();

    if (doc == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    /* Every json_object_set_new below steals the new value. */
    json_object_set_new(doc, "journal", json_string(gcp_journal_path(j)));
    json_object_set_new(doc, "last_run",
                        run ? cli_journal_run_json(run) : json_null());
    json_object_set_new(doc, "pending", status_pending_json(d->pending));
    json_object_set_new(doc, "failures", status_steps_json(d->failures));
    json_object_set_new(doc, "unresolved", status_steps_json(d->open));
    return cli_journal_print_json(doc);
}

static int run_status(const struct cli_common *common, void *settings, int argc,
                      char **argv)
{
    struct status_settings *s = settings;
    struct status_data data = {0};
    gcp_journal *j = NULL;
    int rc;

    if (argc > 0)
        return cli_usage_error(&cli_cmd_status, "unexpected operand '%s'",
                               argv[0]);
    if ((rc = cli_journal_open_reader(&j, &s->journal)) != 0 ||
        (rc = status_read(&data, j)) != 0)
        goto cleanup;
    rc = common->json ? status_json(j, &data) : status_text(j, &data);

cleanup:
    status_release(&data);
    gcp_journal_free(j);
    return rc;
}

const struct cli_command cli_cmd_status = {
    .name = "status",
    .summary = "show the last run, who waits for a seat and what failed",
    .groups = status_groups,
    .settings_size = sizeof(struct status_settings),
    .json_output = 1,
    .run = run_status,
};

/*
 * cmd_report.c: `gcprov report` is the audit trail of one run: every step
 * taken for every person, with the tenant's answer and its correlation
 * id, as a table, CSV or JSON.
 */
#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "commands.h"
#include "exit.h"
#include "journal_opts.h"
#include "msg.h"

struct report_settings {
    long run;
    const char *format;
    struct cli_journal_opts journal;
};

static const struct cli_opt report_opts[] = {
    {"run", 0, CLI_INT, offsetof(struct report_settings, run), "N",
     "the run to report (default: the last one)"},
    {"format", 0, CLI_STRING, offsetof(struct report_settings, format),
     "FORMAT", "'table' (default), 'csv' or 'json'"},
    CLI_OPT_END,
};

static const struct cli_opt_group report_groups[] = {
    CLI_JOURNAL_GROUP(struct report_settings, journal),
    CLI_GROUP_END,
};

enum report_format { REPORT_TABLE, REPORT_CSV, REPORT_JSON };

static const char *text_or_dash(const char *text)
{
    return text != NULL ? text : "-";
}

/* ----------------------------------------------------------------- table */

/* The columns whose width follows the data. */
enum report_column { COL_PERSON, COL_TARGET, COL_ERROR, COL_COUNT };

static const char *report_cell(const gcp_journal_step_row *s, int column)
{
    switch (column) {
    case COL_PERSON:
        return s->person_key;
    case COL_TARGET:
        return text_or_dash(s->target);
    default:
        return text_or_dash(s->error_code);
    }
}

/* Sets widths[] to the longest cell of each column, at least its heading's
 * ("PERSON", "TARGET", "ERROR"), at most 40. */
static void report_widths(const gcp_journal_steps *steps, int widths[])
{
    static const int minimum[COL_COUNT] = {6, 6, 5};

    for (int c = 0; c < COL_COUNT; c++) {
        widths[c] = minimum[c];
        for (size_t i = 0; i < gcp_journal_steps_count(steps); i++) {
            int len =
                (int)strlen(report_cell(gcp_journal_steps_get(steps, i), c));

            if (len > widths[c])
                widths[c] = len > 40 ? 40 : len;
        }
    }
}

static void report_table_row(const gcp_journal_step_row *s, const int *w)
{
    char status[16] = "-";

    if (s->http_status > 0)
        snprintf(status, sizeof(status), "%d", s->http_status);
    printf("%-*s  %-10s  %-*s  %-7s  %4s  %-*s  %s", w[COL_PERSON],
           s->person_key, gcp_journal_step_name(s->step), w[COL_TARGET],
           report_cell(s, COL_TARGET), gcp_journal_state_name(s->state), status,
           w[COL_ERROR], report_cell(s, COL_ERROR),
           text_or_dash(s->correlation_id));
    if (s->message != NULL)
        printf("  %s", s->message);
    putchar('\n');
}

static int report_table(const gcp_journal_run_row *run,
                        const gcp_journal_steps *steps)
{
    int w[COL_COUNT];
    char started[32];

    cli_journal_time(started, sizeof(started), run->started_ms);
    printf("run %lld (%s), started %s, outcome %s: %zu people, %zu steps\n\n",
           (long long)run->id, text_or_dash(run->command), started,
           run->outcome ? run->outcome : "unfinished", run->people,
           gcp_journal_steps_count(steps));
    report_widths(steps, w);
    printf("%-*s  %-10s  %-*s  %-7s  %4s  %-*s  %s\n", w[COL_PERSON], "PERSON",
           "STEP", w[COL_TARGET], "TARGET", "STATE", "HTTP", w[COL_ERROR],
           "ERROR", "CORRELATION");
    for (size_t i = 0; i < gcp_journal_steps_count(steps); i++)
        report_table_row(gcp_journal_steps_get(steps, i), w);
    return CLI_EXIT_OK;
}

/* ------------------------------------------------------------------- csv */

static const char *const csv_header[] = {
    "run",        "person",  "step",           "target",
    "scope",      "state",   "user_id",        "http_status",
    "error_code", "message", "correlation_id", "intent_at",
    "result_at",
};

#define CSV_COLUMNS (sizeof(csv_header) / sizeof(csv_header[0]))

/* Writes one record; libcsv quotes every field. */
static void csv_record(const char *const *fields)
{
    for (size_t i = 0; i < CSV_COLUMNS; i++) {
        const char *f = fields[i] != NULL ? fields[i] : "";

        if (i > 0)
            putchar(',');
        csv_fwrite(stdout, f, strlen(f));
    }
    putchar('\n');
}

static void report_csv_row(const gcp_journal_step_row *s)
{
    char run[24];
    char status[16] = "";
    char intent[32];
    char result[32];
    const char *fields[CSV_COLUMNS];

    snprintf(run, sizeof(run), "%lld", (long long)s->run);
    if (s->http_status > 0)
        snprintf(status, sizeof(status), "%d", s->http_status);
    cli_journal_time_ms(intent, sizeof(intent), s->intent_ms);
    cli_journal_time_ms(result, sizeof(result), s->result_ms);
    fields[0] = run;
    fields[1] = s->person_key;
    fields[2] = gcp_journal_step_name(s->step);
    fields[3] = s->target;
    fields[4] = s->scope;
    fields[5] = gcp_journal_state_name(s->state);
    fields[6] = s->user_id;
    fields[7] = status;
    fields[8] = s->error_code;
    fields[9] = s->message;
    fields[10] = s->correlation_id;
    fields[11] = intent;
    fields[12] = s->result_ms > 0 ? result : NULL;
    csv_record(fields);
}

static int report_csv(const gcp_journal_steps *steps)
{
    csv_record(csv_header);
    for (size_t i = 0; i < gcp_journal_steps_count(steps); i++)
        report_csv_row(gcp_journal_steps_get(steps, i));
    return CLI_EXIT_OK;
}

/* ------------------------------------------------------------------ json */

/* Groups the steps by person: [{"person": K, "steps": [...]}, ...]. */
static json_t *report_people_json(const gcp_journal_steps *steps)
{
    json_t *people = json_array();
    json_t *current = NULL; /* borrowed from `people` */
    const char *key = NULL;

    for (size_t i = 0; people && i < gcp_journal_steps_count(steps); i++) {
        const gcp_journal_step_row *s = gcp_journal_steps_get(steps, i);

        if (key == NULL || strcmp(key, s->person_key) != 0) {
            json_t *person =
                json_pack("{s:s, s:[]}", "person", s->person_key, "steps");

            json_array_append_new(people, person);
            current = json_object_get(person, "steps");
            key = s->person_key;
        }
        json_array_append_new(current, cli_journal_step_json(s));
    }
    return people;
}

static int report_json(const gcp_journal_run_row *run,
                       const gcp_journal_steps *steps)
{
    json_t *doc = json_object();

    if (doc == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    json_object_set_new(doc, "run", cli_journal_run_json(run));
    json_object_set_new(doc, "people", report_people_json(steps));
    return cli_journal_print_json(doc);
}

/* ------------------------------------------------------------- the command */

static int report_parse_format(const struct cli_common *common,
                               const struct report_settings *s,
                               enum report_format *out)
{
    *out = common->json ? REPORT_JSON : REPORT_TABLE;
    if (s->format == NULL)
        return 0;
    if (strcmp(s->format, "table") == 0 && !common->json)
        *out = REPORT_TABLE;
    else if (strcmp(s->format, "csv") == 0 && !common->json)
        *out = REPORT_CSV;
    else if (strcmp(s->format, "json") == 0)
        *out = REPORT_JSON;
    else
        return cli_usage_error(&cli_cmd_report,
                               "--format must be 'table', 'csv' or 'json'%s",
                               common->json ? " (or drop --json)" : "");
    return 0;
}

/* Finds the run to report: --run, or the newest. */
static int report_find_run(gcp_journal_runs **out, gcp_journal *j, long run)
{
    int rc;

    if (run > 0)
        rc = gcp_journal_run_get(out, j, run);
    else
        rc = gcp_journal_runs_list(out, j, 1);
    if (rc == GCP_ENOTFOUND)
        return cli_error(CLI_EXIT_USAGE, "%s", gcp_journal_message(j));
    if (rc != 0)
        return cli_journal_error(j, rc);
    if (gcp_journal_runs_count(*out) == 0)
        return cli_error(CLI_EXIT_USAGE, "journal '%s' has no runs yet",
                         gcp_journal_path(j));
    return 0;
}

static int report_write(enum report_format format,
                        const gcp_journal_run_row *run,
                        const gcp_journal_steps *steps)
{
    switch (format) {
    case REPORT_CSV:
        return report_csv(steps);
    case REPORT_JSON:
        return report_json(run, steps);
    case REPORT_TABLE:
        break;
    }
    return report_table(run, steps);
}

static int run_report(const struct cli_common *common, void *settings, int argc,
                      char **argv)
{
    struct report_settings *s = settings;
    enum report_format format;
    gcp_journal *j = NULL;
    gcp_journal_runs *runs = NULL;
    gcp_journal_steps *steps = NULL;
    const gcp_journal_run_row *run;
    int rc;

    if (argc > 0)
        return cli_usage_error(&cli_cmd_report, "unexpected operand '%s'",
                               argv[0]);
    if (s->run < 0)
        return cli_usage_error(&cli_cmd_report, "--run must be a run number");
    if ((rc = report_parse_format(common, s, &format)) != 0)
        return rc;
    if ((rc = cli_journal_open_reader(&j, &s->journal)) != 0 ||
        (rc = report_find_run(&runs, j, s->run)) != 0)
        goto cleanup;
    run = gcp_journal_runs_get(runs, 0);
    if ((rc = gcp_journal_run_steps(&steps, j, run->id)) != 0) {
        rc = cli_journal_error(j, rc);
        goto cleanup;
    }
    rc = report_write(format, run, steps);

cleanup:
    gcp_journal_steps_free(steps);
    gcp_journal_runs_free(runs);
    gcp_journal_free(j);
    return rc;
}

const struct cli_command cli_cmd_report = {
    .name = "report",
    .summary = "list what a run did, person by person (the audit trail)",
    .details = "STATE is done, failed, unknown (sent, no answer), open (the "
               "run stopped\nbefore the answer) or absent (checked later: it "
               "never happened).",
    .opts = report_opts,
    .groups = report_groups,
    .settings_size = sizeof(struct report_settings),
    .json_output = 1,
    .run = run_report,
};

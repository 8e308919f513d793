/*
 * roster_opts.c: the roster option group and the printing of roster
 * diagnostics, shared by every command that reads a roster.
 */
#include <stdlib.h>
#include <string.h>

#include "exit.h"
#include "msg.h"
#include "roster_opts.h"

const struct cli_opt cli_roster_opt_table[] = {
    {"format", 0, CLI_STRING, offsetof(struct cli_roster_opts, format),
     "FORMAT", "csv, json or jsonl; default: from the name"},
    {"delimiter", 0, CLI_STRING, offsetof(struct cli_roster_opts, delimiter),
     "CHAR", "',' ';' or 'tab'; default: from the header"},
    {"map", 0, CLI_LIST, offsetof(struct cli_roster_opts, map),
     "FIELD=COLUMN,...", "read FIELD from COLUMN; repeatable"},
    {"skip-invalid", 0, CLI_FLAG,
     offsetof(struct cli_roster_opts, skip_invalid), NULL,
     "use the valid rows, report the invalid ones"},
    CLI_OPT_END,
};

static int parse_format(const struct cli_command *cmd, const char *text,
                        gcp_roster_format *out)
{
    if (text == NULL)
        *out = GCP_ROSTER_AUTO;
    else if (strcmp(text, "csv") == 0)
        *out = GCP_ROSTER_CSV;
    else if (strcmp(text, "json") == 0)
        *out = GCP_ROSTER_JSON;
    else if (strcmp(text, "jsonl") == 0 || strcmp(text, "ndjson") == 0)
        *out = GCP_ROSTER_JSONL;
    else
        return cli_usage_error(cmd,
                               "--format must be 'csv', 'json' or 'jsonl', "
                               "not '%s'",
                               text);
    return 0;
}

static int parse_delimiter(const struct cli_command *cmd, const char *text,
                           char *out)
{
    *out = 0;
    if (text == NULL)
        return 0;
    if (strcmp(text, "tab") == 0 || strcmp(text, "\\t") == 0)
        *out = '\t';
    else if (strlen(text) == 1 && text[0] != '"' && text[0] != '\n' &&
             text[0] != '\r')
        *out = text[0];
    else
        return cli_usage_error(cmd,
                               "--delimiter must be one character or 'tab', "
                               "not '%s'",
                               text);
    return 0;
}

static int add_pair(const struct cli_command *cmd, struct cli_roster_setup *s,
                    char *pair)
{
    char *eq = strchr(pair, '=');
    gcp_roster_column_map *grown;

    if (eq == NULL || eq == pair || eq[1] == '\0')
        return cli_usage_error(cmd, "--map needs FIELD=COLUMN, not '%s'", pair);
    *eq = '\0';
    grown = realloc(s->map, (s->opts.map_count + 1) * sizeof(*grown));
    if (grown == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    s->map = grown;
    s->map[s->opts.map_count].field = pair;
    s->map[s->opts.map_count++].column = eq + 1;
    return 0;
}

/* Splits one --map value at ',' into FIELD=COLUMN pairs. */
static int parse_map(const struct cli_command *cmd, const char *value,
                     struct cli_roster_setup *s)
{
    char **grown = realloc(s->texts, (s->text_count + 1) * sizeof(*grown));
    char *copy, *save = NULL;
    int rc = 0;

    if (grown == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    s->texts = grown;
    if ((copy = strdup(value)) == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    s->texts[s->text_count++] = copy;
    for (char *p = strtok_r(copy, ",", &save); p && rc == 0;
         p = strtok_r(NULL, ",", &save))
        rc = add_pair(cmd, s, p);
    return rc;
}

int cli_roster_setup(const struct cli_command *cmd,
                     const struct cli_roster_opts *in,
                     struct cli_roster_setup *out)
{
    static const gcp_roster_options defaults = GCP_ROSTER_OPTIONS_INIT;
    int rc;

    out->opts = defaults;
    out->opts.skip_invalid = in->skip_invalid;
    out->opts.log = cli_log;
    out->opts.log_level = cli_log_min_level();
    if ((rc = parse_format(cmd, in->format, &out->opts.format)) != 0)
        return rc;
    if ((rc = parse_delimiter(cmd, in->delimiter, &out->opts.delimiter)) != 0)
        return rc;
    for (size_t i = 0; i < in->map.count; i++)
        if ((rc = parse_map(cmd, in->map.items[i], out)) != 0)
            return rc;
    out->opts.map = out->map;
    return 0;
}

void cli_roster_setup_release(struct cli_roster_setup *setup)
{
    for (size_t i = 0; i < setup->text_count; i++)
        free(setup->texts[i]);
    free(setup->texts);
    free(setup->map);
    memset(setup, 0, sizeof(*setup));
}

static void print_diag(const gcp_roster_diagnostic *d)
{
    int warning = d->severity == GCP_ROSTER_WARNING;
    char where[512] = "", field[256] = "";

    if (d->line > 0)
        snprintf(where, sizeof(where), "%s:%u:%u", d->file, d->line, d->column);
    else
        snprintf(where, sizeof(where), "%s", d->file);
    if (d->field != NULL)
        snprintf(field, sizeof(field), "field '%s': ", d->field);
    cli_message(warning ? GCP_LOG_WARN : GCP_LOG_ERROR, "%s: %s%s%s", where,
                warning ? "warning: " : "", field, d->message);
}

void cli_roster_print_diags(const gcp_roster *roster)
{
    size_t n = gcp_roster_diag_count(roster);

    for (size_t i = 0; i < n; i++) {
        const gcp_roster_diagnostic *d = gcp_roster_diag(roster, i);

        if (d->severity == GCP_ROSTER_WARNING && cli_is_quiet())
            continue;
        print_diag(d);
    }
}

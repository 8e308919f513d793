/*
 * cmd_config.c: `gcprov config` shows the settings a command would use,
 * each with where it came from (a flag, the environment, the profile or
 * the built-in default), so that a surprising run can be explained. The
 * secret itself is never shown, only its source.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "connect.h"
#include "exit.h"
#include "msg.h"
#include "profile.h"

struct config_settings {
    struct cli_connect connect;
};

static const struct cli_opt_group config_groups[] = {
    CLI_CONNECT_GROUP(offsetof(struct config_settings, connect)),
    CLI_GROUP_END,
};

#define SECRET_ENV "GENESYSCLOUD_OAUTHCLIENT_SECRET"

/* One line of the report. */
struct config_row {
    const char *name;
    char value[512];
    char source[512];
};

static const struct cli_profile_item *
profile_item(const struct cli_profile *prof, const char *key)
{
    for (size_t i = 0; prof != NULL && i < prof->count; i++)
        if (strcmp(prof->items[i].key, key) == 0)
            return &prof->items[i];
    return NULL;
}

/* Says where option `name`'s value came from. */
static void describe_source(struct config_row *row, int set,
                            const struct cli_profile *prof)
{
    const struct cli_profile_item *it = profile_item(prof, row->name);
    const char *env = cli_profile_env_for(row->name);

    if (set && it != NULL && it->used)
        snprintf(row->source, sizeof(row->source), "profile '%s' (%s:%u)",
                 prof->name, prof->path, it->line);
    else if (set)
        snprintf(row->source, sizeof(row->source), "--%s", row->name);
    else if (env != NULL && getenv(env) != NULL &&
             strcmp(env, SECRET_ENV) != 0) {
        snprintf(row->value, sizeof(row->value), "%s", getenv(env));
        snprintf(row->source, sizeof(row->source), "%s", env);
    } else
        snprintf(row->source, sizeof(row->source), "default");
}

/* The secret's own row: its source, never its value. */
static void secret_row(struct config_row *row, const struct config_settings *s)
{
    row->name = "client secret";
    snprintf(row->value, sizeof(row->value), "(hidden)");
    if (s->connect.secret_file != NULL)
        snprintf(row->source, sizeof(row->source), "client-secret-file");
    else if (s->connect.secret_command != NULL)
        snprintf(row->source, sizeof(row->source), "client-secret-command");
    else if (getenv(SECRET_ENV) != NULL)
        snprintf(row->source, sizeof(row->source), SECRET_ENV);
    else
        snprintf(row->source, sizeof(row->source),
                 "none: a no-echo prompt will ask");
}

static size_t collect_rows(struct config_row *rows, size_t max,
                           struct config_settings *s,
                           const struct cli_profile *prof)
{
    size_t n = 0;

    for (const struct cli_opt *o = cli_connect_opts; o->name && n < max; o++) {
        struct config_row *row = &rows[n++];
        int set;

        row->name = o->name;
        row->value[0] = '\0';
        set = cli_opts_value_text(&cli_cmd_config, s, o->name, row->value,
                                  sizeof(row->value));
        describe_source(row, set, prof);
    }
    if (n < max)
        secret_row(&rows[n++], s);
    return n;
}

static void print_text(const struct config_row *rows, size_t n,
                       const struct cli_profile *prof)
{
    printf("profile '%s' (chosen by %s) from %s\n\n", prof->name,
           prof->name_from, prof->path != NULL ? prof->path : "(no file)");
    for (size_t i = 0; i < n; i++)
        printf("%-22s %-30s %s\n", rows[i].name,
               rows[i].value[0] ? rows[i].value : "-", rows[i].source);
    for (size_t i = 0; i < prof->count; i++)
        if (!prof->items[i].used)
            printf("%-22s %-30s profile, for other commands\n",
                   prof->items[i].key, prof->items[i].value);
}

static int print_json(const struct config_row *rows, size_t n,
                      const struct cli_profile *prof)
{
    json_t *doc =
        json_pack("{s:s, s:s, s:s?, s:[]}", "profile", prof->name, "chosen_by",
                  prof->name_from, "file", prof->path, "settings");
    json_t *list = doc != NULL ? json_object_get(doc, "settings") : NULL;
    int rc = CLI_EXIT_LOCAL;

    for (size_t i = 0; list != NULL && i < n; i++)
        /* json_pack's "o" would steal; "s" copies: nothing to release. */
        json_array_append_new(
            list, json_pack("{s:s, s:s?, s:s}", "name", rows[i].name, "value",
                            rows[i].value[0] ? rows[i].value : NULL, "source",
                            rows[i].source));
    if (list != NULL && json_dumpf(doc, stdout, JSON_INDENT(2)) == 0) {
        putchar('\n');
        rc = CLI_EXIT_OK;
    }
    json_decref(doc);
    return rc;
}

static int run_config(const struct cli_common *common, void *settings, int argc,
                      char **argv)
{
    struct config_row rows[32];
    const struct cli_profile *prof = common->loaded_profile;
    size_t n;

    if (argc > 0)
        return cli_usage_error(&cli_cmd_config, "unexpected operand '%s'",
                               argv[0]);
    n = collect_rows(rows, sizeof(rows) / sizeof(rows[0]), settings, prof);
    if (common->json)
        return print_json(rows, n, prof);
    print_text(rows, n, prof);
    return CLI_EXIT_OK;
}

const struct cli_command cli_cmd_config = {
    .name = "config",
    .summary = "show the settings in effect and where each comes from",
    .details = "Profiles live in $XDG_CONFIG_HOME/gcprov/config (default\n"
               "~/.config/gcprov/config), one [name] section each, with\n"
               "'option = value' lines. A flag beats the environment, which\n"
               "beats the profile.",
    .groups = config_groups,
    .settings_size = sizeof(struct config_settings),
    .json_output = 1,
    .run = run_config,
};

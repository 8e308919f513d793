/*
 * opts.c: the option parser and the --help generator for every command.
 * Options may stand anywhere among the operands; "--name=value" and
 * "--name value" are both accepted, and "-x value" for short forms.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "exit.h"
#include "msg.h"
#include "opts.h"

/* The options every command accepts, stored in struct cli_common. */
static const struct cli_opt common_opts[] = {
    {"help", 'h', CLI_FLAG, offsetof(struct cli_common, help), NULL,
     "show this help and exit"},
    {"quiet", 'q', CLI_FLAG, offsetof(struct cli_common, quiet), NULL,
     "print only errors and results"},
    {"verbose", 'v', CLI_FLAG, offsetof(struct cli_common, verbose), NULL,
     "log more: once for info, twice for debug"},
    {"profile", 0, CLI_STRING, offsetof(struct cli_common, profile), "NAME",
     "settings from profile NAME (or $GCPROV_PROFILE)"},
    {"log-format", 0, CLI_STRING, offsetof(struct cli_common, log_format),
     "FORMAT", "log lines as 'text' (default) or 'json'"},
    CLI_OPT_END,
};

static const struct cli_opt json_opt[] = {
    {"json", 0, CLI_FLAG, offsetof(struct cli_common, json), NULL,
     "print the result as one JSON document on stdout"},
    CLI_OPT_END,
};

/* Where a parsed option's value goes: the table entry and its struct. */
struct found {
    const struct cli_opt *opt;
    void *base;
};

static const struct cli_opt *table_find(const struct cli_opt *table,
                                        const char *name, size_t len,
                                        char letter)
{
    for (; table != NULL && table->name != NULL; table++) {
        if (letter != 0 && table->letter == letter)
            return table;
        if (letter == 0 && strlen(table->name) == len &&
            strncmp(table->name, name, len) == 0)
            return table;
    }
    return NULL;
}

static struct found find_opt(const struct cli_command *cmd,
                             struct cli_common *common, void *settings,
                             const char *name, size_t len, char letter)
{
    struct found f = {NULL, NULL};

    if ((f.opt = table_find(cmd->opts, name, len, letter)) != NULL) {
        f.base = settings;
        return f;
    }
    for (const struct cli_opt_group *g = cmd->groups; g && g->title; g++) {
        if ((f.opt = table_find(g->opts, name, len, letter)) != NULL) {
            f.base = (char *)settings + g->offset;
            return f;
        }
    }
    if ((f.opt = table_find(common_opts, name, len, letter)) != NULL)
        f.base = common;
    else if (cmd->json_output &&
             (f.opt = table_find(json_opt, name, len, letter)) != NULL)
        f.base = common;
    return f;
}

static int parse_long(const char *text, long *out)
{
    char *end;

    errno = 0;
    *out = strtol(text, &end, 10);
    return errno == 0 && end != text && *end == '\0' ? 0 : -1;
}

static int parse_double(const char *text, double *out)
{
    char *end;

    errno = 0;
    *out = strtod(text, &end);
    if (errno != 0 || end == text || *end != '\0' || !isfinite(*out))
        return -1;
    return 0;
}

static int list_append(struct cli_list *list, const char *value)
{
    const char **grown =
        realloc(list->items, (list->count + 1) * sizeof(*grown));

    if (grown == NULL)
        return -1;
    grown[list->count++] = value;
    list->items = grown;
    return 0;
}

/* Stores `value` (NULL for flags) into the option's slot. */
static int store_value(const struct cli_command *cmd, struct found f,
                       const char *value)
{
    char *slot = (char *)f.base + f.opt->offset;
    long number;
    double real;

    switch (f.opt->type) {
    case CLI_FLAG:
        (*(int *)slot)++;
        return 0;
    case CLI_STRING:
        *(const char **)slot = value;
        return 0;
    case CLI_INT:
        if (parse_long(value, &number) != 0)
            return cli_usage_error(cmd,
                                   "option '--%s' needs a whole "
                                   "number, not '%s'",
                                   f.opt->name, value);
        *(long *)slot = number;
        return 0;
    case CLI_DOUBLE:
        if (parse_double(value, &real) != 0)
            return cli_usage_error(cmd,
                                   "option '--%s' needs a number, not '%s'",
                                   f.opt->name, value);
        *(double *)slot = real;
        return 0;
    case CLI_LIST:
        if (list_append((struct cli_list *)slot, value) != 0)
            return cli_error(CLI_EXIT_LOCAL, "out of memory");
        return 0;
    }
    return 0;
}

/*
 * Handles the option at argv[*i], which starts with '-', consuming a
 * separate value from argv[*i + 1] when it needs one.
 */
static int parse_one(const struct cli_command *cmd, int argc, char **argv,
                     int *i, struct cli_common *common, void *settings)
{
    const char *arg = argv[*i];
    int is_long = arg[1] == '-';
    const char *name = arg + (is_long ? 2 : 1);
    const char *eq = is_long ? strchr(name, '=') : NULL;
    size_t len = eq != NULL ? (size_t)(eq - name) : strlen(name);
    const char *value = eq != NULL ? eq + 1 : NULL;
    struct found f;

    if (!is_long && len != 1)
        return cli_usage_error(cmd, "unknown option '%s'", arg);
    f = find_opt(cmd, common, settings, name, len, is_long ? 0 : name[0]);
    if (f.opt == NULL)
        return cli_usage_error(cmd, "unknown option '%s'", arg);
    if (f.opt->type == CLI_FLAG) {
        if (value != NULL)
            return cli_usage_error(cmd, "option '--%s' takes no value",
                                   f.opt->name);
        return store_value(cmd, f, NULL);
    }
    if (value == NULL) {
        if (*i + 1 >= argc)
            return cli_usage_error(cmd, "option '--%s' needs a value (%s)",
                                   f.opt->name, f.opt->arg);
        value = argv[++*i];
    }
    return store_value(cmd, f, value);
}

int cli_opts_parse(const struct cli_command *cmd, int argc, char **argv,
                   struct cli_common *common, void *settings,
                   int *operand_count)
{
    int operands = 0;
    int only_operands = 0;
    int rc;

    for (int i = 0; i < argc; i++) {
        char *arg = argv[i];

        if (only_operands || arg[0] != '-' || strcmp(arg, "-") == 0) {
            argv[operands++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_operands = 1;
            continue;
        }
        if ((rc = parse_one(cmd, argc, argv, &i, common, settings)) != 0)
            return rc;
    }
    *operand_count = operands;
    return 0;
}

/* Returns non-zero when the option's slot still holds its zero value. */
static int slot_is_unset(struct found f)
{
    const char *slot = (const char *)f.base + f.opt->offset;

    switch (f.opt->type) {
    case CLI_FLAG:
        return *(const int *)slot == 0;
    case CLI_STRING:
        return *(const char *const *)slot == NULL;
    case CLI_INT:
        return *(const long *)slot == 0;
    case CLI_DOUBLE:
        return *(const double *)slot == 0.0;
    case CLI_LIST:
        return ((const struct cli_list *)slot)->count == 0;
    }
    return 0;
}

static int parse_truth(const char *value)
{
    return strcmp(value, "true") == 0 || strcmp(value, "yes") == 0 ||
           strcmp(value, "on") == 0 || strcmp(value, "1") == 0;
}

int cli_opts_fill_unset(const struct cli_command *cmd, void *settings,
                        const char *name, const char *value, const char *origin)
{
    struct cli_common unused = {0};
    struct found f = find_opt(cmd, &unused, settings, name, strlen(name), 0);

    if (f.opt == NULL || f.base == (void *)&unused || !slot_is_unset(f))
        return 1;
    if (f.opt->type == CLI_FLAG)
        return parse_truth(value) ? store_value(cmd, f, NULL) : 1;
    if (store_value(cmd, f, value) != 0)
        return cli_error(CLI_EXIT_USAGE, "that value of '%s' comes from %s",
                         name, origin);
    return 0;
}

static void list_text(const struct cli_list *list, char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < list->count && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? "," : "",
                         list->items[i]);

        if (n < 0)
            break;
        used += (size_t)n;
    }
}

int cli_opts_value_text(const struct cli_command *cmd, void *settings,
                        const char *name, char *buf, size_t size)
{
    struct cli_common unused = {0};
    struct found f = find_opt(cmd, &unused, settings, name, strlen(name), 0);
    const char *slot;

    if (size == 0 || f.opt == NULL || f.base == (void *)&unused ||
        slot_is_unset(f))
        return 0;
    slot = (const char *)f.base + f.opt->offset;
    switch (f.opt->type) {
    case CLI_FLAG:
        snprintf(buf, size, "true");
        break;
    case CLI_STRING:
        snprintf(buf, size, "%s", *(const char *const *)slot);
        break;
    case CLI_INT:
        snprintf(buf, size, "%ld", *(const long *)slot);
        break;
    case CLI_DOUBLE:
        snprintf(buf, size, "%g", *(const double *)slot);
        break;
    case CLI_LIST:
        list_text((const struct cli_list *)slot, buf, size);
        break;
    }
    return 1;
}

static void release_table(const struct cli_opt *opt, char *base)
{
    for (; opt != NULL && opt->name != NULL; opt++) {
        struct cli_list *list;

        if (opt->type != CLI_LIST)
            continue;
        list = (struct cli_list *)(base + opt->offset);
        free(list->items);
        list->items = NULL;
        list->count = 0;
    }
}

void cli_opts_release(const struct cli_command *cmd, void *settings)
{
    release_table(cmd->opts, settings);
    for (const struct cli_opt_group *g = cmd->groups; g && g->title; g++)
        release_table(g->opts, (char *)settings + g->offset);
}

static void help_table(const struct cli_opt *opt, FILE *out)
{
    for (; opt != NULL && opt->name != NULL; opt++) {
        char left[64];
        int n;

        if (opt->letter != 0)
            n = snprintf(left, sizeof(left), "-%c, --%s", opt->letter,
                         opt->name);
        else
            n = snprintf(left, sizeof(left), "    --%s", opt->name);
        if (opt->arg != NULL && n > 0 && (size_t)n < sizeof(left))
            snprintf(left + n, sizeof(left) - (size_t)n, " %s", opt->arg);
        if (strlen(left) > 26)
            fprintf(out, "  %s\n  %-26s %s\n", left, "", opt->help);
        else
            fprintf(out, "  %-26s %s\n", left, opt->help);
    }
}

static void words_table(const struct cli_opt *opt, FILE *out)
{
    for (; opt != NULL && opt->name != NULL; opt++)
        fprintf(out, "--%s\n", opt->name);
}

void cli_opts_words(const struct cli_command *cmd, FILE *out)
{
    words_table(cmd->opts, out);
    for (const struct cli_opt_group *g = cmd->groups; g && g->title; g++)
        words_table(g->opts, out);
    words_table(common_opts, out);
    if (cmd->json_output)
        words_table(json_opt, out);
}

void cli_opts_help(const struct cli_command *cmd, FILE *out)
{
    fprintf(out, "usage: gcprov %s [options]%s%s\n\n%s\n", cmd->name,
            cmd->operands != NULL ? " " : "",
            cmd->operands != NULL ? cmd->operands : "", cmd->summary);
    if (cmd->opts != NULL && cmd->opts->name != NULL) {
        fputs("\noptions:\n", out);
        help_table(cmd->opts, out);
    }
    for (const struct cli_opt_group *g = cmd->groups; g && g->title; g++) {
        fprintf(out, "\n%s:\n", g->title);
        help_table(g->opts, out);
    }
    fputs("\ncommon options:\n", out);
    help_table(common_opts, out);
    if (cmd->json_output)
        help_table(json_opt, out);
    if (cmd->details != NULL)
        fprintf(out, "\n%s\n", cmd->details);
}

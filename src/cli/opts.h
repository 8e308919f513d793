/*
 * opts.h: table-driven command-line parsing. Each command describes its
 * options once, in a table; the same table drives the parser and the
 * --help text, so the two cannot drift.
 */
#ifndef CLI_OPTS_H
#define CLI_OPTS_H

#include <stddef.h>
#include <stdio.h>

enum cli_opt_type {
    CLI_FLAG,   /* int, set to 1 */
    CLI_STRING, /* const char *, borrowed from argv */
    CLI_INT,    /* long, checked to be a whole number */
    CLI_DOUBLE, /* double, checked to be a number */
    CLI_LIST,   /* struct cli_list: a repeatable string option */
};

/* The values of a repeatable option, in command-line order. */
struct cli_list {
    const char **items; /* owned array; the strings are borrowed from argv */
    size_t count;
};

struct cli_opt {
    const char *name; /* long name without "--"; NULL ends a table */
    char letter;      /* short form, 0 for none */
    enum cli_opt_type type;
    size_t offset;    /* where the value goes in the settings struct */
    const char *arg;  /* placeholder in --help ("FILE"); NULL: flag */
    const char *help; /* one line for --help */
};

#define CLI_OPT_END                                                            \
    {                                                                          \
        NULL, 0, CLI_FLAG, 0, NULL, NULL                                       \
    }

struct cli_profile;

/* Settings every command has, filled before the command runs. */
struct cli_common {
    const char *profile;                      /* --profile NAME */
    const struct cli_profile *loaded_profile; /* set before run() */
    int help;
    int quiet;
    int verbose;            /* -v: info logs; -vv: debug logs */
    int json;               /* --json: one JSON document on stdout */
    const char *log_format; /* "text" or "json" */
};

/*
 * Options shared by several commands (connection, roster, journal) live in
 * a group: a table whose offsets are relative to a struct that each such
 * command embeds in its settings at `offset`.
 */
struct cli_opt_group {
    const char *title;          /* heading in --help; NULL ends a list */
    const struct cli_opt *opts; /* ends with CLI_OPT_END */
    size_t offset;              /* where the group's struct sits */
};

#define CLI_GROUP_END                                                          \
    {                                                                          \
        NULL, NULL, 0                                                          \
    }

struct cli_command {
    const char *name;
    const char *operands;       /* for the usage line, e.g. "ROSTER" */
    const char *summary;        /* one line for `gcprov help` */
    const char *details;        /* paragraph after the options, or NULL */
    const struct cli_opt *opts; /* ends with CLI_OPT_END; NULL: none */
    const struct cli_opt_group *groups; /* ends with CLI_GROUP_END, or NULL */
    size_t settings_size; /* bytes of the command's settings struct */
    int json_output;      /* non-zero: the command takes --json */
    /*
     * Runs the command with its parsed settings and operands (argv holds
     * only the operands). Returns an exit status from exit.h.
     */
    int (*run)(const struct cli_common *common, void *settings, int argc,
               char **argv);
};

/*
 * Parses argv (after the command name) into `common` and `settings`, which
 * must be zeroed by the caller; operands are moved to the front of argv and
 * counted in *operand_count. "--" ends the options. On a usage error prints
 * it with a pointer to --help and returns CLI_EXIT_USAGE; returns 0 on
 * success. Lists in `settings` must be released with cli_opts_release().
 */
int cli_opts_parse(const struct cli_command *cmd, int argc, char **argv,
                   struct cli_common *common, void *settings,
                   int *operand_count);

/*
 * Gives option `name` (a long name of the command or of its groups, not
 * a common option) the text `value`, unless the command line already set
 * it: a zero, NULL or empty slot counts as unset. Flags take "true",
 * "yes", "on" or "1". `value` is borrowed for as long as `settings` lives.
 * Returns 0 when stored, 1 when the command has no such option or it was
 * already set, and CLI_EXIT_USAGE (printed, naming `origin`) for a value
 * that does not parse.
 */
int cli_opts_fill_unset(const struct cli_command *cmd, void *settings,
                        const char *name, const char *value,
                        const char *origin);

/*
 * Writes option `name`'s current value as text into `buf` (lists joined
 * with ","). Returns 1 when the option is set, 0 when it is unset or the
 * command has no such option.
 */
int cli_opts_value_text(const struct cli_command *cmd, void *settings,
                        const char *name, char *buf, size_t size);

/* Frees the arrays of every CLI_LIST option in `settings`. */
void cli_opts_release(const struct cli_command *cmd, void *settings);

/*
 * Writes every option the command accepts ("--name"), one per line, from
 * the same tables: the word list behind shell completion.
 */
void cli_opts_words(const struct cli_command *cmd, FILE *out);

/* Writes the command's --help text, generated from its option table. */
void cli_opts_help(const struct cli_command *cmd, FILE *out);

#endif

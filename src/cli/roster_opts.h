/*
 * roster_opts.h: the roster option group that plan, apply and validate
 * share (--format, --delimiter, --map, --skip-invalid), how it becomes
 * the library's gcp_roster_options, and how diagnostics are printed.
 */
#ifndef CLI_ROSTER_OPTS_H
#define CLI_ROSTER_OPTS_H

#include <stddef.h>

#include "gcprov/roster.h"
#include "opts.h"

/* The group's settings; embed it in a command's settings struct. */
struct cli_roster_opts {
    const char *format;    /* "csv", "json" or "jsonl"; NULL: guess */
    const char *delimiter; /* one character, "tab"; NULL: detect */
    struct cli_list map;   /* "field=Column[,field=Column...]" */
    int skip_invalid;
};

/* The group's table, offsets relative to struct cli_roster_opts. */
extern const struct cli_opt cli_roster_opt_table[];

#define CLI_ROSTER_GROUP(settings_type, member)                                \
    {                                                                          \
        "roster options", cli_roster_opt_table,                                \
            offsetof(settings_type, member)                                    \
    }

/* Library options built from the group, owning the column map. */
struct cli_roster_setup {
    gcp_roster_options opts;
    gcp_roster_column_map *map;
    char **texts; /* copies of the --map values the map points into */
    size_t text_count;
};

/*
 * Checks the group's values and fills `out` (which the caller zeroes and
 * later releases with cli_roster_setup_release(), even on failure).
 * Returns 0, or an exit status after printing a usage error.
 */
int cli_roster_setup(const struct cli_command *cmd,
                     const struct cli_roster_opts *in,
                     struct cli_roster_setup *out);

/* Frees what cli_roster_setup() allocated. */
void cli_roster_setup_release(struct cli_roster_setup *setup);

/*
 * Prints every diagnostic of `roster` to stderr as
 * "file:line:column: field 'email': 'jane@' is not a valid address",
 * warnings with "warning: " after the position (unless --quiet).
 */
void cli_roster_print_diags(const gcp_roster *roster);

#endif

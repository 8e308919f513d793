/*
 * journal_opts.h: the option group `--journal PATH` shared by every command
 * that reads or writes the journal, where the journal lives by default, and
 * the helpers status, report and history share to show what it holds.
 *
 * The default journal is $XDG_STATE_HOME/gcprov/NAME.db (XDG_STATE_HOME
 * unset or relative: ~/.local/state), NAME being the org's API host
 * (gcp_client_api_host) with anything but letters, digits, '.', '-' and
 * '_' replaced by '_'.
 */
#ifndef CLI_JOURNAL_OPTS_H
#define CLI_JOURNAL_OPTS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "gcprov/journal.h"
#include "opts.h"

/* Embed this in a command's settings and list one group below. */
struct cli_journal_opts {
    const char *path; /* --journal, borrowed from argv; NULL: the default */
    const char *sync; /* --journal-sync "full" or "normal"; NULL: full */
    /* The readers' --region and --api-url (or the profile's, or
     * GENESYSCLOUD_REGION): whose journal to read by default. */
    const char *region;
    const char *api_url;
};

/* --journal, --region, --api-url: for the commands that read it. */
extern const struct cli_opt cli_journal_opt_table[];
/* --journal and --journal-sync: for the commands that write it (apply). */
extern const struct cli_opt cli_journal_writer_opt_table[];

#define CLI_JOURNAL_GROUP(settings_type, member)                               \
    {                                                                          \
        "journal options", cli_journal_opt_table,                              \
            offsetof(settings_type, member)                                    \
    }

#define CLI_JOURNAL_WRITER_GROUP(settings_type, member)                        \
    {                                                                          \
        "journal options", cli_journal_writer_opt_table,                       \
            offsetof(settings_type, member)                                    \
    }

/*
 * Sets *out (caller-owned, free()) to gcprov's state folder, without
 * creating it. Returns 0, or CLI_EXIT_LOCAL after printing why.
 */
int cli_journal_dir(char **out);

/*
 * Sets *out (caller-owned, free()) to the journal to use: --journal when
 * given, else NAME.db in the state folder for `org_or_host`. With
 * `org_or_host` NULL (a reading command that knows no org), the one
 * journal in the state folder; none or several is a usage error telling
 * to name one with --journal. Returns 0 or an exit status after printing.
 */
int cli_journal_resolve(char **out, const struct cli_journal_opts *opts,
                        const char *org_or_host);

/*
 * Opens the journal chosen by `opts` to read it, printing any failure:
 * --journal, else the org's when a region or API URL names one (flag,
 * profile or GENESYSCLOUD_REGION), else the only one in the state folder.
 * *out is caller-owned, freed with gcp_journal_free(). Returns 0 or an
 * exit status.
 */
int cli_journal_open_reader(gcp_journal **out,
                            const struct cli_journal_opts *opts);

/*
 * Opens the journal chosen by `opts` for `org_or_host` (see
 * cli_journal_resolve) to write it, with the --journal-sync level, logging
 * through cli_log. Prints any failure: a journal held by another gcprov
 * names it. *out is caller-owned: check gcp_journal_close(), then
 * gcp_journal_free(). Returns 0 or an exit status (2 for a bad
 * --journal-sync, 5 for a local failure or a busy journal).
 */
int cli_journal_open_writer(gcp_journal **out,
                            const struct cli_journal_opts *opts,
                            const char *org_or_host);

/*
 * Format ms since 1970 as 2026-12-03T16:01:16Z (tables) or with the
 * milliseconds, 2026-12-03T16:01:16.042Z (CSV and JSON); "-" for 0.
 */
void cli_journal_time(char *out, size_t size, int64_t ms);
void cli_journal_time_ms(char *out, size_t size, int64_t ms);

/* Prints the failure of a journal call on `j` and returns its exit status. */
int cli_journal_error(const gcp_journal *j, int code);

/*
 * Return a new JSON object (caller-owned reference, json_decref) for one
 * run or one step, with times in ISO 8601; NULL when out of memory.
 */
json_t *cli_journal_run_json(const gcp_journal_run_row *run);
json_t *cli_journal_step_json(const gcp_journal_step_row *step);

/*
 * Prints `doc` on stdout as indented JSON and releases it (the reference
 * is stolen). Returns 0, or CLI_EXIT_LOCAL when out of memory.
 */
int cli_journal_print_json(json_t *doc);

#endif

/*
 * profile.h: named profiles in $XDG_CONFIG_HOME/gcprov/config (default
 * ~/.config/gcprov/config), so that the settings of an org need not be
 * typed each time. A profile's keys are the long option names of the
 * commands ("region", "client-id", "client-secret-command", "seats", ...).
 *
 *     [default]
 *     region = eu-west-1
 *     client-id = 0b5f...
 *     client-secret-command = vault kv get -field=secret kv/gcprov
 *
 *     [staging]
 *     api-url = http://127.0.0.1:8080
 *
 * Precedence: a flag beats the environment, which beats the profile.
 * Secrets never belong in a profile; only where the secret comes from.
 */
#ifndef CLI_PROFILE_H
#define CLI_PROFILE_H

#include "opts.h"

struct cli_profile_item {
    char *key;
    char *value;
    unsigned line;
    int used; /* filled an option of the running command */
};

struct cli_profile {
    char *path;            /* the file read, or NULL when there is none */
    const char *name;      /* the profile chosen */
    const char *name_from; /* "--profile", "GCPROV_PROFILE" or "default" */
    struct cli_profile_item *items;
    size_t count;
};

/*
 * Loads profile `name` (NULL: $GCPROV_PROFILE, else "default") from the
 * config file into *out, which the caller releases. A missing file or a
 * missing "default" section is an empty profile; a profile asked for by
 * name that does not exist, a syntax error or a key that would hold a
 * secret is an error, printed with file:line. Returns an exit status.
 */
int cli_profile_load(struct cli_profile *out, const char *name);

/*
 * Fills every option of `cmd` that the command line left unset and whose
 * environment variable is unset with the profile's value. The strings
 * stay owned by the profile: release it only after the command ran.
 * Returns an exit status (a bad number in the profile is a usage error).
 */
int cli_profile_apply(struct cli_profile *prof, const struct cli_command *cmd,
                      void *settings);

/* Returns the value of `key`, or NULL. Borrowed until the release. */
const char *cli_profile_get(const struct cli_profile *prof, const char *key);

/*
 * Returns the environment variable that overrides option `name` in the
 * profile, or NULL when it has none.
 */
const char *cli_profile_env_for(const char *name);

/* Frees what the profile holds. */
void cli_profile_release(struct cli_profile *prof);

#endif

/*
 * profile.c: reading the config file's profiles and layering them under
 * the command line and the environment.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exit.h"
#include "msg.h"
#include "profile.h"

#define PROFILE_ENV  "GCPROV_PROFILE"
#define PROFILE_LINE 4096

/* Options that an environment variable sets, which beats the profile. */
static const struct {
    const char *option;
    const char *env;
} env_overrides[] = {
    {"region", "GENESYSCLOUD_REGION"},
    {"client-id", "GENESYSCLOUD_OAUTHCLIENT_ID"},
    {"client-secret-file", "GENESYSCLOUD_OAUTHCLIENT_SECRET"},
    {"client-secret-command", "GENESYSCLOUD_OAUTHCLIENT_SECRET"},
};

/* Keys that would put a secret in a file meant to be shared. */
static const char *const secret_keys[] = {
    "client-secret", "secret", "password", "access-token", "token",
};

const char *cli_profile_env_for(const char *name)
{
    for (size_t i = 0; i < sizeof(env_overrides) / sizeof(*env_overrides); i++)
        if (strcmp(env_overrides[i].option, name) == 0)
            return env_overrides[i].env;
    return NULL;
}

/* Returns the config file's path (caller frees), or NULL without HOME. */
static char *profile_path(void)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    const char *base, *rest;
    char *path;
    size_t size;

    if (xdg != NULL && xdg[0] == '/') {
        base = xdg;
        rest = "/gcprov/config";
    } else if (home != NULL && home[0] != '\0') {
        base = home;
        rest = "/.config/gcprov/config";
    } else {
        return NULL;
    }
    size = strlen(base) + strlen(rest) + 1;
    if ((path = malloc(size)) != NULL)
        snprintf(path, size, "%s%s", base, rest);
    return path;
}

static char *trim(char *s)
{
    char *end;

    while (isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

static int is_secret_key(const char *key)
{
    for (size_t i = 0; i < sizeof(secret_keys) / sizeof(*secret_keys); i++)
        if (strcmp(secret_keys[i], key) == 0)
            return 1;
    return 0;
}

static int add_item(struct cli_profile *prof, const char *key,
                    const char *value, unsigned line)
{
    struct cli_profile_item *grown =
        realloc(prof->items, (prof->count + 1) * sizeof(*grown));

    if (grown == NULL)
        return -1;
    prof->items = grown;
    grown[prof->count].key = strdup(key);
    grown[prof->count].value = strdup(value);
    grown[prof->count].line = line;
    grown[prof->count].used = 0;
    if (grown[prof->count].key == NULL || grown[prof->count].value == NULL) {
        free(grown[prof->count].key);
        free(grown[prof->count].value);
        return -1;
    }
    prof->count++;
    return 0;
}

/*
 * Handles one "key = value" line of the chosen section. Returns an exit
 * status.
 */
static int parse_pair(struct cli_profile *prof, char *text, unsigned line)
{
    char *eq = strchr(text, '=');
    char *key, *value;

    if (eq == NULL)
        return cli_error(CLI_EXIT_USAGE, "%s:%u: expected 'key = value'",
                         prof->path, line);
    *eq = '\0';
    key = trim(text);
    value = trim(eq + 1);
    if (is_secret_key(key))
        return cli_error(CLI_EXIT_USAGE,
                         "%s:%u: a secret does not belong in a profile; "
                         "use 'client-secret-file' or "
                         "'client-secret-command'",
                         prof->path, line);
    if (add_item(prof, key, value, line) != 0)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    return CLI_EXIT_OK;
}

/* Reads the file, keeping the pairs of section prof->name. */
static int parse_file(struct cli_profile *prof, FILE *in, int *found)
{
    char buf[PROFILE_LINE];
    unsigned line = 0;
    int in_section = 0;
    int rc;

    while (fgets(buf, sizeof(buf), in) != NULL) {
        char *text = trim(buf);
        size_t len = strlen(text);

        line++;
        if (len == 0 || text[0] == '#' || text[0] == ';')
            continue;
        if (text[0] == '[') {
            if (text[len - 1] != ']')
                return cli_error(CLI_EXIT_USAGE, "%s:%u: expected '[name]'",
                                 prof->path, line);
            text[len - 1] = '\0';
            in_section = strcmp(trim(text + 1), prof->name) == 0;
            *found |= in_section;
            continue;
        }
        if (in_section && (rc = parse_pair(prof, text, line)) != 0)
            return rc;
    }
    if (ferror(in))
        return cli_error(CLI_EXIT_LOCAL, "could not read '%s': %s", prof->path,
                         strerror(errno));
    return CLI_EXIT_OK;
}

static void choose_name(struct cli_profile *prof, const char *name)
{
    const char *env = getenv(PROFILE_ENV);

    if (name != NULL) {
        prof->name = name;
        prof->name_from = "--profile";
    } else if (env != NULL && env[0] != '\0') {
        prof->name = env;
        prof->name_from = PROFILE_ENV;
    } else {
        prof->name = "default";
        prof->name_from = "default";
    }
}

int cli_profile_load(struct cli_profile *out, const char *name)
{
    FILE *in;
    int found = 0;
    int rc;

    memset(out, 0, sizeof(*out));
    choose_name(out, name);
    if ((out->path = profile_path()) == NULL)
        return CLI_EXIT_OK;
    if ((in = fopen(out->path, "r")) == NULL) {
        if (errno == ENOENT && strcmp(out->name_from, "default") == 0)
            return CLI_EXIT_OK;
        return cli_error(errno == ENOENT ? CLI_EXIT_USAGE : CLI_EXIT_LOCAL,
                         "cannot read profile '%s' from '%s': %s", out->name,
                         out->path, strerror(errno));
    }
    rc = parse_file(out, in, &found);
    fclose(in);
    if (rc == CLI_EXIT_OK && !found && strcmp(out->name_from, "default"))
        rc = cli_error(CLI_EXIT_USAGE, "no profile '%s' in '%s'", out->name,
                       out->path);
    return rc;
}

static int env_is_set(const char *option)
{
    const char *env = cli_profile_env_for(option);
    const char *value = env != NULL ? getenv(env) : NULL;

    return value != NULL && value[0] != '\0';
}

int cli_profile_apply(struct cli_profile *prof, const struct cli_command *cmd,
                      void *settings)
{
    char origin[512];

    for (size_t i = 0; i < prof->count; i++) {
        struct cli_profile_item *it = &prof->items[i];
        int rc;

        if (env_is_set(it->key))
            continue;
        snprintf(origin, sizeof(origin), "%s:%u (profile '%s')", prof->path,
                 it->line, prof->name);
        rc = cli_opts_fill_unset(cmd, settings, it->key, it->value, origin);
        if (rc == 0)
            it->used = 1;
        else if (rc != 1)
            return rc;
    }
    return CLI_EXIT_OK;
}

const char *cli_profile_get(const struct cli_profile *prof, const char *key)
{
    for (size_t i = 0; i < prof->count; i++)
        if (strcmp(prof->items[i].key, key) == 0)
            return prof->items[i].value;
    return NULL;
}

void cli_profile_release(struct cli_profile *prof)
{
    for (size_t i = 0; i < prof->count; i++) {
        free(prof->items[i].key);
        free(prof->items[i].value);
    }
    free(prof->items);
    free(prof->path);
    memset(prof, 0, sizeof(*prof));
}

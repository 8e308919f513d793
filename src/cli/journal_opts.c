/*
 * journal_opts.c: the --journal option, the default journal's place and
 * the helpers the journal's reading commands share.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "exit.h"
#include "gcprov/client.h"
#include "journal_opts.h"
#include "msg.h"

#define JOURNAL_PATH_OPT                                                       \
    {                                                                          \
        "journal", 0, CLI_STRING, offsetof(struct cli_journal_opts, path),     \
            "PATH", "journal file (default: in $XDG_STATE_HOME/gcprov)"        \
    }

const struct cli_opt cli_journal_opt_table[] = {
    JOURNAL_PATH_OPT,
    {"region", 0, CLI_STRING, offsetof(struct cli_journal_opts, region),
     "REGION", "read the journal of the org in REGION"},
    {"api-url", 0, CLI_STRING, offsetof(struct cli_journal_opts, api_url),
     "URL", "read the journal of the org at URL"},
    CLI_OPT_END,
};

const struct cli_opt cli_journal_writer_opt_table[] = {
    JOURNAL_PATH_OPT,
    {"journal-sync", 0, CLI_STRING, offsetof(struct cli_journal_opts, sync),
     "LEVEL", "'normal' (default) or 'full': sync every commit"},
    CLI_OPT_END,
};

int cli_journal_dir(char **out)
{
    const char *state = getenv("XDG_STATE_HOME");
    const char *home = getenv("HOME");
    size_t len;

    *out = NULL;
    /* The XDG spec says to ignore a relative XDG_STATE_HOME. */
    if (state == NULL || state[0] != '/')
        state = NULL;
    if (state == NULL && (home == NULL || home[0] == '\0'))
        return cli_error(CLI_EXIT_LOCAL, "neither XDG_STATE_HOME nor HOME "
                                         "is set: name the journal with "
                                         "--journal");
    len = strlen(state != NULL ? state : home) + sizeof("/.local/state/gcprov");
    if ((*out = malloc(len)) == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    if (state != NULL)
        snprintf(*out, len, "%s/gcprov", state);
    else
        snprintf(*out, len, "%s/.local/state/gcprov", home);
    return 0;
}

/* Keeps a file name safe: letters, digits, '.', '-', '_'; no leading '.'. */
static void journal_sanitize(char *name)
{
    for (char *p = name; *p != '\0'; p++) {
        int ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                 (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
                 (*p == '.' && p != name);

        if (!ok)
            *p = '_';
    }
}

static int journal_named(char **out, const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + sizeof("/.db");

    if ((*out = malloc(len)) == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    snprintf(*out, len, "%s/%s.db", dir, name);
    journal_sanitize(*out + strlen(dir) + 1);
    return 0;
}

static int ends_with_db(const char *name)
{
    size_t len = strlen(name);

    return len > 3 && strcmp(name + len - 3, ".db") == 0;
}

/* Finds the one *.db in `dir`: what the reading commands use by default. */
static int journal_find_only(char **out, const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *entry;
    char found[256] = "";
    int count = 0;

    if (d == NULL)
        return cli_usage_error(NULL,
                               "no journal in '%s': name one with "
                               "--journal",
                               dir);
    while ((entry = readdir(d)) != NULL) {
        if (entry->d_name[0] == '.' || !ends_with_db(entry->d_name))
            continue;
        if (count++ == 0)
            snprintf(found, sizeof(found), "%s", entry->d_name);
    }
    closedir(d);
    if (count != 1)
        return cli_usage_error(NULL,
                               count == 0 ? "no journal in '%s': name one "
                                            "with --journal"
                                          : "several journals in '%s': "
                                            "choose one with --journal",
                               dir);
    found[strlen(found) - 3] = '\0';
    return journal_named(out, dir, found);
}

int cli_journal_resolve(char **out, const struct cli_journal_opts *opts,
                        const char *org_or_host)
{
    char *dir = NULL;
    int rc;

    *out = NULL;
    if (opts != NULL && opts->path != NULL) {
        if ((*out = strdup(opts->path)) == NULL)
            return cli_error(CLI_EXIT_LOCAL, "out of memory");
        return 0;
    }
    if ((rc = cli_journal_dir(&dir)) != 0)
        return rc;
    if (org_or_host != NULL)
        rc = journal_named(out, dir, org_or_host);
    else
        rc = journal_find_only(out, dir);
    free(dir);
    return rc;
}

int cli_journal_error(const gcp_journal *j, int code)
{
    const char *message = gcp_journal_message(j);

    if (*message == '\0')
        message = gcp_error_name(code);
    return cli_error(cli_exit_from_error(code), "%s", message);
}

/*
 * Sets *out to the org's API host when --region, --api-url, the profile
 * or GENESYSCLOUD_REGION names one; else leaves it empty.
 */
static int journal_reader_org(char *out, size_t size,
                              const struct cli_journal_opts *opts)
{
    const char *region = opts->region;

    out[0] = '\0';
    if (region == NULL && opts->api_url == NULL)
        region = getenv("GENESYSCLOUD_REGION");
    if ((region == NULL || region[0] == '\0') && opts->api_url == NULL)
        return 0;
    if (gcp_client_api_host_for(out, size, region, opts->api_url) != 0)
        return cli_usage_error(NULL, "%s", out);
    return 0;
}

/* The journal a reader opens: see cli_journal_open_reader. */
static int journal_reader_path(char **out, const struct cli_journal_opts *opts)
{
    char host[512];
    int rc;

    if (opts->path != NULL)
        return cli_journal_resolve(out, opts, NULL);
    if ((rc = journal_reader_org(host, sizeof(host), opts)) != 0)
        return rc;
    if (host[0] == '\0')
        return cli_journal_resolve(out, opts, NULL);
    if ((rc = cli_journal_resolve(out, opts, host)) != 0 ||
        access(*out, F_OK) == 0)
        return rc;
    rc = cli_usage_error(NULL,
                         "no journal for '%s' at '%s': apply has not run "
                         "for that org here; name one with --journal",
                         host, *out);
    free(*out);
    *out = NULL;
    return rc;
}

int cli_journal_open_reader(gcp_journal **out,
                            const struct cli_journal_opts *opts)
{
    gcp_journal_options options = GCP_JOURNAL_OPTIONS_INIT;
    char *path = NULL;
    int rc;

    *out = NULL;
    if ((rc = journal_reader_path(&path, opts)) != 0)
        return rc;
    options.read_only = 1;
    options.log_fn = cli_log;
    options.log_level = cli_log_min_level();
    rc = gcp_journal_open(out, path, &options);
    free(path);
    if (rc == GCP_ENOTFOUND)
        return cli_error(CLI_EXIT_USAGE, "%s", gcp_journal_message(*out));
    if (rc != 0)
        return cli_journal_error(*out, rc);
    return 0;
}

static int journal_parse_sync(const char *text, gcp_journal_sync *out)
{
    *out = GCP_JOURNAL_SYNC_NORMAL;
    if (text == NULL || strcmp(text, "normal") == 0)
        return 0;
    if (strcmp(text, "full") == 0) {
        *out = GCP_JOURNAL_SYNC_FULL;
        return 0;
    }
    return cli_usage_error(NULL, "--journal-sync must be 'full' or 'normal'");
}

int cli_journal_open_writer(gcp_journal **out,
                            const struct cli_journal_opts *opts,
                            const char *org_or_host)
{
    gcp_journal_options options = GCP_JOURNAL_OPTIONS_INIT;
    char *path = NULL;
    int rc;

    *out = NULL;
    if ((rc = journal_parse_sync(opts ? opts->sync : NULL, &options.sync)) ||
        (rc = cli_journal_resolve(&path, opts, org_or_host)) != 0)
        return rc;
    options.log_fn = cli_log;
    options.log_level = cli_log_min_level();
    rc = gcp_journal_open(out, path, &options);
    free(path);
    return rc != 0 ? cli_journal_error(*out, rc) : 0;
}

void cli_journal_time(char *out, size_t size, int64_t ms)
{
    time_t seconds = (time_t)(ms / 1000);
    struct tm tm;

    if (ms <= 0 || gmtime_r(&seconds, &tm) == NULL) {
        snprintf(out, size, "-");
        return;
    }
    strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void cli_journal_time_ms(char *out, size_t size, int64_t ms)
{
    time_t seconds = (time_t)(ms / 1000);
    char base[24];
    struct tm tm;

    if (ms <= 0 || gmtime_r(&seconds, &tm) == NULL) {
        snprintf(out, size, "-");
        return;
    }
    strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(out, size, "%s.%03dZ", base, (int)(ms % 1000));
}

/* Adds "key": string, or null, to `obj`; the new value is stolen. */
static void json_put_text(json_t *obj, const char *key, const char *text)
{
    json_object_set_new(obj, key, text ? json_string(text) : json_null());
}

static void json_put_time(json_t *obj, const char *key, int64_t ms)
{
    char when[32];

    if (ms <= 0) {
        json_object_set_new(obj, key, json_null());
        return;
    }
    cli_journal_time_ms(when, sizeof(when), ms);
    json_object_set_new(obj, key, json_string(when));
}

static void json_put_options(json_t *obj, const char *text)
{
    json_t *options = text != NULL ? json_loads(text, 0, NULL) : NULL;

    /* The journal checked it was an object; a hand-edited file may lie. */
    json_object_set_new(obj, "options", options ? options : json_null());
}

json_t *cli_journal_run_json(const gcp_journal_run_row *run)
{
    json_t *obj = json_object();

    if (obj == NULL)
        return NULL;
    json_object_set_new(obj, "run", json_integer(run->id));
    json_put_text(obj, "command", run->command);
    json_put_time(obj, "started", run->started_ms);
    json_put_time(obj, "ended", run->ended_ms);
    json_put_text(obj, "outcome", run->outcome);
    json_object_set_new(obj, "exit_status",
                        run->exit_status >= 0 ? json_integer(run->exit_status)
                                              : json_null());
    json_put_text(obj, "client_id", run->client_id);
    json_put_text(obj, "api_host", run->api_host);
    json_put_text(obj, "roster", run->roster_path);
    json_put_text(obj, "roster_sha256", run->roster_sha256);
    json_put_options(obj, run->options_json);
    json_object_set_new(obj, "pid", json_integer(run->pid));
    json_put_text(obj, "host", run->host);
    json_object_set_new(obj, "people", json_integer((json_int_t)run->people));
    json_object_set_new(obj, "done", json_integer((json_int_t)run->done));
    json_object_set_new(obj, "failed", json_integer((json_int_t)run->failed));
    json_object_set_new(obj, "unresolved",
                        json_integer((json_int_t)run->unresolved));
    return obj;
}

json_t *cli_journal_step_json(const gcp_journal_step_row *step)
{
    json_t *obj = json_object();

    if (obj == NULL)
        return NULL;
    json_object_set_new(obj, "step_id", json_integer(step->id));
    json_object_set_new(obj, "run", json_integer(step->run));
    json_put_text(obj, "person", step->person_key);
    json_put_text(obj, "step", gcp_journal_step_name(step->step));
    json_put_text(obj, "target", step->target);
    json_put_text(obj, "scope", step->scope);
    json_put_text(obj, "state", gcp_journal_state_name(step->state));
    json_put_text(obj, "user_id", step->user_id);
    json_object_set_new(obj, "http_status",
                        step->http_status > 0 ? json_integer(step->http_status)
                                              : json_null());
    json_put_text(obj, "error_code", step->error_code);
    json_put_text(obj, "message", step->message);
    json_put_text(obj, "correlation_id", step->correlation_id);
    json_put_time(obj, "intent_at", step->intent_ms);
    json_put_time(obj, "result_at", step->result_ms);
    json_object_set_new(obj, "reconciled_by_run",
                        step->reconciled_run > 0
                            ? json_integer(step->reconciled_run)
                            : json_null());
    return obj;
}

int cli_journal_print_json(json_t *doc)
{
    char *text = doc != NULL ? json_dumps(doc, JSON_INDENT(2)) : NULL;

    json_decref(doc);
    if (text == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    puts(text);
    free(text);
    return 0;
}

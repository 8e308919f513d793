/*
 * connect.c: from options and environment to a gcp_client. There is no
 * option that takes the secret itself: argv is readable by every user of
 * the machine through /proc.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <termios.h>
#include <unistd.h>

#include "connect.h"
#include "exit.h"
#include "msg.h"
#include "secret.h"
#include "wipe.h"

#define ENV_REGION    "GENESYSCLOUD_REGION"
#define ENV_CLIENT_ID "GENESYSCLOUD_OAUTHCLIENT_ID"
#define ENV_SECRET    "GENESYSCLOUD_OAUTHCLIENT_SECRET"

#define OPT(name, type, field, arg, help)                                      \
    {                                                                          \
        name, 0, type, offsetof(struct cli_connect, field), arg, help          \
    }

const struct cli_opt cli_connect_opts[] = {
    OPT("region", CLI_STRING, region, "REGION",
        "org region: 'eu-west-1', 'mypurecloud.ie', ..."),
    OPT("api-url", CLI_STRING, api_url, "URL",
        "API base URL (gateway, sandbox) instead"),
    OPT("login-url", CLI_STRING, login_url, "URL",
        "OAuth base URL (default: region's, or --api-url)"),
    OPT("client-id", CLI_STRING, client_id, "ID",
        "OAuth client id (or " ENV_CLIENT_ID ")"),
    OPT("client-secret-file", CLI_STRING, secret_file, "FILE",
        "read the secret from FILE (mode 600)"),
    OPT("client-secret-command", CLI_STRING, secret_command, "CMD",
        "the secret is CMD's output (a vault client)"),
    OPT("rate-limit", CLI_DOUBLE, rate_limit, "N",
        "requests per minute (default: the tenant's)"),
    OPT("max-in-flight", CLI_INT, max_in_flight, "N",
        "concurrent requests (default 8)"),
    OPT("timeout", CLI_INT, timeout, "SECONDS",
        "give up on a request after SECONDS (default 60)"),
    OPT("retry-budget", CLI_INT, retry_budget, "N",
        "the run's retry budget (default 500, 5 a retry)"),
    OPT("ca-file", CLI_STRING, ca_file, "FILE",
        "also trust the CA certificates in FILE"),
    CLI_OPT_END,
};

/*
 * Takes the secret out of the environment: a copy for us, the original
 * bytes wiped (they also show in /proc/PID/environ) and the variable
 * removed. Returns the copy, or NULL when the variable is not set.
 */
static char *connect_take_env_secret(void)
{
    char *value = getenv(ENV_SECRET);
    char *copy;

    if (value == NULL)
        return NULL;
    copy = strdup(value);
    gcp_wipe(value, strlen(value));
    unsetenv(ENV_SECRET);
    return copy;
}

/* Reads a line from the terminal without echo. Returns it, or NULL. */
static char *connect_prompt(const char *client_id)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    struct termios saved, quiet;
    char *line = NULL;
    ssize_t n;

    if (fd < 0 || !isatty(fd) || tcgetattr(fd, &saved) != 0)
        goto cleanup;
    if ((line = calloc(1, GCP_SECRET_MAX + 1)) == NULL)
        goto cleanup;
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    dprintf(fd, "client secret for '%s': ", client_id);
    tcsetattr(fd, TCSAFLUSH, &quiet);
    n = read(fd, line, GCP_SECRET_MAX);
    tcsetattr(fd, TCSAFLUSH, &saved);
    dprintf(fd, "\n");
    if (n <= 0) {
        gcp_wipe_free(line);
        line = NULL;
    } else {
        gcp_secret__chomp(line);
    }

cleanup:
    if (fd >= 0)
        close(fd);
    return line;
}

/* Finds the secret in the first source given. Returns an exit status. */
static int connect_secret(char **out, const struct cli_connect *o,
                          char *env_secret, const char *client_id)
{
    struct gcp_err err = {0};

    *out = NULL;
    if (o->secret_file != NULL && o->secret_command != NULL)
        return cli_error(CLI_EXIT_USAGE, "give --client-secret-file or "
                                         "--client-secret-command, not both");
    if (o->secret_file != NULL &&
        gcp_secret__read_file(out, o->secret_file, &err) != 0)
        return cli_error(CLI_EXIT_USAGE, "%s", err.msg);
    if (o->secret_command != NULL &&
        gcp_secret__run_command(out, o->secret_command, &err) != 0)
        return cli_error(CLI_EXIT_AUTH, "%s", err.msg);
    if (*out == NULL && env_secret != NULL)
        *out = strdup(env_secret);
    if (*out == NULL)
        *out = connect_prompt(client_id);
    if (*out == NULL)
        return cli_error(CLI_EXIT_USAGE,
                         "no client secret: use --client-secret-file, "
                         "--client-secret-command or " ENV_SECRET);
    return CLI_EXIT_OK;
}

static void connect_fill(gcp_client_options *co, const struct cli_connect *o)
{
    co->region = o->region ? o->region : getenv(ENV_REGION);
    co->api_url = o->api_url;
    co->login_url = o->login_url;
    co->client_id = o->client_id ? o->client_id : getenv(ENV_CLIENT_ID);
    co->ca_file = o->ca_file;
    co->rate_per_minute = o->rate_limit;
    co->max_in_flight = (int)o->max_in_flight;
    co->timeout_ms = o->timeout * 1000;
    co->retry_budget = (int)o->retry_budget;
    co->log = cli_log;
    co->log_level = cli_log_min_level();
}

/* Checks what can be checked before a secret is asked for. */
static int connect_check(const gcp_client_options *co,
                         const struct cli_connect *o)
{
    if (o->rate_limit < 0 || o->max_in_flight < 0 || o->timeout < 0 ||
        o->retry_budget < 0)
        return cli_error(CLI_EXIT_USAGE, "connection numbers must not be "
                                         "negative");
    if (co->client_id == NULL || co->client_id[0] == '\0')
        return cli_error(CLI_EXIT_USAGE,
                         "no client id: use --client-id or " ENV_CLIENT_ID);
    if (co->region == NULL && co->api_url == NULL)
        return cli_error(CLI_EXIT_USAGE, "no region: use --region, " ENV_REGION
                                         " or --api-url");
    return CLI_EXIT_OK;
}

int cli_connect_open(gcp_client **out, const struct cli_connect *o)
{
    gcp_client_options co = GCP_CLIENT_OPTIONS_INIT;
    char *env_secret = connect_take_env_secret();
    char *secret = NULL;
    char why[GCP_ERRMSG_MAX];
    int rc;

    *out = NULL;
    connect_fill(&co, o);
    if ((rc = connect_check(&co, o)) != CLI_EXIT_OK)
        goto cleanup;
    /* Keep the secret out of core dumps and ptrace by other users. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if ((rc = connect_secret(&secret, o, env_secret, co.client_id)) != 0)
        goto cleanup;
    co.secret = secret;
    if ((rc = gcp_client_new(out, &co, why, sizeof(why))) != 0)
        rc = cli_error(rc == GCP_EINVALID ? CLI_EXIT_USAGE : CLI_EXIT_LOCAL,
                       "%s", why);

cleanup:
    gcp_wipe_free(secret);
    gcp_wipe_free(env_secret);
    return rc;
}

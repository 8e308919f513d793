/*
 * connect.h: the connection options shared by every command that talks to
 * an org (--region, --api-url, --client-id, the secret sources, pacing,
 * timeouts) and the one function that turns them into a gcp_client.
 * Embed struct cli_connect in a command's settings and list
 * CLI_CONNECT_GROUP(offset) among its option groups.
 */
#ifndef CLI_CONNECT_H
#define CLI_CONNECT_H

#include "gcprov/client.h"
#include "opts.h"

struct cli_connect {
    const char *region;
    const char *api_url;
    const char *login_url;
    const char *client_id;
    const char *secret_file;
    const char *secret_command;
    const char *ca_file;
    double rate_limit;  /* per minute; 0: the tenant's */
    long max_in_flight; /* 0: the library's default */
    long timeout;       /* seconds per request; 0: default */
    long retry_budget;  /* 0: default */
};

extern const struct cli_opt cli_connect_opts[];

#define CLI_CONNECT_GROUP(offset)                                              \
    {                                                                          \
        "connection options", cli_connect_opts, (offset)                       \
    }

/*
 * Creates a client from the options and the environment
 * (GENESYSCLOUD_REGION, GENESYSCLOUD_OAUTHCLIENT_ID and
 * GENESYSCLOUD_OAUTHCLIENT_SECRET, which is wiped and removed from the
 * environment here so no child inherits it). The secret comes from the
 * file, else the command, else the environment, else a no-echo prompt on
 * the terminal; it is wiped once the client holds its copy, and the
 * process is made non-dumpable. On success *out is the caller's to free
 * with gcp_client_free. Returns an exit status from exit.h, having printed
 * the reason on failure.
 */
int cli_connect_open(gcp_client **out, const struct cli_connect *opts);

#endif

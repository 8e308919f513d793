/*
 * embedded.c: the throwaway sandbox behind --sandbox (see embedded.h).
 */
#include "embedded.h"
#include "exit.h"
#include "msg.h"
#include "sandbox.h"

/* The demo org's OAuth client (docs/sandbox.md, "The demo org"). */
#define DEMO_CLIENT_ID "gcprov-demo"
#define DEMO_SECRET    "gcprov-demo-secret"

/*
 * Requests per minute without --rate-limit. The embedded sandbox enforces
 * no limit, so the client's fallback of 300 a minute would only slow a
 * first try down.
 */
#define EMBEDDED_RATE 60000.0

int cli_embedded_open(struct sbx **out_sandbox, gcp_client **out_client,
                      double rate_limit)
{
    struct sbx_config cfg;
    gcp_client_options co = GCP_CLIENT_OPTIONS_INIT;
    struct gcp_err err = {0};
    char why[GCP_ERRMSG_MAX];
    int rc;

    *out_sandbox = NULL;
    *out_client = NULL;
    sbx_config_init(&cfg);
    cfg.faults.rate_limit = 0;
    cfg.faults.search_lag = 0;
    if (sbx_start(out_sandbox, &cfg, &err) != 0)
        return cli_error(CLI_EXIT_LOCAL, "cannot start the sandbox: %s",
                         err.msg);
    co.api_url = sbx_url(*out_sandbox);
    co.client_id = DEMO_CLIENT_ID;
    co.secret = DEMO_SECRET;
    /* The sandbox has no limit here; the client's default would crawl. */
    co.rate_per_minute = rate_limit > 0 ? rate_limit : EMBEDDED_RATE;
    co.log = cli_log;
    co.log_level = cli_log_min_level();
    if ((rc = gcp_client_new(out_client, &co, why, sizeof(why))) != 0) {
        sbx_stop(*out_sandbox, NULL);
        *out_sandbox = NULL;
        return cli_error(CLI_EXIT_LOCAL, "%s", why);
    }
    cli_info("using a throwaway in-memory sandbox with the demo org at %s",
             sbx_url(*out_sandbox));
    return 0;
}

void cli_embedded_close(struct sbx *sandbox, gcp_client *client)
{
    gcp_client_free(client);
    sbx_stop(sandbox, NULL);
}

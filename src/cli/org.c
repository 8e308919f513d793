/*
 * org.c: the org read behind `gcprov roles` and `gcprov licenses`. It
 * goes through gcp_snapshot_read with an empty roster, so there is no
 * second way of reading roles and licenses to keep in step with the API.
 */
#include <stdio.h>

#include "embedded.h"
#include "exit.h"
#include "msg.h"
#include "org.h"

#define OPT(name, type, member, arg, help)                                     \
    {                                                                          \
        name, 0, type, offsetof(struct cli_org_opts, member), arg, help        \
    }

const struct cli_opt cli_org_seats_opts[] = {
    OPT("seats", CLI_LIST, plan.seats, "LICENSE=N",
        "budget: at most N users hold LICENSE; A=1,B=2 too"),
    OPT("sandbox", CLI_FLAG, sandbox, NULL,
        "read a throwaway sandbox's demo org instead"),
    CLI_OPT_END,
};

const struct cli_opt cli_org_opts_table[] = {
    OPT("sandbox", CLI_FLAG, sandbox, NULL,
        "read a throwaway sandbox's demo org instead"),
    CLI_OPT_END,
};

/* A roster with nobody in it: the reader then reads only the org. */
static int org_empty_roster(gcp_roster **out)
{
    static const char header[] = "employee_id,name,email\n";
    int rc =
        gcp_roster_read_buffer(out, header, sizeof(header) - 1, "(none)", NULL);

    if (rc != 0)
        return cli_error(cli_exit_from_error(rc), "%s",
                         *out != NULL ? gcp_roster_error(*out)
                                      : "out of memory");
    return 0;
}

static int org_snapshot(gcp_snapshot **out, gcp_client *client, int count_seats)
{
    gcp_snapshot_options so = GCP_SNAPSHOT_OPTIONS_INIT;
    gcp_roster *roster = NULL;
    char why[512];
    int status, rc;

    if ((status = org_empty_roster(&roster)) != 0)
        goto cleanup;
    so.count_seats = count_seats;
    so.log = cli_log;
    so.log_level = cli_log_min_level();
    if ((rc = gcp_snapshot_read(out, client, roster, &so, why, sizeof(why))) !=
        0)
        status = cli_error(cli_exit_from_error(rc), "%s", why);

cleanup:
    gcp_roster_free(roster);
    return status;
}

int cli_org_read(gcp_snapshot **out, const struct cli_org_opts *opts,
                 int count_seats)
{
    struct sbx *sandbox = NULL;
    gcp_client *client = NULL;
    int status;

    *out = NULL;
    if (opts->sandbox)
        status = cli_embedded_open(&sandbox, &client, opts->conn.rate_limit);
    else
        status = cli_connect_open(&client, &opts->conn);
    if (status == 0)
        status = org_snapshot(out, client, count_seats);
    cli_embedded_close(sandbox, client);
    return status;
}

void cli_org_note(const struct cli_org_opts *opts, int json)
{
    if (opts->sandbox && !json)
        printf("%s\n", CLI_EMBEDDED_NOTE);
}

/*
 * cmd_plan.c: `gcprov plan ROSTER` reads the roster and the tenant and
 * prints what apply would change: counts per action, and with --details
 * one line per person and change; --json prints the same as one JSON
 * document. Nothing is written to the tenant.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "connect.h"
#include "embedded.h"
#include "exit.h"
#include "gcprov/plan.h"
#include "msg.h"
#include "plan_opts.h"
#include "roster_opts.h"

struct plan_settings {
    struct cli_plan_opts plan;
    struct cli_roster_opts roster;
    struct cli_connect conn;
};

static const struct cli_opt_group plan_groups[] = {
    CLI_PLAN_GROUP(struct plan_settings, plan),
    CLI_ROSTER_GROUP(struct plan_settings, roster),
    CLI_CONNECT_GROUP(offsetof(struct plan_settings, conn)),
    CLI_GROUP_END,
};

static int plan_print(const gcp_plan *plan, const struct cli_common *common,
                      const struct cli_plan_opts *po)
{
    char *text = common->json ? cli_plan_json(plan, po->sandbox, NULL)
                              : gcp_plan_to_text(plan, po->details);

    if (text == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    fputs(text, stdout);
    if (common->json)
        fputc('\n', stdout);
    free(text);
    if (po->sandbox && !common->json)
        printf("%s\n", CLI_EMBEDDED_NOTE);
    if (gcp_plan_refused(plan))
        return cli_error(CLI_EXIT_HELD,
                         "--strict-seats: people would be held back for "
                         "seats; raise the budgets or free seats");
    return CLI_EXIT_OK;
}

/* Reads the tenant for the roster and prints the plan. */
static int plan_tenant(const struct plan_settings *s,
                       const struct cli_common *common,
                       const gcp_roster *roster, gcp_plan_options *po,
                       const char *path, int skip_invalid)
{
    gcp_snapshot_options so = GCP_SNAPSHOT_OPTIONS_INIT;
    gcp_snapshot *snap = NULL;
    gcp_client *client = NULL;
    struct sbx *sandbox = NULL;
    gcp_plan *plan = NULL;
    char why[512];
    int status, rc;

    if ((status = cli_plan_connect(&client, &sandbox, &s->plan, &s->conn)) != 0)
        return status;
    so.key_authority = s->plan.key_authority;
    so.count_seats = po->budget_count > 0;
    so.log = cli_log;
    so.log_level = cli_log_min_level();
    if ((rc = gcp_snapshot_read(&snap, client, roster, &so, why,
                                sizeof(why))) != 0)
        status = cli_error(cli_exit_from_error(rc), "%s", why);
    else if ((rc = gcp_plan_build_roster(&plan, roster, snap, po)) != 0)
        status = cli_error(cli_exit_from_error(rc), "planning failed: %s",
                           gcp_error_name(rc));
    else if ((status = cli_plan_check_names(plan, snap, roster, path,
                                            skip_invalid)) == 0)
        status = plan_print(plan, common, &s->plan);
    gcp_plan_free(plan);
    gcp_snapshot_free(snap);
    cli_embedded_close(sandbox, client);
    return status;
}

static int run_plan(const struct cli_common *common, void *settings, int argc,
                    char **argv)
{
    struct plan_settings *s = settings;
    struct cli_plan_setup plan;
    struct cli_roster_setup setup;
    gcp_roster *roster = NULL;
    int status;

    memset(&setup, 0, sizeof(setup));
    if (argc != 1) {
        status = cli_usage_error(&cli_cmd_plan, "plan needs one roster file");
        goto cleanup;
    }
    if ((status = cli_plan_setup(&cli_cmd_plan, &s->plan, &plan)) != 0 ||
        (status = cli_roster_setup(&cli_cmd_plan, &s->roster, &setup)) != 0 ||
        (status = cli_plan_read_roster(&roster, argv[0], &setup)) != 0)
        goto cleanup;
    status = plan_tenant(s, common, roster, &plan.opts, argv[0],
                         setup.opts.skip_invalid);

cleanup:
    gcp_roster_free(roster);
    cli_roster_setup_release(&setup);
    return status;
}

const struct cli_command cli_cmd_plan = {
    .name = "plan",
    .operands = "ROSTER",
    .summary = "show what apply would change in the tenant",
    .details =
        "Reads the roster and the tenant (per person or by a paged scan,\n"
        "whichever takes fewer calls) and prints the counts per action;\n"
        "--details adds one line per person and change, --json prints it\n"
        "all as one JSON document. Nothing is written. Exits 2 for an\n"
        "invalid roster, 4 when --strict-seats refuses the plan.\n"
        "--sandbox plans against a throwaway in-memory demo org instead of\n"
        "a tenant. docs/plan.md describes every rule.",
    .opts = NULL,
    .groups = plan_groups,
    .settings_size = sizeof(struct plan_settings),
    .json_output = 1,
    .run = run_plan,
};

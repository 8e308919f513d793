/*
 * cmd_plan.c: `gcprov plan ROSTER` reads the roster and the tenant and
 * prints what apply would change: counts per action, and with --details
 * one line per person and change; --json prints the same as one JSON
 * document. Nothing is written to the tenant.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "connect.h"
#include "exit.h"
#include "gcprov/plan.h"
#include "msg.h"
#include "roster_opts.h"

#define PLAN_MAX_BUDGETS 64

struct plan_settings {
    struct cli_roster_opts roster;
    struct cli_connect conn;
    const char *key_authority;
    struct cli_list seats; /* LICENSE=N */
    int release_licenses;
    int strict_seats;
    int details;
};

static const struct cli_opt plan_opts[] = {
    {"key-authority", 0, CLI_STRING,
     offsetof(struct plan_settings, key_authority), "NAME",
     "external id authority of the keys (default gcprov)"},
    {"seats", 0, CLI_LIST, offsetof(struct plan_settings, seats), "LICENSE=N",
     "at most N users hold LICENSE; repeatable"},
    {"release-licenses", 0, CLI_FLAG,
     offsetof(struct plan_settings, release_licenses), NULL,
     "leavers give back explicitly assigned licenses"},
    {"strict-seats", 0, CLI_FLAG, offsetof(struct plan_settings, strict_seats),
     NULL, "refuse the plan if anyone would be held back"},
    {"details", 0, CLI_FLAG, offsetof(struct plan_settings, details), NULL,
     "one line per person and change"},
    CLI_OPT_END,
};

static const struct cli_opt_group plan_groups[] = {
    CLI_ROSTER_GROUP(struct plan_settings, roster),
    CLI_CONNECT_GROUP(offsetof(struct plan_settings, conn)),
    CLI_GROUP_END,
};

/* Parses "LICENSE=N" values into `out`; returns 0 or a usage error. */
static int plan_budgets(gcp_seat_budget *out, const struct cli_list *seats)
{
    if (seats->count > PLAN_MAX_BUDGETS)
        return cli_usage_error(&cli_cmd_plan, "at most %d --seats",
                               PLAN_MAX_BUDGETS);
    for (size_t i = 0; i < seats->count; i++) {
        const char *eq = strchr(seats->items[i], '=');
        char *end = NULL;
        unsigned long n;

        errno = 0;
        n = eq != NULL ? strtoul(eq + 1, &end, 10) : 0;
        if (eq == NULL || eq == seats->items[i] || end == eq + 1 ||
            *end != '\0' || errno != 0 || eq[1] == '-')
            return cli_usage_error(&cli_cmd_plan,
                                   "--seats '%s' is not LICENSE=N",
                                   seats->items[i]);
        out[i].license_id = seats->items[i]; /* cut at '=' below */
        out[i].seats = n;
    }
    return 0;
}

/* Reads the roster; returns 0 or the exit status, diagnostics printed. */
static int plan_roster(gcp_roster **out, const char *path,
                       const struct cli_roster_setup *setup)
{
    int rc = gcp_roster_read(out, path, &setup->opts);

    if (rc != 0)
        return cli_error(cli_exit_from_error(rc), "%s",
                         *out != NULL ? gcp_roster_error(*out)
                                      : "out of memory");
    cli_roster_print_diags(*out);
    if (gcp_roster_is_valid(*out) ||
        (setup->opts.skip_invalid && gcp_roster_is_usable(*out)))
        return 0;
    return cli_error(CLI_EXIT_USAGE,
                     "%s: the roster is invalid; nothing "
                     "was read from the tenant",
                     path);
}

static int plan_print(const gcp_plan *plan, const struct cli_common *common,
                      int details)
{
    char *text = common->json ? gcp_plan_to_json(plan, 1)
                              : gcp_plan_to_text(plan, details);

    if (text == NULL)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    fputs(text, stdout);
    if (common->json)
        fputc('\n', stdout);
    free(text);
    if (gcp_plan_refused(plan))
        return cli_error(CLI_EXIT_HELD,
                         "--strict-seats: people would be held back for "
                         "seats; raise the budgets or free seats");
    return CLI_EXIT_OK;
}

/* Reads the tenant for the roster and prints the plan. */
static int plan_tenant(const struct plan_settings *s,
                       const struct cli_common *common,
                       const gcp_roster *roster, gcp_plan_options *po)
{
    gcp_snapshot_options so = GCP_SNAPSHOT_OPTIONS_INIT;
    gcp_snapshot *snap = NULL;
    gcp_client *client = NULL;
    gcp_plan *plan = NULL;
    char why[512];
    int status, rc;

    if ((status = cli_connect_open(&client, &s->conn)) != 0)
        return status;
    so.key_authority = s->key_authority;
    so.count_seats = po->budget_count > 0;
    so.log = cli_log;
    so.log_level = cli_log_min_level();
    if ((rc = gcp_snapshot_read(&snap, client, roster, &so, why,
                                sizeof(why))) != 0)
        status = cli_error(cli_exit_from_error(rc), "%s", why);
    else if ((rc = gcp_plan_build_roster(&plan, roster, snap, po)) != 0)
        status = cli_error(cli_exit_from_error(rc), "planning failed: %s",
                           gcp_error_name(rc));
    else
        status = plan_print(plan, common, s->details);
    gcp_plan_free(plan);
    gcp_snapshot_free(snap);
    gcp_client_free(client);
    return status;
}

static int run_plan(const struct cli_common *common, void *settings, int argc,
                    char **argv)
{
    struct plan_settings *s = settings;
    gcp_plan_options po = GCP_PLAN_OPTIONS_INIT;
    gcp_seat_budget budgets[PLAN_MAX_BUDGETS];
    char names[PLAN_MAX_BUDGETS][128];
    struct cli_roster_setup setup;
    gcp_roster *roster = NULL;
    int status;

    memset(&setup, 0, sizeof(setup));
    if (argc != 1) {
        status = cli_usage_error(&cli_cmd_plan, "plan needs one roster file");
        goto cleanup;
    }
    if ((status = plan_budgets(budgets, &s->seats)) != 0 ||
        (status = cli_roster_setup(&cli_cmd_plan, &s->roster, &setup)) != 0 ||
        (status = plan_roster(&roster, argv[0], &setup)) != 0)
        goto cleanup;
    for (size_t i = 0; i < s->seats.count; i++) {
        snprintf(
            names[i], sizeof(names[i]), "%.*s",
            (int)(strchr(budgets[i].license_id, '=') - budgets[i].license_id),
            budgets[i].license_id);
        budgets[i].license_id = names[i];
    }
    po.key_authority = s->key_authority;
    po.release_licenses = s->release_licenses;
    po.strict_seats = s->strict_seats;
    po.budgets = budgets;
    po.budget_count = s->seats.count;
    status = plan_tenant(s, common, roster, &po);

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
        "docs/plan.md describes every rule.",
    .opts = plan_opts,
    .groups = plan_groups,
    .settings_size = sizeof(struct plan_settings),
    .json_output = 1,
    .run = run_plan,
};

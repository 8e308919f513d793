/*
 * cmd_licenses.c: `gcprov licenses` lists the org's license definitions
 * with the seats in use, counted from every page of license assignments,
 * against the budgets given by --seats (or the profile's `seats`), and
 * the roles that carry each.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "exit.h"
#include "msg.h"
#include "org.h"
#include "tenant.h"

static const struct cli_opt_group licenses_groups[] = {
    {"licenses options", cli_org_seats_opts, 0},
    CLI_CONNECT_GROUP(offsetof(struct cli_org_opts, conn)),
    CLI_GROUP_END,
};

/* The budget for `id`, or NULL when it has none. */
static const gcp_seat_budget *licenses_budget(const gcp_plan_options *po,
                                              const char *id)
{
    for (size_t i = 0; i < po->budget_count; i++)
        if (strcmp(po->budgets[i].license_id, id) == 0)
            return &po->budgets[i];
    return NULL;
}

/* The names of the roles carrying `id`, as a new JSON array, or NULL. */
static json_t *licenses_roles(const gcp_snapshot *snap, const char *id)
{
    json_t *names = json_array();

    for (size_t i = 0; names != NULL && i < snap->role_count; i++)
        if (gcp_tenant__role_carries(&snap->roles[i], id))
            json_array_append_new(names, json_string(snap->roles[i].name));
    return names;
}

/* One license as a JSON object (new reference), or NULL. */
static json_t *licenses_one(const gcp_snapshot *snap,
                            const struct gcp_tenant_license *l,
                            const gcp_plan_options *po)
{
    const gcp_seat_budget *b = licenses_budget(po, l->id);
    json_t *budget =
        b != NULL ? json_integer((json_int_t)b->seats) : json_null();
    json_t *left =
        b != NULL ? json_integer((json_int_t)b->seats - (json_int_t)l->in_use)
                  : json_null();

    /* "o" steals `budget`, `left` and the roles array. */
    return json_pack("{s:s, s:I, s:o, s:o, s:o}", "id", l->id, "inUse",
                     (json_int_t)l->in_use, "budget", budget, "left", left,
                     "roles", licenses_roles(snap, l->id));
}

static int licenses_print_json(const gcp_snapshot *snap,
                               const gcp_plan_options *po, int sandbox)
{
    json_t *list = json_array();
    json_t *doc;
    int rc;

    for (size_t i = 0; list != NULL && i < snap->license_count; i++)
        json_array_append_new(list, licenses_one(snap, &snap->licenses[i], po));
    /* "o" steals `list`. */
    doc = json_pack("{s:o, s:b}", "licenses", list, "sandbox", sandbox);
    rc = doc != NULL ? json_dumpf(doc, stdout, JSON_INDENT(2)) : -1;
    json_decref(doc);
    if (rc != 0)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    putchar('\n');
    return CLI_EXIT_OK;
}

static void licenses_print_text(const gcp_snapshot *snap,
                                const gcp_plan_options *po)
{
    for (size_t i = 0; i < snap->license_count; i++) {
        const struct gcp_tenant_license *l = &snap->licenses[i];
        const gcp_seat_budget *b = licenses_budget(po, l->id);

        printf("%-24s %lu in use", l->id, l->in_use);
        if (b != NULL)
            printf(" of %lu (%s)", b->seats,
                   l->in_use > b->seats    ? "over budget"
                   : l->in_use == b->seats ? "full"
                                           : "seats left");
        putchar('\n');
    }
    printf("%zu licenses\n", snap->license_count);
}

/* Warns about budgets naming a license the org does not have. */
static void licenses_check_budgets(const gcp_snapshot *snap,
                                   const gcp_plan_options *po)
{
    for (size_t i = 0; i < po->budget_count; i++)
        if (gcp_tenant__license(snap, po->budgets[i].license_id) == NULL)
            cli_warn("--seats names license '%s', which the org does not "
                     "have",
                     po->budgets[i].license_id);
}

static int run_licenses(const struct cli_common *common, void *settings,
                        int argc, char **argv)
{
    struct cli_org_opts *s = settings;
    struct cli_plan_setup setup;
    gcp_snapshot *snap = NULL;
    int status;

    if (argc > 0)
        return cli_usage_error(&cli_cmd_licenses, "unexpected operand '%s'",
                               argv[0]);
    if ((status = cli_plan_setup(&cli_cmd_licenses, &s->plan, &setup)) != 0 ||
        (status = cli_org_read(&snap, s, 1)) != 0)
        return status;
    licenses_check_budgets(snap, &setup.opts);
    if (common->json)
        status = licenses_print_json(snap, &setup.opts, s->sandbox);
    else
        licenses_print_text(snap, &setup.opts);
    cli_org_note(s, common->json);
    gcp_snapshot_free(snap);
    return status;
}

const struct cli_command cli_cmd_licenses = {
    .name = "licenses",
    .summary = "list the org's licenses with seats in use against budgets",
    .details =
        "One line per license definition: the seats in use (every user\n"
        "not deleted who holds it) and, for a license with a budget\n"
        "(--seats LICENSE=N or the profile's seats), the budget and\n"
        "whether seats are left. No API reports purchased seats, so the\n"
        "budgets are yours to state.",
    .groups = licenses_groups,
    .settings_size = sizeof(struct cli_org_opts),
    .json_output = 1,
    .run = run_licenses,
};

/*
 * cmd_roles.c: `gcprov roles` lists the org's roles with the licenses
 * each carries (its baseLicense, then its add-ons), as read by the tenant
 * reader that plan uses.
 */
#include <stdio.h>

#include <jansson.h>

#include "commands.h"
#include "exit.h"
#include "msg.h"
#include "org.h"
#include "tenant.h"

static const struct cli_opt_group roles_groups[] = {
    {"roles options", cli_org_opts_table, 0},
    CLI_CONNECT_GROUP(offsetof(struct cli_org_opts, conn)),
    CLI_GROUP_END,
};

static void roles_print_text(const gcp_snapshot *snap)
{
    for (size_t i = 0; i < snap->role_count; i++) {
        const struct gcp_tenant_role *r = &snap->roles[i];

        printf("%s", r->name);
        for (size_t j = 0; j < r->license_count; j++)
            printf("%s%s", j == 0 ? "  licenses: " : ", ", r->licenses[j]);
        printf("  id %s\n", r->id);
    }
    printf("%zu roles\n", snap->role_count);
}

/* One role as {"id", "name", "licenses"}; a new reference or NULL. */
static json_t *roles_one(const struct gcp_tenant_role *r)
{
    json_t *licenses = json_array();

    for (size_t j = 0; licenses != NULL && j < r->license_count; j++)
        json_array_append_new(licenses, json_string(r->licenses[j]));
    /* "o" steals `licenses`. */
    return json_pack("{s:s, s:s, s:o}", "id", r->id, "name", r->name,
                     "licenses", licenses);
}

static int roles_print_json(const gcp_snapshot *snap, int sandbox)
{
    json_t *roles = json_array();
    json_t *doc;
    int rc;

    for (size_t i = 0; roles != NULL && i < snap->role_count; i++)
        json_array_append_new(roles, roles_one(&snap->roles[i]));
    /* "o" steals `roles`. */
    doc = json_pack("{s:o, s:b}", "roles", roles, "sandbox", sandbox);
    rc = doc != NULL ? json_dumpf(doc, stdout, JSON_INDENT(2)) : -1;
    json_decref(doc);
    if (rc != 0)
        return cli_error(CLI_EXIT_LOCAL, "out of memory");
    putchar('\n');
    return CLI_EXIT_OK;
}

static int run_roles(const struct cli_common *common, void *settings, int argc,
                     char **argv)
{
    struct cli_org_opts *s = settings;
    gcp_snapshot *snap = NULL;
    int status;

    if (argc > 0)
        return cli_usage_error(&cli_cmd_roles, "unexpected operand '%s'",
                               argv[0]);
    if ((status = cli_org_read(&snap, s, 0)) != 0)
        return status;
    if (common->json)
        status = roles_print_json(snap, s->sandbox);
    else
        roles_print_text(snap);
    cli_org_note(s, common->json);
    gcp_snapshot_free(snap);
    return status;
}

const struct cli_command cli_cmd_roles = {
    .name = "roles",
    .summary = "list the org's roles and the licenses they carry",
    .details =
        "One line per role: its name, the licenses it carries (its base\n"
        "license first, then add-ons) and its id. A roster names roles by\n"
        "name; granting a role also assigns the licenses it carries.",
    .groups = roles_groups,
    .settings_size = sizeof(struct cli_org_opts),
    .json_output = 1,
    .run = run_roles,
};

/*
 * cmd_check.c: `gcprov check` proves the credentials, then tries one
 * harmless request per permission gcprov needs and lists what the OAuth
 * client lacks. Reads are real reads; for a write permission the probe is
 * a request the API must refuse as invalid (an empty body or an unknown
 * id), so a 403 means the permission is missing and anything else means
 * it is held. Nothing is created or changed.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "connect.h"
#include "exit.h"
#include "msg.h"

#define NO_ID "00000000-0000-0000-0000-000000000000"

struct check_settings {
    struct cli_connect conn;
};

struct check_probe {
    const char *permission;
    const char *purpose;
    const char *method;
    const char *route;
    const char *path;
    const char *body; /* JSON text, or NULL */
};

static const struct check_probe probes[] = {
    {"directory:user:add", "create users", "POST", "/api/v2/users",
     "/api/v2/users", "{}"},
    {"directory:user:edit", "update users, add external ids, move users",
     "PATCH", "/api/v2/users/{userId}", "/api/v2/users/" NO_ID, "{}"},
    {"directory:user:view", "search and list users", "POST",
     "/api/v2/users/search", "/api/v2/users/search",
     "{\"pageSize\": 1, \"query\": [{\"type\": \"EXACT\", \"fields\": "
     "[\"email\"], \"value\": \"gcprov-check@example.invalid\"}]}"},
    {"authorization:role:view", "list roles", "GET",
     "/api/v2/authorization/roles", "/api/v2/authorization/roles?pageSize=1",
     NULL},
    {"authorization:grant:view", "read grants", "GET",
     "/api/v2/authorization/subjects/{subjectId}",
     "/api/v2/authorization/subjects/" NO_ID, NULL},
    {"authorization:grant:add", "grant roles, assign licenses", "POST",
     "/api/v2/authorization/subjects/{subjectId}/bulkadd",
     "/api/v2/authorization/subjects/" NO_ID "/bulkadd", "{\"grants\": []}"},
    {"authorization:license:view", "read licenses", "GET",
     "/api/v2/license/definitions", "/api/v2/license/definitions", NULL},
    {"organization:limits:view", "read the rate limit", "GET",
     "/api/v2/organizations/limits/namespaces/{namespaceName}",
     "/api/v2/organizations/limits/namespaces/platform.api", NULL},
};

#define PROBE_COUNT (sizeof(probes) / sizeof(probes[0]))

/* What a probe's result says about its permission. */
enum check_verdict { CHECK_HELD, CHECK_MISSING, CHECK_UNKNOWN };

static enum check_verdict check_judge(const gcp_result *r)
{
    switch (r->code) {
    case 0:
    case GCP_EINVALID:
    case GCP_ENOTFOUND:
    case GCP_ECONFLICT:
        return CHECK_HELD;
    case GCP_EPERMISSION:
        return CHECK_MISSING;
    default:
        return CHECK_UNKNOWN;
    }
}

static const char *const verdict_names[] = {"held", "missing", "unknown"};

static void check_print_text(const gcp_result *results, size_t missing)
{
    for (size_t i = 0; i < PROBE_COUNT; i++) {
        enum check_verdict v = check_judge(&results[i]);

        printf("%-28s %-8s %s", probes[i].permission, verdict_names[v],
               probes[i].purpose);
        if (v == CHECK_UNKNOWN)
            printf(" (%s)", results[i].message);
        putchar('\n');
    }
    if (missing > 0)
        printf("the OAuth client lacks %zu permission(s); add a role that "
               "holds them to the OAuth client\n",
               missing);
}

static int check_print_json(const gcp_result *results, const char *cid)
{
    json_t *root = json_pack("{s:s, s:b, s:[]}", "client_id", cid,
                             "credentials", 1, "permissions");
    json_t *list = json_object_get(root, "permissions"); /* borrowed */
    int rc;

    for (size_t i = 0; root != NULL && i < PROBE_COUNT; i++)
        /* append_new steals the packed object; a NULL is skipped. */
        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s}", "permission",
                                        probes[i].permission, "status",
                                        verdict_names[check_judge(&results[i])],
                                        "message", results[i].message));
    rc = root != NULL ? json_dumpf(root, stdout, JSON_INDENT(2)) : -1;
    putchar('\n');
    json_decref(root);
    return rc == 0 ? CLI_EXIT_OK : cli_error(CLI_EXIT_LOCAL, "out of memory");
}

/* Sends every probe in one batch and reports. */
static int check_probe_all(gcp_client *client, const struct cli_common *cm,
                           const char *client_id)
{
    gcp_request reqs[PROBE_COUNT];
    gcp_result results[PROBE_COUNT];
    json_t *bodies[PROBE_COUNT] = {0};
    size_t missing = 0, unknown = 0;
    int rc;

    memset(results, 0, sizeof(results));
    for (size_t i = 0; i < PROBE_COUNT; i++) {
        if (probes[i].body != NULL)
            bodies[i] = json_loads(probes[i].body, 0, NULL);
        reqs[i] = (gcp_request){probes[i].method, probes[i].route,
                                probes[i].path, bodies[i], 0};
    }
    gcp_client_batch(client, results, reqs, PROBE_COUNT, NULL, NULL);
    for (size_t i = 0; i < PROBE_COUNT; i++) {
        missing += check_judge(&results[i]) == CHECK_MISSING;
        unknown += check_judge(&results[i]) == CHECK_UNKNOWN;
    }
    rc = missing > 0   ? CLI_EXIT_AUTH
         : unknown > 0 ? CLI_EXIT_FAILED
                       : CLI_EXIT_OK;
    if (cm->json && check_print_json(results, client_id) != CLI_EXIT_OK)
        rc = CLI_EXIT_LOCAL;
    else if (!cm->json)
        check_print_text(results, missing);
    for (size_t i = 0; i < PROBE_COUNT; i++) {
        gcp_result_clear(&results[i]);
        json_decref(bodies[i]);
    }
    return rc;
}

static int run_check(const struct cli_common *common, void *settings, int argc,
                     char **argv)
{
    struct check_settings *s = settings;
    gcp_client *client = NULL;
    gcp_client_stats stats;
    int rc;

    if (argc > 0)
        return cli_usage_error(&cli_cmd_check, "unexpected operand '%s'",
                               argv[0]);
    if ((rc = cli_connect_open(&client, &s->conn)) != CLI_EXIT_OK)
        return rc;
    if ((rc = gcp_client_connect(client)) != 0) {
        rc = cli_error(cli_exit_from_error(rc), "%s",
                       gcp_client_message(client));
        goto cleanup;
    }
    gcp_client_stats_get(&stats, client);
    if (!common->json)
        printf("credentials accepted; pacing at %.0f requests per minute\n",
               stats.rate_limit);
    rc = check_probe_all(client, common, gcp_client_id(client));

cleanup:
    gcp_client_free(client);
    return rc;
}

static const struct cli_opt_group check_groups[] = {
    CLI_CONNECT_GROUP(offsetof(struct check_settings, conn)),
    CLI_GROUP_END,
};

const struct cli_command cli_cmd_check = {
    .name = "check",
    .summary = "verify the credentials and the OAuth client's permissions",
    .details =
        "The secret comes from --client-secret-file, else\n"
        "--client-secret-command, else GENESYSCLOUD_OAUTHCLIENT_SECRET,\n"
        "else a prompt on the terminal. Exits 0 when every permission\n"
        "is held, 3 when the credentials are refused or one is missing,\n"
        "1 when a probe could not tell (the API kept failing).",
    .groups = check_groups,
    .settings_size = sizeof(struct check_settings),
    .json_output = 1,
    .run = run_check,
};

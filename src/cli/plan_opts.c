/*
 * plan_opts.c: the option group of plan and apply, and the roster reading
 * they share.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "embedded.h"
#include "exit.h"
#include "msg.h"
#include "plan_opts.h"
#include "tenant.h"

#define OPT(name, type, member, arg, help)                                     \
    {                                                                          \
        name, 0, type, offsetof(struct cli_plan_opts, member), arg, help       \
    }

const struct cli_opt cli_plan_opt_table[] = {
    OPT("key-authority", CLI_STRING, key_authority, "NAME",
        "external id authority of the keys (default gcprov)"),
    OPT("seats", CLI_LIST, seats, "LICENSE=N",
        "at most N hold LICENSE; repeatable; A=1,B=2 too"),
    OPT("release-licenses", CLI_FLAG, release_licenses, NULL,
        "leavers give back explicitly assigned licenses"),
    OPT("strict-seats", CLI_FLAG, strict_seats, NULL,
        "refuse the plan if anyone would be held back"),
    OPT("details", CLI_FLAG, details, NULL, "one line per person and change"),
    OPT("sandbox", CLI_FLAG, sandbox, NULL,
        "use a throwaway in-memory demo org, not a tenant"),
    CLI_OPT_END,
};

/* Parses one "LICENSE=N" (`len` bytes at `v`) into budget `i`; 0 or -1. */
static int plan_budget(struct cli_plan_setup *out, size_t i, const char *v,
                       size_t len)
{
    const char *eq = memchr(v, '=', len);
    char digits[32];
    char *end = NULL;
    unsigned long n;

    if (eq == NULL || eq == v || (size_t)(eq - v) + 1 == len || eq[1] == '-' ||
        (size_t)(eq - v) >= sizeof(out->names[i]) ||
        len - (size_t)(eq - v) > sizeof(digits))
        return -1;
    snprintf(digits, sizeof(digits), "%.*s", (int)(len - (size_t)(eq - v) - 1),
             eq + 1);
    errno = 0;
    n = strtoul(digits, &end, 10);
    if (*end != '\0' || errno != 0)
        return -1;
    snprintf(out->names[i], sizeof(out->names[i]), "%.*s", (int)(eq - v), v);
    out->budgets[i].license_id = out->names[i];
    out->budgets[i].seats = n;
    return 0;
}

/*
 * Adds the budgets of one --seats value, "A=1" or "A=1,B=2" (a profile
 * states them all on one line). Returns 0 or an exit status.
 */
static int plan_budgets(const struct cli_command *cmd,
                        struct cli_plan_setup *out, const char *value)
{
    const char *p = value;

    for (;;) {
        size_t len = strcspn(p, ",");

        if (out->opts.budget_count == CLI_PLAN_MAX_BUDGETS)
            return cli_usage_error(cmd, "at most %d seat budgets",
                                   CLI_PLAN_MAX_BUDGETS);
        if (plan_budget(out, out->opts.budget_count, p, len) < 0)
            return cli_usage_error(cmd, "--seats '%s' is not LICENSE=N", value);
        out->opts.budget_count++;
        if (p[len] == '\0')
            return 0;
        p += len + 1;
    }
}

int cli_plan_setup(const struct cli_command *cmd,
                   const struct cli_plan_opts *in, struct cli_plan_setup *out)
{
    int status;

    out->opts = (gcp_plan_options)GCP_PLAN_OPTIONS_INIT;
    out->opts.budgets = out->budgets;
    for (size_t i = 0; i < in->seats.count; i++)
        if ((status = plan_budgets(cmd, out, in->seats.items[i])) != 0)
            return status;
    out->opts.key_authority = in->key_authority;
    out->opts.release_licenses = in->release_licenses;
    out->opts.strict_seats = in->strict_seats;
    return 0;
}

int cli_plan_read_roster(gcp_roster **out, const char *path,
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
                     "%s: the roster is invalid; nothing was sent", path);
}

/* The line where the person with `key` starts, or 0 when not found. */
static unsigned plan_line_of(const gcp_roster *roster, const char *key)
{
    for (size_t i = 0; i < gcp_roster_count(roster); i++) {
        const gcp_person *p = gcp_roster_person(roster, i);

        if (strcmp(p->key, key) == 0)
            return p->line;
    }
    return 0;
}

/* At most this many valid names are listed per kind. */
#define PLAN_NAMES_SHOWN 40

/* Prints "valid KIND: a, b, c" when some problem named an unknown KIND. */
static void plan_valid_names(const char *kind, const char *const *names,
                             size_t count, int seen)
{
    char line[2048];
    size_t used;

    if (!seen)
        return;
    used = (size_t)snprintf(line, sizeof(line), "valid %s:", kind);
    for (size_t i = 0; i < count && i < PLAN_NAMES_SHOWN; i++)
        if (used < sizeof(line))
            used += (size_t)snprintf(line + used, sizeof(line) - used,
                                     "%s '%s'", i ? "," : "", names[i]);
    if (count > PLAN_NAMES_SHOWN && used < sizeof(line))
        snprintf(line + used, sizeof(line) - used, " and %zu more",
                 count - PLAN_NAMES_SHOWN);
    if (count > 0)
        cli_hint("%s", line);
    else
        cli_hint("the org has no %s", kind);
}

int cli_plan_check_names(const gcp_plan *plan, const gcp_snapshot *snap,
                         const gcp_roster *roster, const char *path,
                         int skip_invalid)
{
    size_t invalid = 0;
    int roles = 0, divisions = 0, licenses = 0;

    for (size_t i = 0; i < gcp_plan_person_count(plan); i++) {
        gcp_plan_person p;

        if (gcp_plan_person_get(&p, plan, i) != 0 ||
            p.outcome != GCP_PLAN_INVALID)
            continue;
        invalid++;
        if (p.problem != NULL) {
            roles |= strstr(p.problem, "unknown role") != NULL;
            divisions |= strstr(p.problem, "unknown division") != NULL;
            licenses |= strstr(p.problem, "unknown license") != NULL;
        }
        if (skip_invalid)
            cli_warn("%s:%u: person '%s' skipped: %s", path,
                     plan_line_of(roster, p.key), p.key,
                     p.problem != NULL ? p.problem : "unknown name");
        else
            cli_error(CLI_EXIT_USAGE, "%s:%u: person '%s': %s", path,
                      plan_line_of(roster, p.key), p.key,
                      p.problem != NULL ? p.problem : "unknown name");
    }
    plan_valid_names("roles", snap->role_names, snap->role_count, roles);
    plan_valid_names("divisions", snap->division_names, snap->division_count,
                     divisions);
    plan_valid_names("licenses", snap->license_ids, snap->license_count,
                     licenses);
    if (invalid == 0 || skip_invalid)
        return 0;
    return cli_error(CLI_EXIT_USAGE,
                     "%s: %zu %s the org does not know; nothing was sent "
                     "(--skip-invalid provisions the others)",
                     path, invalid,
                     invalid == 1 ? "person names something"
                                  : "people name something");
}

int cli_plan_connect(gcp_client **out, struct sbx **out_sandbox,
                     const struct cli_plan_opts *plan,
                     const struct cli_connect *conn)
{
    *out_sandbox = NULL;
    if (plan->sandbox)
        return cli_embedded_open(out_sandbox, out, conn->rate_limit);
    return cli_connect_open(out, conn);
}

/* What the run did, as docs/json.md says: a new reference, or NULL. */
static json_t *plan_applied(const gcp_apply_result *r)
{
    return json_pack("{s:I, s:I, s:I, s:I, s:I, s:s, s:f, s:f, s:f}", "run",
                     (json_int_t)r->run, "requests", (json_int_t)r->sent,
                     "done", (json_int_t)r->done, "failed",
                     (json_int_t)r->failed, "skipped", (json_int_t)r->skipped,
                     "outcome", gcp_apply_outcome_name(r->outcome), "seconds",
                     r->seconds, "journalSeconds", r->journal_seconds,
                     "journalWaitSeconds", r->journal_wait_seconds);
}

char *cli_plan_json(const gcp_plan *plan, int sandbox,
                    const gcp_apply_result *applied)
{
    char *text = gcp_plan_to_json(plan, 1);
    json_t *doc = text != NULL ? json_loads(text, 0, NULL) : NULL;
    int failed;

    free(text);
    text = NULL;
    if (doc == NULL)
        return NULL;
    /* set_new steals the value, also on failure. */
    failed = json_object_set_new(doc, "sandbox", json_boolean(sandbox)) != 0 ||
             (applied != NULL &&
              json_object_set_new(doc, "applied", plan_applied(applied)) != 0);
    if (!failed)
        text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    return text;
}

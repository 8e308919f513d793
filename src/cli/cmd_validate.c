/*
 * cmd_validate.c: `gcprov validate ROSTER...` reads and validates rosters
 * offline: every diagnostic on stderr, a summary per file, or with --json
 * one report on stdout. Exits 0 when every roster is valid (or usable,
 * with --skip-invalid), 2 when one is not, 5 when one cannot be read.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "exit.h"
#include "msg.h"
#include "roster_opts.h"

struct validate_settings {
    struct cli_roster_opts roster;
    int people; /* --people: list the people in the JSON report */
};

static const struct cli_opt validate_opts[] = {
    {"people", 0, CLI_FLAG, offsetof(struct validate_settings, people), NULL,
     "with --json, list the people read as well"},
    CLI_OPT_END,
};

static const struct cli_opt_group validate_groups[] = {
    CLI_ROSTER_GROUP(struct validate_settings, roster),
    CLI_GROUP_END,
};

/* Sets `key` to a string, or null for NULL; `o` takes the new value. */
static void set_string(json_t *o, const char *key, const char *value)
{
    json_object_set_new(o, key, value ? json_string(value) : json_null());
}

static json_t *diag_json(const gcp_roster_diagnostic *d)
{
    json_t *o = json_object(); /* new reference, returned */

    json_object_set_new(o, "line", json_integer(d->line));
    json_object_set_new(o, "column", json_integer(d->column));
    set_string(o, "severity",
               d->severity == GCP_ROSTER_ERROR ? "error" : "warning");
    set_string(o, "field", d->field);
    set_string(o, "value", d->value);
    set_string(o, "message", d->message);
    return o;
}

static json_t *strings_json(const char *const *items, size_t count)
{
    json_t *a = json_array(); /* new reference, returned */

    for (size_t i = 0; i < count; i++)
        json_array_append_new(a, json_string(items[i]));
    return a;
}

static json_t *person_json(const gcp_person *p)
{
    json_t *o = json_object(); /* new reference, returned */
    json_t *roles = json_array();

    set_string(o, "key", p->key);
    set_string(o, "employeeId", p->employee_id);
    set_string(o, "name", p->name);
    set_string(o, "email", p->email);
    set_string(o, "department", p->department);
    set_string(o, "title", p->title);
    set_string(o, "phoneWork", p->phone_work);
    set_string(o, "extension", p->extension);
    set_string(o, "managerEmail", p->manager_email);
    set_string(o, "division", p->division);
    for (size_t i = 0; i < p->role_count; i++) {
        json_t *r = json_object();

        set_string(r, "role", p->roles[i].role);
        set_string(r, "division", p->roles[i].division);
        json_array_append_new(roles, r);
    }
    json_object_set_new(o, "roles", roles);
    json_object_set_new(o, "licenses",
                        strings_json(p->licenses, p->license_count));
    set_string(o, "state",
               p->state == GCP_PERSON_INACTIVE ? "inactive" : "active");
    json_object_set_new(o, "line", json_integer(p->line));
    return o;
}

static json_t *file_json(const gcp_roster *r, int people)
{
    json_t *o = json_object(); /* new reference, returned */
    json_t *diags = json_array();
    size_t errors, warnings;

    gcp_roster_diag_totals(r, &errors, &warnings);
    json_object_set_new(o, "valid", json_boolean(gcp_roster_is_valid(r)));
    json_object_set_new(o, "usable", json_boolean(gcp_roster_is_usable(r)));
    json_object_set_new(o, "rows",
                        json_integer((json_int_t)gcp_roster_row_count(r)));
    json_object_set_new(o, "people",
                        json_integer((json_int_t)gcp_roster_count(r)));
    json_object_set_new(o, "errors", json_integer((json_int_t)errors));
    json_object_set_new(o, "warnings", json_integer((json_int_t)warnings));
    for (size_t i = 0; i < gcp_roster_diag_count(r); i++)
        json_array_append_new(diags, diag_json(gcp_roster_diag(r, i)));
    json_object_set_new(o, "diagnostics", diags);
    if (people) {
        json_t *list = json_array();

        for (size_t i = 0; i < gcp_roster_count(r); i++)
            json_array_append_new(list, person_json(gcp_roster_person(r, i)));
        json_object_set_new(o, "records", list);
    }
    return o;
}

static void print_summary(const char *path, const gcp_roster *r)
{
    size_t errors, warnings;

    gcp_roster_diag_totals(r, &errors, &warnings);
    cli_info("%s: %zu row%s, %zu people valid, %zu error%s, %zu warning%s%s",
             path, gcp_roster_row_count(r),
             gcp_roster_row_count(r) == 1 ? "" : "s", gcp_roster_count(r),
             errors, errors == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s",
             gcp_roster_is_valid(r) ? "" : ": invalid");
}

/* Validates one file; returns its exit status. */
static int validate_one(const struct cli_common *common, const char *path,
                        const struct cli_roster_setup *setup, int people,
                        json_t *report)
{
    gcp_roster *r = NULL;
    int rc = gcp_roster_read(&r, path, &setup->opts);
    int status;

    if (rc != 0) {
        status = cli_error(cli_exit_from_error(rc), "%s",
                           r ? gcp_roster_error(r) : "out of memory");
        goto cleanup;
    }
    status = gcp_roster_is_valid(r) ||
                     (setup->opts.skip_invalid && gcp_roster_is_usable(r))
                 ? CLI_EXIT_OK
                 : CLI_EXIT_USAGE;
    if (common->json) {
        json_t *f = file_json(r, people);

        set_string(f, "file", path);
        json_array_append_new(report, f);
    } else {
        cli_roster_print_diags(r);
        print_summary(path, r);
    }

cleanup:
    gcp_roster_free(r);
    return status;
}

static int print_report(json_t *files, int status)
{
    json_t *doc = json_object(); /* new reference, released here */

    json_object_set_new(doc, "valid", json_boolean(status == CLI_EXIT_OK));
    json_object_set(doc, "files", files); /* borrowed: caller releases */
    if (json_dumpf(doc, stdout, JSON_INDENT(2)) != 0 ||
        fputc('\n', stdout) == EOF)
        status = cli_error(CLI_EXIT_LOCAL, "could not write the report");
    json_decref(doc);
    return status;
}

static int run_validate(const struct cli_common *common, void *settings,
                        int argc, char **argv)
{
    struct validate_settings *s = settings;
    struct cli_roster_setup setup;
    json_t *files = json_array(); /* new reference, released below */
    int status = CLI_EXIT_OK;

    memset(&setup, 0, sizeof(setup));
    if (argc < 1) {
        status = cli_usage_error(&cli_cmd_validate,
                                 "validate needs a roster file ('-' reads "
                                 "standard input)");
        goto cleanup;
    }
    if ((status = cli_roster_setup(&cli_cmd_validate, &s->roster, &setup)))
        goto cleanup;
    for (int i = 0; i < argc; i++) {
        int one = validate_one(common, argv[i], &setup, s->people, files);

        if (one > status)
            status = one;
    }
    if (common->json)
        status = print_report(files, status);

cleanup:
    cli_roster_setup_release(&setup);
    json_decref(files);
    return status;
}

const struct cli_command cli_cmd_validate = {
    .name = "validate",
    .operands = "ROSTER...",
    .summary = "check rosters offline and report every problem",
    .details = "Reads each roster (CSV, JSON or JSON Lines; '-' is standard\n"
               "input) and prints every problem as file:line:column. Exits 0\n"
               "when all are valid, 2 when one is not, 5 when one cannot be\n"
               "read. docs/roster.md describes the format.",
    .opts = validate_opts,
    .groups = validate_groups,
    .settings_size = sizeof(struct validate_settings),
    .json_output = 1,
    .run = run_validate,
};

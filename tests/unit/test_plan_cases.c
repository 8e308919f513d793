/*
 * test_plan_cases.c: table-driven plans. Each folder under tests/plan/
 * holds a case: roster.json (people, as in test_plan_fixture.h),
 * snapshot.json (the tenant), options.json (optional: keyAuthority,
 * releaseLicenses, strictSeats, seats {license: n}, pending [keys]),
 * expected.json (the plan with details), expected.txt (the same as
 * text) and, optionally, requests.json
 * (every request the plan turns into: method, path, userKey, body). A
 * case that differs prints what it got.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "batch.h"
#include "test_plan_fixture.h"

struct case_opts {
    gcp_plan_options plan;
    gcp_seat_budget budgets[16];
    const char *pending[64];
};

static json_t *case_file(const char *dir, const char *name, int required)
{
    char path[1024];
    json_error_t jerr;
    json_t *doc;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    doc = json_load_file(path, 0, &jerr);
    if (doc == NULL && required) {
        print_error("%s: %s (line %d)\n", path, jerr.text, jerr.line);
        fail();
    }
    return doc;
}

/* Fills the plan options from options.json (borrowed, may be NULL). */
static void case_options(struct case_opts *o, const json_t *doc)
{
    const json_t *seats = json_object_get(doc, "seats");
    const json_t *pending = json_object_get(doc, "pending");
    const char *license;
    json_t *v;
    size_t i;

    o->plan = (gcp_plan_options)GCP_PLAN_OPTIONS_INIT;
    o->plan.key_authority =
        json_string_value(json_object_get(doc, "keyAuthority"));
    o->plan.release_licenses =
        json_is_true(json_object_get(doc, "releaseLicenses"));
    o->plan.strict_seats = json_is_true(json_object_get(doc, "strictSeats"));
    json_object_foreach((json_t *)seats, license, v)
    {
        o->budgets[o->plan.budget_count].license_id = license;
        o->budgets[o->plan.budget_count++].seats =
            (unsigned long)json_integer_value(v);
    }
    json_array_foreach(pending, i, v) o->pending[i] = json_string_value(v);
    o->plan.budgets = o->budgets;
    o->plan.pending_first = o->pending;
    o->plan.pending_count = json_array_size(pending);
}

/* The batch as data: [{method, path, body}] in order. */
static json_t *case_requests(gcp_plan *plan)
{
    struct gcp_batch *batch = NULL;
    json_t *list = json_array();

    assert_int_equal(gcp_batch__build(&batch, plan, NULL), 0);
    for (size_t i = 0; i < batch->count; i++) {
        const struct gcp_batch_request *r = &batch->requests[i];

        json_array_append_new(list,
                              json_pack("{s:s, s:s, s:s*, s:O?}", "method",
                                        r->method, "path", r->path, "userKey",
                                        r->user_key, "body", r->body));
    }
    gcp_batch__free(batch);
    return list;
}

/*
 * Compares; with GCPROV_BLESS=1 in the environment, writes what it got
 * instead, for a person to review before committing.
 */
static int case_compare(const char *dir, const char *name, json_t *want,
                        json_t *got)
{
    char path[1280];
    char *text;

    if (json_equal(want, got))
        return 0;
    if (getenv("GCPROV_BLESS") != NULL) {
        snprintf(path, sizeof(path), "%s/%s", dir, name);
        return json_dump_file(got, path,
                              JSON_INDENT(2) | JSON_PRESERVE_ORDER) != 0;
    }
    text = json_dumps(got, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    print_error("case %s: %s differs; got:\n%s\n", dir, name, text);
    free(text);
    return 1;
}

/* Compares the text rendering with expected.txt; blesses like JSON. */
static int case_text(const char *dir, const gcp_plan *plan)
{
    char path[1280], want[65536];
    char *got = gcp_plan_to_text(plan, 1);
    size_t n = 0;
    FILE *f;
    int fails;

    assert_non_null(got);
    snprintf(path, sizeof(path), "%s/expected.txt", dir);
    if ((f = fopen(path, "r")) != NULL) {
        n = fread(want, 1, sizeof(want) - 1, f);
        fclose(f);
    }
    want[n] = '\0';
    fails = strcmp(want, got) != 0;
    if (fails && getenv("GCPROV_BLESS") != NULL && (f = fopen(path, "w"))) {
        fputs(got, f);
        fails = fclose(f) != 0;
    } else if (fails) {
        print_error("case %s: expected.txt differs; got:\n%s", dir, got);
    }
    free(got);
    return fails;
}

static int case_run(const char *dir)
{
    struct fx fx = {0};
    struct case_opts o;
    json_t *snapshot = case_file(dir, "snapshot.json", 1);
    json_t *options = case_file(dir, "options.json", 0);
    json_t *expected = case_file(dir, "expected.json", 1);
    json_t *requests = case_file(dir, "requests.json", 0);
    gcp_plan *plan;
    json_t *got;
    int fails;

    assert_int_equal(fx_snapshot_json(&fx, snapshot), 0);
    fx_people_json(&fx, case_file(dir, "roster.json", 1));
    case_options(&o, options);
    plan = fx_plan(&fx, &o.plan);
    got = gcp_plan__to_json_value(plan, 1);
    fails = case_compare(dir, "expected.json", expected, got);
    json_decref(got);
    fails += case_text(dir, plan);
    if (requests != NULL) {
        got = case_requests(plan);
        fails += case_compare(dir, "requests.json", requests, got);
        json_decref(got);
    }
    gcp_plan_free(plan);
    fx_free(&fx);
    json_decref(snapshot);
    json_decref(options);
    json_decref(expected);
    json_decref(requests);
    return fails;
}

static void every_case_under_tests_plan_plans_as_expected(void **state)
{
    int cases = 0;
    int fails = fx_each_case(case_run, &cases);

    assert_true(cases >= 4);
    assert_int_equal(fails, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_case_under_tests_plan_plans_as_expected),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

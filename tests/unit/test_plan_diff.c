/*
 * test_plan_diff.c: what changes for a person: fields, manager, the
 * grants and licenses they lack (never a removal), unknown names, and the
 * licenses leavers give back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_plan_fixture.h"

/* Returns the plan's JSON with details as a parsed document. */
static json_t *plan_doc(gcp_plan *plan)
{
    char *text = gcp_plan_to_json(plan, 1);
    json_t *doc = json_loads(text, 0, NULL);

    free(text);
    assert_non_null(doc);
    return doc;
}

/* Returns person `i` of a plan document, borrowed. */
static json_t *doc_person(json_t *doc, size_t i)
{
    return json_array_get(json_object_get(doc, "people"), i);
}

/* Asserts that member `field` of `obj` equals the JSON `expected`. */
static void assert_member(json_t *obj, const char *field, const char *expected)
{
    json_t *want = fx_parse(expected);
    json_t *got = json_object_get(obj, field);

    assert_non_null(want);
    if (got == NULL && json_is_null(want))
        got = want; /* absent stands for null */
    if (!json_equal(got, want)) {
        char *text = json_dumps(obj, JSON_COMPACT);

        print_error("%s: want %s in %s\n", field, expected, text);
        free(text);
        fail();
    }
    json_decref(want);
}

#define ANN_USER(extra)                                                        \
    FX_ORG("{'id': 'u1', 'email': 'ann@example.com', 'name': 'Ann',"           \
           " 'department': 'Sales', 'title': 'Agent', 'version': 3,"           \
           " 'externalIds': [{'authorityName': 'gcprov', 'externalKey':"       \
           " 'E1'}]" extra "}")

static void changed_fields_are_patched_and_empty_ones_left(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    json_t *doc;

    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'Ann Lee', 'email':"
            " 'ann@example.com', 'title': 'Agent', 'phone_work': '+1555'}]",
            ANN_USER(""));
    plan = fx_plan(&fx, NULL);
    doc = plan_doc(plan);
    assert_member(doc_person(doc, 0), "outcome", "'update'");
    assert_member(doc_person(doc, 0), "fields", "['name', 'phone']");
    json_decref(doc);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void only_missing_grants_and_licenses_are_added(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    json_t *doc;

    /* Ann holds Agent at home and an unlisted role: the roster asks for
     * Agent at home and in EMEA, and cx3 and comm. */
    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'Ann', 'email':"
            " 'ann@example.com', 'roles': ['Agent', {'role': 'agent',"
            " 'division': 'emea'}], 'licenses': ['cx3', 'comm']}]",
            ANN_USER(", 'grants': [{'roleId': 'r-agent', 'divisionId':"
                     " 'd-home'}, {'roleId': 'r-emp', 'divisionId': 'd-emea'}],"
                     " 'licenses': ['cx3']"));
    plan = fx_plan(&fx, NULL);
    doc = plan_doc(plan);
    assert_member(doc_person(doc, 0), "grants",
                  "[{'role': 'Agent', 'division': 'EMEA'}]");
    assert_member(doc_person(doc, 0), "licenses", "['comm']");
    assert_member(doc_person(doc, 0), "releases", "null");
    json_decref(doc);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_converged_person_is_unchanged_whatever_else_they_hold(void **s)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p;

    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'Ann', 'email': 'ann@example.com',"
            " 'department': 'Sales', 'roles': ['Agent']}]",
            ANN_USER(", 'grants': [{'roleId': 'r-agent', 'divisionId':"
                     " 'd-home'}, {'roleId': 'r-sup', 'divisionId': 'd-home'}],"
                     " 'licenses': ['comm']"));
    plan = fx_plan(&fx, NULL);
    gcp_plan_person_get(&p, plan, 0);
    assert_int_equal(p.outcome, GCP_PLAN_UNCHANGED);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void every_unknown_name_is_reported_and_nothing_done(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p;
    gcp_plan_counts c;

    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'Ann', 'email': 'a@x',"
            " 'division': 'Mars', 'roles': ['Agent', 'Pilot',"
            " {'role': 'Agent', 'division': 'Venus'}],"
            " 'licenses': ['cx9'], 'manager_email': 'ghost@x'}]",
            FX_ORG(""));
    plan = fx_plan(&fx, NULL);
    gcp_plan_person_get(&p, plan, 0);
    assert_int_equal(p.outcome, GCP_PLAN_INVALID);
    assert_non_null(strstr(p.problem, "unknown division 'Mars'"));
    assert_non_null(strstr(p.problem, "unknown role 'Pilot'"));
    assert_non_null(strstr(p.problem, "unknown division 'Venus'"));
    assert_non_null(strstr(p.problem, "unknown license 'cx9'"));
    assert_non_null(strstr(p.problem, "unknown manager 'ghost@x'"));
    gcp_plan_counts_get(&c, plan);
    assert_int_equal(c.invalid, 1);
    assert_int_equal(c.grants + c.licenses + c.create, 0);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_manager_resolves_to_a_user_or_a_joiner(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    json_t *doc;

    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'Ann', 'email': 'ann@example.com',"
            "  'manager_email': 'BOSS@x'},"
            " {'employee_id': 'E2', 'name': 'Bob', 'email': 'bob@x',"
            "  'manager_email': 'new@x'},"
            " {'employee_id': 'E3', 'name': 'New', 'email': 'new@x'}]",
            ANN_USER(", 'manager': {'id': 'u-old'}},"
                     "{'id': 'u-boss', 'email': 'boss@x', 'name': 'Boss'"));
    plan = fx_plan(&fx, NULL);
    doc = plan_doc(plan);
    assert_member(doc_person(doc, 0), "manager", "{'userId': 'u-boss'}");
    assert_member(doc_person(doc, 1), "manager", "{'key': 'E3'}");
    assert_member(doc_person(doc, 1), "fields", "['manager']");
    assert_member(doc_person(doc, 2), "manager", "null");
    json_decref(doc);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_joiner_goes_to_the_named_division(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    json_t *doc;

    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'A', 'email': 'a@x',"
            "  'division': 'EMEA'},"
            " {'employee_id': 'E2', 'name': 'B', 'email': 'b@x'}]",
            FX_ORG(""));
    plan = fx_plan(&fx, NULL);
    doc = plan_doc(plan);
    assert_member(doc_person(doc, 0), "divisionId", "'d-emea'");
    assert_member(doc_person(doc, 1), "divisionId", "'d-home'");
    assert_member(doc_person(doc, 1), "steps", "['create', 'externalId']");
    json_decref(doc);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void released_leavers_give_back_only_explicit_licenses(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    json_t *doc;

    opts.release_licenses = 1;
    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'Ann', 'email':"
            " 'ann@example.com', 'state': 'inactive'}]",
            ANN_USER(", 'grants': [{'roleId': 'r-agent', 'divisionId':"
                     " 'd-home'}], 'licenses': ['cx3', 'wem', 'comm']"));
    plan = fx_plan(&fx, &opts);
    doc = plan_doc(plan);
    assert_member(doc_person(doc, 0), "outcome", "'deactivate'");
    assert_member(doc_person(doc, 0), "releases", "['comm', 'wem']");
    assert_member(doc_person(doc, 0), "grants", "null");
    json_decref(doc);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void the_summary_leaves_people_out(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    char *text;
    json_t *doc;

    fx_load(&fx, "[{'employee_id': 'E1', 'name': 'A', 'email': 'a@x'}]",
            FX_ORG(""));
    plan = fx_plan(&fx, NULL);
    text = gcp_plan_to_json(plan, 0);
    doc = json_loads(text, 0, NULL);
    assert_null(json_object_get(doc, "people"));
    assert_member(doc, "refused", "false");
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(doc, "counts"), "create")),
                     1);
    assert_null(gcp_plan_to_json(NULL, 1));
    json_decref(doc);
    free(text);
    gcp_plan_free(plan);
    fx_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(changed_fields_are_patched_and_empty_ones_left),
        cmocka_unit_test(only_missing_grants_and_licenses_are_added),
        cmocka_unit_test(
            a_converged_person_is_unchanged_whatever_else_they_hold),
        cmocka_unit_test(every_unknown_name_is_reported_and_nothing_done),
        cmocka_unit_test(a_manager_resolves_to_a_user_or_a_joiner),
        cmocka_unit_test(a_joiner_goes_to_the_named_division),
        cmocka_unit_test(released_leavers_give_back_only_explicit_licenses),
        cmocka_unit_test(the_summary_leaves_people_out),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

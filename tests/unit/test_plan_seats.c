/*
 * test_plan_seats.c: seat budgets: who is held back and why, what of
 * theirs waits (only what takes a seat), pending people first, seats
 * freed by leavers, strict refusal.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_plan_fixture.h"

/* Three joiners asking for cx3 through the Agent role, one explicitly. */
#define JOINERS                                                                \
    "[{'employee_id': 'E1', 'name': 'A', 'email': 'a@x', 'roles': ['Agent']}," \
    " {'employee_id': 'E2', 'name': 'B', 'email': 'b@x', 'licenses': "         \
    "['cx3']},"                                                                \
    " {'employee_id': 'E3', 'name': 'C', 'email': 'c@x', 'roles': ['Agent']}]"

/* One user already on cx3 through a role, one leaver holding cx3 by hand. */
#define HOLDERS                                                                \
    FX_ORG("{'id': 'u1', 'email': 'old@x', 'grants': [{'roleId': 'r-agent',"   \
           " 'divisionId': 'd-home'}]},"                                       \
           "{'id': 'u2', 'email': 'gone@x', 'licenses': ['cx3'],"              \
           " 'externalIds': [{'authorityName': 'gcprov', 'externalKey': "      \
           "'E9'}]}")

static gcp_plan_outcome outcome_of(gcp_plan *plan, size_t i)
{
    gcp_plan_person p;

    assert_int_equal(gcp_plan_person_get(&p, plan, i), 0);
    return p.outcome;
}

static void people_past_the_budget_are_held_with_the_reason(void **state)
{
    struct fx fx = {0};
    gcp_seat_budget budget = {"cx3", 3};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *plan;
    gcp_plan_person p;
    gcp_plan_counts c;

    opts.budgets = &budget;
    opts.budget_count = 1;
    fx_load(&fx, JOINERS, HOLDERS); /* 2 in use, room for 1 */
    plan = fx_plan(&fx, &opts);
    gcp_plan_person_get(&p, plan, 0);
    assert_int_equal(p.outcome, GCP_PLAN_CREATE);
    assert_null(p.held_license);
    gcp_plan_person_get(&p, plan, 1);
    assert_string_equal(p.held_license, "cx3");
    assert_int_equal(p.license_count, 0); /* waits */
    gcp_plan_person_get(&p, plan, 2);
    assert_string_equal(p.held_license, "cx3");
    assert_int_equal(p.held_budget, 3);
    assert_int_equal(p.held_in_use, 3);
    assert_int_equal(p.grant_count, 0); /* Agent carries cx3: waits */
    assert_non_null(strstr(p.problem, "'cx3'"));
    gcp_plan_counts_get(&c, plan);
    assert_int_equal(c.held, 2);
    assert_int_equal(c.create, 3); /* the held are created all the same */
    assert_int_equal(c.grants, 1);
    assert_int_equal(c.licenses, 0);
    assert_false(gcp_plan_refused(plan));
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void pending_people_take_seats_first(void **state)
{
    struct fx fx = {0};
    gcp_seat_budget budget = {"cx3", 3};
    const char *pending[] = {"E3", "E-not-in-roster"};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *plan;
    gcp_plan_person p;

    opts.budgets = &budget;
    opts.budget_count = 1;
    opts.pending_first = pending;
    opts.pending_count = 2;
    fx_load(&fx, JOINERS, HOLDERS);
    plan = fx_plan(&fx, &opts);
    gcp_plan_person_get(&p, plan, 0);
    assert_string_equal(p.held_license, "cx3");
    gcp_plan_person_get(&p, plan, 2);
    assert_null(p.held_license);
    assert_int_equal(p.grant_count, 1);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void released_seats_go_to_joiners_in_the_same_run(void **state)
{
    struct fx fx = {0};
    gcp_seat_budget budget = {"cx3", 3};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *plan;
    gcp_plan_counts c;
    json_t *roster;

    opts.budgets = &budget;
    opts.budget_count = 1;
    opts.release_licenses = 1;
    fx_load(&fx, JOINERS, HOLDERS);
    /* Add the leaver E9 (u2) to the roster. */
    roster = fx_parse(
        "[{'employee_id': 'E1', 'name': 'A', 'email': 'a@x', 'roles':"
        " ['Agent']}, {'employee_id': 'E2', 'name': 'B', 'email': 'b@x',"
        " 'licenses': ['cx3']}, {'employee_id': 'E3', 'name': 'C', 'email':"
        " 'c@x', 'roles': ['Agent']}, {'employee_id': 'E9', 'email': 'gone@x',"
        " 'state': 'inactive'}]");
    json_decref(fx.roster);
    free(fx.people);
    free(fx.ptrs);
    fx_people_json(&fx, roster);
    plan = fx_plan(&fx, &opts);
    gcp_plan_counts_get(&c, plan);
    assert_int_equal(c.deactivate, 1);
    assert_int_equal(c.releases, 1);
    assert_int_equal(c.create, 3); /* 2 in use - 1 freed + 2 = 3 */
    assert_int_equal(c.grants + c.licenses, 2);
    assert_int_equal(c.held, 1);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void strict_seats_refuse_the_whole_plan(void **state)
{
    struct fx fx = {0};
    gcp_seat_budget budget = {"cx3", 2};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *plan;
    char *json;

    opts.budgets = &budget;
    opts.budget_count = 1;
    opts.strict_seats = 1;
    fx_load(&fx, JOINERS, HOLDERS);
    plan = fx_plan(&fx, &opts);
    assert_true(gcp_plan_refused(plan));
    json = gcp_plan_to_json(plan, 0);
    assert_non_null(strstr(json, "\"refused\": true"));
    free(json);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void an_add_on_carried_by_a_role_counts_against_its_budget(void **s)
{
    struct fx fx = {0};
    gcp_seat_budget budgets[] = {{"cx3", 100}, {"wem", 0}};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *plan;
    gcp_plan_person p;

    opts.budgets = budgets;
    opts.budget_count = 2;
    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'A', 'email': 'a@x',"
            " 'roles': ['Supervisor']}]",
            FX_ORG(""));
    plan = fx_plan(&fx, &opts);
    gcp_plan_person_get(&p, plan, 0);
    assert_int_equal(p.outcome, GCP_PLAN_CREATE);
    assert_string_equal(p.held_license, "wem");
    assert_int_equal(p.held_budget, 0);
    assert_int_equal(p.grant_count, 0);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void licenses_without_a_budget_are_not_limited(void **state)
{
    struct fx fx = {0};
    gcp_seat_budget budget = {"comm", 0};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *plan;
    gcp_plan_counts c;

    opts.budgets = &budget;
    opts.budget_count = 1;
    fx_load(&fx, JOINERS, HOLDERS);
    plan = fx_plan(&fx, &opts);
    gcp_plan_counts_get(&c, plan);
    assert_int_equal(c.held, 0);
    assert_int_equal(c.create, 3);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_person_who_needs_no_new_seat_is_never_held(void **state)
{
    struct fx fx = {0};
    gcp_seat_budget budget = {"cx3", 0};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *plan;

    opts.budgets = &budget;
    opts.budget_count = 1;
    /* u1 holds cx3 through Agent; E7 adds Agent in EMEA: same license. */
    fx_load(&fx,
            "[{'employee_id': 'E7', 'name': 'O', 'email': 'old@x',"
            " 'roles': [{'role': 'Agent', 'division': 'EMEA'}]}]",
            FX_ORG("{'id': 'u1', 'email': 'old@x', 'name': 'O',"
                   " 'externalIds': [], 'grants': [{'roleId': 'r-agent',"
                   " 'divisionId': 'd-home'}]}"));
    plan = fx_plan(&fx, &opts);
    assert_int_equal(outcome_of(plan, 0), GCP_PLAN_ADOPT);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void grants_of_roles_without_a_license_do_not_wait(void **state)
{
    struct fx fx = {0};
    gcp_seat_budget budget = {"cx3", 0};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *plan;
    gcp_plan_person p;
    json_t *doc, *person;
    char *json;

    opts.budgets = &budget;
    opts.budget_count = 1;
    /* An existing user, adopted and retitled; Employee carries nothing. */
    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'O', 'email': 'old@x',"
            " 'title': 'Lead', 'roles': ['Agent', 'Employee']}]",
            FX_ORG("{'id': 'u1', 'email': 'old@x', 'name': 'O',"
                   " 'externalIds': []}"));
    plan = fx_plan(&fx, &opts);
    gcp_plan_person_get(&p, plan, 0);
    assert_int_equal(p.outcome, GCP_PLAN_ADOPT);
    assert_string_equal(p.held_license, "cx3");
    assert_int_equal(p.field_count, 1);
    assert_int_equal(p.grant_count, 1);
    json = gcp_plan_to_json(plan, 1);
    doc = json_loads(json, 0, NULL);
    person = json_array_get(json_object_get(doc, "people"), 0);
    assert_string_equal(
        fx_get(json_array_get(json_object_get(person, "grants"), 0), "role"),
        "Employee");
    assert_string_equal(
        fx_get(
            json_array_get(
                json_object_get(json_object_get(person, "held"), "grants"), 0),
            "role"),
        "Agent");
    json_decref(doc);
    free(json);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_held_person_with_nothing_else_to_do_is_held(void **state)
{
    struct fx fx = {0};
    gcp_seat_budget budget = {"cx3", 1};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *plan;
    gcp_plan_counts c;
    char *text;

    opts.budgets = &budget;
    opts.budget_count = 1;
    /* u1 takes the one cx3 seat; E9 exists and only lacks cx3. */
    fx_load(&fx,
            "[{'employee_id': 'E9', 'name': 'G', 'email': 'g@x',"
            " 'licenses': ['cx3']}]",
            FX_ORG("{'id': 'u1', 'email': 'old@x', 'licenses': ['cx3']},"
                   "{'id': 'u9', 'email': 'g@x', 'name': 'G',"
                   " 'externalIds': [{'authorityName': 'gcprov',"
                   " 'externalKey': 'E9'}]}"));
    plan = fx_plan(&fx, &opts);
    assert_int_equal(outcome_of(plan, 0), GCP_PLAN_HELD);
    gcp_plan_counts_get(&c, plan);
    assert_int_equal(c.held, 1);
    assert_int_equal(c.people, 1);
    text = gcp_plan_to_text(plan, 1);
    assert_non_null(strstr(text, "E9 held: license 'cx3' has 1 of 1"));
    assert_non_null(strstr(text, "E9 held license 'cx3'\n"));
    free(text);
    gcp_plan_free(plan);
    fx_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(people_past_the_budget_are_held_with_the_reason),
        cmocka_unit_test(pending_people_take_seats_first),
        cmocka_unit_test(released_seats_go_to_joiners_in_the_same_run),
        cmocka_unit_test(strict_seats_refuse_the_whole_plan),
        cmocka_unit_test(an_add_on_carried_by_a_role_counts_against_its_budget),
        cmocka_unit_test(licenses_without_a_budget_are_not_limited),
        cmocka_unit_test(a_person_who_needs_no_new_seat_is_never_held),
        cmocka_unit_test(grants_of_roles_without_a_license_do_not_wait),
        cmocka_unit_test(a_held_person_with_nothing_else_to_do_is_held),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_plan_match.c: who each person is in the tenant and what happens to
 * their account: create, adopt, restore, update, deactivate, conflict.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_plan_fixture.h"

/* Plans `roster` against FX_ORG(users) and returns person 0's details. */
static gcp_plan_person plan_one(struct fx *fx, gcp_plan **plan,
                                const char *roster, const char *org,
                                const gcp_plan_options *opts)
{
    gcp_plan_person p;

    fx_load(fx, roster, org);
    *plan = fx_plan(fx, opts);
    assert_int_equal(gcp_plan_person_get(&p, *plan, 0), 0);
    return p;
}

#define ANN_E1                                                                 \
    "[{'employee_id': 'E1', 'name': 'Ann', 'email': 'ann@example.com'}]"

static void a_person_nobody_holds_is_created(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p = plan_one(&fx, &plan, ANN_E1, FX_ORG(""), NULL);
    gcp_plan_counts c;

    assert_int_equal(p.outcome, GCP_PLAN_CREATE);
    assert_null(p.user_id);
    gcp_plan_counts_get(&c, plan);
    assert_int_equal(c.create, 1);
    assert_int_equal(c.people, 1);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_user_found_by_email_without_our_id_is_adopted(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p = plan_one(
        &fx, &plan, ANN_E1,
        FX_ORG(
            "{'id': 'u1', 'email': 'ANN@example.com', 'name': 'Ann',"
            " 'externalIds': [{'authorityName': 'hr', 'externalKey': 'x'}]}"),
        NULL);

    assert_int_equal(p.outcome, GCP_PLAN_ADOPT);
    assert_string_equal(p.user_id, "u1");
    assert_int_equal(p.field_count, 0);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void without_an_employee_id_a_match_is_not_adopted(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p = plan_one(
        &fx, &plan, "[{'name': 'Ann', 'email': 'ann@example.com'}]",
        FX_ORG("{'id': 'u1', 'email': 'ann@example.com', 'name': 'Ann',"
               " 'externalIds': []}"),
        NULL);

    assert_int_equal(p.outcome, GCP_PLAN_UNCHANGED);
    assert_string_equal(p.key, "ann@example.com");
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_deleted_user_holding_the_email_is_restored(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p = plan_one(
        &fx, &plan, ANN_E1,
        FX_ORG("{'id': 'u1', 'email': 'ann@example.com', 'name': 'Ann',"
               " 'state': 'deleted', 'externalIds': []}"),
        NULL);
    gcp_plan_counts c;

    assert_int_equal(p.outcome, GCP_PLAN_RESTORE);
    gcp_plan_counts_get(&c, plan);
    assert_int_equal(c.restore, 1);
    assert_int_equal(c.adopt, 1); /* the restored user gets our id too */
    assert_int_equal(c.create, 0);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void an_inactive_user_in_the_roster_is_restored(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p = plan_one(
        &fx, &plan, ANN_E1,
        FX_ORG("{'id': 'u1', 'email': 'ann@example.com', 'name': 'Ann',"
               " 'state': 'inactive', 'externalIds': "
               "[{'authorityName': 'gcprov', 'externalKey': 'E1'}]}"),
        NULL);

    assert_int_equal(p.outcome, GCP_PLAN_RESTORE);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void an_email_change_found_by_key_is_an_update(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p = plan_one(
        &fx, &plan, ANN_E1,
        FX_ORG("{'id': 'u1', 'email': 'ann.old@example.com', 'name': 'Ann',"
               " 'externalIds': [{'authorityName': 'gcprov',"
               " 'externalKey': 'E1'}]}"),
        NULL);
    char *json = gcp_plan_to_json(plan, 1);

    assert_int_equal(p.outcome, GCP_PLAN_UPDATE);
    assert_int_equal(p.field_count, 1);
    assert_non_null(strstr(json, "\"email\""));
    free(json);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_user_of_another_key_is_a_conflict_left_alone(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p = plan_one(
        &fx, &plan, ANN_E1,
        FX_ORG("{'id': 'u1', 'email': 'ann@example.com', 'name': 'Old',"
               " 'externalIds': [{'authorityName': 'gcprov',"
               " 'externalKey': 'E9'}]}"),
        NULL);

    assert_int_equal(p.outcome, GCP_PLAN_CONFLICT);
    assert_non_null(strstr(p.problem, "'E9'"));
    assert_int_equal(p.field_count, 0);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_user_carrying_several_of_our_keys_is_found_by_each(void **s)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p = plan_one(
        &fx, &plan,
        "[{'name': 'Ann', 'email': 'ann@example.com', 'employee_id': 'E1'},"
        " {'name': 'Bo', 'email': 'bo@example.com', 'employee_id': 'E7'}]",
        FX_ORG("{'id': 'u1', 'email': 'old@example.com', 'name': 'Ann',"
               " 'externalIds': [{'authorityName': 'gcprov', 'externalKey':"
               " 'E0'}, {'authorityName': 'gcprov', 'externalKey': 'E1'}]},"
               "{'id': 'u2', 'email': 'bo@example.com', 'name': 'Bo',"
               " 'externalIds': [{'authorityName': 'gcprov', 'externalKey':"
               " 'E7'}, {'authorityName': 'gcprov', 'externalKey': 'E8'}]}"),
        NULL);
    gcp_plan_person b;

    assert_int_equal(p.outcome, GCP_PLAN_UPDATE); /* found by key E1 */
    gcp_plan_person_get(&b, plan, 1);
    assert_int_equal(b.outcome, GCP_PLAN_UNCHANGED);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void another_authority_is_not_ours(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan_person p;

    opts.key_authority = "hr";
    p = plan_one(&fx, &plan, ANN_E1,
                 FX_ORG("{'id': 'u1', 'email': 'ann@example.com',"
                        " 'name': 'Ann', 'externalIds': [{'authorityName':"
                        " 'gcprov', 'externalKey': 'E9'}]}"),
                 &opts);
    assert_int_equal(p.outcome, GCP_PLAN_ADOPT);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void two_people_on_one_user_make_the_second_a_conflict(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person a, b;

    /* E2 owns u1 by key; E1 only shares its email: E1 is the conflict. */
    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'A', 'email': 'a@example.com'},"
            " {'employee_id': 'E2', 'name': 'A', 'email': 'b@example.com'}]",
            FX_ORG("{'id': 'u1', 'email': 'a@example.com', 'name': 'A',"
                   " 'externalIds': [{'authorityName': 'gcprov',"
                   " 'externalKey': 'E2'}]}"));
    plan = fx_plan(&fx, NULL);
    gcp_plan_person_get(&a, plan, 0);
    gcp_plan_person_get(&b, plan, 1);
    assert_string_equal(a.key, "E1");
    assert_int_equal(a.outcome, GCP_PLAN_CONFLICT);
    assert_int_equal(b.outcome, GCP_PLAN_UPDATE); /* email a -> b */
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void an_email_change_onto_a_taken_address_is_a_conflict(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p = plan_one(
        &fx, &plan, ANN_E1,
        FX_ORG("{'id': 'u1', 'email': 'old@example.com', 'name': 'Ann',"
               " 'externalIds': [{'authorityName': 'gcprov',"
               " 'externalKey': 'E1'}]},"
               "{'id': 'u2', 'email': 'ann@example.com', 'name': 'Other',"
               " 'state': 'deleted'}"),
        NULL);

    assert_int_equal(p.outcome, GCP_PLAN_CONFLICT);
    assert_non_null(strstr(p.problem, "'u2'"));
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void unread_external_ids_are_reported_not_guessed(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p = plan_one(
        &fx, &plan, ANN_E1,
        FX_ORG("{'id': 'u1', 'email': 'ann@example.com', 'name': 'Ann'}"),
        NULL);

    assert_int_equal(p.outcome, GCP_PLAN_INVALID);
    assert_non_null(strstr(p.problem, "external ids"));
    gcp_plan_free(plan);
    fx_free(&fx);
}

#define LEAVER                                                                 \
    "[{'employee_id': 'E1', 'name': 'Ann', 'email': 'ann@example.com',"        \
    "  'state': 'inactive'}]"
#define LEAVER_USER(state)                                                     \
    FX_ORG("{'id': 'u1', 'email': 'ann@example.com', 'name': 'Ann',"           \
           " 'state': '" state "', 'externalIds': [{'authorityName':"          \
           " 'gcprov', 'externalKey': 'E1'}], 'licenses': ['comm']}")

static void an_active_leaver_is_deactivated(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_person p =
        plan_one(&fx, &plan, LEAVER, LEAVER_USER("active"), NULL);

    assert_int_equal(p.outcome, GCP_PLAN_DEACTIVATE);
    assert_int_equal(p.release_count, 0); /* not asked to release */
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void leavers_already_gone_or_absent_are_unchanged(void **state)
{
    static const char *const orgs[] = {
        LEAVER_USER("inactive"),
        LEAVER_USER("deleted"),
        FX_ORG(""),
    };

    for (size_t i = 0; i < 3; i++) {
        struct fx fx = {0};
        gcp_plan *plan;
        gcp_plan_person p = plan_one(&fx, &plan, LEAVER, orgs[i], NULL);

        assert_int_equal(p.outcome, GCP_PLAN_UNCHANGED);
        gcp_plan_free(plan);
        fx_free(&fx);
    }
}

static void a_repeated_key_is_refused(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan = (gcp_plan *)1;

    fx_load(&fx,
            "[{'employee_id': 'E1', 'email': 'a@x'},"
            " {'employee_id': 'E1', 'email': 'b@x'}]",
            FX_ORG(""));
    assert_int_equal(gcp_plan_build(&plan, fx.ptrs, fx.count, fx.snap, NULL),
                     GCP_EINVALID);
    assert_null(plan);
    fx_free(&fx);
}

static void bad_arguments_are_refused(void **state)
{
    struct fx fx = {0};
    gcp_plan *plan;
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;

    fx_load(&fx, "[]", FX_ORG(""));
    opts.version = 99;
    assert_int_equal(gcp_plan_build(&plan, fx.ptrs, 0, fx.snap, &opts),
                     GCP_EINVALID);
    assert_int_equal(gcp_plan_build(&plan, fx.ptrs, 0, NULL, NULL),
                     GCP_EINVALID);
    assert_int_equal(gcp_plan_build(NULL, fx.ptrs, 0, fx.snap, NULL),
                     GCP_EINVALID);
    assert_int_equal(gcp_plan_build(&plan, fx.ptrs, 0, fx.snap, NULL), 0);
    assert_int_equal(gcp_plan_person_count(plan), 0);
    assert_int_equal(gcp_plan_person_get(&(gcp_plan_person){0}, plan, 0),
                     GCP_ENOTFOUND);
    gcp_plan_free(plan);
    gcp_plan_free(NULL);
    fx_free(&fx);
}

static void a_roster_read_from_csv_plans_like_people_built_by_hand(void **s)
{
    static const char csv[] =
        "employee_id,name,email,division,roles,licenses,state\n"
        "E1,Ann Lee,ann@example.com,EMEA,Agent@EMEA;Supervisor,comm,active\n"
        "E2,Bo Ek,bo@example.com,,Agent,,inactive\n";
    struct fx fx = {0};
    gcp_roster *roster = NULL;
    gcp_plan *plan = NULL;
    gcp_plan_counts c;

    fx_load(&fx, "[]", FX_ORG(""));
    assert_int_equal(
        gcp_roster_read_buffer(&roster, csv, sizeof(csv) - 1, "hr.csv", NULL),
        0);
    assert_true(gcp_roster_is_valid(roster));
    assert_int_equal(gcp_plan_build_roster(&plan, roster, fx.snap, NULL), 0);
    gcp_plan_counts_get(&c, plan);
    assert_int_equal(c.people, 2);
    assert_int_equal(c.create, 1);
    assert_int_equal(c.grants, 2);
    assert_int_equal(c.licenses, 1);
    assert_int_equal(c.unchanged, 1); /* a leaver never created */
    gcp_plan_free(plan);
    assert_int_equal(gcp_plan_build_roster(&plan, NULL, fx.snap, NULL),
                     GCP_EINVALID);
    assert_null(plan);
    gcp_roster_free(roster);
    fx_free(&fx);
}

static void outcomes_have_names(void **state)
{
    assert_string_equal(gcp_plan_outcome_name(GCP_PLAN_CREATE), "create");
    assert_string_equal(gcp_plan_outcome_name(GCP_PLAN_HELD), "held");
    assert_string_equal(gcp_plan_outcome_name((gcp_plan_outcome)99), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_person_nobody_holds_is_created),
        cmocka_unit_test(a_user_found_by_email_without_our_id_is_adopted),
        cmocka_unit_test(without_an_employee_id_a_match_is_not_adopted),
        cmocka_unit_test(a_deleted_user_holding_the_email_is_restored),
        cmocka_unit_test(an_inactive_user_in_the_roster_is_restored),
        cmocka_unit_test(an_email_change_found_by_key_is_an_update),
        cmocka_unit_test(a_user_of_another_key_is_a_conflict_left_alone),
        cmocka_unit_test(a_user_carrying_several_of_our_keys_is_found_by_each),
        cmocka_unit_test(another_authority_is_not_ours),
        cmocka_unit_test(two_people_on_one_user_make_the_second_a_conflict),
        cmocka_unit_test(an_email_change_onto_a_taken_address_is_a_conflict),
        cmocka_unit_test(unread_external_ids_are_reported_not_guessed),
        cmocka_unit_test(an_active_leaver_is_deactivated),
        cmocka_unit_test(leavers_already_gone_or_absent_are_unchanged),
        cmocka_unit_test(a_repeated_key_is_refused),
        cmocka_unit_test(bad_arguments_are_refused),
        cmocka_unit_test(
            a_roster_read_from_csv_plans_like_people_built_by_hand),
        cmocka_unit_test(outcomes_have_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

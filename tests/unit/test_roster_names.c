/*
 * test_roster_names.c: close-match suggestions and the check of a
 * roster's role, division and license names against the org's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "gcprov/roster.h"

static const char *const roles[] = {"Admin", "Agent", "Supervisor",
                                    "Quality Evaluator"};
static const char *const divisions[] = {"Home", "Sales", "Support"};
static const char *const licenses[] = {"cloudCX3", "communicate"};

#define SUGGEST(name) gcp_roster_suggest(name, roles, 4)

static void a_swap_of_neighbours_suggests_the_name(void **state)
{
    assert_string_equal(SUGGEST("Agnet"), "Agent");
    assert_string_equal(SUGGEST("Supervsior"), "Supervisor");
}

static void a_missing_or_extra_letter_suggests_the_name(void **state)
{
    assert_string_equal(SUGGEST("Admn"), "Admin");
    assert_string_equal(SUGGEST("Supervisors"), "Supervisor");
    assert_string_equal(SUGGEST("Quality Evaluater"), "Quality Evaluator");
}

static void a_difference_in_case_suggests_the_right_spelling(void **state)
{
    assert_string_equal(SUGGEST("agent"), "Agent");
    assert_string_equal(SUGGEST("SUPERVISOR"), "Supervisor");
}

static void an_unrelated_name_suggests_nothing(void **state)
{
    assert_null(SUGGEST("Billing"));
    assert_null(SUGGEST("Root"));
    assert_null(SUGGEST(""));
    assert_null(gcp_roster_suggest("Agent", NULL, 0));
}

static gcp_roster *read_text(const char *text)
{
    gcp_roster *r = NULL;

    assert_int_equal(
        gcp_roster_read_buffer(&r, text, strlen(text), "t.csv", NULL), 0);
    assert_true(gcp_roster_is_valid(r));
    return r;
}

static void known_names_pass_the_check(void **state)
{
    gcp_roster_names names = GCP_ROSTER_NAMES_INIT;
    gcp_roster *r = read_text("name,email,division,roles,licenses\n"
                              "A,a@x.com,Sales,Agent;Admin@Home,cloudCX3\n");

    names.roles = roles;
    names.role_count = 4;
    names.divisions = divisions;
    names.division_count = 3;
    names.licenses = licenses;
    names.license_count = 2;
    assert_int_equal(gcp_roster_check_names(r, &names), 0);
    assert_true(gcp_roster_is_valid(r));
    assert_false(gcp_roster_person(r, 0)->rejected);
    gcp_roster_free(r);
}

static void unknown_names_reject_the_person_with_a_suggestion(void **state)
{
    gcp_roster_names names = GCP_ROSTER_NAMES_INIT;
    gcp_roster *r = read_text("name,email,division,roles,licenses\n"
                              "A,a@x.com,Sales,Agent,cloudCX3\n"
                              "B,b@x.com,Sale,Agnet@Suport,cloudcx3\n");
    const gcp_roster_diagnostic *d;

    names.roles = roles;
    names.role_count = 4;
    names.divisions = divisions;
    names.division_count = 3;
    names.licenses = licenses;
    names.license_count = 2;
    assert_int_equal(gcp_roster_check_names(r, &names), 4);
    assert_false(gcp_roster_is_valid(r));
    assert_false(gcp_roster_person(r, 0)->rejected);
    assert_true(gcp_roster_person(r, 1)->rejected);
    assert_int_equal(gcp_roster_diag_count(r), 4);
    d = gcp_roster_diag(r, 0);
    assert_int_equal(d->line, 3);
    assert_int_equal(d->column, 11);
    assert_string_equal(d->field, "division");
    assert_string_equal(d->message,
                        "division 'Sale' is not in the org (did you mean "
                        "'Sales'?); valid divisions: Home, Sales, Support");
    d = gcp_roster_diag(r, 1);
    assert_string_equal(d->field, "roles");
    assert_non_null(strstr(d->message, "role 'Agnet' is not in the org "
                                       "(did you mean 'Agent'?)"));
    assert_non_null(
        strstr(gcp_roster_diag(r, 2)->message, "division 'Suport'"));
    assert_non_null(strstr(gcp_roster_diag(r, 3)->message,
                           "license 'cloudcx3' is not in the org (did you "
                           "mean 'cloudCX3'?)"));
    gcp_roster_free(r);
}

static void a_list_left_null_is_not_checked(void **state)
{
    gcp_roster_names names = GCP_ROSTER_NAMES_INIT;
    gcp_roster *r = read_text("name,email,roles\nA,a@x.com,Anything\n");

    assert_int_equal(gcp_roster_check_names(r, &names), 0);
    assert_true(gcp_roster_is_valid(r));
    gcp_roster_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_swap_of_neighbours_suggests_the_name),
        cmocka_unit_test(a_missing_or_extra_letter_suggests_the_name),
        cmocka_unit_test(a_difference_in_case_suggests_the_right_spelling),
        cmocka_unit_test(an_unrelated_name_suggests_nothing),
        cmocka_unit_test(known_names_pass_the_check),
        cmocka_unit_test(unknown_names_reject_the_person_with_a_suggestion),
        cmocka_unit_test(a_list_left_null_is_not_checked),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

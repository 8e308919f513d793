/*
 * test_plan_lookup.c: the arithmetic that picks per-person lookups or a
 * paged scan of the org.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "plan_lookup.h"

static struct gcp_lookup_cost cost(size_t people, size_t org_users,
                                   size_t roles, size_t members, int seats)
{
    struct gcp_lookup_input in = {people, org_users, 0, roles, members, seats};
    struct gcp_lookup_cost out;

    gcp_plan__lookup_cost(&out, &in);
    return out;
}

static void a_few_people_in_a_big_org_are_looked_up_one_by_one(void **state)
{
    struct gcp_lookup_cost c = cost(3, 50000, 2, 20000, 0);

    assert_int_equal(c.per_person, 2 * 3 + 1);
    assert_int_equal(c.scan, 2 * 100 + 2 + 40);
    assert_int_equal(c.choice, GCP_LOOKUP_PER_PERSON);
}

static void a_thousand_joiners_in_a_small_org_scan(void **state)
{
    struct gcp_lookup_cost c = cost(1000, 5, 2, 5, 0);

    assert_int_equal(c.scan, 2 + 2 + 1);
    assert_int_equal(c.choice, GCP_LOOKUP_SCAN);
}

static void a_second_run_scans_for_under_0_05_calls_a_person(void **state)
{
    struct gcp_lookup_cost c = cost(1000, 1005, 2, 2005, 1);

    assert_int_equal(c.scan, 2 * 3 + 2 + 5);
    assert_true(c.scan * 100 < 1000 * 5);
    assert_int_equal(c.choice, GCP_LOOKUP_SCAN);
}

static void budgets_make_per_person_pay_for_every_license_page(void **state)
{
    struct gcp_lookup_cost without = cost(10, 5000, 1, 10, 0);
    struct gcp_lookup_cost with = cost(10, 5000, 1, 10, 1);

    assert_int_equal(without.per_person, 21);
    assert_int_equal(with.per_person, 30);
}

static void the_break_even_point_follows_the_org_size(void **state)
{
    /* An org of 10,000: scan costs 2 * 20 + 1 + 1 = 42 calls. */
    assert_int_equal(cost(20, 10000, 1, 1, 0).choice, GCP_LOOKUP_PER_PERSON);
    assert_int_equal(cost(21, 10000, 1, 1, 0).choice, GCP_LOOKUP_SCAN);
}

static void an_empty_org_still_costs_its_first_page(void **state)
{
    struct gcp_lookup_input in = {1, 0, 100, 0, 0, 0};
    struct gcp_lookup_cost c;

    gcp_plan__lookup_cost(&c, &in);
    assert_int_equal(c.scan, 2);
    assert_int_equal(c.per_person, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_few_people_in_a_big_org_are_looked_up_one_by_one),
        cmocka_unit_test(a_thousand_joiners_in_a_small_org_scan),
        cmocka_unit_test(a_second_run_scans_for_under_0_05_calls_a_person),
        cmocka_unit_test(budgets_make_per_person_pay_for_every_license_page),
        cmocka_unit_test(the_break_even_point_follows_the_org_size),
        cmocka_unit_test(an_empty_org_still_costs_its_first_page),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

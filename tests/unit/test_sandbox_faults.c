/*
 * test_sandbox_faults.c: the sandbox's knobs and fault engine without
 * HTTP: defaults, merging JSON, refusing bad values, the rate limiter's
 * window, and repeatable dice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "faults.h"

static void the_defaults_are_those_of_the_docs(void **state)
{
    struct sbx_config cfg;

    sbx_config_init(&cfg);
    assert_string_equal(cfg.listen, "127.0.0.1:0");
    assert_int_equal(cfg.faults.rate_limit, 300);
    assert_true(cfg.faults.rate_window == 60);
    assert_int_equal(cfg.faults.token_lifetime, 86400);
    assert_true(cfg.faults.search_lag == 3);
    assert_true(cfg.faults.create_lag == 0);
    assert_int_equal(sbx_faults_per_minute(&cfg.faults), 300);
}

static void merging_json_sets_only_the_named_knobs(void **state)
{
    struct sbx_faults f;
    struct gcp_err err;
    json_t *j = json_loads("{\"fail-rate\": 0.25, \"latency\": 40, "
                           "\"seats\": {\"wem\": 3}}",
                           0, NULL);

    sbx_faults_init(&f);
    assert_int_equal(sbx_faults_merge(&f, j, &err), 0);
    assert_true(f.fail_rate == 0.25);
    assert_int_equal(f.latency_ms, 40);
    assert_int_equal(f.rate_limit, 300);
    assert_int_equal(f.seat_count, 1);
    assert_string_equal(f.seats[0].license, "wem");
    assert_int_equal(f.seats[0].seats, 3);
    json_decref(j);
}

static void a_bad_value_changes_nothing(void **state)
{
    struct sbx_faults f;
    struct gcp_err err;
    json_t *j = json_loads("{\"latency\": 10, \"reset-rate\": 1.5}", 0, NULL);

    gcp_err__clear(&err);
    sbx_faults_init(&f);
    assert_int_equal(sbx_faults_merge(&f, j, &err), GCP_EINVALID);
    assert_int_equal(f.latency_ms, 0);
    assert_non_null(strstr(gcp_err__message(&err), "'reset-rate'"));
    json_decref(j);
}

static void the_json_form_round_trips(void **state)
{
    struct sbx_faults a, b;
    struct gcp_err err;
    json_t *j = json_loads("{\"rate-limit\": 5, \"search-lag\": 0.5, "
                           "\"seats\": {\"cx\": 1}}",
                           0, NULL);
    json_t *dumped;

    sbx_faults_init(&a);
    sbx_faults_init(&b);
    assert_int_equal(sbx_faults_merge(&a, j, &err), 0);
    dumped = sbx_faults_to_json(&a);
    assert_int_equal(sbx_faults_merge(&b, dumped, &err), 0);
    assert_int_equal(b.rate_limit, 5);
    assert_true(b.search_lag == 0.5);
    assert_int_equal(b.seat_count, 1);
    json_decref(dumped);
    json_decref(j);
}

static void the_rate_limit_counts_per_token_per_window(void **state)
{
    struct sbx_faults f;
    struct sbx_engine *e;
    long retry = 0, per_minute = 0;

    sbx_faults_init(&f);
    f.rate_limit = 2;
    f.rate_window = 10;
    e = sbx_engine_new(&f, 1);
    assert_int_equal(sbx_engine_admit(e, "a", 100, &retry, &per_minute), 0);
    assert_int_equal(sbx_engine_admit(e, "a", 101, &retry, &per_minute), 0);
    assert_int_equal(sbx_engine_admit(e, "a", 102, &retry, &per_minute), 1);
    assert_int_equal(retry, 8);
    assert_int_equal(per_minute, 12);
    assert_int_equal(sbx_engine_admit(e, "b", 102, &retry, &per_minute), 0);
    assert_int_equal(sbx_engine_admit(e, "a", 110, &retry, &per_minute), 0);
    sbx_engine_free(e);
}

static void the_same_seed_rolls_the_same_faults(void **state)
{
    struct sbx_faults f;
    struct sbx_engine *a, *b;
    int hits = 0;

    sbx_faults_init(&f);
    f.fail_rate = 0.5;
    a = sbx_engine_new(&f, 42);
    b = sbx_engine_new(&f, 42);
    for (int i = 0; i < 200; i++) {
        int x = sbx_engine_strikes(a, SBX_FAULT_FAIL);
        assert_int_equal(x, sbx_engine_strikes(b, SBX_FAULT_FAIL));
        hits += x;
    }
    assert_true(hits > 50 && hits < 150);
    assert_int_equal(sbx_engine_strikes(a, SBX_FAULT_RESET), 0);
    sbx_engine_free(a);
    sbx_engine_free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_defaults_are_those_of_the_docs),
        cmocka_unit_test(merging_json_sets_only_the_named_knobs),
        cmocka_unit_test(a_bad_value_changes_nothing),
        cmocka_unit_test(the_json_form_round_trips),
        cmocka_unit_test(the_rate_limit_counts_per_token_per_window),
        cmocka_unit_test(the_same_seed_rolls_the_same_faults),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

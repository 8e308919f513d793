/*
 * test_client_rules.c: the client's pure rules: regions and base URLs,
 * token expiry arithmetic, the pacing bucket, backoff and the retry
 * budget. No network.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "client_internal.h"
#include "region.h"

static void every_region_is_found_by_name_and_by_domain(void **state)
{
    size_t count;
    const struct gcp_region *all = gcp_region__all(&count);
    struct gcp_err err = {0};

    assert_int_equal(count, 18);
    for (size_t i = 0; i < count; i++) {
        assert_ptr_equal(gcp_region__find(all[i].name, &err), &all[i]);
        assert_ptr_equal(gcp_region__find(all[i].domain, &err), &all[i]);
    }
    assert_string_equal(gcp_region__find("EU-WEST-1", &err)->domain,
                        "mypurecloud.ie");
}

static void an_unknown_region_is_an_error_listing_the_valid_ones(void **s)
{
    struct gcp_err err = {0};

    assert_null(gcp_region__find("mars-north-1", &err));
    assert_int_equal(err.code, GCP_EINVALID);
    assert_non_null(strstr(err.msg, "unknown region 'mars-north-1'"));
    assert_non_null(strstr(err.msg, "us-east-1"));
    assert_non_null(strstr(err.msg, "ap-northeast-3"));
}

static void a_region_gives_its_api_and_login_hosts(void **state)
{
    struct gcp_err err = {0};
    const struct gcp_region *r = gcp_region__find("mypurecloud.de", &err);
    char *api = gcp_region__url(r, "api");
    char *login = gcp_region__url(r, "login");

    assert_string_equal(api, "https://api.mypurecloud.de");
    assert_string_equal(login, "https://login.mypurecloud.de");
    free(api);
    free(login);
}

static void plain_http_is_refused_unless_the_host_is_loopback(void **state)
{
    struct gcp_err err = {0};

    assert_int_equal(
        gcp_region__check_url("http://127.0.0.1:8080", "api url", &err), 0);
    assert_int_equal(gcp_region__check_url("http://127.9.8.7", "u", &err), 0);
    assert_int_equal(gcp_region__check_url("http://localhost:1", "u", &err), 0);
    assert_int_equal(gcp_region__check_url("http://[::1]:9", "u", &err), 0);
    assert_int_equal(gcp_region__check_url("https://gw.example.com", "u", &err),
                     0);
    assert_int_equal(
        gcp_region__check_url("http://gw.example.com", "api url", &err),
        GCP_EINVALID);
    assert_non_null(strstr(err.msg, "not loopback"));
    assert_int_equal(gcp_region__check_url("http://128.0.0.1", "u", &err),
                     GCP_EINVALID);
    assert_int_equal(gcp_region__check_url("http://[::2]", "u", &err),
                     GCP_EINVALID);
    assert_int_equal(gcp_region__check_url("ftp://127.0.0.1", "u", &err),
                     GCP_EINVALID);
    assert_int_equal(gcp_region__check_url("https://h/?q=1", "u", &err),
                     GCP_EINVALID);
}

static void a_long_lived_token_is_renewed_300_seconds_before_expiry(void **s)
{
    struct gcp_token t = {0};

    t.value = strdup("x");
    t.lifetime = 86400;
    t.expires_at = 1000 + 86400;
    assert_true(gcp_token__fresh(&t, 1000 + 86400 - 301));
    assert_false(gcp_token__fresh(&t, 1000 + 86400 - 299));
    gcp_token__clear(&t);
    assert_null(t.value);
    assert_false(gcp_token__fresh(&t, 0));
}

static void a_short_lived_token_is_renewed_a_tenth_before_expiry(void **s)
{
    assert_true(gcp_token__margin(5) == 0.5);
    assert_true(gcp_token__margin(300) == 30);
    assert_true(gcp_token__margin(3000) == 300);
}

static void a_grant_reply_is_stored_and_the_buffer_wiped(void **state)
{
    struct gcp_token t = {0};
    struct gcp_err err = {0};
    char reply[] = "{\"access_token\":\"tok-123\",\"token_type\":\"bearer\","
                   "\"expires_in\":600}";
    size_t len = strlen(reply);

    assert_int_equal(gcp_token__store(&t, reply, len, 50.0, &err), 0);
    assert_string_equal(t.value, "tok-123");
    assert_true(t.expires_at == 650.0);
    assert_int_equal(t.generation, 1);
    for (size_t i = 0; i < len; i++)
        assert_int_equal(reply[i], 0);
    gcp_token__clear(&t);
}

static void a_grant_reply_without_expiry_is_refused(void **state)
{
    struct gcp_token t = {0};
    struct gcp_err err = {0};
    char reply[] = "{\"access_token\":\"tok\"}";

    assert_int_equal(gcp_token__store(&t, reply, strlen(reply), 0, &err),
                     GCP_EAUTH);
    assert_null(t.value);
}

static void the_bucket_spreads_requests_at_the_rate(void **state)
{
    struct gcp_pace p;
    int started = 0;

    gcp_pace__init(&p, 600, 0.0); /* 10 per second */
    for (double now = 0; now < 10.0; now += 0.01)
        if (gcp_pace__take(&p, now) == 0)
            started++;
    assert_in_range(started, 99, 101);
}

static void an_empty_bucket_says_how_long_to_wait(void **state)
{
    struct gcp_pace p;

    gcp_pace__init(&p, 60, 0.0); /* 1 per second */
    assert_true(gcp_pace__take(&p, 0.0) == 0);
    assert_true(gcp_pace__take(&p, 0.25) > 0.49);
    assert_true(gcp_pace__take(&p, 0.25) < 0.51);
    assert_true(gcp_pace__take(&p, 0.75) == 0);
    /* a start late by 0.2 s leaves the next one due on the old beat */
    assert_true(gcp_pace__take(&p, 1.95) == 0);
    assert_true(gcp_pace__take(&p, 2.75) == 0);
}

static void a_429_pauses_for_retry_after_and_lowers_the_rate(void **state)
{
    struct gcp_pace p;

    gcp_pace__init(&p, 600, 0.0);
    gcp_pace__throttled(&p, 1.0, 3.0);
    assert_true(gcp_pace__take(&p, 2.0) > 1.9);
    assert_true(gcp_pace__per_minute(&p) < 600 * 0.8);
    /* no recovery while 429s are recent */
    gcp_pace__take(&p, 10.0);
    assert_true(gcp_pace__per_minute(&p) < 600 * 0.8);
    /* full recovery after a long quiet while */
    gcp_pace__take(&p, 200.0);
    assert_true(gcp_pace__per_minute(&p) == 600);
}

static void a_new_limit_does_not_refill_the_bucket(void **state)
{
    struct gcp_pace p;

    gcp_pace__init(&p, 300, 0.0);
    assert_true(gcp_pace__take(&p, 0.0) == 0);
    gcp_pace__set_limit(&p, 600, 0.0);
    assert_true(gcp_pace__take(&p, 0.0) > 0.07);
    assert_true(gcp_pace__take(&p, 0.075) == 0);
}

static void backoff_is_jittered_below_an_exponential_cap(void **state)
{
    unsigned int seed = 7;
    double max_seen = 0;

    for (int i = 0; i < 1000; i++) {
        double first = gcp_retry__backoff(1, 0.2, 20, &seed);
        double fourth = gcp_retry__backoff(4, 0.2, 20, &seed);
        double late = gcp_retry__backoff(30, 0.2, 20, &seed);

        assert_true(first >= 0 && first < 0.2);
        assert_true(fourth >= 0 && fourth < 1.6);
        assert_true(late >= 0 && late < 20);
        if (late > max_seen)
            max_seen = late;
    }
    assert_true(max_seen > 15); /* the cap, not 0.2 * 2^29 */
}

static void the_budget_runs_out_in_an_outage_and_refills_on_success(void **s)
{
    struct gcp_retry_budget b;
    int retries = 0;

    gcp_retry__budget_init(&b, 50);
    while (gcp_retry__budget_spend(&b, GCP_RETRY_COST) == 0)
        retries++;
    assert_int_equal(retries, 10);
    assert_int_equal(gcp_retry__budget_spend(&b, GCP_RETRY_COST), -1);
    gcp_retry__budget_success(&b, 0);
    assert_int_equal(b.left, GCP_RETRY_REFUND);
    gcp_retry__budget_success(&b, 10);
    assert_int_equal(b.left, 11);
    gcp_retry__budget_success(&b, 1000);
    assert_int_equal(b.left, 50);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_region_is_found_by_name_and_by_domain),
        cmocka_unit_test(an_unknown_region_is_an_error_listing_the_valid_ones),
        cmocka_unit_test(a_region_gives_its_api_and_login_hosts),
        cmocka_unit_test(plain_http_is_refused_unless_the_host_is_loopback),
        cmocka_unit_test(
            a_long_lived_token_is_renewed_300_seconds_before_expiry),
        cmocka_unit_test(a_short_lived_token_is_renewed_a_tenth_before_expiry),
        cmocka_unit_test(a_grant_reply_is_stored_and_the_buffer_wiped),
        cmocka_unit_test(a_grant_reply_without_expiry_is_refused),
        cmocka_unit_test(the_bucket_spreads_requests_at_the_rate),
        cmocka_unit_test(an_empty_bucket_says_how_long_to_wait),
        cmocka_unit_test(a_429_pauses_for_retry_after_and_lowers_the_rate),
        cmocka_unit_test(a_new_limit_does_not_refill_the_bucket),
        cmocka_unit_test(backoff_is_jittered_below_an_exponential_cap),
        cmocka_unit_test(
            the_budget_runs_out_in_an_outage_and_refills_on_success),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

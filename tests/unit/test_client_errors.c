/*
 * test_client_errors.c: how replies are classified and described: the
 * ErrorBody's fields, the missing permission on a 403, the retry rules
 * for idempotent and other requests, and the words for a refused login.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "client_internal.h"

static void statuses_map_to_the_named_errors(void **state)
{
    assert_int_equal(gcp_error__classify(0, 200, 1, 0).code, 0);
    assert_int_equal(gcp_error__classify(0, 204, 1, 0).code, 0);
    assert_int_equal(gcp_error__classify(0, 400, 1, 0).code, GCP_EINVALID);
    assert_int_equal(gcp_error__classify(0, 401, 1, 0).code, GCP_EAUTH);
    assert_int_equal(gcp_error__classify(0, 403, 1, 0).code, GCP_EPERMISSION);
    assert_int_equal(gcp_error__classify(0, 404, 1, 0).code, GCP_ENOTFOUND);
    assert_int_equal(gcp_error__classify(0, 409, 1, 0).code, GCP_ECONFLICT);
    assert_int_equal(gcp_error__classify(0, 415, 1, 0).code, GCP_EINVALID);
    assert_int_equal(gcp_error__classify(0, 429, 1, 0).code, GCP_ERATELIMITED);
    assert_int_equal(gcp_error__classify(0, 501, 1, 1).code, GCP_EUNSUPPORTED);
    assert_false(gcp_error__classify(0, 404, 1, 1).retry);
}

static void throttling_and_unavailability_retry_any_request(void **state)
{
    assert_true(gcp_error__classify(0, 429, 1, 0).retry);
    assert_true(gcp_error__classify(0, 503, 1, 0).retry);
    assert_int_equal(gcp_error__classify(0, 503, 1, 0).code, GCP_ETRANSIENT);
}

static void a_server_error_retries_only_idempotent_requests(void **state)
{
    struct gcp_verdict get = gcp_error__classify(0, 502, 1, 1);
    struct gcp_verdict create = gcp_error__classify(0, 502, 1, 0);

    assert_true(get.retry);
    assert_int_equal(get.code, GCP_ETRANSIENT);
    assert_false(create.retry);
    assert_int_equal(create.code, GCP_EUNKNOWN);
    assert_false(gcp_error__classify(0, 501, 1, 1).retry);
}

static void a_cut_connection_after_sending_is_an_unknown_outcome(void **s)
{
    struct gcp_verdict create = gcp_error__classify(CURLE_RECV_ERROR, 0, 1, 0);
    struct gcp_verdict grant = gcp_error__classify(CURLE_RECV_ERROR, 0, 1, 1);
    struct gcp_verdict unsent =
        gcp_error__classify(CURLE_COULDNT_CONNECT, 0, 0, 0);
    struct gcp_verdict timeout =
        gcp_error__classify(CURLE_OPERATION_TIMEDOUT, 0, 1, 1);

    assert_int_equal(create.code, GCP_EUNKNOWN);
    assert_false(create.retry);
    assert_true(grant.retry);
    assert_true(unsent.retry);
    assert_int_equal(unsent.code, GCP_ETRANSIENT);
    assert_int_equal(timeout.cost, GCP_RETRY_TIMEOUT_COST);
}

static gcp_result *result_from(const char *text, long status)
{
    static gcp_result r;

    memset(&r, 0, sizeof(r));
    r.status = status;
    r.json = json_loads(text, 0, NULL);
    strcpy(r.method, "POST");
    strcpy(r.route, "/api/v2/users");
    strcpy(r.correlation_id, "corr-1");
    return &r;
}

static void the_error_body_fields_are_parsed(void **state)
{
    gcp_result *r = result_from(
        "{\"message\": \"dup\", \"code\": \"general.conflict\", \"status\": "
        "409, \"messageWithParams\": \"dup {x}\", \"contextId\": \"ctx\", "
        "\"details\": [{\"errorCode\": \"e\"}], \"errors\": [{\"code\": "
        "\"inner\"}]}",
        409);

    gcp_error__parse(r);
    assert_string_equal(r->error_code, "general.conflict");
    assert_string_equal(r->error_message, "dup");
    assert_string_equal(r->error_message_with_params, "dup {x}");
    assert_string_equal(r->error_context_id, "ctx");
    assert_int_equal(json_array_size(r->error_details), 1);
    assert_string_equal(json_string_value(json_object_get(
                            json_array_get(r->error_errors, 0), "code")),
                        "inner");
    r->code = GCP_ECONFLICT;
    gcp_error__describe(r, NULL);
    assert_string_equal(r->message,
                        "POST /api/v2/users: conflict: 409 "
                        "general.conflict: dup (correlation id corr-1)");
    gcp_result_clear(r);
}

static void a_403_names_the_missing_permission(void **state)
{
    gcp_result *r = result_from(
        "{\"code\": \"missing.permissions\", \"message\": \"Unable to "
        "perform the requested action. You are missing the following "
        "permission(s): [directory:user:add]\"}",
        403);

    gcp_error__parse(r);
    assert_string_equal(r->missing_permission, "directory:user:add");
    r->code = GCP_EPERMISSION;
    gcp_error__describe(r, NULL);
    assert_non_null(strstr(r->message, "lacks permission "
                                       "'directory:user:add'"));
    gcp_result_clear(r);
    r = result_from("{\"messageParams\": {\"permissions\": "
                    "\"authorization:grant:add\"}}",
                    403);
    gcp_error__parse(r);
    assert_string_equal(r->missing_permission, "authorization:grant:add");
    gcp_result_clear(r);
}

static void a_reply_that_is_not_an_error_body_parses_to_nothing(void **s)
{
    gcp_result *r = result_from("[1, 2]", 500);

    gcp_error__parse(r);
    assert_null(r->error_code);
    assert_null(r->error_message);
    assert_string_equal(r->missing_permission, "");
    gcp_result_clear(r);
}

static void a_wrong_secret_and_an_unknown_client_read_differently(void **s)
{
    const char *secret = "{\"error\": \"invalid_client\", \"description\": "
                         "\"client secret mismatch\"}";
    const char *unknown = "{\"error\": \"invalid_client\", \"description\": "
                          "\"client not found\"}";
    const char *bare = "{\"error\": \"invalid_client\"}";
    char a[512], b[512];

    gcp_token__explain(a, sizeof(a), 401, secret, strlen(secret), "abc");
    gcp_token__explain(b, sizeof(b), 401, unknown, strlen(unknown), "abc");
    assert_non_null(strstr(a, "client 'abc'"));
    assert_non_null(strstr(a, "secret is wrong"));
    assert_non_null(strstr(b, "client id is unknown to this region;"));
    assert_string_not_equal(a, b);
    gcp_token__explain(b, sizeof(b), 401, bare, strlen(bare), "abc");
    assert_non_null(strstr(b, "unknown to this region, or its secret"));
}

static void a_grant_type_refusal_says_what_to_change(void **state)
{
    const char *text = "{\"error\": \"unauthorized_client\"}";
    char out[512];

    gcp_token__explain(out, sizeof(out), 400, text, strlen(text), "abc");
    assert_non_null(strstr(out, "client credentials"));
    gcp_token__explain(out, sizeof(out), 502, "<html>", 6, "abc");
    assert_non_null(strstr(out, "502"));
}

static void path_segments_are_escaped(void **state)
{
    char *e = gcp_url_escape("a/b c@d");

    assert_string_equal(e, "a%2Fb%20c%40d");
    free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(statuses_map_to_the_named_errors),
        cmocka_unit_test(throttling_and_unavailability_retry_any_request),
        cmocka_unit_test(a_server_error_retries_only_idempotent_requests),
        cmocka_unit_test(a_cut_connection_after_sending_is_an_unknown_outcome),
        cmocka_unit_test(the_error_body_fields_are_parsed),
        cmocka_unit_test(a_403_names_the_missing_permission),
        cmocka_unit_test(a_reply_that_is_not_an_error_body_parses_to_nothing),
        cmocka_unit_test(a_wrong_secret_and_an_unknown_client_read_differently),
        cmocka_unit_test(a_grant_type_refusal_says_what_to_change),
        cmocka_unit_test(path_segments_are_escaped),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

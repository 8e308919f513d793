/*
 * test_err.c: the error contract's names and message buffer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "err.h"
#include "log.h"
#include "wipe.h"

static void every_code_has_a_distinct_name(void **state)
{
    for (int code = GCP_OK; code >= GCP_EUNSUPPORTED; code--) {
        assert_string_not_equal(gcp_error_name(code), "unknown error");
        for (int other = code - 1; other >= GCP_EUNSUPPORTED; other--)
            assert_string_not_equal(gcp_error_name(code),
                                    gcp_error_name(other));
    }
}

static void an_unknown_code_is_named_unknown(void **state)
{
    assert_string_equal(gcp_error_name(-999), "unknown error");
    assert_string_equal(gcp_error_name(7), "unknown error");
}

static void set_returns_the_code_and_keeps_the_message(void **state)
{
    struct gcp_err e;

    gcp_err__clear(&e);
    assert_int_equal(gcp_err__set(&e, GCP_ENOTFOUND, "no user '%s'", "x"),
                     GCP_ENOTFOUND);
    assert_int_equal(e.code, GCP_ENOTFOUND);
    assert_string_equal(gcp_err__message(&e), "no user 'x'");
    gcp_err__clear(&e);
    assert_string_equal(gcp_err__message(&e), "");
}

static void a_long_message_is_cut_not_overflowed(void **state)
{
    struct gcp_err e;
    char big[GCP_ERRMSG_MAX * 2];

    memset(big, 'a', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    gcp_err__set(&e, GCP_ERROR, "%s", big);
    assert_int_equal(strlen(e.msg), GCP_ERRMSG_MAX - 1);
}

static int log_calls;
static void count_log(gcp_log_level level, const char *message, void *p)
{
    log_calls++;
    assert_string_equal(message, "hello 42");
}

static void the_logger_drops_messages_below_its_level(void **state)
{
    struct gcp_logger lg = {count_log, NULL, GCP_LOG_WARN};

    log_calls = 0;
    gcp_log__emit(&lg, GCP_LOG_INFO, "hello %d", 42);
    gcp_log__emit(&lg, GCP_LOG_ERROR, "hello %d", 42);
    gcp_log__emit(NULL, GCP_LOG_ERROR, "hello %d", 42);
    assert_int_equal(log_calls, 1);
}

static void wipe_zeroes_the_bytes(void **state)
{
    char secret[] = "s3cr3t";

    gcp_wipe(secret, sizeof(secret));
    for (size_t i = 0; i < sizeof(secret); i++)
        assert_int_equal(secret[i], 0);
    gcp_wipe_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_code_has_a_distinct_name),
        cmocka_unit_test(an_unknown_code_is_named_unknown),
        cmocka_unit_test(set_returns_the_code_and_keeps_the_message),
        cmocka_unit_test(a_long_message_is_cut_not_overflowed),
        cmocka_unit_test(the_logger_drops_messages_below_its_level),
        cmocka_unit_test(wipe_zeroes_the_bytes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_roster_check.c: the pure checks behind roster validation: e-mail
 * addr-specs, E.164 numbers and UTF-8 with positions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "roster_int.h"

static int email_ok(const char *s)
{
    return roster__email_valid(s, strlen(s));
}

static void ordinary_addresses_are_valid(void **state)
{
    assert_true(email_ok("jane@example.com"));
    assert_true(email_ok("Jane.Doe@Example.COM"));
    assert_true(email_ok("ok+tag@sub.example.co.uk"));
    assert_true(email_ok("o'neil@example.ie"));
    assert_true(email_ok("a_b-c!#$%&*/=?^`{|}~@x-y.example.org"));
}

static void broken_addresses_are_invalid(void **state)
{
    const char *bad[] = {
        "",          "jane@",     "@example.com", "jane",        "a..b@x.com",
        ".a@x.com",  "a.@x.com",  "a@example",    "a@-x.com",    "a@x-.com",
        "a@x..com",  "a b@x.com", "a@1.2.3.4",    "a@[1.2.3.4]", "\"a\"@x.com",
        "a@b@x.com", "jöe@x.com", "a@x_y.com",    "a@.x.com",    "a@x.com."};

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (email_ok(bad[i]))
            fail_msg("'%s' was accepted", bad[i]);
    }
}

static void an_address_with_a_nul_is_invalid(void **state)
{
    assert_false(roster__email_valid("a\0b@x.com", 9));
}

static void address_length_limits_hold(void **state)
{
    char local[80], domain[80], addr[1024];

    memset(local, 'a', 64);
    local[64] = '\0';
    snprintf(addr, sizeof(addr), "%s@x.com", local);
    assert_true(email_ok(addr));
    local[64] = 'a';
    local[65] = '\0';
    snprintf(addr, sizeof(addr), "%s@x.com", local);
    assert_false(email_ok(addr));

    /* 63-byte labels: a domain of 4 labels is 255 bytes, too long. */
    memset(domain, 'b', 63);
    domain[63] = '\0';
    snprintf(addr, sizeof(addr), "a@%s.%s.%s.com", domain, domain, domain);
    assert_true(email_ok(addr)); /* 2 + 63 * 3 + 3 + 4 = 198 bytes */
    domain[63] = 'b';
    domain[64] = '\0';
    snprintf(addr, sizeof(addr), "a@%s.com", domain);
    assert_false(email_ok(addr)); /* a 64-byte label */
    memset(local, 'c', 60);
    local[60] = '\0';
    domain[63] = '\0';
    snprintf(addr, sizeof(addr), "%s@%s.%s.%s.com", local, domain, domain,
             domain);
    assert_int_equal(strlen(addr), 60 + 1 + 63 * 3 + 2 + 4);
    assert_false(email_ok(addr)); /* 256 bytes in all */
}

static int e164(const char *s, char *out)
{
    return roster__e164_normalize(s, strlen(s), out, 32);
}

static void e164_numbers_are_normalized(void **state)
{
    char out[32];

    assert_true(e164("+14155550100", out));
    assert_string_equal(out, "+14155550100");
    assert_true(e164("+1 (415) 555-0100", out));
    assert_string_equal(out, "+14155550100");
    assert_true(e164("+44 20.7946.0958", out));
    assert_string_equal(out, "+442079460958");
    assert_true(e164("+123456789012345", out)); /* 15 digits */
}

static void non_e164_numbers_are_refused(void **state)
{
    const char *bad[] = {"",
                         "14155550100",
                         "+",
                         "+0123456789",
                         "+1234",
                         "+1234567890123456",
                         "+1415x5550100",
                         "tel:+14155550100",
                         "++14155550100"};
    char out[32];

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (e164(bad[i], out))
            fail_msg("'%s' was accepted", bad[i]);
    }
}

static void utf8_in_every_script_is_valid(void **state)
{
    const char *ok = "Zoë Ñúñez 王小明 Αλέξανδρος "
                     "Светлана محمد 😀";

    assert_true(roster__utf8_valid(ok, strlen(ok), NULL));
}

static void bad_utf8_reports_where_the_sequence_starts(void **state)
{
    struct {
        const char *s;
        size_t offset;
    } bad[] = {
        {"Jos\xe9 x", 3},          /* Latin-1 */
        {"ab\xc0\xaf", 2},         /* overlong '/' */
        {"ab\xed\xa0\x80", 2},     /* a surrogate */
        {"ab\xf4\x90\x80\x80", 2}, /* past U+10FFFF */
        {"ab\x80", 2},             /* a lone continuation */
        {"abc\xe2\x82", 3},        /* cut short */
        {"\xff", 0},
    };
    size_t at;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        at = 99;
        assert_false(roster__utf8_valid(bad[i].s, strlen(bad[i].s), &at));
        assert_int_equal(at, bad[i].offset);
    }
}

static void the_cursor_counts_code_points_and_line_ends(void **state)
{
    const char *s = "é\r\nab\rc\nd";
    struct roster_cursor cur;

    roster__cursor_init(&cur);
    for (size_t i = 0; i < strlen(s); i++)
        assert_int_equal(roster__cursor_step(&cur, (unsigned char)s[i]), 0);
    /* CRLF, a lone CR and a lone LF each end one line. */
    assert_int_equal(cur.next.line, 4);
    assert_int_equal(cur.next.column, 2);
    assert_int_equal(cur.offset, strlen(s));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ordinary_addresses_are_valid),
        cmocka_unit_test(broken_addresses_are_invalid),
        cmocka_unit_test(an_address_with_a_nul_is_invalid),
        cmocka_unit_test(address_length_limits_hold),
        cmocka_unit_test(e164_numbers_are_normalized),
        cmocka_unit_test(non_e164_numbers_are_refused),
        cmocka_unit_test(utf8_in_every_script_is_valid),
        cmocka_unit_test(bad_utf8_reports_where_the_sequence_starts),
        cmocka_unit_test(the_cursor_counts_code_points_and_line_ends),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_roster_read.c: the roster API: options, limits, skipping invalid
 * rows, diagnostics as data, the person record, and positions that stay
 * right across the reader's 64 KiB chunks.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gcprov/roster.h"

static gcp_roster *read_with(const char *text, const gcp_roster_options *o)
{
    gcp_roster *r = NULL;

    assert_int_equal(gcp_roster_read_buffer(&r, text, strlen(text), "t", o), 0);
    assert_non_null(r);
    return r;
}

static void a_valid_row_becomes_a_complete_person(void **state)
{
    gcp_roster *r = read_with(
        "first_name,last_name,email,phone_work,division,roles,licenses,"
        "state\n"
        "Jane,Doe,Jane@Example.com,+1 415 555 0100,Sales,"
        "Agent;Supervisor@Sales,cloudCX3;communicate,Inactive\n",
        NULL);
    const gcp_person *p;

    assert_true(gcp_roster_is_valid(r));
    assert_int_equal(gcp_roster_count(r), 1);
    p = gcp_roster_person(r, 0);
    assert_string_equal(p->name, "Jane Doe");
    assert_string_equal(p->email, "Jane@Example.com");
    assert_string_equal(p->key, "jane@example.com");
    assert_null(p->employee_id);
    assert_string_equal(p->phone_work, "+14155550100");
    assert_string_equal(p->division, "Sales");
    assert_int_equal(p->role_count, 2);
    assert_string_equal(p->roles[0].role, "Agent");
    assert_null(p->roles[0].division);
    assert_string_equal(p->roles[1].role, "Supervisor");
    assert_string_equal(p->roles[1].division, "Sales");
    assert_int_equal(p->license_count, 2);
    assert_string_equal(p->licenses[1], "communicate");
    assert_int_equal(p->state, GCP_PERSON_INACTIVE);
    assert_int_equal(p->line, 2);
    assert_null(gcp_roster_person(r, 1));
    gcp_roster_free(r);
}

static void an_unknown_options_version_is_refused(void **state)
{
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    gcp_roster *r = NULL;

    o.version = 99;
    assert_int_equal(gcp_roster_read_buffer(&r, "x", 1, "t", &o), GCP_EINVALID);
    assert_string_equal(gcp_roster_error(r),
                        "roster options version 99 is not supported");
    gcp_roster_free(r);
}

static void mapping_an_unknown_field_is_refused(void **state)
{
    gcp_roster_column_map map[] = {{"email", "Mail"}, {"nickname", "Nick"}};
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    gcp_roster *r = NULL;

    o.map = map;
    o.map_count = 2;
    assert_int_equal(gcp_roster_read_buffer(&r, "x", 1, "t", &o), GCP_EINVALID);
    assert_string_equal(gcp_roster_error(r),
                        "cannot map unknown field 'nickname'");
    gcp_roster_free(r);
}

static void a_missing_file_is_an_io_error(void **state)
{
    gcp_roster *r = NULL;

    assert_int_equal(gcp_roster_read(&r, "/nonexistent/roster.csv", NULL),
                     GCP_EIO);
    assert_string_equal(gcp_roster_error(r),
                        "cannot open '/nonexistent/roster.csv': No such file "
                        "or directory");
    assert_false(gcp_roster_is_valid(r));
    gcp_roster_free(r);
    gcp_roster_free(NULL);
}

static void too_many_rows_stop_the_read(void **state)
{
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    gcp_roster *r;

    o.max_rows = 2;
    o.skip_invalid = 1;
    r = read_with("name,email\nA,a@x.com\nB,b@x.com\nC,c@x.com\nD,d@\n", &o);
    assert_false(gcp_roster_is_valid(r));
    assert_false(gcp_roster_is_usable(r));
    assert_int_equal(gcp_roster_diag_count(r), 1);
    assert_string_equal(gcp_roster_diag(r, 0)->message,
                        "more than 2 rows: split the roster");
    assert_int_equal(gcp_roster_diag(r, 0)->line, 4);
    gcp_roster_free(r);
}

static void a_long_field_is_an_error_on_its_row_only(void **state)
{
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    gcp_roster *r;

    o.max_field_bytes = 8;
    r = read_with("name,email,title\nA,a@x.com,123456789\nB,b@x.com,ok\n", &o);
    assert_int_equal(gcp_roster_count(r), 1);
    assert_string_equal(gcp_roster_diag(r, 0)->message,
                        "is longer than 8 bytes");
    assert_string_equal(gcp_roster_diag(r, 0)->field, "title");
    gcp_roster_free(r);
}

static void skip_invalid_keeps_the_valid_rows_usable(void **state)
{
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    const char *text = "name,email\nA,a@x.com\nB,b@\nC,c@x.com\n";
    gcp_roster *r = read_with(text, &o);

    assert_false(gcp_roster_is_valid(r));
    assert_false(gcp_roster_is_usable(r));
    gcp_roster_free(r);
    o.skip_invalid = 1;
    r = read_with(text, &o);
    assert_false(gcp_roster_is_valid(r));
    assert_true(gcp_roster_is_usable(r));
    assert_int_equal(gcp_roster_count(r), 2);
    assert_string_equal(gcp_roster_person(r, 1)->name, "C");
    assert_int_equal(gcp_roster_row_count(r), 3);
    gcp_roster_free(r);
}

static void a_file_level_error_is_never_usable(void **state)
{
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    gcp_roster *r;

    o.skip_invalid = 1;
    r = read_with("name,mail\nA,a@x.com\n", &o);
    assert_false(gcp_roster_is_usable(r));
    gcp_roster_free(r);
}

static void diagnostics_beyond_the_limit_are_counted(void **state)
{
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    size_t errors = 0, warnings = 0;
    gcp_roster *r;

    o.max_diags = 2;
    r = read_with("name,email,x\nA,a@,1\nB,b@,2\nC,c@,3\n", &o);
    assert_int_equal(gcp_roster_diag_count(r), 2);
    gcp_roster_diag_totals(r, &errors, &warnings);
    assert_int_equal(errors, 3);
    assert_int_equal(warnings, 1);
    gcp_roster_free(r);
}

static void diagnostics_carry_field_value_and_severity(void **state)
{
    gcp_roster *r = read_with("name,email\nJane,jane@\n", NULL);
    const gcp_roster_diagnostic *d = gcp_roster_diag(r, 0);

    assert_string_equal(d->file, "t");
    assert_int_equal(d->line, 2);
    assert_int_equal(d->column, 6);
    assert_string_equal(d->field, "email");
    assert_string_equal(d->value, "jane@");
    assert_string_equal(d->message, "'jane@' is not a valid address");
    assert_int_equal(d->severity, GCP_ROSTER_ERROR);
    assert_null(gcp_roster_diag(r, 1));
    gcp_roster_free(r);
}

/*
 * Builds a CSV roster with a row "PPP...<before><straddler>" padded so that
 * `straddler` starts at byte 65535 and straddles the reader's 65536-byte
 * chunks, followed by an invalid row. Returns the rows before that row.
 */
static unsigned build_straddling(char *text, const char *before,
                                 const char *straddler)
{
    size_t len = (size_t)sprintf(text, "name,email\r\n");
    unsigned rows = 0;

    while (len < 65536 - 60) {
        len += (size_t)sprintf(text + len, "A%05u,a%05u@x.com\r\n", rows, rows);
        rows++;
    }
    while (len < 65535 - strlen(before))
        text[len++] = 'P';
    sprintf(text + len, "%s%sB,b@\r\n", before, straddler);
    return rows;
}

static void check_straddling(const char *before, const char *straddler)
{
    char *text = malloc(200000);
    unsigned rows;
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    gcp_roster *r;
    const gcp_roster_diagnostic *d;

    assert_non_null(text);
    rows = build_straddling(text, before, straddler);
    o.delimiter = ',';
    r = read_with(text, &o);
    d = gcp_roster_diag(r, 0);
    assert_non_null(d);
    assert_string_equal(d->message, "'b@' is not a valid address");
    assert_int_equal(d->line, rows + 3);
    assert_int_equal(d->column, 3);
    assert_int_equal(gcp_roster_count(r), rows + 1);
    gcp_roster_free(r);
    free(text);
}

static void positions_survive_a_character_cut_by_a_chunk(void **state)
{
    check_straddling("", "\xc3\xa9,p@x.com\r\n");
}

static void positions_survive_a_crlf_cut_by_a_chunk(void **state)
{
    check_straddling(",p@x.com", "\r\n");
}

static void json_positions_point_at_keys_across_chunks(void **state)
{
    size_t cap = 200000, len = 0;
    char *text = malloc(cap);
    unsigned lines = 1;
    gcp_roster *r;
    const gcp_roster_diagnostic *d;

    assert_non_null(text);
    len += (size_t)sprintf(text, "[\n");
    while (len < 70000) {
        len += (size_t)sprintf(text + len,
                               "{\"name\": \"Zoë\", \"email\": "
                               "\"z%05u@x.com\"},\n",
                               lines);
        lines++;
    }
    len += (size_t)sprintf(text + len, "{\"name\": \"Ω\",\n \"email\": 5}\n]");
    r = read_with(text, NULL);
    d = gcp_roster_diag(r, 0);
    assert_non_null(d);
    assert_string_equal(d->message, "expected a string, found a number");
    assert_int_equal(d->line, lines + 2);
    assert_int_equal(d->column, 2);
    assert_int_equal(gcp_roster_count(r), lines - 1);
    gcp_roster_free(r);
    free(text);
}

static void an_oversized_json_object_stops_the_read(void **state)
{
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    gcp_roster *r;

    o.max_record_bytes = 32;
    r = read_with("[{\"name\": \"A\", \"email\": \"a@x.com\", \"title\": "
                  "\"xxxxxxxxxxxxxxxx\"}]",
                  &o);
    assert_false(gcp_roster_is_usable(r));
    assert_string_equal(gcp_roster_diag(r, 0)->message,
                        "the object is longer than 32 bytes");
    gcp_roster_free(r);
}

static void the_format_option_overrides_sniffing(void **state)
{
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    gcp_roster *r;

    o.format = GCP_ROSTER_JSONL;
    r = read_with("{\"name\": \"A\", \"email\": \"a@x.com\"}\n"
                  "{\"name\": \"B\", \"email\": \"b@x.com\"}\n",
                  &o);
    assert_true(gcp_roster_is_valid(r));
    assert_int_equal(gcp_roster_count(r), 2);
    assert_int_equal(gcp_roster_person(r, 1)->line, 2);
    gcp_roster_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_valid_row_becomes_a_complete_person),
        cmocka_unit_test(an_unknown_options_version_is_refused),
        cmocka_unit_test(mapping_an_unknown_field_is_refused),
        cmocka_unit_test(a_missing_file_is_an_io_error),
        cmocka_unit_test(too_many_rows_stop_the_read),
        cmocka_unit_test(a_long_field_is_an_error_on_its_row_only),
        cmocka_unit_test(skip_invalid_keeps_the_valid_rows_usable),
        cmocka_unit_test(a_file_level_error_is_never_usable),
        cmocka_unit_test(diagnostics_beyond_the_limit_are_counted),
        cmocka_unit_test(diagnostics_carry_field_value_and_severity),
        cmocka_unit_test(positions_survive_a_character_cut_by_a_chunk),
        cmocka_unit_test(positions_survive_a_crlf_cut_by_a_chunk),
        cmocka_unit_test(json_positions_point_at_keys_across_chunks),
        cmocka_unit_test(an_oversized_json_object_stops_the_read),
        cmocka_unit_test(the_format_option_overrides_sniffing),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

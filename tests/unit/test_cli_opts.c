/*
 * test_cli_opts.c: the table-driven option parser behind every command.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "exit.h"
#include "opts.h"

struct group_settings {
    const char *journal;
};

struct settings {
    int dry;
    const char *file;
    long count;
    double rate;
    struct cli_list seats;
    struct group_settings group;
};

static const struct cli_opt opts[] = {
    {"dry", 'n', CLI_FLAG, offsetof(struct settings, dry), NULL, "dry"},
    {"file", 'f', CLI_STRING, offsetof(struct settings, file), "FILE", "f"},
    {"count", 0, CLI_INT, offsetof(struct settings, count), "N", "n"},
    {"rate", 0, CLI_DOUBLE, offsetof(struct settings, rate), "R", "r"},
    {"seats", 0, CLI_LIST, offsetof(struct settings, seats), "L=N", "s"},
    CLI_OPT_END,
};

static const struct cli_opt group_opts[] = {
    {"journal", 0, CLI_STRING, offsetof(struct group_settings, journal), "PATH",
     "journal"},
    CLI_OPT_END,
};

static const struct cli_opt_group groups[] = {
    {"journal options", group_opts, offsetof(struct settings, group)},
    CLI_GROUP_END,
};

static const struct cli_command cmd = {
    .name = "t",
    .summary = "test",
    .opts = opts,
    .groups = groups,
    .settings_size = sizeof(struct settings),
    .json_output = 1,
};

static void options_and_operands_mix_in_any_order(void **state)
{
    char *argv[] = {"a.csv",  "--dry", "-f",     "x",  "--count=3", "b.csv",
                    "--rate", "2.5",   "--json", "--", "--c"};
    struct cli_common common = {0};
    struct settings s = {0};
    int n = 0;

    assert_int_equal(cli_opts_parse(&cmd, 11, argv, &common, &s, &n), 0);
    assert_int_equal(n, 3);
    assert_string_equal(argv[0], "a.csv");
    assert_string_equal(argv[1], "b.csv");
    assert_string_equal(argv[2], "--c");
    assert_int_equal(s.dry, 1);
    assert_string_equal(s.file, "x");
    assert_int_equal(s.count, 3);
    assert_true(s.rate == 2.5);
    assert_int_equal(common.json, 1);
    cli_opts_release(&cmd, &s);
}

static void a_repeated_list_option_keeps_every_value(void **state)
{
    char *argv[] = {"--seats", "a=1", "--seats=b=2"};
    struct cli_common common = {0};
    struct settings s = {0};
    int n = 0;

    assert_int_equal(cli_opts_parse(&cmd, 3, argv, &common, &s, &n), 0);
    assert_int_equal(s.seats.count, 2);
    assert_string_equal(s.seats.items[0], "a=1");
    assert_string_equal(s.seats.items[1], "b=2");
    cli_opts_release(&cmd, &s);
    assert_null(s.seats.items);
}

static void a_group_option_lands_in_the_group_struct(void **state)
{
    char *argv[] = {"--journal", "j.db", "-q"};
    struct cli_common common = {0};
    struct settings s = {0};
    int n = 0;

    assert_int_equal(cli_opts_parse(&cmd, 3, argv, &common, &s, &n), 0);
    assert_string_equal(s.group.journal, "j.db");
    assert_int_equal(common.quiet, 1);
}

static void bad_usage_returns_the_usage_status(void **state)
{
    char *unknown[] = {"--nope"};
    char *number[] = {"--count", "3x"};
    char *missing[] = {"--file"};
    char *flag_value[] = {"--dry=1"};
    struct cli_common common = {0};
    struct settings s = {0};
    int n = 0;

    assert_int_equal(cli_opts_parse(&cmd, 1, unknown, &common, &s, &n),
                     CLI_EXIT_USAGE);
    assert_int_equal(cli_opts_parse(&cmd, 2, number, &common, &s, &n),
                     CLI_EXIT_USAGE);
    assert_int_equal(cli_opts_parse(&cmd, 1, missing, &common, &s, &n),
                     CLI_EXIT_USAGE);
    assert_int_equal(cli_opts_parse(&cmd, 1, flag_value, &common, &s, &n),
                     CLI_EXIT_USAGE);
}

static void help_lists_every_option_of_the_table(void **state)
{
    char buf[4096] = {0};
    FILE *out = fmemopen(buf, sizeof(buf) - 1, "w");

    cli_opts_help(&cmd, out);
    fclose(out);
    for (const struct cli_opt *o = opts; o->name != NULL; o++)
        assert_non_null(strstr(buf, o->name));
    assert_non_null(strstr(buf, "--journal PATH"));
    assert_non_null(strstr(buf, "--json"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(options_and_operands_mix_in_any_order),
        cmocka_unit_test(a_repeated_list_option_keeps_every_value),
        cmocka_unit_test(a_group_option_lands_in_the_group_struct),
        cmocka_unit_test(bad_usage_returns_the_usage_status),
        cmocka_unit_test(help_lists_every_option_of_the_table),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

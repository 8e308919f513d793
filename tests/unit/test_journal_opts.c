/*
 * test_journal_opts.c: where the CLI puts the journal by default, the
 * --journal and --journal-sync options, and opening a journal to write.
 */
#define _XOPEN_SOURCE 700 /* for nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ftw.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "exit.h"
#include "journal_int.h"
#include "journal_opts.h"

static int remove_entry(const char *path, const struct stat *st, int type,
                        struct FTW *ftw)
{
    return remove(path);
}

static int env_setup(void **state)
{
    static char dir[64];

    snprintf(dir, sizeof(dir), "/tmp/gcprov-jopts-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    setenv("XDG_STATE_HOME", dir, 1);
    setenv("HOME", "/home/someone", 1);
    *state = dir;
    return 0;
}

static int env_teardown(void **state)
{
    nftw(*state, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    return 0;
}

static void the_default_journal_is_named_after_the_org(void **state)
{
    struct cli_journal_opts opts = {0};
    char expect[128];
    char *path = NULL;

    snprintf(expect, sizeof(expect), "%s/gcprov/api.mypurecloud.com.db",
             (char *)*state);
    assert_int_equal(cli_journal_resolve(&path, &opts, "api.mypurecloud.com"),
                     0);
    assert_string_equal(path, expect);
    free(path);
}

static void a_relative_xdg_state_home_falls_back_to_home(void **state)
{
    char *path = NULL;

    setenv("XDG_STATE_HOME", "relative/state", 1);
    assert_int_equal(cli_journal_resolve(&path, NULL, "org"), 0);
    assert_string_equal(path, "/home/someone/.local/state/gcprov/org.db");
    free(path);
}

static void an_org_name_cannot_leave_the_state_folder(void **state)
{
    char expect[128];
    char *path = NULL;

    snprintf(expect, sizeof(expect), "%s/gcprov/_._evil_org.db",
             (char *)*state);
    assert_int_equal(cli_journal_resolve(&path, NULL, "../evil org"), 0);
    assert_string_equal(path, expect);
    free(path);
}

static void the_journal_option_wins_over_the_default(void **state)
{
    struct cli_journal_opts opts = {.path = "/srv/j.db"};
    char *path = NULL;

    assert_int_equal(cli_journal_resolve(&path, &opts, "org"), 0);
    assert_string_equal(path, "/srv/j.db");
    free(path);
}

static void a_writer_opens_owner_only_with_the_chosen_sync(void **state)
{
    struct cli_journal_opts opts = {.sync = "normal"};
    gcp_journal *j = NULL;
    char dir[128];
    struct stat st;

    assert_int_equal(cli_journal_open_writer(&j, &opts, "org"), 0);
    assert_int_equal(
        sqlite3_exec(j->db, "PRAGMA synchronous", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(j->sync, GCP_JOURNAL_SYNC_NORMAL);
    assert_int_equal(stat(gcp_journal_path(j), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    snprintf(dir, sizeof(dir), "%s/gcprov", (char *)*state);
    assert_int_equal(stat(dir, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
    assert_int_equal(gcp_journal_close(j), 0);
    gcp_journal_free(j);
}

static void a_bad_sync_level_is_a_usage_error(void **state)
{
    struct cli_journal_opts opts = {.sync = "sometimes"};
    gcp_journal *j = NULL;

    assert_int_equal(cli_journal_open_writer(&j, &opts, "org"), CLI_EXIT_USAGE);
    assert_null(j);
}

static void a_busy_journal_is_a_local_failure(void **state)
{
    gcp_journal *first = NULL;
    gcp_journal *second = NULL;

    assert_int_equal(cli_journal_open_writer(&first, NULL, "org"), 0);
    assert_int_equal(cli_journal_open_writer(&second, NULL, "org"),
                     CLI_EXIT_LOCAL);
    gcp_journal_free(second);
    gcp_journal_free(first);
}

static void times_print_in_utc_with_or_without_milliseconds(void **state)
{
    char when[32];

    cli_journal_time(when, sizeof(when), 1764777676042);
    assert_string_equal(when, "2025-12-03T16:01:16Z");
    cli_journal_time_ms(when, sizeof(when), 1764777676042);
    assert_string_equal(when, "2025-12-03T16:01:16.042Z");
    cli_journal_time(when, sizeof(when), 0);
    assert_string_equal(when, "-");
}

#define T(name) cmocka_unit_test_setup_teardown(name, env_setup, env_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(the_default_journal_is_named_after_the_org),
        T(a_relative_xdg_state_home_falls_back_to_home),
        T(an_org_name_cannot_leave_the_state_folder),
        T(the_journal_option_wins_over_the_default),
        T(a_writer_opens_owner_only_with_the_chosen_sync),
        T(a_bad_sync_level_is_a_usage_error),
        T(a_busy_journal_is_a_local_failure),
        T(times_print_in_utc_with_or_without_milliseconds),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

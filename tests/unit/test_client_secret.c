/*
 * test_client_secret.c: where secrets come from: owner-only files and
 * commands, and the refusals, with their reasons.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "secret.h"
#include "wipe.h"

struct fixture {
    char dir[64];
    char path[128];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));

    strcpy(f->dir, "/tmp/gcprov-secret.XXXXXX");
    if (mkdtemp(f->dir) == NULL)
        return -1;
    snprintf(f->path, sizeof(f->path), "%s/secret", f->dir);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    unlink(f->path);
    rmdir(f->dir);
    free(f);
    return 0;
}

static void write_file(const char *path, const char *text, mode_t mode)
{
    FILE *fp = fopen(path, "w");

    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static void an_owner_only_file_gives_its_secret_without_newline(void **state)
{
    struct fixture *f = *state;
    struct gcp_err err = {0};
    char *secret = NULL;

    write_file(f->path, "s3cret\r\n", 0600);
    assert_int_equal(gcp_secret__read_file(&secret, f->path, &err), 0);
    assert_string_equal(secret, "s3cret");
    gcp_wipe_free(secret);
}

static void a_file_others_can_read_is_refused_with_the_fix(void **state)
{
    struct fixture *f = *state;
    struct gcp_err err = {0};
    char *secret = NULL;

    write_file(f->path, "s3cret\n", 0644);
    assert_int_equal(gcp_secret__read_file(&secret, f->path, &err),
                     GCP_EINVALID);
    assert_null(secret);
    assert_non_null(strstr(err.msg, "mode 0644"));
    assert_non_null(strstr(err.msg, "chmod 600"));
    assert_null(strstr(err.msg, "s3cret"));
    write_file(f->path, "s3cret\n", 0640);
    assert_int_equal(gcp_secret__read_file(&secret, f->path, &err),
                     GCP_EINVALID);
}

static void a_missing_or_empty_file_is_refused(void **state)
{
    struct fixture *f = *state;
    struct gcp_err err = {0};
    char *secret = NULL;

    assert_int_equal(gcp_secret__read_file(&secret, f->path, &err), GCP_EIO);
    assert_non_null(strstr(err.msg, "cannot open secret file"));
    write_file(f->path, "\n", 0600);
    assert_int_equal(gcp_secret__read_file(&secret, f->path, &err),
                     GCP_EINVALID);
    assert_null(secret);
}

static void a_command_gives_its_standard_output(void **state)
{
    struct gcp_err err = {0};
    char *secret = NULL;

    assert_int_equal(
        gcp_secret__run_command(&secret, "printf 'from-vault\\n'", &err), 0);
    assert_string_equal(secret, "from-vault");
    gcp_wipe_free(secret);
}

static void a_failing_command_is_refused_without_its_output(void **state)
{
    struct gcp_err err = {0};
    char *secret = NULL;

    assert_int_equal(
        gcp_secret__run_command(&secret, "echo leaked; exit 3", &err), GCP_EIO);
    assert_null(secret);
    assert_non_null(strstr(err.msg, "exit status 3"));
    assert_null(strstr(err.msg, "leaked"));
    assert_int_equal(gcp_secret__run_command(&secret, "true", &err),
                     GCP_EINVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            an_owner_only_file_gives_its_secret_without_newline, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            a_file_others_can_read_is_refused_with_the_fix, setup, teardown),
        cmocka_unit_test_setup_teardown(a_missing_or_empty_file_is_refused,
                                        setup, teardown),
        cmocka_unit_test(a_command_gives_its_standard_output),
        cmocka_unit_test(a_failing_command_is_refused_without_its_output),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_client_connect.c: the CLI's connection options: where the client
 * id, the region and the secret come from, and that the secret leaves the
 * environment once read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "connect.h"
#include "exit.h"

static int setup(void **state)
{
    unsetenv("GENESYSCLOUD_REGION");
    unsetenv("GENESYSCLOUD_OAUTHCLIENT_ID");
    unsetenv("GENESYSCLOUD_OAUTHCLIENT_SECRET");
    *state = calloc(1, sizeof(struct cli_connect));
    return *state != NULL ? 0 : -1;
}

static int teardown(void **state)
{
    free(*state);
    return 0;
}

static void the_secret_is_taken_out_of_the_environment(void **state)
{
    struct cli_connect *o = *state;
    gcp_client *c = NULL;

    setenv("GENESYSCLOUD_OAUTHCLIENT_ID", "env-id", 1);
    setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "env-secret", 1);
    o->api_url = "http://127.0.0.1:9";
    assert_int_equal(cli_connect_open(&c, o), CLI_EXIT_OK);
    assert_non_null(c);
    assert_null(getenv("GENESYSCLOUD_OAUTHCLIENT_SECRET"));
    assert_string_equal(gcp_client_id(c), "env-id");
    gcp_client_free(c);
}

static void the_secret_leaves_the_environment_even_when_unused(void **s)
{
    struct cli_connect *o = *s;
    gcp_client *c = NULL;

    setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "env-secret", 1);
    o->api_url = "http://127.0.0.1:9";
    o->client_id = "flag-id";
    o->secret_command = "echo from-command";
    assert_int_equal(cli_connect_open(&c, o), CLI_EXIT_OK);
    assert_null(getenv("GENESYSCLOUD_OAUTHCLIENT_SECRET"));
    assert_string_equal(gcp_client_id(c), "flag-id");
    gcp_client_free(c);
}

static void two_secret_sources_are_a_usage_error(void **state)
{
    struct cli_connect *o = *state;
    gcp_client *c = NULL;

    o->api_url = "http://127.0.0.1:9";
    o->client_id = "x";
    o->secret_file = "/nonexistent";
    o->secret_command = "echo s";
    assert_int_equal(cli_connect_open(&c, o), CLI_EXIT_USAGE);
    assert_null(c);
}

static void a_missing_client_id_or_region_is_a_usage_error(void **state)
{
    struct cli_connect *o = *state;
    gcp_client *c = NULL;

    setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "s", 1);
    o->api_url = "http://127.0.0.1:9";
    assert_int_equal(cli_connect_open(&c, o), CLI_EXIT_USAGE);
    o->api_url = NULL;
    o->client_id = "x";
    assert_int_equal(cli_connect_open(&c, o), CLI_EXIT_USAGE);
    assert_null(c);
}

static void the_region_comes_from_the_environment(void **state)
{
    struct cli_connect *o = *state;
    gcp_client *c = NULL;

    setenv("GENESYSCLOUD_REGION", "eu-central-1", 1);
    setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "s", 1);
    o->client_id = "x";
    assert_int_equal(cli_connect_open(&c, o), CLI_EXIT_OK);
    gcp_client_free(c);
    setenv("GENESYSCLOUD_REGION", "atlantis-1", 1);
    setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "s", 1);
    assert_int_equal(cli_connect_open(&c, o), CLI_EXIT_USAGE);
    assert_null(c);
}

static void a_failing_secret_command_is_an_auth_failure(void **state)
{
    struct cli_connect *o = *state;
    gcp_client *c = NULL;

    o->api_url = "http://127.0.0.1:9";
    o->client_id = "x";
    o->secret_command = "exit 4";
    assert_int_equal(cli_connect_open(&c, o), CLI_EXIT_AUTH);
    assert_null(c);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(the_secret_is_taken_out_of_the_environment),
        T(the_secret_leaves_the_environment_even_when_unused),
        T(two_secret_sources_are_a_usage_error),
        T(a_missing_client_id_or_region_is_a_usage_error),
        T(the_region_comes_from_the_environment),
        T(a_failing_secret_command_is_an_auth_failure),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

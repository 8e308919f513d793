/*
 * test_security_dump.c: the CLI makes its process non-dumpable (no core
 * file, no ptrace by others) before it holds a secret, and takes the
 * secret's variable out of the environment. The check is in-process
 * (prctl PR_GET_DUMPABLE) because /proc shows it only to a non-root
 * reader. Nothing is sent: the client is created, not connected.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/prctl.h>

#include <cmocka.h>

#include "connect.h"
#include "gcprov/client.h"

static void opening_a_client_makes_the_process_non_dumpable(void **state)
{
    struct cli_connect opts = {0};
    gcp_client *client = NULL;

    (void)state;
    assert_int_equal(prctl(PR_SET_DUMPABLE, 1, 0, 0, 0), 0);
    assert_int_equal(setenv("GENESYSCLOUD_OAUTHCLIENT_SECRET", "s3cret", 1), 0);
    opts.api_url = "http://127.0.0.1:9";
    opts.client_id = "ci";
    assert_int_equal(cli_connect_open(&client, &opts), 0);
    assert_non_null(client);
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    assert_null(getenv("GENESYSCLOUD_OAUTHCLIENT_SECRET"));
    gcp_client_free(client);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(opening_a_client_makes_the_process_non_dumpable),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

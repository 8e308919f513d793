/*
 * test_sandbox_request.c: the sandbox's routes driven without a socket
 * (sbx_open and sbx_handle_raw), against the demo org in memory: query
 * strings decoded as libmicrohttpd decodes them, headers found without
 * regard to case, Basic credentials decoded, 405 with Allow, 413 past the
 * body limit, an ErrorBody even for a path that is not UTF-8, and the TLS
 * settings checked at start.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "server.h"

struct fixture {
    struct sbx *sbx;
    char bearer[200];
    struct sbx_reply reply;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct sbx_config cfg;
    struct gcp_err err;
    struct timespec now;
    char *token = NULL;
    long expires;

    gcp_err__clear(&err);
    sbx_config_init(&cfg);
    cfg.faults.search_lag = 0;
    clock_gettime(CLOCK_MONOTONIC, &now);
    assert_int_equal(sbx_open(&f->sbx, &cfg, &err), 0);
    assert_int_equal(sbx_model_token_issue(f->sbx->model, &token, &expires,
                                           "gcprov-demo", "gcprov-demo-secret",
                                           (double)now.tv_sec, &err),
                     0);
    snprintf(f->bearer, sizeof(f->bearer), "Bearer %s", token);
    free(token);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    json_decref(f->reply.body);
    sbx_stop(f->sbx, NULL);
    free(f);
    return 0;
}

/* One call with the token and a JSON content type; returns the status. */
static int call(struct fixture *f, const char *method, const char *path,
                const char *query, const char *body)
{
    const struct sbx_kv headers[] = {{"authorization", f->bearer},
                                     {"CONTENT-TYPE", "application/json"}};

    json_decref(f->reply.body);
    memset(&f->reply, 0, sizeof(f->reply));
    assert_int_equal(sbx_handle_raw(&f->reply, f->sbx, method, path, query,
                                    headers, 2, body, body ? strlen(body) : 0),
                     0);
    return f->reply.status;
}

static const char *field(struct fixture *f, const char *name)
{
    return json_string_value(json_object_get(f->reply.body, name));
}

static void routes_run_against_a_model_in_memory(void **state)
{
    struct fixture *f = *state;
    char path[128];

    assert_int_equal(
        call(f, "POST", "/api/v2/users", NULL,
             "{\"name\": \"Mo Mem\", \"email\": \"mo@x.example\"}"),
        200);
    snprintf(path, sizeof(path), "/api/v2/users/%s", field(f, "id"));
    assert_int_equal(call(f, "GET", path, NULL, NULL), 200);
    assert_string_equal(field(f, "email"), "mo@x.example");
    assert_int_equal(strlen(f->reply.correlation_id), 36);
}

static void the_query_string_is_decoded_like_libmicrohttpd(void **state)
{
    struct fixture *f = *state;
    json_t *entities;

    assert_int_equal(call(f, "GET", "/api/v2/authorization/roles",
                          "name=communicate+us%65r&pageSize=5&flag", NULL),
                     200);
    entities = json_object_get(f->reply.body, "entities");
    assert_int_equal(json_array_size(entities), 1);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(entities, 0), "name")),
        "Communicate User");
    assert_int_equal(call(f, "GET", "/api/v2/users", "pageSize=%30", NULL),
                     400);
}

static void a_token_is_issued_for_basic_credentials(void **state)
{
    struct fixture *f = *state;
    /* gcprov-demo:gcprov-demo-secret */
    const struct sbx_kv headers[] = {
        {"Authorization", "Basic Z2Nwcm92LWRlbW86Z2Nwcm92LWRlbW8tc2VjcmV0"},
        {"Content-Type", "application/x-www-form-urlencoded"}};
    const char *form = "grant_type=client_credentials";

    assert_int_equal(sbx_handle_raw(&f->reply, f->sbx, "POST", "/oauth/token",
                                    NULL, headers, 2, form, strlen(form)),
                     0);
    assert_int_equal(f->reply.status, 200);
    assert_non_null(field(f, "access_token"));
}

static void malformed_basic_credentials_are_refused(void **state)
{
    struct fixture *f = *state;
    static const char *const bad[] = {
        "Basic !!!!",      "Basic Z2Nwcm92", /* no colon */
        "Basic Zm9v=YmFy",                   /* padding inside */
        "Basic AA==",                        /* a NUL byte */
        "Bearer x",        "Basic"};
    const char *form = "grant_type=client_credentials";

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const struct sbx_kv headers[] = {
            {"Authorization", bad[i]},
            {"Content-Type", "application/x-www-form-urlencoded"}};

        json_decref(f->reply.body);
        memset(&f->reply, 0, sizeof(f->reply));
        assert_int_equal(sbx_handle_raw(&f->reply, f->sbx, "POST",
                                        "/oauth/token", NULL, headers, 2, form,
                                        strlen(form)),
                         0);
        assert_int_equal(f->reply.status, 401);
        assert_string_equal(field(f, "error"), "invalid_client");
    }
}

static void another_method_on_a_known_path_is_405_with_allow(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(call(f, "BREW", "/api/v2/users/u1", NULL, NULL), 405);
    assert_string_equal(f->reply.allow, "GET, PATCH, DELETE");
    assert_string_equal(field(f, "code"), "method.not.allowed");
    assert_int_equal(call(f, "BREW", "/api/v2/nothing", NULL, NULL), 404);
    assert_string_equal(f->reply.allow, "");
}

static void a_body_past_the_limit_is_413(void **state)
{
    struct fixture *f = *state;
    char *big = malloc(SBX_MAX_BODY + 2);

    assert_non_null(big);
    memset(big, ' ', SBX_MAX_BODY + 1);
    big[SBX_MAX_BODY + 1] = '\0';
    assert_int_equal(call(f, "POST", "/api/v2/users", NULL, big), 413);
    assert_string_equal(field(f, "code"), "request.entity.too.large");
    free(big);
}

static void a_path_that_is_not_utf8_still_gets_an_error_body(void **state)
{
    struct fixture *f = *state;

    assert_int_equal(call(f, "GET", "/api/v2/users/\xff\xfe", NULL, NULL), 404);
    assert_string_equal(field(f, "code"), "not.found");
    assert_non_null(strstr(field(f, "message"), "??"));
    assert_int_equal(call(f, "GET", "/a\x80i/v2", NULL, NULL), 404);
    assert_non_null(field(f, "message"));
}

static void tls_needs_both_files(void **state)
{
    struct sbx_config cfg;
    struct gcp_err err;
    struct sbx *s = NULL;

    gcp_err__clear(&err);
    sbx_config_init(&cfg);
    cfg.tls_cert_file = "cert.pem";
    assert_int_equal(sbx_start(&s, &cfg, &err), GCP_EINVALID);
    assert_non_null(strstr(gcp_err__message(&err), "both"));
    cfg.tls_key_file = "/nonexistent/key.pem";
    cfg.tls_cert_file = "/nonexistent/cert.pem";
    assert_int_equal(sbx_start(&s, &cfg, &err), GCP_EIO);
    assert_non_null(strstr(gcp_err__message(&err), "cert.pem"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(routes_run_against_a_model_in_memory,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            the_query_string_is_decoded_like_libmicrohttpd, setup, teardown),
        cmocka_unit_test_setup_teardown(a_token_is_issued_for_basic_credentials,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(malformed_basic_credentials_are_refused,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            another_method_on_a_known_path_is_405_with_allow, setup, teardown),
        cmocka_unit_test_setup_teardown(a_body_past_the_limit_is_413, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            a_path_that_is_not_utf8_still_gets_an_error_body, setup, teardown),
        cmocka_unit_test(tls_needs_both_files),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

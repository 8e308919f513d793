/*
 * test_sandbox_server.c: the sandbox embedded in a C program, as a later
 * `gcprov apply --sandbox` will run it: start on a free port, call it with
 * libcurl, change faults in-process, stop, and keep the org in a state
 * file across a restart.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "sandbox.h"

struct buf {
    char data[8192];
    size_t len;
};

static size_t on_body(char *p, size_t size, size_t n, void *payload)
{
    struct buf *b = payload;
    size_t len = size * n;

    if (b->len + len >= sizeof(b->data))
        len = sizeof(b->data) - b->len - 1;
    memcpy(b->data + b->len, p, len);
    b->len += len;
    b->data[b->len] = '\0';
    return size * n;
}

/* One call; returns the HTTP status and fills `out`. */
static long http(struct sbx *s, const char *method, const char *path,
                 const char *auth, const char *body, struct buf *out)
{
    CURL *c = curl_easy_init();
    struct curl_slist *h = NULL;
    char url[512], header[256];
    long status = 0;

    out->len = 0;
    out->data[0] = '\0';
    snprintf(url, sizeof(url), "%s%s", sbx_url(s), path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    if (auth != NULL) {
        snprintf(header, sizeof(header), "Authorization: Bearer %s", auth);
        h = curl_slist_append(h, header);
    }
    if (body != NULL) {
        h = curl_slist_append(h, "Content-Type: application/json");
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    }
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    curl_easy_cleanup(c);
    return status;
}

static void login(struct sbx *s, char *token, size_t size)
{
    CURL *c = curl_easy_init();
    struct buf out = {{0}, 0};
    char url[512];
    json_t *reply;

    snprintf(url, sizeof(url), "%s/oauth/token", sbx_url(s));
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_USERPWD, "gcprov-demo:gcprov-demo-secret");
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, "grant_type=client_credentials");
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &out);
    assert_int_equal(curl_easy_perform(c), CURLE_OK);
    curl_easy_cleanup(c);
    reply = json_loads(out.data, 0, NULL);
    assert_non_null(reply);
    snprintf(token, size, "%s",
             json_string_value(json_object_get(reply, "access_token")));
    json_decref(reply);
}

static void an_embedded_sandbox_serves_on_a_free_port(void **state)
{
    struct sbx_config cfg;
    struct sbx *s = NULL;
    struct gcp_err err;
    struct buf out;
    char token[128];

    sbx_config_init(&cfg);
    assert_int_equal(sbx_start(&s, &cfg, &err), 0);
    assert_int_equal(strncmp(sbx_url(s), "http://127.0.0.1:", 17), 0);
    assert_true(strcmp(sbx_url(s), "http://127.0.0.1:0") != 0);
    login(s, token, sizeof(token));
    assert_int_equal(http(s, "GET", "/api/v2/users", token, NULL, &out), 200);
    assert_non_null(strstr(out.data, "\"total\":1"));
    assert_int_equal(sbx_stop(s, &err), 0);
}

static void faults_set_in_process_take_effect(void **state)
{
    struct sbx_config cfg;
    struct sbx *s = NULL;
    struct gcp_err err;
    struct buf out;
    char token[128];

    sbx_config_init(&cfg);
    assert_int_equal(sbx_start(&s, &cfg, &err), 0);
    login(s, token, sizeof(token));
    cfg.faults.fail_rate = 1;
    sbx_set_faults(s, &cfg.faults);
    assert_int_equal(http(s, "GET", "/api/v2/users", token, NULL, &out), 503);
    assert_non_null(strstr(out.data, "service.unavailable"));
    assert_int_equal(sbx_stop(s, &err), 0);
}

static void a_bad_listen_address_is_refused(void **state)
{
    struct sbx_config cfg;
    struct sbx *s = NULL;
    struct gcp_err err;

    sbx_config_init(&cfg);
    cfg.listen = "localhost";
    gcp_err__clear(&err);
    assert_int_equal(sbx_start(&s, &cfg, &err), GCP_EINVALID);
    assert_null(s);
    assert_non_null(strstr(gcp_err__message(&err), "'localhost'"));
}

static void the_state_file_keeps_the_org_across_a_restart(void **state)
{
    char path[] = "/tmp/gcprov-sbx-state-XXXXXX";
    int fd = mkstemp(path);
    struct sbx_config cfg;
    struct sbx *s = NULL;
    struct gcp_err err;
    struct buf out;
    char token[128];

    assert_true(fd >= 0);
    close(fd);
    unlink(path);
    sbx_config_init(&cfg);
    cfg.state_file = path;
    assert_int_equal(sbx_start(&s, &cfg, &err), 0);
    login(s, token, sizeof(token));
    assert_int_equal(http(s, "POST", "/api/v2/users", token,
                          "{\"name\": \"K\", \"email\": \"k@x.example\"}",
                          &out),
                     200);
    assert_int_equal(sbx_stop(s, &err), 0);
    assert_int_equal(sbx_start(&s, &cfg, &err), 0);
    login(s, token, sizeof(token));
    assert_int_equal(http(s, "POST", "/api/v2/users", token,
                          "{\"name\": \"K\", \"email\": \"k@x.example\"}",
                          &out),
                     409);
    assert_int_equal(sbx_stop(s, &err), 0);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(an_embedded_sandbox_serves_on_a_free_port),
        cmocka_unit_test(faults_set_in_process_take_effect),
        cmocka_unit_test(a_bad_listen_address_is_refused),
        cmocka_unit_test(the_state_file_keeps_the_org_across_a_restart),
    };
    int rc;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    rc = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return rc;
}

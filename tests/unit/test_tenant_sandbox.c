/*
 * test_tenant_sandbox.c: the reader, the plan and the batch runner against
 * the real sandbox over loopback, through a minimal libcurl adapter (the
 * client proper is another module): read, plan, run, read and plan again.
 * The second plan must make no write, and the sandbox must still hold
 * every grant and license it was seeded with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>
#include <curl/curl.h>

#include "batch.h"
#include "sandbox.h"
#include "tenant_read.h"
#include "test_plan_fixture.h"

#ifndef PEOPLE
#define PEOPLE 40
#endif

/* The seed: two divisions, two roles, two licenses, one client, an old
 * user with a role and a license the roster never mentions. */
static const char seed[] =
    "{'divisions': [{'id': 'd-home', 'name': 'Home', 'home': true},"
    "               {'id': 'd-emea', 'name': 'EMEA'}],"
    " 'licenses': [{'id': 'cx3'}, {'id': 'comm'}],"
    " 'roles': [{'id': 'r-agent', 'name': 'Agent', 'baseLicense': 'cx3'},"
    "           {'id': 'r-emp', 'name': 'Employee'}],"
    " 'clients': [{'id': 'ci', 'secret': 'ci-secret'}],"
    " 'users': [{'id': 'u-old', 'name': 'Old', 'email': 'old@example.com',"
    "            'grants': [{'roleId': 'r-emp', 'divisionId': 'd-emea'}],"
    "            'licenses': ['comm']}]}";

struct wire {
    CURL *curl;
    char url[128];
    char auth[512]; /* "Authorization: Bearer ..." */
    size_t calls;
    size_t writes;
    json_t *known; /* key -> user id, the journal's links */
};

static size_t wire_collect(char *data, size_t size, size_t n, void *payload)
{
    json_t *buf = payload; /* a JSON string holding the body so far */
    char *joined;
    size_t old = json_string_length(buf);

    joined = malloc(old + size * n + 1);
    memcpy(joined, json_string_value(buf), old);
    memcpy(joined + old, data, size * n);
    json_string_setn(buf, joined, old + size * n);
    free(joined);
    return size * n;
}

/* One HTTP exchange; *out gets the parsed body. Returns the status. */
static long wire_http(struct wire *w, json_t **out, const char *method,
                      const char *path, const char *body, const char *auth,
                      const char *type)
{
    char url[2048];
    struct curl_slist *headers = NULL;
    json_t *buf = json_stringn("", 0);
    long status = 0;

    snprintf(url, sizeof(url), "%s%s", w->url, path);
    headers = curl_slist_append(headers, auth);
    headers = curl_slist_append(headers, type);
    curl_easy_reset(w->curl);
    curl_easy_setopt(w->curl, CURLOPT_URL, url);
    curl_easy_setopt(w->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(w->curl, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(w->curl, CURLOPT_WRITEFUNCTION, wire_collect);
    curl_easy_setopt(w->curl, CURLOPT_WRITEDATA, buf);
    if (body != NULL)
        curl_easy_setopt(w->curl, CURLOPT_POSTFIELDS, body);
    assert_int_equal(curl_easy_perform(w->curl), CURLE_OK);
    curl_easy_getinfo(w->curl, CURLINFO_RESPONSE_CODE, &status);
    *out = json_loads(json_string_value(buf), JSON_DECODE_ANY, NULL);
    json_decref(buf);
    curl_slist_free_all(headers);
    return status;
}

static void wire_login(struct wire *w)
{
    json_t *reply;

    /* "ci:ci-secret" in base64. */
    assert_int_equal(wire_http(w, &reply, "POST", "/oauth/token",
                               "grant_type=client_credentials",
                               "Authorization: Basic Y2k6Y2ktc2VjcmV0",
                               "Content-Type: application/"
                               "x-www-form-urlencoded"),
                     200);
    snprintf(w->auth, sizeof(w->auth), "Authorization: Bearer %s",
             json_string_value(json_object_get(reply, "access_token")));
    json_decref(reply);
}

static int wire_code(long status)
{
    if (status >= 200 && status < 300)
        return 0;
    if (status == 404)
        return GCP_ENOTFOUND;
    return status == 409 ? GCP_ECONFLICT : GCP_ERROR;
}

static int wire_call(json_t **out, const char *method, const char *route,
                     const char *path, json_t *body, void *payload)
{
    struct wire *w = payload;
    char *text = body != NULL ? json_dumps(body, JSON_COMPACT) : NULL;
    long status;

    w->calls++;
    status = wire_http(w, out, method, path, text, w->auth,
                       "Content-Type: application/json");
    free(text);
    if (status >= 300) {
        json_decref(*out);
        *out = NULL;
    }
    return wire_code(status);
}

static int wire_send(struct gcp_batch_reply *out,
                     const struct gcp_batch_request *req, const char *path,
                     json_t *body, void *payload)
{
    struct wire *w = payload;

    w->writes++;
    out->code = wire_call(&out->json, req->method, req->route, path, body, w);
    if (out->code == 0 && req->kind == GCP_BATCH_CREATE)
        json_object_set(w->known, req->user_key,
                        json_object_get(out->json, "id"));
    return out->code;
}

static int wire_link(const char **out_user_id, const char *key, void *payload)
{
    struct wire *w = payload;

    *out_user_id = json_string_value(json_object_get(w->known, key));
    return *out_user_id != NULL ? 0 : GCP_ENOTFOUND;
}

static void wire_people(struct fx *fx)
{
    json_t *roster = json_array();

    for (size_t i = 0; i < PEOPLE; i++) {
        char key[16], email[32];

        snprintf(key, sizeof(key), "E%03zu", i);
        snprintf(email, sizeof(email), "p%03zu@example.com", i);
        json_array_append_new(
            roster, json_pack("{s:s, s:s, s:s, s:[s, {s:s, s:s}], s:[s]}",
                              "employee_id", key, "name", key, "email", email,
                              "roles", "Agent", "role", "Employee", "division",
                              "EMEA", "licenses", "comm"));
    }
    json_array_append_new(roster,
                          fx_parse("{'name': 'Old', 'email': 'OLD@example.com',"
                                   " 'roles': ['Agent']}"));
    fx_people_json(fx, roster);
}

/* Reads the tenant and plans; returns the plan, the snapshot in fx. */
static gcp_plan *wire_plan(struct fx *fx, struct wire *w)
{
    struct gcp_tenant_read_options opts = {
        .strategy = GCP_TENANT_READ_AUTO, .link = wire_link, .link_payload = w};
    struct gcp_err err;

    gcp_tenant__free(fx->snap);
    fx->snap = NULL;
    gcp_err__clear(&err);
    if (gcp_tenant__read(&fx->snap, NULL, fx->ptrs, fx->count, &opts, wire_call,
                         w, &err) != 0)
        fail_msg("%s", gcp_err__message(&err));
    return fx_plan(fx, NULL);
}

static struct sbx *wire_start(struct wire *w, char *seed_path)
{
    struct sbx_config cfg;
    struct sbx *s = NULL;
    struct gcp_err err;
    json_t *doc = fx_parse(seed);
    int fd = mkstemp(seed_path);

    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(json_dump_file(doc, seed_path, 0), 0);
    json_decref(doc);
    sbx_config_init(&cfg);
    cfg.seed_file = seed_path;
    cfg.faults.rate_limit = 0;
    gcp_err__clear(&err);
    assert_int_equal(sbx_start(&s, &cfg, &err), 0);
    snprintf(w->url, sizeof(w->url), "%s", sbx_url(s));
    w->curl = curl_easy_init();
    w->known = json_object();
    wire_login(w);
    return s;
}

static void a_second_plan_after_a_run_against_the_sandbox_is_empty(void **s)
{
    char seed_path[] = "/tmp/gcprov-plan-seed-XXXXXX";
    struct wire w = {0};
    struct sbx *sbx = wire_start(&w, seed_path);
    struct gcp_batch_hooks hooks = {wire_send, NULL, NULL, &w};
    struct gcp_batch_run_stats stats;
    struct gcp_batch *batch = NULL;
    struct fx fx = {0};
    gcp_plan *first, *second;
    gcp_plan_counts c;

    wire_people(&fx);
    first = wire_plan(&fx, &w);
    gcp_plan_counts_get(&c, first);
    assert_int_equal(c.create, PEOPLE);
    assert_int_equal(c.update, 1); /* Old gets Agent */
    assert_int_equal(c.grants, 2 * PEOPLE + 1);
    assert_int_equal(gcp_batch__build(&batch, first, NULL), 0);
    assert_int_equal(gcp_batch__run(&stats, batch, first, &hooks), 0);
    assert_int_equal(stats.failed, 0);
    /* Creates, external ids, one call per grant group and for licenses. */
    assert_int_equal(w.writes, 2 * PEOPLE + 2 + 1);
    gcp_batch__free(batch);
    second = wire_plan(&fx, &w);
    gcp_plan_counts_get(&c, second);
    assert_int_equal(c.unchanged, PEOPLE + 1);
    /* What the roster never mentioned is still there. */
    assert_true(gcp_tenant__user_has_grant(
        gcp_tenant__user_by_id(fx.snap, "u-old"), "r-emp", "d-emea"));
    assert_true(gcp_tenant__user_has_license(
        gcp_tenant__user_by_id(fx.snap, "u-old"), "comm"));
    gcp_plan_free(second);
    gcp_plan_free(first);
    fx_free(&fx);
    curl_easy_cleanup(w.curl);
    json_decref(w.known);
    assert_int_equal(sbx_stop(sbx, NULL), 0);
    unlink(seed_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            a_second_plan_after_a_run_against_the_sandbox_is_empty),
    };
    int failed;

    curl_global_init(CURL_GLOBAL_DEFAULT);
    failed = cmocka_run_group_tests(tests, NULL, NULL);
    curl_global_cleanup();
    return failed;
}

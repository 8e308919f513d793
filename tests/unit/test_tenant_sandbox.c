/*
 * test_tenant_sandbox.c: the reader, the plan and the batch runner against
 * the real sandbox over loopback, through the client: read, plan, run,
 * read and plan again.
 * The second plan must make no write, and the sandbox must still hold
 * every grant and license it was seeded with.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <unistd.h>

#include <cmocka.h>

#include "batch.h"
#include "sandbox.h"
#include "tenant_client.h"
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
    gcp_client *client;
    struct gcp_tenant_sender sender;
    size_t writes;
    json_t *known; /* key -> user id, the journal's links */
};

static int wire_call(json_t **out, const char *method, const char *route,
                     const char *path, json_t *body, void *payload)
{
    struct wire *w = payload;

    return gcp_tenant__client_call(out, method, route, path, body, w->client);
}

/* Sends through the client, and links each created user as apply will. */
static void wire_send(struct gcp_batch_reply *out,
                      const struct gcp_batch_request *const *reqs,
                      char *const *paths, json_t *const *bodies, size_t count,
                      int slot, void *payload)
{
    struct wire *w = payload;

    gcp_tenant__sender_clear(&w->sender);
    gcp_tenant__client_send(out, reqs, paths, bodies, count, &w->sender);
    w->writes += count;
    for (size_t i = 0; i < count; i++)
        if (out[i].code == 0 && reqs[i]->kind == GCP_BATCH_CREATE)
            json_object_set(w->known, reqs[i]->user_key,
                            json_object_get(out[i].json, "id"));
}

/* Requests the client sent so far (the token's grant not counted). */
static unsigned long wire_requests(struct wire *w)
{
    gcp_client_stats stats;

    gcp_client_stats_get(&stats, w->client);
    return stats.requests;
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
    gcp_client_options opts = GCP_CLIENT_OPTIONS_INIT;
    char why[256];
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
    opts.api_url = sbx_url(s);
    opts.client_id = "ci";
    opts.secret = "ci-secret";
    opts.rate_per_minute = 600000;
    assert_int_equal(gcp_client_new(&w->client, &opts, why, sizeof(why)), 0);
    w->sender.client = w->client;
    w->known = json_object();
    return s;
}

static void a_second_plan_after_a_run_against_the_sandbox_is_empty(void **s)
{
    char seed_path[] = "/tmp/gcprov-plan-seed-XXXXXX";
    struct wire w = {0};
    struct sbx *sbx = wire_start(&w, seed_path);
    struct gcp_batch_hooks hooks = {wire_send, NULL, NULL, NULL, &w, 0, 0};
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
    /* 9 reads: setup 4, users, licenses, the refused subject grants, the
     * old user's external ids and grants. */
    assert_int_equal(wire_requests(&w), w.writes + 9);
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
    gcp_tenant__sender_free(&w.sender);
    gcp_client_free(w.client);
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
    return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_batch_run.c: carrying out a batch through a send callback: ids of
 * created users and versions of patched ones learned from replies, what
 * depends on a failed create skipped, license results read per change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "batch.h"
#include "test_batch_model.h"
#include "test_plan_fixture.h"

struct world {
    struct model m;
    const char *refuse_create; /* email whose create gets 409 */
    const char *no_seat;       /* license whose assignments fail */
    size_t wave;               /* most requests per wave; 0: default */
    int overlap;               /* send on a thread, journal meanwhile */
    size_t befores, before_requests, afters, after_failures, ends;
    size_t largest_wave, mixed_waves;
    int open[2];      /* per slot: begun and not yet ended */
    size_t most_open; /* waves begun and not ended at once, at most */
};

/* The reply the API gives for a request the model carried out. */
static json_t *world_reply(struct world *w, const struct gcp_batch_request *r,
                           const char *path, json_t *body)
{
    json_t *results;
    size_t i, j;
    json_t *a, *id;

    if (r->kind == GCP_BATCH_CREATE)
        return json_incref(json_object_get(w->m.created, r->user_key));
    if (r->kind == GCP_BATCH_PATCH || r->kind == GCP_BATCH_RESTORE ||
        r->kind == GCP_BATCH_DEACTIVATE)
        return json_deep_copy(model_path_user(&w->m, path));
    if (r->kind != GCP_BATCH_LICENSE && r->kind != GCP_BATCH_RELEASE)
        return NULL;
    results = json_array();
    json_array_foreach(json_object_get(body, "assignments"), i, a)
    {
        const char *lic = json_string_value(json_object_get(a, "licenseId"));
        int ok = w->no_seat == NULL || strcmp(lic, w->no_seat) != 0;

        json_array_foreach(json_object_get(a, "userIdsAdd"), j, id)
            json_array_append_new(
                results,
                json_pack("{s:O, s:s, s:s}", "userId", id, "licenseId", lic,
                          "result", ok ? "Success" : "SeatLimitReached"));
    }
    return results;
}

static int world_send_one(struct gcp_batch_reply *out,
                          const struct gcp_batch_request *r, const char *path,
                          json_t *body, void *payload)
{
    struct world *w = payload;
    const char *email = json_string_value(json_object_get(body, "email"));

    if (r->kind == GCP_BATCH_CREATE && w->refuse_create != NULL &&
        strcmp(email, w->refuse_create) == 0) {
        out->code = GCP_ECONFLICT;
        out->status = 409;
        out->error_code = "general.conflict";
        return out->code;
    }
    model_send(&w->m, r, path, body);
    out->status = 200;
    out->json = world_reply(w, r, path, body);
    return 0;
}

/*
 * A wave: every request of it carried out in order, as the API would.
 * It may run on the runner's thread: it counts, the test asserts after.
 */
static void world_send(struct gcp_batch_reply *out,
                       const struct gcp_batch_request *const *reqs,
                       char *const *paths, json_t *const *bodies, size_t count,
                       int slot, void *payload)
{
    struct world *w = payload;

    for (size_t i = 0; i < count; i++) {
        w->mixed_waves += reqs[i]->kind != reqs[0]->kind;
        world_send_one(&out[i], reqs[i], paths[i], bodies[i], payload);
    }
    if (count > w->largest_wave)
        w->largest_wave = count;
}

static int world_before(const struct gcp_batch_request *const *reqs,
                        size_t count, gcp_batch_lookup_fn lookup,
                        void *lookup_payload, int slot, void *payload)
{
    struct world *w = payload;

    assert_false(w->open[slot]); /* a slot's last wave has ended */
    w->open[slot] = 1;
    w->befores++;
    w->before_requests += count;
    if (w->befores - w->ends > w->most_open)
        w->most_open = w->befores - w->ends;
    return 0;
}

static int world_end(int slot, void *payload)
{
    struct world *w = payload;

    assert_true(w->open[slot]);
    w->open[slot] = 0;
    w->ends++;
    return 0;
}

static int world_after(const struct gcp_batch_request *r, size_t change,
                       int code, const char *user_id,
                       const struct gcp_batch_reply *reply, int slot,
                       void *payload)
{
    struct world *w = payload;

    if (slot >= 0)
        assert_true(w->open[slot]);
    w->afters++;
    w->after_failures += code != 0;
    if (code == GCP_ERROR)
        assert_string_equal(reply->error_code, "SeatLimitReached");
    if (code == GCP_ENOTFOUND)
        assert_non_null(strstr(reply->message, "not created"));
    return 0;
}

/* Plans `roster` against FX_ORG(users), then runs the batch in `w`. */
static void world_run(struct world *w, struct fx *fx, const char *roster,
                      const char *users, struct gcp_batch_run_stats *stats)
{
    struct gcp_batch_hooks hooks = {
        world_send, world_before, world_after, world_end,
        w,          w->wave,      w->overlap};
    struct gcp_batch *batch = NULL;
    gcp_plan *plan;

    fx_load(fx, roster, users);
    w->m.doc = fx_parse(users);
    w->m.created = json_object();
    plan = fx_plan(fx, NULL);
    assert_int_equal(gcp_batch__build(&batch, plan, NULL), 0);
    assert_int_equal(gcp_batch__run(stats, batch, plan, &hooks), 0);
    assert_int_equal(w->mixed_waves, 0);
    assert_int_equal(w->ends, w->befores); /* every wave begun has ended */
    gcp_batch__free(batch);
    gcp_plan_free(plan);
}

static void world_free(struct world *w, struct fx *fx)
{
    json_decref(w->m.doc);
    json_decref(w->m.created);
    fx_free(fx);
}

#define TWO_JOINERS                                                            \
    "[{'employee_id': 'E1', 'name': 'A', 'email': 'a@x', 'roles': ['Agent'],"  \
    "  'licenses': ['comm'], 'manager_email': 'b@x'},"                         \
    " {'employee_id': 'E2', 'name': 'B', 'email': 'b@x', 'roles': ['Agent'],"  \
    "  'licenses': ['comm']}]"

/*
 * What TWO_JOINERS leaves, however the waves went: 2 creates, 2 external
 * ids, 1 manager patch, 1 grant, 1 license, every change reported, and
 * E1 created, managed by E2's new user, patched once, granted, licensed.
 */
static void two_joiners_done(const struct world *w,
                             const struct gcp_batch_run_stats *stats)
{
    json_t *a = json_object_get(w->m.created, "E1");

    assert_int_equal(stats->sent, 7);
    assert_int_equal(stats->failed, 0);
    assert_int_equal(w->afters, 2 + 2 + 1 + 2 + 2);
    assert_string_equal(json_string_value(json_object_get(a, "managerId")),
                        "new-2");
    assert_int_equal(json_integer_value(json_object_get(a, "version")), 2);
    assert_int_equal(json_array_size(json_object_get(a, "grants")), 1);
    assert_int_equal(json_array_size(json_object_get(a, "licenses")), 1);
}

static void created_ids_fill_the_later_requests(void **state)
{
    struct world w = {0};
    struct fx fx = {0};
    struct gcp_batch_run_stats stats;

    world_run(&w, &fx, TWO_JOINERS, FX_ORG(""), &stats);
    two_joiners_done(&w, &stats);
    /* One wave per kind: creates, external ids, patch, grant, license. */
    assert_int_equal(w.befores, 5);
    assert_int_equal(w.ends, 5);
    assert_int_equal(w.before_requests, 7);
    assert_int_equal(w.largest_wave, 2);
    world_free(&w, &fx);
}

static void a_wave_holds_no_more_than_its_limit(void **state)
{
    struct world w = {.wave = 1};
    struct fx fx = {0};
    struct gcp_batch_run_stats stats;

    world_run(&w, &fx, TWO_JOINERS, FX_ORG(""), &stats);
    two_joiners_done(&w, &stats);
    assert_int_equal(w.befores, 7);
    assert_int_equal(w.largest_wave, 1);
    world_free(&w, &fx);
}

/*
 * With overlap, the second create's wave begins (its intents) while the
 * first is in flight, and the first ends (its results) while the second
 * is: never more than two waves open, and the same outcome as in turn.
 */
static void overlapping_waves_give_the_same_outcome(void **state)
{
    struct world w = {.wave = 1, .overlap = 1};
    struct fx fx = {0};
    struct gcp_batch_run_stats stats;

    world_run(&w, &fx, TWO_JOINERS, FX_ORG(""), &stats);
    two_joiners_done(&w, &stats);
    assert_int_equal(w.befores, 7);
    assert_int_equal(w.most_open, 2);
    world_free(&w, &fx);
}

static void a_failed_create_skips_what_needs_that_user(void **state)
{
    struct world w = {.refuse_create = "b@x"};
    struct fx fx = {0};
    struct gcp_batch_run_stats stats;

    world_run(&w, &fx, TWO_JOINERS, FX_ORG(""), &stats);
    /* E2's create fails: its external id is skipped, E1's manager patch
     * too; grant and license go out for E1 alone. */
    assert_int_equal(stats.sent, 2 + 1 + 1 + 1);
    assert_int_equal(stats.skipped, 2);
    assert_int_equal(stats.failed, 1 + 1 + 1 + 1 + 1);
    /* Skipped requests are in no wave: only sent ones were announced. */
    assert_int_equal(w.before_requests, stats.sent);
    assert_int_equal(json_object_size(w.m.created), 1);
    world_free(&w, &fx);
}

static void each_license_change_is_judged_by_its_own_result(void **state)
{
    struct world w = {.no_seat = "wem"};
    struct fx fx = {0};
    struct gcp_batch_run_stats stats;

    world_run(&w, &fx,
              "[{'name': 'A', 'email': 'a@x', 'licenses': ['comm', 'wem']}]",
              FX_ORG(""), &stats);
    assert_int_equal(stats.sent, 2); /* create, license */
    assert_int_equal(stats.done, 2); /* create, comm */
    assert_int_equal(stats.failed, 1);
    assert_int_equal(w.after_failures, 1);
    world_free(&w, &fx);
}

static void a_restored_user_is_patched_with_its_new_version(void **state)
{
    struct world w = {0};
    struct fx fx = {0};
    struct gcp_batch_run_stats stats;
    json_t *u;

    world_run(&w, &fx,
              "[{'employee_id': 'E1', 'name': 'A', 'email': 'a@x',"
              " 'title': 'Lead'}]",
              FX_ORG("{'id': 'u1', 'email': 'a@x', 'name': 'A', 'version': 4,"
                     " 'state': 'deleted', 'externalIds': [{'authorityName':"
                     " 'gcprov', 'externalKey': 'E1'}]}"),
              &stats);
    assert_int_equal(stats.sent, 2);
    assert_int_equal(stats.failed, 0);
    u = model_user(&w.m, "u1");
    /* The patch carried version 5, the restore's: the model counts on. */
    assert_int_equal(json_integer_value(json_object_get(u, "version")), 6);
    assert_string_equal(json_string_value(json_object_get(u, "title")), "Lead");
    world_free(&w, &fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(created_ids_fill_the_later_requests),
        cmocka_unit_test(a_wave_holds_no_more_than_its_limit),
        cmocka_unit_test(overlapping_waves_give_the_same_outcome),
        cmocka_unit_test(a_failed_create_skips_what_needs_that_user),
        cmocka_unit_test(each_license_change_is_judged_by_its_own_result),
        cmocka_unit_test(a_restored_user_is_patched_with_its_new_version),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

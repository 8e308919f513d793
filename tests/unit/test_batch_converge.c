/*
 * test_batch_converge.c: plan, carry out the requests against a model of
 * the tenant, plan again: everyone acted on the first time is unchanged
 * the second time, for every case in tests/plan/. The model is the
 * snapshot document itself, changed the way the real API would change the
 * org for each request, after gcp_batch__resolve() has filled in the ids
 * of the users the model created.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "batch.h"
#include "test_batch_model.h"
#include "test_plan_fixture.h"

static void model_apply(struct model *m, const gcp_plan *plan)
{
    struct gcp_batch *batch = NULL;

    assert_int_equal(gcp_batch__build(&batch, plan, NULL), 0);
    for (size_t i = 0; i < batch->count; i++) {
        char *path;
        json_t *body;
        size_t dropped;

        assert_int_equal(gcp_batch__resolve(&path, &body, &dropped,
                                            &batch->requests[i], model_lookup,
                                            m),
                         0);
        assert_int_equal(dropped, 0);
        model_send(m, &batch->requests[i], path, body);
        free(path);
        json_decref(body);
    }
    gcp_batch__free(batch);
}

/*
 * Plans against `doc` as it is now; *snap receives the snapshot, which
 * the plan borrows (free it after the plan).
 */
static gcp_plan *converge_plan(gcp_snapshot **snap, struct fx *fx, json_t *doc,
                               const gcp_plan_options *opts)
{
    gcp_plan *plan = NULL;
    struct gcp_err err;

    gcp_err__clear(&err);
    assert_int_equal(gcp_tenant__from_json(snap, doc, &err), 0);
    assert_int_equal(gcp_plan_build(&plan, fx->ptrs, fx->count, *snap, opts),
                     0);
    return plan;
}

/* Checks that everyone acted on by `first` is unchanged in `second`. */
static int converge_check(const char *dir, gcp_plan *first, gcp_plan *second)
{
    int fails = 0;

    for (size_t i = 0; i < gcp_plan_person_count(first); i++) {
        gcp_plan_person a, b;

        gcp_plan_person_get(&a, first, i);
        gcp_plan_person_get(&b, second, i);
        if (a.outcome == GCP_PLAN_HELD || a.outcome == GCP_PLAN_INVALID ||
            a.outcome == GCP_PLAN_CONFLICT || b.outcome == GCP_PLAN_UNCHANGED)
            continue;
        print_error("%s: %s was %s, then %s\n", dir, a.key,
                    gcp_plan_outcome_name(a.outcome),
                    gcp_plan_outcome_name(b.outcome));
        fails++;
    }
    return fails;
}

static int converge_case(const char *dir)
{
    char path[1400];
    struct fx fx = {0};
    struct model m = {0};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    gcp_plan *first, *second;
    gcp_snapshot *before, *after;
    json_t *options;
    int fails;

    snprintf(path, sizeof(path), "%s/snapshot.json", dir);
    m.doc = json_load_file(path, 0, NULL);
    m.created = json_object();
    snprintf(path, sizeof(path), "%s/roster.json", dir);
    fx_people_json(&fx, json_load_file(path, 0, NULL));
    snprintf(path, sizeof(path), "%s/options.json", dir);
    options = json_load_file(path, 0, NULL);
    opts.key_authority =
        json_string_value(json_object_get(options, "keyAuthority"));
    opts.release_licenses =
        json_is_true(json_object_get(options, "releaseLicenses"));
    first = converge_plan(&before, &fx, m.doc, &opts);
    model_apply(&m, first);
    second = converge_plan(&after, &fx, m.doc, &opts);
    fails = converge_check(dir, first, second);
    gcp_plan_free(first);
    gcp_plan_free(second);
    gcp_tenant__free(before);
    gcp_tenant__free(after);
    json_decref(options);
    json_decref(m.doc);
    json_decref(m.created);
    fx_free(&fx);
    return fails;
}

static void applying_a_plan_leaves_nothing_for_the_next_one(void **state)
{
    int cases = 0;
    int fails = fx_each_case(converge_case, &cases);

    assert_true(cases >= 4);
    assert_int_equal(fails, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(applying_a_plan_leaves_nothing_for_the_next_one),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

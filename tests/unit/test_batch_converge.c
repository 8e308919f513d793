/*
 * test_batch_converge.c: plan, carry out the requests against a model of
 * the tenant, plan again: everyone acted on the first time is unchanged
 * the second time (a person held back for seats still waits for what
 * takes a seat, and for nothing else), for every case in tests/plan/,
 * with its seat budgets. The model is the
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

/* True when `b` has nothing left but what takes a seat. */
static int converge_waits_for_seats(const gcp_plan_person *b)
{
    return b->outcome == GCP_PLAN_HELD ||
           (b->outcome == GCP_PLAN_UPDATE && b->field_count == 0 &&
            b->release_count == 0);
}

/* Checks that everyone acted on by `first` is unchanged in `second`. */
static int converge_check(const char *dir, gcp_plan *first, gcp_plan *second)
{
    int fails = 0;

    for (size_t i = 0; i < gcp_plan_person_count(first); i++) {
        gcp_plan_person a, b;

        gcp_plan_person_get(&a, first, i);
        gcp_plan_person_get(&b, second, i);
        if (a.outcome == GCP_PLAN_INVALID || a.outcome == GCP_PLAN_CONFLICT ||
            b.outcome == GCP_PLAN_UNCHANGED)
            continue;
        if (a.held_license != NULL && converge_waits_for_seats(&b))
            continue;
        print_error("%s: %s was %s, then %s\n", dir, a.key,
                    gcp_plan_outcome_name(a.outcome),
                    gcp_plan_outcome_name(b.outcome));
        fails++;
    }
    return fails;
}

/* Reads the seat budgets of options.json (borrowed) into `opts`. */
static void converge_budgets(gcp_plan_options *opts, gcp_seat_budget *budgets,
                             size_t cap, const json_t *options)
{
    const char *license;
    json_t *n;

    json_object_foreach(json_object_get(options, "seats"), license, n)
    {
        if (opts->budget_count == cap)
            break;
        budgets[opts->budget_count].license_id = license;
        budgets[opts->budget_count++].seats =
            (unsigned long)json_integer_value(n);
    }
    opts->budgets = budgets;
}

static int converge_case(const char *dir)
{
    gcp_seat_budget budgets[16];
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
    converge_budgets(&opts, budgets, 16, options);
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

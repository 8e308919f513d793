/*
 * test_batch.c: a plan turned into API requests: the bodies, the order of
 * the phases, the batching limits (grants, moves, licenses), the placeholders
 * for joiners' ids, and what 1,000 joiners and a converged tenant cost.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "batch.h"
#include "test_plan_fixture.h"

/* Asserts that `v` equals the JSON text `expected` (single quotes). */
static void assert_json(const json_t *v, const char *expected)
{
    json_t *want = fx_parse(expected);

    assert_non_null(want);
    if (!json_equal(v, want)) {
        char *got = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);

        print_error("want %s, got %s\n", expected, got);
        free(got);
        fail();
    }
    json_decref(want);
}

static struct gcp_batch *batch_of(gcp_plan *plan,
                                  const struct gcp_batch_options *opts)
{
    struct gcp_batch *batch = NULL;

    assert_int_equal(gcp_batch__build(&batch, plan, opts), 0);
    return batch;
}

/* Builds `n` people E0001.. with two roles (Agent at home, Employee in
 * EMEA) and the comm license; with or without employee ids. */
static void many_joiners(struct fx *fx, size_t n, int with_ids)
{
    json_t *roster = json_array();

    for (size_t i = 0; i < n; i++) {
        char id[16], email[32];

        snprintf(id, sizeof(id), "E%04zu", i);
        snprintf(email, sizeof(email), "p%04zu@example.com", i);
        json_array_append_new(
            roster,
            json_pack("{s:s?, s:s, s:s, s:[s, {s:s, s:s}], s:[s]}",
                      "employee_id", with_ids ? id : NULL, "name", id, "email",
                      email, "roles", "Agent", "role", "Employee", "division",
                      "EMEA", "licenses", "comm"));
    }
    fx_people_json(fx, roster);
}

/* The org after those joiners were provisioned: everything in place. */
static json_t *converged_org(size_t n)
{
    json_t *org = fx_parse(FX_ORG(""));
    json_t *users = json_object_get(org, "users");

    for (size_t i = 0; i < n; i++) {
        char id[16], email[32], uid[16];

        snprintf(id, sizeof(id), "E%04zu", i);
        snprintf(email, sizeof(email), "p%04zu@example.com", i);
        snprintf(uid, sizeof(uid), "u%04zu", i);
        json_array_append_new(
            users,
            json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}], s:[{s:s, s:s},"
                      " {s:s, s:s}], s:[s]}",
                      "id", uid, "name", id, "email", email, "externalIds",
                      "authorityName", "gcprov", "externalKey", id, "grants",
                      "roleId", "r-agent", "divisionId", "d-home", "roleId",
                      "r-emp", "divisionId", "d-emea", "licenses", "comm"));
    }
    return org;
}

static void a_thousand_joiners_cost_at_most_2_05_calls_each(void **state)
{
    struct fx fx = {0};
    json_t *org = fx_parse(FX_ORG(""));
    struct gcp_batch *batch;
    gcp_plan *plan;

    assert_int_equal(fx_snapshot_json(&fx, org), 0);
    many_joiners(&fx, 1000, 1);
    plan = fx_plan(&fx, NULL);
    batch = batch_of(plan, NULL);
    assert_int_equal(gcp_batch__count(batch, GCP_BATCH_CREATE), 1000);
    assert_int_equal(gcp_batch__count(batch, GCP_BATCH_EXTID), 1000);
    assert_int_equal(gcp_batch__count(batch, GCP_BATCH_GRANT), 20);
    assert_int_equal(gcp_batch__count(batch, GCP_BATCH_LICENSE), 10);
    assert_true(gcp_batch__writes(batch) <= 2050);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    json_decref(org);
    fx_free(&fx);
}

static void without_employee_ids_joiners_cost_at_most_1_05(void **state)
{
    struct fx fx = {0};
    json_t *org = fx_parse(FX_ORG(""));
    struct gcp_batch *batch;
    gcp_plan *plan;

    assert_int_equal(fx_snapshot_json(&fx, org), 0);
    many_joiners(&fx, 1000, 0);
    plan = fx_plan(&fx, NULL);
    batch = batch_of(plan, NULL);
    assert_int_equal(gcp_batch__count(batch, GCP_BATCH_EXTID), 0);
    assert_true(gcp_batch__writes(batch) <= 1050);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    json_decref(org);
    fx_free(&fx);
}

static void a_converged_tenant_needs_no_write(void **state)
{
    struct fx fx = {0};
    json_t *org = converged_org(1000);
    struct gcp_batch *batch;
    gcp_plan *plan;
    gcp_plan_counts c;

    assert_int_equal(fx_snapshot_json(&fx, org), 0);
    many_joiners(&fx, 1000, 1);
    plan = fx_plan(&fx, NULL);
    gcp_plan_counts_get(&c, plan);
    assert_int_equal(c.unchanged, 1000);
    batch = batch_of(plan, NULL);
    assert_int_equal(gcp_batch__writes(batch), 0);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    json_decref(org);
    fx_free(&fx);
}

static void a_create_sends_only_createuser_fields(void **state)
{
    struct fx fx = {0};
    struct gcp_batch *batch;
    gcp_plan *plan;
    const struct gcp_batch_request *r;

    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'Ann Lee', 'email': 'A@x',"
            " 'department': 'Sales', 'title': 'Agent', 'phone_work':"
            " '+15550001', 'extension': '12', 'manager_email': 'b@x'},"
            " {'employee_id': 'E2', 'name': 'Bo', 'email': 'b@x'}]",
            FX_ORG(""));
    plan = fx_plan(&fx, NULL);
    batch = batch_of(plan, NULL);
    r = &batch->requests[0];
    assert_int_equal(r->kind, GCP_BATCH_CREATE);
    assert_string_equal(r->method, "POST");
    assert_string_equal(r->path, "/api/v2/users");
    assert_false(r->idempotent);
    assert_json(r->body,
                "{'name': 'Ann Lee', 'email': 'A@x', 'divisionId': 'd-home',"
                " 'department': 'Sales', 'title': 'Agent', 'addresses':"
                " [{'address': '+15550001', 'mediaType': 'PHONE', 'type':"
                " 'WORK', 'extension': '12'}]}");
    assert_json(batch->requests[1].body, "{'name': 'Bo', 'email': 'b@x',"
                                         " 'divisionId': 'd-home'}");
    r = &batch->requests[2];
    assert_int_equal(r->kind, GCP_BATCH_EXTID);
    assert_string_equal(r->path, "/api/v2/users/{userId}/externalid");
    assert_string_equal(r->user_key, "E1");
    assert_json(r->body, "{'authorityName': 'gcprov', 'externalKey': 'E1'}");
    /* The manager is set after every create, with the placeholder. */
    r = &batch->requests[4];
    assert_int_equal(r->kind, GCP_BATCH_PATCH);
    assert_json(r->body, "{'version': 1, 'manager': '{user:E2}'}");
    assert_int_equal(batch->count, 5);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_state_change_is_a_patch_of_its_own(void **state)
{
    struct fx fx = {0};
    struct gcp_batch *batch;
    gcp_plan *plan;

    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'Ann', 'email': 'a@x',"
            " 'title': 'Lead'},"
            " {'employee_id': 'E2', 'email': 'b@x', 'state': 'inactive'}]",
            FX_ORG("{'id': 'u1', 'email': 'a@x', 'name': 'Ann', 'version': 5,"
                   " 'state': 'deleted', 'externalIds': [{'authorityName':"
                   " 'gcprov', 'externalKey': 'E1'}]},"
                   "{'id': 'u2', 'email': 'b@x', 'version': 2, 'externalIds':"
                   " [{'authorityName': 'gcprov', 'externalKey': 'E2'}]}"));
    plan = fx_plan(&fx, NULL);
    batch = batch_of(plan, NULL);
    assert_int_equal(batch->count, 3);
    assert_int_equal(batch->requests[0].kind, GCP_BATCH_DEACTIVATE);
    assert_string_equal(batch->requests[0].path, "/api/v2/users/u2");
    assert_json(batch->requests[0].body, "{'state': 'inactive', 'version': 2}");
    assert_int_equal(batch->requests[1].kind, GCP_BATCH_RESTORE);
    assert_json(batch->requests[1].body, "{'state': 'active', 'version': 5}");
    assert_int_equal(batch->requests[2].kind, GCP_BATCH_PATCH);
    assert_string_equal(batch->requests[2].method, "PATCH");
    assert_json(batch->requests[2].body, "{'version': 5, 'title': 'Lead'}");
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_phone_patch_keeps_the_other_contacts(void **state)
{
    struct fx fx = {0};
    struct gcp_batch *batch;
    gcp_plan *plan;

    fx_load(&fx,
            "[{'employee_id': 'E1', 'name': 'Ann', 'email': 'a@x',"
            " 'phone_work': '+1999'}]",
            FX_ORG("{'id': 'u1', 'email': 'a@x', 'name': 'Ann',"
                   " 'externalIds': [{'authorityName': 'gcprov',"
                   " 'externalKey': 'E1'}], 'addresses': [{'address':"
                   " '+1555', 'mediaType': 'PHONE', 'type': 'MOBILE'},"
                   " {'address': '+1000', 'mediaType': 'PHONE', 'type':"
                   " 'WORK', 'extension': '7'}]}"));
    plan = fx_plan(&fx, NULL);
    batch = batch_of(plan, NULL);
    assert_int_equal(batch->count, 1);
    assert_json(batch->requests[0].body,
                "{'version': 1, 'addresses': [{'address': '+1555',"
                " 'mediaType': 'PHONE', 'type': 'MOBILE'}, {'address':"
                " '+1999', 'mediaType': 'PHONE', 'type': 'WORK',"
                " 'extension': '7'}]}");
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

#define FIVE_AGENTS                                                            \
    "[{'name': 'A', 'email': 'a@x', 'roles': ['Agent', {'role': 'Agent',"      \
    "  'division': 'EMEA'}], 'licenses': ['comm', 'wem']},"                    \
    " {'name': 'B', 'email': 'b@x', 'roles': ['Agent', {'role': 'Agent',"      \
    "  'division': 'EMEA'}], 'licenses': ['comm', 'wem']},"                    \
    " {'name': 'C', 'email': 'c@x', 'roles': ['Agent', {'role': 'Agent',"      \
    "  'division': 'EMEA'}], 'licenses': ['comm']},"                           \
    " {'name': 'D', 'email': 'd@x', 'roles': ['Agent', {'role': 'Agent',"      \
    "  'division': 'EMEA'}]},"                                                 \
    " {'name': 'E', 'email': 'e@x', 'roles': ['Agent', {'role': 'Agent',"      \
    "  'division': 'EMEA'}]}]"

static void grants_are_batched_per_role_and_division_and_chunked(void **s)
{
    struct fx fx = {0};
    struct gcp_batch_options opts = GCP_BATCH_OPTIONS_INIT;
    struct gcp_batch *batch;
    gcp_plan *plan;
    size_t first = 0;

    opts.grant_users = 2;
    fx_load(&fx, FIVE_AGENTS,
            FX_ORG("{'id': 'u-e', 'email': 'e@x', 'name': 'E',"
                   " 'externalIds': []}"));
    plan = fx_plan(&fx, NULL);
    batch = batch_of(plan, &opts);
    assert_int_equal(gcp_batch__count(batch, GCP_BATCH_GRANT), 6);
    while (batch->requests[first].kind != GCP_BATCH_GRANT)
        first++;
    /* Role Agent, division EMEA sorts before Home. */
    assert_string_equal(batch->requests[first].method, "POST");
    assert_string_equal(batch->requests[first].path,
                        "/api/v2/authorization/roles/r-agent"
                        "?subjectType=PC_USER");
    assert_json(batch->requests[first].body,
                "{'subjectIds': ['{user:a@x}', '{user:b@x}'],"
                " 'divisionIds': ['d-emea']}");
    assert_string_equal(batch->requests[first + 3].method, "PUT");
    assert_string_equal(batch->requests[first + 3].route,
                        "/api/v2/authorization/roles/{roleId}/users/add");
    assert_string_equal(batch->requests[first + 3].path,
                        "/api/v2/authorization/roles/r-agent/users/add");
    assert_json(batch->requests[first + 5].body, "['u-e']");
    assert_int_equal(batch->requests[first + 5].serve_count, 1);
    assert_int_equal(batch->requests[first + 5].serves[0], 4);
    assert_true(batch->requests[first].idempotent);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

#define THREE_MOVERS                                                           \
    FX_ORG("{'id': 'u-a', 'email': 'a@x', 'name': 'A', 'version': 4,"          \
           " 'division': {'id': 'd-home'}, 'externalIds': []},"                \
           "{'id': 'u-b', 'email': 'b@x', 'name': 'B',"                        \
           " 'division': {'id': 'd-home'}, 'externalIds': []},"                \
           "{'id': 'u-c', 'email': 'c@x', 'name': 'C',"                        \
           " 'division': {'id': 'd-home'}, 'externalIds': []}")

static void moves_go_one_call_per_division_after_patches(void **state)
{
    struct fx fx = {0};
    struct gcp_batch_options opts = GCP_BATCH_OPTIONS_INIT;
    struct gcp_batch *batch;
    gcp_plan *plan;
    gcp_journal_intent intents[2];

    opts.division_users = 2;
    fx_load(&fx,
            "[{'name': 'A2', 'email': 'a@x', 'division': 'EMEA',"
            "  'roles': [{'role': 'Agent', 'division': 'EMEA'}]},"
            " {'name': 'B', 'email': 'b@x', 'division': 'EMEA'},"
            " {'name': 'C', 'email': 'c@x', 'division': 'EMEA'}]",
            THREE_MOVERS);
    plan = fx_plan(&fx, NULL);
    batch = batch_of(plan, &opts);
    /* The patch of A's name, two moves (2 + 1 users), then the grant. */
    assert_int_equal(batch->count, 4);
    assert_int_equal(batch->requests[0].kind, GCP_BATCH_PATCH);
    assert_int_equal(batch->requests[1].kind, GCP_BATCH_MOVE);
    assert_int_equal(batch->requests[2].kind, GCP_BATCH_MOVE);
    assert_int_equal(batch->requests[3].kind, GCP_BATCH_GRANT);
    assert_string_equal(batch->requests[1].method, "POST");
    assert_string_equal(batch->requests[1].path,
                        "/api/v2/authorization/divisions/d-emea/objects/USER");
    assert_json(batch->requests[1].body, "['u-a', 'u-b']");
    assert_json(batch->requests[2].body, "['u-c']");
    assert_true(batch->requests[1].idempotent);
    assert_null(batch->requests[1].user_key);

    /* One journal step per person, naming the division it goes to. */
    gcp_batch__intents(intents, &batch->requests[1], plan, NULL, NULL);
    assert_int_equal(intents[1].step, GCP_STEP_MOVE);
    assert_string_equal(intents[1].user_id, "u-b");
    assert_string_equal(intents[1].target, "d-emea");
    assert_null(intents[1].scope);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void an_empty_division_column_moves_nobody(void **state)
{
    struct fx fx = {0};
    struct gcp_batch *batch;
    gcp_plan *plan;
    gcp_plan_counts counts;

    fx_load(&fx,
            "[{'name': 'A', 'email': 'a@x'},"
            " {'name': 'B', 'email': 'b@x', 'division': ''},"
            " {'name': 'C', 'email': 'c@x', 'division': 'Home'}]",
            THREE_MOVERS);
    plan = fx_plan(&fx, NULL);
    gcp_plan_counts_get(&counts, plan);
    assert_int_equal(counts.moves, 0);
    assert_int_equal(counts.unchanged, 3);
    batch = batch_of(plan, NULL);
    assert_int_equal(batch->count, 0);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void licenses_share_calls_up_to_the_change_limit(void **state)
{
    struct fx fx = {0};
    struct gcp_batch_options opts = GCP_BATCH_OPTIONS_INIT;
    struct gcp_batch *batch;
    gcp_plan *plan;
    const struct gcp_batch_request *r;

    opts.license_changes = 4;
    fx_load(&fx, FIVE_AGENTS, FX_ORG(""));
    plan = fx_plan(&fx, NULL);
    batch = batch_of(plan, &opts);
    /* 5 changes: comm a b c, wem a b; 4 per call. */
    assert_int_equal(gcp_batch__count(batch, GCP_BATCH_LICENSE), 2);
    r = &batch->requests[batch->count - 2];
    assert_string_equal(r->path, "/api/v2/license/organization");
    assert_json(r->body, "{'assignments': [{'licenseId': 'comm', 'userIdsAdd':"
                         " ['{user:a@x}', '{user:b@x}', '{user:c@x}'],"
                         " 'userIdsRemove': []}, {'licenseId': 'wem',"
                         " 'userIdsAdd': ['{user:a@x}'], 'userIdsRemove':"
                         " []}]}");
    assert_int_equal(r->serve_count, 3);
    r = &batch->requests[batch->count - 1];
    assert_json(r->body, "{'assignments': [{'licenseId': 'wem', 'userIdsAdd':"
                         " ['{user:b@x}'], 'userIdsRemove': []}]}");
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void releases_come_first_and_only_remove(void **state)
{
    struct fx fx = {0};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    struct gcp_batch *batch;
    gcp_plan *plan;

    opts.release_licenses = 1;
    fx_load(&fx,
            "[{'name': 'A', 'email': 'a@x', 'licenses': ['comm']},"
            " {'email': 'z@x', 'state': 'inactive'}]",
            FX_ORG("{'id': 'u-z', 'email': 'z@x', 'externalIds': [],"
                   " 'licenses': ['comm']}"));
    plan = fx_plan(&fx, &opts);
    batch = batch_of(plan, NULL);
    assert_int_equal(batch->requests[0].kind, GCP_BATCH_DEACTIVATE);
    assert_int_equal(batch->requests[1].kind, GCP_BATCH_RELEASE);
    assert_json(batch->requests[1].body,
                "{'assignments': [{'licenseId': 'comm', 'userIdsAdd': [],"
                " 'userIdsRemove': ['u-z']}]}");
    assert_int_equal(batch->requests[batch->count - 1].kind, GCP_BATCH_LICENSE);
    for (size_t i = 1; i < batch->count; i++)
        assert_true(batch->requests[i - 1].kind <= batch->requests[i].kind);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void held_people_get_only_what_takes_no_seat(void **state)
{
    struct fx fx = {0};
    gcp_seat_budget budget = {"comm", 0};
    gcp_plan_options opts = GCP_PLAN_OPTIONS_INIT;
    struct gcp_batch *batch;
    gcp_plan *plan;

    opts.budgets = &budget;
    opts.budget_count = 1;
    fx_load(&fx,
            "[{'name': 'A', 'email': 'a@x', 'licenses': ['comm'],"
            " 'roles': ['Employee']},"
            " {'name': 'B', 'email': 'b@x', 'roles': ['Nope']}]",
            FX_ORG(""));
    plan = fx_plan(&fx, &opts);
    batch = batch_of(plan, NULL);
    /* A is created and given Employee (no license); comm waits. B is
     * invalid: nothing. */
    assert_int_equal(gcp_batch__writes(batch), 2);
    assert_int_equal(batch->requests[0].kind, GCP_BATCH_CREATE);
    assert_int_equal(batch->requests[1].kind, GCP_BATCH_GRANT);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

/* A lookup that knows E2 as u-new at version 3, and no one else. */
static int lookup(const char **out_id, long *out_version, const char *key,
                  void *payload)
{
    (*(int *)payload)++;
    if (strcmp(key, "E2") != 0)
        return GCP_ENOTFOUND;
    *out_id = "u-new";
    *out_version = 3;
    return 0;
}

static void resolving_fills_ids_and_versions_and_drops_the_unknown(void **s)
{
    struct gcp_batch_request req = {.method = "PATCH", .user_key = "E2"};
    int calls = 0;
    size_t dropped;
    json_t *body;
    char *path;

    req.path = "/api/v2/users/{userId}";
    req.body = fx_parse("{'version': 1, 'manager': '{user:E2}',"
                        " 'ids': ['{user:E1}', '{user:E2}', 'u-old']}");
    assert_int_equal(
        gcp_batch__resolve(&path, &body, &dropped, &req, lookup, &calls), 0);
    assert_string_equal(path, "/api/v2/users/u-new");
    assert_json(body, "{'version': 3, 'manager': 'u-new',"
                      " 'ids': ['u-new', 'u-old']}");
    assert_int_equal(dropped, 1);
    assert_true(calls > 0);
    free(path);
    json_decref(body);
    json_decref(req.body);
}

static void a_missing_id_outside_a_list_fails_the_request(void **state)
{
    struct gcp_batch_request req = {.method = "PATCH", .user_key = "E1"};
    int calls = 0;
    size_t dropped;
    json_t *body = (json_t *)1;
    char *path = (char *)1;

    req.path = "/api/v2/users/u1";
    req.body = fx_parse("{'version': 1, 'manager': '{user:E1}'}");
    assert_int_equal(
        gcp_batch__resolve(&path, &body, &dropped, &req, lookup, &calls),
        GCP_ENOTFOUND);
    assert_null(path);
    assert_null(body);
    req.path = "/api/v2/users/{userId}/externalid";
    assert_int_equal(
        gcp_batch__resolve(&path, &body, &dropped, &req, lookup, &calls),
        GCP_ENOTFOUND);
    json_decref(req.body);
}

static void each_change_becomes_one_journal_intent(void **state)
{
    struct fx fx = {0};
    struct gcp_batch *batch;
    gcp_plan *plan;
    gcp_journal_intent intents[8];
    const struct gcp_batch_request *lic, *grant, *create;
    int calls = 0;

    fx_load(&fx, FIVE_AGENTS,
            FX_ORG("{'id': 'u-e', 'email': 'e@x', 'name': 'E',"
                   " 'title': 'Old', 'externalIds': []}"));
    plan = fx_plan(&fx, NULL);
    batch = batch_of(plan, NULL);
    create = &batch->requests[0];
    assert_int_equal(create->change_count, 1);
    gcp_batch__intents(intents, create, plan, lookup, &calls);
    assert_string_equal(intents[0].person_key, "a@x");
    assert_int_equal(intents[0].step, GCP_STEP_CREATE);
    assert_string_equal(intents[0].target, "a@x");
    assert_null(intents[0].user_id); /* not created yet */
    grant = &batch->requests[batch->count - 3];
    assert_int_equal(grant->kind, GCP_BATCH_GRANT);
    assert_int_equal(grant->change_count, 5);
    gcp_batch__intents(intents, grant, plan, lookup, &calls);
    assert_int_equal(intents[4].step, GCP_STEP_GRANT);
    assert_string_equal(intents[4].user_id, "u-e");
    assert_string_equal(intents[4].target, "r-agent");
    assert_string_equal(intents[4].scope, "d-emea"); /* EMEA sorts first */
    lic = &batch->requests[batch->count - 1];
    assert_int_equal(lic->change_count, 5); /* comm a b c, wem a b */
    assert_int_equal(lic->serve_count, 3);
    gcp_batch__intents(intents, lic, plan, lookup, &calls);
    assert_int_equal(intents[3].step, GCP_STEP_LICENSE);
    assert_string_equal(intents[3].target, "wem");
    assert_null(intents[3].scope);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void a_patch_names_its_fields_for_the_journal(void **state)
{
    struct fx fx = {0};
    struct gcp_batch *batch;
    gcp_plan *plan;
    gcp_journal_intent intent;

    fx_load(&fx,
            "[{'name': 'E2', 'email': 'e@x', 'title': 'New', 'department':"
            " 'D'}]",
            FX_ORG("{'id': 'u-e', 'email': 'e@x', 'name': 'E',"
                   " 'externalIds': []}"));
    plan = fx_plan(&fx, NULL);
    batch = batch_of(plan, NULL);
    assert_int_equal(batch->count, 1);
    gcp_batch__intents(&intent, &batch->requests[0], plan, NULL, NULL);
    assert_int_equal(intent.step, GCP_STEP_UPDATE);
    assert_string_equal(intent.target, "name,department,title");
    assert_string_equal(intent.user_id, "u-e");
    assert_int_equal(gcp_batch__step(GCP_BATCH_RELEASE), GCP_STEP_RELEASE);
    assert_int_equal(gcp_batch__step(GCP_BATCH_EXTID), GCP_STEP_EXTERNALID);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    fx_free(&fx);
}

static void kinds_have_names(void **state)
{
    assert_string_equal(gcp_batch__kind_name(GCP_BATCH_CREATE), "create");
    assert_string_equal(gcp_batch__kind_name(GCP_BATCH_LICENSE), "license");
    assert_string_equal(gcp_batch__kind_name(GCP_BATCH_MOVE), "move");
    assert_int_equal(gcp_batch__step(GCP_BATCH_MOVE), GCP_STEP_MOVE);
    assert_string_equal(gcp_batch__kind_name(GCP_BATCH_KIND_COUNT), "unknown");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_thousand_joiners_cost_at_most_2_05_calls_each),
        cmocka_unit_test(without_employee_ids_joiners_cost_at_most_1_05),
        cmocka_unit_test(a_converged_tenant_needs_no_write),
        cmocka_unit_test(a_create_sends_only_createuser_fields),
        cmocka_unit_test(a_state_change_is_a_patch_of_its_own),
        cmocka_unit_test(a_phone_patch_keeps_the_other_contacts),
        cmocka_unit_test(grants_are_batched_per_role_and_division_and_chunked),
        cmocka_unit_test(moves_go_one_call_per_division_after_patches),
        cmocka_unit_test(an_empty_division_column_moves_nobody),
        cmocka_unit_test(licenses_share_calls_up_to_the_change_limit),
        cmocka_unit_test(releases_come_first_and_only_remove),
        cmocka_unit_test(held_people_get_only_what_takes_no_seat),
        cmocka_unit_test(
            resolving_fills_ids_and_versions_and_drops_the_unknown),
        cmocka_unit_test(a_missing_id_outside_a_list_fails_the_request),
        cmocka_unit_test(each_change_becomes_one_journal_intent),
        cmocka_unit_test(a_patch_names_its_fields_for_the_journal),
        cmocka_unit_test(kinds_have_names),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

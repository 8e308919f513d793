/*
 * test_tenant_read.c: reading the tenant through a model of the org that
 * answers the API's routes the way the sandbox does, counting calls: the
 * strategy chosen, what each costs, and that the snapshot read is the one
 * the plan needs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "batch.h"
#include "tenant_read.h"
#include "test_plan_fixture.h"

/* The org: a snapshot document; users carry externalIds, grants, licenses. */
struct org {
    json_t *doc;
    size_t calls;
    const char *fail_route; /* answer this route with GCP_ETRANSIENT */
    int no_subjectgrants;   /* answer subject grants with 404 */
    int hide_deleted_ids;   /* a deleted user's external ids: 404 */
    json_t *links;          /* key -> user id, the journal's */
};

static json_t *org_users(struct org *o)
{
    return json_object_get(o->doc, "users");
}

static json_t *org_user(struct org *o, const char *id)
{
    size_t i;
    json_t *u;

    json_array_foreach(org_users(o), i, u)
    {
        if (strcmp(json_string_value(json_object_get(u, "id")), id) == 0)
            return u;
    }
    return NULL;
}

/* The User as the API shows it: without what other calls return. */
static json_t *org_public(const json_t *u)
{
    json_t *copy = json_deep_copy(u);

    json_object_del(copy, "externalIds");
    json_object_del(copy, "grants");
    json_object_del(copy, "licenses");
    return copy;
}

/* A page of `all` (stolen) in the listing envelope. */
static json_t *org_page(json_t *all, size_t size, size_t number)
{
    json_t *page = json_array();
    size_t total = json_array_size(all);

    for (size_t i = (number - 1) * size; i < total && i < number * size; i++)
        json_array_append(page, json_array_get(all, i));
    json_decref(all);
    return json_pack("{s:o, s:I, s:I, s:I, s:I}", "entities", page, "pageSize",
                     (json_int_t)size, "pageNumber", (json_int_t)number,
                     "total", (json_int_t)total, "pageCount",
                     (json_int_t)((total + size - 1) / size));
}

static json_t *org_user_list(struct org *o)
{
    json_t *all = json_array();
    size_t i;
    json_t *u;

    json_array_foreach(org_users(o), i, u)
        json_array_append_new(all, org_public(u));
    return all;
}

static json_t *org_license_list(struct org *o)
{
    json_t *all = json_array();
    size_t i;
    json_t *u;

    json_array_foreach(org_users(o), i, u)
    {
        json_t *lics = json_object_get(u, "licenses");

        if (json_array_size(lics) > 0)
            json_array_append_new(all, json_pack("{s:O, s:O}", "id",
                                                 json_object_get(u, "id"),
                                                 "licenses", lics));
    }
    return all;
}

static json_t *org_role_subjects(struct org *o, const char *role)
{
    json_t *all = json_array();
    size_t i, j;
    json_t *u, *g;

    json_array_foreach(org_users(o), i, u)
    {
        json_t *divs = json_array();

        json_array_foreach(json_object_get(u, "grants"), j, g)
        {
            if (strcmp(json_string_value(json_object_get(g, "roleId")), role) ==
                0)
                json_array_append_new(
                    divs,
                    json_pack("{s:O}", "id", json_object_get(g, "divisionId")));
        }
        if (json_array_size(divs) > 0)
            json_array_append_new(all,
                                  json_pack("{s:O, s:s, s:o}", "id",
                                            json_object_get(u, "id"), "type",
                                            "PC_USER", "divisions", divs));
        else
            json_decref(divs);
    }
    return all;
}

static json_t *org_by_extid(struct org *o, const char *authority,
                            const char *key)
{
    size_t i, j;
    json_t *u, *e;

    json_array_foreach(org_users(o), i, u)
    {
        json_array_foreach(json_object_get(u, "externalIds"), j, e)
        {
            if (strcmp(json_string_value(json_object_get(e, "authorityName")),
                       authority) == 0 &&
                strcmp(json_string_value(json_object_get(e, "externalKey")),
                       key) == 0)
                return org_public(u);
        }
    }
    return NULL;
}

static json_t *org_search(struct org *o, json_t *body)
{
    const char *email = json_string_value(json_object_get(
        json_array_get(json_object_get(body, "query"), 0), "value"));
    json_t *results = json_array();
    size_t i;
    json_t *u;

    json_array_foreach(org_users(o), i, u)
    {
        if (strcasecmp(json_string_value(json_object_get(u, "email")), email) ==
            0)
            json_array_append_new(results, org_public(u));
    }
    return json_pack("{s:I, s:o}", "total",
                     (json_int_t)json_array_size(results), "results", results);
}

static json_t *org_subject(struct org *o, const char *id)
{
    json_t *u = org_user(o, id);
    json_t *grants = json_array();
    size_t i;
    json_t *g;

    json_array_foreach(json_object_get(u, "grants"), i, g)
        json_array_append_new(
            grants, json_pack("{s:{s:O}, s:{s:O}}", "role", "id",
                              json_object_get(g, "roleId"), "division", "id",
                              json_object_get(g, "divisionId")));
    return json_pack("{s:s, s:o}", "id", id, "grants", grants);
}

static json_t *org_license_map(struct org *o, json_t *ids)
{
    json_t *map = json_object();
    size_t i;
    json_t *id;

    json_array_foreach(ids, i, id)
    {
        json_t *u = org_user(o, json_string_value(id));

        json_object_set_new(map, json_string_value(id),
                            json_pack("{s:O, s:O}", "id", id, "licenses",
                                      json_object_get(u, "licenses")));
    }
    return map;
}

/* A user's external ids; NULL (404) for a deleted one when hidden. */
static json_t *org_extids(struct org *o, const char *id)
{
    json_t *u = org_user(o, id);
    const char *state = json_string_value(json_object_get(u, "state"));

    if (o->hide_deleted_ids && state != NULL && strcmp(state, "deleted") == 0)
        return NULL;
    return json_deep_copy(json_object_get(u, "externalIds"));
}

/* Answers a GET; NULL for a 404. */
static json_t *org_get(struct org *o, const char *path)
{
    char a[128], b[128];
    size_t size, number;

    if (strcmp(path, "/api/v2/authorization/divisions/home") == 0)
        return json_pack("{s:O}", "id",
                         json_object_get(o->doc, "homeDivisionId"));
    if (strcmp(path, "/api/v2/license/definitions") == 0)
        return json_incref(json_object_get(o->doc, "licenseDefinitions"));
    if (sscanf(path,
               "/api/v2/authorization/divisions?pageSize=%zu&pageNumber"
               "=%zu",
               &size, &number) == 2)
        return org_page(json_deep_copy(json_object_get(o->doc, "divisions")),
                        size, number);
    if (sscanf(path, "/api/v2/authorization/roles?pageSize=%zu&pageNumber=%zu",
               &size, &number) == 2)
        return org_page(json_deep_copy(json_object_get(o->doc, "roles")), size,
                        number);
    if (sscanf(path, "/api/v2/users?pageSize=%zu&pageNumber=%zu", &size,
               &number) == 2)
        return org_page(org_user_list(o), size, number);
    if (sscanf(path, "/api/v2/license/users?pageSize=%zu&pageNumber=%zu", &size,
               &number) == 2)
        return org_page(org_license_list(o), size, number);
    if (sscanf(path,
               "/api/v2/authorization/roles/%127[^/]/subjectgrants?pageSize="
               "%zu&pageNumber=%zu",
               a, &size, &number) == 3)
        return o->no_subjectgrants
                   ? NULL
                   : org_page(org_role_subjects(o, a), size, number);
    if (sscanf(path, "/api/v2/users/externalid/%127[^/]/%127s", a, b) == 2)
        return org_by_extid(o, a, b);
    if (sscanf(path, "/api/v2/users/%127[^/]/externalid", a) == 1)
        return org_extids(o, a);
    if (sscanf(path, "/api/v2/authorization/subjects/%127s", a) == 1)
        return org_subject(o, a);
    fail_msg("unexpected GET %s", path);
    return NULL;
}

static int org_call(json_t **out, const char *method, const char *route,
                    const char *path, json_t *body, void *payload)
{
    struct org *o = payload;

    o->calls++;
    if (o->fail_route != NULL && strcmp(route, o->fail_route) == 0)
        return GCP_ETRANSIENT;
    if (strcmp(method, "POST") == 0)
        *out = strcmp(path, "/api/v2/users/search") == 0
                   ? org_search(o, body)
                   : org_license_map(o, body);
    else
        *out = org_get(o, path);
    return *out != NULL ? 0 : GCP_ENOTFOUND;
}

static int org_link(const char **out_user_id, const char *key, void *payload)
{
    struct org *o = payload;

    *out_user_id = json_string_value(json_object_get(o->links, key));
    return *out_user_id != NULL ? 0 : GCP_ENOTFOUND;
}

/* An org with `admins` users of its own and, when `done`, the `n`
 * people of many_people() provisioned. */
static void org_make(struct org *o, size_t admins, size_t n, int done)
{
    o->doc = fx_parse(FX_ORG(""));
    o->links = json_object();
    for (size_t i = 0; i < admins; i++) {
        char id[16], email[32];

        snprintf(id, sizeof(id), "a%zu", i);
        snprintf(email, sizeof(email), "admin%zu@example.com", i);
        json_array_append_new(org_users(o),
                              json_pack("{s:s, s:s, s:s, s:[], s:[s]}", "id",
                                        id, "email", email, "name", id,
                                        "externalIds", "licenses", "comm"));
    }
    for (size_t i = 0; done && i < n; i++) {
        char key[16], email[32], id[16];

        snprintf(key, sizeof(key), "E%04zu", i);
        snprintf(email, sizeof(email), "p%04zu@example.com", i);
        snprintf(id, sizeof(id), "u%04zu", i);
        json_array_append_new(
            org_users(o),
            json_pack("{s:s, s:s, s:s, s:[{s:s, s:s}], s:[{s:s, s:s}, {s:s,"
                      " s:s}], s:[s, s]}",
                      "id", id, "email", email, "name", key, "externalIds",
                      "authorityName", "gcprov", "externalKey", key, "grants",
                      "roleId", "r-agent", "divisionId", "d-home", "roleId",
                      "r-emp", "divisionId", "d-emea", "licenses", "comm",
                      "cx3"));
        json_object_set_new(o->links, key, json_string(id));
    }
}

/* `n` people E0000.. with Agent at home, Employee in EMEA and comm. */
static void many_people(struct fx *fx, size_t n)
{
    json_t *roster = json_array();

    for (size_t i = 0; i < n; i++) {
        char key[16], email[32];

        snprintf(key, sizeof(key), "E%04zu", i);
        snprintf(email, sizeof(email), "p%04zu@example.com", i);
        json_array_append_new(
            roster, json_pack("{s:s, s:s, s:s, s:[s, {s:s, s:s}], s:[s]}",
                              "employee_id", key, "name", key, "email", email,
                              "roles", "Agent", "role", "Employee", "division",
                              "EMEA", "licenses", "comm"));
    }
    fx_people_json(fx, roster);
}

/* Reads, plans and batches; returns the number of write requests. */
static size_t read_and_plan(struct fx *fx, struct org *o,
                            struct gcp_tenant_read_options *opts,
                            struct gcp_tenant_read_stats *stats)
{
    struct gcp_batch *batch = NULL;
    struct gcp_err err;
    gcp_plan *plan;
    size_t writes;

    gcp_err__clear(&err);
    assert_int_equal(gcp_tenant__read(&fx->snap, stats, fx->ptrs, fx->count,
                                      opts, org_call, o, &err),
                     0);
    plan = fx_plan(fx, NULL);
    assert_int_equal(gcp_batch__build(&batch, plan, NULL), 0);
    writes = gcp_batch__writes(batch);
    gcp_batch__free(batch);
    gcp_plan_free(plan);
    return writes;
}

static void joiners_in_a_small_org_are_found_by_a_scan(void **state)
{
    struct fx fx = {0};
    struct org o = {0};
    struct gcp_tenant_read_options opts = {.strategy = GCP_TENANT_READ_AUTO};
    struct gcp_tenant_read_stats stats;
    size_t writes;

    org_make(&o, 5, 0, 0);
    many_people(&fx, 1000);
    writes = read_and_plan(&fx, &o, &opts, &stats);
    assert_int_equal(stats.strategy, GCP_LOOKUP_SCAN);
    assert_int_equal(stats.org_users, 5);
    /* Setup 4, users 1, licenses 1, grants 2 roles, the 5 admins' ids. */
    assert_int_equal(stats.calls, 4 + 1 + 1 + 2 + 5);
    assert_int_equal(o.calls, stats.calls);
    assert_int_equal(writes, 1000 + 1000 + 20 + 10);
    json_decref(o.doc);
    json_decref(o.links);
    fx_free(&fx);
}

static void a_second_run_reads_for_under_0_05_calls_a_person(void **state)
{
    struct fx fx = {0};
    struct org o = {0};
    struct gcp_tenant_read_options opts = {
        .strategy = GCP_TENANT_READ_AUTO, .seats = 1, .link = org_link};
    struct gcp_tenant_read_stats stats;

    org_make(&o, 5, 1000, 1);
    opts.link_payload = &o;
    many_people(&fx, 1000);
    assert_int_equal(read_and_plan(&fx, &o, &opts, &stats), 0);
    assert_int_equal(stats.strategy, GCP_LOOKUP_SCAN);
    /* Setup 4, users 3 pages, licenses 3, grants 2 roles of 2 pages. */
    assert_int_equal(stats.calls, 4 + 3 + 3 + 4);
    assert_true(stats.calls * 100 <= 1000 * 5);
    json_decref(o.doc);
    json_decref(o.links);
    fx_free(&fx);
}

static void without_the_journal_a_second_run_reads_each_users_ids(void **s)
{
    struct fx fx = {0};
    struct org o = {0};
    struct gcp_tenant_read_options opts = {.strategy = GCP_TENANT_READ_AUTO};
    struct gcp_tenant_read_stats stats;

    org_make(&o, 5, 1000, 1);
    many_people(&fx, 1000);
    assert_int_equal(read_and_plan(&fx, &o, &opts, &stats), 0);
    assert_int_equal(stats.calls, 4 + 3 + 3 + 4 + 1000);
    json_decref(o.doc);
    json_decref(o.links);
    fx_free(&fx);
}

static void without_subject_grants_a_scan_reads_each_users_grants(void **s)
{
    struct fx fx = {0};
    struct org o = {.no_subjectgrants = 1};
    struct gcp_tenant_read_options opts = {
        .strategy = GCP_TENANT_READ_AUTO, .seats = 1, .link = org_link};
    struct gcp_tenant_read_stats stats;

    org_make(&o, 5, 1000, 1);
    opts.link_payload = &o;
    many_people(&fx, 1000);
    assert_int_equal(read_and_plan(&fx, &o, &opts, &stats), 0);
    /* Setup 4, users 3, licenses 3, one refused subject grants page. */
    assert_int_equal(stats.calls, 4 + 3 + 3 + 1 + 1000);
    json_decref(o.doc);
    json_decref(o.links);
    fx_free(&fx);
}

static void a_few_people_in_a_big_org_are_looked_up_one_by_one(void **state)
{
    struct fx fx = {0};
    struct org o = {0};
    struct gcp_tenant_read_options opts = {.strategy = GCP_TENANT_READ_AUTO};
    struct gcp_tenant_read_stats stats;

    org_make(&o, 3000, 0, 0);
    /* admin7 exists without our id; E1 is new. */
    fx_people_json(&fx, fx_parse("[{'employee_id': 'E0', 'name': 'a7',"
                                 " 'email': 'ADMIN7@example.com'},"
                                 " {'employee_id': 'E1', 'name': 'N',"
                                 " 'email': 'new@example.com'}]"));
    assert_int_equal(read_and_plan(&fx, &o, &opts, &stats), 1 + 1 + 1);
    assert_int_equal(stats.strategy, GCP_LOOKUP_PER_PERSON);
    /* Setup 4, users 1; E0: key 1, search 1, ids 1, grants 1; E1: key 1,
     * search 1; licenses 1. */
    assert_int_equal(stats.calls, 5 + 4 + 2 + 1);
    json_decref(o.doc);
    json_decref(o.links);
    fx_free(&fx);
}

static void an_email_change_is_found_by_key_in_a_scan(void **state)
{
    struct fx fx = {0};
    struct org o = {0};
    struct gcp_tenant_read_options opts = {.strategy = GCP_LOOKUP_SCAN};
    gcp_plan *plan;
    gcp_plan_person p;
    struct gcp_err err;

    org_make(&o, 5, 1, 1); /* u0000 is E0000 at p0000@example.com */
    fx_people_json(&fx, fx_parse("[{'employee_id': 'E0000', 'name': 'E0000',"
                                 " 'email': 'renamed@example.com'}]"));
    gcp_err__clear(&err);
    assert_int_equal(gcp_tenant__read(&fx.snap, NULL, fx.ptrs, fx.count, &opts,
                                      org_call, &o, &err),
                     0);
    plan = fx_plan(&fx, NULL);
    gcp_plan_person_get(&p, plan, 0);
    assert_int_equal(p.outcome, GCP_PLAN_UPDATE);
    assert_string_equal(p.user_id, "u0000");
    gcp_plan_free(plan);
    json_decref(o.doc);
    json_decref(o.links);
    fx_free(&fx);
}

static void a_failed_call_stops_the_read_and_names_the_route(void **state)
{
    struct fx fx = {0};
    struct org o = {0};
    struct gcp_tenant_read_options opts = {.strategy = GCP_TENANT_READ_AUTO};
    gcp_snapshot *snap = (gcp_snapshot *)1;
    struct gcp_err err;

    org_make(&o, 5, 0, 0);
    o.fail_route = "/api/v2/license/users";
    many_people(&fx, 3);
    gcp_err__clear(&err);
    assert_int_equal(gcp_tenant__read(&snap, NULL, fx.ptrs, fx.count, &opts,
                                      org_call, &o, &err),
                     GCP_ETRANSIENT);
    assert_null(snap);
    assert_non_null(strstr(gcp_err__message(&err), "/api/v2/license/users"));
    json_decref(o.doc);
    json_decref(o.links);
    fx_free(&fx);
}

/*
 * An org of 5 admins and u-gone, deleted, holding p0000@example.com and
 * carrying `extids` (JSON text); `hidden`: its ids answer 404.
 */
static void org_with_gone(struct org *o, const char *extids, int hidden)
{
    json_t *gone = fx_parse("{'id': 'u-gone', 'name': 'Gone', 'state':"
                            " 'deleted', 'version': 4, 'email':"
                            " 'P0000@example.com', 'licenses': []}");

    org_make(o, 5, 0, 0);
    o->hide_deleted_ids = hidden;
    json_object_set_new(gone, "externalIds", fx_parse(extids));
    json_array_append_new(org_users(o), gone);
}

/* Reads with `strategy` and plans; returns person `key`'s plan in *out. */
static gcp_plan *read_person(struct fx *fx, struct org *o, int strategy,
                             const char *key, gcp_plan_person *out)
{
    struct gcp_tenant_read_options opts = {.strategy = strategy};
    struct gcp_tenant_read_stats stats;
    struct gcp_err err;
    gcp_plan *plan;

    gcp_err__clear(&err);
    assert_int_equal(gcp_tenant__read(&fx->snap, &stats, fx->ptrs, fx->count,
                                      &opts, org_call, o, &err),
                     0);
    assert_int_equal(stats.strategy, strategy);
    plan = fx_plan(fx, NULL);
    for (size_t i = 0; i < gcp_plan_person_count(plan); i++) {
        assert_int_equal(gcp_plan_person_get(out, plan, i), 0);
        if (strcmp(out->key, key) == 0)
            return plan;
    }
    fail_msg("no plan for '%s'", key);
    return plan;
}

static void a_deleted_user_with_hidden_ids_is_restored_either_way(void **s)
{
    static const int strategies[] = {GCP_LOOKUP_SCAN, GCP_LOOKUP_PER_PERSON};

    for (size_t i = 0; i < 2; i++) {
        struct fx fx = {0};
        struct org o = {0};
        gcp_plan_person p;
        gcp_plan_counts c;
        gcp_plan *plan;

        org_with_gone(&o, "[]", 1);
        many_people(&fx, 1);
        plan = read_person(&fx, &o, strategies[i], "E0000", &p);
        assert_int_equal(p.outcome, GCP_PLAN_RESTORE);
        assert_string_equal(p.user_id, "u-gone");
        assert_int_equal(p.grant_count, 2);
        gcp_plan_counts_get(&c, plan);
        assert_int_equal(c.adopt, 1); /* our external id is added */
        assert_int_equal(c.create, 0);
        gcp_plan_free(plan);
        json_decref(o.doc);
        json_decref(o.links);
        fx_free(&fx);
    }
}

static void a_deleted_user_carrying_another_key_stays_a_conflict(void **s)
{
    static const int strategies[] = {GCP_LOOKUP_SCAN, GCP_LOOKUP_PER_PERSON};

    for (size_t i = 0; i < 2; i++) {
        struct fx fx = {0};
        struct org o = {0};
        gcp_plan_person p;
        gcp_plan *plan;

        org_with_gone(&o, "[{'authorityName': 'gcprov', 'externalKey': 'E9'}]",
                      0);
        many_people(&fx, 1);
        plan = read_person(&fx, &o, strategies[i], "E0000", &p);
        assert_int_equal(p.outcome, GCP_PLAN_CONFLICT);
        assert_non_null(strstr(p.problem, "belongs to key 'E9'"));
        gcp_plan_free(plan);
        json_decref(o.doc);
        json_decref(o.links);
        fx_free(&fx);
    }
}

static void a_hidden_key_found_by_lookup_still_makes_a_conflict(void **s)
{
    struct fx fx = {0};
    struct org o = {0};
    gcp_plan_person p;
    gcp_plan *plan;

    /* E9 moved to another address; the deleted user is found by email
     * for E0000 (ids hidden) and by key for E9. */
    org_with_gone(&o, "[{'authorityName': 'gcprov', 'externalKey': 'E9'}]", 1);
    fx_people_json(&fx, fx_parse("[{'employee_id': 'E0000', 'name': 'N',"
                                 " 'email': 'p0000@example.com'},"
                                 " {'employee_id': 'E9', 'name': 'Gone',"
                                 " 'email': 'moved@example.com'}]"));
    plan = read_person(&fx, &o, GCP_LOOKUP_PER_PERSON, "E0000", &p);
    assert_int_equal(p.outcome, GCP_PLAN_CONFLICT);
    gcp_plan_person_get(&p, plan, 1);
    assert_string_equal(p.key, "E9");
    assert_string_equal(p.user_id, "u-gone");
    assert_int_equal(p.outcome, GCP_PLAN_RESTORE);
    gcp_plan_free(plan);
    json_decref(o.doc);
    json_decref(o.links);
    fx_free(&fx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(joiners_in_a_small_org_are_found_by_a_scan),
        cmocka_unit_test(a_second_run_reads_for_under_0_05_calls_a_person),
        cmocka_unit_test(without_the_journal_a_second_run_reads_each_users_ids),
        cmocka_unit_test(without_subject_grants_a_scan_reads_each_users_grants),
        cmocka_unit_test(a_few_people_in_a_big_org_are_looked_up_one_by_one),
        cmocka_unit_test(an_email_change_is_found_by_key_in_a_scan),
        cmocka_unit_test(a_failed_call_stops_the_read_and_names_the_route),
        cmocka_unit_test(a_deleted_user_with_hidden_ids_is_restored_either_way),
        cmocka_unit_test(a_deleted_user_carrying_another_key_stays_a_conflict),
        cmocka_unit_test(a_hidden_key_found_by_lookup_still_makes_a_conflict),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

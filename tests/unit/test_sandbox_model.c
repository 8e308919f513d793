/*
 * test_sandbox_model.c: the sandbox's org model, seeded in memory, with
 * no HTTP: users, versions, search lag, create lag, external ids, grants,
 * licenses following roles, seats, tokens, reset and dump.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pthread.h>

#include "model.h"

static const char *seed_text =
    "{\"divisions\": [{\"id\": \"home\", \"name\": \"Home\", \"home\": true},"
    "  {\"id\": \"east\", \"name\": \"East\"}],"
    " \"licenses\": [{\"id\": \"cx3\"}, {\"id\": \"wem\"}],"
    " \"roles\": [{\"id\": \"agent\", \"name\": \"Agent\","
    "   \"baseLicense\": \"cx3\"},"
    "  {\"id\": \"sup\", \"name\": \"Supervisor\", \"baseLicense\": \"cx3\","
    "   \"addonLicenses\": [\"wem\"]}],"
    " \"clients\": [{\"id\": \"all\", \"secret\": \"s\"},"
    "  {\"id\": \"ro\", \"secret\": \"s\","
    "   \"permissions\": [\"directory:*:view\"]}],"
    " \"users\": [{\"id\": \"u1\", \"name\": \"Old\","
    "   \"email\": \"old@x.example\", \"state\": \"deleted\","
    "   \"externalIds\": [{\"authorityName\": \"hr\","
    "     \"externalKey\": \"1\"}]}]}";

struct fixture {
    struct sbx_model *m;
    struct gcp_err err;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    struct sbx_model_rules rules = {0, 0, 100, NULL, 0};
    json_t *seed = json_loads(seed_text, 0, NULL);

    assert_non_null(f);
    assert_non_null(seed);
    assert_int_equal(sbx_model_new(&f->m, seed, &rules, &f->err), 0);
    json_decref(seed);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;

    sbx_model_free(f->m);
    free(f);
    return 0;
}

/* Creates a user and returns its id (static buffer). */
static const char *create(struct fixture *f, const char *email, double now)
{
    static char id[64];
    json_t *body = json_pack("{s:s, s:s}", "name", "N", "email", email);
    json_t *user = NULL;

    assert_int_equal(sbx_model_user_create(f->m, &user, body, now, &f->err), 0);
    snprintf(id, sizeof(id), "%s",
             json_string_value(json_object_get(user, "id")));
    json_decref(user);
    json_decref(body);
    return id;
}

static void set_lags(struct fixture *f, double search, double create_lag)
{
    struct sbx_model_rules rules = {search, create_lag, 100, NULL, 0};

    sbx_model_set_rules(f->m, &rules);
}

static void a_created_user_is_active_and_ignores_unknown_fields(void **state)
{
    struct fixture *f = *state;
    json_t *body = json_loads("{\"name\": \"A\", \"email\": \"a@x.example\", "
                              "\"firstName\": \"Ann\"}",
                              0, NULL);
    json_t *user = NULL;

    assert_int_equal(sbx_model_user_create(f->m, &user, body, 0, &f->err), 0);
    assert_string_equal(json_string_value(json_object_get(user, "state")),
                        "active");
    assert_int_equal(json_integer_value(json_object_get(user, "version")), 1);
    assert_null(json_object_get(user, "firstName"));
    assert_string_equal(json_string_value(json_object_get(
                            json_object_get(user, "division"), "id")),
                        "home");
    json_decref(user);
    json_decref(body);
}

static void a_duplicate_email_conflicts_even_with_a_deleted_user(void **state)
{
    struct fixture *f = *state;
    json_t *body =
        json_pack("{s:s, s:s}", "name", "B", "email", "OLD@x.example");
    json_t *user = NULL;

    assert_int_equal(sbx_model_user_create(f->m, &user, body, 0, &f->err),
                     GCP_ECONFLICT);
    assert_null(user);
    json_decref(body);
}

static void a_create_without_email_is_invalid(void **state)
{
    struct fixture *f = *state;
    json_t *body = json_pack("{s:s}", "name", "B");
    json_t *user = NULL;

    assert_int_equal(sbx_model_user_create(f->m, &user, body, 0, &f->err),
                     GCP_EINVALID);
    assert_non_null(strstr(gcp_err__message(&f->err), "email"));
    json_decref(body);
}

static void a_stale_version_conflicts(void **state)
{
    struct fixture *f = *state;
    const char *id = create(f, "v@x.example", 0);
    json_t *body = json_pack("{s:i, s:s}", "version", 2, "title", "T");
    json_t *user = NULL;

    assert_int_equal(sbx_model_user_patch(f->m, &user, id, body, 0, &f->err),
                     GCP_ECONFLICT);
    json_object_set_new(body, "version", json_integer(1));
    assert_int_equal(sbx_model_user_patch(f->m, &user, id, body, 0, &f->err),
                     0);
    assert_int_equal(json_integer_value(json_object_get(user, "version")), 2);
    json_decref(user);
    json_decref(body);
}

static void a_state_patch_restores_a_deleted_user_and_nothing_else(void **state)
{
    struct fixture *f = *state;
    json_t *body = json_pack("{s:i, s:s, s:s}", "version", 1, "state", "active",
                             "name", "Renamed");
    json_t *user = NULL;

    assert_int_equal(sbx_model_user_patch(f->m, &user, "u1", body, 0, &f->err),
                     0);
    assert_string_equal(json_string_value(json_object_get(user, "state")),
                        "active");
    assert_string_equal(json_string_value(json_object_get(user, "name")),
                        "Old");
    json_decref(user);
    json_decref(body);
}

static void a_deleted_user_is_hidden_unless_asked_for(void **state)
{
    struct fixture *f = *state;
    const char *id = create(f, "d@x.example", 0);
    json_t *user = NULL;

    assert_int_equal(sbx_model_user_delete(f->m, id, 0, &f->err), 0);
    assert_int_equal(sbx_model_user_get(f->m, &user, id, NULL, 0, 0, &f->err),
                     GCP_ENOTFOUND);
    assert_int_equal(sbx_model_user_get(f->m, &user, id, NULL, 1, 0, &f->err),
                     0);
    assert_string_equal(json_string_value(json_object_get(user, "state")),
                        "deleted");
    json_decref(user);
}

static long search_email(struct fixture *f, const char *email, double now)
{
    json_t *req = json_pack("{s:[{s:s, s:[s], s:s}]}", "query", "type", "EXACT",
                            "fields", "email", "value", email);
    struct sbx_page page = {25, 1};
    json_t *results = NULL;
    long total = -1;

    assert_int_equal(
        sbx_model_user_search(f->m, &results, &total, req, &page, now, &f->err),
        0);
    json_decref(results);
    json_decref(req);
    return total;
}

static void search_sees_a_write_only_after_the_search_lag(void **state)
{
    struct fixture *f = *state;

    set_lags(f, 3, 0);
    create(f, "lag@x.example", 100);
    assert_int_equal(search_email(f, "lag@x.example", 100), 0);
    assert_int_equal(search_email(f, "lag@x.example", 102.9), 0);
    assert_int_equal(search_email(f, "LAG@x.example", 103), 1);
}

static void
a_new_user_is_unknown_to_other_calls_during_the_create_lag(void **state)
{
    struct fixture *f = *state;
    const char *id;
    json_t *user = NULL;
    json_t *ids;

    set_lags(f, 0, 2);
    id = create(f, "new@x.example", 10);
    ids = json_pack("[s]", id);
    assert_int_equal(sbx_model_user_get(f->m, &user, id, NULL, 0, 11, &f->err),
                     GCP_ENOTFOUND);
    assert_int_equal(sbx_model_grant_role(f->m, "agent", ids, NULL,
                                          SBX_GRANT_ADD, 11, &f->err),
                     GCP_ENOTFOUND);
    assert_int_equal(sbx_model_user_get(f->m, &user, id, NULL, 0, 12, &f->err),
                     0);
    json_decref(user);
    json_decref(ids);
}

static void an_external_id_finds_its_user_and_belongs_to_one_user(void **state)
{
    struct fixture *f = *state;
    char first[64];
    const char *second;
    json_t *body =
        json_pack("{s:s, s:s}", "authorityName", "hr", "externalKey", "K-1");
    json_t *out = NULL;

    snprintf(first, sizeof(first), "%s", create(f, "e1@x.example", 0));
    second = create(f, "e2@x.example", 0);
    assert_int_equal(sbx_model_extid_add(f->m, &out, first, body, 0, &f->err),
                     0);
    assert_int_equal(json_array_size(out), 1);
    json_decref(out);
    assert_int_equal(sbx_model_extid_add(f->m, &out, second, body, 0, &f->err),
                     GCP_ECONFLICT);
    assert_int_equal(sbx_model_extid_find(f->m, &out, "hr", "K-1", 0, &f->err),
                     0);
    assert_string_equal(json_string_value(json_object_get(out, "id")), first);
    json_decref(out);
    assert_int_equal(sbx_model_extid_find(f->m, &out, "hr", "k-1", 0, &f->err),
                     GCP_ENOTFOUND);
    json_decref(body);
}

/* Non-zero when the user holds `license`; *count gets how many it holds. */
static int holds(struct fixture *f, const char *id, const char *license,
                 size_t *count)
{
    json_t *ids = json_pack("[s]", id);
    json_t *map = NULL;
    json_t *list;
    size_t i;
    json_t *v;
    int found = 0;

    assert_int_equal(sbx_model_license_batch(f->m, &map, ids, 0, &f->err), 0);
    list = json_object_get(json_object_get(map, id), "licenses");
    *count = json_array_size(list);
    json_array_foreach(list, i, v)
    {
        found |= strcmp(json_string_value(v), license) == 0;
    }
    json_decref(map);
    json_decref(ids);
    return found;
}

static void granting_a_role_grants_its_licenses(void **state)
{
    struct fixture *f = *state;
    size_t count = 0;
    const char *id = create(f, "g@x.example", 0);
    json_t *ids = json_pack("[s]", id);

    assert_int_equal(
        sbx_model_grant_role(f->m, "sup", ids, NULL, SBX_GRANT_ADD, 0, &f->err),
        0);
    assert_true(holds(f, id, "cx3", &count));
    assert_true(holds(f, id, "wem", &count));
    assert_int_equal(count, 2);
    assert_int_equal(sbx_model_grant_role(f->m, "sup", ids, NULL,
                                          SBX_GRANT_REMOVE, 0, &f->err),
                     0);
    assert_false(holds(f, id, "cx3", &count));
    assert_int_equal(count, 0);
    json_decref(ids);
}

static void bulkreplace_drops_the_grants_it_does_not_list(void **state)
{
    struct fixture *f = *state;
    const char *id = create(f, "r@x.example", 0);
    json_t *two = json_loads("[{\"roleId\": \"agent\", \"divisionId\": "
                             "\"home\"}, {\"roleId\": \"sup\", "
                             "\"divisionId\": \"east\"}]",
                             0, NULL);
    json_t *one = json_loads("[{\"roleId\": \"sup\", \"divisionId\": "
                             "\"home\"}]",
                             0, NULL);
    json_t *subject = NULL;

    assert_int_equal(
        sbx_model_grant_subject(f->m, id, two, SBX_GRANT_ADD, 0, &f->err), 0);
    assert_int_equal(
        sbx_model_grant_subject(f->m, id, one, SBX_GRANT_REPLACE, 0, &f->err),
        0);
    assert_int_equal(sbx_model_subject_get(f->m, &subject, id, 0, &f->err), 0);
    assert_int_equal(json_array_size(json_object_get(subject, "grants")), 1);
    json_decref(subject);
    json_decref(one);
    json_decref(two);
}

/* Returns the user's division id and version, read through the model. */
static const char *division_of(struct fixture *f, const char *id,
                               long *out_version)
{
    static char division[64];
    json_t *user = NULL;

    assert_int_equal(sbx_model_user_get(f->m, &user, id, NULL, 0, 0, &f->err),
                     0);
    snprintf(division, sizeof(division), "%s",
             json_string_value(
                 json_object_get(json_object_get(user, "division"), "id")));
    *out_version = (long)json_integer_value(json_object_get(user, "version"));
    json_decref(user);
    return division;
}

static void moving_users_changes_their_division_and_nothing_else(void **state)
{
    struct fixture *f = *state;
    char a[64], b[64];
    json_t *ids, *subject = NULL;
    long version;

    snprintf(a, sizeof(a), "%s", create(f, "ma@x.example", 0));
    snprintf(b, sizeof(b), "%s", create(f, "mb@x.example", 0));
    ids = json_pack("[s, s]", a, b);
    assert_int_equal(sbx_model_grant_role(f->m, "agent", ids, NULL,
                                          SBX_GRANT_ADD, 0, &f->err),
                     0);
    assert_string_equal(division_of(f, a, &version), "home");

    assert_int_equal(
        sbx_model_division_move_users(f->m, "east", ids, 1, &f->err), 0);
    assert_string_equal(division_of(f, a, &version), "east");
    assert_int_equal(version, 2);
    assert_string_equal(division_of(f, b, &version), "east");
    assert_int_equal(sbx_model_subject_get(f->m, &subject, a, 1, &f->err), 0);
    assert_int_equal(json_array_size(json_object_get(subject, "grants")), 1);

    /* Already there: nothing changes, not even the version. */
    assert_int_equal(
        sbx_model_division_move_users(f->m, "east", ids, 2, &f->err), 0);
    assert_string_equal(division_of(f, a, &version), "east");
    assert_int_equal(version, 2);
    json_decref(subject);
    json_decref(ids);
}

/* Expects a move of `ids` (JSON text) to `division` to fail with `code`. */
static void move_fails(struct fixture *f, const char *division,
                       const char *ids_text, int code)
{
    json_t *ids = json_loads(ids_text, 0, NULL);

    assert_non_null(ids);
    assert_int_equal(
        sbx_model_division_move_users(f->m, division, ids, 0, &f->err), code);
    json_decref(ids);
}

static void a_move_with_one_bad_id_moves_nobody(void **state)
{
    struct fixture *f = *state;
    char a[64], list[256];
    json_t *many = json_array();
    long version;

    snprintf(a, sizeof(a), "%s", create(f, "mc@x.example", 0));
    snprintf(list, sizeof(list), "[\"%s\", \"nope\"]", a);
    move_fails(f, "east", list, GCP_EINVALID);
    snprintf(list, sizeof(list), "[\"%s\", \"u1\"]", a); /* deleted */
    move_fails(f, "east", list, GCP_EINVALID);
    snprintf(list, sizeof(list), "[\"%s\", 7]", a);
    move_fails(f, "east", list, GCP_EINVALID);
    move_fails(f, "east", "{}", GCP_EINVALID);
    snprintf(list, sizeof(list), "[\"%s\"]", a);
    move_fails(f, "west", list, GCP_ENOTFOUND);
    assert_string_equal(division_of(f, a, &version), "home");
    assert_int_equal(version, 1);

    for (int i = 0; i <= SBX_DIVISION_OBJECTS_MAX; i++)
        json_array_append_new(many, json_string(a));
    assert_int_equal(
        sbx_model_division_move_users(f->m, "east", many, 0, &f->err),
        GCP_EINVALID);
    json_decref(many);

    /* A user within its create lag is not there yet. */
    set_lags(f, 0, 5);
    snprintf(list, sizeof(list), "[\"%s\"]", create(f, "md@x.example", 0));
    move_fails(f, "east", list, GCP_EINVALID);
}

static json_t *assign(const char *license, const char *a, const char *b)
{
    return json_pack("{s:[{s:s, s:[s, s], s:[]}]}", "assignments", "licenseId",
                     license, "userIdsAdd", a, b, "userIdsRemove");
}

static void seats_refuse_assignments_past_the_limit(void **state)
{
    struct fixture *f = *state;
    struct sbx_model_rules rules = {0, 0, 100, json_pack("{s:i}", "wem", 1), 0};
    char first[64];
    const char *second;
    json_t *req, *out = NULL;

    sbx_model_set_rules(f->m, &rules);
    json_decref(rules.seats);
    snprintf(first, sizeof(first), "%s", create(f, "s1@x.example", 0));
    second = create(f, "s2@x.example", 0);
    req = assign("wem", first, second);
    assert_int_equal(sbx_model_license_assign(f->m, &out, req, 0, &f->err), 0);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(out, 0), "result")),
        "Success");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(out, 1), "result")),
        "SeatLimitReached");
    json_decref(out);
    json_decref(req);
}

static void tokens_expire_and_carry_their_clients_permissions(void **state)
{
    struct fixture *f = *state;
    char *token = NULL;
    long expires = 0;

    assert_int_equal(
        sbx_model_token_issue(f->m, &token, &expires, "ro", "x", 0, &f->err),
        GCP_EAUTH);
    assert_int_equal(
        sbx_model_token_issue(f->m, &token, &expires, "ro", "s", 0, &f->err),
        0);
    assert_int_equal(expires, 100);
    assert_int_equal(
        sbx_model_token_check(f->m, token, "directory:user:view", 50, &f->err),
        0);
    assert_int_equal(
        sbx_model_token_check(f->m, token, "directory:user:add", 50, &f->err),
        GCP_EPERMISSION);
    assert_int_equal(sbx_model_token_check(f->m, token, NULL, 100, &f->err),
                     GCP_EAUTH);
    free(token);
}

static void reset_restores_the_seed_and_keeps_tokens(void **state)
{
    struct fixture *f = *state;
    char *token = NULL;
    long expires = 0;
    json_t *dump;

    assert_int_equal(
        sbx_model_token_issue(f->m, &token, &expires, "all", "s", 0, &f->err),
        0);
    create(f, "gone@x.example", 0);
    assert_int_equal(sbx_model_reset(f->m, &f->err), 0);
    dump = sbx_model_dump(f->m);
    assert_int_equal(json_array_size(json_object_get(dump, "users")), 1);
    assert_int_equal(sbx_model_token_check(f->m, token, NULL, 1, &f->err), 0);
    json_decref(dump);
    free(token);
}

static void a_dump_loads_back_as_the_same_org(void **state)
{
    struct fixture *f = *state;
    struct sbx_model_rules rules = {0, 0, 100, NULL, 0};
    struct sbx_model *copy = NULL;
    const char *id = create(f, "dump@x.example", 0);
    json_t *ids = json_pack("[s]", id);
    json_t *a, *b;

    assert_int_equal(sbx_model_grant_role(f->m, "agent", ids, NULL,
                                          SBX_GRANT_ADD, 0, &f->err),
                     0);
    a = sbx_model_dump(f->m);
    assert_int_equal(sbx_model_new(&copy, a, &rules, &f->err), 0);
    b = sbx_model_dump(copy);
    assert_true(json_equal(a, b));
    json_decref(a);
    json_decref(b);
    json_decref(ids);
    sbx_model_free(copy);
}

static void a_seed_naming_an_unknown_license_is_refused(void **state)
{
    struct sbx_model_rules rules = {0, 0, 100, NULL, 0};
    struct sbx_model *m = NULL;
    struct gcp_err err;
    json_t *seed = json_loads("{\"divisions\": [{\"name\": \"H\"}], "
                              "\"roles\": [{\"name\": \"R\", "
                              "\"baseLicense\": \"nope\"}]}",
                              0, NULL);

    gcp_err__clear(&err);
    assert_int_equal(sbx_model_new(&m, seed, &rules, &err), GCP_EINVALID);
    assert_non_null(strstr(gcp_err__message(&err), "'nope'"));
    json_decref(seed);
}

static void
ten_thousand_users_are_found_by_email_and_listed_in_pages(void **state)
{
    struct fixture *f = *state;
    struct sbx_user_filter filter = {.state = "active"};
    struct sbx_page page = {500, 20};
    json_t *list = NULL;
    long total = 0;
    char email[64];

    for (int i = 0; i < 10000; i++) {
        snprintf(email, sizeof(email), "user%05d@x.example", i);
        create(f, email, 0);
    }
    assert_int_equal(search_email(f, "user09999@x.example", 0), 1);
    assert_int_equal(
        sbx_model_user_list(f->m, &list, &total, &filter, &page, 0), 0);
    assert_int_equal(total, 10000);
    assert_int_equal(json_array_size(list), 500);
    json_decref(list);
}

struct racer {
    struct sbx_model *m;
    int rc;
};

static void *race_create(void *arg)
{
    struct racer *r = arg;
    struct gcp_err err;
    json_t *body =
        json_pack("{s:s, s:s}", "name", "R", "email", "race@x.example");
    json_t *user = NULL;

    r->rc = sbx_model_user_create(r->m, &user, body, 0, &err);
    json_decref(user);
    json_decref(body);
    return NULL;
}

static void concurrent_creates_of_one_email_make_one_user(void **state)
{
    struct fixture *f = *state;
    struct racer racers[8];
    pthread_t threads[8];
    int created = 0, conflicts = 0;

    for (int i = 0; i < 8; i++) {
        racers[i].m = f->m;
        assert_int_equal(
            pthread_create(&threads[i], NULL, race_create, &racers[i]), 0);
    }
    for (int i = 0; i < 8; i++) {
        pthread_join(threads[i], NULL);
        created += racers[i].rc == 0;
        conflicts += racers[i].rc == GCP_ECONFLICT;
    }
    assert_int_equal(created, 1);
    assert_int_equal(conflicts, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(a_created_user_is_active_and_ignores_unknown_fields),
        T(a_duplicate_email_conflicts_even_with_a_deleted_user),
        T(a_create_without_email_is_invalid),
        T(a_stale_version_conflicts),
        T(a_state_patch_restores_a_deleted_user_and_nothing_else),
        T(a_deleted_user_is_hidden_unless_asked_for),
        T(search_sees_a_write_only_after_the_search_lag),
        T(a_new_user_is_unknown_to_other_calls_during_the_create_lag),
        T(an_external_id_finds_its_user_and_belongs_to_one_user),
        T(granting_a_role_grants_its_licenses),
        T(bulkreplace_drops_the_grants_it_does_not_list),
        T(moving_users_changes_their_division_and_nothing_else),
        T(a_move_with_one_bad_id_moves_nobody),
        T(seats_refuse_assignments_past_the_limit),
        T(tokens_expire_and_carry_their_clients_permissions),
        T(reset_restores_the_seed_and_keeps_tokens),
        T(a_dump_loads_back_as_the_same_org),
        T(a_seed_naming_an_unknown_license_is_refused),
        T(concurrent_creates_of_one_email_make_one_user),
        T(ten_thousand_users_are_found_by_email_and_listed_in_pages),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

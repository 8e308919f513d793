/*
 * test_users.c: the building blocks of gcprov/users.h against the
 * in-process sandbox, through the public API only (plus sandbox.h to
 * start it). Each test starts its own sandbox on a small seed: two
 * divisions, two roles, two licenses ("comm" with one seat, already
 * taken), one user with a grant and a license of its own.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "gcprov.h"
#include "sandbox.h"

#define THREADS 6

static const char seed[] =
    "{\"divisions\": [{\"id\": \"d-home\", \"name\": \"Home\", \"home\": true},"
    "                {\"id\": \"d-emea\", \"name\": \"EMEA\"}],"
    " \"licenses\": [{\"id\": \"cx3\"}, {\"id\": \"comm\"}],"
    " \"roles\": [{\"id\": \"r-agent\", \"name\": \"Agent\"},"
    "            {\"id\": \"r-emp\", \"name\": \"Employee\"}],"
    " \"clients\": [{\"id\": \"ci\", \"secret\": \"ci-secret\"}],"
    " \"users\": [{\"id\": \"u-old\", \"name\": \"Old\","
    "             \"email\": \"old@example.com\","
    "             \"grants\": [{\"roleId\": \"r-emp\","
    "                          \"divisionId\": \"d-emea\"}],"
    "             \"licenses\": [\"comm\"]}]}";

struct fx {
    char seed_path[64];
    struct sbx *sbx;
    gcp_client *client;
};

static int fx_setup(void **state)
{
    gcp_client_options opts = GCP_CLIENT_OPTIONS_INIT;
    struct fx *fx = calloc(1, sizeof(*fx));
    struct sbx_config cfg;
    struct gcp_err err;
    char why[256];
    FILE *f;
    int fd;

    assert_non_null(fx);
    strcpy(fx->seed_path, "/tmp/gcprov-users-seed-XXXXXX");
    assert_true((fd = mkstemp(fx->seed_path)) >= 0);
    assert_non_null(f = fdopen(fd, "w"));
    assert_true(fputs(seed, f) >= 0);
    assert_int_equal(fclose(f), 0);
    sbx_config_init(&cfg);
    cfg.seed_file = fx->seed_path;
    cfg.faults.rate_limit = 0;
    cfg.faults.search_lag = 0;
    strcpy(cfg.faults.seats[0].license, "comm");
    cfg.faults.seats[0].seats = 1;
    cfg.faults.seat_count = 1;
    gcp_err__clear(&err);
    assert_int_equal(sbx_start(&fx->sbx, &cfg, &err), 0);
    opts.api_url = sbx_url(fx->sbx);
    opts.client_id = "ci";
    opts.secret = "ci-secret";
    opts.rate_per_minute = 600000;
    assert_int_equal(gcp_client_new(&fx->client, &opts, why, sizeof(why)), 0);
    *state = fx;
    return 0;
}

static int fx_teardown(void **state)
{
    struct fx *fx = *state;

    gcp_client_free(fx->client);
    assert_int_equal(sbx_stop(fx->sbx, NULL), 0);
    unlink(fx->seed_path);
    free(fx);
    return 0;
}

/* Reads `path` through the client; returns the reply (new reference). */
static json_t *fx_get(struct fx *fx, const char *path)
{
    gcp_request req = {"GET", path, path, NULL, 1};
    gcp_result r;
    json_t *json;

    memset(&r, 0, sizeof(r));
    assert_int_equal(gcp_client_call(fx->client, &r, &req), 0);
    json = r.json;
    r.json = NULL;
    gcp_result_clear(&r);
    return json;
}

/* Fills a person with a key, a name and an email from `n`. */
static void fx_person(gcp_person *p, char *email, size_t size, int n)
{
    static char keys[THREADS + 4][16];

    memset(p, 0, sizeof(*p));
    snprintf(keys[n], sizeof(keys[n]), "E%04d", n);
    snprintf(email, size, "person%d@example.com", n);
    p->key = keys[n];
    p->employee_id = keys[n];
    p->name = "Pat Doe";
    p->email = email;
    p->title = "Agent";
    p->phone_work = "+14155550100";
}

/* Creates person `n` and returns the user (caller frees). */
static gcp_user *fx_create(struct fx *fx, int n)
{
    gcp_person p;
    char email[64];
    gcp_user *user = NULL;

    fx_person(&p, email, sizeof(email), n);
    assert_int_equal(gcp_user_create(&user, fx->client, &p, NULL, "hr", NULL),
                     0);
    assert_non_null(user);
    return user;
}

static void a_created_user_is_found_by_key_and_by_email(void **state)
{
    struct fx *fx = *state;
    gcp_user *made = fx_create(fx, 1);
    gcp_user *by_key = NULL, *by_email = NULL;

    assert_string_equal(gcp_user_email(made), "person1@example.com");
    assert_string_equal(gcp_user_state(made), "active");
    assert_int_equal(
        gcp_user_find_by_key(&by_key, fx->client, "hr", "E0001", NULL), 0);
    assert_string_equal(gcp_user_id(by_key), gcp_user_id(made));
    assert_int_equal(gcp_user_find_by_email(&by_email, fx->client,
                                            "PERSON1@example.com", NULL),
                     0);
    assert_string_equal(gcp_user_id(by_email), gcp_user_id(made));
    assert_true(gcp_user_version(by_email) >= 1);
    gcp_user_free(by_email);
    gcp_user_free(by_key);
    gcp_user_free(made);
}

static void an_unknown_key_or_email_is_not_found_with_a_detail(void **state)
{
    struct fx *fx = *state;
    gcp_user *user = NULL;
    gcp_result detail;

    memset(&detail, 0, sizeof(detail));
    assert_int_equal(
        gcp_user_find_by_key(&user, fx->client, NULL, "nobody", &detail),
        GCP_ENOTFOUND);
    assert_null(user);
    assert_int_equal(detail.code, GCP_ENOTFOUND);
    assert_int_equal(detail.status, 404);
    assert_true(detail.message[0] != '\0');
    assert_int_equal(gcp_user_find_by_email(&user, fx->client,
                                            "nobody@example.com", &detail),
                     GCP_ENOTFOUND);
    assert_non_null(strstr(detail.message, "nobody@example.com"));
    assert_int_equal(gcp_user_find_by_key(&user, fx->client, NULL, "", &detail),
                     GCP_EINVALID);
    gcp_result_clear(&detail);
}

static void a_second_create_with_the_same_email_is_a_conflict(void **state)
{
    struct fx *fx = *state;
    gcp_user *made = fx_create(fx, 2);
    gcp_user *again = NULL;
    gcp_result detail;
    gcp_person p;
    char email[64];

    memset(&detail, 0, sizeof(detail));
    fx_person(&p, email, sizeof(email), 2);
    assert_int_equal(
        gcp_user_create(&again, fx->client, &p, NULL, "hr", &detail),
        GCP_ECONFLICT);
    assert_null(again);
    assert_int_equal(detail.status, 409);
    assert_true(detail.correlation_id[0] != '\0');
    gcp_result_clear(&detail);
    gcp_user_free(made);
}

/* True when the subject `json` holds the grant (role, division). */
static int has_grant(const json_t *subject, const char *role, const char *div)
{
    size_t i;
    json_t *g;

    json_array_foreach(json_object_get(subject, "grants"), i, g)
    {
        const char *r = json_string_value(
            json_object_get(json_object_get(g, "role"), "id"));
        const char *d = json_string_value(
            json_object_get(json_object_get(g, "division"), "id"));

        if (r != NULL && d != NULL && strcmp(r, role) == 0 &&
            strcmp(d, div) == 0)
            return 1;
    }
    return 0;
}

static void roles_are_added_and_grants_already_held_stay(void **state)
{
    struct fx *fx = *state;
    gcp_user_grant grants[] = {{"r-agent", NULL}, {"r-agent", "d-emea"}};
    gcp_user_grant old[] = {{"r-agent", NULL}};
    json_t *subject;

    assert_int_equal(gcp_user_add_roles(fx->client, "u-old", old, 1, NULL), 0);
    assert_int_equal(gcp_user_add_roles(fx->client, "u-old", grants, 2, NULL),
                     0);
    subject = fx_get(fx, "/api/v2/authorization/subjects/u-old");
    assert_true(has_grant(subject, "r-agent", "d-home"));
    assert_true(has_grant(subject, "r-agent", "d-emea"));
    assert_true(has_grant(subject, "r-emp", "d-emea"));
    json_decref(subject);
}

static void an_unknown_role_fails_and_names_the_call(void **state)
{
    struct fx *fx = *state;
    gcp_user_grant bad[] = {{"r-none", NULL}};
    gcp_result detail;

    memset(&detail, 0, sizeof(detail));
    assert_true(gcp_user_add_roles(fx->client, "u-old", bad, 1, &detail) < 0);
    assert_non_null(strstr(detail.route, "roles"));
    gcp_result_clear(&detail);
}

/* True when the user `id` holds `license`. */
static int has_license(struct fx *fx, const char *id, const char *license)
{
    char path[128];
    json_t *json;
    json_t *l;
    size_t i;
    int found = 0;

    snprintf(path, sizeof(path), "/api/v2/license/users/%s", id);
    json = fx_get(fx, path);
    json_array_foreach(json_object_get(json, "licenses"), i, l)
    {
        const char *lid = json_string_value(json_object_get(l, "id"));

        found |= lid != NULL && strcmp(lid, license) == 0;
    }
    json_decref(json);
    return found;
}

static void licenses_are_added_and_the_old_ones_stay(void **state)
{
    struct fx *fx = *state;
    const char *const cx3[] = {"cx3"};

    assert_int_equal(gcp_user_add_licenses(fx->client, "u-old", cx3, 1, NULL),
                     0);
    assert_true(has_license(fx, "u-old", "cx3"));
    assert_true(has_license(fx, "u-old", "comm"));
}

static void a_refused_license_is_an_error_naming_it(void **state)
{
    struct fx *fx = *state;
    gcp_user *made = fx_create(fx, 3);
    const char *const both[] = {"cx3", "comm"}; /* comm's one seat is taken */
    gcp_result detail;

    memset(&detail, 0, sizeof(detail));
    assert_int_equal(
        gcp_user_add_licenses(fx->client, gcp_user_id(made), both, 2, &detail),
        GCP_ERROR);
    assert_non_null(strstr(detail.message, "'comm'"));
    assert_true(has_license(fx, gcp_user_id(made), "cx3"));
    gcp_result_clear(&detail);
    gcp_user_free(made);
}

static void deactivate_makes_a_user_inactive_once(void **state)
{
    struct fx *fx = *state;
    gcp_user *made = fx_create(fx, 4);
    gcp_user *found = NULL;
    gcp_result detail;

    memset(&detail, 0, sizeof(detail));
    assert_int_equal(gcp_user_deactivate(fx->client, gcp_user_id(made), NULL),
                     0);
    assert_int_equal(gcp_user_deactivate(fx->client, gcp_user_id(made), NULL),
                     0);
    assert_int_equal(
        gcp_user_find_by_key(&found, fx->client, "hr", "E0004", NULL), 0);
    assert_string_equal(gcp_user_state(found), "inactive");
    assert_int_equal(gcp_user_deactivate(fx->client, "no-such-user", &detail),
                     GCP_ENOTFOUND);
    gcp_result_clear(&detail);
    gcp_user_free(found);
    gcp_user_free(made);
}

struct worker {
    struct fx *fx;
    int n;
    int code;
    char id[128];
};

/* One thread: create person n, grant a role and a license. */
static void *worker_run(void *payload)
{
    struct worker *w = payload;
    gcp_user_grant role = {"r-agent", NULL};
    const char *const cx3[] = {"cx3"};
    gcp_person p;
    char email[64];
    gcp_user *user = NULL;

    fx_person(&p, email, sizeof(email), w->n);
    w->code = gcp_user_create(&user, w->fx->client, &p, NULL, "hr", NULL);
    if (w->code == 0)
        w->code = gcp_user_add_roles(w->fx->client, gcp_user_id(user), &role, 1,
                                     NULL);
    if (w->code == 0)
        w->code = gcp_user_add_licenses(w->fx->client, gcp_user_id(user), cx3,
                                        1, NULL);
    if (w->code == 0)
        snprintf(w->id, sizeof(w->id), "%s", gcp_user_id(user));
    gcp_user_free(user);
    return NULL;
}

static void threads_on_one_client_share_one_token(void **state)
{
    struct fx *fx = *state;
    struct worker w[THREADS];
    pthread_t t[THREADS];
    gcp_client_stats stats;
    json_t *sbx_stats;

    for (int i = 0; i < THREADS; i++)
        w[i] = (struct worker){fx, i + 4, -1, ""}; /* after fx_create's */
    /* No connect first: the threads race for the first token. */
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, worker_run, &w[i]), 0);
    for (int i = 0; i < THREADS; i++)
        assert_int_equal(pthread_join(t[i], NULL), 0);
    for (int i = 0; i < THREADS; i++) {
        assert_int_equal(w[i].code, 0);
        assert_true(has_license(fx, w[i].id, "cx3"));
        for (int j = 0; j < i; j++)
            assert_string_not_equal(w[i].id, w[j].id);
    }
    gcp_client_stats_get(&stats, fx->client);
    assert_int_equal(stats.token_grants, 1);
    sbx_stats = fx_get(fx, "/_sandbox/stats");
    assert_int_equal(
        json_integer_value(json_object_get(sbx_stats, "tokensIssued")), 1);
    json_decref(sbx_stats);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, fx_setup, fx_teardown)
        T(a_created_user_is_found_by_key_and_by_email),
        T(an_unknown_key_or_email_is_not_found_with_a_detail),
        T(a_second_create_with_the_same_email_is_a_conflict),
        T(roles_are_added_and_grants_already_held_stay),
        T(an_unknown_role_fails_and_names_the_call),
        T(licenses_are_added_and_the_old_ones_stay),
        T(a_refused_license_is_an_error_naming_it),
        T(deactivate_makes_a_user_inactive_once),
        T(threads_on_one_client_share_one_token),
#undef T
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

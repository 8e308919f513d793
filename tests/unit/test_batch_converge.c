/*
 * test_batch_converge.c: plan, carry out the requests against a model of
 * the tenant, plan again: everyone acted on the first time is unchanged
 * the second time, for every case in tests/plan/. The model is the
 * snapshot document itself, changed the way the real API would change the
 * org for each request, after gcp_batch__resolve() has filled in the ids
 * of the users the model created.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "batch.h"
#include "test_plan_fixture.h"

/* The tenant model: the document, and the ids given to joiners. */
struct model {
    json_t *doc;
    json_t *created; /* key -> user object */
    int next_id;
};

static json_t *model_user(struct model *m, const char *id)
{
    size_t i;
    json_t *u;

    json_array_foreach(json_object_get(m->doc, "users"), i, u)
    {
        if (strcmp(json_string_value(json_object_get(u, "id")), id) == 0)
            return u;
    }
    return NULL;
}

static int model_lookup(const char **out_id, long *out_version, const char *key,
                        void *payload)
{
    struct model *m = payload;
    json_t *u = json_object_get(m->created, key);

    if (u == NULL)
        return GCP_ENOTFOUND;
    *out_id = json_string_value(json_object_get(u, "id"));
    *out_version = (long)json_integer_value(json_object_get(u, "version"));
    return 0;
}

/* Returns the user a "/api/v2/users/{id}..." path names. */
static json_t *model_path_user(struct model *m, const char *path)
{
    char id[128];

    assert_int_equal(sscanf(path, "/api/v2/users/%127[^/]", id), 1);
    return model_user(m, id);
}

static void model_create(struct model *m, const char *key, json_t *body)
{
    char id[32];
    json_t *u = json_deep_copy(body);

    snprintf(id, sizeof(id), "new-%d", ++m->next_id);
    json_object_set_new(u, "id", json_string(id));
    json_object_set_new(u, "version", json_integer(1));
    json_object_set_new(u, "externalIds", json_array());
    json_array_append(json_object_get(m->doc, "users"), u);
    json_object_set_new(m->created, key, u); /* steals the reference */
}

static void model_patch(json_t *u, json_t *body)
{
    json_t *manager = json_object_get(body, "manager");

    json_object_update(u, body);
    if (manager != NULL) {
        json_object_set(u, "managerId", manager);
        json_object_del(u, "manager");
    }
    json_object_set_new(
        u, "version",
        json_integer(json_integer_value(json_object_get(u, "version")) + 1));
}

static void model_grant(struct model *m, const char *role, json_t *ids,
                        const char *division)
{
    size_t i;
    json_t *id;

    json_array_foreach(ids, i, id)
    {
        json_t *u = model_user(m, json_string_value(id));
        json_t *grants = json_object_get(u, "grants");

        if (grants == NULL)
            json_object_set_new(u, "grants", grants = json_array());
        json_array_append_new(grants, json_pack("{s:s, s:s}", "roleId", role,
                                                "divisionId", division));
    }
}

/* Adds or removes license `lic` for each user id of `ids`. */
static void model_licenses(struct model *m, const char *lic, json_t *ids,
                           int add)
{
    size_t i, j;
    json_t *id, *held;

    json_array_foreach(ids, i, id)
    {
        json_t *u = model_user(m, json_string_value(id));
        json_t *list = json_object_get(u, "licenses");

        if (list == NULL)
            json_object_set_new(u, "licenses", list = json_array());
        json_array_foreach(list, j, held)
        {
            if (strcmp(json_string_value(held), lic) == 0)
                break;
        }
        if (add && j == json_array_size(list))
            json_array_append_new(list, json_string(lic));
        if (!add && j < json_array_size(list))
            json_array_remove(list, j);
    }
}

static void model_assign(struct model *m, json_t *body)
{
    size_t i;
    json_t *a;

    json_array_foreach(json_object_get(body, "assignments"), i, a)
    {
        const char *lic = json_string_value(json_object_get(a, "licenseId"));

        model_licenses(m, lic, json_object_get(a, "userIdsRemove"), 0);
        model_licenses(m, lic, json_object_get(a, "userIdsAdd"), 1);
    }
}

/* Carries out one resolved request the way the API would. */
static void model_send(struct model *m, const struct gcp_batch_request *r,
                       const char *path, json_t *body)
{
    const char *home =
        json_string_value(json_object_get(m->doc, "homeDivisionId"));
    char role[128];

    if (r->kind == GCP_BATCH_CREATE)
        model_create(m, r->user_key, body);
    else if (r->kind == GCP_BATCH_EXTID)
        json_array_append(
            json_object_get(model_path_user(m, path), "externalIds"), body);
    else if (r->kind == GCP_BATCH_GRANT &&
             sscanf(path, "/api/v2/authorization/roles/%127[^/?]", role) == 1)
        model_grant(
            m, role,
            json_is_array(body) ? body : json_object_get(body, "subjectIds"),
            json_is_array(body)
                ? home
                : json_string_value(
                      json_array_get(json_object_get(body, "divisionIds"), 0)));
    else if (r->kind == GCP_BATCH_LICENSE || r->kind == GCP_BATCH_RELEASE)
        model_assign(m, body);
    else
        model_patch(model_path_user(m, path), body);
}

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
    const char *src = getenv("GCPROV_SRC");
    char root[1024], dir[1280];
    struct dirent *ent;
    DIR *d;
    int cases = 0, fails = 0;

    snprintf(root, sizeof(root), "%s/tests/plan", src != NULL ? src : ".");
    assert_non_null(d = opendir(root));
    while ((ent = readdir(d)) != NULL) {
        if (ent->d_name[0] == '.')
            continue;
        snprintf(dir, sizeof(dir), "%s/%s", root, ent->d_name);
        fails += converge_case(dir);
        cases++;
    }
    closedir(d);
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

/*
 * test_tenant.c: the snapshot: loading, lookups, implied licenses and the
 * seats in use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "test_plan_fixture.h"

#define USERS                                                                  \
    "{'id': 'u2', 'email': 'Ann@Example.com', 'name': 'Ann', 'state': "        \
    "'deleted', 'version': 4},"                                                \
    "{'id': 'u1', 'email': 'ann@example.com', 'name': 'Ann B', 'version': 7,"  \
    " 'division': {'id': 'd-emea'}, 'manager': {'id': 'u3'},"                  \
    " 'addresses': [{'address': '+15550001', 'mediaType': 'PHONE',"            \
    "                'type': 'WORK', 'extension': '12'},"                      \
    "               {'address': '+15550002', 'mediaType': 'PHONE',"            \
    "                'type': 'MOBILE'}],"                                      \
    " 'externalIds': [{'authorityName': 'gcprov', 'externalKey': 'E1'}],"      \
    " 'grants': [{'role': {'id': 'r-sup'}, 'division': {'id': 'd-home'}}],"    \
    " 'licenses': ['cx3', 'comm']},"                                           \
    "{'id': 'u3', 'email': 'boss@example.com', 'state': 'inactive',"           \
    " 'grants': [{'roleId': 'r-agent', 'divisionId': 'd-home'}]}"

static gcp_snapshot *load(const char *text, int *out_error)
{
    json_t *doc = fx_parse(text);
    gcp_snapshot *snap = NULL;
    struct gcp_err err;

    assert_non_null(doc);
    gcp_err__clear(&err);
    *out_error = gcp_tenant__from_json(&snap, doc, &err);
    json_decref(doc);
    return snap;
}

static void names_are_found_ignoring_case(void **state)
{
    int error;
    gcp_snapshot *snap = load(FX_ORG(USERS), &error);

    assert_int_equal(error, 0);
    assert_string_equal(gcp_tenant__division_by_name(snap, "emea")->id,
                        "d-emea");
    assert_string_equal(gcp_tenant__role_by_name(snap, "AGENT")->id, "r-agent");
    assert_null(gcp_tenant__role_by_name(snap, "Admin"));
    assert_null(gcp_tenant__division_by_name(snap, "APAC"));
    assert_non_null(gcp_tenant__license(snap, "wem"));
    assert_null(gcp_tenant__license(snap, "WEM"));
    gcp_tenant__free(snap);
}

static void an_email_finds_the_live_user_before_a_deleted_one(void **state)
{
    int error;
    gcp_snapshot *snap = load(FX_ORG(USERS), &error);

    assert_string_equal(gcp_tenant__user_by_email(snap, "ANN@example.COM")->id,
                        "u1");
    assert_null(gcp_tenant__user_by_email(snap, "nobody@example.com"));
    gcp_tenant__free(snap);
}

static void an_external_id_finds_its_user(void **state)
{
    int error;
    gcp_snapshot *snap = load(FX_ORG(USERS), &error);

    assert_string_equal(gcp_tenant__user_by_extid(snap, "gcprov", "E1")->id,
                        "u1");
    assert_null(gcp_tenant__user_by_extid(snap, "gcprov", "e1"));
    assert_null(gcp_tenant__user_by_extid(snap, "other", "E1"));
    gcp_tenant__free(snap);
}

static void user_fields_are_read_from_the_api_shapes(void **state)
{
    int error;
    gcp_snapshot *snap = load(FX_ORG(USERS), &error);
    const struct gcp_tenant_user *u = gcp_tenant__user_by_id(snap, "u1");

    assert_non_null(u);
    assert_int_equal(u->version, 7);
    assert_string_equal(u->division_id, "d-emea");
    assert_string_equal(u->manager_id, "u3");
    assert_string_equal(u->phone_work, "+15550001");
    assert_string_equal(u->extension, "12");
    assert_int_equal(json_array_size(u->addresses), 2);
    assert_true(u->extids_known);
    assert_true(gcp_tenant__user_has_grant(u, "r-sup", "d-home"));
    assert_false(gcp_tenant__user_has_grant(u, "r-sup", "d-emea"));
    assert_int_equal(gcp_tenant__user_by_id(snap, "u3")->state,
                     GCP_TENANT_INACTIVE);
    assert_false(gcp_tenant__user_by_id(snap, "u3")->extids_known);
    gcp_tenant__free(snap);
}

static void licenses_carried_by_roles_are_marked_implied(void **state)
{
    int error;
    gcp_snapshot *snap = load(FX_ORG(USERS), &error);
    const struct gcp_tenant_user *u1 = gcp_tenant__user_by_id(snap, "u1");
    const struct gcp_tenant_user *u3 = gcp_tenant__user_by_id(snap, "u3");

    /* u1 listed cx3 and comm; Supervisor carries cx3 and wem. */
    assert_int_equal(u1->license_count, 3);
    for (size_t i = 0; i < u1->license_count; i++)
        assert_int_equal(u1->licenses[i].implied,
                         strcmp(u1->licenses[i].license_id, "comm") != 0);
    /* u3 listed none, but Agent carries cx3. */
    assert_true(gcp_tenant__user_has_license(u3, "cx3"));
    gcp_tenant__free(snap);
}

static void seats_count_every_user_but_the_deleted(void **state)
{
    int error;
    gcp_snapshot *snap = load(FX_ORG(USERS), &error);

    assert_int_equal(gcp_tenant__license(snap, "cx3")->in_use, 2);
    assert_int_equal(gcp_tenant__license(snap, "wem")->in_use, 1);
    assert_int_equal(gcp_tenant__license(snap, "comm")->in_use, 1);
    gcp_tenant__free(snap);
}

static void stated_seats_replace_the_count(void **state)
{
    const char *text =
        "{'homeDivisionId': 'd', 'divisions': [{'id': 'd', 'name': 'H'}],"
        " 'licenseDefinitions': ['cx3'], 'seatsInUse': {'cx3': 40},"
        " 'users': [{'id': 'u', 'email': 'a@b', 'licenses': ['cx3']}]}";
    int error;
    gcp_snapshot *snap = load(text, &error);

    assert_int_equal(error, 0);
    assert_int_equal(gcp_tenant__license(snap, "cx3")->in_use, 40);
    gcp_tenant__free(snap);
}

static void malformed_snapshots_are_refused_with_a_reason(void **state)
{
    static const char *const bad[] = {
        "[]",
        "{'divisions': []}",
        "{'homeDivisionId': 'd', 'users': [{'email': 'a@b'}]}",
        "{'homeDivisionId': 'd', 'users': [{'id': 'u', 'email': 3}]}",
        "{'homeDivisionId': 'd', 'users': [{'id': 'u', 'email': 'a@b',"
        " 'state': 'pending'}]}",
        "{'homeDivisionId': 'd', 'users': {}}",
        "{'homeDivisionId': 'd', 'users': [{'id': 'u', 'email': 'a@b',"
        " 'grants': [{'roleId': 'r'}]}]}",
        "{'homeDivisionId': 'd', 'seatsInUse': {'nope': 1}}",
        "{'homeDivisionId': 'd', 'roles': [{'id': 'r', 'name': 'R',"
        " 'addonLicenses': [1]}]}",
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        json_t *doc = fx_parse(bad[i]);
        gcp_snapshot *snap = (gcp_snapshot *)1;
        struct gcp_err err;

        gcp_err__clear(&err);
        assert_int_equal(gcp_tenant__from_json(&snap, doc, &err), GCP_EINVALID);
        assert_null(snap);
        assert_true(strlen(gcp_err__message(&err)) > 0);
        json_decref(doc);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(names_are_found_ignoring_case),
        cmocka_unit_test(an_email_finds_the_live_user_before_a_deleted_one),
        cmocka_unit_test(an_external_id_finds_its_user),
        cmocka_unit_test(user_fields_are_read_from_the_api_shapes),
        cmocka_unit_test(licenses_carried_by_roles_are_marked_implied),
        cmocka_unit_test(seats_count_every_user_but_the_deleted),
        cmocka_unit_test(stated_seats_replace_the_count),
        cmocka_unit_test(malformed_snapshots_are_refused_with_a_reason),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

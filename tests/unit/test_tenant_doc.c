/*
 * test_tenant_doc.c: the snapshot document assembled from API replies, as
 * the tenant reader receives them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>

#include <cmocka.h>

#include "tenant_doc.h"
#include "test_plan_fixture.h"

/* Feeds `text` (single quotes for double) to `fn` and checks the result. */
#define FEED(expect, call, text)                                               \
    do {                                                                       \
        json_t *reply_ = fx_parse(text);                                       \
        assert_non_null(reply_);                                               \
        assert_int_equal(call, expect);                                        \
        json_decref(reply_);                                                   \
    } while (0)

static struct gcp_tenant_doc *doc_with_setup(void)
{
    struct gcp_tenant_doc *d = NULL;

    assert_int_equal(gcp_tenant__doc_new(&d), 0);
    FEED(0, gcp_tenant__doc_home(d, reply_), "{'id': 'd1', 'name': 'Home'}");
    FEED(0, gcp_tenant__doc_list(d, "divisions", reply_),
         "{'entities': [{'id': 'd1', 'name': 'Home'}, {'id': 'd2',"
         " 'name': 'EMEA'}], 'pageSize': 25, 'total': 2}");
    FEED(0, gcp_tenant__doc_list(d, "roles", reply_),
         "{'entities': [{'id': 'r1', 'name': 'Agent', 'baseLicense': 'cx3',"
         " 'addonLicenses': [], 'userCount': 2}]}");
    FEED(0, gcp_tenant__doc_list(d, "licenseDefinitions", reply_),
         "[{'id': 'cx3', 'description': 'CX 3'}, {'id': 'comm'}]");
    return d;
}

static void replies_make_a_snapshot_the_planner_can_read(void **state)
{
    struct gcp_tenant_doc *d = doc_with_setup();
    const struct gcp_tenant_user *u;
    gcp_snapshot *snap = NULL;
    struct gcp_err err;

    FEED(0, gcp_tenant__doc_users(d, reply_),
         "{'entities': [{'id': 'u1', 'email': 'a@x', 'name': 'A', 'version':"
         " 3, 'state': 'active', 'division': {'id': 'd1', 'name': 'Home'}},"
         " {'id': 'u2', 'email': 'b@x', 'version': 1}], 'total': 2}");
    FEED(0, gcp_tenant__doc_license_page(d, reply_, 1),
         "{'entities': [{'id': 'u1', 'licenses': ['cx3', 'comm']},"
         " {'id': 'u9', 'licenses': ['cx3']}]}");
    FEED(0, gcp_tenant__doc_role_grants(d, "r1", reply_),
         "{'entities': [{'id': 'u1', 'type': 'PC_USER', 'divisions':"
         " [{'id': 'd1'}, {'id': 'd2'}]}, {'id': 'g1', 'type': 'PC_GROUP',"
         " 'divisions': [{'id': 'd1'}]}]}");
    FEED(0, gcp_tenant__doc_external_ids(d, "u1", reply_),
         "[{'authorityName': 'gcprov', 'externalKey': 'E1'}]");
    gcp_err__clear(&err);
    assert_int_equal(gcp_tenant__doc_snapshot(&snap, d, &err), 0);
    u = gcp_tenant__user_by_extid(snap, "gcprov", "E1");
    assert_non_null(u);
    assert_true(gcp_tenant__user_has_grant(u, "r1", "d2"));
    assert_true(gcp_tenant__user_has_license(u, "comm"));
    assert_int_equal(gcp_tenant__license(snap, "cx3")->in_use, 2);
    assert_false(gcp_tenant__user_by_id(snap, "u2")->extids_known);
    assert_string_equal(snap->home_division_id, "d1");
    gcp_tenant__free(snap);
    gcp_tenant__doc_free(d);
}

static void
a_newer_reply_refreshes_a_user_and_keeps_what_was_attached(void **state)
{
    struct gcp_tenant_doc *d = doc_with_setup();
    const json_t *users;

    FEED(0, gcp_tenant__doc_users(d, reply_),
         "{'id': 'u1', 'email': 'a@x', 'version': 1}");
    FEED(0, gcp_tenant__doc_subject(d, reply_),
         "{'id': 'u1', 'grants': [{'subjectId': 'u1', 'role': {'id': 'r1'},"
         " 'division': {'id': 'd1'}}]}");
    FEED(0, gcp_tenant__doc_users(d, reply_),
         "{'results': [{'id': 'u1', 'email': 'a@x', 'version': 2}],"
         " 'total': 1}");
    users = json_object_get(gcp_tenant__doc_json(d), "users");
    assert_int_equal(json_array_size(users), 1);
    assert_int_equal(json_integer_value(
                         json_object_get(json_array_get(users, 0), "version")),
                     2);
    assert_int_equal(
        json_array_size(json_object_get(json_array_get(users, 0), "grants")),
        1);
    gcp_tenant__doc_free(d);
}

static void replies_without_what_they_must_carry_are_refused(void **state)
{
    struct gcp_tenant_doc *d = doc_with_setup();

    FEED(GCP_EINVALID, gcp_tenant__doc_home(d, reply_), "{'name': 'x'}");
    FEED(GCP_EINVALID, gcp_tenant__doc_list(d, "users2", reply_), "[]");
    FEED(GCP_EINVALID, gcp_tenant__doc_users(d, reply_), "{'id': 'u'}");
    FEED(GCP_EINVALID, gcp_tenant__doc_license_page(d, reply_, 0),
         "{'entities': [{'id': 'u1', 'licenses': 'cx3'}]}");
    FEED(GCP_EINVALID, gcp_tenant__doc_role_grants(d, "r1", reply_),
         "{'entities': [{'id': 'u1'}]}");
    FEED(GCP_EINVALID, gcp_tenant__doc_subject(d, reply_),
         "{'id': 'u1', 'grants': [{'role': {'id': 'r1'}}]}");
    FEED(GCP_EINVALID, gcp_tenant__doc_external_ids(d, "u1", reply_), "{}");
    gcp_tenant__doc_free(d);
    gcp_tenant__doc_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(replies_make_a_snapshot_the_planner_can_read),
        cmocka_unit_test(
            a_newer_reply_refreshes_a_user_and_keeps_what_was_attached),
        cmocka_unit_test(replies_without_what_they_must_carry_are_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

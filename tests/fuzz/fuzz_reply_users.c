/*
 * fuzz_reply_users.c: the replies the tenant reader and the building
 * blocks read, on arbitrary JSON: user listings and search pages (User
 * objects, paging envelopes), one User, license pages, subjects and their
 * grants, role grant pages, external ids, divisions, roles, license
 * definitions, and a license assignment's per-change results. The first
 * byte picks which reader gets the document; whatever was accepted is
 * then turned into a snapshot, as a plan would.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"
#include "tenant_doc.h"
#include "users_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Feeds `json` to the reader `which` picks. */
static void feed(struct gcp_tenant_doc *doc, unsigned which, const json_t *json)
{
    switch (which % 10) {
    case 0:
        gcp_tenant__doc_users(doc, json);
        break;
    case 1:
        gcp_tenant__doc_license_page(doc, json, 1);
        break;
    case 2:
        gcp_tenant__doc_subject(doc, json);
        break;
    case 3:
        gcp_tenant__doc_role_grants(doc, "r-1", json);
        break;
    case 4:
        gcp_tenant__doc_external_ids(doc, "u-1", json);
        break;
    case 5:
        gcp_tenant__doc_home(doc, json);
        break;
    case 6:
        gcp_tenant__doc_list(doc, "divisions", json);
        break;
    case 7:
        gcp_tenant__doc_list(doc, "roles", json);
        break;
    case 8:
        gcp_tenant__doc_list(doc, "licenseDefinitions", json);
        break;
    default:
        (void)gcp_users__license_result(json, "u-1", "cx3");
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct gcp_tenant_doc *doc = NULL;
    gcp_snapshot *snap = NULL;
    struct gcp_err err;
    json_t *json;

    if (size < 1)
        return 0;
    json = json_loadb((const char *)data + 1, size - 1, JSON_DECODE_ANY, NULL);
    if (json == NULL || gcp_tenant__doc_new(&doc) < 0) {
        json_decref(json);
        return 0;
    }
    /* Two readers on the same document: the second meets the first's. */
    feed(doc, data[0], json);
    feed(doc, data[0] / 10, json);
    (void)gcp_tenant__doc_user(doc, "u-1");
    gcp_err__clear(&err);
    if (gcp_tenant__doc_snapshot(&snap, doc, &err) == 0)
        gcp_tenant__free(snap);
    gcp_tenant__doc_free(doc);
    json_decref(json);
    return 0;
}

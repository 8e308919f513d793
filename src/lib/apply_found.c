/*
 * apply_found.c: settles a create in the run that sent it. A create whose
 * reply was lost (GCP_EUNKNOWN) or that met general.conflict is never sent
 * again: the person is looked up by our external id, then by email in the
 * users listing (search lags writes, so it cannot confirm a user just
 * made). A user found who is active and carries no other key of ours is
 * the person's, and the run carries on with it as if the create had
 * answered.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "apply.h"

#define FOUND_PAGE 500 /* users per listing page [U] */

/* A user just created may be hidden for a moment: look again, 0.25..2 s. */
#define FOUND_TRIES    4
#define FOUND_FIRST_MS 250

static void found_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/* GET users/externalid/{authority}/{key}: *out the user, or NULL. */
static int found_by_key(json_t **out, struct gcp_apply *a, const char *key)
{
    char *au = curl_easy_escape(NULL, a->plan->authority, 0);
    char *k = curl_easy_escape(NULL, key, 0);
    char path[1024];
    int error = au != NULL && k != NULL ? 0 : GCP_ENOMEM;

    if (error == 0) {
        snprintf(path, sizeof(path), "/api/v2/users/externalid/%s/%s", au, k);
        error = gcp_tenant__client_call(
            out, "GET",
            "/api/v2/users/externalid/{authorityName}/{externalKey}", path,
            NULL, a->client);
    }
    curl_free(au);
    curl_free(k);
    return error == GCP_ENOTFOUND ? 0 : error;
}

/* The user of listing page `page` whose email is `email`, or NULL. */
static json_t *found_in_page(const json_t *page, const char *email)
{
    size_t i;
    json_t *u;

    json_array_foreach(json_object_get(page, "entities"), i, u)
    {
        const char *e = json_string_value(json_object_get(u, "email"));

        if (e != NULL && strcasecmp(e, email) == 0)
            return json_incref(u);
    }
    return NULL;
}

/* Pages GET /api/v2/users in every state until `email` shows up. */
static int found_by_email(json_t **out, struct gcp_apply *a, const char *email)
{
    size_t pages = 1;
    int error = 0;

    for (size_t n = 1; n <= pages && *out == NULL && error == 0; n++) {
        char path[128];
        json_t *page = NULL;

        snprintf(path, sizeof(path),
                 "/api/v2/users?pageSize=%d&pageNumber=%zu&state=any",
                 FOUND_PAGE, n);
        error = gcp_tenant__client_call(&page, "GET", "/api/v2/users", path,
                                        NULL, a->client);
        pages = (size_t)json_integer_value(json_object_get(page, "pageCount"));
        *out = found_in_page(page, email);
        json_decref(page);
    }
    return error;
}

/* True when user `id` carries an external id of ours with another key. */
static int found_taken(struct gcp_apply *a, const char *id, const char *key)
{
    char path[256];
    json_t *ids = NULL;
    size_t i;
    json_t *x;
    int taken = 0;

    snprintf(path, sizeof(path), "/api/v2/users/%s/externalid", id);
    if (gcp_tenant__client_call(&ids, "GET",
                                "/api/v2/users/{userId}/externalid", path, NULL,
                                a->client) < 0)
        return 1; /* unknown: do not claim it */
    json_array_foreach(ids, i, x)
    {
        const char *au = json_string_value(json_object_get(x, "authorityName"));
        const char *k = json_string_value(json_object_get(x, "externalKey"));

        if (au != NULL && k != NULL && strcmp(au, a->plan->authority) == 0 &&
            strcmp(k, key) != 0)
            taken = 1;
    }
    json_decref(ids);
    return taken;
}

/* Looks the person up once: *out their active user, or NULL. */
static int found_once(json_t **out, struct gcp_apply *a, const gcp_person *p)
{
    const char *state;
    int error = 0;

    *out = NULL;
    if (p->employee_id != NULL && (error = found_by_key(out, a, p->key)) < 0)
        return error;
    if (*out == NULL && (error = found_by_email(out, a, p->email)) < 0)
        return error;
    if (*out == NULL)
        return 0;
    state = json_string_value(json_object_get(*out, "state"));
    if (state == NULL || strcmp(state, "active") != 0 ||
        found_taken(a, json_string_value(json_object_get(*out, "id")),
                    p->key)) {
        json_decref(*out);
        *out = NULL;
    }
    return 0;
}

/* Returns non-zero when a create's reply calls for a look-up. */
static int found_needed(const struct gcp_batch_request *req,
                        const struct gcp_batch_reply *reply)
{
    if (req->kind != GCP_BATCH_CREATE || req->change_count != 1)
        return 0;
    return reply->code == GCP_EUNKNOWN ||
           (reply->status == 409 && reply->error_code != NULL &&
            strcmp(reply->error_code, "general.conflict") == 0);
}

int gcp_apply__found(struct gcp_batch_reply *out,
                     const struct gcp_batch_request *req, struct gcp_apply *a)
{
    const gcp_person *p = a->plan->entries[req->changes[0].entry].person;
    json_t *user = NULL;
    long wait = FOUND_FIRST_MS;
    int error = 0;

    if (!found_needed(req, out))
        return out->code;
    for (int i = 0; i < FOUND_TRIES && user == NULL && error == 0; i++) {
        if (i > 0) {
            found_sleep_ms(wait);
            wait *= 2;
        }
        error = found_once(&user, a, p);
    }
    if (user == NULL)
        return out->code;   /* the step stays unknown or failed */
    json_decref(out->json); /* the error strings pointed into it */
    out->json = user;       /* owned: the runner learns the id from it */
    out->code = 0;
    out->error_code = NULL;
    out->message = "reconciled: the person's user was found after the create";
    out->reconciled = 1;
    return 0;
}

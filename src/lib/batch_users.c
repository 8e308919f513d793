/*
 * batch_users.c: the requests made one per person: state changes, creates,
 * external ids and field patches.
 *
 * The bodies of creates, state changes and external ids are built in
 * users_body.c, shared with the building blocks. Manager and other fields
 * go in one PATCH with the user's version, after every create.
 */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "users_body.h"

#define USERS_ROUTE "/api/v2/users"
#define USER_ROUTE  "/api/v2/users/{userId}"
#define EXTID_ROUTE "/api/v2/users/{userId}/externalid"

/* Returns the path for one user: the id, or "{userId}" for a joiner. */
static char *users_path(const char *route, const struct gcp_plan_entry *e)
{
    const char *at = strstr(route, "{userId}");
    const char *id = e->user != NULL ? e->user->id : "{userId}";
    size_t head = (size_t)(at - route);
    char *path = malloc(strlen(route) + strlen(id) + 1);

    if (path == NULL)
        return NULL;
    memcpy(path, route, head);
    strcpy(path + head, id);
    strcat(path, at + strlen("{userId}"));
    return path;
}

/* What the journal records as the step's target: see batch.h. */
static const char *users_target(const struct gcp_plan_entry *e,
                                enum gcp_batch_kind kind, char *buf,
                                size_t size)
{
    switch (kind) {
    case GCP_BATCH_CREATE:
        return e->person->email;
    case GCP_BATCH_EXTID:
        return e->person->key;
    case GCP_BATCH_PATCH:
        return gcp_plan__field_list(buf, size, e->fields);
    default:
        return NULL;
    }
}

/* Adds one request for entry `index`, taking `body` (stolen). */
static int users_add(struct gcp_batch *batch, const gcp_plan *plan,
                     size_t index, enum gcp_batch_kind kind, const char *method,
                     const char *route, json_t *body, int idempotent)
{
    const struct gcp_plan_entry *e = &plan->entries[index];
    char *path = strchr(route, '{') ? users_path(route, e) : strdup(route);
    char fields[96];
    int error;

    if (path == NULL || body == NULL) {
        free(path);
        json_decref(body);
        return GCP_ENOMEM;
    }
    error = gcp_batch__add(batch, kind, method, route, path, body, idempotent);
    free(path);
    if (error < 0)
        return error;
    batch->requests[batch->count - 1].user_key = e->person->key;
    return gcp_batch__change(
        batch, index, users_target(e, kind, fields, sizeof(fields)), NULL);
}

/* The user's contacts with the PHONE/WORK one replaced or appended. */
static json_t *users_addresses(const struct gcp_plan_entry *e)
{
    json_t *list = e->user->addresses != NULL
                       ? json_deep_copy(e->user->addresses)
                       : json_array();
    json_t *phone = gcp_users__phone(e->person);
    size_t i;
    json_t *c;

    if (list == NULL || phone == NULL) {
        json_decref(list);
        json_decref(phone);
        return NULL;
    }
    json_array_foreach(list, i, c)
    {
        const char *m = json_string_value(json_object_get(c, "mediaType"));
        const char *t = json_string_value(json_object_get(c, "type"));

        if (m != NULL && t != NULL && strcmp(m, "PHONE") == 0 &&
            strcmp(t, "WORK") == 0) {
            json_object_update(c, phone); /* borrows phone's members */
            json_decref(phone);
            return list;
        }
    }
    json_array_append_new(list, phone);
    return list;
}

static json_t *users_manager(const struct gcp_plan_entry *e)
{
    if (e->manager != NULL)
        return gcp_batch__user_ref(e->manager);
    return json_string(e->manager_id);
}

/* The PATCH body: the version and the fields that change, nothing else. */
static json_t *users_patch_body(const struct gcp_plan_entry *e)
{
    const gcp_person *p = e->person;
    long version = e->user != NULL ? e->user->version : 1;
    json_t *body = json_pack("{s:I}", "version", (json_int_t)version);
    int fails = body == NULL;

    if (fails)
        return NULL;
    if (e->fields & GCP_PLAN_F_NAME)
        fails |= json_object_set_new(body, "name", json_string(p->name));
    if (e->fields & GCP_PLAN_F_EMAIL)
        fails |= json_object_set_new(body, "email", json_string(p->email));
    if (e->fields & GCP_PLAN_F_DEPARTMENT)
        fails |=
            json_object_set_new(body, "department", json_string(p->department));
    if (e->fields & GCP_PLAN_F_TITLE)
        fails |= json_object_set_new(body, "title", json_string(p->title));
    if (e->fields & GCP_PLAN_F_PHONE)
        fails |= json_object_set_new(body, "addresses", users_addresses(e));
    if (e->fields & GCP_PLAN_F_MANAGER)
        fails |= json_object_set_new(body, "manager", users_manager(e));
    if (fails) {
        json_decref(body);
        return NULL;
    }
    return body;
}

static int users_entry(struct gcp_batch *batch, const gcp_plan *plan, size_t i,
                       enum gcp_batch_kind kind)
{
    const struct gcp_plan_entry *e = &plan->entries[i];

    switch (kind) {
    case GCP_BATCH_DEACTIVATE:
        if (!e->deactivate)
            return 0;
        return users_add(batch, plan, i, kind, "PATCH", USER_ROUTE,
                         gcp_users__state_body("inactive", e->user->version),
                         1);
    case GCP_BATCH_RESTORE:
        if (!e->restore)
            return 0;
        return users_add(batch, plan, i, kind, "PATCH", USER_ROUTE,
                         gcp_users__state_body("active", e->user->version), 1);
    case GCP_BATCH_CREATE:
        if (!e->create)
            return 0;
        return users_add(batch, plan, i, kind, "POST", USERS_ROUTE,
                         gcp_users__create_body(e->person, e->division_id), 0);
    case GCP_BATCH_EXTID:
        if (!e->adopt && !(e->create && e->person->employee_id != NULL))
            return 0;
        return users_add(batch, plan, i, kind, "POST", EXTID_ROUTE,
                         gcp_users__extid_body(plan->authority, e->person->key),
                         1);
    case GCP_BATCH_PATCH:
        if (e->fields == 0)
            return 0;
        return users_add(batch, plan, i, kind, "PATCH", USER_ROUTE,
                         users_patch_body(e), 1);
    default:
        return 0;
    }
}

int gcp_batch__users(struct gcp_batch *batch, const gcp_plan *plan,
                     enum gcp_batch_kind kind)
{
    int error = 0;

    for (size_t i = 0; i < plan->count && error == 0; i++)
        if (gcp_plan__acts(&plan->entries[i]))
            error = users_entry(batch, plan, i, kind);
    return error;
}

/*
 * model_divisions.c: moving users between divisions, the USER case of
 * POST /api/v2/authorization/divisions/{divisionId}/objects/{objectType}.
 *
 * A user belongs to exactly one division (`divisionId` in its stored
 * form, `division` in the User). A move is checked whole before anything
 * changes, as grant calls are: one bad id and no user moves. A user that
 * really changes division gets a new version [U] and shows in search
 * after the lag; moving a user to the division it is in changes nothing.
 */
#include <string.h>

#include "model_internal.h"

/* Checks that `ids` is a list of at most SBX_DIVISION_OBJECTS_MAX users. */
static int check_ids(struct sbx_model *m, const json_t *ids, double now,
                     struct gcp_err *err)
{
    struct sbx_user *u;
    size_t i;
    json_t *id;

    if (!json_is_array(ids))
        return gcp_err__set(err, GCP_EINVALID,
                            "the body must be an array of object ids");
    if (json_array_size(ids) > SBX_DIVISION_OBJECTS_MAX)
        return gcp_err__set(err, GCP_EINVALID,
                            "at most %d object ids may be moved at once",
                            SBX_DIVISION_OBJECTS_MAX);
    json_array_foreach(ids, i, id)
    {
        if (!json_is_string(id))
            return gcp_err__set(err, GCP_EINVALID,
                                "object id %zu is not a string", i);
        /* The id is in the body, not the path: a bad one is a bad body. */
        if (sbx_model__live_user(m, &u, json_string_value(id), 0, now, err) < 0)
            return gcp_err__set(err, GCP_EINVALID, "user '%s' not found",
                                json_string_value(id));
    }
    return 0;
}

static void move_one(struct sbx_model *m, struct sbx_user *u,
                     const char *division_id, double now)
{
    const char *have = sbx_model__str(u->doc, "divisionId");
    json_int_t version;

    if (have != NULL && strcmp(have, division_id) == 0)
        return;
    version = json_integer_value(json_object_get(u->doc, "version"));
    json_object_set_new(u->doc, "divisionId", json_string(division_id));
    json_object_set_new(u->doc, "version", json_integer(version + 1));
    sbx_model__index_touch(m, u, now);
}

int sbx_model_division_move_users(struct sbx_model *m, const char *division_id,
                                  const json_t *user_ids, double now,
                                  struct gcp_err *err)
{
    size_t i;
    json_t *id;
    int rc;

    pthread_mutex_lock(&m->lock);
    if (sbx_model__division(m, division_id) == NULL) {
        rc = gcp_err__set(err, GCP_ENOTFOUND, "division '%s' not found",
                          division_id ? division_id : "");
        goto cleanup;
    }
    if ((rc = check_ids(m, user_ids, now, err)) < 0)
        goto cleanup;
    json_array_foreach(user_ids, i, id)
    {
        move_one(m, sbx_model__user(m, json_string_value(id)), division_id,
                 now);
    }

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

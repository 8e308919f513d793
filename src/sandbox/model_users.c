/*
 * model_users.c: users in the org model: the CreateUser and UpdateUser
 * rules, soft deletion, listing, the lagging search index and external
 * ids. Email is unique across active, inactive and deleted users, compared
 * without regard to case.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "model_internal.h"

#define MAX_EXTERNAL_IDS 100

const char *sbx_model__state(const struct sbx_user *u)
{
    return sbx_model__str(u->doc, "state");
}

void sbx_model__user_free(struct sbx_user *u)
{
    if (u == NULL)
        return;
    json_decref(u->doc);
    json_decref(u->external_ids);
    json_decref(u->grants);
    json_decref(u->licenses);
    json_decref(u->indexed);
    json_decref(u->pending);
    free(u);
}

static struct sbx_user *user_new(json_t *doc)
{
    struct sbx_user *u = calloc(1, sizeof(*u));

    if (u == NULL) {
        json_decref(doc);
        return NULL;
    }
    u->doc = doc;
    u->external_ids = json_array();
    u->grants = json_array();
    u->licenses = json_object();
    if (!u->doc || !u->external_ids || !u->grants || !u->licenses) {
        sbx_model__user_free(u);
        return NULL;
    }
    return u;
}

static char *lower_dup(const char *s)
{
    char *out = strdup(s);

    for (char *p = out; p != NULL && *p != '\0'; p++)
        *p = (char)tolower((unsigned char)*p);
    return out;
}

char *sbx_model__extid_key(const char *authority, const char *key)
{
    size_t len = strlen(authority) + strlen(key) + 2;
    char *out = malloc(len);

    if (out != NULL)
        snprintf(out, len, "%s\x1f%s", authority, key);
    return out;
}

static int index_set(json_t *index, const char *key, size_t at)
{
    return json_object_set_new(index, key, json_integer((json_int_t)at));
}

static struct sbx_user *index_get(struct sbx_org *org, json_t *index,
                                  const char *key)
{
    json_t *at = json_object_get(index, key);

    return at ? org->users[json_integer_value(at)] : NULL;
}

static struct sbx_user *user_by_email(struct sbx_model *m, const char *email)
{
    char *key = lower_dup(email);
    struct sbx_user *u = key ? index_get(&m->org, m->org.by_email, key) : NULL;

    free(key);
    return u;
}

int sbx_model__user_add(struct sbx_org *org, struct sbx_user *u,
                        struct gcp_err *err)
{
    size_t at = org->user_count;
    char *email = lower_dup(sbx_model__str(u->doc, "email"));
    int rc = 0;

    if (org->user_count == org->user_cap) {
        size_t cap = org->user_cap ? org->user_cap * 2 : 64;
        struct sbx_user **grown = realloc(org->users, cap * sizeof(*grown));
        if (grown == NULL) {
            rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
            goto cleanup;
        }
        org->users = grown;
        org->user_cap = cap;
    }
    if (email == NULL ||
        index_set(org->by_id, sbx_model__str(u->doc, "id"), at) < 0 ||
        index_set(org->by_email, email, at) < 0) {
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
        goto cleanup;
    }
    org->users[org->user_count++] = u;

cleanup:
    free(email);
    return rc;
}

struct sbx_user *sbx_model__user(struct sbx_model *m, const char *id)
{
    return id ? index_get(&m->org, m->org.by_id, id) : NULL;
}

int sbx_model__live_user(struct sbx_model *m, struct sbx_user **out,
                         const char *id, int allow_deleted, double now,
                         struct gcp_err *err)
{
    struct sbx_user *u = sbx_model__user(m, id);

    if (u == NULL || now < u->created_at + m->rules.create_lag ||
        (!allow_deleted && strcmp(sbx_model__state(u), "deleted") == 0))
        return gcp_err__set(err, GCP_ENOTFOUND, "user '%s' not found",
                            id ? id : "");
    *out = u;
    return 0;
}

/* --- Wire form ------------------------------------------------------------ */

static void set_copy(json_t *dst, const json_t *src, const char *key)
{
    json_t *v = json_object_get(src, key);

    if (v != NULL)
        json_object_set_new(dst, key, json_deep_copy(v));
}

static json_t *authorization_json(struct sbx_model *m, const struct sbx_user *u)
{
    json_t *roles = json_array();
    json_t *seen = json_object();
    json_t *perms = json_array();
    size_t i, j;
    json_t *g, *p;

    json_array_foreach(u->grants, i, g)
    {
        const char *rid = sbx_model__str(g, "roleId");
        json_t *role = sbx_model__role(m, rid);
        if (role == NULL || json_object_get(seen, rid) != NULL)
            continue;
        json_object_set_new(seen, rid, json_true());
        json_array_append_new(roles, json_pack("{s:s, s:s}", "id", rid, "name",
                                               sbx_model__str(role, "name")));
        json_array_foreach(json_object_get(role, "permissions"), j, p)
            json_array_append(perms, p);
    }
    json_decref(seen);
    return json_pack("{s:o, s:[], s:o}", "roles", roles, "unusedRoles",
                     "permissions", perms);
}

json_t *sbx_model__user_json(struct sbx_model *m, const struct sbx_user *u,
                             const struct sbx_user_filter *expand)
{
    const char *id = sbx_model__str(u->doc, "id");
    const char *email = sbx_model__str(u->doc, "email");
    json_t *division =
        sbx_model__division(m, sbx_model__str(u->doc, "divisionId"));
    char uri[96];
    json_t *out;

    snprintf(uri, sizeof(uri), "/api/v2/users/%s", id);
    out = json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:b, s:s, s:[{s:s, s:s, "
                    "s:s}]}",
                    "id", id, "name", sbx_model__str(u->doc, "name"), "email",
                    email, "username", email, "state", sbx_model__state(u),
                    "version",
                    json_integer_value(json_object_get(u->doc, "version")),
                    "acdAutoAnswer", 0, "selfUri", uri, "primaryContactInfo",
                    "address", email, "mediaType", "EMAIL", "type", "PRIMARY");
    if (out == NULL)
        return NULL;
    if (division != NULL) {
        json_t *d = sbx_model__division_json(division);
        json_object_del(d, "description");
        json_object_del(d, "homeDivision");
        json_object_set_new(out, "division", d);
    }
    set_copy(out, u->doc, "department");
    set_copy(out, u->doc, "title");
    set_copy(out, u->doc, "preferredName");
    json_object_set_new(
        out, "addresses",
        json_object_get(u->doc, "addresses")
            ? json_deep_copy(json_object_get(u->doc, "addresses"))
            : json_array());
    if (sbx_model__str(u->doc, "managerId") != NULL)
        json_object_set_new(
            out, "manager",
            json_pack("{s:s}", "id", sbx_model__str(u->doc, "managerId")));
    if (expand != NULL && expand->expand_employer)
        set_copy(out, u->doc, "employerInfo");
    if (expand != NULL && expand->expand_authz)
        json_object_set_new(out, "authorization", authorization_json(m, u));
    return out;
}

void sbx_model__index_touch(struct sbx_model *m, struct sbx_user *u, double now)
{
    json_t *doc = sbx_model__user_json(m, u, NULL);

    if (u->pending != NULL && now >= u->pending_at) {
        json_decref(u->indexed);
        u->indexed = u->pending;
        u->pending = NULL;
    }
    if (m->rules.search_lag <= 0) {
        json_decref(u->indexed);
        json_decref(u->pending);
        u->indexed = doc;
        u->pending = NULL;
        return;
    }
    json_decref(u->pending);
    u->pending = doc;
    u->pending_at = now + m->rules.search_lag;
}

/* What search sees of `u` at `now`; borrowed, NULL when not indexed. */
static const json_t *index_view(struct sbx_user *u, double now)
{
    if (u->pending != NULL && now >= u->pending_at) {
        json_decref(u->indexed);
        u->indexed = u->pending;
        u->pending = NULL;
    }
    return u->indexed;
}

/* --- Validation ------------------------------------------------------------
 */

static int check_string(const json_t *body, const char *key, int required,
                        struct gcp_err *err)
{
    json_t *v = json_object_get(body, key);

    if (v == NULL || json_is_null(v)) {
        if (required)
            return gcp_err__set(err, GCP_EINVALID, "'%s' is required", key);
        return 0;
    }
    if (!json_is_string(v) || json_string_length(v) == 0 ||
        json_string_length(v) > 255)
        return gcp_err__set(err, GCP_EINVALID,
                            "'%s' must be a non-empty string", key);
    return 0;
}

static int check_email(const json_t *body, int required, struct gcp_err *err)
{
    const char *email = sbx_model__str(body, "email");
    const char *at;
    int rc = check_string(body, "email", required, err);

    if (rc < 0 || email == NULL)
        return rc;
    at = strchr(email, '@');
    if (at == NULL || at == email || strchr(at + 1, '.') == NULL ||
        strpbrk(email, " \t\r\n") != NULL)
        return gcp_err__set(err, GCP_EINVALID, "'email' is not valid");
    return 0;
}

static int check_state(const json_t *body, int allow_deleted,
                       struct gcp_err *err)
{
    const char *state = sbx_model__str(body, "state");

    if (json_object_get(body, "state") == NULL)
        return 0;
    if (state != NULL &&
        (strcmp(state, "active") == 0 || strcmp(state, "inactive") == 0 ||
         (allow_deleted && strcmp(state, "deleted") == 0)))
        return 0;
    return gcp_err__set(err, GCP_EINVALID, "'state' is not a valid state");
}

static int check_addresses(const json_t *body, struct gcp_err *err)
{
    static const char *const media[] = {"PHONE", "EMAIL", "SMS"};
    json_t *list = json_object_get(body, "addresses");
    size_t i;
    json_t *a;

    if (list == NULL)
        return 0;
    if (!json_is_array(list))
        return gcp_err__set(err, GCP_EINVALID, "'addresses' is not an array");
    json_array_foreach(list, i, a)
    {
        const char *mt = sbx_model__str(a, "mediaType");
        int known = mt == NULL;

        if (!json_is_object(a))
            return gcp_err__set(err, GCP_EINVALID,
                                "'addresses' entry %zu is not an object", i);
        for (size_t k = 0; !known && k < 3; k++)
            known = strcmp(mt, media[k]) == 0;
        if (!known)
            return gcp_err__set(err, GCP_EINVALID,
                                "'addresses' entry %zu has an unknown "
                                "'mediaType'",
                                i);
    }
    return 0;
}

static int check_create(struct sbx_model *m, const json_t *body,
                        struct gcp_err *err)
{
    const char *division = sbx_model__str(body, "divisionId");
    int rc;

    if (!json_is_object(body))
        return gcp_err__set(err, GCP_EINVALID, "the body is not an object");
    if ((rc = check_string(body, "name", 1, err)) < 0 ||
        (rc = check_email(body, 1, err)) < 0 ||
        (rc = check_string(body, "department", 0, err)) < 0 ||
        (rc = check_string(body, "title", 0, err)) < 0 ||
        (rc = check_string(body, "divisionId", 0, err)) < 0 ||
        (rc = check_state(body, 0, err)) < 0 ||
        (rc = check_addresses(body, err)) < 0)
        return rc;
    if (division != NULL && sbx_model__division(m, division) == NULL)
        return gcp_err__set(err, GCP_EINVALID, "division '%s' does not exist",
                            division);
    if (user_by_email(m, sbx_model__str(body, "email")) != NULL)
        return gcp_err__set(err, GCP_ECONFLICT,
                            "a user with email '%s' already exists",
                            sbx_model__str(body, "email"));
    return 0;
}

/* --- Create -----------------------------------------------------------------
 */

/*
 * The stored form of a new user: only the CreateUser fields are taken;
 * unknown fields (firstName...) are ignored, as the real API does.
 */
static json_t *doc_from_create(struct sbx_model *m, const json_t *body,
                               const char *id)
{
    const char *division = sbx_model__str(body, "divisionId");
    const char *state = sbx_model__str(body, "state");
    json_t *doc;

    if (division == NULL)
        division = sbx_model__str(sbx_model__home_division(m), "id");
    doc = json_pack("{s:s, s:s, s:s, s:s, s:i, s:s}", "id", id, "name",
                    sbx_model__str(body, "name"), "email",
                    sbx_model__str(body, "email"), "state",
                    state ? state : "active", "version", 1, "divisionId",
                    division);
    if (doc == NULL)
        return NULL;
    set_copy(doc, body, "department");
    set_copy(doc, body, "title");
    set_copy(doc, body, "addresses");
    return doc;
}

int sbx_model_user_create(struct sbx_model *m, json_t **out, const json_t *body,
                          double now, struct gcp_err *err)
{
    struct sbx_user *u = NULL;
    char id[37];
    int rc;

    pthread_mutex_lock(&m->lock);
    if ((rc = check_create(m, body, err)) < 0)
        goto cleanup;
    sbx_model__uuid(m, id);
    u = user_new(doc_from_create(m, body, id));
    if (u == NULL) {
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
        goto cleanup;
    }
    u->created_at = now;
    if ((rc = sbx_model__user_add(&m->org, u, err)) < 0) {
        sbx_model__user_free(u);
        goto cleanup;
    }
    sbx_model__index_touch(m, u, now);
    *out = sbx_model__user_json(m, u, NULL);
    if (*out == NULL)
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

/* --- Read and list ----------------------------------------------------------
 */

int sbx_model_user_get(struct sbx_model *m, json_t **out, const char *id,
                       const struct sbx_user_filter *expand, int allow_deleted,
                       double now, struct gcp_err *err)
{
    struct sbx_user *u;
    int rc;

    pthread_mutex_lock(&m->lock);
    rc = sbx_model__live_user(m, &u, id, allow_deleted, now, err);
    if (rc == 0 && (*out = sbx_model__user_json(m, u, expand)) == NULL)
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
    pthread_mutex_unlock(&m->lock);
    return rc;
}

static int state_matches(const struct sbx_user *u, const char *state)
{
    if (state == NULL)
        state = "active";
    return strcmp(state, "any") == 0 || strcmp(sbx_model__state(u), state) == 0;
}

/* The users a listing walks: the named ones, or all in creation order. */
static struct sbx_user *list_at(struct sbx_model *m,
                                const struct sbx_user_filter *f, size_t i)
{
    if (f->ids != NULL)
        return sbx_model__user(m, f->ids[i]);
    return m->org.users[i];
}

int sbx_model_user_list(struct sbx_model *m, json_t **out, long *out_total,
                        const struct sbx_user_filter *filter,
                        const struct sbx_page *page, double now)
{
    long first = (page->number - 1) * page->size;
    long total = 0;
    json_t *list = json_array();
    size_t n;

    pthread_mutex_lock(&m->lock);
    n = filter->ids ? filter->id_count : m->org.user_count;
    for (size_t i = 0; list != NULL && i < n; i++) {
        struct sbx_user *u = list_at(m, filter, i);
        if (u == NULL || now < u->created_at + m->rules.create_lag ||
            !state_matches(u, filter->state))
            continue;
        if (total >= first && total < first + page->size)
            json_array_append_new(list, sbx_model__user_json(m, u, filter));
        total++;
    }
    pthread_mutex_unlock(&m->lock);
    *out = list;
    *out_total = total;
    return list ? 0 : GCP_ENOMEM;
}

/* --- Update and delete ------------------------------------------------------
 */

static int check_version(const struct sbx_user *u, const json_t *body,
                         struct gcp_err *err)
{
    json_t *v = json_object_get(body, "version");

    if (!json_is_integer(v))
        return gcp_err__set(err, GCP_EINVALID, "'version' is required");
    if (json_integer_value(v) !=
        json_integer_value(json_object_get(u->doc, "version")))
        return gcp_err__set(
            err, GCP_ECONFLICT, "version %lld is not the current version %lld",
            (long long)json_integer_value(v),
            (long long)json_integer_value(json_object_get(u->doc, "version")));
    return 0;
}

static int check_patch(struct sbx_model *m, const struct sbx_user *u,
                       const json_t *body, struct gcp_err *err)
{
    const char *email = sbx_model__str(body, "email");
    struct sbx_user *holder;
    json_t *employer = json_object_get(body, "employerInfo");
    int rc;

    if ((rc = check_version(u, body, err)) < 0 ||
        (rc = check_state(body, 0, err)) < 0 ||
        (rc = check_string(body, "name", 0, err)) < 0 ||
        (rc = check_email(body, 0, err)) < 0 ||
        (rc = check_string(body, "department", 0, err)) < 0 ||
        (rc = check_string(body, "title", 0, err)) < 0 ||
        (rc = check_addresses(body, err)) < 0)
        return rc;
    if (employer != NULL && !json_is_object(employer))
        return gcp_err__set(err, GCP_EINVALID,
                            "'employerInfo' is not an object");
    holder = email ? user_by_email(m, email) : NULL;
    if (holder != NULL && holder != u)
        return gcp_err__set(err, GCP_ECONFLICT,
                            "a user with email '%s' already exists", email);
    return 0;
}

static int change_email(struct sbx_model *m, struct sbx_user *u,
                        const char *email)
{
    char *old = lower_dup(sbx_model__str(u->doc, "email"));
    char *fresh = lower_dup(email);
    json_t *at = json_object_get(m->org.by_email, old ? old : "");
    int rc = GCP_ENOMEM;

    if (old != NULL && fresh != NULL && at != NULL &&
        json_object_set(m->org.by_email, fresh, at) == 0) {
        if (strcmp(old, fresh) != 0)
            json_object_del(m->org.by_email, old);
        json_object_set_new(u->doc, "email", json_string(email));
        rc = 0;
    }
    free(old);
    free(fresh);
    return rc;
}

/* Copies the UpdateUser fields the sandbox keeps; `state` is handled apart. */
static void apply_patch(struct sbx_model *m, struct sbx_user *u,
                        const json_t *body)
{
    static const char *const fields[] = {"name",         "department",
                                         "title",        "addresses",
                                         "employerInfo", "preferredName"};
    json_t *manager = json_object_get(body, "manager");

    for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
        set_copy(u->doc, body, fields[i]);
    if (sbx_model__str(body, "email") != NULL)
        change_email(m, u, sbx_model__str(body, "email"));
    if (json_is_string(manager))
        json_object_set(u->doc, "managerId", manager);
    else if (sbx_model__str(manager, "id") != NULL)
        json_object_set(u->doc, "managerId", json_object_get(manager, "id"));
}

static void bump_version(struct sbx_user *u)
{
    json_int_t v = json_integer_value(json_object_get(u->doc, "version"));

    json_object_set_new(u->doc, "version", json_integer(v + 1));
}

int sbx_model_user_patch(struct sbx_model *m, json_t **out, const char *id,
                         const json_t *body, double now, struct gcp_err *err)
{
    struct sbx_user *u;
    json_t *state = json_object_get(body, "state");
    int rc;

    pthread_mutex_lock(&m->lock);
    if (!json_is_object(body)) {
        rc = gcp_err__set(err, GCP_EINVALID, "the body is not an object");
        goto cleanup;
    }
    /* Only a state change may name a deleted user: it restores it. */
    if ((rc = sbx_model__live_user(m, &u, id, state != NULL, now, err)) < 0 ||
        (rc = check_patch(m, u, body, err)) < 0)
        goto cleanup;
    if (state != NULL)
        json_object_set(u->doc, "state", state);
    else
        apply_patch(m, u, body);
    bump_version(u);
    sbx_model__index_touch(m, u, now);
    *out = sbx_model__user_json(m, u, NULL);
    if (*out == NULL)
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

int sbx_model_user_delete(struct sbx_model *m, const char *id, double now,
                          struct gcp_err *err)
{
    struct sbx_user *u;
    int rc;

    pthread_mutex_lock(&m->lock);
    rc = sbx_model__live_user(m, &u, id, 0, now, err);
    if (rc == 0) {
        json_object_set_new(u->doc, "state", json_string("deleted"));
        bump_version(u);
        sbx_model__index_touch(m, u, now);
    }
    pthread_mutex_unlock(&m->lock);
    return rc;
}

/* --- Search ------------------------------------------------------------------
 */

enum match_type { MATCH_EXACT, MATCH_STARTS, MATCH_CONTAINS };

static int parse_type(const char *type, enum match_type *out)
{
    if (type == NULL)
        return -1;
    if (strcmp(type, "EXACT") == 0)
        *out = MATCH_EXACT;
    else if (strcmp(type, "STARTS_WITH") == 0)
        *out = MATCH_STARTS;
    else if (strcmp(type, "CONTAINS") == 0)
        *out = MATCH_CONTAINS;
    else
        return -1;
    return 0;
}

static int field_known(const char *field)
{
    static const char *const known[] = {
        "email", "state", "id", "name", "department", "title", "username"};

    for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (strcmp(field, known[i]) == 0)
            return 1;
    return 0;
}

static int text_matches(enum match_type type, const char *have,
                        const char *want)
{
    size_t len = strlen(want);

    if (have == NULL)
        return 0;
    if (type == MATCH_EXACT)
        return strcasecmp(have, want) == 0;
    if (type == MATCH_STARTS)
        return strncasecmp(have, want, len) == 0;
    for (; *have != '\0'; have++)
        if (strncasecmp(have, want, len) == 0)
            return 1;
    return 0;
}

/* The values of a clause: `values` or the single `value`. Borrowed. */
static json_t *clause_values(const json_t *clause, json_t **scratch)
{
    json_t *values = json_object_get(clause, "values");

    if (json_is_array(values))
        return values;
    *scratch = json_pack("[O]", json_object_get(clause, "value"));
    return *scratch;
}

static int check_clause(const json_t *clause, struct gcp_err *err)
{
    enum match_type type;
    json_t *fields = json_object_get(clause, "fields");
    json_t *value = json_object_get(clause, "value");
    json_t *values = json_object_get(clause, "values");
    size_t i;
    json_t *f;

    if (!json_is_object(clause) ||
        parse_type(sbx_model__str(clause, "type"), &type) < 0)
        return gcp_err__set(err, GCP_EINVALID,
                            "search type must be EXACT, STARTS_WITH or "
                            "CONTAINS");
    if (!json_is_array(fields) || json_array_size(fields) == 0)
        return gcp_err__set(err, GCP_EINVALID, "search needs 'fields'");
    json_array_foreach(fields, i, f)
    {
        if (!json_is_string(f) || !field_known(json_string_value(f)))
            return gcp_err__set(err, GCP_EINVALID,
                                "search field is not searchable");
    }
    if (!json_is_string(value) && !json_is_array(values))
        return gcp_err__set(err, GCP_EINVALID,
                            "search needs 'value' or 'values'");
    return 0;
}

static int clause_matches(const json_t *clause, const json_t *doc)
{
    enum match_type type;
    json_t *scratch = NULL;
    json_t *values = clause_values(clause, &scratch);
    size_t i, j;
    json_t *f, *v;
    int hit = 0;

    parse_type(sbx_model__str(clause, "type"), &type);
    json_array_foreach(json_object_get(clause, "fields"), i, f)
    {
        json_array_foreach(values, j, v)
        {
            if (json_is_string(v) &&
                text_matches(type, sbx_model__str(doc, json_string_value(f)),
                             json_string_value(v)))
                hit = 1;
        }
    }
    json_decref(scratch);
    return hit;
}

static int names_field(const json_t *clause, const char *field)
{
    size_t i;
    json_t *f;

    json_array_foreach(json_object_get(clause, "fields"), i, f)
    {
        if (json_is_string(f) && strcmp(json_string_value(f), field) == 0)
            return 1;
    }
    return 0;
}

static int doc_matches(const json_t *query, const json_t *doc)
{
    size_t i;
    json_t *clause;
    int state_named = 0;

    json_array_foreach(query, i, clause)
    {
        if (!clause_matches(clause, doc))
            return 0;
        state_named |= names_field(clause, "state");
    }
    /* Without a state clause, search finds active users only. */
    return state_named || strcmp(sbx_model__str(doc, "state"), "active") == 0;
}

/*
 * With an EXACT clause on a single field `id` or `email`, the candidates
 * come from the hash index instead of a scan. Returns an array of user
 * indexes (new reference), or NULL to scan everything.
 */
static json_t *candidates(struct sbx_model *m, const json_t *query)
{
    size_t i, j;
    json_t *clause, *v, *values, *scratch = NULL, *out;

    json_array_foreach(query, i, clause)
    {
        const char *type = sbx_model__str(clause, "type");
        json_t *fields = json_object_get(clause, "fields");
        const char *field = json_string_value(json_array_get(fields, 0));
        json_t *index = NULL;

        if (strcmp(type, "EXACT") != 0 || json_array_size(fields) != 1)
            continue;
        if (strcmp(field, "id") == 0)
            index = m->org.by_id;
        else if (strcmp(field, "email") == 0)
            index = m->org.by_email;
        if (index == NULL)
            continue;
        out = json_array();
        /* json_array_foreach evaluates its array at every step. */
        values = clause_values(clause, &scratch);
        json_array_foreach(values, j, v)
        {
            char *key =
                json_is_string(v) ? lower_dup(json_string_value(v)) : NULL;
            json_t *at = key ? json_object_get(index, index == m->org.by_id
                                                          ? json_string_value(v)
                                                          : key)
                             : NULL;
            if (at != NULL)
                json_array_append(out, at);
            free(key);
        }
        json_decref(scratch);
        return out;
    }
    return NULL;
}

static int check_query(const json_t *request, struct gcp_err *err)
{
    json_t *query = json_object_get(request, "query");
    size_t i;
    json_t *clause;
    int rc;

    if (!json_is_object(request))
        return gcp_err__set(err, GCP_EINVALID, "the body is not an object");
    if (!json_is_array(query) || json_array_size(query) == 0)
        return gcp_err__set(err, GCP_EINVALID, "search needs a 'query'");
    json_array_foreach(query, i, clause)
    {
        if ((rc = check_clause(clause, err)) < 0)
            return rc;
    }
    return 0;
}

static void search_collect(struct sbx_model *m, json_t *hits,
                           const json_t *query, const json_t *cands, double now)
{
    size_t n = cands ? json_array_size(cands) : m->org.user_count;

    for (size_t i = 0; i < n; i++) {
        size_t at =
            cands ? (size_t)json_integer_value(json_array_get(cands, i)) : i;
        const json_t *doc = index_view(m->org.users[at], now);
        if (doc != NULL && doc_matches(query, doc))
            json_array_append(hits, (json_t *)doc);
    }
}

int sbx_model_user_search(struct sbx_model *m, json_t **out, long *out_total,
                          const json_t *request, const struct sbx_page *page,
                          double now, struct gcp_err *err)
{
    json_t *query = json_object_get(request, "query");
    json_t *hits = NULL, *cands = NULL, *page_hits = NULL;
    int rc;

    pthread_mutex_lock(&m->lock);
    if ((rc = check_query(request, err)) < 0)
        goto cleanup;
    hits = json_array();
    cands = candidates(m, query);
    if (hits == NULL) {
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
        goto cleanup;
    }
    search_collect(m, hits, query, cands, now);
    *out_total = (long)json_array_size(hits);
    /* Deep copies: the index entries change under the lock later. */
    page_hits = sbx_model__page(hits, page);
    hits = NULL;
    *out = json_deep_copy(page_hits);
    if (*out == NULL)
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");

cleanup:
    json_decref(page_hits);
    json_decref(hits);
    json_decref(cands);
    pthread_mutex_unlock(&m->lock);
    return rc;
}

/* --- External ids ------------------------------------------------------------
 */

static int check_extid(const json_t *body, struct gcp_err *err)
{
    int rc;

    if (!json_is_object(body))
        return gcp_err__set(err, GCP_EINVALID, "the body is not an object");
    if ((rc = check_string(body, "authorityName", 1, err)) < 0 ||
        (rc = check_string(body, "externalKey", 1, err)) < 0)
        return rc;
    return 0;
}

static json_t *extid_list_json(const struct sbx_user *u)
{
    json_t *out = json_deep_copy(u->external_ids);
    const char *id = sbx_model__str(u->doc, "id");
    size_t i;
    json_t *e;
    char uri[160];

    json_array_foreach(out, i, e)
    {
        snprintf(uri, sizeof(uri), "/api/v2/users/%s/externalid", id);
        json_object_set_new(e, "selfUri", json_string(uri));
    }
    return out;
}

/* Adds the pair to `u` and the index; GCP_ECONFLICT when another holds it. */
static int extid_attach(struct sbx_model *m, struct sbx_user *u,
                        const char *authority, const char *key,
                        struct gcp_err *err)
{
    char *k = sbx_model__extid_key(authority, key);
    json_t *at = k ? json_object_get(m->org.by_extid, k) : NULL;
    json_t *mine = json_object_get(m->org.by_id, sbx_model__str(u->doc, "id"));
    int rc = 0;

    if (k == NULL) {
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
    } else if (at != NULL && !json_equal(at, mine)) {
        rc = gcp_err__set(err, GCP_ECONFLICT,
                          "external id '%s' is held by another user", key);
    } else if (at == NULL &&
               json_array_size(u->external_ids) >= MAX_EXTERNAL_IDS) {
        rc = gcp_err__set(err, GCP_EINVALID,
                          "a user holds at most %d external ids",
                          MAX_EXTERNAL_IDS);
    } else if (at == NULL) {
        json_object_set(m->org.by_extid, k, mine);
        json_array_append_new(u->external_ids,
                              json_pack("{s:s, s:s}", "authorityName",
                                        authority, "externalKey", key));
    }
    free(k);
    return rc;
}

int sbx_model_extid_add(struct sbx_model *m, json_t **out, const char *id,
                        const json_t *body, double now, struct gcp_err *err)
{
    struct sbx_user *u;
    int rc;

    pthread_mutex_lock(&m->lock);
    if ((rc = check_extid(body, err)) < 0 ||
        (rc = sbx_model__live_user(m, &u, id, 0, now, err)) < 0 ||
        (rc = extid_attach(m, u, sbx_model__str(body, "authorityName"),
                           sbx_model__str(body, "externalKey"), err)) < 0)
        goto cleanup;
    *out = extid_list_json(u);

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

int sbx_model_extid_list(struct sbx_model *m, json_t **out, const char *id,
                         double now, struct gcp_err *err)
{
    struct sbx_user *u;
    int rc;

    pthread_mutex_lock(&m->lock);
    /* Whether a deleted user's ids can be read is [U]: a knob. */
    rc = sbx_model__live_user(m, &u, id, m->rules.deleted_extids, now, err);
    if (rc == 0)
        *out = extid_list_json(u);
    pthread_mutex_unlock(&m->lock);
    return rc;
}

int sbx_model_extid_find(struct sbx_model *m, json_t **out,
                         const char *authority, const char *key, double now,
                         struct gcp_err *err)
{
    char *k = sbx_model__extid_key(authority, key);
    struct sbx_user *u;
    int rc = GCP_ENOTFOUND;

    pthread_mutex_lock(&m->lock);
    u = k ? index_get(&m->org, m->org.by_extid, k) : NULL;
    if (u != NULL && now >= u->created_at + m->rules.create_lag) {
        *out = sbx_model__user_json(m, u, NULL);
        rc = *out ? 0 : GCP_ENOMEM;
    }
    if (rc < 0)
        gcp_err__set(err, rc, "no user with external id '%s' of '%s'", key,
                     authority);
    pthread_mutex_unlock(&m->lock);
    free(k);
    return rc;
}

/* --- Seed users -------------------------------------------------------------
 */

static json_t *doc_from_seed(struct sbx_model *m, const json_t *entry)
{
    json_t *doc = json_deep_copy(entry);
    char id[37];

    if (doc == NULL)
        return NULL;
    json_object_del(doc, "externalIds");
    json_object_del(doc, "grants");
    json_object_del(doc, "licenses");
    if (sbx_model__str(doc, "id") == NULL) {
        sbx_model__uuid(m, id);
        json_object_set_new(doc, "id", json_string(id));
    }
    if (sbx_model__str(doc, "state") == NULL)
        json_object_set_new(doc, "state", json_string("active"));
    if (!json_is_integer(json_object_get(doc, "version")))
        json_object_set_new(doc, "version", json_integer(1));
    if (sbx_model__str(doc, "divisionId") == NULL)
        json_object_set_new(
            doc, "divisionId",
            json_string(sbx_model__str(sbx_model__home_division(m), "id")));
    return doc;
}

/* Resolves a seed grant naming its role by id or by name ("role"). */
static int seed_grant(struct sbx_model *m, struct sbx_user *u, const json_t *g,
                      struct gcp_err *err)
{
    const char *rid = sbx_model__str(g, "roleId");
    const char *name = sbx_model__str(g, "role");
    const char *div = sbx_model__str(g, "divisionId");
    json_t *role = sbx_model__role(m, rid);
    size_t i;
    json_t *r;

    json_array_foreach(m->org.roles, i, r)
    {
        if (role == NULL && name != NULL &&
            strcmp(sbx_model__str(r, "name"), name) == 0)
            role = r;
    }
    if (div == NULL)
        div = sbx_model__str(sbx_model__home_division(m), "id");
    if (role == NULL || sbx_model__division(m, div) == NULL)
        return gcp_err__set(err, GCP_EINVALID,
                            "seed user '%s' has a grant of an unknown role "
                            "or division",
                            sbx_model__str(u->doc, "email"));
    return json_array_append_new(
        u->grants, json_pack("{s:s, s:s}", "roleId", sbx_model__str(role, "id"),
                             "divisionId", div));
}

static int seed_details(struct sbx_model *m, struct sbx_user *u,
                        const json_t *entry, struct gcp_err *err)
{
    size_t i;
    json_t *x;
    int rc;

    json_array_foreach(json_object_get(entry, "externalIds"), i, x)
    {
        if ((rc = check_extid(x, err)) < 0 ||
            (rc = extid_attach(m, u, sbx_model__str(x, "authorityName"),
                               sbx_model__str(x, "externalKey"), err)) < 0)
            return rc;
    }
    json_array_foreach(json_object_get(entry, "grants"), i, x)
    {
        if ((rc = seed_grant(m, u, x, err)) < 0)
            return rc;
    }
    json_array_foreach(json_object_get(entry, "licenses"), i, x)
    {
        if (sbx_model__license(m, json_string_value(x)) == NULL)
            return gcp_err__set(err, GCP_EINVALID,
                                "seed user '%s' has an unknown license",
                                sbx_model__str(u->doc, "email"));
        json_object_set_new(u->licenses, json_string_value(x), json_true());
    }
    return 0;
}

static int seed_user(struct sbx_model *m, struct sbx_org *org,
                     const json_t *entry, size_t n, struct gcp_err *err)
{
    struct sbx_user *u;
    int rc;

    if (check_email(entry, 1, err) < 0 ||
        check_string(entry, "name", 1, err) < 0)
        return gcp_err__set(err, GCP_EINVALID,
                            "seed user %zu needs a 'name' and an 'email'", n);
    if (user_by_email(m, sbx_model__str(entry, "email")) != NULL)
        return gcp_err__set(err, GCP_EINVALID, "seed user %zu repeats an email",
                            n);
    if ((u = user_new(doc_from_seed(m, entry))) == NULL)
        return gcp_err__set(err, GCP_ENOMEM, "out of memory");
    u->created_at = SBX_NO_TIME;
    if ((rc = sbx_model__user_add(org, u, err)) < 0) {
        sbx_model__user_free(u);
        return rc;
    }
    if ((rc = seed_details(m, u, entry, err)) < 0)
        return rc;
    u->indexed = sbx_model__user_json(m, u, NULL);
    return 0;
}

int sbx_model__load_users(struct sbx_model *m, struct sbx_org *org,
                          const json_t *users, struct gcp_err *err)
{
    size_t i;
    json_t *entry;
    int rc;

    if (users != NULL && !json_is_array(users))
        return gcp_err__set(err, GCP_EINVALID, "seed 'users' is not an array");
    json_array_foreach(users, i, entry)
    {
        if ((rc = seed_user(m, org, entry, i, err)) < 0)
            return rc;
    }
    return 0;
}

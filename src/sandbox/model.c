/*
 * model.c: the org model's life cycle (seed, reset, dump), its small
 * entities (divisions, roles, license definitions, OAuth clients), tokens
 * and the helpers the other model_*.c files share. Every public function
 * takes the model's lock for its own duration only.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "model_internal.h"

static void seed_rng(struct sbx_model *m)
{
    unsigned short bits[3] = {0};
    int fd = open("/dev/urandom", O_RDONLY);

    if (fd >= 0) {
        if (read(fd, bits, sizeof(bits)) != (ssize_t)sizeof(bits))
            bits[0] = (unsigned short)time(NULL);
        close(fd);
    } else {
        bits[0] = (unsigned short)time(NULL);
        bits[1] = (unsigned short)getpid();
    }
    memcpy(m->rng, bits, sizeof(bits));
}

void sbx_model__uuid(struct sbx_model *m, char out[37])
{
    unsigned long a = (unsigned long)nrand48(m->rng);
    unsigned long b = (unsigned long)nrand48(m->rng);
    unsigned long c = (unsigned long)nrand48(m->rng);
    unsigned long d = (unsigned long)nrand48(m->rng);

    snprintf(out, 37, "%08lx-%04lx-4%03lx-%04lx-%04lx%08lx", a & 0xffffffffUL,
             b & 0xffffUL, (b >> 16) & 0xfffUL, 0x8000UL | (c & 0x3fffUL),
             (c >> 14) & 0xffffUL, d & 0xffffffffUL);
}

const char *sbx_model__str(const json_t *obj, const char *key)
{
    return json_string_value(json_object_get(obj, key));
}

static json_t *find_by_id(json_t *array, const char *id)
{
    size_t i;
    json_t *item;

    if (id == NULL)
        return NULL;
    json_array_foreach(array, i, item)
    {
        const char *have = sbx_model__str(item, "id");
        if (have != NULL && strcmp(have, id) == 0)
            return item;
    }
    return NULL;
}

json_t *sbx_model__role(struct sbx_model *m, const char *id)
{
    return find_by_id(m->org.roles, id);
}

json_t *sbx_model__division(struct sbx_model *m, const char *id)
{
    return find_by_id(m->org.divisions, id);
}

json_t *sbx_model__license(struct sbx_model *m, const char *id)
{
    return find_by_id(m->org.licenses, id);
}

json_t *sbx_model__home_division(struct sbx_model *m)
{
    size_t i;
    json_t *d;

    json_array_foreach(m->org.divisions, i, d)
    {
        if (json_is_true(json_object_get(d, "home")))
            return d;
    }
    return json_array_get(m->org.divisions, 0);
}

json_t *sbx_model__division_json(const json_t *division)
{
    const char *id = sbx_model__str(division, "id");
    char uri[128];

    snprintf(uri, sizeof(uri), "/api/v2/authorization/divisions/%s", id);
    return json_pack("{s:s, s:s, s:s, s:b, s:s}", "id", id, "name",
                     sbx_model__str(division, "name"), "description",
                     sbx_model__str(division, "description")
                         ? sbx_model__str(division, "description")
                         : "",
                     "homeDivision",
                     json_is_true(json_object_get(division, "home")), "selfUri",
                     uri);
}

json_t *sbx_model__page(json_t *all, const struct sbx_page *page)
{
    json_t *out = json_array();
    size_t first = (size_t)((page->number - 1) * page->size);

    for (size_t i = first; out != NULL && i < json_array_size(all) &&
                           i < first + (size_t)page->size;
         i++)
        json_array_append(out, json_array_get(all, i));
    json_decref(all);
    return out;
}

/* --- Loading a seed ------------------------------------------------------ */

static void org_clear(struct sbx_org *org)
{
    json_decref(org->organization);
    json_decref(org->divisions);
    json_decref(org->licenses);
    json_decref(org->roles);
    json_decref(org->clients);
    for (size_t i = 0; i < org->user_count; i++)
        sbx_model__user_free(org->users[i]);
    free(org->users);
    json_decref(org->by_id);
    json_decref(org->by_email);
    json_decref(org->by_extid);
    memset(org, 0, sizeof(*org));
}

/*
 * Copies a seed array of named entities, giving each an id when the seed
 * has none. `what` names the section in messages. Returns a new array.
 */
static int load_named(struct sbx_model *m, json_t **out, const json_t *seed,
                      const char *what, struct gcp_err *err)
{
    json_t *list = json_object_get(seed, what);
    json_t *copy;
    size_t i;
    json_t *item;
    char id[37];

    if (list != NULL && !json_is_array(list))
        return gcp_err__set(err, GCP_EINVALID, "seed '%s' is not an array",
                            what);
    copy = list ? json_deep_copy(list) : json_array();
    if (copy == NULL)
        return gcp_err__set(err, GCP_ENOMEM, "out of memory");
    json_array_foreach(copy, i, item)
    {
        if (!json_is_object(item) || sbx_model__str(item, "name") == NULL) {
            json_decref(copy);
            return gcp_err__set(err, GCP_EINVALID,
                                "seed '%s' entry %zu has no 'name'", what, i);
        }
        if (sbx_model__str(item, "id") == NULL) {
            sbx_model__uuid(m, id);
            json_object_set_new(item, "id", json_string(id));
        }
    }
    *out = copy;
    return 0;
}

/* License definitions are keyed by their given id, which is required. */
static int load_licenses(struct sbx_org *org, const json_t *seed,
                         struct gcp_err *err)
{
    json_t *list = json_object_get(seed, "licenses");
    size_t i;
    json_t *item;

    org->licenses = json_is_array(list) ? json_deep_copy(list) : json_array();
    if (org->licenses == NULL)
        return gcp_err__set(err, GCP_ENOMEM, "out of memory");
    json_array_foreach(org->licenses, i, item)
    {
        if (sbx_model__str(item, "id") == NULL)
            return gcp_err__set(err, GCP_EINVALID,
                                "seed license %zu has no 'id'", i);
    }
    return 0;
}

static int check_roles(struct sbx_model *m, struct sbx_org *org,
                       struct gcp_err *err)
{
    size_t i, j;
    json_t *role, *addon;

    json_array_foreach(org->roles, i, role)
    {
        const char *base = sbx_model__str(role, "baseLicense");

        if (base != NULL && find_by_id(org->licenses, base) == NULL)
            return gcp_err__set(err, GCP_EINVALID,
                                "role '%s' names unknown license '%s'",
                                sbx_model__str(role, "name"), base);
        json_array_foreach(json_object_get(role, "addonLicenses"), j, addon)
        {
            if (find_by_id(org->licenses, json_string_value(addon)) == NULL)
                return gcp_err__set(err, GCP_EINVALID,
                                    "role '%s' names unknown add-on license",
                                    sbx_model__str(role, "name"));
        }
    }
    (void)m;
    return 0;
}

static int load_clients(struct sbx_org *org, const json_t *seed,
                        struct gcp_err *err)
{
    json_t *list = json_object_get(seed, "clients");
    size_t i;
    json_t *c;

    org->clients = json_is_array(list) ? json_deep_copy(list) : json_array();
    if (org->clients == NULL)
        return gcp_err__set(err, GCP_ENOMEM, "out of memory");
    json_array_foreach(org->clients, i, c)
    {
        if (sbx_model__str(c, "id") == NULL ||
            sbx_model__str(c, "secret") == NULL)
            return gcp_err__set(err, GCP_EINVALID,
                                "seed client %zu needs 'id' and 'secret'", i);
        if (json_object_get(c, "permissions") == NULL)
            json_object_set_new(c, "permissions", json_pack("[s]", "*"));
    }
    return 0;
}

static int load_org(struct sbx_model *m, struct sbx_org *org,
                    const json_t *seed, struct gcp_err *err)
{
    int rc;
    json_t *o = json_object_get(seed, "organization");
    char id[37];

    memset(org, 0, sizeof(*org));
    org->by_id = json_object();
    org->by_email = json_object();
    org->by_extid = json_object();
    org->organization = json_is_object(o) ? json_deep_copy(o) : json_object();
    if (!org->by_id || !org->by_email || !org->by_extid || !org->organization)
        return gcp_err__set(err, GCP_ENOMEM, "out of memory");
    if (sbx_model__str(org->organization, "id") == NULL) {
        sbx_model__uuid(m, id);
        json_object_set_new(org->organization, "id", json_string(id));
    }
    if ((rc = load_named(m, &org->divisions, seed, "divisions", err)) < 0 ||
        (rc = load_licenses(org, seed, err)) < 0 ||
        (rc = load_named(m, &org->roles, seed, "roles", err)) < 0 ||
        (rc = check_roles(m, org, err)) < 0 ||
        (rc = load_clients(org, seed, err)) < 0)
        return rc;
    if (json_array_size(org->divisions) == 0)
        return gcp_err__set(err, GCP_EINVALID, "seed has no division");
    return sbx_model__load_users(m, org, json_object_get(seed, "users"), err);
}

/*
 * Builds a fresh org from `seed` into m->org, keeping the old one when the
 * seed is refused. The fresh org is built in place because loading users
 * resolves their roles and divisions through m->org.
 */
static int install_seed(struct sbx_model *m, const json_t *seed,
                        struct gcp_err *err)
{
    struct sbx_org old = m->org;
    int rc;

    rc = load_org(m, &m->org, seed, err);
    if (rc < 0) {
        org_clear(&m->org);
        m->org = old;
        return rc;
    }
    org_clear(&old);
    return 0;
}

static void set_rules(struct sbx_model *m, const struct sbx_model_rules *r)
{
    json_t *seats = r->seats ? json_deep_copy(r->seats) : NULL;

    json_decref(m->rules.seats);
    m->rules = *r;
    m->rules.seats = seats;
}

int sbx_model_new(struct sbx_model **out, const json_t *seed,
                  const struct sbx_model_rules *rules, struct gcp_err *err)
{
    struct sbx_model *m = calloc(1, sizeof(*m));
    int rc = GCP_ENOMEM;

    if (m == NULL)
        return gcp_err__set(err, GCP_ENOMEM, "out of memory");
    pthread_mutex_init(&m->lock, NULL);
    seed_rng(m);
    set_rules(m, rules);
    m->tokens = json_object();
    if (m->tokens == NULL) {
        gcp_err__set(err, rc, "out of memory");
        goto cleanup;
    }
    if (!json_is_object(seed)) {
        rc = gcp_err__set(err, GCP_EINVALID, "seed is not a JSON object");
        goto cleanup;
    }
    if ((rc = install_seed(m, seed, err)) < 0)
        goto cleanup;
    /* Keep the seed with its generated ids so that resets reuse them. */
    m->seed = sbx_model_dump(m);
    if (m->seed == NULL) {
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
        goto cleanup;
    }
    *out = m;
    return 0;

cleanup:
    sbx_model_free(m);
    return rc;
}

void sbx_model_free(struct sbx_model *m)
{
    if (m == NULL)
        return;
    org_clear(&m->org);
    json_decref(m->seed);
    json_decref(m->tokens);
    json_decref(m->rules.seats);
    pthread_mutex_destroy(&m->lock);
    free(m);
}

int sbx_model_reset(struct sbx_model *m, struct gcp_err *err)
{
    int rc;

    pthread_mutex_lock(&m->lock);
    rc = install_seed(m, m->seed, err);
    pthread_mutex_unlock(&m->lock);
    return rc;
}

void sbx_model_set_rules(struct sbx_model *m,
                         const struct sbx_model_rules *rules)
{
    pthread_mutex_lock(&m->lock);
    set_rules(m, rules);
    pthread_mutex_unlock(&m->lock);
}

static json_t *dump_user(const struct sbx_user *u)
{
    json_t *out = json_deep_copy(u->doc);
    json_t *licenses = json_array();
    const char *key;
    json_t *value;

    if (out == NULL || licenses == NULL) {
        json_decref(out);
        json_decref(licenses);
        return NULL;
    }
    json_object_foreach(u->licenses, key, value)
        json_array_append_new(licenses, json_string(key));
    json_object_set_new(out, "externalIds", json_deep_copy(u->external_ids));
    json_object_set_new(out, "grants", json_deep_copy(u->grants));
    json_object_set_new(out, "licenses", licenses);
    return out;
}

static json_t *dump_locked(struct sbx_model *m)
{
    json_t *users = json_array();
    json_t *out;

    for (size_t i = 0; users != NULL && i < m->org.user_count; i++)
        json_array_append_new(users, dump_user(m->org.users[i]));
    /* "O" takes new references to the borrowed arrays; "o" steals users. */
    out = json_pack("{s:O, s:O, s:O, s:O, s:O, s:o}", "organization",
                    m->org.organization, "divisions", m->org.divisions,
                    "licenses", m->org.licenses, "roles", m->org.roles,
                    "clients", m->org.clients, "users", users);
    if (out == NULL)
        return NULL;
    /* A deep copy, so the dump never shares objects with the live org. */
    json_t *copy = json_deep_copy(out);
    json_decref(out);
    return copy;
}

json_t *sbx_model_dump(struct sbx_model *m)
{
    json_t *out;

    pthread_mutex_lock(&m->lock);
    out = dump_locked(m);
    pthread_mutex_unlock(&m->lock);
    return out;
}

/* --- OAuth clients and tokens -------------------------------------------- */

static json_t *find_client(struct sbx_model *m, const char *id)
{
    return find_by_id(m->org.clients, id);
}

int sbx_model_token_issue(struct sbx_model *m, char **out_token,
                          long *out_expires_in, const char *client_id,
                          const char *secret, double now, struct gcp_err *err)
{
    char a[37], b[37], token[80];
    json_t *client;
    int rc = 0;

    pthread_mutex_lock(&m->lock);
    client = find_client(m, client_id);
    if (client == NULL || secret == NULL ||
        strcmp(sbx_model__str(client, "secret"), secret) != 0) {
        rc = gcp_err__set(err, GCP_EAUTH, "client id or secret refused");
        goto cleanup;
    }
    sbx_model__uuid(m, a);
    sbx_model__uuid(m, b);
    snprintf(token, sizeof(token), "%s%s", a, b);
    *out_token = strdup(token);
    if (*out_token == NULL ||
        json_object_set_new(m->tokens, token,
                            json_pack("[s, f]", client_id,
                                      now + m->rules.token_lifetime)) < 0) {
        free(*out_token);
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
        goto cleanup;
    }
    *out_expires_in = m->rules.token_lifetime;

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

/* A granted "a:b:c" permission covers a wanted one part by part, "*" all. */
static int permission_covers(const char *granted, const char *wanted)
{
    size_t g, w;

    if (strcmp(granted, "*") == 0)
        return 1;
    while (*granted != '\0' && *wanted != '\0') {
        g = strcspn(granted, ":");
        w = strcspn(wanted, ":");
        if (!(g == 1 && granted[0] == '*') &&
            (g != w || strncmp(granted, wanted, g) != 0))
            return 0;
        granted += g + (granted[g] == ':');
        wanted += w + (wanted[w] == ':');
    }
    return *granted == '\0' && *wanted == '\0';
}

static int client_may(const json_t *client, const char *permission)
{
    size_t i;
    json_t *p;

    json_array_foreach(json_object_get(client, "permissions"), i, p)
    {
        if (json_is_string(p) &&
            permission_covers(json_string_value(p), permission))
            return 1;
    }
    return 0;
}

int sbx_model_token_check(struct sbx_model *m, const char *token,
                          const char *permission, double now,
                          struct gcp_err *err)
{
    json_t *entry, *client;
    int rc = 0;

    pthread_mutex_lock(&m->lock);
    entry = token ? json_object_get(m->tokens, token) : NULL;
    if (entry == NULL) {
        rc = gcp_err__set(err, GCP_EAUTH, "invalid login credentials");
        goto cleanup;
    }
    if (json_real_value(json_array_get(entry, 1)) <= now) {
        rc = gcp_err__set(err, GCP_EAUTH, "the access token has expired");
        goto cleanup;
    }
    client = find_client(m, json_string_value(json_array_get(entry, 0)));
    if (permission != NULL &&
        (client == NULL || !client_may(client, permission)))
        rc = gcp_err__set(err, GCP_EPERMISSION, "missing permission '%s'",
                          permission);

cleanup:
    pthread_mutex_unlock(&m->lock);
    return rc;
}

/* --- Divisions and roles -------------------------------------------------- */

int sbx_model_division_home(struct sbx_model *m, json_t **out)
{
    pthread_mutex_lock(&m->lock);
    *out = sbx_model__division_json(sbx_model__home_division(m));
    pthread_mutex_unlock(&m->lock);
    return *out ? 0 : GCP_ENOMEM;
}

static int name_matches(const json_t *item, const char *name)
{
    const char *have = sbx_model__str(item, "name");
    size_t len;

    if (name == NULL || *name == '\0')
        return 1;
    len = strlen(name);
    for (; have != NULL && *have != '\0'; have++)
        if (strncasecmp(have, name, len) == 0)
            return 1;
    return 0;
}

int sbx_model_division_list(struct sbx_model *m, json_t **out, long *out_total,
                            const char *name, const struct sbx_page *page)
{
    json_t *all = json_array();
    size_t i;
    json_t *d;

    pthread_mutex_lock(&m->lock);
    json_array_foreach(m->org.divisions, i, d)
    {
        if (all != NULL && name_matches(d, name))
            json_array_append_new(all, sbx_model__division_json(d));
    }
    pthread_mutex_unlock(&m->lock);
    *out_total = (long)json_array_size(all);
    *out = sbx_model__page(all, page);
    return *out ? 0 : GCP_ENOMEM;
}

static long role_user_count(struct sbx_model *m, const char *role_id)
{
    long count = 0;
    size_t j;
    json_t *g;

    for (size_t i = 0; i < m->org.user_count; i++) {
        if (strcmp(sbx_model__state(m->org.users[i]), "deleted") == 0)
            continue;
        json_array_foreach(m->org.users[i]->grants, j, g)
        {
            if (strcmp(sbx_model__str(g, "roleId"), role_id) == 0) {
                count++;
                break;
            }
        }
    }
    return count;
}

static json_t *role_json(struct sbx_model *m, const json_t *role,
                         int with_count)
{
    json_t *out = json_deep_copy(role);
    char uri[128];
    const char *id = sbx_model__str(role, "id");

    if (out == NULL)
        return NULL;
    snprintf(uri, sizeof(uri), "/api/v2/authorization/roles/%s", id);
    json_object_set_new(out, "selfUri", json_string(uri));
    if (json_object_get(out, "addonLicenses") == NULL)
        json_object_set_new(out, "addonLicenses", json_array());
    if (json_object_get(out, "permissions") == NULL)
        json_object_set_new(out, "permissions", json_array());
    if (json_object_get(out, "default") == NULL)
        json_object_set_new(out, "default", json_false());
    if (json_object_get(out, "description") == NULL)
        json_object_set_new(out, "description", json_string(""));
    if (with_count)
        json_object_set_new(out, "userCount",
                            json_integer(role_user_count(m, id)));
    return out;
}

int sbx_model_role_list(struct sbx_model *m, json_t **out, long *out_total,
                        const char *name, const struct sbx_page *page)
{
    json_t *all = json_array();
    size_t i;
    json_t *r;

    pthread_mutex_lock(&m->lock);
    json_array_foreach(m->org.roles, i, r)
    {
        if (all != NULL && name_matches(r, name))
            json_array_append_new(all, role_json(m, r, 0));
    }
    pthread_mutex_unlock(&m->lock);
    *out_total = (long)json_array_size(all);
    *out = sbx_model__page(all, page);
    return *out ? 0 : GCP_ENOMEM;
}

int sbx_model_role_get(struct sbx_model *m, json_t **out, const char *id,
                       struct gcp_err *err)
{
    json_t *role;
    int rc = 0;

    pthread_mutex_lock(&m->lock);
    role = sbx_model__role(m, id);
    if (role == NULL)
        rc = gcp_err__set(err, GCP_ENOTFOUND, "role '%s' not found", id);
    else if ((*out = role_json(m, role, 1)) == NULL)
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
    pthread_mutex_unlock(&m->lock);
    return rc;
}

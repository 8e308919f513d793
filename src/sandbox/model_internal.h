/*
 * model_internal.h: the org model's storage, shared by the model_*.c files
 * and nobody else. Users sit in an array; hash tables (Jansson objects
 * mapping a key to the user's index) find them by id, by lower-cased email
 * and by external id in constant time, since tests go to 10,000+ users.
 */
#ifndef SBX_MODEL_INTERNAL_H
#define SBX_MODEL_INTERNAL_H

#include <pthread.h>

#include "model.h"

/* One user. `doc` holds the fields in seed form (see docs/sandbox.md). */
struct sbx_user {
    json_t *doc;          /* id, name, email, state, version, divisionId... */
    json_t *external_ids; /* array of {authorityName, externalKey} */
    json_t *grants;       /* array of {roleId, divisionId} */
    json_t *licenses;     /* object: explicitly assigned license id -> true */
    double created_at;    /* for the create lag; -1e300 for seeded users */
    json_t *indexed;      /* what search sees; NULL: not indexed yet */
    json_t *pending;      /* the next version for search, or NULL */
    double pending_at;    /* when `pending` becomes visible */
};

/* Everything that a reset puts back to the seed. */
struct sbx_org {
    json_t *organization; /* {id, name} */
    json_t *divisions;    /* array of {id, name, description, home} */
    json_t *licenses;     /* array of license definitions, seed form */
    json_t *roles;        /* array of roles, seed form */
    json_t *clients;      /* array of {id, secret, name, permissions} */
    struct sbx_user **users;
    size_t user_count;
    size_t user_cap;
    json_t *by_id;    /* user id -> index */
    json_t *by_email; /* lower-cased email -> index */
    json_t *by_extid; /* "authority\x1fkey" -> index */
};

struct sbx_model {
    pthread_mutex_t lock;
    json_t *seed; /* the seed with every id filled in, for resets */
    struct sbx_model_rules rules;
    struct sbx_org org;
    json_t *tokens; /* token -> [client id, expires at] */
    unsigned short rng[3];
};

#define SBX_NO_TIME (-1e300)

/* Writes a random version-4 UUID into `out` (37 bytes). Model locked. */
void sbx_model__uuid(struct sbx_model *m, char out[37]);

/* Looks a user up by id; NULL when unknown. Model locked. */
struct sbx_user *sbx_model__user(struct sbx_model *m, const char *id);

/*
 * Finds a user that calls may name: known, past the create lag and, unless
 * `allow_deleted`, not deleted. GCP_ENOTFOUND otherwise. Model locked.
 */
int sbx_model__live_user(struct sbx_model *m, struct sbx_user **out,
                         const char *id, int allow_deleted, double now,
                         struct gcp_err *err);

/* The user's state string. */
const char *sbx_model__state(const struct sbx_user *u);

/* A string field of a JSON object, or NULL. */
const char *sbx_model__str(const json_t *obj, const char *key);

/* Entities of the org by id; NULL when unknown. Model locked. */
json_t *sbx_model__role(struct sbx_model *m, const char *id);
json_t *sbx_model__division(struct sbx_model *m, const char *id);
json_t *sbx_model__license(struct sbx_model *m, const char *id);
json_t *sbx_model__home_division(struct sbx_model *m);

/* The wire form of a division ({id, name, selfUri, ...}). New reference. */
json_t *sbx_model__division_json(const json_t *division);

/*
 * The wire form (User) of a user; expands per `expand` (may be NULL).
 * New reference, NULL on allocation failure. Model locked.
 */
json_t *sbx_model__user_json(struct sbx_model *m, const struct sbx_user *u,
                             const struct sbx_user_filter *expand);

/* Records a write for search: visible search_lag seconds from `now`. */
void sbx_model__index_touch(struct sbx_model *m, struct sbx_user *u,
                            double now);

/* The user's effective license ids: explicit plus those of its roles. */
json_t *sbx_model__effective_licenses(struct sbx_model *m,
                                      const struct sbx_user *u);

/* Appends a new user to the org and its indexes. Model locked. */
int sbx_model__user_add(struct sbx_org *org, struct sbx_user *u,
                        struct gcp_err *err);

/* Frees one user; NULL is accepted. */
void sbx_model__user_free(struct sbx_user *u);

/* Loads seed users into `org` (used by model.c's loader). */
int sbx_model__load_users(struct sbx_model *m, struct sbx_org *org,
                          const json_t *users, struct gcp_err *err);

/* The key of the external-id index for a pair. Caller frees. */
char *sbx_model__extid_key(const char *authority, const char *key);

/* Slices `all` (consumed) into the page; returns the page, new reference. */
json_t *sbx_model__page(json_t *all, const struct sbx_page *page);

#endif

/*
 * test_plan_fixture.h: builds people and snapshots from JSON text for the
 * plan, tenant and batch tests, without the roster reader. Each test makes
 * a fresh fixture and frees it.
 *
 * A person is written with gcp_person's field names: {"employee_id",
 * "name", "email", "department", "title", "phone_work", "extension",
 * "manager_email", "division", "roles": [{"role", "division"} or "name"],
 * "licenses": [...], "state": "active" | "inactive"}. The key is the
 * employee id, else the lower-cased email, as the roster makes it.
 */
#ifndef TEST_PLAN_FIXTURE_H
#define TEST_PLAN_FIXTURE_H

#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "gcprov/plan.h"
#include "tenant.h"

struct fx {
    json_t *roster; /* keeps every person string alive */
    gcp_person *people;
    const gcp_person **ptrs;
    size_t count;
    gcp_snapshot *snap;
    char **owned; /* keys and lists made here */
    size_t owned_count;
};

static inline void *fx_own(struct fx *fx, void *p)
{
    fx->owned = realloc(fx->owned, (fx->owned_count + 1) * sizeof(char *));
    fx->owned[fx->owned_count++] = p;
    return p;
}

static inline const char *fx_get(const json_t *obj, const char *field)
{
    return json_string_value(json_object_get(obj, field));
}

static inline const char *fx_key(struct fx *fx, const gcp_person *p)
{
    char *key;

    if (p->employee_id != NULL)
        return p->employee_id;
    key = fx_own(fx, strdup(p->email));
    for (char *c = key; *c != '\0'; c++)
        *c = (char)tolower((unsigned char)*c);
    return key;
}

static inline void fx_roles(struct fx *fx, gcp_person *p, const json_t *obj)
{
    const json_t *roles = json_object_get(obj, "roles");
    gcp_role_ref *refs =
        fx_own(fx, calloc(json_array_size(roles) + 1, sizeof(*refs)));

    for (size_t i = 0; i < json_array_size(roles); i++) {
        const json_t *r = json_array_get(roles, i);

        refs[i].role =
            json_is_string(r) ? json_string_value(r) : fx_get(r, "role");
        refs[i].division = json_is_string(r) ? NULL : fx_get(r, "division");
    }
    p->roles = refs;
    p->role_count = json_array_size(roles);
}

static inline void fx_licenses(struct fx *fx, gcp_person *p, const json_t *obj)
{
    const json_t *lics = json_object_get(obj, "licenses");
    const char **ids =
        fx_own(fx, calloc(json_array_size(lics) + 1, sizeof(*ids)));

    for (size_t i = 0; i < json_array_size(lics); i++)
        ids[i] = json_string_value(json_array_get(lics, i));
    p->licenses = ids;
    p->license_count = json_array_size(lics);
}

static inline void fx_person(struct fx *fx, gcp_person *p, const json_t *obj,
                             unsigned line)
{
    const char *state = fx_get(obj, "state");

    p->employee_id = fx_get(obj, "employee_id");
    p->name = fx_get(obj, "name");
    p->email = fx_get(obj, "email");
    p->department = fx_get(obj, "department");
    p->title = fx_get(obj, "title");
    p->phone_work = fx_get(obj, "phone_work");
    p->extension = fx_get(obj, "extension");
    p->manager_email = fx_get(obj, "manager_email");
    p->division = fx_get(obj, "division");
    p->state = state != NULL && strcmp(state, "inactive") == 0
                   ? GCP_PERSON_INACTIVE
                   : GCP_PERSON_ACTIVE;
    p->line = line;
    fx_roles(fx, p, obj);
    fx_licenses(fx, p, obj);
    p->key = fx_key(fx, p);
}

/* Loads people from a JSON array (stolen reference). */
static inline void fx_people_json(struct fx *fx, json_t *roster)
{
    fx->roster = roster;
    fx->count = json_array_size(roster);
    fx->people = calloc(fx->count + 1, sizeof(*fx->people));
    fx->ptrs = calloc(fx->count + 1, sizeof(*fx->ptrs));
    for (size_t i = 0; i < fx->count; i++) {
        fx_person(fx, &fx->people[i], json_array_get(roster, i),
                  (unsigned)i + 2);
        fx->ptrs[i] = &fx->people[i];
    }
}

/* Loads a snapshot document (borrowed); returns gcp_tenant__from_json's. */
static inline int fx_snapshot_json(struct fx *fx, const json_t *doc)
{
    struct gcp_err err;

    gcp_err__clear(&err);
    return gcp_tenant__from_json(&fx->snap, doc, &err);
}

/*
 * An org for tests: two divisions, three roles (Agent carries cx3;
 * Supervisor cx3 and the wem add-on; Employee none), three licenses.
 * FX_ORG(users) completes it with a list of users. Single quotes stand
 * for double quotes, to keep the tests readable.
 */
#define FX_ORG(users)                                                          \
    "{'homeDivisionId': 'd-home',"                                             \
    " 'divisions': [{'id': 'd-home', 'name': 'Home'},"                         \
    "               {'id': 'd-emea', 'name': 'EMEA'}],"                        \
    " 'roles': [{'id': 'r-agent', 'name': 'Agent', 'baseLicense': 'cx3'},"     \
    "           {'id': 'r-sup', 'name': 'Supervisor', 'baseLicense': 'cx3',"   \
    "            'addonLicenses': ['wem']},"                                   \
    "           {'id': 'r-emp', 'name': 'Employee'}],"                         \
    " 'licenseDefinitions': [{'id': 'cx3'}, {'id': 'wem'}, {'id': 'comm'}],"   \
    " 'users': [" users "]}"

/* Parses text whose single quotes stand for double quotes. */
static inline json_t *fx_parse(const char *text)
{
    char *copy = strdup(text);
    json_error_t jerr;
    json_t *doc;

    for (char *c = copy; *c != '\0'; c++)
        if (*c == '\'')
            *c = '"';
    doc = json_loads(copy, JSON_DECODE_ANY, &jerr);
    free(copy);
    return doc;
}

/* Loads both from text; aborts the test on malformed JSON. */
static inline void fx_load(struct fx *fx, const char *roster,
                           const char *snapshot)
{
    json_t *doc = fx_parse(snapshot);
    json_t *people = fx_parse(roster);

    if (doc == NULL || people == NULL || fx_snapshot_json(fx, doc) != 0)
        abort();
    json_decref(doc);
    fx_people_json(fx, people);
}

static inline void fx_free(struct fx *fx)
{
    for (size_t i = 0; i < fx->owned_count; i++)
        free(fx->owned[i]);
    free(fx->owned);
    free(fx->people);
    free(fx->ptrs);
    json_decref(fx->roster);
    gcp_tenant__free(fx->snap);
    memset(fx, 0, sizeof(*fx));
}

/* Builds the plan of the fixture's people; aborts on failure. */
static inline gcp_plan *fx_plan(struct fx *fx, const gcp_plan_options *opts)
{
    gcp_plan *plan = NULL;

    if (gcp_plan_build(&plan, fx->ptrs, fx->count, fx->snap, opts) != 0)
        abort();
    return plan;
}

/*
 * Calls `run` on every case folder under $GCPROV_SRC/tests/plan (the
 * scripts that live there too are passed over) and adds up the failures
 * it returns. Sets *cases to the number of folders; returns -1 when the
 * folder cannot be read.
 */
static inline int fx_each_case(int (*run)(const char *dir), int *cases)
{
    const char *src = getenv("GCPROV_SRC");
    char root[1024], dir[1280];
    struct dirent *ent;
    DIR *d;
    int fails = 0;

    *cases = 0;
    snprintf(root, sizeof(root), "%s/tests/plan", src != NULL ? src : ".");
    if ((d = opendir(root)) == NULL)
        return -1;
    while ((ent = readdir(d)) != NULL) {
        struct stat st;

        snprintf(dir, sizeof(dir), "%s/%s", root, ent->d_name);
        if (ent->d_name[0] == '.' || stat(dir, &st) != 0 ||
            !S_ISDIR(st.st_mode))
            continue;
        fails += run(dir);
        (*cases)++;
    }
    closedir(d);
    return fails;
}

#endif

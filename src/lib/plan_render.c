/*
 * plan_render.c: the plan as one JSON document, sorted so that two plans
 * diff well: counts first, then (with details) every person in key order
 * with the steps, fields, grants and licenses that change. docs/plan.md
 * shows the document.
 */
#include <stdlib.h>

#include <jansson.h>

#include "plan_model.h"

static const char *const render_field_names[] = {
    "name", "email", "department", "title", "phone", "manager",
};

static json_t *render_counts(const gcp_plan_counts *c)
{
    return json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
        " s:I, s:I, s:I}",
        "people", (json_int_t)c->people, "create", (json_int_t)c->create,
        "adopt", (json_int_t)c->adopt, "restore", (json_int_t)c->restore,
        "update", (json_int_t)c->update, "deactivate",
        (json_int_t)c->deactivate, "conflict", (json_int_t)c->conflict,
        "invalid", (json_int_t)c->invalid, "held", (json_int_t)c->held,
        "unchanged", (json_int_t)c->unchanged, "grants", (json_int_t)c->grants,
        "licenses", (json_int_t)c->licenses, "releases",
        (json_int_t)c->releases);
}

static json_t *render_strs(const struct gcp_plan_strs *list)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < list->count; i++)
        if (json_array_append_new(arr, json_string(list->items[i])) < 0) {
            json_decref(arr);
            return NULL;
        }
    return arr;
}

static json_t *render_steps(const struct gcp_plan_entry *e)
{
    json_t *arr = json_array();

    if (arr == NULL)
        return NULL;
    /* Appends steal the new strings; a failed append leaves arr short. */
    if (e->deactivate)
        json_array_append_new(arr, json_string("deactivate"));
    if (e->restore)
        json_array_append_new(arr, json_string("restore"));
    if (e->create)
        json_array_append_new(arr, json_string("create"));
    if (e->adopt || (e->create && e->person->employee_id != NULL))
        json_array_append_new(arr, json_string("externalId"));
    return arr;
}

static json_t *render_fields(unsigned fields)
{
    json_t *arr = json_array();
    size_t n = sizeof(render_field_names) / sizeof(render_field_names[0]);

    for (size_t i = 0; arr != NULL && i < n; i++)
        if (fields & (1u << i))
            json_array_append_new(arr, json_string(render_field_names[i]));
    return arr;
}

static json_t *render_grants(const struct gcp_plan_entry *e)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < e->grant_count; i++)
        json_array_append_new(
            arr, json_pack("{s:s, s:s}", "role", e->grants[i].role->name,
                           "division", e->grants[i].division->name));
    return arr;
}

static json_t *render_manager(const struct gcp_plan_entry *e)
{
    if (e->manager != NULL)
        return json_pack("{s:s}", "key", e->manager->person->key);
    return json_pack("{s:s}", "userId", e->manager_id);
}

/* Sets `field` to `value` (stolen) unless `keep` is false or it is NULL. */
static int render_set(json_t *obj, const char *field, json_t *value, int keep)
{
    if (!keep || value == NULL) {
        json_decref(value);
        return value == NULL && keep ? -1 : 0;
    }
    return json_object_set_new(obj, field, value);
}

static int render_changes(json_t *p, const struct gcp_plan_entry *e)
{
    int fails = 0;
    json_t *steps = render_steps(e);

    fails |= render_set(p, "steps", steps,
                        steps == NULL || json_array_size(steps) > 0);
    fails |= render_set(p, "fields", render_fields(e->fields), e->fields != 0);
    fails |= render_set(p, "manager", render_manager(e),
                        (e->fields & GCP_PLAN_F_MANAGER) != 0);
    fails |= render_set(p, "divisionId", json_string(e->division_id),
                        e->create && e->division_id != NULL);
    fails |= render_set(p, "grants", render_grants(e), e->grant_count > 0);
    fails |= render_set(p, "licenses", render_strs(&e->licenses),
                        e->licenses.count > 0);
    fails |= render_set(p, "releases", render_strs(&e->releases),
                        e->releases.count > 0);
    return fails;
}

static json_t *render_person(const struct gcp_plan_entry *e)
{
    json_t *p = json_pack("{s:s, s:s}", "key", e->person->key, "outcome",
                          gcp_plan_outcome_name(e->outcome));
    int fails = p == NULL;

    if (p == NULL)
        return NULL;
    fails |= render_set(p, "userId", json_string(e->user ? e->user->id : ""),
                        e->user != NULL);
    fails |= render_set(p, "problem", json_string(e->problem ? e->problem : ""),
                        e->problem != NULL);
    fails |=
        render_set(p, "held",
                   json_pack("{s:s?, s:I, s:I}", "license", e->held_license,
                             "budget", (json_int_t)e->held_budget, "inUse",
                             (json_int_t)e->held_in_use),
                   e->held_license != NULL);
    if (gcp_plan__acts(e))
        fails |= render_changes(p, e);
    if (fails) {
        json_decref(p);
        return NULL;
    }
    return p;
}

static json_t *render_people(const gcp_plan *plan)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < plan->count; i++) {
        json_t *p = render_person(&plan->entries[i]);

        if (p == NULL || json_array_append_new(arr, p) < 0) {
            json_decref(arr);
            return NULL;
        }
    }
    return arr;
}

json_t *gcp_plan__to_json_value(const gcp_plan *plan, int details)
{
    json_t *doc = json_object();
    int fails = doc == NULL;

    if (doc == NULL)
        return NULL;
    fails |= render_set(doc, "counts", render_counts(&plan->counts), 1);
    fails |= render_set(doc, "refused", json_boolean(plan->refused), 1);
    fails |= render_set(doc, "people", render_people(plan), details);
    if (fails) {
        json_decref(doc);
        return NULL;
    }
    return doc;
}

char *gcp_plan_to_json(const gcp_plan *plan, int details)
{
    json_t *doc;
    char *text;

    if (plan == NULL)
        return NULL;
    if ((doc = gcp_plan__to_json_value(plan, details)) == NULL)
        return NULL;
    text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
    json_decref(doc);
    return text;
}

/*
 * plan_render.c: the plan as one JSON document, sorted so that two plans
 * diff well: counts first, then (with details) every person in key order
 * with the steps, fields, division move, grants and licenses that change.
 * docs/plan.md shows the document.
 */
#include <stdlib.h>

#include <jansson.h>

#include "plan_model.h"

static json_t *render_counts(const gcp_plan_counts *c)
{
    return json_pack(
        "{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I,"
        " s:I, s:I, s:I, s:I}",
        "people", (json_int_t)c->people, "create", (json_int_t)c->create,
        "adopt", (json_int_t)c->adopt, "restore", (json_int_t)c->restore,
        "update", (json_int_t)c->update, "deactivate",
        (json_int_t)c->deactivate, "conflict", (json_int_t)c->conflict,
        "invalid", (json_int_t)c->invalid, "held", (json_int_t)c->held,
        "unchanged", (json_int_t)c->unchanged, "moves", (json_int_t)c->moves,
        "grants", (json_int_t)c->grants, "licenses", (json_int_t)c->licenses,
        "releases", (json_int_t)c->releases);
}

/* Appends `v` (stolen); on failure frees the list and returns NULL. */
static json_t *render_push(json_t *arr, json_t *v)
{
    if (arr == NULL) {
        json_decref(v);
        return NULL;
    }
    if (json_array_append_new(arr, v) < 0) {
        json_decref(arr);
        return NULL;
    }
    return arr;
}

static json_t *render_strs(const struct gcp_plan_strs *list)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < list->count; i++)
        arr = render_push(arr, json_string(list->items[i]));
    return arr;
}

static json_t *render_steps(const struct gcp_plan_entry *e)
{
    json_t *arr = json_array();

    if (e->deactivate)
        arr = render_push(arr, json_string("deactivate"));
    if (e->restore)
        arr = render_push(arr, json_string("restore"));
    if (e->create)
        arr = render_push(arr, json_string("create"));
    if (e->adopt || (e->create && e->person->employee_id != NULL))
        arr = render_push(arr, json_string("externalId"));
    return arr;
}

static json_t *render_fields(unsigned fields)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < GCP_PLAN_FIELD_COUNT; i++)
        if (fields & (1u << i))
            arr = render_push(arr, json_string(gcp_plan__field_name(i)));
    return arr;
}

static json_t *render_grants(const struct gcp_plan_grant *grants, size_t count)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < count; i++)
        arr = render_push(arr,
                          json_pack("{s:s, s:s}", "role", grants[i].role->name,
                                    "division", grants[i].division->name));
    return arr;
}

/* The division a user leaves, by name when the snapshot knows it. */
const char *gcp_plan__move_from(const gcp_plan *plan,
                                const struct gcp_plan_entry *e)
{
    const struct gcp_tenant_division *d =
        gcp_tenant__division_by_id(plan->snap, e->user->division_id);

    return d != NULL ? d->name : e->user->division_id;
}

static json_t *render_move(const gcp_plan *plan, const struct gcp_plan_entry *e)
{
    return json_pack("{s:s, s:s, s:s}", "from", gcp_plan__move_from(plan, e),
                     "to", e->move->name, "divisionId", e->move->id);
}

static json_t *render_manager(const struct gcp_plan_entry *e)
{
    if (e->manager != NULL)
        return json_pack("{s:s}", "key", e->manager->person->key);
    return json_pack("{s:s}", "userId", e->manager_id);
}

/* Sets `field` to `value` (stolen); returns -1 when it is NULL. */
static int render_set(json_t *obj, const char *field, json_t *value)
{
    return value != NULL ? json_object_set_new(obj, field, value) : -1;
}

static int render_changes(json_t *p, const gcp_plan *plan,
                          const struct gcp_plan_entry *e)
{
    int fails = 0;

    if (e->deactivate || e->restore || e->create || e->adopt)
        fails |= render_set(p, "steps", render_steps(e));
    if (e->fields != 0)
        fails |= render_set(p, "fields", render_fields(e->fields));
    if (e->fields & GCP_PLAN_F_MANAGER)
        fails |= render_set(p, "manager", render_manager(e));
    if (e->create && e->division_id != NULL)
        fails |= render_set(p, "divisionId", json_string(e->division_id));
    if (e->move != NULL)
        fails |= render_set(p, "move", render_move(plan, e));
    if (e->grant_count > 0)
        fails |=
            render_set(p, "grants", render_grants(e->grants, e->grant_count));
    if (e->licenses.count > 0)
        fails |= render_set(p, "licenses", render_strs(&e->licenses));
    if (e->releases.count > 0)
        fails |= render_set(p, "releases", render_strs(&e->releases));
    return fails;
}

/* The license that held the person back, and the changes that wait. */
static json_t *render_held(const struct gcp_plan_entry *e)
{
    json_t *held = json_pack("{s:s, s:I, s:I}", "license", e->held_license,
                             "budget", (json_int_t)e->held_budget, "inUse",
                             (json_int_t)e->held_in_use);
    int fails = held == NULL;

    if (held != NULL && e->held_grant_count > 0)
        fails |= render_set(held, "grants",
                            render_grants(e->held_grants, e->held_grant_count));
    if (held != NULL && e->held_licenses.count > 0)
        fails |= render_set(held, "licenses", render_strs(&e->held_licenses));
    if (fails) {
        json_decref(held);
        return NULL;
    }
    return held;
}

static json_t *render_person(const gcp_plan *plan,
                             const struct gcp_plan_entry *e)
{
    json_t *p = json_pack("{s:s, s:s}", "key", e->person->key, "outcome",
                          gcp_plan_outcome_name(e->outcome));
    int fails = 0;

    if (p == NULL)
        return NULL;
    if (e->user != NULL)
        fails |= render_set(p, "userId", json_string(e->user->id));
    if (e->problem != NULL)
        fails |= render_set(p, "problem", json_string(e->problem));
    if (e->held_license != NULL)
        fails |= render_set(p, "held", render_held(e));
    if (gcp_plan__acts(e))
        fails |= render_changes(p, plan, e);
    if (fails) {
        json_decref(p);
        return NULL;
    }
    return p;
}

static json_t *render_people(const gcp_plan *plan)
{
    json_t *arr = json_array();

    for (size_t i = 0; arr != NULL && i < plan->count; i++)
        arr = render_push(arr, render_person(plan, &plan->entries[i]));
    return arr;
}

json_t *gcp_plan__to_json_value(const gcp_plan *plan, int details)
{
    json_t *doc = json_object();
    int fails = 0;

    if (doc == NULL)
        return NULL;
    fails |= render_set(doc, "counts", render_counts(&plan->counts));
    fails |= render_set(doc, "refused", json_boolean(plan->refused));
    if (details)
        fails |= render_set(doc, "people", render_people(plan));
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

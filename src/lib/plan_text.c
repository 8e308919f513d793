/*
 * plan_text.c: the plan as lines a person reads: one summary line of
 * counts and, with details, one line per person and change, in key order:
 *
 *   E100 create in 'Home'
 *   E7 move from 'Home' to 'EMEA'
 *   E100 grant 'Agent' in 'EMEA'
 *   E5 conflict: user 'u-other' with email 'ed@x' belongs to key 'E99'
 */
#include <stdio.h>
#include <stdlib.h>

#include "plan_model.h"

static void text_summary(FILE *f, const gcp_plan_counts *c)
{
    fprintf(f,
            "%zu people: %zu create, %zu adopt, %zu restore, %zu update, "
            "%zu deactivate, %zu moves, %zu grants, %zu licenses, "
            "%zu releases, %zu held back, %zu conflicts, %zu invalid, "
            "%zu unchanged\n",
            c->people, c->create, c->adopt, c->restore, c->update,
            c->deactivate, c->moves, c->grants, c->licenses, c->releases,
            c->held, c->conflict, c->invalid, c->unchanged);
}

static void text_fields(FILE *f, const struct gcp_plan_entry *e)
{
    const char *sep = "";

    if (e->fields == 0 || e->create)
        return;
    fprintf(f, "%s update", e->person->key);
    for (size_t i = 0; i < GCP_PLAN_FIELD_COUNT; i++)
        if (e->fields & (1u << i)) {
            fprintf(f, "%s %s", sep, gcp_plan__field_name(i));
            sep = ",";
        }
    fputc('\n', f);
}

static void text_steps(FILE *f, const struct gcp_plan_entry *e)
{
    const char *key = e->person->key;

    if (e->deactivate)
        fprintf(f, "%s deactivate '%s'\n", key, e->user->id);
    if (e->restore)
        fprintf(f, "%s restore '%s'\n", key, e->user->id);
    if (e->create)
        fprintf(f, "%s create '%s'\n", key, e->person->email);
    if (e->adopt)
        fprintf(f, "%s adopt '%s'\n", key, e->user->id);
    else if (e->create && e->person->employee_id != NULL)
        fprintf(f, "%s external id '%s'\n", key, key);
    if ((e->fields & GCP_PLAN_F_MANAGER) && e->manager != NULL)
        fprintf(f, "%s manager '%s', created in this run\n", key,
                e->manager->person->key);
    else if (e->fields & GCP_PLAN_F_MANAGER)
        fprintf(f, "%s manager user '%s'\n", key, e->manager_id);
}

static void text_changes(FILE *f, const gcp_plan *plan,
                         const struct gcp_plan_entry *e)
{
    const char *key = e->person->key;

    text_steps(f, e);
    text_fields(f, e);
    if (e->move != NULL)
        fprintf(f, "%s move from '%s' to '%s'\n", key,
                gcp_plan__move_from(plan, e), e->move->name);
    for (size_t i = 0; i < e->grant_count; i++)
        fprintf(f, "%s grant '%s' in '%s'\n", key, e->grants[i].role->name,
                e->grants[i].division->name);
    for (size_t i = 0; i < e->licenses.count; i++)
        fprintf(f, "%s license '%s'\n", key, e->licenses.items[i]);
    for (size_t i = 0; i < e->releases.count; i++)
        fprintf(f, "%s release '%s'\n", key, e->releases.items[i]);
}

/* The reason a person is held back, then each change that waits. */
static void text_held(FILE *f, const struct gcp_plan_entry *e)
{
    const char *key = e->person->key;

    fprintf(f, "%s held: %s\n", key, e->problem);
    for (size_t i = 0; i < e->held_grant_count; i++)
        fprintf(f, "%s held grant '%s' in '%s'\n", key,
                e->held_grants[i].role->name, e->held_grants[i].division->name);
    for (size_t i = 0; i < e->held_licenses.count; i++)
        fprintf(f, "%s held license '%s'\n", key, e->held_licenses.items[i]);
}

static void text_person(FILE *f, const gcp_plan *plan,
                        const struct gcp_plan_entry *e)
{
    if (e->outcome == GCP_PLAN_UNCHANGED)
        return;
    if (!gcp_plan__acts(e)) {
        fprintf(f, "%s %s: %s\n", e->person->key,
                gcp_plan_outcome_name(e->outcome), e->problem);
        return;
    }
    text_changes(f, plan, e);
    if (e->held_license != NULL)
        text_held(f, e);
}

char *gcp_plan_to_text(const gcp_plan *plan, int details)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f;
    int failed;

    if (plan == NULL || (f = open_memstream(&text, &size)) == NULL)
        return NULL;
    if (plan->refused)
        fputs("refused: people would be held back and seats are strict\n", f);
    text_summary(f, &plan->counts);
    for (size_t i = 0; details && i < plan->count; i++)
        text_person(f, plan, &plan->entries[i]);
    failed = ferror(f);
    if (fclose(f) != 0 || failed) {
        free(text);
        return NULL;
    }
    return text;
}

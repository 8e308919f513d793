/*
 * batch_journal.c: what apply writes in the journal before each request:
 * one intent per change, so that a grant or license call for a hundred
 * people records a hundred steps and each can be reconciled on its own.
 */
#include "batch.h"

gcp_journal_step gcp_batch__step(enum gcp_batch_kind kind)
{
    static const gcp_journal_step steps[GCP_BATCH_KIND_COUNT] = {
        [GCP_BATCH_DEACTIVATE] = GCP_STEP_DEACTIVATE,
        [GCP_BATCH_RELEASE] = GCP_STEP_RELEASE,
        [GCP_BATCH_RESTORE] = GCP_STEP_RESTORE,
        [GCP_BATCH_CREATE] = GCP_STEP_CREATE,
        [GCP_BATCH_EXTID] = GCP_STEP_EXTERNALID,
        [GCP_BATCH_PATCH] = GCP_STEP_UPDATE,
        [GCP_BATCH_MOVE] = GCP_STEP_MOVE,
        [GCP_BATCH_GRANT] = GCP_STEP_GRANT,
        [GCP_BATCH_LICENSE] = GCP_STEP_LICENSE,
    };

    return (unsigned)kind < GCP_BATCH_KIND_COUNT ? steps[kind]
                                                 : GCP_STEP_UPDATE;
}

/* The user id of a person: the snapshot's, or the one apply learned. */
static const char *batch_user_id(const struct gcp_plan_entry *e,
                                 gcp_batch_lookup_fn lookup, void *payload)
{
    const char *id = NULL;
    long version;

    if (e->user != NULL)
        return e->user->id;
    if (lookup == NULL || lookup(&id, &version, e->person->key, payload) < 0)
        return NULL;
    return id;
}

void gcp_batch__intents(gcp_journal_intent *out,
                        const struct gcp_batch_request *req,
                        const gcp_plan *plan, gcp_batch_lookup_fn lookup,
                        void *payload)
{
    for (size_t i = 0; i < req->change_count; i++) {
        const struct gcp_batch_change *c = &req->changes[i];
        const struct gcp_plan_entry *e = &plan->entries[c->entry];
        gcp_journal_intent intent = GCP_JOURNAL_INTENT_INIT;

        intent.person_key = e->person->key;
        intent.step = gcp_batch__step(req->kind);
        intent.user_id = batch_user_id(e, lookup, payload);
        intent.target = c->target;
        intent.scope = c->scope;
        out[i] = intent;
    }
}

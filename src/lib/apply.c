/*
 * apply.c: the journal around a batch run (see apply.h). Every change is
 * one journal step: its intent is durable before the request is sent, its
 * result after; an outcome the client could not know (a lost reply) stays
 * UNKNOWN, for the next run to reconcile against the tenant.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "clock.h"
#include "apply.h"
/* Makes room for `count` steps in the wave's arrays. */
static int apply_reserve(struct gcp_apply_slot *w, size_t count)
{
    int64_t *steps;
    gcp_journal_result *results;
    unsigned char *reconciled, *has_user;

    if (count <= w->step_cap)
        return 0;
    if ((steps = realloc(w->steps, count * sizeof(*steps))) != NULL)
        w->steps = steps;
    if ((results = realloc(w->results, count * sizeof(*results))) != NULL)
        w->results = results;
    if ((reconciled = realloc(w->reconciled, count)) != NULL)
        w->reconciled = reconciled;
    if ((has_user = realloc(w->has_user, count)) != NULL)
        w->has_user = has_user;
    if (steps == NULL || results == NULL || reconciled == NULL ||
        has_user == NULL)
        return GCP_ENOMEM;
    w->step_cap = count;
    return 0;
}

int gcp_apply__before(const struct gcp_batch_request *const *reqs, size_t count,
                      gcp_batch_lookup_fn lookup, void *lookup_payload,
                      int slot, void *payload)
{
    struct gcp_apply *a = payload;
    struct gcp_apply_slot *w = &a->slots[slot];
    gcp_journal_intent *intents;
    size_t total = 0;
    double started = gcp_clock__now();
    int error;

    for (size_t i = 0; i < count; i++)
        total += reqs[i]->change_count;
    if ((error = apply_reserve(w, total)) != 0 ||
        (intents = calloc(total + 1, sizeof(*intents))) == NULL)
        return GCP_ENOMEM;
    for (size_t i = 0, at = 0; i < count; at += reqs[i++]->change_count)
        gcp_batch__intents(intents + at, reqs[i], a->plan, lookup,
                           lookup_payload);
    for (size_t i = 0; i < total; i++)
        w->has_user[i] = intents[i].user_id != NULL;
    error = gcp_journal_intents(w->steps, a->journal, a->run, intents, total);
    free(intents);
    w->step_count = total;
    w->reported = 0;
    a->journal_seconds += gcp_clock__now() - started;
    return error;
}

static gcp_journal_state apply_state(int code)
{
    if (code == 0)
        return GCP_STATE_DONE;
    return code == GCP_EUNKNOWN ? GCP_STATE_UNKNOWN : GCP_STATE_FAILED;
}

int gcp_apply__after(const struct gcp_batch_request *req, size_t change,
                     int code, const char *user_id,
                     const struct gcp_batch_reply *reply, int slot,
                     void *payload)
{
    struct gcp_apply *a = payload;
    struct gcp_apply_slot *w;
    gcp_journal_result result = GCP_JOURNAL_RESULT_INIT;

    if (a->track != NULL)
        gcp_progress__change(a->track, req->changes[change].entry, code);
    /* A change skipped before sending has no intent: nothing to record. */
    if (slot < 0)
        return 0;
    w = &a->slots[slot];
    if (w->reported >= w->step_count)
        return GCP_ERROR; /* the runner broke its contract */
    /* Settled by a look-up: the attempt stays on record as reconciled. */
    result.state = reply->reconciled ? GCP_STATE_UNKNOWN : apply_state(code);
    /* A user's id never changes: what the intent holds is kept, and the
     * journal can record a request's results in one statement. */
    result.user_id = w->has_user[w->reported] ? NULL : user_id;
    result.http_status = (int)reply->status;
    result.error_code = reply->error_code;
    result.message = reply->message;
    result.correlation_id = reply->correlation_id;
    w->reconciled[w->reported] = (unsigned char)reply->reconciled;
    w->results[w->reported++] = result;
    return 0;
}

/* Marks the wave's steps settled by a look-up as done, with their user. */
static int apply_settle(struct gcp_apply *a, struct gcp_apply_slot *w)
{
    int error = 0;

    for (size_t i = 0; i < w->reported && error == 0; i++)
        if (w->reconciled[i])
            error = gcp_journal_reconcile(a->journal, w->steps[i], a->run, 1,
                                          w->results[i].user_id);
    return error;
}

int gcp_apply__end(int slot, void *payload)
{
    struct gcp_apply *a = payload;
    struct gcp_apply_slot *w = &a->slots[slot];
    double started = gcp_clock__now();
    int error;

    if ((error = gcp_journal_begin(a->journal)) == 0) {
        error =
            gcp_journal_results(a->journal, w->steps, w->results, w->reported);
        if (error == 0)
            error = apply_settle(a, w);
        if (error == 0)
            error = gcp_journal_commit(a->journal);
        else
            gcp_journal_rollback(a->journal);
    }
    w->step_count = w->reported = 0;
    a->journal_seconds += gcp_clock__now() - started;
    return error;
}

/* Returns the plan's entry for `key`, or NULL. */
static const struct gcp_plan_entry *apply_entry(const gcp_plan *plan,
                                                const char *key)
{
    for (size_t lo = 0, hi = plan->count; lo < hi;) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(plan->entries[mid].person->key, key);

        if (c == 0)
            return &plan->entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Returns non-zero when the plan still wants the step's change. */
static int apply_still_wanted(const gcp_plan *plan,
                              const gcp_journal_step_row *row)
{
    const struct gcp_plan_entry *e = apply_entry(plan, row->person_key);

    if (e == NULL || !gcp_plan__acts(e))
        return 0;
    switch (row->step) {
    case GCP_STEP_CREATE:
        return e->create;
    case GCP_STEP_EXTERNALID:
        return e->adopt || (e->create && e->person->employee_id != NULL);
    case GCP_STEP_UPDATE:
        return e->fields != 0;
    case GCP_STEP_RESTORE:
        return e->restore;
    case GCP_STEP_DEACTIVATE:
        return e->deactivate;
    case GCP_STEP_GRANT: /* held back for seats too: still not done */
        return gcp_plan__wants_grant(e, row->target, row->scope);
    case GCP_STEP_LICENSE:
        return gcp_plan__wants_license(e, row->target);
    case GCP_STEP_RELEASE:
        return row->target != NULL &&
               gcp_plan__strs_has(&e->releases, row->target);
    case GCP_STEP_MOVE:
        return e->move != NULL && row->target != NULL &&
               strcmp(e->move->id, row->target) == 0;
    }
    return 0;
}

int gcp_apply__reconcile(gcp_journal *journal, int64_t run,
                         const gcp_plan *plan)
{
    gcp_journal_steps *open = NULL;
    int error = gcp_journal_unresolved(&open, journal);

    for (size_t i = 0; error == 0 && i < gcp_journal_steps_count(open); i++) {
        const gcp_journal_step_row *row = gcp_journal_steps_get(open, i);
        const struct gcp_plan_entry *e = apply_entry(plan, row->person_key);

        error = gcp_journal_reconcile(
            journal, row->id, run, !apply_still_wanted(plan, row),
            e != NULL && e->user != NULL ? e->user->id : row->user_id);
    }
    gcp_journal_steps_free(open);
    return error;
}

/* The keys of the people in the journal's queue, as a set. */
static int apply_queued(json_t **out, gcp_journal *journal)
{
    gcp_journal_pending *queue = NULL;
    int error = gcp_journal_pending_list(&queue, journal);

    *out = error == 0 ? json_object() : NULL;
    if (error == 0 && *out == NULL)
        error = GCP_ENOMEM;
    for (size_t i = 0; error == 0 && i < gcp_journal_pending_count(queue); i++)
        if (json_object_set_new(*out,
                                gcp_journal_pending_get(queue, i)->person_key,
                                json_true()) != 0)
            error = GCP_ENOMEM;
    gcp_journal_pending_free(queue);
    return error;
}

/*
 * Queues the people held back, and takes out of the queue the queued
 * ones now served, in the open batch.
 */
static int apply_queue(gcp_journal *journal, int64_t run, const gcp_plan *plan,
                       const json_t *queued)
{
    int error = 0;

    for (size_t i = 0; i < plan->count && error == 0; i++) {
        const struct gcp_plan_entry *e = &plan->entries[i];

        if (e->held_license != NULL)
            error = gcp_journal_pending_add(journal, run, e->person->key,
                                            e->held_license, GCP_PENDING_BUDGET,
                                            e->problem);
        else if (e->seats.count > 0 && gcp_plan__acts(e) &&
                 json_object_get(queued, e->person->key) != NULL)
            error = gcp_journal_pending_done(journal, e->person->key, NULL);
    }
    return error;
}

int gcp_apply__pending(gcp_journal *journal, int64_t run, const gcp_plan *plan)
{
    json_t *queued = NULL;
    int error = apply_queued(&queued, journal);

    if (error == 0)
        error = gcp_journal_begin(journal);
    /* One commit for the whole queue, not one per person. */
    if (error == 0 && (error = apply_queue(journal, run, plan, queued)) != 0)
        gcp_journal_rollback(journal);
    else if (error == 0)
        error = gcp_journal_commit(journal);
    json_decref(queued);
    return error;
}

void gcp_apply__clear(struct gcp_apply *a)
{
    for (int i = 0; i < 2; i++) {
        struct gcp_apply_slot *w = &a->slots[i];

        gcp_tenant__sender_free(&w->sender);
        free(w->steps);
        free(w->results);
        free(w->reconciled);
        free(w->has_user);
        memset(w, 0, sizeof(*w));
    }
}

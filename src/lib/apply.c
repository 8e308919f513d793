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

#include "apply.h"

/* How long a just-created user may be unknown to other calls [U]. */
#define APPLY_LAG_TRIES    8
#define APPLY_LAG_FIRST_MS 100
#define APPLY_LAG_MAX_MS   3200

/* Returns non-zero when a license call's reply names an unknown user. */
static int apply_user_unknown(const struct gcp_batch_reply *reply)
{
    size_t i;
    json_t *c;

    json_array_foreach(reply->json, i, c)
    {
        const char *r = json_string_value(json_object_get(c, "result"));

        if (r != NULL && strcasecmp(r, "UserNotFound") == 0)
            return 1;
    }
    return 0;
}

/* True when the reply says a user the request names is not there yet. */
static int apply_lagging(const struct gcp_batch_request *req,
                         const struct gcp_batch_reply *reply)
{
    if (req->kind == GCP_BATCH_CREATE)
        return 0;
    return reply->code == GCP_ENOTFOUND ||
           (reply->code == 0 && req->kind == GCP_BATCH_LICENSE &&
            apply_user_unknown(reply));
}

static void apply_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    nanosleep(&ts, NULL);
}

/*
 * Sends through the client. A user just created may answer 404 (or a
 * license result UserNotFound) for a moment: such a request is sent again
 * after 0.1, 0.2, ... 3.2 s, about 6 s in all, before its failure stands.
 * Every request retried so is idempotent: only creates are not; a create
 * that fails unknown or in conflict is settled by gcp_apply__found.
 */
int gcp_apply__send(struct gcp_batch_reply *out,
                    const struct gcp_batch_request *req, const char *path,
                    json_t *body, void *payload)
{
    struct gcp_apply *a = payload;
    long wait = APPLY_LAG_FIRST_MS;
    int code;

    a->found = 0;
    code = gcp_tenant__client_send(out, req, path, body, &a->sender);

    for (int i = 1; i < APPLY_LAG_TRIES && apply_lagging(req, out); i++) {
        json_decref(out->json);
        memset(out, 0, sizeof(*out));
        apply_sleep_ms(wait);
        wait = wait * 2 > APPLY_LAG_MAX_MS ? APPLY_LAG_MAX_MS : wait * 2;
        code = gcp_tenant__client_send(out, req, path, body, &a->sender);
    }
    return code == 0 ? 0 : gcp_apply__found(out, req, a);
}

int gcp_apply__before(const struct gcp_batch_request *req, void *payload)
{
    struct gcp_apply *a = payload;
    gcp_journal_intent *intents;
    int error;

    if (req->change_count > a->step_cap) {
        int64_t *grown = realloc(a->steps, req->change_count * sizeof(*grown));

        if (grown == NULL)
            return a->error = GCP_ENOMEM;
        a->steps = grown;
        a->step_cap = req->change_count;
    }
    if ((intents = calloc(req->change_count + 1, sizeof(*intents))) == NULL)
        return a->error = GCP_ENOMEM;
    gcp_batch__intents(intents, req, a->plan, NULL, NULL);
    error = gcp_journal_intents(a->steps, a->journal, a->run, intents,
                                req->change_count);
    free(intents);
    return error != 0 ? (a->error = error) : 0;
}

static gcp_journal_state apply_state(int code)
{
    if (code == 0)
        return GCP_STATE_DONE;
    return code == GCP_EUNKNOWN ? GCP_STATE_UNKNOWN : GCP_STATE_FAILED;
}

int gcp_apply__after(const struct gcp_batch_request *req, size_t change,
                     int code, const char *user_id,
                     const struct gcp_batch_reply *reply, void *payload)
{
    struct gcp_apply *a = payload;
    gcp_journal_result result = GCP_JOURNAL_RESULT_INIT;
    int error;

    /* A change skipped before sending has no intent: nothing to record. */
    if (code == GCP_ENOTFOUND && reply->status == 0) {
        a->failed++;
        return 0;
    }
    /* Settled by a look-up: the attempt stays on record as reconciled. */
    result.state = a->found ? GCP_STATE_UNKNOWN : apply_state(code);
    result.user_id = user_id;
    result.http_status = (int)reply->status;
    result.error_code = reply->error_code;
    result.message = reply->message;
    result.correlation_id = reply->correlation_id;
    a->failed += code != 0;
    error = gcp_journal_results(a->journal, &a->steps[change], &result, 1);
    if (error == 0 && a->found)
        error = gcp_journal_reconcile(a->journal, a->steps[change], a->run, 1,
                                      user_id);
    return error != 0 ? (a->error = error) : 0;
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

static int apply_wants_grant(const struct gcp_plan_entry *e, const char *role,
                             const char *division)
{
    for (size_t i = 0; i < e->grant_count; i++)
        if (role != NULL && division != NULL &&
            strcmp(e->grants[i].role->id, role) == 0 &&
            strcmp(e->grants[i].division->id, division) == 0)
            return 1;
    return 0;
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
    case GCP_STEP_GRANT:
        return apply_wants_grant(e, row->target, row->scope);
    case GCP_STEP_LICENSE:
        return row->target != NULL &&
               gcp_plan__strs_has(&e->licenses, row->target);
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

int gcp_apply__pending(gcp_journal *journal, int64_t run, const gcp_plan *plan)
{
    int error = 0;

    for (size_t i = 0; i < plan->count && error == 0; i++) {
        const struct gcp_plan_entry *e = &plan->entries[i];

        if (e->held_license != NULL)
            error = gcp_journal_pending_add(journal, run, e->person->key,
                                            e->held_license, GCP_PENDING_BUDGET,
                                            e->problem);
        else if (e->seats.count > 0 && gcp_plan__acts(e))
            error = gcp_journal_pending_done(journal, e->person->key, NULL);
    }
    return error;
}

void gcp_apply__clear(struct gcp_apply *a)
{
    gcp_tenant__sender_clear(&a->sender);
    free(a->steps);
    a->steps = NULL;
    a->step_cap = 0;
}

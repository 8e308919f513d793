/*
 * pace.c: a token bucket holding little more than one request, so starts
 * are spread evenly and never burst past a fixed or sliding window; the
 * quarter over one keeps a start that was a few milliseconds late from
 * lowering the rate for good. After a 429 the rate drops by a
 * multiplicative step and climbs back linearly once no 429 has been seen
 * for PACE_QUIET seconds: a steady run settles just under the limit
 * instead of oscillating across it.
 */
#include "pace.h"

#define PACE_BURST   1.25 /* bucket capacity, in requests */
#define PACE_CUT     0.7  /* rate kept after a 429 */
#define PACE_FLOOR   0.1  /* lowest rate, as a share of the limit */
#define PACE_QUIET   15.0 /* seconds without 429 before recovering */
#define PACE_RECOVER 0.02 /* share of the limit regained per second */
#define PACE_SLACK   1e-6 /* rounding: a slot due now is not refused */

void gcp_pace__init(struct gcp_pace *p, double per_minute, double now)
{
    p->limit = per_minute / 60.0;
    p->rate = p->limit;
    p->tokens = PACE_BURST;
    p->last = now;
    p->paused_until = now;
    p->throttled_at = -1.0;
}

static void pace_refill(struct gcp_pace *p, double now);

void gcp_pace__set_limit(struct gcp_pace *p, double per_minute, double now)
{
    double share = p->rate / p->limit;

    pace_refill(p, now);
    p->limit = per_minute / 60.0;
    p->rate = p->limit * share;
}

/* Brings the rate and the bucket up to `now`. */
static void pace_refill(struct gcp_pace *p, double now)
{
    double elapsed = now - p->last;

    if (elapsed <= 0)
        return;
    if (p->rate < p->limit && now - p->throttled_at > PACE_QUIET) {
        p->rate += p->limit * PACE_RECOVER * elapsed;
        if (p->rate > p->limit)
            p->rate = p->limit;
    }
    p->tokens += elapsed * p->rate;
    if (p->tokens > PACE_BURST)
        p->tokens = PACE_BURST;
    p->last = now;
}

double gcp_pace__take(struct gcp_pace *p, double now)
{
    if (now < p->paused_until)
        return p->paused_until - now;
    pace_refill(p, now);
    if (p->tokens >= 1.0 - PACE_SLACK) {
        p->tokens -= 1.0;
        return 0;
    }
    return (1.0 - p->tokens) / p->rate;
}

void gcp_pace__throttled(struct gcp_pace *p, double now, double retry_after)
{
    pace_refill(p, now);
    p->rate *= PACE_CUT;
    if (p->rate < p->limit * PACE_FLOOR)
        p->rate = p->limit * PACE_FLOOR;
    p->tokens = 0;
    p->throttled_at = now;
    if (retry_after > 0 && now + retry_after > p->paused_until) {
        p->paused_until = now + retry_after;
        p->last = p->paused_until;
    }
}

double gcp_pace__per_minute(const struct gcp_pace *p)
{
    return p->rate * 60.0;
}

/*
 * pace.h: the client-side token bucket that keeps the request rate at the
 * tenant's limit. Times are seconds on a monotonic clock, passed in so that
 * tests can drive the clock. Not locked: the owner serialises calls.
 */
#ifndef GCP_PACE_H
#define GCP_PACE_H

struct gcp_pace {
    double limit;        /* target requests per second */
    double rate;         /* current rate: the limit, or lower after a 429 */
    double tokens;       /* requests that may start now, at most 1.25 */
    double last;         /* when tokens was last brought up to date */
    double paused_until; /* no request starts before this (Retry-After) */
    double throttled_at; /* the last 429, or a negative number */
};

/* Starts a bucket at `per_minute` requests per minute (> 0), full. */
void gcp_pace__init(struct gcp_pace *p, double per_minute, double now);

/*
 * Changes the limit to `per_minute` (> 0) without refilling the bucket,
 * so a request just made still counts. A lowered rate keeps its share.
 */
void gcp_pace__set_limit(struct gcp_pace *p, double per_minute, double now);

/*
 * Takes one request slot. Returns 0 when the request may start now, or
 * the seconds to wait before asking again (nothing taken).
 */
double gcp_pace__take(struct gcp_pace *p, double now);

/*
 * Records a 429: no request starts for `retry_after` seconds (0 when the
 * reply had none) and the rate drops, recovering after a quiet while.
 */
void gcp_pace__throttled(struct gcp_pace *p, double now, double retry_after);

/* Returns the current rate in requests per minute. */
double gcp_pace__per_minute(const struct gcp_pace *p);

#endif

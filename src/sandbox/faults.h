/*
 * faults.h: the sandbox's load and fault engine: the dice behind
 * --fail-rate, --reset-rate and --lost-reply-rate (seeded, so a run can be
 * repeated), the latency, and the per-token rate limiter. It knows nothing
 * of HTTP or of the org; the server asks it what to do with each request.
 */
#ifndef SBX_FAULTS_H
#define SBX_FAULTS_H

#include "sandbox.h"

struct sbx_engine;

/* A new engine with knobs `f` and dice seeded with `seed`; NULL on OOM. */
struct sbx_engine *sbx_engine_new(const struct sbx_faults *f,
                                  unsigned long seed);

/* Frees the engine; NULL is accepted. */
void sbx_engine_free(struct sbx_engine *e);

/* Replaces the knobs (the rate counters are kept). */
void sbx_engine_set(struct sbx_engine *e, const struct sbx_faults *f);

/* Copies the current knobs into *out. */
void sbx_engine_get(struct sbx_engine *e, struct sbx_faults *out);

enum sbx_fault {
    SBX_FAULT_FAIL,  /* --fail-rate */
    SBX_FAULT_RESET, /* --reset-rate */
    SBX_FAULT_LOST,  /* --lost-reply-rate */
};

/* Rolls the dice for one fault: non-zero when it strikes this request. */
int sbx_engine_strikes(struct sbx_engine *e, enum sbx_fault which);

/* The latency to add before replying, in milliseconds. */
long sbx_engine_latency(struct sbx_engine *e);

/*
 * Counts one request for `token` at `now` (s). Returns 0 when allowed, or
 * 1 when over the limit, with *out_retry_after the whole seconds until the
 * window ends and *out_per_minute the limit scaled to a minute.
 */
int sbx_engine_admit(struct sbx_engine *e, const char *token, double now,
                     long *out_retry_after, long *out_per_minute);

/* The limit scaled to requests per minute; 0 when the limit is off. */
long sbx_faults_per_minute(const struct sbx_faults *f);

#endif

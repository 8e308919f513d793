/*
 * faults.c: the knobs (defaults, JSON form) and the engine that applies
 * them: seeded dice, latency and a fixed-window rate limiter per token.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "faults.h"

struct sbx_engine {
    pthread_mutex_t lock;
    struct sbx_faults knobs;
    unsigned short dice[3];
    json_t *windows; /* token -> [window start (s), count] */
};

void sbx_faults_init(struct sbx_faults *f)
{
    memset(f, 0, sizeof(*f));
    f->rate_limit = 300;
    f->rate_window = 60;
    f->token_lifetime = 86400;
    f->search_lag = 3;
    f->retry_after = 1;
}

void sbx_config_init(struct sbx_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->listen = "127.0.0.1:0";
    cfg->fault_seed = 1;
    cfg->idle_timeout = 30;
    cfg->max_connections = 256;
    cfg->log_min = GCP_LOG_INFO;
    sbx_faults_init(&cfg->faults);
}

long sbx_faults_per_minute(const struct sbx_faults *f)
{
    if (f->rate_limit <= 0 || f->rate_window <= 0)
        return 0;
    return (long)((double)f->rate_limit * 60.0 / f->rate_window + 0.5);
}

/* --- JSON form ------------------------------------------------------------ */

/* One numeric knob: its JSON name, where it lives, its range. */
struct knob {
    const char *name;
    size_t offset;
    int is_long;
    double min, max;
};

static const struct knob knobs[] = {
    {"rate-limit", offsetof(struct sbx_faults, rate_limit), 1, 0, 1e9},
    {"rate-window", offsetof(struct sbx_faults, rate_window), 0, 0.001, 86400},
    {"latency", offsetof(struct sbx_faults, latency_ms), 1, 0, 60000},
    {"fail-rate", offsetof(struct sbx_faults, fail_rate), 0, 0, 1},
    {"lost-reply-rate", offsetof(struct sbx_faults, lost_reply_rate), 0, 0, 1},
    {"reset-rate", offsetof(struct sbx_faults, reset_rate), 0, 0, 1},
    {"token-lifetime", offsetof(struct sbx_faults, token_lifetime), 1, 1, 1e9},
    {"search-lag", offsetof(struct sbx_faults, search_lag), 0, 0, 86400},
    {"create-lag", offsetof(struct sbx_faults, create_lag), 0, 0, 86400},
    {"retry-after", offsetof(struct sbx_faults, retry_after), 1, 0, 1},
    {"deleted-external-ids", offsetof(struct sbx_faults, deleted_extids), 1, 0,
     1},
};

#define KNOB_COUNT (sizeof(knobs) / sizeof(knobs[0]))

static const struct knob *knob_find(const char *name)
{
    for (size_t i = 0; i < KNOB_COUNT; i++)
        if (strcmp(knobs[i].name, name) == 0)
            return &knobs[i];
    return NULL;
}

static int merge_knob(struct sbx_faults *f, const struct knob *k,
                      const json_t *value, struct gcp_err *err)
{
    double v = json_number_value(value);
    char *at = (char *)f + k->offset;

    if (!json_is_number(value) || v < k->min || v > k->max ||
        (k->is_long && v != (double)(long)v))
        return gcp_err__set(err, GCP_EINVALID,
                            "'%s' must be a number from %g to %g%s", k->name,
                            k->min, k->max, k->is_long ? ", whole" : "");
    if (k->is_long)
        *(long *)(void *)at = (long)v;
    else
        *(double *)(void *)at = v;
    return 0;
}

/* "seats": {"LICENSE": N, ...} replaces every seat limit. */
static int merge_seats(struct sbx_faults *f, const json_t *seats,
                       struct gcp_err *err)
{
    const char *license;
    json_t *n;

    if (!json_is_object(seats))
        return gcp_err__set(err, GCP_EINVALID,
                            "'seats' must be an object of license to seats");
    f->seat_count = 0;
    json_object_foreach((json_t *)seats, license, n)
    {
        struct sbx_seat *s = &f->seats[f->seat_count];

        if (!json_is_integer(n) || json_integer_value(n) < 0 ||
            strlen(license) >= sizeof(s->license) ||
            f->seat_count == SBX_MAX_SEATS)
            return gcp_err__set(err, GCP_EINVALID,
                                "seats of '%s' must be a whole number >= 0",
                                license);
        strcpy(s->license, license);
        s->seats = (long)json_integer_value(n);
        f->seat_count++;
    }
    return 0;
}

int sbx_faults_merge(struct sbx_faults *f, const json_t *json,
                     struct gcp_err *err)
{
    struct sbx_faults next = *f;
    const char *key;
    json_t *value;
    int rc;

    if (!json_is_object(json))
        return gcp_err__set(err, GCP_EINVALID, "faults must be a JSON object");
    json_object_foreach((json_t *)json, key, value)
    {
        const struct knob *k = knob_find(key);

        if (strcmp(key, "seats") == 0)
            rc = merge_seats(&next, value, err);
        else if (k != NULL)
            rc = merge_knob(&next, k, value, err);
        else
            rc =
                gcp_err__set(err, GCP_EINVALID, "unknown fault knob '%s'", key);
        if (rc < 0)
            return rc;
    }
    *f = next;
    return 0;
}

json_t *sbx_faults_to_json(const struct sbx_faults *f)
{
    json_t *out = json_object();
    json_t *seats = json_object();

    for (size_t i = 0; out != NULL && i < KNOB_COUNT; i++) {
        const char *at = (const char *)f + knobs[i].offset;
        json_t *v = knobs[i].is_long
                        ? json_integer(*(const long *)(const void *)at)
                        : json_real(*(const double *)(const void *)at);
        json_object_set_new(out, knobs[i].name, v);
    }
    for (size_t i = 0; seats != NULL && i < f->seat_count; i++)
        json_object_set_new(seats, f->seats[i].license,
                            json_integer(f->seats[i].seats));
    json_object_set_new(out, "seats", seats);
    return out;
}

/* --- The engine -------------------------------------------------------------
 */

struct sbx_engine *sbx_engine_new(const struct sbx_faults *f,
                                  unsigned long seed)
{
    struct sbx_engine *e = calloc(1, sizeof(*e));

    if (e == NULL)
        return NULL;
    e->windows = json_object();
    if (e->windows == NULL) {
        free(e);
        return NULL;
    }
    pthread_mutex_init(&e->lock, NULL);
    e->knobs = *f;
    e->dice[0] = 0x330e;
    e->dice[1] = (unsigned short)(seed & 0xffff);
    e->dice[2] = (unsigned short)((seed >> 16) & 0xffff);
    return e;
}

void sbx_engine_free(struct sbx_engine *e)
{
    if (e == NULL)
        return;
    json_decref(e->windows);
    pthread_mutex_destroy(&e->lock);
    free(e);
}

void sbx_engine_set(struct sbx_engine *e, const struct sbx_faults *f)
{
    pthread_mutex_lock(&e->lock);
    e->knobs = *f;
    pthread_mutex_unlock(&e->lock);
}

void sbx_engine_get(struct sbx_engine *e, struct sbx_faults *out)
{
    pthread_mutex_lock(&e->lock);
    *out = e->knobs;
    pthread_mutex_unlock(&e->lock);
}

int sbx_engine_strikes(struct sbx_engine *e, enum sbx_fault which)
{
    double p;
    int hit;

    pthread_mutex_lock(&e->lock);
    p = which == SBX_FAULT_FAIL    ? e->knobs.fail_rate
        : which == SBX_FAULT_RESET ? e->knobs.reset_rate
                                   : e->knobs.lost_reply_rate;
    /* No roll when off, so that a zero rate leaves the dice untouched. */
    hit = p > 0 && erand48(e->dice) < p;
    pthread_mutex_unlock(&e->lock);
    return hit;
}

long sbx_engine_latency(struct sbx_engine *e)
{
    long ms;

    pthread_mutex_lock(&e->lock);
    ms = e->knobs.latency_ms;
    pthread_mutex_unlock(&e->lock);
    return ms;
}

int sbx_engine_admit(struct sbx_engine *e, const char *token, double now,
                     long *out_retry_after, long *out_per_minute)
{
    json_t *w;
    double start;
    json_int_t count;
    int limited = 0;

    pthread_mutex_lock(&e->lock);
    if (e->knobs.rate_limit <= 0)
        goto cleanup;
    w = json_object_get(e->windows, token);
    start = json_real_value(json_array_get(w, 0));
    count = json_integer_value(json_array_get(w, 1));
    if (w == NULL || now >= start + e->knobs.rate_window) {
        start = now;
        count = 0;
    }
    if (count >= e->knobs.rate_limit) {
        limited = 1;
        /* Whole seconds, rounded up, until the window ends. */
        *out_retry_after = (long)(start + e->knobs.rate_window - now + 0.999);
        if (*out_retry_after < 1)
            *out_retry_after = 1;
        /* Some gateways send a 429 without it: clients must back off. */
        if (!e->knobs.retry_after)
            *out_retry_after = 0;
        *out_per_minute = sbx_faults_per_minute(&e->knobs);
        goto cleanup;
    }
    json_object_set_new(e->windows, token,
                        json_pack("[f, I]", start, count + 1));

cleanup:
    pthread_mutex_unlock(&e->lock);
    return limited;
}

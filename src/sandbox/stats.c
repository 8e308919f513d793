/*
 * stats.c: what GET /_sandbox/stats reports: requests per method and route
 * template ("POST /api/v2/users"), replies per status, and events (tokens
 * issued, 429s, injected faults). Tests read it to check what a client did.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "server.h"

struct sbx_stats {
    pthread_mutex_t lock;
    json_t *routes;   /* "METHOD template" -> count */
    json_t *statuses; /* "200" -> count */
    json_t *events;   /* name -> count */
    json_int_t total;
};

static void counter_bump(json_t *obj, const char *key)
{
    json_t *n = json_object_get(obj, key);

    json_object_set_new(obj, key, json_integer(json_integer_value(n) + 1));
}

struct sbx_stats *sbx_stats_new(void)
{
    struct sbx_stats *st = calloc(1, sizeof(*st));

    if (st == NULL)
        return NULL;
    pthread_mutex_init(&st->lock, NULL);
    st->routes = json_object();
    st->statuses = json_object();
    st->events = json_object();
    if (!st->routes || !st->statuses || !st->events) {
        sbx_stats_free(st);
        return NULL;
    }
    return st;
}

void sbx_stats_free(struct sbx_stats *st)
{
    if (st == NULL)
        return;
    json_decref(st->routes);
    json_decref(st->statuses);
    json_decref(st->events);
    pthread_mutex_destroy(&st->lock);
    free(st);
}

void sbx_stats_clear(struct sbx_stats *st)
{
    pthread_mutex_lock(&st->lock);
    json_object_clear(st->routes);
    json_object_clear(st->statuses);
    json_object_clear(st->events);
    st->total = 0;
    pthread_mutex_unlock(&st->lock);
}

void sbx_stats_route(struct sbx_stats *st, const char *method, const char *path)
{
    char key[256];

    snprintf(key, sizeof(key), "%s %s", method, path);
    pthread_mutex_lock(&st->lock);
    counter_bump(st->routes, key);
    st->total++;
    pthread_mutex_unlock(&st->lock);
}

void sbx_stats_status(struct sbx_stats *st, int status)
{
    char key[16];

    snprintf(key, sizeof(key), "%d", status);
    pthread_mutex_lock(&st->lock);
    counter_bump(st->statuses, key);
    pthread_mutex_unlock(&st->lock);
}

void sbx_stats_event(struct sbx_stats *st, const char *name)
{
    pthread_mutex_lock(&st->lock);
    counter_bump(st->events, name);
    pthread_mutex_unlock(&st->lock);
}

json_t *sbx_stats_json(struct sbx_stats *st)
{
    json_t *out;

    pthread_mutex_lock(&st->lock);
    /* "O": new references, then deep-copied below outside the counters. */
    out = json_pack(
        "{s:I, s:O, s:O, s:I, s:I, s:O}", "requests", st->total, "routes",
        st->routes, "statuses", st->statuses, "tokensIssued",
        json_integer_value(json_object_get(st->events, "tokensIssued")),
        "rateLimited",
        json_integer_value(json_object_get(st->events, "rateLimited")),
        "events", st->events);
    if (out != NULL) {
        json_t *copy = json_deep_copy(out);
        json_decref(out);
        out = copy;
    }
    pthread_mutex_unlock(&st->lock);
    return out;
}

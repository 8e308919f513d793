/*
 * pipeline.c: what every request goes through, with or without a socket.
 * Match a route, then (API routes only) latency, --reset-rate,
 * --fail-rate, the bearer token, the rate limit, the permission and the
 * content type, then the handler, then --lost-reply-rate. server.c feeds
 * it from libmicrohttpd; sbx_handle_raw feeds it from plain strings, so
 * that unit tests and fuzzers drive the routes against a model in memory.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "server.h"

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void new_correlation_id(struct sbx *s, char out[37])
{
    unsigned long a, b, c;

    pthread_mutex_lock(&s->id_lock);
    a = (unsigned long)nrand48(s->id_rng);
    b = (unsigned long)nrand48(s->id_rng);
    c = (unsigned long)nrand48(s->id_rng);
    pthread_mutex_unlock(&s->id_lock);
    snprintf(out, 37, "%08lx-%04lx-4%03lx-%04lx-%04lx%08lx", a & 0xffffffffUL,
             b & 0xffffUL, (b >> 16) & 0xfffUL, 0x8000UL | (c & 0x3fffUL),
             (c >> 14) & 0xffffUL, (a ^ (b << 7) ^ c) & 0xffffffffUL);
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        ;
}

/* A 429 naming the limit hit, as the real service does. */
static void reply_rate_limited(struct sbx_reply *out, const struct sbx_req *req,
                               long retry_after, long per_minute)
{
    sbx_reply_error(out, req, 429, "too.many.requests",
                    "rate limit exceeded the maximum of %ld requests per "
                    "minute",
                    per_minute);
    json_object_set_new(out->body, "limit",
                        json_pack("{s:s, s:s, s:I}", "key",
                                  "client.credentials.token.rate.per.minute",
                                  "namespace", "platform.api", "value",
                                  (json_int_t)per_minute));
    out->retry_after = retry_after;
}

/* Token, rate limit, permission. Returns 0 to go on, -1 with a reply. */
static int check_access(struct sbx *s, const struct sbx_route *route,
                        const struct sbx_req *req, struct sbx_reply *out)
{
    const char *auth = sbx_header(req, "Authorization");
    struct gcp_err err;
    long retry = 0, per_minute = 0;
    int rc;

    gcp_err__clear(&err);
    if (auth == NULL || strncasecmp(auth, "bearer ", 7) != 0) {
        sbx_reply_error(out, req, 401, "authentication.required",
                        "no authentication bearer token specified in the "
                        "authorization header");
        return -1;
    }
    rc = sbx_model_token_check(s->model, auth + 7, route->permission, req->now,
                               &err);
    if (rc == GCP_EAUTH) {
        sbx_reply_failure(out, req, rc, &err);
        return -1;
    }
    if (sbx_engine_admit(s->engine, auth + 7, req->now, &retry, &per_minute)) {
        sbx_stats_event(s->stats, "rateLimited");
        reply_rate_limited(out, req, retry, per_minute);
        return -1;
    }
    if (rc < 0) {
        sbx_reply_failure(out, req, rc, &err);
        return -1;
    }
    return 0;
}

static int parse_body(struct sbx_req *req, json_t **out_body,
                      struct sbx_reply *out)
{
    const char *type = sbx_header(req, "Content-Type");
    json_error_t jerr;

    if (type == NULL || strncasecmp(type, "application/json", 16) != 0) {
        sbx_reply_error(out, req, 415, "unsupported.media.type",
                        "the body must be application/json");
        return -1;
    }
    *out_body = json_loadb(req->raw_body, req->raw_len, JSON_DECODE_ANY, &jerr);
    if (*out_body == NULL) {
        sbx_reply_error(out, req, 400, "bad.request",
                        "the body is not valid JSON: %s", jerr.text);
        return -1;
    }
    req->body = *out_body;
    return 0;
}

/* Rolls the reset and fail dice. Returns 1 to cut, 0 with a 503, -1 on. */
static int early_faults(struct sbx *s, const struct sbx_req *req,
                        struct sbx_reply *out)
{
    if (sbx_engine_strikes(s->engine, SBX_FAULT_RESET)) {
        sbx_stats_event(s->stats, "reset");
        gcp_log__emit(&s->log, GCP_LOG_INFO,
                      "fault: cut %s %s before doing anything (reset-rate)",
                      req->method, req->path);
        return 1;
    }
    if (sbx_engine_strikes(s->engine, SBX_FAULT_FAIL)) {
        sbx_stats_event(s->stats, "failed");
        gcp_log__emit(&s->log, GCP_LOG_INFO, "fault: 503 for %s %s (fail-rate)",
                      req->method, req->path);
        sbx_reply_error(out, req, 503, "service.unavailable",
                        "the service is unavailable, try again later");
        return 0;
    }
    return -1;
}

/*
 * Runs one matched route. Returns 1 when the connection must be cut with
 * no reply (reset or lost reply), 0 when `out` holds the reply.
 */
static int run_route(struct sbx *s, const struct sbx_route *route,
                     struct sbx_req *req, struct sbx_reply *out)
{
    json_t *body = NULL;
    int api = !(route->flags & SBX_ROUTE_ADMIN);
    long latency = api ? sbx_engine_latency(s->engine) : 0;
    int early;

    if (latency > 0)
        sleep_ms(latency);
    if (api && (early = early_faults(s, req, out)) >= 0)
        return early;
    if (!(route->flags & SBX_ROUTE_PUBLIC) &&
        check_access(s, route, req, out) < 0)
        return 0;
    if ((route->flags & SBX_ROUTE_JSON) && parse_body(req, &body, out) < 0)
        return 0;
    route->handle(out, req);
    json_decref(body);
    req->body = NULL;
    if (api && sbx_engine_strikes(s->engine, SBX_FAULT_LOST)) {
        sbx_stats_event(s->stats, "lostReply");
        gcp_log__emit(&s->log, GCP_LOG_INFO,
                      "fault: did %s %s, then cut the reply "
                      "(lost-reply-rate)",
                      req->method, req->path);
        return 1;
    }
    return 0;
}

/* Runs the route, or answers 413, 405 or 404. Returns 1 to cut. */
static int dispatch(struct sbx *s, const struct sbx_route *route, int known,
                    int too_big, struct sbx_req *req, struct sbx_reply *out)
{
    if (too_big)
        sbx_reply_error(out, req, 413, "request.entity.too.large",
                        "the body is larger than %d bytes", SBX_MAX_BODY);
    else if (route != NULL)
        return run_route(s, route, req, out);
    else if (known) {
        sbx_reply_error(out, req, 405, "method.not.allowed",
                        "%s is not allowed on %s", req->method, req->path);
        sbx_routes_allow(out->allow, sizeof(out->allow), req->path);
    } else
        sbx_reply_error(out, req, 404, "not.found", "no resource at %s",
                        req->path);
    return 0;
}

int sbx_handle(struct sbx_reply *out, struct sbx_req *req, int too_big)
{
    struct sbx *s = req->sbx;
    const struct sbx_route *route;
    char scratch[2048];
    int known = 0, cut;

    new_correlation_id(s, out->correlation_id);
    req->correlation_id = out->correlation_id;
    req->now = now_seconds();
    req->body = NULL;
    route = sbx_routes_match(req->method, req->path, req->params, scratch,
                             sizeof(scratch), &known);
    if (route != NULL && !(route->flags & SBX_ROUTE_ADMIN))
        sbx_stats_route(s->stats, req->method, route->path);
    cut = dispatch(s, route, known, too_big, req, out);
    if (cut) {
        json_decref(out->body);
        out->body = NULL;
        return 1;
    }
    if (route == NULL || !(route->flags & SBX_ROUTE_ADMIN))
        sbx_stats_status(s->stats, out->status);
    gcp_log__emit(&s->log, GCP_LOG_DEBUG, "%s %s: %d (correlation id %s)",
                  req->method, req->path, out->status, out->correlation_id);
    return 0;
}

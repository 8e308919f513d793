/*
 * server.c: the sandbox's HTTP server on libmicrohttpd, one thread per
 * connection so that --latency delays one client without stalling others.
 * Each request goes through the same pipeline: match a route, then (API
 * routes only) latency, --reset-rate, --fail-rate, the bearer token, the
 * rate limit, the permission and the content type, then the handler, then
 * --lost-reply-rate. Every reply carries an ININ-Correlation-Id.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "demo.h"
#include "server.h"

#define MAX_BODY (8 * 1024 * 1024)

/* One request's body, gathered over the access handler's calls. */
struct upload {
    char *data;
    size_t len;
    size_t cap;
    int too_big;
};

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

/* --- The pipeline ----------------------------------------------------------
 */

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
    const char *auth = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND,
                                                   "Authorization");
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
    const char *type = MHD_lookup_connection_value(
        req->conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
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

    if (latency > 0)
        sleep_ms(latency);
    if (api && sbx_engine_strikes(s->engine, SBX_FAULT_RESET)) {
        sbx_stats_event(s->stats, "reset");
        gcp_log__emit(&s->log, GCP_LOG_INFO,
                      "fault: cut %s %s before doing anything (reset-rate)",
                      req->method, req->path);
        return 1;
    }
    if (api && sbx_engine_strikes(s->engine, SBX_FAULT_FAIL)) {
        sbx_stats_event(s->stats, "failed");
        gcp_log__emit(&s->log, GCP_LOG_INFO, "fault: 503 for %s %s (fail-rate)",
                      req->method, req->path);
        sbx_reply_error(out, req, 503, "service.unavailable",
                        "the service is unavailable, try again later");
        return 0;
    }
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

static enum MHD_Result send_reply(struct MHD_Connection *conn,
                                  struct sbx_reply *reply,
                                  const char *correlation_id)
{
    char *text =
        reply->body ? json_dumps(reply->body, JSON_COMPACT) : strdup("");
    struct MHD_Response *resp;
    enum MHD_Result ok;
    char retry[24];

    if (text == NULL)
        return MHD_NO;
    resp = MHD_create_response_from_buffer(strlen(text), text,
                                           MHD_RESPMEM_MUST_FREE);
    if (resp == NULL) {
        free(text);
        return MHD_NO;
    }
    if (reply->body != NULL)
        MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json");
    MHD_add_response_header(resp, "ININ-Correlation-Id", correlation_id);
    if (reply->retry_after > 0) {
        snprintf(retry, sizeof(retry), "%ld", reply->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, retry);
    }
    ok = MHD_queue_response(conn, (unsigned)reply->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* Runs the route, or answers 413, 405 or 404. Returns 1 to cut. */
static int dispatch(struct sbx *s, const struct sbx_route *route, int known,
                    const struct upload *up, struct sbx_req *req,
                    struct sbx_reply *out)
{
    if (up->too_big)
        sbx_reply_error(out, req, 413, "request.entity.too.large",
                        "the body is larger than %d bytes", MAX_BODY);
    else if (route != NULL)
        return run_route(s, route, req, out);
    else if (known)
        sbx_reply_error(out, req, 405, "method.not.allowed",
                        "%s is not allowed on %s", req->method, req->path);
    else
        sbx_reply_error(out, req, 404, "not.found", "no resource at %s",
                        req->path);
    return 0;
}

static enum MHD_Result serve(struct sbx *s, struct MHD_Connection *conn,
                             const char *url, const char *method,
                             struct upload *up)
{
    struct sbx_req req = {.sbx = s,
                          .conn = conn,
                          .method = method,
                          .path = url,
                          .raw_body = up->data,
                          .raw_len = up->len};
    struct sbx_reply reply = {0};
    const struct sbx_route *route;
    char corr[37], scratch[2048];
    int known = 0, cut = 0;
    enum MHD_Result ok;

    new_correlation_id(s, corr);
    req.correlation_id = corr;
    req.now = now_seconds();
    route = sbx_routes_match(method, url, req.params, scratch, sizeof(scratch),
                             &known);
    if (route != NULL && !(route->flags & SBX_ROUTE_ADMIN))
        sbx_stats_route(s->stats, method, route->path);
    cut = dispatch(s, route, known, up, &req, &reply);
    if (cut) {
        json_decref(reply.body);
        return MHD_NO;
    }
    if (route == NULL || !(route->flags & SBX_ROUTE_ADMIN))
        sbx_stats_status(s->stats, reply.status);
    gcp_log__emit(&s->log, GCP_LOG_DEBUG, "%s %s: %d (correlation id %s)",
                  method, url, reply.status, corr);
    ok = send_reply(conn, &reply, corr);
    json_decref(reply.body);
    return ok;
}

static int upload_append(struct upload *up, const char *data, size_t len)
{
    if (up->len + len > MAX_BODY) {
        up->too_big = 1;
        return 0;
    }
    if (up->len + len + 1 > up->cap) {
        size_t cap = (up->len + len + 1) * 2;
        char *grown = realloc(up->data, cap);
        if (grown == NULL)
            return -1;
        up->data = grown;
        up->cap = cap;
    }
    memcpy(up->data + up->len, data, len);
    up->len += len;
    up->data[up->len] = '\0';
    return 0;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    struct upload *up = *con_cls;

    if (up == NULL) {
        up = calloc(1, sizeof(*up));
        if (up == NULL)
            return MHD_NO;
        *con_cls = up;
        return MHD_YES;
    }
    if (*upload_size > 0) {
        if (upload_append(up, upload_data, *upload_size) < 0)
            return MHD_NO;
        *upload_size = 0;
        return MHD_YES;
    }
    return serve(cls, conn, url, method, up);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    struct upload *up = *con_cls;

    if (up != NULL) {
        free(up->data);
        free(up);
    }
    *con_cls = NULL;
}

/* --- Start and stop ------------------------------------------------------- */

static int parse_listen(const char *listen, struct sockaddr_in *addr,
                        struct gcp_err *err)
{
    const char *colon = strrchr(listen, ':');
    char host[64];
    char *end;
    long port;

    memset(addr, 0, sizeof(*addr));
    if (colon == NULL || (size_t)(colon - listen) >= sizeof(host))
        return gcp_err__set(err, GCP_EINVALID,
                            "listen address '%s' is not ADDR:PORT", listen);
    memcpy(host, listen, (size_t)(colon - listen));
    host[colon - listen] = '\0';
    port = strtol(colon + 1, &end, 10);
    addr->sin_family = AF_INET;
    addr->sin_port = htons((unsigned short)port);
    if (*end != '\0' || end == colon + 1 || port < 0 || port > 65535 ||
        inet_pton(AF_INET, host, &addr->sin_addr) != 1)
        return gcp_err__set(err, GCP_EINVALID,
                            "listen address '%s' is not IPV4:PORT", listen);
    return 0;
}

static int read_json_file(json_t **out, const char *path, struct gcp_err *err)
{
    json_error_t jerr;

    *out = json_load_file(path, 0, &jerr);
    if (*out == NULL)
        return gcp_err__set(err, GCP_EINVALID, "cannot load '%s': %s (line %d)",
                            path, jerr.text, jerr.line);
    return 0;
}

/* The org to start with: the state file if it exists, the seed, the demo. */
static int load_seed(json_t **out, const struct sbx_config *cfg,
                     struct gcp_err *err)
{
    json_error_t jerr;

    if (cfg->state_file != NULL && access(cfg->state_file, F_OK) == 0)
        return read_json_file(out, cfg->state_file, err);
    if (cfg->seed_file != NULL)
        return read_json_file(out, cfg->seed_file, err);
    *out = json_loads(sbx_demo_org(), 0, &jerr);
    if (*out == NULL)
        return gcp_err__set(err, GCP_ERROR, "demo org: %s", jerr.text);
    return 0;
}

static void rules_from_faults(struct sbx_model_rules *rules,
                              const struct sbx_faults *f, json_t *seats)
{
    rules->search_lag = f->search_lag;
    rules->create_lag = f->create_lag;
    rules->token_lifetime = f->token_lifetime;
    rules->seats = seats;
    for (size_t i = 0; i < f->seat_count; i++)
        json_object_set_new(seats, f->seats[i].license,
                            json_integer(f->seats[i].seats));
}

static int make_model(struct sbx *s, const struct sbx_config *cfg,
                      struct gcp_err *err)
{
    struct sbx_model_rules rules;
    json_t *seed = NULL;
    json_t *seats = json_object();
    int rc;

    if (seats == NULL)
        return gcp_err__set(err, GCP_ENOMEM, "out of memory");
    rules_from_faults(&rules, &cfg->faults, seats);
    if ((rc = load_seed(&seed, cfg, err)) == 0)
        rc = sbx_model_new(&s->model, seed, &rules, err);
    json_decref(seed);
    json_decref(seats);
    return rc;
}

static int start_daemon(struct sbx *s, const struct sbx_config *cfg,
                        struct gcp_err *err)
{
    struct sockaddr_in addr;
    const union MHD_DaemonInfo *info;
    int rc;

    if ((rc = parse_listen(cfg->listen, &addr, err)) < 0)
        return rc;
    s->daemon = MHD_start_daemon(
        MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
            MHD_USE_POLL,
        0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, &addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)120, MHD_OPTION_END);
    if (s->daemon == NULL)
        return gcp_err__set(err, GCP_EIO, "cannot listen on '%s'", cfg->listen);
    info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(s->url, sizeof(s->url), "http://%s:%u", inet_ntoa(addr.sin_addr),
             info ? info->port : 0);
    return 0;
}

int sbx_start(struct sbx **out, const struct sbx_config *cfg,
              struct gcp_err *err)
{
    struct sbx *s = calloc(1, sizeof(*s));
    int rc = GCP_ENOMEM;

    if (s == NULL)
        return gcp_err__set(err, GCP_ENOMEM, "out of memory");
    pthread_mutex_init(&s->id_lock, NULL);
    s->id_rng[0] = (unsigned short)getpid();
    s->id_rng[1] = (unsigned short)time(NULL);
    s->id_rng[2] = (unsigned short)(uintptr_t)s;
    s->log = (struct gcp_logger){cfg->log, cfg->log_payload, cfg->log_min};
    s->engine = sbx_engine_new(&cfg->faults, cfg->fault_seed);
    s->stats = sbx_stats_new();
    if (cfg->state_file != NULL)
        s->state_file = strdup(cfg->state_file);
    if (s->engine == NULL || s->stats == NULL ||
        (cfg->state_file != NULL && s->state_file == NULL)) {
        gcp_err__set(err, rc, "out of memory");
        goto cleanup;
    }
    if ((rc = make_model(s, cfg, err)) < 0 ||
        (rc = start_daemon(s, cfg, err)) < 0)
        goto cleanup;
    gcp_log__emit(&s->log, GCP_LOG_DEBUG, "sandbox serving at %s", s->url);
    *out = s;
    return 0;

cleanup:
    sbx_stop(s, NULL);
    return rc;
}

const char *sbx_url(const struct sbx *s)
{
    return s->url;
}

void sbx_set_faults(struct sbx *s, const struct sbx_faults *faults)
{
    struct sbx_model_rules rules;
    json_t *seats = json_object();

    sbx_engine_set(s->engine, faults);
    if (seats == NULL)
        return;
    rules_from_faults(&rules, faults, seats);
    sbx_model_set_rules(s->model, &rules);
    json_decref(seats);
}

/* Writes the org to the state file, owner-only, through a rename. */
static int save_state(struct sbx *s, struct gcp_err *err)
{
    char tmp[4096];
    json_t *state = sbx_model_dump(s->model);
    int fd, rc = 0;

    snprintf(tmp, sizeof(tmp), "%s.tmp", s->state_file);
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (state == NULL || fd < 0 ||
        json_dumpfd(state, fd, JSON_INDENT(1) | JSON_SORT_KEYS) < 0 ||
        fsync(fd) < 0)
        rc = gcp_err__set(err, GCP_EIO, "cannot write state file '%s': %s", tmp,
                          strerror(errno));
    if (fd >= 0 && close(fd) < 0 && rc == 0)
        rc = gcp_err__set(err, GCP_EIO, "cannot write state file '%s': %s", tmp,
                          strerror(errno));
    if (rc == 0 && rename(tmp, s->state_file) < 0)
        rc = gcp_err__set(err, GCP_EIO, "cannot rename '%s': %s", tmp,
                          strerror(errno));
    json_decref(state);
    return rc;
}

int sbx_stop(struct sbx *s, struct gcp_err *err)
{
    int rc = 0;

    if (s == NULL)
        return 0;
    if (s->daemon != NULL) {
        MHD_stop_daemon(s->daemon);
        if (s->state_file != NULL && s->model != NULL)
            rc = save_state(s, err);
    }
    sbx_model_free(s->model);
    sbx_engine_free(s->engine);
    sbx_stats_free(s->stats);
    free(s->state_file);
    pthread_mutex_destroy(&s->id_lock);
    free(s);
    return rc;
}

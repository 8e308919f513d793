/*
 * server.c: the sandbox's HTTP server on libmicrohttpd (plain HTTP, or
 * HTTPS through its GnuTLS support), one thread per connection so that
 * --latency delays one client without stalling others. It gathers each
 * request's headers, query and body and hands them to the pipeline
 * (pipeline.c); it also loads the org and saves the state file. Idle
 * connections are closed after cfg->idle_timeout seconds, at most
 * cfg->max_connections are served at once, and a body past SBX_MAX_BODY is
 * answered 413 without being read.
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
#include "wipe.h"

/* One request's body, gathered over the access handler's calls. */
struct upload {
    char *data;
    size_t len;
    size_t cap;
    int too_big;  /* past SBX_MAX_BODY: kept no further, answered 413 */
    int answered; /* a reply is queued: later calls only drain */
};

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
    if (reply->allow[0] != '\0')
        MHD_add_response_header(resp, "Allow", reply->allow);
    if (reply->retry_after > 0) {
        snprintf(retry, sizeof(retry), "%ld", reply->retry_after);
        MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, retry);
    }
    ok = MHD_queue_response(conn, (unsigned)reply->status, resp);
    MHD_destroy_response(resp);
    return ok;
}

/* The headers or query parameters of a request, as sbx_req takes them. */
struct kv_list {
    struct sbx_kv *items;
    size_t count;
    size_t cap;
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
                               const char *key, const char *value)
{
    struct kv_list *list = cls;

    if (list->count < list->cap)
        list->items[list->count++] = (struct sbx_kv){key, value};
    return MHD_YES;
}

/* Every value of one kind, borrowed from the connection; NULL: no memory. */
static struct sbx_kv *collect_values(struct MHD_Connection *conn,
                                     enum MHD_ValueKind kind, size_t *out_count)
{
    int n = MHD_get_connection_values(conn, kind, NULL, NULL);
    struct kv_list list = {
        calloc((size_t)(n > 0 ? n : 0) + 1, sizeof(struct sbx_kv)), 0,
        (size_t)(n > 0 ? n : 0)};

    if (list.items != NULL)
        MHD_get_connection_values(conn, kind, collect, &list);
    *out_count = list.count;
    return list.items;
}

static enum MHD_Result serve(struct sbx *s, struct MHD_Connection *conn,
                             const char *url, const char *method,
                             struct upload *up)
{
    struct sbx_req req = {.sbx = s,
                          .method = method,
                          .path = url,
                          .raw_body = up->data,
                          .raw_len = up->len};
    struct sbx_reply reply = {0};
    struct sbx_kv *headers, *query;
    enum MHD_Result ok = MHD_NO;

    headers = collect_values(conn, MHD_HEADER_KIND, &req.header_count);
    query = collect_values(conn, MHD_GET_ARGUMENT_KIND, &req.query_count);
    req.headers = headers;
    req.query = query;
    up->answered = 1;
    if (headers != NULL && query != NULL &&
        sbx_handle(&reply, &req, up->too_big) == 0)
        ok = send_reply(conn, &reply, reply.correlation_id);
    json_decref(reply.body);
    free(headers);
    free(query);
    return ok;
}

static int upload_append(struct upload *up, const char *data, size_t len)
{
    if (up->len + len > SBX_MAX_BODY) {
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

/* A Content-Length past the limit: the body need not be read at all. */
static int announced_too_big(struct MHD_Connection *conn)
{
    const char *len = MHD_lookup_connection_value(
        conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);

    return len != NULL && strtoull(len, NULL, 10) > SBX_MAX_BODY;
}

/*
 * libmicrohttpd's access handler: called once with the headers, then once
 * per piece of body, then once more to answer. A Content-Length past the
 * limit is answered 413 at once, and libmicrohttpd closes the connection
 * instead of reading the body; a chunked body that grows past it is read
 * to its end without being kept, then answered 413 (libmicrohttpd cannot
 * send a reply in the middle of a chunked upload).
 */
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
        up->too_big = announced_too_big(conn);
        if (up->too_big)
            return serve(cls, conn, url, method, up);
        return MHD_YES;
    }
    if (up->answered) {
        *upload_size = 0;
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
    rules->deleted_extids = f->deleted_extids != 0;
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

/* Reads a whole PEM file into a new string. */
static int read_pem(char **out, const char *path, struct gcp_err *err)
{
    FILE *f = fopen(path, "rb");
    char *text = NULL;
    size_t len = 0;
    int rc = 0;

    *out = NULL;
    if (f == NULL)
        return gcp_err__set(err, GCP_EIO, "cannot open '%s': %s", path,
                            strerror(errno));
    text = malloc(65536 + 1);
    if (text == NULL)
        rc = gcp_err__set(err, GCP_ENOMEM, "out of memory");
    else if ((len = fread(text, 1, 65536, f)) == 0 || ferror(f) || !feof(f))
        rc = gcp_err__set(err, GCP_EIO,
                          "cannot read '%s' (empty, unreadable "
                          "or over 64 KiB)",
                          path);
    fclose(f);
    if (rc < 0) {
        gcp_wipe_free(text);
        return rc;
    }
    text[len] = '\0';
    *out = text;
    return 0;
}

static int load_tls(struct sbx *s, const struct sbx_config *cfg,
                    struct gcp_err *err)
{
    int rc;

    if (cfg->tls_cert_file == NULL && cfg->tls_key_file == NULL)
        return 0;
    if (cfg->tls_cert_file == NULL || cfg->tls_key_file == NULL)
        return gcp_err__set(err, GCP_EINVALID,
                            "TLS needs both a certificate and a key");
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES)
        return gcp_err__set(err, GCP_EUNSUPPORTED,
                            "this libmicrohttpd is built without TLS");
    if ((rc = read_pem(&s->tls_cert, cfg->tls_cert_file, err)) < 0)
        return rc;
    return read_pem(&s->tls_key, cfg->tls_key_file, err);
}

static struct MHD_Daemon *run_daemon(struct sbx *s,
                                     const struct sbx_config *cfg,
                                     struct sockaddr_in *addr)
{
    unsigned flags = MHD_USE_THREAD_PER_CONNECTION |
                     MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL;

    if (s->tls_cert != NULL)
        return MHD_start_daemon(
            flags | MHD_USE_TLS, 0, NULL, NULL, on_request, s,
            MHD_OPTION_SOCK_ADDR, addr, MHD_OPTION_NOTIFY_COMPLETED,
            on_completed, s, MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout,
            MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections,
            MHD_OPTION_HTTPS_MEM_CERT, s->tls_cert, MHD_OPTION_HTTPS_MEM_KEY,
            s->tls_key, MHD_OPTION_END);
    return MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_SOCK_ADDR, addr,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout,
        MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections, MHD_OPTION_END);
}

static int start_daemon(struct sbx *s, const struct sbx_config *cfg,
                        struct gcp_err *err)
{
    struct sockaddr_in addr;
    const union MHD_DaemonInfo *info;
    int rc;

    if ((rc = parse_listen(cfg->listen, &addr, err)) < 0 ||
        (rc = load_tls(s, cfg, err)) < 0)
        return rc;
    s->daemon = run_daemon(s, cfg, &addr);
    if (s->daemon == NULL && s->tls_cert != NULL)
        return gcp_err__set(err, GCP_EIO,
                            "cannot listen on '%s' with TLS (port in use, "
                            "or a certificate or key TLS refuses)",
                            cfg->listen);
    if (s->daemon == NULL)
        return gcp_err__set(err, GCP_EIO, "cannot listen on '%s'", cfg->listen);
    info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    snprintf(s->url, sizeof(s->url), "%s://%s:%u",
             s->tls_cert ? "https" : "http", inet_ntoa(addr.sin_addr),
             info ? info->port : 0);
    return 0;
}

int sbx_open(struct sbx **out, const struct sbx_config *cfg,
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
    if ((rc = make_model(s, cfg, err)) < 0)
        goto cleanup;
    *out = s;
    return 0;

cleanup:
    sbx_stop(s, NULL);
    return rc;
}

int sbx_start(struct sbx **out, const struct sbx_config *cfg,
              struct gcp_err *err)
{
    struct sbx *s = NULL;
    int rc;

    if ((rc = sbx_open(&s, cfg, err)) < 0)
        return rc;
    if ((rc = start_daemon(s, cfg, err)) < 0) {
        sbx_stop(s, NULL);
        return rc;
    }
    gcp_log__emit(&s->log, GCP_LOG_DEBUG, "sandbox serving at %s", s->url);
    *out = s;
    return 0;
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
    free(s->tls_cert);
    gcp_wipe_free(s->tls_key);
    pthread_mutex_destroy(&s->id_lock);
    free(s);
    return rc;
}

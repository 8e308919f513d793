/*
 * http_engine.c: one libcurl multi handle drives every request of a
 * client. Callers queue jobs and wait; whichever caller finds the driver
 * role free runs steps of the loop (schedule, transfer, finish) until its
 * own jobs are done, then hands the role on. Scheduling starts a job only
 * when a fresh token is held, the in-flight bound has room, its backoff is
 * over and the pacing bucket grants a slot. The token grant goes through
 * the same multi handle, at most one at a time; jobs wait for it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "client_internal.h"
#include "wipe.h"

/* The longest the driver sleeps in one poll, in milliseconds. */
#define ENGINE_POLL_MAX_MS 500

static size_t engine_write(char *data, size_t size, size_t n, void *payload)
{
    struct gcp_buf *b = payload;
    size_t len = size * n;

    if (b->len + len + 1 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 4096) + len;
        char *grown = realloc(b->data, cap);

        if (grown == NULL)
            return 0;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return len;
}

/* Wipes and frees a reply buffer: token replies hold the token. */
static void engine_buf_free(struct gcp_buf *b)
{
    gcp_wipe(b->data, b->cap);
    free(b->data);
    memset(b, 0, sizeof(*b));
}

/* Frees a header list, wiping each line: one holds the bearer token. */
static void engine_headers_free(struct curl_slist *list)
{
    for (struct curl_slist *h = list; h != NULL; h = h->next)
        gcp_wipe(h->data, strlen(h->data));
    curl_slist_free_all(list);
}

static int engine_idempotent(const gcp_request *req)
{
    static const char *const safe[] = {"GET", "HEAD", "PUT", "DELETE"};

    for (size_t i = 0; i < sizeof(safe) / sizeof(safe[0]); i++)
        if (strcasecmp(req->method, safe[i]) == 0)
            return 1;
    return req->idempotent;
}

/* Options every transfer shares. */
static void engine_common_opts(gcp_client *c, struct gcp_job *j, CURL *e)
{
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(e, CURLOPT_USERAGENT, "gcprov/" GCP_VERSION);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, engine_write);
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &j->reply);
    curl_easy_setopt(e, CURLOPT_PRIVATE, j);
    if (c->ca_file != NULL) {
        /* CAINFO alone would replace the system's trust; CAPATH keeps it. */
        curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_file);
        if (c->ca_path != NULL)
            curl_easy_setopt(e, CURLOPT_CAPATH, c->ca_path);
    }
}

/* The token grant: Basic auth and grant_type=client_credentials only. */
static int engine_token_opts(gcp_client *c, struct gcp_job *j, CURL *e)
{
    char url[1024];

    gcp_client__format(url, sizeof(url), "%s/oauth/token", c->login_url);
    curl_easy_setopt(e, CURLOPT_URL, url);
    curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
    curl_easy_setopt(e, CURLOPT_USERNAME, c->client_id);
    curl_easy_setopt(e, CURLOPT_PASSWORD, c->secret);
    curl_easy_setopt(e, CURLOPT_POSTFIELDS, "grant_type=client_credentials");
    j->headers = curl_slist_append(
        NULL, "Content-Type: application/x-www-form-urlencoded");
    return j->headers != NULL ? 0 : GCP_ENOMEM;
}

/* Adds the bearer header, wiping the temporary line it was built in. */
static int engine_bearer(gcp_client *c, struct gcp_job *j)
{
    size_t len = strlen(c->token.value) + 32;
    char *line = malloc(len);
    struct curl_slist *grown;

    if (line == NULL)
        return GCP_ENOMEM;
    gcp_client__format(line, len, "Authorization: Bearer %s", c->token.value);
    grown = curl_slist_append(j->headers, line);
    gcp_wipe_free(line);
    if (grown == NULL)
        return GCP_ENOMEM;
    j->headers = grown;
    j->token_generation = c->token.generation;
    return 0;
}

static int engine_api_opts(gcp_client *c, struct gcp_job *j, CURL *e)
{
    size_t len = strlen(c->api_url) + strlen(j->req->path) + 1;
    char *url = malloc(len);
    struct curl_slist *h;

    if (url == NULL)
        return GCP_ENOMEM;
    gcp_client__format(url, len, "%s%s", c->api_url, j->req->path);
    curl_easy_setopt(e, CURLOPT_URL, url); /* curl copies the string */
    free(url);
    if (strcmp(j->req->method, "GET") != 0)
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, j->req->method);
    /* On a reused connection that dies with no reply, libcurl resends the
     * request by itself: harmless for a read, a duplicate for a create. */
    if (!engine_idempotent(j->req))
        curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
    if (j->body != NULL || strcmp(j->req->method, "POST") == 0)
        curl_easy_setopt(e, CURLOPT_POSTFIELDS, j->body ? j->body : "");
    h = curl_slist_append(NULL, "Accept: application/json");
    if (h != NULL && j->body != NULL)
        h = curl_slist_append(h, "Content-Type: application/json");
    if ((j->headers = h) == NULL)
        return GCP_ENOMEM;
    return engine_bearer(c, j);
}

/* Starts one attempt. Returns 0 or GCP_ENOMEM (nothing in flight). */
static int engine_start(gcp_client *c, struct gcp_job *j)
{
    CURL *e = curl_easy_init();
    int rc;

    if (e == NULL)
        return GCP_ENOMEM;
    engine_common_opts(c, j, e);
    rc = j->is_token ? engine_token_opts(c, j, e) : engine_api_opts(c, j, e);
    if (rc == 0)
        curl_easy_setopt(e, CURLOPT_HTTPHEADER, j->headers);
    if (rc == 0 && curl_multi_add_handle(c->multi, e) != CURLM_OK)
        rc = GCP_ENOMEM;
    if (rc != 0) {
        engine_headers_free(j->headers);
        j->headers = NULL;
        curl_easy_cleanup(e);
        return rc;
    }
    j->easy = e;
    j->attempts++;
    if (!j->is_token)
        c->in_flight++;
    return 0;
}

/* Hands a finished job to its batch. */
static void engine_deliver(struct gcp_job *j)
{
    free(j->body);
    j->body = NULL;
    engine_buf_free(&j->reply);
    j->next = j->batch->done;
    j->batch->done = j;
    j->batch->finished++;
}

/* Ends a job with `code` and a message of the client's making. */
static void engine_fail(gcp_client *c, struct gcp_job *j, int code,
                        const char *message)
{
    j->res->code = code;
    gcp_client__format(j->res->message, sizeof(j->res->message), "%s %s: %s",
                       j->res->method, j->res->route, message);
    c->stats.failures++;
    engine_deliver(j);
}

static void engine_queue_front(gcp_client *c, struct gcp_job *j)
{
    j->next = c->waiting;
    c->waiting = j;
}

static void engine_queue_back(gcp_client *c, struct gcp_job *j)
{
    struct gcp_job **tail = &c->waiting;

    while (*tail != NULL)
        tail = &(*tail)->next;
    j->next = NULL;
    *tail = j;
}

/* Fails every waiting job: the token they wait for will not come. */
static void engine_fail_waiting(gcp_client *c)
{
    while (c->waiting != NULL) {
        struct gcp_job *j = c->waiting;

        c->waiting = j->next;
        engine_fail(c, j, c->token_err.code, c->token_err.msg);
    }
}

/* What the transfer told us, copied into the result. */
struct engine_reply {
    int curl_rc;
    long status;
    int sent;
    double retry_after;
    const char *transport; /* curl's words for a failed transfer */
};

static void engine_read_headers(CURL *e, gcp_result *r, double *retry_after)
{
    struct curl_header *h = NULL;
    curl_off_t wait = 0;

    r->correlation_id[0] = '\0';
    if (curl_easy_header(e, "ININ-Correlation-Id", 0, CURLH_HEADER, -1, &h) ==
        CURLHE_OK)
        gcp_client__format(r->correlation_id, sizeof(r->correlation_id), "%s",
                           h->value);
    /* libcurl reads both forms: seconds and an HTTP date. */
    if (curl_easy_getinfo(e, CURLINFO_RETRY_AFTER, &wait) != CURLE_OK ||
        wait < 0)
        wait = 0;
    *retry_after = (double)wait;
}

/* Collects an attempt's facts and releases its transfer. */
static struct engine_reply engine_collect(gcp_client *c, struct gcp_job *j,
                                          int curl_rc)
{
    struct engine_reply out = {curl_rc, 0, 0, 0, NULL};
    curl_off_t up = 0, down = 0;
    long request_size = 0;

    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &out.status);
    curl_easy_getinfo(j->easy, CURLINFO_REQUEST_SIZE, &request_size);
    curl_easy_getinfo(j->easy, CURLINFO_SIZE_UPLOAD_T, &up);
    curl_easy_getinfo(j->easy, CURLINFO_SIZE_DOWNLOAD_T, &down);
    engine_read_headers(j->easy, j->res, &out.retry_after);
    out.sent = request_size > 0;
    if (gcp_error__is_tls_trust(curl_rc))
        out.transport = "the server's TLS certificate is not trusted: add "
                        "its CA (ca_file, --ca-file)";
    else if (curl_rc != CURLE_OK)
        out.transport = curl_easy_strerror(curl_rc);
    c->stats.bytes_sent += (unsigned long)up;
    c->stats.bytes_received += (unsigned long)down;
    curl_multi_remove_handle(c->multi, j->easy);
    curl_easy_cleanup(j->easy);
    j->easy = NULL;
    engine_headers_free(j->headers);
    j->headers = NULL;
    return out;
}

/* The WARN line for a retry: what failed, the correlation id, the wait. */
static void engine_log_retry(gcp_client *c, const struct gcp_job *j,
                             const struct engine_reply *rep, double wait)
{
    const gcp_result *r = j->res;

    if (rep->transport != NULL)
        gcp_log__emit(&c->log, GCP_LOG_WARN, "%s %s: %s; retry %d in %.1f s",
                      r->method, r->route, rep->transport, r->retries, wait);
    else
        gcp_log__emit(&c->log, GCP_LOG_WARN,
                      "%s %s: status %ld%s%s%s; retry %d in %.1f s", r->method,
                      r->route, rep->status,
                      r->correlation_id[0] ? " (correlation id " : "",
                      r->correlation_id, r->correlation_id[0] ? ")" : "",
                      r->retries, wait);
}

/*
 * Schedules another attempt after a retryable failure. Returns 1 when
 * queued, 0 when the budget or the attempts are spent.
 */
static int engine_retry(gcp_client *c, struct gcp_job *j, int cost,
                        const struct engine_reply *rep, double now)
{
    double wait;

    if (j->attempts >= c->max_attempts ||
        gcp_retry__budget_spend(&c->budget, cost) != 0)
        return 0;
    j->spent += cost;
    j->res->retries++;
    c->stats.retries++;
    wait = gcp_retry__backoff(j->res->retries, c->backoff_base, c->backoff_cap,
                              &c->seed);
    if (rep->retry_after > wait)
        wait = rep->retry_after;
    j->not_before = now + wait;
    engine_log_retry(c, j, rep, wait);
    j->reply.len = 0;
    if (!j->is_token)
        engine_queue_back(c, j);
    return 1;
}

/* Records why the grant failed and fails the jobs that waited for it. */
static void engine_token_failed(gcp_client *c, struct gcp_job *j,
                                const struct engine_reply *rep,
                                struct gcp_verdict v)
{
    char why[GCP_ERRMSG_MAX];

    if (rep->curl_rc != CURLE_OK) {
        gcp_err__set(&c->token_err, v.code,
                     "could not reach the login server at '%s': %s",
                     c->login_url, rep->transport);
    } else if (v.code == GCP_EAUTH || v.code == GCP_EINVALID ||
               v.code == GCP_EPERMISSION) {
        gcp_token__explain(why, sizeof(why), rep->status, j->reply.data,
                           j->reply.len, c->client_id);
        gcp_err__set(&c->token_err, GCP_EAUTH, "%s", why);
    } else if (rep->status != 200) {
        gcp_err__set(&c->token_err, v.code ? v.code : GCP_ETRANSIENT,
                     "the login server at '%s' answered %ld", c->login_url,
                     rep->status);
    }
    c->token_failures++;
    gcp_log__emit(&c->log, GCP_LOG_ERROR, "%s", c->token_err.msg);
    engine_fail_waiting(c);
}

/* The token grant's attempt ended: store, retry or fail. */
static void engine_token_done(gcp_client *c, struct gcp_job *j,
                              const struct engine_reply *rep, double now)
{
    struct gcp_verdict v =
        gcp_error__classify(rep->curl_rc, rep->status, rep->sent, 1);

    if (rep->curl_rc == CURLE_OK && rep->status == 200 &&
        gcp_token__store(&c->token, j->reply.data, j->reply.len, now,
                         &c->token_err) == 0) {
        c->stats.token_grants++;
        gcp_log__emit(&c->log, GCP_LOG_INFO,
                      "obtained an access token valid for %.0f s",
                      c->token.lifetime);
    } else if (v.retry && engine_retry(c, j, v.cost, rep, now)) {
        return;
    } else {
        engine_token_failed(c, j, rep, v);
    }
    engine_buf_free(&j->reply);
    c->token_job = NULL;
}

/* Fills the result of a finished API job and hands it over. */
static void engine_conclude(gcp_client *c, struct gcp_job *j, int code,
                            const struct engine_reply *rep)
{
    gcp_result *r = j->res;

    r->status = rep->status;
    r->code = code;
    r->json =
        j->reply.len ? json_loadb(j->reply.data, j->reply.len, 0, NULL) : NULL;
    gcp_error__parse(r);
    gcp_error__describe(r, rep->transport);
    if (code == 0)
        gcp_retry__budget_success(&c->budget, j->spent);
    else
        c->stats.failures++;
    gcp_log__emit(&c->log, code ? GCP_LOG_INFO : GCP_LOG_DEBUG,
                  "%s %s -> %ld after %d attempt(s)%s%s", r->method, r->route,
                  rep->status, j->attempts,
                  r->correlation_id[0] ? ", correlation id " : "",
                  r->correlation_id);
    engine_deliver(j);
}

/* A 401: renew once and replay; a second one is final. */
static int engine_unauthorised(gcp_client *c, struct gcp_job *j)
{
    if (j->token_generation == c->token.generation)
        gcp_token__clear(&c->token);
    if (j->auth_replays > 0)
        return 0;
    j->auth_replays++;
    j->reply.len = 0;
    gcp_log__emit(&c->log, GCP_LOG_INFO,
                  "%s %s: token refused (401); renewing it and replaying",
                  j->res->method, j->res->route);
    engine_queue_front(c, j);
    return 1;
}

/* An API job's attempt ended: replay, retry or conclude. */
static void engine_api_done(gcp_client *c, struct gcp_job *j,
                            const struct engine_reply *rep, double now)
{
    struct gcp_verdict v = gcp_error__classify(
        rep->curl_rc, rep->status, rep->sent, engine_idempotent(j->req));

    c->in_flight--;
    if (rep->curl_rc == CURLE_OK && rep->status == 401 &&
        engine_unauthorised(c, j))
        return;
    if (rep->status == 429) {
        c->stats.throttled++;
        j->res->retry_after = rep->retry_after;
        gcp_pace__throttled(&c->pace, now, rep->retry_after);
    }
    if (v.retry && engine_retry(c, j, v.cost, rep, now))
        return;
    if (v.retry && j->attempts < c->max_attempts) {
        engine_conclude(c, j, v.code, rep);
        j->res->code = GCP_EBUDGET;
        gcp_client__format(
            j->res->message, sizeof(j->res->message),
            "%s %s: the run's retry budget is spent after repeated "
            "failures (last: %s %ld); the service is failing, try "
            "again later",
            j->res->method, j->res->route,
            rep->transport ? rep->transport : "status", rep->status);
        return;
    }
    engine_conclude(c, j, v.code, rep);
}

/* Processes the transfers libcurl reports as done. Called under mu. */
/* Finishes every transfer libcurl reports done. Returns how many. */
static int engine_reap(gcp_client *c)
{
    CURLMsg *msg;
    int left;
    int reaped = 0;
    double now = gcp_clock__now();

    while ((msg = curl_multi_info_read(c->multi, &left)) != NULL) {
        struct gcp_job *j = NULL;
        struct engine_reply rep;

        if (msg->msg != CURLMSG_DONE)
            continue;
        reaped++;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
        c->stats.requests += j->is_token ? 0 : 1;
        rep = engine_collect(c, j, (int)msg->data.result);
        if (j->is_token)
            engine_token_done(c, j, &rep, now);
        else
            engine_api_done(c, j, &rep, now);
    }
    return reaped;
}

static double engine_min(double a, double b)
{
    return a < b ? a : b;
}

/* Starts the token grant when one is needed. Returns the wait in s. */
static double engine_schedule_token(gcp_client *c, double now)
{
    struct gcp_job *j = c->token_job;

    if (gcp_token__fresh(&c->token, now) ||
        (c->waiting == NULL && c->grant_wanted == 0))
        return 1.0;
    if (j == NULL) {
        j = c->token_job = &c->token_slot;
        memset(j, 0, sizeof(*j));
        memset(&c->token_result, 0, sizeof(c->token_result));
        j->is_token = 1;
        j->req = &c->token_request;
        j->res = &c->token_result;
        gcp_client__format(j->res->method, sizeof(j->res->method), "POST");
        gcp_client__format(j->res->route, sizeof(j->res->route),
                           "/oauth/token");
    }
    if (j->easy != NULL)
        return 1.0;
    if (j->not_before > now)
        return j->not_before - now;
    if (engine_start(c, j) != 0) {
        gcp_err__set(&c->token_err, GCP_ENOMEM, "out of memory");
        c->token_job = NULL;
        c->token_failures++;
        engine_fail_waiting(c);
    }
    return 1.0;
}

/* Starts what may start now. Returns the seconds until more may. */
static double engine_schedule(gcp_client *c, double now)
{
    double wait = engine_schedule_token(c, now);
    struct gcp_job **link = &c->waiting;

    if (!gcp_token__fresh(&c->token, now))
        return wait;
    while (*link != NULL && c->in_flight < c->max_in_flight) {
        struct gcp_job *j = *link;
        double pause;

        if (j->not_before > now) {
            wait = engine_min(wait, j->not_before - now);
            link = &j->next;
            continue;
        }
        if ((pause = gcp_pace__take(&c->pace, now)) > 0)
            return engine_min(wait, pause);
        *link = j->next;
        if (engine_start(c, j) != 0)
            engine_fail(c, j, GCP_ENOMEM, "out of memory");
    }
    return wait;
}

/* One step of the loop, run by the driver without holding mu. */
static void engine_step(gcp_client *c)
{
    double wait;
    int running = 0;
    int reaped;
    int timeout_ms;

    pthread_mutex_lock(&c->mu);
    wait = engine_schedule(c, gcp_clock__now());
    pthread_mutex_unlock(&c->mu);
    curl_multi_perform(c->multi, &running);
    /*
     * A transfer can finish inside that perform (a fast server on
     * loopback): reap it now, or the poll below would sleep its whole
     * timeout with nothing left to wake it.
     */
    pthread_mutex_lock(&c->mu);
    reaped = engine_reap(c);
    pthread_mutex_unlock(&c->mu);
    if (reaped > 0)
        return;
    /* Rounded up, so the driver does not wake just before a slot. */
    timeout_ms = ENGINE_POLL_MAX_MS;
    if (wait * 1000.0 < ENGINE_POLL_MAX_MS)
        timeout_ms = wait > 0 ? (int)(wait * 1000.0) + 1 : 1;
    curl_multi_poll(c->multi, NULL, 0, timeout_ms, NULL);
    curl_multi_perform(c->multi, &running);
    pthread_mutex_lock(&c->mu);
    engine_reap(c);
    pthread_mutex_unlock(&c->mu);
}

/*
 * Waits, under mu, until `finished` says so, driving the loop when no one
 * else does. Delivers `batch`'s results (when not NULL) on the way.
 */
static void engine_wait(gcp_client *c, struct gcp_batch *batch,
                        int (*finished)(gcp_client *, void *), void *arg,
                        gcp_done_fn done, void *payload)
{
    for (;;) {
        while (batch != NULL && batch->done != NULL) {
            struct gcp_job *j = batch->done;

            batch->done = j->next;
            if (done == NULL)
                continue;
            pthread_mutex_unlock(&c->mu);
            done(j->index, j->req, j->res, payload);
            pthread_mutex_lock(&c->mu);
        }
        if (finished(c, arg))
            return;
        if (c->driving) {
            pthread_cond_wait(&c->cv, &c->mu);
            continue;
        }
        c->driving = 1;
        pthread_mutex_unlock(&c->mu);
        engine_step(c);
        pthread_mutex_lock(&c->mu);
        c->driving = 0;
        pthread_cond_broadcast(&c->cv);
    }
}

static int engine_batch_finished(gcp_client *c, void *arg)
{
    struct gcp_batch *b = arg;

    return b->finished == b->count && b->done == NULL;
}

/* Prepares a job's result and body. Returns 0 or GCP_ENOMEM. */
static int engine_prepare(struct gcp_job *j, struct gcp_batch *b)
{
    gcp_result *r = j->res;

    j->batch = b;
    gcp_client__format(r->method, sizeof(r->method), "%s", j->req->method);
    gcp_client__format(r->route, sizeof(r->route), "%s",
                       j->req->route ? j->req->route : j->req->path);
    if (j->req->body == NULL)
        return 0;
    j->body = json_dumps(j->req->body, JSON_COMPACT);
    return j->body != NULL ? 0 : GCP_ENOMEM;
}

int gcp_engine__run(gcp_client *c, struct gcp_job *jobs, size_t count,
                    gcp_done_fn done, void *payload)
{
    struct gcp_batch batch = {jobs, count, 0, NULL};
    int rc = 0;

    pthread_mutex_lock(&c->mu);
    for (size_t i = 0; i < count; i++) {
        if (engine_prepare(&jobs[i], &batch) != 0)
            engine_fail(c, &jobs[i], GCP_ENOMEM, "out of memory");
        else
            engine_queue_back(c, &jobs[i]);
    }
    curl_multi_wakeup(c->multi);
    engine_wait(c, &batch, engine_batch_finished, &batch, done, payload);
    pthread_mutex_unlock(&c->mu);
    for (size_t i = 0; i < count && rc == 0; i++)
        rc = jobs[i].res->code;
    return rc;
}

struct engine_grant {
    unsigned long failures; /* token_failures when the wait began */
};

static int engine_grant_finished(gcp_client *c, void *arg)
{
    struct engine_grant *g = arg;

    return gcp_token__fresh(&c->token, gcp_clock__now()) ||
           c->token_failures != g->failures;
}

int gcp_engine__grant(gcp_client *c)
{
    struct engine_grant g;
    int rc = 0;

    pthread_mutex_lock(&c->mu);
    g.failures = c->token_failures;
    c->grant_wanted++;
    curl_multi_wakeup(c->multi);
    engine_wait(c, NULL, engine_grant_finished, &g, NULL, NULL);
    c->grant_wanted--;
    if (!gcp_token__fresh(&c->token, gcp_clock__now()))
        rc = gcp_err__copy(&c->err, &c->token_err);
    pthread_mutex_unlock(&c->mu);
    return rc;
}

int gcp_engine__init(gcp_client *c)
{
    c->multi = curl_multi_init();
    if (c->multi == NULL)
        return GCP_ENOMEM;
    curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                      (long)c->max_in_flight);
    return 0;
}

void gcp_engine__free(gcp_client *c)
{
    if (c->token_job != NULL && c->token_job->easy != NULL) {
        curl_multi_remove_handle(c->multi, c->token_job->easy);
        curl_easy_cleanup(c->token_job->easy);
        engine_headers_free(c->token_job->headers);
        engine_buf_free(&c->token_job->reply);
    }
    curl_multi_cleanup(c->multi);
}

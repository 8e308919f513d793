/*
 * test_client_engine.c: the request engine against a scripted loopback
 * server: token grant and bearer, 401 renewal and replay, 429 with
 * Retry-After, the unknown outcome of a cut create, the retry budget in
 * an outage, batches, threads and a refused login. The server answers the
 * token endpoint itself and the API from a script, one reply per
 * connection; it is a test fixture, not an HTTP implementation to reuse.
 */
#define _GNU_SOURCE /* strcasestr */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "gcprov/client.h"

#define MAX_SCRIPT 32
#define MAX_SEEN   256

struct reply {
    int status; /* 0: close the connection without a reply */
    const char *headers;
    const char *body;
};

struct server {
    int fd;
    int port;
    pthread_t thread;
    pthread_mutex_t mu;
    int stop;
    struct reply script[MAX_SCRIPT];
    size_t script_len, next;
    struct reply token_reply; /* status 0: grant tok-N */
    int grants;
    size_t seen;
    char lines[MAX_SEEN][160]; /* "GET /path Bearer tok-1" */
    gcp_client *client;
};

/* Reads one request (headers and Content-Length body) from `fd`. */
static int server_read(int fd, char *buf, size_t size)
{
    size_t len = 0;
    char *end = NULL;
    long body = 0;

    while (len + 1 < size) {
        ssize_t n = read(fd, buf + len, size - len - 1);

        if (n <= 0)
            return -1;
        len += (size_t)n;
        buf[len] = '\0';
        if (end == NULL && (end = strstr(buf, "\r\n\r\n")) != NULL) {
            char *cl = strcasestr(buf, "content-length:");

            body = cl != NULL ? atol(cl + 15) : 0;
        }
        if (end != NULL && len >= (size_t)(end + 4 - buf) + (size_t)body)
            return 0;
    }
    return -1;
}

static void server_send(int fd, const struct reply *r, const char *body,
                        int serial)
{
    char head[512];
    int n =
        snprintf(head, sizeof(head),
                 "HTTP/1.1 %d X\r\nContent-Type: application/json\r\n"
                 "Content-Length: %zu\r\nConnection: close\r\n"
                 "ININ-Correlation-Id: corr-%d\r\n%s\r\n",
                 r->status, strlen(body), serial, r->headers ? r->headers : "");

    if (write(fd, head, (size_t)n) < 0 || write(fd, body, strlen(body)) < 0)
        return;
}

/* Records the request line and its bearer token, picks the reply. */
static struct reply server_pick(struct server *s, const char *req, char *body,
                                size_t size)
{
    struct reply r = {200, NULL, "{\"ok\": true}"};
    const char *auth = strcasestr(req, "authorization: bearer ");
    int method_len = (int)strcspn(req, " ");
    const char *path = req + method_len + (req[method_len] ? 1 : 0);
    int is_token = strncmp(req, "POST /oauth/token", 17) == 0;

    pthread_mutex_lock(&s->mu);
    if (s->seen < MAX_SEEN)
        snprintf(s->lines[s->seen++], sizeof(s->lines[0]), "%.*s %.*s %.*s",
                 method_len, req, (int)strcspn(path, " ?"), path,
                 auth ? (int)strcspn(auth + 22, "\r") : 0,
                 auth ? auth + 22 : "");
    if (is_token && s->token_reply.status == 0) {
        snprintf(body, size,
                 "{\"access_token\": \"tok-%d\", \"token_type\": "
                 "\"bearer\", \"expires_in\": 86400}",
                 ++s->grants);
    } else if (is_token) {
        r = s->token_reply;
    } else if (s->next < s->script_len) {
        r = s->script[s->next++];
    }
    pthread_mutex_unlock(&s->mu);
    if (!(is_token && s->token_reply.status == 0))
        snprintf(body, size, "%s", r.body ? r.body : "");
    return r;
}

static void *server_main(void *arg)
{
    struct server *s = arg;
    char req[8192], body[1024];
    int serial = 0;

    while (!s->stop) {
        struct pollfd p = {s->fd, POLLIN, 0};
        int fd;
        struct reply r;

        if (poll(&p, 1, 50) <= 0 || (fd = accept(s->fd, NULL, NULL)) < 0)
            continue;
        if (server_read(fd, req, sizeof(req)) == 0) {
            r = server_pick(s, req, body, sizeof(body));
            if (r.status != 0)
                server_send(fd, &r, body, ++serial);
        }
        close(fd);
    }
    return NULL;
}

static int server_start(struct server *s)
{
    struct sockaddr_in a = {0};
    socklen_t len = sizeof(a);

    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    s->fd = socket(AF_INET, SOCK_STREAM, 0);
    if (s->fd < 0 || bind(s->fd, (struct sockaddr *)&a, sizeof(a)) != 0 ||
        listen(s->fd, 64) != 0 ||
        getsockname(s->fd, (struct sockaddr *)&a, &len) != 0)
        return -1;
    s->port = ntohs(a.sin_port);
    pthread_mutex_init(&s->mu, NULL);
    return pthread_create(&s->thread, NULL, server_main, s);
}

static gcp_client *client_for(struct server *s, int budget)
{
    gcp_client_options o = GCP_CLIENT_OPTIONS_INIT;
    char url[64], why[256];

    snprintf(url, sizeof(url), "http://127.0.0.1:%d", s->port);
    o.api_url = url;
    o.client_id = "id";
    o.secret = "shh";
    o.rate_per_minute = 60000;
    o.backoff_base_ms = 1;
    o.backoff_cap_ms = 5;
    o.retry_budget = budget;
    o.timeout_ms = 5000;
    assert_int_equal(gcp_client_new(&s->client, &o, why, sizeof(why)), 0);
    return s->client;
}

static int setup(void **state)
{
    struct server *s = calloc(1, sizeof(*s));

    if (s == NULL || server_start(s) != 0)
        return -1;
    *state = s;
    return 0;
}

static int teardown(void **state)
{
    struct server *s = *state;

    gcp_client_free(s->client);
    s->stop = 1;
    pthread_join(s->thread, NULL);
    close(s->fd);
    pthread_mutex_destroy(&s->mu);
    free(s);
    return 0;
}

static void script(struct server *s, struct reply r)
{
    s->script[s->script_len++] = r;
}

static const gcp_request get_user = {"GET", "/api/v2/users/{userId}",
                                     "/api/v2/users/u1", NULL, 0};

static void a_call_is_sent_with_a_granted_bearer_token(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 0);
    gcp_result r = {0};
    gcp_client_stats st;

    script(s, (struct reply){200, NULL, "{\"id\": \"u1\"}"});
    assert_int_equal(gcp_client_call(c, &r, &get_user), 0);
    assert_int_equal(r.status, 200);
    assert_string_equal(json_string_value(json_object_get(r.json, "id")), "u1");
    assert_string_equal(r.route, "/api/v2/users/{userId}");
    assert_string_equal(r.correlation_id, "corr-2");
    assert_string_equal(s->lines[0], "POST /oauth/token ");
    assert_string_equal(s->lines[1], "GET /api/v2/users/u1 tok-1");
    gcp_client_stats_get(&st, c);
    assert_int_equal(st.token_grants, 1);
    assert_int_equal(st.requests, 1);
    gcp_result_clear(&r);
}

static void a_401_renews_the_token_once_and_replays(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 0);
    gcp_result r = {0};

    script(s, (struct reply){401, NULL, "{\"code\": \"bad.credentials\"}"});
    assert_int_equal(gcp_client_call(c, &r, &get_user), 0);
    assert_int_equal(s->grants, 2);
    assert_string_equal(s->lines[3], "GET /api/v2/users/u1 tok-2");
    gcp_result_clear(&r);
}

static void a_second_401_is_an_authentication_error(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 0);
    gcp_result r = {0};

    script(s, (struct reply){401, NULL, "{}"});
    script(s, (struct reply){401, NULL, "{}"});
    assert_int_equal(gcp_client_call(c, &r, &get_user), GCP_EAUTH);
    assert_int_equal(r.status, 401);
    assert_int_equal(s->grants, 2);
    gcp_result_clear(&r);
}

static void a_429_is_retried_after_its_retry_after(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 0);
    gcp_result r = {0};
    gcp_client_stats st;

    script(s, (struct reply){429, "Retry-After: 1\r\n", "{}"});
    assert_int_equal(gcp_client_call(c, &r, &get_user), 0);
    assert_int_equal(r.retries, 1);
    assert_true(r.retry_after == 1.0);
    gcp_client_stats_get(&st, c);
    assert_int_equal(st.throttled, 1);
    assert_true(st.rate_now < st.rate_limit);
    gcp_result_clear(&r);
}

static void a_cut_create_is_an_unknown_outcome_and_not_resent(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 0);
    json_t *body = json_pack("{s:s}", "name", "Ann");
    gcp_request create = {"POST", "/api/v2/users", "/api/v2/users", body, 0};
    gcp_result r = {0};

    script(s, (struct reply){0, NULL, NULL});
    assert_int_equal(gcp_client_call(c, &r, &create), GCP_EUNKNOWN);
    assert_int_equal(s->seen, 2); /* the grant and one create */
    assert_non_null(strstr(r.message, "POST /api/v2/users"));
    gcp_result_clear(&r);
    json_decref(body);
}

static void a_cut_idempotent_post_is_retried(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 0);
    gcp_request add = {"POST", "/api/v2/authorization/subjects/{id}/bulkadd",
                       "/api/v2/authorization/subjects/u1/bulkadd", NULL, 1};
    gcp_result r = {0};

    script(s, (struct reply){0, NULL, NULL});
    script(s, (struct reply){502, NULL, "{}"});
    assert_int_equal(gcp_client_call(c, &r, &add), 0);
    assert_int_equal(r.retries, 2);
    gcp_result_clear(&r);
}

static void an_outage_ends_with_the_retry_budget_spent(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 12);
    gcp_result r = {0};

    for (int i = 0; i < MAX_SCRIPT; i++)
        script(s, (struct reply){503, NULL, "{\"code\": \"down\"}"});
    assert_int_equal(gcp_client_call(c, &r, &get_user), GCP_EBUDGET);
    assert_int_equal(r.retries, 2); /* 12 holds two retries of 5 */
    assert_non_null(strstr(r.message, "retry budget is spent"));
    assert_non_null(strstr(gcp_client_message(c), "retry budget"));
    gcp_result_clear(&r);
}

static void a_403_names_the_missing_permission(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 0);
    gcp_result r = {0};

    script(s, (struct reply){403, NULL,
                             "{\"code\": \"missing.permissions\", "
                             "\"message\": \"You are missing the following "
                             "permission(s): [directory:user:view]\"}"});
    assert_int_equal(gcp_client_call(c, &r, &get_user), GCP_EPERMISSION);
    assert_string_equal(r.missing_permission, "directory:user:view");
    assert_string_equal(r.error_code, "missing.permissions");
    gcp_result_clear(&r);
}

static void count_done(size_t index, const gcp_request *req, gcp_result *result,
                       void *payload)
{
    int *done = payload;

    assert_int_equal(result->code, 0);
    (*done)++;
}

static void a_batch_runs_every_request_and_calls_back(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 0);
    gcp_request reqs[40];
    int done = 0;

    for (size_t i = 0; i < 40; i++)
        reqs[i] = get_user;
    assert_int_equal(gcp_client_batch(c, NULL, reqs, 40, count_done, &done), 0);
    assert_int_equal(done, 40);
    assert_int_equal(s->grants, 1);
}

static void *thread_calls(void *arg)
{
    gcp_client *c = arg;
    gcp_request reqs[10];
    gcp_result results[10];
    intptr_t failed = 0;

    memset(results, 0, sizeof(results));
    for (size_t i = 0; i < 10; i++)
        reqs[i] = get_user;
    failed = gcp_client_batch(c, results, reqs, 10, NULL, NULL) != 0;
    for (size_t i = 0; i < 10; i++)
        gcp_result_clear(&results[i]);
    return (void *)failed;
}

static void threads_share_one_client_and_one_token(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 0);
    pthread_t t[4];
    void *failed;

    for (int i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, thread_calls, c), 0);
    for (int i = 0; i < 4; i++) {
        pthread_join(t[i], &failed);
        assert_null(failed);
    }
    assert_int_equal(s->grants, 1);
    assert_int_equal(s->seen, 41);
}

static void a_refused_login_says_what_is_wrong(void **state)
{
    struct server *s = *state;
    gcp_client *c = client_for(s, 0);
    gcp_result r = {0};

    s->token_reply = (struct reply){
        401, NULL,
        "{\"error\": \"invalid_client\", \"description\": \"unknown\"}"};
    assert_int_equal(gcp_client_connect(c), GCP_EAUTH);
    assert_non_null(strstr(gcp_client_message(c), "client id is unknown"));
    assert_int_equal(gcp_client_call(c, &r, &get_user), GCP_EAUTH);
    assert_int_equal(r.code, GCP_EAUTH);
    assert_non_null(strstr(r.message, "GET /api/v2/users/{userId}: login"));
    assert_int_equal(s->next, 0);
    gcp_result_clear(&r);
}

static void a_plain_http_gateway_is_refused(void **state)
{
    gcp_client_options o = GCP_CLIENT_OPTIONS_INIT;
    gcp_client *c = NULL;
    char why[256];

    o.api_url = "http://gateway.example.com";
    o.client_id = "id";
    o.secret = "shh";
    assert_int_equal(gcp_client_new(&c, &o, why, sizeof(why)), GCP_EINVALID);
    assert_null(c);
    assert_non_null(strstr(why, "not loopback"));
    o.api_url = NULL;
    o.region = "moon-1";
    assert_int_equal(gcp_client_new(&c, &o, why, sizeof(why)), GCP_EINVALID);
    assert_non_null(strstr(why, "valid regions"));
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        T(a_call_is_sent_with_a_granted_bearer_token),
        T(a_401_renews_the_token_once_and_replays),
        T(a_second_401_is_an_authentication_error),
        T(a_429_is_retried_after_its_retry_after),
        T(a_cut_create_is_an_unknown_outcome_and_not_resent),
        T(a_cut_idempotent_post_is_retried),
        T(an_outage_ends_with_the_retry_budget_spent),
        T(a_403_names_the_missing_permission),
        T(a_batch_runs_every_request_and_calls_back),
        T(threads_share_one_client_and_one_token),
        T(a_refused_login_says_what_is_wrong),
        cmocka_unit_test(a_plain_http_gateway_is_refused),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}

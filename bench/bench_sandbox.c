/*
 * bench_sandbox.c: how many requests a second the sandbox serves on
 * loopback, with the rate limit off, so that gcprov's own benchmarks
 * measure gcprov and not the sandbox. It starts the sandbox in-process,
 * seeds 1,000 users, then keeps CONNECTIONS keep-alive connections busy
 * with libcurl's multi interface for a bounded number of requests: nine
 * reads (a user by id or by external id) for each create. It prints one
 * line of figures.
 *
 * Usage: bench_sandbox [REQUESTS [CONNECTIONS]]  (default 20000 and 8)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "sandbox.h"

#define SEED_USERS 1000

struct bench {
    const char *base;
    struct curl_slist *headers;
    char ids[SEED_USERS][40];
    long sent;
    long done;
    long failed;
    long total;
    long creates;
};

struct conn {
    CURL *easy;
    char url[256];
    char body[160];
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t discard(char *p, size_t size, size_t n, void *payload)
{
    return size * n;
}

struct text {
    char data[4096];
    size_t len;
};

static size_t keep(char *p, size_t size, size_t n, void *payload)
{
    struct text *t = payload;
    size_t len = size * n;

    if (t->len + len < sizeof(t->data)) {
        memcpy(t->data + t->len, p, len);
        t->len += len;
        t->data[t->len] = '\0';
    }
    return size * n;
}

/* One blocking call for the setup; returns the reply as JSON or NULL. */
static json_t *call(struct bench *b, const char *path, const char *userpwd,
                    const char *form, const char *json_body)
{
    CURL *c = curl_easy_init();
    struct text t = {{0}, 0};
    struct curl_slist *h = NULL;
    char url[256];

    snprintf(url, sizeof(url), "%s%s", b->base, path);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
    if (userpwd != NULL)
        curl_easy_setopt(c, CURLOPT_USERPWD, userpwd);
    if (form != NULL)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
    if (json_body != NULL) {
        h = curl_slist_append(NULL, "Content-Type: application/json");
        for (struct curl_slist *x = b->headers; x != NULL; x = x->next)
            h = curl_slist_append(h, x->data);
        curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, json_body);
    }
    curl_easy_perform(c);
    curl_easy_cleanup(c);
    curl_slist_free_all(h);
    return json_loads(t.data, 0, NULL);
}

static int setup(struct bench *b)
{
    json_t *token = call(b, "/oauth/token", "gcprov-demo:gcprov-demo-secret",
                         "grant_type=client_credentials", NULL);
    char header[256], body[160];

    if (token == NULL)
        return -1;
    snprintf(header, sizeof(header), "Authorization: Bearer %s",
             json_string_value(json_object_get(token, "access_token")));
    json_decref(token);
    b->headers = curl_slist_append(NULL, header);
    for (int i = 0; i < SEED_USERS; i++) {
        json_t *user;

        snprintf(body, sizeof(body),
                 "{\"name\": \"Seed %d\", \"email\": \"seed%d@bench.example\"}",
                 i, i);
        user = call(b, "/api/v2/users", NULL, NULL, body);
        if (user == NULL || json_object_get(user, "id") == NULL) {
            json_decref(user);
            return -1;
        }
        snprintf(b->ids[i], sizeof(b->ids[i]), "%s",
                 json_string_value(json_object_get(user, "id")));
        json_decref(user);
    }
    return 0;
}

/* Points a connection at its next request. */
static void next_request(struct bench *b, struct conn *c)
{
    long n = b->sent++;

    curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, NULL);
    curl_easy_setopt(c->easy, CURLOPT_HTTPGET, 1L);
    if (n % 10 == 9) {
        snprintf(c->url, sizeof(c->url), "%s/api/v2/users", b->base);
        snprintf(c->body, sizeof(c->body),
                 "{\"name\": \"B %ld\", \"email\": \"b%ld@bench.example\"}", n,
                 n);
        curl_easy_setopt(c->easy, CURLOPT_POSTFIELDS, c->body);
        b->creates++;
    } else if (n % 2 == 0) {
        snprintf(c->url, sizeof(c->url), "%s/api/v2/users/%s", b->base,
                 b->ids[n % SEED_USERS]);
    } else {
        snprintf(c->url, sizeof(c->url), "%s/api/v2/users/externalid/hr/E0001",
                 b->base);
    }
    curl_easy_setopt(c->easy, CURLOPT_URL, c->url);
}

static void on_done(struct bench *b, CURLMsg *msg)
{
    long status = 0;

    curl_easy_getinfo(msg->easy_handle, CURLINFO_RESPONSE_CODE, &status);
    b->done++;
    if (msg->data.result != CURLE_OK || status >= 300)
        b->failed++;
}

static double drive(struct bench *b, int conns)
{
    CURLM *multi = curl_multi_init();
    struct conn *pool = calloc((size_t)conns, sizeof(*pool));
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: "
                                                   "application/json");
    double start;
    int running = 0;

    h = curl_slist_append(h, b->headers->data);
    for (int i = 0; i < conns && b->sent < b->total; i++) {
        pool[i].easy = curl_easy_init();
        curl_easy_setopt(pool[i].easy, CURLOPT_WRITEFUNCTION, discard);
        curl_easy_setopt(pool[i].easy, CURLOPT_HTTPHEADER, h);
        curl_easy_setopt(pool[i].easy, CURLOPT_PRIVATE, &pool[i]);
        next_request(b, &pool[i]);
        curl_multi_add_handle(multi, pool[i].easy);
    }
    start = now_s();
    do {
        CURLMsg *msg;
        int left;

        curl_multi_perform(multi, &running);
        while ((msg = curl_multi_info_read(multi, &left)) != NULL) {
            struct conn *c;

            if (msg->msg != CURLMSG_DONE)
                continue;
            curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, &c);
            on_done(b, msg);
            curl_multi_remove_handle(multi, c->easy);
            if (b->sent < b->total) {
                next_request(b, c);
                curl_multi_add_handle(multi, c->easy);
                running++;
            }
        }
        if (running > 0)
            curl_multi_poll(multi, NULL, 0, 100, NULL);
    } while (running > 0);
    start = now_s() - start;
    for (int i = 0; i < conns; i++)
        curl_easy_cleanup(pool[i].easy);
    curl_multi_cleanup(multi);
    curl_slist_free_all(h);
    free(pool);
    return start;
}

int main(int argc, char **argv)
{
    struct sbx_config cfg;
    struct sbx *s = NULL;
    struct gcp_err err;
    struct bench *b = calloc(1, sizeof(*b));
    int conns = argc > 2 ? atoi(argv[2]) : 8;
    double took;

    b->total = argc > 1 ? atol(argv[1]) : 20000;
    if (b->total < 1 || conns < 1)
        return 2;
    sbx_config_init(&cfg);
    cfg.faults.rate_limit = 0;
    cfg.faults.search_lag = 0;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (sbx_start(&s, &cfg, &err) < 0) {
        fprintf(stderr, "bench_sandbox: %s\n", gcp_err__message(&err));
        return 1;
    }
    b->base = sbx_url(s);
    if (setup(b) < 0) {
        fprintf(stderr, "bench_sandbox: setup failed\n");
        sbx_stop(s, NULL);
        return 1;
    }
    took = drive(b, conns);
    printf("bench_sandbox: %ld requests (%ld creates) over %d connections "
           "in %.2f s: %.0f requests/s, %ld failed\n",
           b->done, b->creates, conns, took, (double)b->done / took, b->failed);
    curl_slist_free_all(b->headers);
    sbx_stop(s, NULL);
    curl_global_cleanup();
    free(b);
    return 0;
}

/*
 * client.c: a gcp_client's life: options checked and copied, the secret
 * held (and wiped at the end), the first connection (token and the
 * tenant's rate limit), the public calls and the counters. The transfers
 * themselves are in http_engine.c.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "client_internal.h"
#include "region.h"
#include "wipe.h"

#define LIMITS_PATH "/api/v2/organizations/limits/namespaces/platform.api"
#define LIMITS_KEY  "client.credentials.token.rate.per.minute"

void gcp_client__format(char *out, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(out, size, fmt, ap);
    va_end(ap);
}

/* Copies `s` (NULL stays NULL) into *out. Returns 0 or GCP_ENOMEM. */
static int client_dup(char **out, const char *s)
{
    *out = NULL;
    if (s == NULL)
        return 0;
    *out = strdup(s);
    return *out != NULL ? 0 : GCP_ENOMEM;
}

/* Drops trailing slashes so paths can be appended. */
static void client_trim_slash(char *url)
{
    size_t len = url != NULL ? strlen(url) : 0;

    while (len > 0 && url[len - 1] == '/')
        url[--len] = '\0';
}

/* Resolves the API and login URLs from the region or the given URLs. */
static int client_urls(gcp_client *c, const gcp_client_options *o)
{
    const struct gcp_region *region = NULL;

    if (o->api_url == NULL) {
        if ((region = gcp_region__find(o->region ? o->region : "us-east-1",
                                       &c->err)) == NULL)
            return GCP_EINVALID;
        c->api_url = gcp_region__url(region, "api");
        c->login_url = gcp_region__url(region, "login");
    } else if (client_dup(&c->api_url, o->api_url) == 0) {
        client_dup(&c->login_url, o->login_url ? o->login_url : o->api_url);
    }
    if (o->login_url != NULL && region != NULL) {
        free(c->login_url);
        client_dup(&c->login_url, o->login_url);
    }
    if (c->api_url == NULL || c->login_url == NULL)
        return gcp_err__set(&c->err, GCP_ENOMEM, "out of memory");
    client_trim_slash(c->api_url);
    client_trim_slash(c->login_url);
    if (gcp_region__check_url(c->api_url, "api url", &c->err) != 0 ||
        gcp_region__check_url(c->login_url, "login url", &c->err) != 0)
        return c->err.code;
    return 0;
}

/* Copies the credentials; the secret copy is the only one we keep. */
static int client_credentials(gcp_client *c, const gcp_client_options *o)
{
    size_t len = o->secret_len ? o->secret_len
                 : o->secret   ? strlen(o->secret)
                               : 0;

    if (o->client_id == NULL || o->client_id[0] == '\0')
        return gcp_err__set(&c->err, GCP_EINVALID, "no client id given");
    if (len == 0)
        return gcp_err__set(&c->err, GCP_EINVALID, "no client secret given");
    if (client_dup(&c->client_id, o->client_id) != 0 ||
        (c->secret = malloc(len + 1)) == NULL)
        return gcp_err__set(&c->err, GCP_ENOMEM, "out of memory");
    memcpy(c->secret, o->secret, len);
    c->secret[len] = '\0';
    return 0;
}

static long client_default(long value, long fallback)
{
    return value > 0 ? value : fallback;
}

/* Numbers, with zero meaning the default. */
static void client_numbers(gcp_client *c, const gcp_client_options *o)
{
    c->rate_option = o->rate_per_minute > 0 ? o->rate_per_minute : 0;
    c->max_in_flight = (int)client_default(o->max_in_flight, 8);
    c->connect_timeout_ms = client_default(o->connect_timeout_ms, 10000);
    c->timeout_ms = client_default(o->timeout_ms, 60000);
    c->max_attempts = (int)client_default(o->max_attempts, 8);
    c->backoff_base = (double)client_default(o->backoff_base_ms, 200) / 1e3;
    c->backoff_cap = (double)client_default(o->backoff_cap_ms, 20000) / 1e3;
    c->seed = o->seed ? o->seed : (unsigned int)time(NULL);
    gcp_retry__budget_init(&c->budget,
                           (int)client_default(o->retry_budget, 500));
    gcp_pace__init(&c->pace,
                   (c->rate_option ? c->rate_option : GCP_DEFAULT_RATE) *
                       GCP_PACE_SHARE,
                   gcp_clock__now());
    c->stats.rate_limit = c->rate_option ? c->rate_option : GCP_DEFAULT_RATE;
    c->log.fn = o->log;
    c->log.payload = o->log_payload;
    c->log.min = o->log_level;
}

/* The CA file: trusted in addition to the system's CAs. */
static int client_ca(gcp_client *c, const gcp_client_options *o)
{
    curl_version_info_data *v = curl_version_info(CURLVERSION_NOW);

    if (o->ca_file == NULL)
        return 0;
    if (client_dup(&c->ca_file, o->ca_file) != 0 ||
        client_dup(&c->ca_path, v->capath ? v->capath : "/etc/ssl/certs"))
        return gcp_err__set(&c->err, GCP_ENOMEM, "out of memory");
    return 0;
}

static int client_setup(gcp_client *c, const gcp_client_options *o)
{
    int rc;

    if (o->version != GCP_CLIENT_OPTIONS_VERSION)
        return gcp_err__set(&c->err, GCP_EINVALID,
                            "client options version %u is not supported",
                            o->version);
    client_numbers(c, o);
    if ((rc = client_urls(c, o)) != 0 || (rc = client_credentials(c, o)) ||
        (rc = client_ca(c, o)) != 0)
        return rc;
    if (gcp_engine__init(c) != 0)
        return gcp_err__set(&c->err, GCP_ENOMEM, "out of memory");
    return 0;
}

int gcp_client_new(gcp_client **out, const gcp_client_options *opts,
                   char *errbuf, size_t errlen)
{
    gcp_client *c = calloc(1, sizeof(*c));
    int rc;

    *out = NULL;
    if (c == NULL)
        return GCP_ENOMEM;
    pthread_mutex_init(&c->mu, NULL);
    pthread_mutex_init(&c->ready_mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    c->token_request.method = "POST";
    c->token_request.route = "/oauth/token";
    c->token_request.path = "/oauth/token";
    if ((rc = client_setup(c, opts)) != 0) {
        if (errbuf != NULL && errlen > 0)
            snprintf(errbuf, errlen, "%s", c->err.msg);
        gcp_client_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void gcp_client_free(gcp_client *c)
{
    if (c == NULL)
        return;
    if (c->multi != NULL)
        gcp_engine__free(c);
    gcp_token__clear(&c->token);
    gcp_wipe_free(c->secret);
    free(c->api_url);
    free(c->login_url);
    free(c->client_id);
    free(c->ca_file);
    free(c->ca_path);
    pthread_mutex_destroy(&c->mu);
    pthread_mutex_destroy(&c->ready_mu);
    pthread_cond_destroy(&c->cv);
    free(c);
}

const char *gcp_client_message(const gcp_client *c)
{
    return c != NULL ? gcp_err__message(&c->err) : "";
}

const char *gcp_client_id(const gcp_client *c)
{
    return c != NULL && c->client_id != NULL ? c->client_id : "";
}

const char *gcp_client_api_host(const gcp_client *c)
{
    const char *url = c != NULL && c->api_url != NULL ? c->api_url : "";
    const char *host = strstr(url, "://");

    return host != NULL ? host + 3 : url;
}

int gcp_client_api_host_for(char *out, size_t size, const char *region,
                            const char *api_url)
{
    gcp_client_options o = GCP_CLIENT_OPTIONS_INIT;
    gcp_client c;
    int error;

    memset(&c, 0, sizeof(c));
    gcp_err__clear(&c.err);
    o.region = region;
    o.api_url = api_url;
    error = client_urls(&c, &o);
    if (error == 0 &&
        snprintf(out, size, "%s", gcp_client_api_host(&c)) >= (int)size)
        error = GCP_EINVALID;
    else if (error != 0)
        snprintf(out, size, "%s", gcp_err__message(&c.err));
    free(c.api_url);
    free(c.login_url);
    return error;
}

/* Finds the token rate in a limits reply. Returns it, or 0. */
static double client_limit_value(json_t *reply)
{
    json_t *entities = json_object_get(reply, "entities");
    size_t i;
    json_t *entity;

    json_array_foreach(entities, i, entity)
    {
        const char *key = json_string_value(json_object_get(entity, "key"));
        json_t *value = json_object_get(entity, "value");

        if (key != NULL && strcmp(key, LIMITS_KEY) == 0 &&
            json_is_number(value) && json_number_value(value) > 0)
            return json_number_value(value);
    }
    return 0;
}

static void client_set_rate(gcp_client *c, double per_minute)
{
    pthread_mutex_lock(&c->mu);
    gcp_pace__set_limit(&c->pace, per_minute * GCP_PACE_SHARE,
                        gcp_clock__now());
    c->stats.rate_limit = per_minute;
    pthread_mutex_unlock(&c->mu);
}

/* Reads the tenant's limit; falls back to the default when it cannot. */
static void client_read_limit(gcp_client *c)
{
    gcp_request req = {"GET", LIMITS_PATH, LIMITS_PATH, NULL, 1};
    gcp_result res = {0};
    struct gcp_job job = {0};
    double rate;

    job.req = &req;
    job.res = &res;
    gcp_engine__run(c, &job, 1, NULL, NULL);
    rate = res.code == 0 ? client_limit_value(res.json) : 0;
    if (rate > 0) {
        gcp_log__emit(&c->log, GCP_LOG_INFO,
                      "the tenant allows %.0f requests per minute", rate);
        client_set_rate(c, rate);
    } else {
        gcp_log__emit(&c->log, GCP_LOG_INFO,
                      "could not read the tenant's rate limit (%s); pacing "
                      "at %.0f requests per minute",
                      res.code ? res.message : "no such limit",
                      GCP_DEFAULT_RATE);
    }
    gcp_result_clear(&res);
}

int gcp_client_connect(gcp_client *c)
{
    int rc = 0;

    gcp_err__clear(&c->err);
    pthread_mutex_lock(&c->ready_mu);
    if (c->ready)
        goto cleanup;
    if ((rc = gcp_engine__grant(c)) != 0)
        goto cleanup;
    if (c->rate_option == 0)
        client_read_limit(c);
    c->ready = 1;

cleanup:
    pthread_mutex_unlock(&c->ready_mu);
    return rc;
}

void gcp_result_clear(gcp_result *r)
{
    if (r == NULL)
        return;
    json_decref(r->json);
    memset(r, 0, sizeof(*r));
}

/* Keeps the first failure's message on the client. */
static int client_report(gcp_client *c, gcp_result *results, size_t count,
                         int rc)
{
    for (size_t i = 0; rc != 0 && i < count; i++) {
        if (results[i].code == 0)
            continue;
        pthread_mutex_lock(&c->mu);
        gcp_err__set(&c->err, results[i].code, "%s", results[i].message);
        pthread_mutex_unlock(&c->mu);
        break;
    }
    return rc;
}

/* Gives every request the connection's failure, before any was sent. */
static void client_fail_all(gcp_client *c, const gcp_request *requests,
                            gcp_result *results, size_t count, int rc)
{
    for (size_t i = 0; i < count; i++) {
        gcp_result *r = &results[i];

        r->code = rc;
        gcp_client__format(r->method, sizeof(r->method), "%s",
                           requests[i].method);
        gcp_client__format(r->route, sizeof(r->route), "%s",
                           requests[i].route ? requests[i].route
                                             : requests[i].path);
        gcp_client__format(r->message, sizeof(r->message), "%s %s: %s",
                           r->method, r->route, gcp_client_message(c));
    }
}

int gcp_client_call(gcp_client *c, gcp_result *out, const gcp_request *req)
{
    return gcp_client_batch(c, out, req, 1, NULL, NULL);
}

int gcp_client_batch(gcp_client *c, gcp_result *out,
                     const gcp_request *requests, size_t count,
                     gcp_done_fn done, void *payload)
{
    struct gcp_job *jobs = calloc(count ? count : 1, sizeof(*jobs));
    gcp_result *results =
        out ? out : calloc(count ? count : 1, sizeof(*results));
    int rc;

    gcp_err__clear(&c->err);
    if (jobs == NULL || results == NULL) {
        rc = gcp_err__set(&c->err, GCP_ENOMEM, "out of memory");
        goto cleanup;
    }
    if ((rc = gcp_client_connect(c)) != 0) {
        client_fail_all(c, requests, results, count, rc);
        goto cleanup;
    }
    for (size_t i = 0; i < count; i++) {
        jobs[i].req = &requests[i];
        jobs[i].res = &results[i];
        jobs[i].index = i;
    }
    rc = gcp_engine__run(c, jobs, count, done, payload);
    rc = client_report(c, results, count, rc);

cleanup:
    if (out == NULL)
        for (size_t i = 0; results != NULL && i < count; i++)
            gcp_result_clear(&results[i]);
    if (out == NULL)
        free(results);
    free(jobs);
    return rc;
}

void gcp_client_stats_get(gcp_client_stats *out, gcp_client *c)
{
    pthread_mutex_lock(&c->mu);
    *out = c->stats;
    out->rate_now = gcp_pace__per_minute(&c->pace) / GCP_PACE_SHARE;
    out->budget_left = c->budget.left;
    pthread_mutex_unlock(&c->mu);
}

char *gcp_url_escape(const char *segment)
{
    char *escaped = curl_easy_escape(NULL, segment, 0);
    char *copy;

    if (escaped == NULL)
        return NULL;
    copy = strdup(escaped);
    curl_free(escaped);
    return copy;
}

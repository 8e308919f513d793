/*
 * baseline.c: the way people provision Genesys Cloud users today, written
 * plainly so that `make bench` can put gcprov beside it. It stands for the
 * usual script, on purpose not on gcprov's library: libcurl, Jansson and
 * libcsv only.
 *
 *   baseline API_URL ROSTER.csv
 *
 * It logs in with client credentials (BASELINE_CLIENT_ID and
 * BASELINE_CLIENT_SECRET, default the sandbox's demo client), reads the
 * home division, then for each person of the roster (CSV with the columns
 * name, email, roles and licenses; roles and licenses separated by ';'):
 *
 *   POST /api/v2/users                                   create
 *   GET  /api/v2/users/{id}                              read it back
 *   POST /api/v2/authorization/subjects/{id}/bulkadd     all its roles
 *   POST /api/v2/license/organization                    its licenses
 *
 * Role names are resolved with GET /api/v2/authorization/roles?name=, once
 * per name (a decent script caches them). Requests go one at a time over
 * one kept-alive connection; a 429 is retried after its Retry-After, as a
 * decent script does. Any other failure skips the rest of that person.
 *
 * It prints one line of key=value figures:
 *
 *   baseline: people=1000 done=1000 calls=4004 http_429=0 retries=0
 *             failures=0 seconds=21.73
 *
 * and exits 0 when every person was done, 1 otherwise, 2 on bad usage.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <csv.h>
#include <curl/curl.h>
#include <jansson.h>

#define MAX_ATTEMPTS 20 /* per request, 429s included */

/* One row of the roster; the strings are owned. */
struct person {
    char *name;
    char *email;
    char *roles;    /* "Agent;Supervisor" */
    char *licenses; /* "cloudCX3" */
};

/* The roster as libcsv hands it over, field by field. */
struct roster {
    struct person *people;
    size_t count, cap;
    int column[4]; /* header index of name, email, roles, licenses */
    int field;     /* index of the field being read in the row */
    int header_done;
    struct person row;
    int failed;
};

struct session {
    CURL *curl;
    const char *base;
    struct curl_slist *headers; /* JSON and the bearer token */
    char home[64];              /* home division id */
    json_t *role_ids;           /* role name -> id, resolved once each */
    long calls, throttled, retries, failures;
};

struct buffer {
    char *data;
    size_t len;
};

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_seconds(long s)
{
    struct timespec ts = {s, 0};

    while (nanosleep(&ts, &ts) != 0)
        ;
}

static void person_clear(struct person *p)
{
    free(p->name);
    free(p->email);
    free(p->roles);
    free(p->licenses);
    memset(p, 0, sizeof(*p));
}

/* libcsv: one field. The header row maps columns; later rows fill `row`. */
static void roster_field(void *text, size_t len, void *payload)
{
    static const char *const names[] = {"name", "email", "roles", "licenses"};
    struct roster *r = payload;
    char **slots[] = {&r->row.name, &r->row.email, &r->row.roles,
                      &r->row.licenses};

    for (int i = 0; i < 4; i++) {
        if (!r->header_done && len == strlen(names[i]) &&
            memcmp(text, names[i], len) == 0)
            r->column[i] = r->field;
        if (r->header_done && r->column[i] == r->field &&
            (*slots[i] = strndup(text, len)) == NULL)
            r->failed = 1;
    }
    r->field++;
}

/* libcsv: end of a row. A row without a name or an email is an error. */
static void roster_row(int c, void *payload)
{
    struct roster *r = payload;
    struct person *grown;

    (void)c;
    r->field = 0;
    if (!r->header_done) {
        r->header_done = 1;
        return;
    }
    if (r->row.name == NULL || r->row.email == NULL) {
        r->failed = 1;
        person_clear(&r->row);
        return;
    }
    if (r->count == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 256;
        grown = realloc(r->people, r->cap * sizeof(*grown));
        if (grown == NULL) {
            r->failed = 1;
            person_clear(&r->row);
            return;
        }
        r->people = grown;
    }
    r->people[r->count++] = r->row;
    memset(&r->row, 0, sizeof(r->row));
}

/* Reads the whole roster into `r`. Returns 0 or -1 (message printed). */
static int roster_read(struct roster *r, const char *path)
{
    FILE *fp = fopen(path, "rb");
    struct csv_parser parser;
    char chunk[65536];
    size_t n;
    int rc = -1;

    memset(r, 0, sizeof(*r));
    for (int i = 0; i < 4; i++)
        r->column[i] = -1;
    if (fp == NULL || csv_init(&parser, CSV_STRICT | CSV_APPEND_NULL) != 0) {
        fprintf(stderr, "baseline: cannot read '%s'\n", path);
        goto cleanup;
    }
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
        if (csv_parse(&parser, chunk, n, roster_field, roster_row, r) != n)
            break;
    csv_fini(&parser, roster_field, roster_row, r);
    if (ferror(fp) || csv_error(&parser) != CSV_SUCCESS || r->failed ||
        r->column[0] < 0 || r->column[1] < 0)
        fprintf(stderr, "baseline: '%s' is not a roster with name and email\n",
                path);
    else
        rc = 0;
    csv_free(&parser);

cleanup:
    if (fp != NULL)
        fclose(fp);
    return rc;
}

static void roster_free(struct roster *r)
{
    for (size_t i = 0; i < r->count; i++)
        person_clear(&r->people[i]);
    person_clear(&r->row);
    free(r->people);
}

static size_t collect(char *data, size_t size, size_t n, void *payload)
{
    struct buffer *b = payload;
    char *grown = realloc(b->data, b->len + size * n + 1);

    if (grown == NULL)
        return 0;
    memcpy(grown + b->len, data, size * n);
    b->len += size * n;
    grown[b->len] = '\0';
    b->data = grown;
    return size * n;
}

/*
 * Sends one request and, on 429, again after Retry-After (1 s when the
 * header is missing). Returns the final HTTP status (0: no reply) and the
 * reply's JSON in *out (new reference, or NULL).
 */
static long session_call(json_t **out, struct session *s, const char *method,
                         const char *path, const json_t *body)
{
    char url[1024];
    char *text = body ? json_dumps(body, JSON_COMPACT) : NULL;
    struct buffer reply = {NULL, 0};
    long status = 0;

    *out = NULL;
    snprintf(url, sizeof(url), "%s%s", s->base, path);
    curl_easy_setopt(s->curl, CURLOPT_URL, url);
    /* POSTFIELDS makes a POST and HTTPGET drops the body; then the verb. */
    curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, text);
    if (text == NULL)
        curl_easy_setopt(s->curl, CURLOPT_HTTPGET, 1L);
    curl_easy_setopt(s->curl, CURLOPT_CUSTOMREQUEST, method);
    curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, &reply);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        curl_off_t wait = 0;

        reply.len = 0;
        s->calls++;
        if (curl_easy_perform(s->curl) != CURLE_OK) {
            status = 0;
            break;
        }
        curl_easy_getinfo(s->curl, CURLINFO_RESPONSE_CODE, &status);
        if (status != 429)
            break;
        s->throttled++;
        s->retries++;
        curl_easy_getinfo(s->curl, CURLINFO_RETRY_AFTER, &wait);
        sleep_seconds(wait > 0 ? (long)wait : 1);
    }
    if (reply.data != NULL && reply.len > 0)
        *out = json_loads(reply.data, 0, NULL);
    free(reply.data);
    free(text);
    return status;
}

/* A call whose reply is not needed; returns 0 on 2xx, else -1. */
static int session_send(struct session *s, const char *method, const char *path,
                        json_t *body)
{
    json_t *reply;
    long status = session_call(&reply, s, method, path, body);

    json_decref(reply);
    json_decref(body); /* the caller's reference is consumed */
    return status >= 200 && status < 300 ? 0 : -1;
}

/* Client credentials with the Basic header; keeps the bearer header. */
static int session_login(struct session *s, const char *id, const char *secret)
{
    char url[1024], header[4200];
    struct buffer reply = {NULL, 0};
    json_t *token = NULL;
    const char *access;
    int rc = -1;

    snprintf(url, sizeof(url), "%s/oauth/token", s->base);
    curl_easy_setopt(s->curl, CURLOPT_URL, url);
    curl_easy_setopt(s->curl, CURLOPT_USERNAME, id);
    curl_easy_setopt(s->curl, CURLOPT_PASSWORD, secret);
    curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS,
                     "grant_type=client_credentials");
    curl_easy_setopt(s->curl, CURLOPT_WRITEDATA, &reply);
    s->calls++;
    if (curl_easy_perform(s->curl) == CURLE_OK && reply.data != NULL)
        token = json_loads(reply.data, 0, NULL);
    access = json_string_value(json_object_get(token, "access_token"));
    if (access != NULL) {
        snprintf(header, sizeof(header), "Authorization: Bearer %s", access);
        s->headers = curl_slist_append(s->headers, header);
        rc = 0;
    }
    curl_easy_setopt(s->curl, CURLOPT_USERNAME, NULL);
    curl_easy_setopt(s->curl, CURLOPT_PASSWORD, NULL);
    curl_easy_setopt(s->curl, CURLOPT_POSTFIELDS, NULL);
    json_decref(token);
    free(reply.data);
    return rc;
}

static int session_home_division(struct session *s)
{
    json_t *reply;
    long status = session_call(&reply, s, "GET",
                               "/api/v2/authorization/divisions/home", NULL);
    const char *id = json_string_value(json_object_get(reply, "id"));
    int rc = -1;

    if (status == 200 && id != NULL) {
        snprintf(s->home, sizeof(s->home), "%s", id);
        rc = 0;
    }
    json_decref(reply);
    return rc;
}

/* The id of the role named exactly `name` (borrowed), or NULL. */
static const char *session_role(struct session *s, const char *name)
{
    json_t *known = json_object_get(s->role_ids, name);
    char path[512], *escaped;
    json_t *reply, *role;
    size_t i;

    if (known != NULL)
        return json_string_value(known);
    escaped = curl_easy_escape(s->curl, name, 0);
    snprintf(path, sizeof(path), "/api/v2/authorization/roles?name=%s",
             escaped ? escaped : "");
    curl_free(escaped);
    if (session_call(&reply, s, "GET", path, NULL) != 200) {
        json_decref(reply);
        return NULL;
    }
    /* The filter matches more than the exact name ("Communicate User"). */
    json_array_foreach(json_object_get(reply, "entities"), i, role)
    {
        const char *found = json_string_value(json_object_get(role, "name"));

        if (found != NULL && strcmp(found, name) == 0)
            json_object_set(s->role_ids, name, json_object_get(role, "id"));
    }
    json_decref(reply);
    return json_string_value(json_object_get(s->role_ids, name));
}

/* The grants for bulkadd: each role of the list in the home division. */
static json_t *grants_for(struct session *s, const char *roles)
{
    json_t *grants = json_array();
    char *copy = strdup(roles ? roles : "");
    char *save = NULL;

    for (char *name = strtok_r(copy, ";", &save); name != NULL && grants;
         name = strtok_r(NULL, ";", &save)) {
        const char *id = session_role(s, name);

        if (id == NULL) {
            fprintf(stderr, "baseline: no role named '%s'\n", name);
            json_decref(grants);
            grants = NULL;
            break;
        }
        json_array_append_new(grants, json_pack("{s:s, s:s}", "roleId", id,
                                                "divisionId", s->home));
    }
    free(copy);
    return grants;
}

/* One assignment per license, each adding this one user. */
static json_t *licenses_for(const char *licenses, const char *user)
{
    json_t *assignments = json_array();
    char *copy = strdup(licenses ? licenses : "");
    char *save = NULL;

    for (char *id = strtok_r(copy, ";", &save); id != NULL;
         id = strtok_r(NULL, ";", &save))
        json_array_append_new(assignments,
                              json_pack("{s:s, s:[s], s:[]}", "licenseId", id,
                                        "userIdsAdd", user, "userIdsRemove"));
    free(copy);
    return json_pack("{s:o}", "assignments", assignments);
}

/* Create, read back, roles, licenses. Returns 0 when all four worked. */
static int provision(struct session *s, const struct person *p)
{
    json_t *body = json_pack("{s:s, s:s}", "name", p->name, "email", p->email);
    json_t *user, *grants;
    char id[64], path[256];
    long status = session_call(&user, s, "POST", "/api/v2/users", body);
    int rc = -1;

    if (status < 200 || status >= 300 ||
        json_string_value(json_object_get(user, "id")) == NULL)
        goto cleanup;
    snprintf(id, sizeof(id), "%s",
             json_string_value(json_object_get(user, "id")));
    snprintf(path, sizeof(path), "/api/v2/users/%s", id);
    if (session_send(s, "GET", path, NULL) < 0)
        goto cleanup;
    if (p->roles != NULL && p->roles[0] != '\0') {
        if ((grants = grants_for(s, p->roles)) == NULL)
            goto cleanup;
        snprintf(path, sizeof(path),
                 "/api/v2/authorization/subjects/%s/bulkadd", id);
        if (session_send(s, "POST", path,
                         json_pack("{s:o}", "grants", grants)) < 0)
            goto cleanup;
    }
    if (p->licenses != NULL && p->licenses[0] != '\0' &&
        session_send(s, "POST", "/api/v2/license/organization",
                     licenses_for(p->licenses, id)) < 0)
        goto cleanup;
    rc = 0;

cleanup:
    json_decref(body);
    json_decref(user);
    return rc;
}

static int session_open(struct session *s, const char *base)
{
    memset(s, 0, sizeof(*s));
    s->base = base;
    s->curl = curl_easy_init();
    s->role_ids = json_object();
    s->headers = curl_slist_append(NULL, "Content-Type: application/json");
    if (s->curl == NULL || s->role_ids == NULL || s->headers == NULL)
        return -1;
    curl_easy_setopt(s->curl, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(s->curl, CURLOPT_TIMEOUT, 60L);
    return 0;
}

static void session_close(struct session *s)
{
    curl_easy_cleanup(s->curl);
    curl_slist_free_all(s->headers);
    json_decref(s->role_ids);
}

static const char *env_or(const char *name, const char *fallback)
{
    const char *v = getenv(name);

    return v != NULL && v[0] != '\0' ? v : fallback;
}

int main(int argc, char **argv)
{
    struct roster roster;
    struct session s;
    size_t done = 0;
    double start;
    int rc = 1;

    if (argc != 3) {
        fprintf(stderr, "usage: baseline API_URL ROSTER.csv\n");
        return 2;
    }
    if (roster_read(&roster, argv[2]) < 0) {
        roster_free(&roster);
        return 2;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    start = now_seconds();
    if (session_open(&s, argv[1]) < 0 ||
        session_login(&s, env_or("BASELINE_CLIENT_ID", "gcprov-demo"),
                      env_or("BASELINE_CLIENT_SECRET", "gcprov-demo-secret")) <
            0) {
        fprintf(stderr, "baseline: login to '%s' failed\n", argv[1]);
        goto cleanup;
    }
    curl_easy_setopt(s.curl, CURLOPT_HTTPHEADER, s.headers);
    if (session_home_division(&s) < 0) {
        fprintf(stderr, "baseline: cannot read the home division\n");
        goto cleanup;
    }
    for (size_t i = 0; i < roster.count; i++) {
        if (provision(&s, &roster.people[i]) == 0)
            done++;
        else
            s.failures++;
    }
    printf("baseline: people=%zu done=%zu calls=%ld http_429=%ld "
           "retries=%ld failures=%ld seconds=%.2f\n",
           roster.count, done, s.calls, s.throttled, s.retries, s.failures,
           now_seconds() - start);
    rc = done == roster.count ? 0 : 1;

cleanup:
    session_close(&s);
    roster_free(&roster);
    curl_global_cleanup();
    return fflush(stdout) == 0 && !ferror(stdout) ? rc : 1;
}

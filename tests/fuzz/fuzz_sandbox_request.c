/*
 * fuzz_sandbox_request.c: whole requests, as a client could send them,
 * through the sandbox's pipeline: route matching on method and path, the
 * query string, headers and the body. The input is
 *
 *     METHOD SP PATH[?QUERY] LF
 *     Name: value LF            (any number, up to 16)
 *     LF
 *     body
 *
 * Without an Authorization header the demo client's token is added, and
 * without a Content-Type, application/json, so that most inputs reach the
 * handlers; inputs that name them test the token and content checks.
 */
#include <stddef.h>
#include <stdint.h>
#include <strings.h>

#include "fuzz_sandbox_util.h"

#define MAX_HEADERS 16

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct parsed {
    char *method, *path, *query;
    struct sbx_kv headers[MAX_HEADERS + 2];
    size_t header_count;
    const char *body;
    size_t body_len;
};

/* Cuts the next line out of [*p, end) (NUL replaces the LF). */
static char *next_line(char **p, char *end)
{
    char *line = *p;
    char *lf = memchr(line, '\n', (size_t)(end - line));

    if (lf == NULL)
        return NULL;
    *lf = '\0';
    *p = lf + 1;
    return line;
}

static int has_header(const struct parsed *r, const char *name)
{
    for (size_t i = 0; i < r->header_count; i++)
        if (strcasecmp(r->headers[i].key, name) == 0)
            return 1;
    return 0;
}

static void parse_headers(struct parsed *r, char **p, char *end)
{
    char *line;

    while ((line = next_line(p, end)) != NULL && *line != '\0') {
        char *colon = strchr(line, ':');

        if (colon == NULL || r->header_count == MAX_HEADERS)
            continue;
        *colon = '\0';
        r->headers[r->header_count++] =
            (struct sbx_kv){line, colon + 1 + strspn(colon + 1, " ")};
    }
}

static int parse(struct parsed *r, char *text, size_t size)
{
    char *p = text, *end = text + size;
    char *first = next_line(&p, end);
    char *sp, *qm;

    if (first == NULL || (sp = strchr(first, ' ')) == NULL)
        return -1;
    *sp = '\0';
    r->method = first;
    r->path = sp + 1;
    qm = strchr(r->path, '?');
    if (qm != NULL)
        *qm = '\0';
    r->query = qm ? qm + 1 : NULL;
    parse_headers(r, &p, end);
    r->body = p;
    r->body_len = (size_t)(end - p);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct parsed r = {0};
    char *text = malloc(size + 1);
    struct fz f;

    if (text == NULL)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (parse(&r, text, size) == 0) {
        fz_open(&f);
        if (!has_header(&r, "Authorization"))
            r.headers[r.header_count++] =
                (struct sbx_kv){"Authorization", f.bearer};
        if (!has_header(&r, "Content-Type"))
            r.headers[r.header_count++] =
                (struct sbx_kv){"Content-Type", "application/json"};
        fz_request(&f, r.method, r.path, r.query, r.headers, r.header_count,
                   r.body, r.body_len);
        fz_read_back(&f);
        fz_close(&f);
    }
    free(text);
    return 0;
}

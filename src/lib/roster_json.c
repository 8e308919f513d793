/*
 * roster_json.c: the JSON and JSON Lines readers. Jansson parses each
 * person; this file streams the input and keeps positions.
 *
 * Streaming: a JSON roster is one array, but it is never loaded whole. A
 * small scanner walks the bytes (through the UTF-8 cursor), finds where
 * each element of the top-level array starts and ends (strings, escapes
 * and nesting followed, nothing else), and hands that element alone to
 * json_loadb(). JSON Lines hands each non-blank line over the same way.
 * Memory thus holds one person's JSON at a time, and a syntax error in
 * one element is reported without losing the others.
 *
 * Positions: a problem with a field points at its key; a problem with
 * the whole object (a missing field) at its opening brace. Jansson's
 * error positions, relative to the element, are moved to the file's.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "roster_int.h"

enum json_state {
    JS_START, /* before the '[' */
    JS_FIRST, /* after '[': a value or ']' */
    JS_NEXT,  /* after ',' (or between JSON Lines): a value */
    JS_VALUE, /* inside a value */
    JS_AFTER, /* after a value: ',' or ']' */
    JS_DONE,  /* after the ']': only blanks */
};

struct json_key {
    const char *raw; /* the key's bytes as written, inside `buf` */
    size_t len;
    struct roster_pos pos;
};

struct json_reader {
    gcp_roster *r;
    int lines; /* JSON Lines */
    struct roster_cursor cur;
    enum json_state st;

    char *buf; /* the current element */
    size_t len, cap;
    struct roster_pos vpos; /* where it starts */
    int depth, in_str, esc, scalar;

    struct json_key *keys;
    size_t nkeys, keys_cap;
};

static int is_ws(unsigned char b)
{
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
}

static int buf_push(struct json_reader *j, unsigned char b)
{
    if (j->len + 1 >= j->cap) {
        size_t cap = j->cap ? j->cap * 2 : 4096;
        char *grown = realloc(j->buf, cap);

        if (grown == NULL)
            return GCP_ENOMEM;
        j->buf = grown;
        j->cap = cap;
    }
    j->buf[j->len++] = (char)b;
    if (j->len <= j->r->opts.max_record_bytes)
        return 0;
    roster__fatal(j->r, j->vpos, "the %s is longer than %zu bytes",
                  j->lines ? "line" : "object", j->r->opts.max_record_bytes);
    return GCP_EINVALID;
}

static int key_push(struct json_reader *j, const struct json_key *k)
{
    if (j->nkeys == j->keys_cap) {
        size_t cap = j->keys_cap ? j->keys_cap * 2 : 32;
        struct json_key *grown = realloc(j->keys, cap * sizeof(*grown));

        if (grown == NULL)
            return GCP_ENOMEM;
        j->keys = grown;
        j->keys_cap = cap;
    }
    j->keys[j->nkeys++] = *k;
    return 0;
}

/*
 * Finds where each key of the element's outer object is written: the
 * strings at depth 1 that follow '{' or ','.
 */
static int find_keys(struct json_reader *j)
{
    struct roster_cursor cur;
    int depth = 0, in_str = 0, esc = 0, expect_key = 0;
    struct json_key k = {NULL, 0, {0, 0}};

    roster__cursor_init(&cur);
    cur.next = j->vpos;
    j->nkeys = 0;
    for (size_t i = 0; i < j->len; i++) {
        char b = j->buf[i];
        struct roster_pos pos = cur.next;

        roster__cursor_step(&cur, (unsigned char)b);
        if (in_str) {
            if (esc)
                esc = 0;
            else if (b == '\\')
                esc = 1;
            else if (b == '"' && (in_str = 0, k.raw != NULL)) {
                k.len = (size_t)(j->buf + i - k.raw);
                if (key_push(j, &k) != 0)
                    return GCP_ENOMEM;
                k.raw = NULL;
            }
            continue;
        }
        if (b == '"') {
            in_str = 1;
            if (depth == 1 && expect_key) {
                k.raw = j->buf + i + 1;
                k.pos = pos;
            }
            expect_key = 0;
        } else if (b == '{' || b == '[') {
            expect_key = ++depth == 1;
        } else if (b == '}' || b == ']') {
            depth--;
        } else if (b == ',' && depth == 1) {
            expect_key = 1;
        }
    }
    return 0;
}

static struct roster_pos key_pos(const struct json_reader *j, const char *key)
{
    size_t len = strlen(key);

    for (size_t i = 0; i < j->nkeys; i++)
        if (j->keys[i].len == len && memcmp(j->keys[i].raw, key, len) == 0)
            return j->keys[i].pos;
    return j->vpos;
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        return "an object";
    case JSON_ARRAY:
        return "an array";
    case JSON_STRING:
        return "a string";
    case JSON_INTEGER:
    case JSON_REAL:
        return "a number";
    case JSON_TRUE:
    case JSON_FALSE:
        return "a boolean";
    case JSON_NULL:
        return "null";
    }
    return "a value";
}

static int wrong_type(gcp_roster *r, const char *key, struct roster_pos pos,
                      const json_t *v, const char *wanted)
{
    enum roster_field f = roster__field_lookup(r, key, strlen(key));

    if (f < RF_COUNT) {
        r->rec.v[f].present = 1; /* reported here, not as missing */
        r->rec.v[f].bad = 1;
    }
    return roster__diag(r, GCP_ROSTER_ERROR, pos, key, NULL, 0,
                        "expected %s, found %s", wanted, type_name(v));
}

/* A {"role": ..., "division": ...} element of "roles". */
static int add_role_object(gcp_roster *r, const char *key, json_t *o,
                           struct roster_pos pos)
{
    json_t *role = json_object_get(o, "role");    /* borrowed */
    json_t *div = json_object_get(o, "division"); /* borrowed */

    if (!json_is_string(role) || json_string_length(role) == 0)
        return roster__diag(r, GCP_ROSTER_ERROR, pos, key, NULL, 0,
                            "a role object needs a non-empty 'role' string");
    if (div != NULL && !json_is_null(div) &&
        (!json_is_string(div) || json_string_length(div) == 0))
        return roster__diag(r, GCP_ROSTER_ERROR, pos, key, NULL, 0,
                            "a role's 'division' must be a non-empty "
                            "string");
    return roster__rec_add(
        r, RF_ROLES, key, json_string_value(role), json_string_length(role),
        json_is_string(div) ? json_string_value(div) : NULL,
        json_is_string(div) ? json_string_length(div) : 0, pos);
}

static int add_list_item(gcp_roster *r, enum roster_field f, const char *key,
                         json_t *item, struct roster_pos pos)
{
    if (f == RF_ROLES && json_is_object(item))
        return add_role_object(r, key, item, pos);
    if (!json_is_string(item))
        return wrong_type(r, key, pos, item,
                          f == RF_ROLES ? "a role name or object"
                                        : "a license id");
    if (json_string_length(item) == 0)
        return roster__diag(r, GCP_ROSTER_ERROR, pos, key, "", 0,
                            "holds an empty name");
    if (f == RF_ROLES)
        return roster__rec_set(r, f, key, json_string_value(item),
                               json_string_length(item), pos);
    return roster__rec_add(r, f, key, json_string_value(item),
                           json_string_length(item), NULL, 0, pos);
}

static int set_list(gcp_roster *r, enum roster_field f, const char *key,
                    json_t *v, struct roster_pos pos)
{
    size_t i;
    json_t *item; /* borrowed */
    int rc = 0;

    if (json_is_string(v))
        return roster__rec_set(r, f, key, json_string_value(v),
                               json_string_length(v), pos);
    if (!json_is_array(v))
        return wrong_type(r, key, pos, v, "an array");
    r->rec.v[f].present = 1;
    json_array_foreach(v, i, item)
    {
        if ((rc = add_list_item(r, f, key, item, pos)) != 0)
            break;
    }
    return rc;
}

static int set_field(gcp_roster *r, enum roster_field f, const char *key,
                     json_t *v, struct roster_pos pos)
{
    char num[32];

    if (json_is_null(v))
        return 0;
    if (f == RF_ROLES || f == RF_LICENSES)
        return set_list(r, f, key, v, pos);
    if (json_is_string(v))
        return roster__rec_set(r, f, key, json_string_value(v),
                               json_string_length(v), pos);
    if (json_is_integer(v) && (f == RF_EMPLOYEE_ID || f == RF_EXTENSION)) {
        int n = snprintf(num, sizeof(num), "%" JSON_INTEGER_FORMAT,
                         json_integer_value(v));
        const char *copy = roster__strndup(r, num, (size_t)n);

        return copy ? roster__rec_set(r, f, key, copy, (size_t)n, pos)
                    : GCP_ENOMEM;
    }
    return wrong_type(r, key, pos, v, "a string");
}

/* Warns about each unknown or ignored key once per file. */
static int warn_key(gcp_roster *r, const char *key, enum roster_field f,
                    struct roster_pos pos)
{
    size_t len = strlen(key);

    if (roster__interned(&r->seen_unknown, key, len))
        return 0;
    if (roster__intern(r, &r->seen_unknown, key, len) == NULL)
        return GCP_ENOMEM;
    return roster__diag(r, GCP_ROSTER_WARNING, pos, key, NULL, 0,
                        f == RF_IGNORED
                            ? "key is ignored: gcprov does not act on it"
                            : "unknown key is ignored");
}

static int read_object(struct json_reader *j, json_t *obj)
{
    gcp_roster *r = j->r;
    const char *key;
    json_t *v; /* borrowed */
    int rc = find_keys(j);

    roster__rec_begin(r, j->vpos);
    json_object_foreach(obj, key, v)
    {
        enum roster_field f = roster__field_lookup(r, key, strlen(key));
        struct roster_pos pos = key_pos(j, key);

        if (rc != 0)
            break;
        if (f >= RF_COUNT)
            rc = warn_key(r, key, f, pos);
        else if (r->rec.v[f].present)
            rc = roster__diag(r, GCP_ROSTER_ERROR, pos, key, NULL, 0,
                              "gives '%s' again", roster__field_name(f));
        else
            rc = set_field(r, f, key, v, pos);
    }
    return rc ? rc : roster__rec_end(r);
}

static struct roster_pos error_pos(const struct json_reader *j,
                                   const json_error_t *e)
{
    struct roster_pos pos = j->vpos;

    if (e->line < 1 || e->column < 1)
        return pos;
    if (e->line == 1)
        pos.column += (unsigned)e->column - 1;
    else
        pos.column = (unsigned)e->column;
    pos.line += (unsigned)e->line - 1;
    return pos;
}

/* Parses the element in `buf` and makes a person of it. */
static int read_element(struct json_reader *j)
{
    gcp_roster *r = j->r;
    json_error_t e;
    json_t *v;
    int rc;

    if ((rc = roster__count_row(r, j->vpos)) != 0)
        return rc;
    roster__rec_begin(r, j->vpos);
    v = json_loadb(j->buf, j->len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                   &e); /* new reference, released below */
    if (v == NULL)
        return roster__diag(r, GCP_ROSTER_ERROR, error_pos(j, &e), NULL, NULL,
                            0, "invalid JSON: %s", e.text);
    if (json_is_object(v))
        rc = read_object(j, v);
    else
        rc = roster__diag(r, GCP_ROSTER_ERROR, j->vpos, NULL, NULL, 0,
                          "expected an object for a person, found %s",
                          type_name(v));
    json_decref(v);
    return rc;
}

static int begin_value(struct json_reader *j, unsigned char b,
                       struct roster_pos pos)
{
    j->st = JS_VALUE;
    j->len = 0;
    j->vpos = pos;
    j->depth = 0;
    j->in_str = 0;
    j->esc = 0;
    j->scalar = b != '{' && b != '[';
    return 0;
}

/* Follows strings and nesting; returns 1 when the value just ended. */
static int track_value(struct json_reader *j, unsigned char b)
{
    if (j->in_str) {
        if (j->esc)
            j->esc = 0;
        else if (b == '\\')
            j->esc = 1;
        else if (b == '"')
            j->in_str = 0;
        return 0;
    }
    if (b == '"')
        j->in_str = 1;
    else if (b == '{' || b == '[')
        j->depth++;
    else if ((b == '}' || b == ']') && --j->depth <= 0 && !j->scalar)
        return 1;
    return 0;
}

static int structure_error(struct json_reader *j, struct roster_pos pos,
                           const char *what)
{
    roster__fatal(j->r, pos, "%s", what);
    return GCP_EINVALID;
}

static int step_array(struct json_reader *j, unsigned char b,
                      struct roster_pos pos);

/* In a value: collects it, and reads it once it ends. */
static int step_value(struct json_reader *j, unsigned char b,
                      struct roster_pos pos)
{
    int rc;

    if (j->lines && b == '\n') {
        j->st = JS_NEXT;
        return read_element(j);
    }
    if (!j->lines && j->scalar && !j->in_str &&
        (is_ws(b) || b == ',' || b == ']')) {
        j->st = JS_AFTER;
        if ((rc = read_element(j)) != 0)
            return rc;
        return step_array(j, b, pos);
    }
    if ((rc = buf_push(j, b)) != 0)
        return rc;
    if (!j->lines && track_value(j, b)) {
        j->st = JS_AFTER;
        return read_element(j);
    }
    return 0;
}

static int step_array(struct json_reader *j, unsigned char b,
                      struct roster_pos pos)
{
    if (j->st == JS_VALUE)
        return step_value(j, b, pos);
    if (is_ws(b))
        return 0;
    switch (j->st) {
    case JS_START:
        if (b == '[')
            return j->st = JS_FIRST, 0;
        return structure_error(j, pos,
                               "a JSON roster is an array of objects; for "
                               "one object per line use JSON Lines");
    case JS_FIRST:
        if (b == ']')
            return j->st = JS_DONE, 0;
        /* fall through */
    case JS_NEXT:
        if (b == ']' || b == ',')
            return structure_error(j, pos, "expected a person after ','");
        begin_value(j, b, pos);
        return step_value(j, b, pos);
    case JS_AFTER:
        if (b == ',')
            return j->st = JS_NEXT, 0;
        if (b == ']')
            return j->st = JS_DONE, 0;
        return structure_error(j, pos, "expected ',' or ']' after a person");
    default:
        return structure_error(j, pos, "unexpected text after the array");
    }
}

static int step_lines(struct json_reader *j, unsigned char b,
                      struct roster_pos pos)
{
    if (j->st == JS_VALUE)
        return step_value(j, b, pos);
    if (is_ws(b))
        return 0;
    begin_value(j, b, pos);
    return step_value(j, b, pos);
}

static int scan_chunk(struct json_reader *j, const char *buf, size_t n)
{
    int rc;

    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)buf[i];
        struct roster_pos pos = j->cur.next;

        if (roster__cursor_step(&j->cur, b) != 0) {
            roster__bad_utf8(j->r, &j->cur);
            return GCP_EINVALID;
        }
        rc = j->lines ? step_lines(j, b, pos) : step_array(j, b, pos);
        if (rc != 0)
            return rc;
    }
    return 0;
}

static int finish(struct json_reader *j)
{
    gcp_roster *r = j->r;
    struct roster_pos end = j->cur.next;

    if (j->cur.need > 0)
        return roster__bad_utf8(r, &j->cur), GCP_EINVALID;
    if (j->st == JS_VALUE && (j->lines || j->scalar))
        return read_element(j);
    if (j->st == JS_VALUE)
        return structure_error(j, j->vpos,
                               "the person starting here is never closed");
    if (j->lines && r->rows == 0)
        return roster__fatal(r, end, "the roster is empty");
    if (j->st == JS_START)
        return roster__fatal(r, end, "the roster is empty");
    if (!j->lines && j->st != JS_DONE)
        return structure_error(j, end, "the array is never closed with ']'");
    if (r->rows == 0)
        return roster__diag(r, GCP_ROSTER_WARNING, end, NULL, NULL, 0,
                            "the roster holds no people");
    return 0;
}

static int read_all(struct json_reader *j, struct roster_input *in)
{
    size_t start = roster__bom_length(in->buf, in->len);
    size_t n = in->len;
    int rc;

    j->cur.offset = start; /* the BOM counts in offsets, not in columns */
    while (n > 0) {
        if ((rc = scan_chunk(j, in->buf + start, n - start)) != 0)
            return rc;
        start = 0;
        n = roster__input_next(in);
    }
    return finish(j);
}

int roster__read_json(gcp_roster *r, struct roster_input *in, int lines)
{
    struct json_reader j;
    int rc;

    memset(&j, 0, sizeof(j));
    j.r = r;
    j.lines = lines;
    j.st = lines ? JS_NEXT : JS_START;
    roster__cursor_init(&j.cur);
    rc = read_all(&j, in);
    free(j.buf);
    free(j.keys);
    return rc;
}

/*
 * roster.c: the roster handle: its memory (an arena and an intern table),
 * its diagnostics, opening the input and choosing a reader, and the final
 * pass that finds duplicates and orders the diagnostics.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "roster_int.h"

#define ARENA_BLOCK          65536
#define DEFAULT_FIELD_BYTES  4096
#define DEFAULT_RECORD_BYTES 65536
#define DEFAULT_ROWS         1000000
#define DEFAULT_DIAGS        10000

struct arena_block {
    struct arena_block *next;
    size_t used, size;
    max_align_t data[];
};

/* Everything kept in the arena needs at most a pointer's alignment. */
void *roster__alloc(gcp_roster *r, size_t size)
{
    struct arena_block *b = r->arena;
    size_t need = (size + sizeof(void *) - 1) & ~(sizeof(void *) - 1);
    void *p;

    if (b == NULL || b->size - b->used < need) {
        size_t cap = need > ARENA_BLOCK ? need : ARENA_BLOCK;

        if ((b = malloc(sizeof(*b) + cap)) == NULL)
            return NULL;
        b->used = 0;
        b->size = cap;
        b->next = r->arena;
        r->arena = b;
    }
    p = (char *)b->data + b->used;
    b->used += need;
    return p;
}

char *roster__strndup(gcp_roster *r, const char *s, size_t len)
{
    char *p = roster__alloc(r, len + 1);

    if (p == NULL)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static size_t hash_bytes(const char *s, size_t len)
{
    size_t h = 2166136261u;

    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

static int intern_grow(struct intern_table *t)
{
    size_t cap = t->cap ? t->cap * 2 : 64;
    const char **slots = calloc(cap, sizeof(*slots));

    if (slots == NULL)
        return -1;
    for (size_t i = 0; i < t->cap; i++) {
        const char *s = t->slots[i];
        size_t h;

        if (s == NULL)
            continue;
        for (h = hash_bytes(s, strlen(s)); slots[h & (cap - 1)]; h++)
            ;
        slots[h & (cap - 1)] = s;
    }
    free(t->slots);
    t->slots = slots;
    t->cap = cap;
    return 0;
}

/* Returns the slot holding s[0..len), or the empty slot where it goes. */
static const char **intern_slot(const struct intern_table *t, const char *s,
                                size_t len)
{
    for (size_t h = hash_bytes(s, len);; h++) {
        const char **slot = &t->slots[h & (t->cap - 1)];

        if (*slot == NULL ||
            (strncmp(*slot, s, len) == 0 && (*slot)[len] == '\0'))
            return slot;
    }
}

int roster__interned(const struct intern_table *t, const char *s, size_t len)
{
    return t->cap > 0 && *intern_slot(t, s, len) != NULL;
}

const char *roster__intern(gcp_roster *r, struct intern_table *t, const char *s,
                           size_t len)
{
    const char **slot;

    if ((t->count + 1) * 2 > t->cap && intern_grow(t) != 0)
        return NULL;
    slot = intern_slot(t, s, len);
    if (*slot == NULL) {
        if ((*slot = roster__strndup(r, s, len)) == NULL)
            return NULL;
        t->count++;
    }
    return *slot;
}

static int diag_push(gcp_roster *r, const gcp_roster_diagnostic *d)
{
    if (r->diag_count == r->diag_cap) {
        size_t cap = r->diag_cap ? r->diag_cap * 2 : 32;
        struct diag_item *grown = realloc(r->diags, cap * sizeof(*grown));

        if (grown == NULL)
            return GCP_ENOMEM;
        r->diags = grown;
        r->diag_cap = cap;
    }
    r->diags[r->diag_count].d = *d;
    r->diags[r->diag_count++].seq = r->diag_seq++;
    return 0;
}

static int diag_vadd(gcp_roster *r, gcp_roster_severity sev,
                     struct roster_pos pos, const char *field,
                     const char *value, size_t value_len, const char *fmt,
                     va_list ap)
{
    gcp_roster_diagnostic d = {r->file, pos.line, pos.column, NULL,
                               NULL,    NULL,     sev};
    char msg[512];

    if (sev == GCP_ROSTER_ERROR) {
        r->errors++;
        r->rec.errors++;
    } else {
        r->warnings++;
    }
    if (r->diag_count >= r->opts.max_diags)
        return 0;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    d.message = roster__strndup(r, msg, strlen(msg));
    if (field != NULL)
        d.field = roster__intern(r, &r->intern, field, strlen(field));
    if (value != NULL)
        d.value = roster__strndup(r, value, value_len);
    if (d.message == NULL || (field && !d.field) || (value && !d.value))
        return GCP_ENOMEM;
    return diag_push(r, &d);
}

int roster__diag(gcp_roster *r, gcp_roster_severity sev, struct roster_pos pos,
                 const char *field, const char *value, size_t value_len,
                 const char *fmt, ...)
{
    va_list ap;
    int rc;

    va_start(ap, fmt);
    rc = diag_vadd(r, sev, pos, field, value, value_len, fmt, ap);
    va_end(ap);
    return rc;
}

int roster__fatal(gcp_roster *r, struct roster_pos pos, const char *fmt, ...)
{
    va_list ap;
    int rc;

    r->fatal = 1;
    va_start(ap, fmt);
    rc = diag_vadd(r, GCP_ROSTER_ERROR, pos, NULL, NULL, 0, fmt, ap);
    va_end(ap);
    return rc;
}

int roster__bad_utf8(gcp_roster *r, const struct roster_cursor *cur)
{
    return roster__fatal(r, cur->seq_pos,
                         "invalid UTF-8 at byte offset %llu: save the file "
                         "as UTF-8",
                         (unsigned long long)cur->seq_offset);
}

int roster__count_row(gcp_roster *r, struct roster_pos pos)
{
    if (++r->rows <= r->opts.max_rows)
        return 0;
    roster__fatal(r, pos, "more than %zu rows: split the roster",
                  r->opts.max_rows);
    return GCP_EINVALID;
}

static void resolve_limits(gcp_roster_options *o)
{
    if (o->max_field_bytes == 0)
        o->max_field_bytes = DEFAULT_FIELD_BYTES;
    if (o->max_record_bytes == 0)
        o->max_record_bytes = DEFAULT_RECORD_BYTES;
    if (o->max_rows == 0)
        o->max_rows = DEFAULT_ROWS;
    if (o->max_diags == 0)
        o->max_diags = DEFAULT_DIAGS;
}

/* Creates an empty roster with its options checked; see gcp_roster_read. */
static int roster_new(gcp_roster **out, const char *name,
                      const gcp_roster_options *opts)
{
    static const gcp_roster_options defaults = GCP_ROSTER_OPTIONS_INIT;
    gcp_roster *r = calloc(1, sizeof(*r));

    *out = r;
    if (r == NULL)
        return GCP_ENOMEM;
    r->opts = opts != NULL ? *opts : defaults;
    resolve_limits(&r->opts);
    r->log.fn = r->opts.log;
    r->log.payload = r->opts.log_payload;
    r->log.min = r->opts.log_level;
    if ((r->file = roster__strndup(r, name, strlen(name))) == NULL)
        return GCP_ENOMEM;
    if (r->opts.version != GCP_ROSTER_OPTIONS_VERSION)
        return gcp_err__set(&r->err, GCP_EINVALID,
                            "roster options version %u is not supported",
                            r->opts.version);
    for (size_t i = 0; i < r->opts.map_count; i++) {
        const char *f = r->opts.map[i].field;

        if (roster__field_plain(f, strlen(f)) >= RF_COUNT)
            return gcp_err__set(&r->err, GCP_EINVALID,
                                "cannot map unknown field '%s'", f);
    }
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static gcp_roster_format format_from_name(const char *path)
{
    if (ends_with(path, ".csv") || ends_with(path, ".CSV"))
        return GCP_ROSTER_CSV;
    if (ends_with(path, ".jsonl") || ends_with(path, ".ndjson"))
        return GCP_ROSTER_JSONL;
    if (ends_with(path, ".json") || ends_with(path, ".JSON"))
        return GCP_ROSTER_JSON;
    return GCP_ROSTER_AUTO;
}

size_t roster__bom_length(const char *buf, size_t len)
{
    return len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

size_t roster__input_next(struct roster_input *in)
{
    in->len = fread(in->buf, 1, ROSTER_CHUNK, in->fp);
    return in->len;
}

/* Looks at the first non-blank byte: '[' is JSON, '{' JSON Lines. */
static gcp_roster_format format_sniff(const char *buf, size_t len)
{
    for (size_t i = roster__bom_length(buf, len); i < len; i++) {
        if (buf[i] == ' ' || buf[i] == '\t' || buf[i] == '\r' || buf[i] == '\n')
            continue;
        if (buf[i] == '[')
            return GCP_ROSTER_JSON;
        return buf[i] == '{' ? GCP_ROSTER_JSONL : GCP_ROSTER_CSV;
    }
    return GCP_ROSTER_CSV;
}

static int diag_compare(const void *a, const void *b)
{
    const struct diag_item *x = a, *y = b;

    if (x->d.line != y->d.line)
        return x->d.line < y->d.line ? -1 : 1;
    if (x->d.column != y->d.column)
        return x->d.column < y->d.column ? -1 : 1;
    return x->seq < y->seq ? -1 : 1;
}

void roster__sort_diags(gcp_roster *r)
{
    if (r->diag_count > 1)
        qsort(r->diags, r->diag_count, sizeof(*r->diags), diag_compare);
}

static int read_input(gcp_roster *r, struct roster_input *in,
                      gcp_roster_format format)
{
    roster__input_next(in);
    if (format == GCP_ROSTER_AUTO)
        format = format_sniff(in->buf, in->len);
    if (format == GCP_ROSTER_CSV)
        return roster__read_csv(r, in);
    return roster__read_json(r, in, format == GCP_ROSTER_JSONL);
}

/* Reads all of `fp`, then finds duplicates and orders the diagnostics. */
static int read_stream(gcp_roster *r, FILE *fp, gcp_roster_format format)
{
    struct roster_input in = {fp, malloc(ROSTER_CHUNK), 0};
    int rc;

    if (in.buf == NULL)
        return gcp_err__set(&r->err, GCP_ENOMEM, "out of memory");
    rc = read_input(r, &in, format);
    free(in.buf);
    if (rc == 0 && ferror(fp))
        rc = gcp_err__set(&r->err, GCP_EIO, "cannot read '%s': %s", r->file,
                          strerror(errno));
    if (rc == GCP_EINVALID)
        rc = 0; /* a limit or syntax error stopped the read: reported */
    if (rc == GCP_ENOMEM)
        gcp_err__set(&r->err, rc, "out of memory");
    if (rc == 0)
        rc = roster__find_duplicates(r);
    roster__sort_diags(r);
    return rc;
}

static void log_summary(gcp_roster *r, double started)
{
    double secs = gcp_clock__now() - started;

    gcp_log__emit(&r->log, GCP_LOG_INFO,
                  "read %zu rows from '%s' in %.2f s: %zu people kept, "
                  "%zu errors, %zu warnings",
                  r->rows, r->file, secs, r->count, r->errors, r->warnings);
}

int gcp_roster_read(gcp_roster **out, const char *path,
                    const gcp_roster_options *opts)
{
    int is_stdin = strcmp(path, "-") == 0;
    const char *name = opts && opts->display_name ? opts->display_name
                       : is_stdin                 ? "<stdin>"
                                                  : path;
    double started = gcp_clock__now();
    FILE *fp = NULL;
    gcp_roster_format format;
    int rc;

    if ((rc = roster_new(out, name, opts)) != 0)
        return rc;
    format = (*out)->opts.format;
    if (format == GCP_ROSTER_AUTO && !is_stdin)
        format = format_from_name(path);
    fp = is_stdin ? stdin : fopen(path, "rb");
    if (fp == NULL)
        return gcp_err__set(&(*out)->err, GCP_EIO, "cannot open '%s': %s", path,
                            strerror(errno));
    rc = read_stream(*out, fp, format);
    if (!is_stdin)
        fclose(fp);
    log_summary(*out, started);
    return rc;
}

int gcp_roster_read_buffer(gcp_roster **out, const void *data, size_t len,
                           const char *name, const gcp_roster_options *opts)
{
    static char empty[1];
    FILE *fp;
    int rc;

    if ((rc = roster_new(out, name ? name : "<buffer>", opts)) != 0)
        return rc;
    /* glibc accepts a size of 0; the pointer must still be valid. */
    fp = fmemopen(len > 0 ? (void *)data : empty, len, "rb");
    if (fp == NULL)
        return gcp_err__set(&(*out)->err, GCP_ENOMEM,
                            "cannot open a buffer: %s", strerror(errno));
    rc = read_stream(*out, fp, (*out)->opts.format);
    fclose(fp);
    return rc;
}

const char *gcp_roster_error(const gcp_roster *roster)
{
    return roster ? gcp_err__message(&roster->err) : "";
}

int gcp_roster_is_valid(const gcp_roster *roster)
{
    return roster != NULL && roster->err.code == 0 && roster->errors == 0;
}

int gcp_roster_is_usable(const gcp_roster *roster)
{
    if (roster == NULL || roster->err.code != 0 || roster->fatal)
        return 0;
    return roster->errors == 0 || roster->opts.skip_invalid;
}

size_t gcp_roster_diag_count(const gcp_roster *roster)
{
    return roster ? roster->diag_count : 0;
}

const gcp_roster_diagnostic *gcp_roster_diag(const gcp_roster *roster,
                                             size_t index)
{
    if (roster == NULL || index >= roster->diag_count)
        return NULL;
    return &roster->diags[index].d;
}

void gcp_roster_diag_totals(const gcp_roster *roster, size_t *errors,
                            size_t *warnings)
{
    if (errors != NULL)
        *errors = roster ? roster->errors : 0;
    if (warnings != NULL)
        *warnings = roster ? roster->warnings : 0;
}

size_t gcp_roster_row_count(const gcp_roster *roster)
{
    return roster ? roster->rows : 0;
}

size_t gcp_roster_count(const gcp_roster *roster)
{
    return roster ? roster->count : 0;
}

const gcp_person *gcp_roster_person(const gcp_roster *roster, size_t index)
{
    if (roster == NULL || index >= roster->count)
        return NULL;
    return &roster->people[index];
}

void gcp_roster_free(gcp_roster *roster)
{
    struct arena_block *b, *next;

    if (roster == NULL)
        return;
    for (b = roster->arena; b != NULL; b = next) {
        next = b->next;
        free(b);
    }
    free(roster->intern.slots);
    free(roster->seen_unknown.slots);
    free(roster->people);
    free(roster->extra);
    free(roster->diags);
    free(roster->rec.roles.items);
    free(roster->rec.licenses.items);
    free(roster);
}

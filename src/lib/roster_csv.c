/*
 * roster_csv.c: the CSV reader. libcsv parses (RFC 4180, strict quoting);
 * this file feeds it and keeps positions.
 *
 * Positions: libcsv reports a field or a row only when it reads a
 * delimiter, CR or LF, so the input is fed in segments that each end at
 * one such byte. Any callback during a segment was caused by its last
 * byte, and the first byte after it starts the next field: that is how
 * every field gets its own line and column, even in quoted multi-line
 * fields and CRLF files. The bytes themselves pass through a cursor that
 * checks UTF-8 and counts lines and columns on the way.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "roster_int.h"

struct csv_cell {
    size_t off, len;
    struct roster_pos pos;
};

struct csv_column {
    const char *name;
    enum roster_field field;
};

struct csv_reader {
    gcp_roster *r;
    struct csv_parser parser;
    unsigned char delim;
    struct roster_cursor cur;
    struct roster_cursor seg_cur; /* the cursor where the segment began */

    char *bytes; /* the current row's fields, back to back */
    size_t len, cap;
    struct csv_cell *cells;
    size_t ncells, cells_cap;

    int at_field_start;
    int row_pending; /* between rows: blank lines are skipped */
    struct roster_pos field_pos, row_pos;
    uint64_t row_offset;

    struct csv_column *cols; /* the header, in the arena */
    size_t ncols;
    int have_header;
    int rc; /* the first failure inside a callback */
};

static int append_bytes(struct csv_reader *c, const void *s, size_t len)
{
    if (c->bytes == NULL || c->len + len > c->cap) {
        size_t cap = c->cap ? c->cap : 1024;
        char *grown;

        while (cap < c->len + len)
            cap *= 2;
        if ((grown = realloc(c->bytes, cap)) == NULL)
            return GCP_ENOMEM;
        c->bytes = grown;
        c->cap = cap;
    }
    if (len > 0)
        memcpy(c->bytes + c->len, s, len);
    c->len += len;
    return 0;
}

static int push_cell(struct csv_reader *c, const void *s, size_t len)
{
    struct csv_cell cell = {c->len, len, c->field_pos};

    if (c->ncells == c->cells_cap) {
        size_t cap = c->cells_cap ? c->cells_cap * 2 : 32;
        struct csv_cell *grown = realloc(c->cells, cap * sizeof(*grown));

        if (grown == NULL)
            return GCP_ENOMEM;
        c->cells = grown;
        c->cells_cap = cap;
    }
    c->cells[c->ncells++] = cell;
    return append_bytes(c, s, len);
}

/* libcsv's field callback: keeps the field until the row ends. */
static void on_field(void *s, size_t len, void *data)
{
    struct csv_reader *c = data;

    c->at_field_start = 1;
    if (c->rc == 0)
        c->rc = push_cell(c, s, len);
}

static int warn_column(gcp_roster *r, const struct csv_column *col,
                       size_t index, struct roster_pos pos)
{
    if (col->name[0] == '\0')
        return roster__diag(r, GCP_ROSTER_WARNING, pos, NULL, NULL, 0,
                            "column %zu has no name and is ignored", index + 1);
    if (col->field == RF_IGNORED)
        return roster__diag(r, GCP_ROSTER_WARNING, pos, col->name, NULL, 0,
                            "column is ignored: gcprov does not act on it");
    return roster__diag(r, GCP_ROSTER_WARNING, pos, col->name, NULL, 0,
                        "unknown column is ignored");
}

/* Reports a column naming a field an earlier column already gave. */
static int check_repeat(struct csv_reader *c, size_t i)
{
    struct csv_column *col = &c->cols[i];

    for (size_t j = 0; j < i; j++) {
        if (c->cols[j].field != col->field)
            continue;
        roster__fatal(c->r, c->cells[i].pos,
                      "column '%s' gives '%s' again, as column '%s' does",
                      col->name, roster__field_name(col->field),
                      c->cols[j].name);
        col->field = RF_IGNORED;
        return 1;
    }
    return 0;
}

static int has_field(const struct csv_reader *c, enum roster_field f)
{
    for (size_t i = 0; i < c->ncols; i++)
        if (c->cols[i].field == f)
            return 1;
    return 0;
}

static void check_header_fields(struct csv_reader *c)
{
    gcp_roster *r = c->r;

    if (!has_field(c, RF_EMAIL)) {
        roster__fatal(r, c->row_pos, "the header has no 'email' column");
        r->header_lacks = 1;
    }
    if (!has_field(c, RF_NAME) &&
        !(has_field(c, RF_FIRST_NAME) && has_field(c, RF_LAST_NAME))) {
        roster__fatal(r, c->row_pos,
                      "the header has no 'name' column, nor both "
                      "'first_name' and 'last_name'");
        r->header_lacks = 1;
    }
}

static int read_header(struct csv_reader *c)
{
    gcp_roster *r = c->r;

    c->cols = roster__alloc(r, c->ncells * sizeof(*c->cols));
    if (c->cols == NULL)
        return GCP_ENOMEM;
    c->ncols = c->ncells;
    for (size_t i = 0; i < c->ncells; i++) {
        struct csv_cell *cell = &c->cells[i];
        struct csv_column *col = &c->cols[i];
        const char *s = c->bytes + cell->off;
        size_t len = cell->len;

        while (len > 0 && (*s == ' ' || *s == '\t'))
            s++, len--;
        while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
            len--;
        if ((col->name = roster__strndup(r, s, len)) == NULL)
            return GCP_ENOMEM;
        col->field = roster__field_lookup(r, s, len);
        if (col->field >= RF_COUNT || len == 0)
            warn_column(r, col, i, cell->pos);
        else
            check_repeat(c, i);
    }
    check_header_fields(c);
    c->have_header = 1;
    return 0;
}

static int read_row(struct csv_reader *c)
{
    gcp_roster *r = c->r;
    size_t n = c->ncells < c->ncols ? c->ncells : c->ncols;
    int rc;

    if ((rc = roster__count_row(r, c->row_pos)) != 0)
        return rc;
    roster__rec_begin(r, c->row_pos);
    if (c->ncells != c->ncols)
        roster__diag(r, GCP_ROSTER_ERROR, c->row_pos, NULL, NULL, 0,
                     "the row has %zu fields, the header %zu", c->ncells,
                     c->ncols);
    for (size_t i = 0; i < n && rc == 0; i++) {
        const struct csv_cell *cell = &c->cells[i];

        if (c->cols[i].field >= RF_COUNT)
            continue;
        rc = roster__rec_set(r, c->cols[i].field, c->cols[i].name,
                             c->bytes + cell->off, cell->len, cell->pos);
    }
    return rc ? rc : roster__rec_end(r);
}

/* libcsv's row callback: the header first, then one person per row. */
static void on_row(int term, void *data)
{
    struct csv_reader *c = data;

    c->at_field_start = 1;
    c->row_pending = 1;
    if (c->rc == 0)
        c->rc = c->have_header ? read_row(c) : read_header(c);
    c->ncells = 0;
    c->len = 0;
}

/* Picks ',' ';' or TAB: whichever the header line holds most of. */
static unsigned char detect_delimiter(const char *s, size_t len)
{
    size_t comma = 0, semi = 0, tab = 0;
    int quoted = 0;

    for (size_t i = 0; i < len && (quoted || s[i] != '\n'); i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted)
            comma += s[i] == ',', semi += s[i] == ';', tab += s[i] == '\t';
    }
    if (semi > comma && semi >= tab)
        return ';';
    return tab > comma ? '\t' : ',';
}

static int parse_failed(struct csv_reader *c, const char *seg, size_t done)
{
    struct roster_cursor at = c->seg_cur;

    for (size_t i = 0; i < done; i++)
        roster__cursor_step(&at, (unsigned char)seg[i]);
    roster__fatal(c->r, at.next,
                  "malformed quoting: a quote inside an unquoted field, or "
                  "text after a closing quote");
    return GCP_EINVALID;
}

static int feed(struct csv_reader *c, const char *seg, size_t len)
{
    size_t done = csv_parse(&c->parser, seg, len, on_field, on_row, c);

    if (c->rc != 0)
        return c->rc;
    if (done < len || csv_error(&c->parser) != CSV_SUCCESS) {
        if (csv_error(&c->parser) == CSV_ENOMEM)
            return GCP_ENOMEM;
        return parse_failed(c, seg, done);
    }
    c->seg_cur = c->cur;
    return 0;
}

static int is_blank(unsigned char b)
{
    return b == ' ' || b == '\t';
}

/* Notes where a field and a row start; see the file comment. */
static void note_start(struct csv_reader *c, unsigned char b,
                       struct roster_pos pos)
{
    if (is_blank(b) && b != c->delim)
        return;
    if (c->row_pending && (b == '\r' || b == '\n'))
        return;
    c->field_pos = pos;
    c->at_field_start = 0;
    if (c->row_pending) {
        c->row_pos = pos;
        c->row_offset = c->cur.offset - 1;
        c->row_pending = 0;
    }
}

static int too_long(struct csv_reader *c)
{
    roster__fatal(c->r, c->row_pos,
                  "the record is longer than %zu bytes (an unclosed quote?)",
                  c->r->opts.max_record_bytes);
    return GCP_EINVALID;
}

static int scan_chunk(struct csv_reader *c, const char *buf, size_t n)
{
    size_t seg = 0;
    int rc;

    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)buf[i];
        struct roster_pos pos = c->cur.next;

        if (roster__cursor_step(&c->cur, b) != 0) {
            roster__bad_utf8(c->r, &c->cur);
            return GCP_EINVALID;
        }
        if (c->at_field_start)
            note_start(c, b, pos);
        if (!c->row_pending &&
            c->cur.offset - c->row_offset > c->r->opts.max_record_bytes)
            return too_long(c);
        if (b != c->delim && b != '\r' && b != '\n')
            continue;
        if ((rc = feed(c, buf + seg, i + 1 - seg)) != 0)
            return rc;
        seg = i + 1;
    }
    return seg < n ? feed(c, buf + seg, n - seg) : 0;
}

static int finish(struct csv_reader *c)
{
    gcp_roster *r = c->r;
    struct roster_pos end = c->cur.next;

    if (csv_fini(&c->parser, on_field, on_row, c) != 0 && c->rc == 0) {
        roster__fatal(r, c->field_pos, "a quoted field is never closed");
        return GCP_EINVALID;
    }
    if (c->rc != 0)
        return c->rc;
    if (!c->have_header)
        return roster__fatal(r, end, "the roster is empty: no header line");
    if (r->rows == 0)
        return roster__diag(r, GCP_ROSTER_WARNING, end, NULL, NULL, 0,
                            "the roster has a header but no people");
    return 0;
}

static int read_all(struct csv_reader *c, struct roster_input *in)
{
    size_t start = roster__bom_length(in->buf, in->len);
    size_t n = in->len;
    int rc;

    c->cur.offset = start; /* the BOM counts in offsets, not in columns */
    c->seg_cur = c->cur;
    c->delim = c->r->opts.delimiter
                   ? (unsigned char)c->r->opts.delimiter
                   : detect_delimiter(in->buf + start, n - start);
    csv_set_delim(&c->parser, c->delim);
    while (n > 0) {
        if ((rc = scan_chunk(c, in->buf + start, n - start)) != 0)
            return rc;
        start = 0;
        n = roster__input_next(in);
    }
    if (c->cur.need > 0) {
        roster__bad_utf8(c->r, &c->cur);
        return GCP_EINVALID;
    }
    return finish(c);
}

int roster__read_csv(gcp_roster *r, struct roster_input *in)
{
    struct csv_reader c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.r = r;
    c.at_field_start = 1;
    c.row_pending = 1;
    roster__cursor_init(&c.cur);
    if (csv_init(&c.parser, CSV_STRICT | CSV_STRICT_FINI) != 0)
        return GCP_ENOMEM;
    rc = read_all(&c, in);
    csv_free(&c.parser);
    free(c.bytes);
    free(c.cells);
    return rc;
}

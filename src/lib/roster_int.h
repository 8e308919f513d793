/*
 * roster_int.h: what the roster's files share: the handle, the record
 * builder both readers feed, the position tracker and the pure checks.
 *
 * A reader walks its input byte by byte through a roster_cursor (UTF-8
 * check, line and column), hands each row or object to the builder as
 * field values with positions, and the builder validates the record and
 * keeps it as a person when it has no error. Strings live in the roster's
 * arena; names that repeat (roles, divisions, licenses) are interned.
 */
#ifndef GCP_ROSTER_INT_H
#define GCP_ROSTER_INT_H

#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "gcprov/roster.h"
#include "log.h"

/* The fields a roster can carry, whatever a file calls them. */
enum roster_field {
    RF_EMPLOYEE_ID,
    RF_NAME,
    RF_FIRST_NAME,
    RF_LAST_NAME,
    RF_EMAIL,
    RF_DEPARTMENT,
    RF_TITLE,
    RF_PHONE_WORK,
    RF_EXTENSION,
    RF_MANAGER_EMAIL,
    RF_DIVISION,
    RF_ROLES,
    RF_LICENSES,
    RF_STATE,
    RF_COUNT,
    RF_IGNORED = RF_COUNT, /* known to the admin UI import, not acted on */
    RF_UNKNOWN,
};

/* A place in the input: 1-based line, 1-based column in code points. */
struct roster_pos {
    unsigned line;
    unsigned column;
};

/*
 * Follows the input one byte at a time: the position of the next
 * character and the state of the UTF-8 sequence in progress.
 */
struct roster_cursor {
    uint64_t offset;        /* bytes consumed since the start of the file */
    struct roster_pos next; /* where the next character starts */
    int prev_cr;            /* the last byte was CR: an LF adds no line */
    int need;               /* continuation bytes still expected */
    unsigned char lo, hi;   /* allowed range of the next continuation */
    uint64_t seq_offset;    /* where the sequence in progress started */
    struct roster_pos seq_pos;
};

/*
 * Consumes one byte. Returns 0, or -1 when the byte makes the input
 * invalid UTF-8; cur->seq_offset and cur->seq_pos then say where the bad
 * sequence starts.
 */
int roster__cursor_step(struct roster_cursor *cur, unsigned char b);

/* Starts a cursor at the beginning of a file (line 1, column 1). */
void roster__cursor_init(struct roster_cursor *cur);

/* One value of the record being built, borrowed from the reader. */
struct rec_value {
    const char *s;
    size_t len;
    struct roster_pos pos;
    const char *col; /* the column or key as written in the file */
    int present;
    int bad; /* already reported: do not check further */
};

/* One role grant or license of the record being built. */
struct rec_item {
    const char *name;
    size_t name_len;
    const char *division; /* roles only; NULL: home */
    size_t division_len;
    struct roster_pos pos;
};

struct rec_list {
    struct rec_item *items;
    size_t count;
    size_t cap;
    const char *col;
    struct roster_pos pos;
};

struct roster_record {
    struct roster_pos pos;
    struct rec_value v[RF_COUNT];
    struct rec_list roles;
    struct rec_list licenses;
    size_t errors;
};

/* Where the problems of a kept person can be pointed at later. */
struct person_extra {
    struct roster_pos key_pos, email_pos, division_pos, roles_pos, licenses_pos;
    const char *key_col, *email_col, *division_col, *roles_col, *licenses_col;
    const char *email_lower;
    int duplicate;      /* part of a duplicate pair: left out */
    int reported_first; /* this first-seen row already got its report */
};

struct diag_item {
    gcp_roster_diagnostic d;
    size_t seq; /* order of reporting, to keep sorting stable */
};

struct arena_block;
struct intern_table {
    const char **slots;
    size_t cap;
    size_t count;
};

struct gcp_roster {
    struct gcp_err err;
    struct gcp_logger log;
    gcp_roster_options opts; /* limits resolved; pointers borrowed for
                                the read only */
    const char *file;        /* display name, in the arena */
    struct arena_block *arena;
    struct intern_table intern;

    gcp_person *people;
    struct person_extra *extra;
    size_t count, cap;

    struct diag_item *diags;
    size_t diag_count, diag_cap, diag_seq;
    size_t errors, warnings;

    size_t rows;
    int fatal;        /* a file-level problem: the roster is unusable */
    int header_lacks; /* the header has no email or name: say it once */
    struct intern_table seen_unknown; /* JSON keys already warned about */
    struct roster_record rec;
};

/* Memory owned by the roster, freed with it. NULL when out of memory. */
void *roster__alloc(gcp_roster *r, size_t size);
char *roster__strndup(gcp_roster *r, const char *s, size_t len);

/* Returns the interned copy of s[0..len), or NULL when out of memory. */
const char *roster__intern(gcp_roster *r, struct intern_table *t, const char *s,
                           size_t len);

/* Returns non-zero when the table already holds s[0..len). */
int roster__interned(const struct intern_table *t, const char *s, size_t len);

/*
 * Records a diagnostic. `field` and `value` (value_len bytes, copied and
 * shown as written) may be NULL. An error counts against the record being
 * built. Returns 0 or GCP_ENOMEM.
 */
int roster__diag(gcp_roster *r, gcp_roster_severity sev, struct roster_pos pos,
                 const char *field, const char *value, size_t value_len,
                 const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Orders the diagnostics by position, keeping the reporting order. */
void roster__sort_diags(gcp_roster *r);

/* Records a file-level error: the roster becomes unusable. */
int roster__fatal(gcp_roster *r, struct roster_pos pos, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports invalid UTF-8 at the cursor's bad sequence, fatally. */
int roster__bad_utf8(gcp_roster *r, const struct roster_cursor *cur);

/*
 * Finds which field a column or key names, honouring the column map:
 * RF_IGNORED for the admin UI columns gcprov does not act on, RF_UNKNOWN
 * for anything else.
 */
enum roster_field roster__field_lookup(const gcp_roster *r, const char *name,
                                       size_t len);

/* As roster__field_lookup(), ignoring the column map. */
enum roster_field roster__field_plain(const char *name, size_t len);

/* Returns the canonical CSV spelling of a field ("employee_id"). */
const char *roster__field_name(enum roster_field f);

/* The record builder, used by both readers. Each returns 0 or an error. */
void roster__rec_begin(gcp_roster *r, struct roster_pos pos);
int roster__rec_set(gcp_roster *r, enum roster_field f, const char *col,
                    const char *s, size_t len, struct roster_pos pos);
int roster__rec_add(gcp_roster *r, enum roster_field f, const char *col,
                    const char *name, size_t name_len, const char *division,
                    size_t division_len, struct roster_pos pos);
int roster__rec_end(gcp_roster *r);

/*
 * Once the input is read: reports every person whose key or email (in
 * any case) another person has, both of each pair, and leaves them out.
 */
int roster__find_duplicates(gcp_roster *r);

/* Counts a row or object; a fatal error once past the limit. */
int roster__count_row(gcp_roster *r, struct roster_pos pos);

#define ROSTER_CHUNK 65536

/*
 * The input, read ROSTER_CHUNK bytes at a time into `buf`. The first chunk
 * is already in `buf` (`len` bytes, from the start of the file, BOM
 * included) when a reader starts: the format was sniffed from it.
 */
struct roster_input {
    FILE *fp;
    char *buf;
    size_t len;
};

/* Returns the length of a byte-order mark at the start of `buf`, or 0. */
size_t roster__bom_length(const char *buf, size_t len);

/* Reads the next chunk into in->buf; returns its length, 0 at the end. */
size_t roster__input_next(struct roster_input *in);

/* The readers: each reads all of the input and returns 0 or an error. */
int roster__read_csv(gcp_roster *r, struct roster_input *in);
int roster__read_json(gcp_roster *r, struct roster_input *in, int lines);

/* Pure checks, in roster_check.c. Each returns 1 when valid. */
int roster__email_valid(const char *s, size_t len);
int roster__e164_normalize(const char *s, size_t len, char *out,
                           size_t out_size);
int roster__utf8_valid(const char *s, size_t len, size_t *bad_offset);

#define ROSTER_EMAIL_MAX       254
#define ROSTER_EMAIL_LOCAL_MAX 64

#endif

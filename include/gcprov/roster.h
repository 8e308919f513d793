/*
 * gcprov/roster.h: the roster, the people gcprov must make the tenant
 * match, read from CSV, JSON or JSON Lines and validated as a whole.
 *
 * A gcp_roster is an opaque handle owning every person and string it
 * returns. The module that reads and validates rosters completes this
 * header; the person record below is what the planner consumes.
 */
#ifndef GCPROV_ROSTER_H
#define GCPROV_ROSTER_H

#include <stddef.h>

#include "gcprov/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gcp_roster gcp_roster;

/* What the roster wants for a person. */
typedef enum gcp_person_state {
    GCP_PERSON_ACTIVE = 0,   /* present and active (the default) */
    GCP_PERSON_INACTIVE = 1, /* a leaver: deactivate */
} gcp_person_state;

/* A role to grant, by name, in a division by name (NULL: home division). */
typedef struct gcp_role_ref {
    const char *role;
    const char *division;
} gcp_role_ref;

/*
 * One person of a valid roster. Every pointer is owned by the roster and
 * valid until gcp_roster_free(); optional fields are NULL when absent.
 */
typedef struct gcp_person {
    const char *key;         /* employee_id, or the lower-cased email */
    const char *employee_id; /* NULL when the roster has none */
    const char *name;        /* full name, composed from parts if needed */
    const char *email;       /* as written; compare case-insensitively */
    const char *department;
    const char *title;
    const char *phone_work; /* E.164 */
    const char *extension;
    const char *manager_email;
    const char *division;      /* NULL: the home division */
    const gcp_role_ref *roles; /* role_count entries */
    size_t role_count;
    const char *const *licenses; /* license ids, license_count entries */
    size_t license_count;
    gcp_person_state state;
    unsigned line; /* where the record starts in its file */
    unsigned column;
    /*
     * Non-zero once gcp_roster_check_names() found a role, division or
     * license the org does not have: the planner must skip the person.
     */
    int rejected;
} gcp_person;

/* Which reader to use. AUTO: from the file name, else from the content. */
typedef enum gcp_roster_format {
    GCP_ROSTER_AUTO = 0,
    GCP_ROSTER_CSV = 1,
    GCP_ROSTER_JSON = 2,  /* one array of objects */
    GCP_ROSTER_JSONL = 3, /* one object per line */
} gcp_roster_format;

/*
 * One renamed column: the roster field (any spelling, "employee_id" or
 * "employeeId") is read from the column or key named `column`.
 */
typedef struct gcp_roster_column_map {
    const char *field;
    const char *column;
} gcp_roster_column_map;

#define GCP_ROSTER_OPTIONS_VERSION 1

/*
 * How to read a roster. Start from GCP_ROSTER_OPTIONS_INIT; a zero limit
 * means the default. Every pointer is borrowed for the call only.
 */
typedef struct gcp_roster_options {
    unsigned int version;     /* GCP_ROSTER_OPTIONS_VERSION */
    gcp_roster_format format; /* AUTO: from the name, else sniffed */
    char delimiter;           /* CSV: 0 detects ',' or ';' from the header */
    const gcp_roster_column_map *map; /* map_count renamed columns */
    size_t map_count;
    size_t max_field_bytes;   /* 0: 4096; a longer field is an error */
    size_t max_record_bytes;  /* 0: 65536; a longer record stops reading */
    size_t max_rows;          /* 0: 1000000; more stops reading */
    size_t max_diags;         /* 0: 10000 kept; the rest are only counted */
    int skip_invalid;         /* plan the valid rows despite invalid ones */
    const char *display_name; /* names the input in diagnostics; NULL: the
                                 path, or "<stdin>" for "-" */
    gcp_log_fn log;           /* NULL: silent */
    void *log_payload;
    gcp_log_level log_level; /* the least level passed to `log` */
} gcp_roster_options;

#define GCP_ROSTER_OPTIONS_INIT                                                \
    {                                                                          \
        GCP_ROSTER_OPTIONS_VERSION, GCP_ROSTER_AUTO, 0, NULL, 0, 0, 0, 0, 0,   \
            0, NULL, NULL, NULL, GCP_LOG_WARN                                  \
    }

typedef enum gcp_roster_severity {
    GCP_ROSTER_WARNING = 1, /* reported; the roster stays valid */
    GCP_ROSTER_ERROR = 2,   /* the roster is invalid */
} gcp_roster_severity;

/*
 * One problem found in the input, owned by the roster. `line` and
 * `column` are 1-based; the column counts characters (code points), not
 * bytes. In CSV a position is where the field starts; in JSON it is where
 * the field's key starts, or where the object starts when the problem
 * concerns the whole object. 0 means no position (a problem with the
 * whole file). `field` is the column or key as the file spells it, and
 * `value` the offending value; either is NULL when it does not apply.
 */
typedef struct gcp_roster_diagnostic {
    const char *file;
    unsigned line;
    unsigned column;
    const char *field;
    const char *value;
    const char *message; /* one line, lower case, e.g. "is not a valid..." */
    gcp_roster_severity severity;
} gcp_roster_diagnostic;

/*
 * Reads and validates a roster from `path` ("-": standard input) with
 * `opts` (NULL: the defaults). Every row is checked; problems become
 * diagnostics, not failures.
 *
 * Returns 0 once the input was read, valid or not: check
 * gcp_roster_is_valid(). Returns GCP_EINVALID for bad options, GCP_EIO
 * when the input cannot be opened or read, GCP_ENOMEM. On success and on
 * GCP_EINVALID or GCP_EIO `*out` is a roster the caller frees with
 * gcp_roster_free(), whose gcp_roster_error() says what failed; on
 * GCP_ENOMEM `*out` may be NULL.
 */
GCP_EXTERN int gcp_roster_read(gcp_roster **out, const char *path,
                               const gcp_roster_options *opts);

/*
 * As gcp_roster_read(), from `len` bytes at `data` (borrowed for the
 * call), named `name` in diagnostics. AUTO sniffs the content.
 */
GCP_EXTERN int gcp_roster_read_buffer(gcp_roster **out, const void *data,
                                      size_t len, const char *name,
                                      const gcp_roster_options *opts);

/* Returns the message of the last failure, or "". Never NULL. */
GCP_EXTERN const char *gcp_roster_error(const gcp_roster *roster);

/* Returns 1 when the roster has no error diagnostic, else 0. */
GCP_EXTERN int gcp_roster_is_valid(const gcp_roster *roster);

/*
 * Returns 1 when the planner may use the roster: it is valid, or it was
 * read with skip_invalid and every problem is confined to rows (which are
 * left out of the people). A file-level problem (unreadable header,
 * invalid UTF-8, a broken JSON array, a limit) always makes it unusable.
 */
GCP_EXTERN int gcp_roster_is_usable(const gcp_roster *roster);

/* Returns how many diagnostics the roster keeps; 0 for NULL. */
GCP_EXTERN size_t gcp_roster_diag_count(const gcp_roster *roster);

/*
 * Returns diagnostic `index`, ordered by position, borrowed until
 * gcp_roster_free(), or NULL when out of range.
 */
GCP_EXTERN const gcp_roster_diagnostic *
gcp_roster_diag(const gcp_roster *roster, size_t index);

/*
 * Counts errors and warnings, including those beyond max_diags that were
 * not kept. Either pointer may be NULL.
 */
GCP_EXTERN void gcp_roster_diag_totals(const gcp_roster *roster, size_t *errors,
                                       size_t *warnings);

/* Returns how many rows or objects the input held (valid or not). */
GCP_EXTERN size_t gcp_roster_row_count(const gcp_roster *roster);

/* The org's names, borrowed for the call, for gcp_roster_check_names(). */
typedef struct gcp_roster_names {
    unsigned int version; /* GCP_ROSTER_OPTIONS_VERSION */
    const char *const *roles;
    size_t role_count;
    const char *const *divisions;
    size_t division_count;
    const char *const *licenses; /* license ids */
    size_t license_count;
} gcp_roster_names;

#define GCP_ROSTER_NAMES_INIT                                                  \
    {                                                                          \
        GCP_ROSTER_OPTIONS_VERSION, NULL, 0, NULL, 0, NULL, 0                  \
    }

/*
 * Checks every person's roles, divisions and licenses against the org's
 * names (exact, case-sensitive match). Each unknown name becomes an error
 * diagnostic naming the closest valid name ("did you mean 'Agent'?") and
 * the valid names, and marks the person rejected; the roster becomes
 * invalid. A list left NULL is not checked; an empty list means the org
 * has none. Call it once per roster: each call reports again. Returns the
 * number of unknown names found (0: all known).
 */
GCP_EXTERN int gcp_roster_check_names(gcp_roster *roster,
                                      const gcp_roster_names *names);

/*
 * Returns the entry of `candidates` closest to `name` by edit distance
 * (case-insensitive, a swap of two neighbours counting once), borrowed
 * from `candidates`, or NULL when none is close enough to be a likely
 * misspelling.
 */
GCP_EXTERN const char *gcp_roster_suggest(const char *name,
                                          const char *const *candidates,
                                          size_t count);

/* Returns how many people the roster holds; 0 for NULL. */
GCP_EXTERN size_t gcp_roster_count(const gcp_roster *roster);

/*
 * Returns the person at `index` (0 .. count - 1), borrowed until
 * gcp_roster_free(), or NULL when `index` is out of range.
 */
GCP_EXTERN const gcp_person *gcp_roster_person(const gcp_roster *roster,
                                               size_t index);

/* Frees the roster and everything it returned. NULL is fine. */
GCP_EXTERN void gcp_roster_free(gcp_roster *roster);

#ifdef __cplusplus
}
#endif

#endif

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
} gcp_person;

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

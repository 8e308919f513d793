/*
 * roster_names.c: checking a roster's role, division and license names
 * against the org's, as `plan` does once it has read the tenant, and
 * suggesting the closest valid name for a misspelt one.
 *
 * Names must match exactly (case included): the planner looks them up
 * as written. A name that differs only in case is still refused, with the
 * right spelling suggested.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "roster_int.h"

#define SUGGEST_MAX_LEN 128 /* longer names are not compared */
#define LIST_MAX        300 /* bytes of valid names quoted in a message */

/*
 * Optimal string alignment distance, ignoring ASCII case: insertions,
 * deletions, substitutions and swaps of neighbours each cost 1.
 */
static size_t distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t rows[3][SUGGEST_MAX_LEN + 1];
    size_t *prev2 = rows[0], *prev = rows[1], *cur = rows[2];

    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            int ca = tolower((unsigned char)a[i - 1]);
            int cb = tolower((unsigned char)b[j - 1]);
            size_t best = prev[j - 1] + (ca != cb);

            if (prev[j] + 1 < best)
                best = prev[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb &&
                prev2[j - 2] + 1 < best)
                best = prev2[j - 2] + 1;
            cur[j] = best;
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb];
}

const char *gcp_roster_suggest(const char *name, const char *const *candidates,
                               size_t count)
{
    size_t len = name ? strlen(name) : 0;
    size_t limit = len < 3 ? 1 : len / 3 > 3 ? 3 : len / 3;
    const char *best = NULL;
    size_t best_d = limit + 1;

    if (len == 0 || len > SUGGEST_MAX_LEN || candidates == NULL)
        return NULL;
    for (size_t i = 0; i < count; i++) {
        const char *c = candidates[i];
        size_t lc = c ? strlen(c) : 0;
        size_t gap = lc > len ? lc - len : len - lc;
        size_t d;

        if (lc == 0 || lc > SUGGEST_MAX_LEN || gap >= best_d)
            continue;
        if ((d = distance(name, len, c, lc)) < best_d) {
            best = c;
            best_d = d;
        }
    }
    return best;
}

static int known(const char *name, const char *const *list, size_t count)
{
    for (size_t i = 0; i < count; i++)
        if (list[i] != NULL && strcmp(list[i], name) == 0)
            return 1;
    return 0;
}

/* Writes "A, B, C" (and "and N more" past LIST_MAX bytes) into `out`. */
static void join_names(char *out, size_t size, const char *const *list,
                       size_t count)
{
    size_t used = 0;

    out[0] = '\0';
    for (size_t i = 0; i < count && list[i] != NULL; i++) {
        size_t n = strlen(list[i]);

        if (used + n + 2 > LIST_MAX || used + n + 2 >= size) {
            snprintf(out + used, size - used, "and %zu more", count - i);
            return;
        }
        used += (size_t)snprintf(out + used, size - used, "%s%s", list[i],
                                 i + 1 < count ? ", " : "");
    }
    if (count == 0)
        snprintf(out, size, "none");
}

struct name_kind {
    const char *what;   /* "role" */
    const char *plural; /* "roles" */
    const char *const *list;
    size_t count;
};

/* Reports an unknown name; returns 1 when it was unknown. */
static int check_one(gcp_roster *r, gcp_person *p, const struct name_kind *k,
                     const char *name, const char *col, struct roster_pos pos)
{
    char valid[LIST_MAX + 32];
    const char *near;

    if (k->list == NULL || known(name, k->list, k->count))
        return 0;
    near = gcp_roster_suggest(name, k->list, k->count);
    join_names(valid, sizeof(valid), k->list, k->count);
    roster__diag(r, GCP_ROSTER_ERROR, pos, col, name, strlen(name),
                 "%s '%s' is not in the org%s%s%s; valid %s: %s", k->what, name,
                 near ? " (did you mean '" : "", near ? near : "",
                 near ? "'?)" : "", k->plural, valid);
    p->rejected = 1;
    return 1;
}

static int check_person(gcp_roster *r, size_t i, const gcp_roster_names *n)
{
    gcp_person *p = &r->people[i];
    const struct person_extra *x = &r->extra[i];
    const struct name_kind roles = {"role", "roles", n->roles, n->role_count};
    const struct name_kind divs = {"division", "divisions", n->divisions,
                                   n->division_count};
    const struct name_kind lics = {"license", "licenses", n->licenses,
                                   n->license_count};
    int unknown = 0;

    if (p->division != NULL)
        unknown += check_one(r, p, &divs, p->division, x->division_col,
                             x->division_pos);
    for (size_t k = 0; k < p->role_count; k++) {
        unknown += check_one(r, p, &roles, p->roles[k].role, x->roles_col,
                             x->roles_pos);
        if (p->roles[k].division != NULL)
            unknown += check_one(r, p, &divs, p->roles[k].division,
                                 x->roles_col, x->roles_pos);
    }
    for (size_t k = 0; k < p->license_count; k++)
        unknown += check_one(r, p, &lics, p->licenses[k], x->licenses_col,
                             x->licenses_pos);
    return unknown;
}

int gcp_roster_check_names(gcp_roster *roster, const gcp_roster_names *names)
{
    int unknown = 0;

    if (roster == NULL || names == NULL)
        return 0;
    gcp_err__clear(&roster->err);
    for (size_t i = 0; i < roster->count; i++)
        unknown += check_person(roster, i, names);
    roster__sort_diags(roster);
    return unknown;
}

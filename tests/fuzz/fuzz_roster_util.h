/*
 * fuzz_roster_util.h: reads back every string a roster returns, its
 * diagnostics and its people, so that a dangling pointer shows under ASan.
 * Shared by the roster readers' fuzz targets.
 */
#ifndef FUZZ_ROSTER_UTIL_H
#define FUZZ_ROSTER_UTIL_H

#include <string.h>

#include "gcprov/roster.h"

static size_t touch(const char *s)
{
    return s != NULL ? strlen(s) : 0;
}

static size_t touch_roster(const gcp_roster *r)
{
    size_t sum = 0;

    for (size_t i = 0; i < gcp_roster_diag_count(r); i++) {
        const gcp_roster_diagnostic *d = gcp_roster_diag(r, i);

        sum += touch(d->file) + touch(d->field) + touch(d->value) +
               touch(d->message) + d->line + d->column;
    }
    for (size_t i = 0; i < gcp_roster_count(r); i++) {
        const gcp_person *p = gcp_roster_person(r, i);

        sum += touch(p->key) + touch(p->name) + touch(p->email) +
               touch(p->phone_work) + touch(p->division);
        for (size_t k = 0; k < p->role_count; k++)
            sum += touch(p->roles[k].role) + touch(p->roles[k].division);
        for (size_t k = 0; k < p->license_count; k++)
            sum += touch(p->licenses[k]);
    }
    return sum;
}

#endif

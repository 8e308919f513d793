/*
 * fuzz_roster_json.c: the JSON and JSON Lines readers on arbitrary bytes.
 * The first byte picks the format, small limits and skipping invalid rows,
 * so that the limits are reached often; every string the roster returns is
 * then read back, so that a dangling pointer shows under ASan.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "gcprov/roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gcp_roster_options o = GCP_ROSTER_OPTIONS_INIT;
    gcp_roster *r = NULL;
    volatile size_t sink;

    if (size < 1)
        return 0;
    o.format = data[0] & 1 ? GCP_ROSTER_JSONL : GCP_ROSTER_JSON;
    o.skip_invalid = data[0] >> 2 & 1;
    if (data[0] & 8) {
        o.max_field_bytes = 16;
        o.max_record_bytes = 64;
        o.max_rows = 8;
        o.max_diags = 4;
    }
    gcp_roster_read_buffer(&r, data + 1, size - 1, "fuzz.json", &o);
    sink = touch_roster(r) + (size_t)gcp_roster_is_usable(r);
    (void)sink;
    gcp_roster_free(r);
    return 0;
}

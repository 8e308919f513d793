/*
 * fuzz_roster_json.c: the JSON and JSON Lines readers on arbitrary bytes.
 * The first byte picks the format, small limits and skipping invalid rows,
 * so that the limits are reached often; every string the roster returns is
 * then read back, so that a dangling pointer shows under ASan.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fuzz_roster_util.h"
#include "gcprov/roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

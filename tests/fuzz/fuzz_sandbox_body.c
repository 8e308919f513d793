/*
 * fuzz_sandbox_body.c: JSON bodies for every write endpoint of the
 * sandbox, with a valid token, so that each input reaches a handler. The
 * input is up to four requests separated by a line "===": the first byte
 * of each picks the endpoint, the rest is its body. The org is then read
 * back in every way (state dump, listings, search), so that a write that
 * left the model inconsistent shows.
 */
#define _GNU_SOURCE /* memmem */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_sandbox_util.h"

#define U  "/api/v2/users/"
#define AZ "/api/v2/authorization/"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct {
    const char *method, *path, *query;
} writes[] = {
    {"POST", "/api/v2/users", NULL},
    {"PATCH", U FZ_ADA, NULL},
    {"PATCH", U FZ_LEE, NULL},
    {"POST", U "search", NULL},
    {"POST", U FZ_ADA "/externalid", NULL},
    {"PUT", U FZ_ADA "/roles", NULL},
    {"POST", AZ "roles/" FZ_AGENT, "subjectType=PC_USER"},
    {"PUT", AZ "roles/" FZ_AGENT "/users/add", NULL},
    {"PUT", AZ "roles/" FZ_AGENT "/users/remove", NULL},
    {"POST", AZ "subjects/" FZ_ADA "/bulkadd", NULL},
    {"POST", AZ "subjects/" FZ_ADA "/bulkremove", NULL},
    {"POST", AZ "subjects/" FZ_ADA "/bulkreplace", NULL},
    {"POST", "/api/v2/license/organization", NULL},
    {"POST", "/api/v2/license/users", NULL},
    {"POST", "/api/v2/license/infer", NULL},
    {"PUT", "/_sandbox/faults", NULL},
    /* Last, so that the corpus's first bytes keep naming their endpoint. */
    {"POST", AZ "divisions/d0000000-0000-4000-8000-000000000002/objects/USER",
     NULL},
};

#define WRITE_COUNT (sizeof(writes) / sizeof(writes[0]))

static const char separator[] = "\n===\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *p = (const char *)data, *end = p + size;
    struct fz f;

    if (size < 1)
        return 0;
    fz_open(&f);
    for (int n = 0; n < 4 && p < end; n++) {
        const char *sep = memmem(p, (size_t)(end - p), separator, 5);
        const char *stop = sep ? sep : end;
        size_t pick = (unsigned char)*p % WRITE_COUNT;

        if (stop > p) {
            fz_call(&f, writes[pick].method, writes[pick].path,
                    writes[pick].query, p + 1, (size_t)(stop - p - 1));
            sbx_set_faults(f.sbx, &f.cfg.faults); /* no latency for next */
        }
        p = sep ? sep + 5 : end;
    }
    fz_read_back(&f);
    fz_close(&f);
    return 0;
}

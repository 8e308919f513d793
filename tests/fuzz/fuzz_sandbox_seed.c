/*
 * fuzz_sandbox_seed.c: the seed and state loader (what --seed and
 * --state-file read) on arbitrary bytes. A seed the model accepts must
 * dump to a state that loads again and dumps the same (the state file
 * round trip), and must survive a reset.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "fuzz: %s: %s\n", what, detail);
    abort();
}

/* Loads `seed`, dumps it; returns the dump (new reference) or NULL. */
static json_t *load_and_dump(const json_t *seed, int must_load)
{
    struct sbx_model_rules rules = {0, 0, 3600, NULL, 0};
    struct sbx_model *m = NULL;
    struct gcp_err err;
    json_t *dump;

    gcp_err__clear(&err);
    if (sbx_model_new(&m, seed, &rules, &err) < 0) {
        if (must_load)
            die("a dumped state does not load", gcp_err__message(&err));
        return NULL;
    }
    dump = sbx_model_dump(m);
    if (dump == NULL)
        die("an accepted seed does not dump", "");
    if (sbx_model_reset(m, &err) < 0)
        die("an accepted seed does not reset", gcp_err__message(&err));
    sbx_model_free(m);
    return dump;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_t *seed = json_loadb((const char *)data, size, 0, NULL);
    json_t *first, *second;

    if (seed == NULL)
        return 0;
    first = load_and_dump(seed, 0);
    if (first != NULL) {
        second = load_and_dump(first, 1);
        if (!json_equal(first, second)) {
            char *a = json_dumps(first, JSON_COMPACT | JSON_SORT_KEYS);
            char *b = json_dumps(second, JSON_COMPACT | JSON_SORT_KEYS);
            fprintf(stderr, "first:  %.500s\nsecond: %.500s\n", a, b);
            die("a state changes when loaded again", "");
        }
        json_decref(second);
    }
    json_decref(first);
    json_decref(seed);
    return 0;
}

/*
 * bench_journal.c: how fast the journal records steps, so that apply can
 * keep its writes under 5 % of its wall time.
 *
 *   bench_journal [STEPS] [DIR]     defaults: 2000 steps, the current folder
 *
 * Writes STEPS intents and STEPS results into a fresh journal in DIR, in
 * three ways apply can use the API and at both sync levels, and prints for
 * each the steps per second and the journal's cost per request. The last column
 * is the shortest request time for which that cost stays under 5 % of apply's
 * wall time. Use a DIR on the disk apply will use: on tmpfs a sync is
 * free and the figures flatter the journal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>

#include "gcprov/journal.h"

#define TMPFS_MAGIC 0x01021994
#define BATCH       25 /* people per request in the batched modes */

/* How apply may group its journal writes. */
struct mode {
    const char *name;
    size_t per_request; /* people per request */
    int joined;         /* one request's results share a commit with the next's
                           intents */
};

static const struct mode modes[] = {
    {"1 per request, own commits", 1, 0},
    {"1 per request, results joined", 1, 1},
    {"25 per request, own commits", BATCH, 0},
    {"25 per request, results joined", BATCH, 1},
};

static double now_seconds(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(gcp_journal *j, int rc)
{
    if (rc == 0)
        return;
    fprintf(stderr, "bench_journal: %s\n", gcp_journal_message(j));
    exit(1);
}

/* Fills `count` intents for people `first` onward. */
static void make_intents(gcp_journal_intent *in, char keys[][16], size_t first,
                         size_t count)
{
    for (size_t i = 0; i < count; i++) {
        gcp_journal_intent init = GCP_JOURNAL_INTENT_INIT;

        snprintf(keys[i], sizeof(keys[i]), "e%06zu", first + i);
        in[i] = init;
        in[i].person_key = keys[i];
        in[i].step = GCP_STEP_LICENSE;
        in[i].user_id = "00000000-0000-0000-0000-000000000000";
        in[i].target = "license-combined-cx";
    }
}

static void make_results(gcp_journal_result *out, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        gcp_journal_result init = GCP_JOURNAL_RESULT_INIT;

        out[i] = init;
        out[i].http_status = 200;
        out[i].correlation_id = "5f0a6c3e-2d1b-4c6f-9a8e-7b4c3d2e1f00";
    }
}

/* Records `steps` steps in requests of `per_request`; returns requests. */
static size_t bench_run(gcp_journal *j, int64_t run, size_t steps,
                        const struct mode *mode)
{
    size_t per_request = mode->per_request;
    gcp_journal_intent in[BATCH];
    gcp_journal_result res[BATCH];
    char keys[BATCH][16];
    int64_t ids[BATCH];
    size_t requests = 0;

    make_results(res, BATCH);
    for (size_t done = 0; done < steps; done += per_request, requests++) {
        size_t n = steps - done < per_request ? steps - done : per_request;

        make_intents(in, keys, done, n);
        check(j, gcp_journal_intents(ids, j, run, in, n));
        if (mode->joined && done > 0)
            check(j, gcp_journal_commit(j));
        /* ... the request would be sent here ... */
        if (mode->joined)
            check(j, gcp_journal_begin(j));
        check(j, gcp_journal_results(j, ids, res, n));
    }
    if (mode->joined)
        check(j, gcp_journal_commit(j));
    return requests;
}

static void bench_unlink(const char *path)
{
    static const char *const suffixes[] = {"", "-wal", "-shm", ".lock"};
    char name[4200];

    for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
        snprintf(name, sizeof(name), "%s%s", path, suffixes[i]);
        unlink(name);
    }
}

static void bench_mode(const char *dir, size_t steps, const struct mode *mode,
                       gcp_journal_sync sync)
{
    gcp_journal_options opts = GCP_JOURNAL_OPTIONS_INIT;
    char path[4096];
    gcp_journal *j = NULL;
    gcp_journal_run_info info = GCP_JOURNAL_RUN_INFO_INIT;
    int64_t run;
    double start, seconds, per_request;
    size_t requests;

    snprintf(path, sizeof(path), "%s/bench-journal-%ld-%d.db", dir,
             (long)getpid(), (int)mode->per_request);
    opts.sync = sync;
    check(j, gcp_journal_open(&j, path, &opts));
    info.command = "bench";
    check(j, gcp_journal_run_begin(&run, j, &info));
    start = now_seconds();
    requests = bench_run(j, run, steps, mode);
    seconds = now_seconds() - start;
    check(j, gcp_journal_close(j));
    gcp_journal_free(j);
    per_request = seconds / (double)requests * 1e3;
    printf("%-6s %-32s %9.0f %11.3f %13.1f\n",
           sync == GCP_JOURNAL_SYNC_FULL ? "full" : "normal", mode->name,
           (double)steps / seconds, per_request, per_request * 20.0);
    bench_unlink(path);
}

int main(int argc, char **argv)
{
    size_t steps = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 2000;
    const char *dir = argc > 2 ? argv[2] : ".";
    struct statfs fs;

    if (steps == 0) {
        fprintf(stderr, "usage: bench_journal [STEPS] [DIR]\n");
        return 2;
    }
    printf("journal: %zu steps (intent + result each) in '%s'\n", steps, dir);
    if (statfs(dir, &fs) == 0 && fs.f_type == TMPFS_MAGIC)
        printf("note: '%s' is tmpfs: syncs cost nothing here\n", dir);
    printf("%-6s %-32s %9s %11s %13s\n", "sync", "mode", "steps/s",
           "ms/request", "5% needs ms");
    for (int sync = GCP_JOURNAL_SYNC_FULL; sync <= GCP_JOURNAL_SYNC_NORMAL;
         sync++)
        for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
            bench_mode(dir, steps, &modes[m], (gcp_journal_sync)sync);
    return 0;
}

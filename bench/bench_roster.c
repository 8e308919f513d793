/*
 * bench_roster.c: reads and validates a generated 100,000-row CSV roster
 * and prints the wall time and the peak resident memory. The roster is
 * written to a fresh temporary folder, removed afterwards. Not a test:
 * `make bench` runs it and the figures are for people to read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "gcprov/roster.h"

#define ROWS 100000

static const char *const first_names[] = {"Maria", "James", "Aiko",  "Lukas",
                                          "Priya", "Noah",  "Chloé", "Seun"};
static const char *const last_names[] = {"Lopez",   "Okafor", "Tanaka",
                                         "Schäfer", "Raman",  "Williams"};
static const char *const divisions[] = {"Home", "Sales", "Support"};

/* Writes the roster; returns 0, or -1 when the file cannot be written. */
static int write_roster(const char *path, int rows)
{
    FILE *fp = fopen(path, "w");

    if (fp == NULL)
        return -1;
    fputs("employee_id,first_name,last_name,email,department,title,"
          "phone_work,extension,manager_email,division,roles,licenses,"
          "state\n",
          fp);
    for (int i = 0; i < rows; i++) {
        const char *div = divisions[i % 3];

        fprintf(fp,
                "E%06d,%s,%s,user%06d@example.com,%s,\"Agent, Tier %d\","
                "+1415555%04d,%d,user%06d@example.com,%s,"
                "\"Agent;Supervisor@%s\",cloudCX3,%s\n",
                i, first_names[i % 8], last_names[i % 6], i, div, i % 3 + 1,
                i % 10000, 1000 + i, i / 10 * 10 == i ? i + 1 : i / 10 * 10,
                div, div, i % 50 == 0 ? "inactive" : "active");
    }
    if (ferror(fp)) {
        fclose(fp);
        return -1;
    }
    return fclose(fp) == 0 ? 0 : -1;
}

static double now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long peak_rss_kib(void)
{
    struct rusage ru;

    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(void)
{
    char dir[] = "/tmp/gcprov-bench.XXXXXX";
    char path[64];
    gcp_roster *roster = NULL;
    long rss_before;
    double started, secs;
    int rc;

    if (mkdtemp(dir) == NULL)
        return perror("bench_roster: mkdtemp"), 1;
    snprintf(path, sizeof(path), "%s/roster.csv", dir);
    if (write_roster(path, ROWS) != 0) {
        perror("bench_roster: writing the roster");
        rc = 1;
        goto cleanup;
    }
    rss_before = peak_rss_kib();
    started = now();
    rc = gcp_roster_read(&roster, path, NULL);
    secs = now() - started;
    printf("roster: %d rows read and validated in %.3f s, %zu people, "
           "valid=%d, peak RSS %.1f MiB (%.1f MiB before reading)\n",
           ROWS, secs, gcp_roster_count(roster), gcp_roster_is_valid(roster),
           peak_rss_kib() / 1024.0, rss_before / 1024.0);
    if (rc != 0 || !gcp_roster_is_valid(roster)) {
        fprintf(stderr, "bench_roster: the generated roster is invalid: %s\n",
                gcp_roster_error(roster));
        rc = 1;
    }

cleanup:
    gcp_roster_free(roster);
    unlink(path);
    rmdir(dir);
    return rc;
}

/*
 * bench_client.c: the client's figures against `gcprov sandbox`: the rate
 * achieved against a tenant limit and the share of 429s, the retries
 * spent under injected faults, and the throughput with no limit and some
 * latency. Usage: bench_client [GCPROV_BIN]; prints one JSON object per
 * scenario. The sandbox is started and stopped here.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "gcprov/client.h"

struct scenario {
    const char *name;
    const char *knobs[12]; /* sandbox options, NULL-terminated */
    double rate;           /* client rate per minute; 0: the tenant's */
    int calls;
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Starts the sandbox; fills `url`. Returns its pid, or -1. */
static pid_t sandbox_start(const char *bin, const char *const *knobs, char *url,
                           size_t size)
{
    const char *argv[20] = {bin, "sandbox", "--listen", "127.0.0.1:0"};
    int fd[2], n = 4;
    pid_t pid;
    FILE *out;

    for (; *knobs != NULL && n < 19; knobs++)
        argv[n++] = *knobs;
    if (pipe(fd) != 0 || (pid = fork()) < 0)
        return -1;
    if (pid == 0) {
        dup2(fd[1], STDOUT_FILENO);
        close(fd[0]);
        close(fd[1]);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    close(fd[1]);
    out = fdopen(fd[0], "r");
    if (out == NULL || fgets(url, (int)size, out) == NULL) {
        kill(pid, SIGTERM);
        waitpid(pid, NULL, 0);
        return -1;
    }
    fclose(out);
    url[strcspn(url, "\r\n")] = '\0';
    return pid;
}

/* Counts the 429s the sandbox sent. */
static long sandbox_429s(gcp_client *c)
{
    gcp_request req = {"GET", "/_sandbox/stats", "/_sandbox/stats", NULL, 1};
    gcp_result r = {0};
    long n;

    gcp_client_call(c, &r, &req);
    n = (long)json_integer_value(
        json_object_get(json_object_get(r.json, "statuses"), "429"));
    gcp_result_clear(&r);
    return n;
}

static int run_calls(gcp_client *c, int calls)
{
    gcp_request *reqs = calloc((size_t)calls, sizeof(*reqs));
    gcp_request get = {"GET", "/api/v2/users", "/api/v2/users?pageSize=1", NULL,
                       0};
    int rc;

    if (reqs == NULL)
        return GCP_ENOMEM;
    for (int i = 0; i < calls; i++)
        reqs[i] = get;
    rc = gcp_client_batch(c, NULL, reqs, (size_t)calls, NULL, NULL);
    free(reqs);
    return rc;
}

static void report(const struct scenario *sc, gcp_client *c, double elapsed,
                   int rc)
{
    gcp_client_stats st;
    double achieved = sc->calls / elapsed * 60.0;
    long throttled = sandbox_429s(c);

    gcp_client_stats_get(&st, c);
    printf("{\"scenario\": \"%s\", \"calls\": %d, \"ok\": %s, "
           "\"seconds\": %.2f, \"per_minute\": %.0f, \"limit\": %.0f, "
           "\"share_of_limit\": %.3f, \"attempts\": %lu, \"retries\": %lu, "
           "\"http_429\": %ld, \"share_429\": %.4f, \"token_grants\": %lu}\n",
           sc->name, sc->calls, rc == 0 ? "true" : "false", elapsed, achieved,
           st.rate_limit, achieved / st.rate_limit, st.requests, st.retries,
           throttled, st.requests ? (double)throttled / st.requests : 0.0,
           st.token_grants);
}

static int run_scenario(const char *bin, const struct scenario *sc)
{
    gcp_client_options o = GCP_CLIENT_OPTIONS_INIT;
    gcp_client *c = NULL;
    char url[128], why[256];
    pid_t pid = sandbox_start(bin, sc->knobs, url, sizeof(url));
    double start;
    int rc;

    if (pid < 0) {
        fprintf(stderr, "bench_client: cannot start '%s sandbox'\n", bin);
        return 1;
    }
    o.api_url = url;
    o.client_id = "gcprov-demo";
    o.secret = "gcprov-demo-secret";
    o.rate_per_minute = sc->rate;
    if ((rc = gcp_client_new(&c, &o, why, sizeof(why))) == 0 &&
        (rc = gcp_client_connect(c)) == 0) {
        start = now_s();
        rc = run_calls(c, sc->calls);
        report(sc, c, now_s() - start, rc);
    } else {
        fprintf(stderr, "bench_client: %s\n", c ? gcp_client_message(c) : why);
    }
    gcp_client_free(c);
    kill(pid, SIGTERM);
    waitpid(pid, NULL, 0);
    return rc != 0;
}

int main(int argc, char **argv)
{
    const char *bin = argc > 1 ? argv[1] : getenv("GCPROV_BIN");
    static const struct scenario scenarios[] = {
        {"rate limit 600/min (50 per 5 s window)",
         {"--rate-limit", "50", "--rate-window", "5", NULL},
         0,
         200},
        {"faults: fail 0.2, reset 0.05",
         {"--fail-rate", "0.2", "--reset-rate", "0.05", "--fault-seed", "1",
          "--rate-limit", "0", NULL},
         60000,
         500},
        {"throughput: 20 ms latency, no limit",
         {"--latency", "20", "--rate-limit", "0", NULL},
         600000,
         1000},
    };
    int failed = 0;

    signal(SIGPIPE, SIG_IGN);
    if (bin == NULL)
        bin = "./gcprov";
    for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
        failed += run_scenario(bin, &scenarios[i]);
    return failed ? 1 : 0;
}

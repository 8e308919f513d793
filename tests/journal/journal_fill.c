/*
 * journal_fill.c: writes a journal the CLI tests can read, through the
 * public API only, as apply would.
 *
 *   journal_fill PATH demo    two runs: creates, grants and licenses done,
 *                             a failure fixed by the second run, another
 *                             left, a step a crash left open, two people
 *                             queued for seats
 *   journal_fill PATH empty   a journal with no runs
 *   journal_fill PATH hold    holds the writer's lock: prints "ready" and
 *                             waits for a line (or end of file) on stdin
 *
 * Exits 0, or 1 after printing the journal's message on stderr.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gcprov/journal.h"

static gcp_journal *journal;

static void check(int rc)
{
    if (rc == 0)
        return;
    fprintf(stderr, "journal_fill: %s\n", gcp_journal_message(journal));
    exit(1);
}

static int64_t run_begin(const char *options)
{
    gcp_journal_run_info info = GCP_JOURNAL_RUN_INFO_INIT;
    int64_t run;

    info.command = "apply";
    info.client_id = "client-abc";
    info.api_host = "api.example.test";
    info.roster_path = "/data/roster.csv";
    info.roster_sha256 = "00112233445566778899aabbccddeeff"
                         "00112233445566778899aabbccddeeff";
    info.options_json = options;
    check(gcp_journal_run_begin(&run, journal, &info));
    return run;
}

/* One step, start to end: intent, then (unless `state` is OPEN) result. */
static void step(int64_t run, const char *key, gcp_journal_step kind,
                 const char *target, gcp_journal_state state, int http,
                 const char *code, const char *message)
{
    gcp_journal_intent in = GCP_JOURNAL_INTENT_INIT;
    gcp_journal_result r = GCP_JOURNAL_RESULT_INIT;
    char user[64];
    char corr[64];
    int64_t id;

    snprintf(user, sizeof(user), "u-%s", key);
    snprintf(corr, sizeof(corr), "corr-%s-%s", key,
             gcp_journal_step_name(kind));
    in.person_key = key;
    in.step = kind;
    in.target = target;
    in.scope = kind == GCP_STEP_GRANT ? "div-home" : NULL;
    check(gcp_journal_intents(&id, journal, run, &in, 1));
    if (state == GCP_STATE_OPEN)
        return;
    r.state = state;
    r.user_id = state == GCP_STATE_DONE ? user : NULL;
    r.http_status = http;
    r.error_code = code;
    r.message = message;
    r.correlation_id = corr;
    check(gcp_journal_results(journal, &id, &r, 1));
}

static void fill_demo(void)
{
    int64_t one = run_begin("{\"seats\": [\"lic-cx=10\"]}");
    int64_t two;

    step(one, "alice", GCP_STEP_CREATE, "alice@example.test", GCP_STATE_DONE,
         201, NULL, NULL);
    step(one, "alice", GCP_STEP_GRANT, "role-agent", GCP_STATE_DONE, 204, NULL,
         NULL);
    step(one, "alice", GCP_STEP_LICENSE, "lic-cx", GCP_STATE_DONE, 200, NULL,
         NULL);
    step(one, "bob", GCP_STEP_CREATE, "bob@example.test", GCP_STATE_DONE, 201,
         NULL, NULL);
    step(one, "bob", GCP_STEP_LICENSE, "lic-cx", GCP_STATE_FAILED, 409,
         "license.seats.exhausted", "no seat left, \"cx\" is full");
    step(one, "carol", GCP_STEP_CREATE, "carol@example.test", GCP_STATE_OPEN, 0,
         NULL, NULL);
    check(gcp_journal_run_end(journal, one, "failed", 1));

    two = run_begin("{}");
    step(two, "bob", GCP_STEP_LICENSE, "lic-cx", GCP_STATE_DONE, 200, NULL,
         NULL);
    step(two, "dave", GCP_STEP_UPDATE, "title", GCP_STATE_FAILED, 400,
         "bad.request", "title too long");
    check(gcp_journal_pending_add(journal, two, "erin", "lic-cx",
                                  GCP_PENDING_BUDGET, "seat budget 10 spent"));
    check(gcp_journal_pending_add(journal, two, "frank", "lic-cx",
                                  GCP_PENDING_IN_USE, NULL));
    check(gcp_journal_run_end(journal, two, "held", 4));
}

static void hold(void)
{
    char line[16];

    printf("ready\n");
    fflush(stdout);
    if (fgets(line, sizeof(line), stdin) == NULL && ferror(stdin))
        exit(1);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: journal_fill PATH demo|empty|hold\n");
        return 2;
    }
    check(gcp_journal_open(&journal, argv[1], NULL));
    if (strcmp(argv[2], "demo") == 0)
        fill_demo();
    else if (strcmp(argv[2], "hold") == 0)
        hold();
    else if (strcmp(argv[2], "empty") != 0)
        return 2;
    check(gcp_journal_close(journal));
    gcp_journal_free(journal);
    return 0;
}

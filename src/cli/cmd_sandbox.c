/*
 * cmd_sandbox.c: `gcprov sandbox` serves a local Genesys Cloud Platform
 * API (see docs/sandbox.md). It prints the base URL alone as the first
 * line on stdout, for scripts, then serves until SIGINT or SIGTERM.
 *
 * The numeric knobs are read as text and turned into the same JSON that
 * PUT /_sandbox/faults takes, so the flags and the run-time hook share one
 * parser, one set of ranges and one set of messages.
 */
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "exit.h"
#include "msg.h"
#include "sandbox.h"

struct sandbox_settings {
    const char *listen;
    const char *seed;
    const char *state_file;
    const char *tls_cert;
    const char *tls_key;
    long idle_timeout;
    long max_connections;
    const char *knobs[11]; /* in the order of knob_names */
    struct cli_list seats;
    long fault_seed;
};

/* The flags that are also PUT /_sandbox/faults keys, in knobs[] order. */
static const char *const knob_names[] = {
    "rate-limit",     "rate-window",          "latency",
    "fail-rate",      "lost-reply-rate",      "reset-rate",
    "token-lifetime", "search-lag",           "create-lag",
    "retry-after",    "deleted-external-ids",
};

#define KNOB(i) offsetof(struct sandbox_settings, knobs) + (i) * sizeof(char *)

static const struct cli_opt sandbox_opts[] = {
    {"listen", 'l', CLI_STRING, offsetof(struct sandbox_settings, listen),
     "ADDR:PORT", "where to listen (default 127.0.0.1:0: a free port)"},
    {"seed", 0, CLI_STRING, offsetof(struct sandbox_settings, seed), "FILE",
     "load this org (JSON), not the built-in demo org"},
    {"state-file", 0, CLI_STRING, offsetof(struct sandbox_settings, state_file),
     "FILE", "org kept here: loaded if present, saved on exit"},
    {"tls-cert", 0, CLI_STRING, offsetof(struct sandbox_settings, tls_cert),
     "FILE", "serve HTTPS with this PEM certificate"},
    {"tls-key", 0, CLI_STRING, offsetof(struct sandbox_settings, tls_key),
     "FILE", "the certificate's PEM private key, unencrypted"},
    {"idle-timeout", 0, CLI_INT,
     offsetof(struct sandbox_settings, idle_timeout), "S",
     "close connections idle for S s (default 30)"},
    {"max-connections", 0, CLI_INT,
     offsetof(struct sandbox_settings, max_connections), "N",
     "at most N connections at once (default 256)"},
    {"rate-limit", 0, CLI_STRING, KNOB(0), "N",
     "calls per window per token (default 300; 0: off)"},
    {"rate-window", 0, CLI_STRING, KNOB(1), "S",
     "the rate limit's window, s (default 60)"},
    {"latency", 0, CLI_STRING, KNOB(2), "MS",
     "delay every API reply by MS milliseconds"},
    {"fail-rate", 0, CLI_STRING, KNOB(3), "P",
     "share of API calls answered 503, doing nothing"},
    {"lost-reply-rate", 0, CLI_STRING, KNOB(4), "P",
     "share of calls done, then cut with no reply"},
    {"reset-rate", 0, CLI_STRING, KNOB(5), "P",
     "share of calls cut before doing anything"},
    {"token-lifetime", 0, CLI_STRING, KNOB(6), "S",
     "expires_in of new tokens, s (default 86400)"},
    {"search-lag", 0, CLI_STRING, KNOB(7), "S",
     "s before writes show in search (default 3)"},
    {"create-lag", 0, CLI_STRING, KNOB(8), "S",
     "s after a create before other calls see it"},
    {"retry-after", 0, CLI_STRING, KNOB(9), "0|1",
     "1 (default): 429s carry Retry-After; 0: they do not"},
    {"deleted-external-ids", 0, CLI_STRING, KNOB(10), "0|1",
     "1: a deleted user's external ids are readable"},
    {"seats", 0, CLI_LIST, offsetof(struct sandbox_settings, seats),
     "LICENSE=N", "refuse LICENSE past N users (repeatable)"},
    {"fault-seed", 0, CLI_INT, offsetof(struct sandbox_settings, fault_seed),
     "N", "seed of the fault dice (default 1)"},
    CLI_OPT_END,
};

static int add_number(json_t *obj, const char *name, const char *text)
{
    char *end;
    double v = strtod(text, &end);

    if (end == text || *end != '\0')
        return -1;
    return json_object_set_new(obj, name, json_real(v));
}

static int add_seat(json_t *seats, const char *spec)
{
    const char *eq = strchr(spec, '=');
    char license[64];
    char *end;
    long n;

    if (eq == NULL || eq == spec || (size_t)(eq - spec) >= sizeof(license))
        return -1;
    n = strtol(eq + 1, &end, 10);
    if (*end != '\0' || end == eq + 1 || n < 0)
        return -1;
    memcpy(license, spec, (size_t)(eq - spec));
    license[eq - spec] = '\0';
    return json_object_set_new(seats, license, json_integer(n));
}

/* Whole-number knobs go to the merger as integers, the rest as reals. */
static void integral_knobs(json_t *knobs)
{
    static const char *const whole[] = {"rate-limit", "latency",
                                        "token-lifetime"};

    for (size_t i = 0; i < 3; i++) {
        json_t *v = json_object_get(knobs, whole[i]);
        double d = json_number_value(v);
        if (v != NULL && d == (double)(json_int_t)d)
            json_object_set_new(knobs, whole[i], json_integer((json_int_t)d));
    }
}

static int read_knobs(const struct sandbox_settings *s, struct sbx_faults *f)
{
    json_t *knobs = json_object();
    json_t *seats = json_object();
    struct gcp_err err;
    int rc = 0;

    gcp_err__clear(&err);
    for (size_t i = 0; i < sizeof(knob_names) / sizeof(knob_names[0]); i++)
        if (s->knobs[i] != NULL &&
            add_number(knobs, knob_names[i], s->knobs[i]) < 0)
            rc = cli_usage_error(&cli_cmd_sandbox, "--%s needs a number",
                                 knob_names[i]);
    for (size_t i = 0; rc == 0 && i < s->seats.count; i++)
        if (add_seat(seats, s->seats.items[i]) < 0)
            rc = cli_usage_error(&cli_cmd_sandbox,
                                 "--seats needs LICENSE=N, not '%s'",
                                 s->seats.items[i]);
    if (rc == 0 && s->seats.count > 0)
        json_object_set(knobs, "seats", seats);
    integral_knobs(knobs);
    if (rc == 0 && sbx_faults_merge(f, knobs, &err) < 0)
        rc = cli_usage_error(&cli_cmd_sandbox, "%s", gcp_err__message(&err));
    json_decref(knobs);
    json_decref(seats);
    return rc;
}

/* TLS files, the idle timeout and the connection limit. */
static int read_connection_settings(const struct sandbox_settings *s,
                                    struct sbx_config *cfg)
{
    if ((s->tls_cert == NULL) != (s->tls_key == NULL))
        return cli_usage_error(&cli_cmd_sandbox,
                               "--tls-cert and --tls-key go together");
    if (s->idle_timeout < 0 || s->idle_timeout > 86400 ||
        s->max_connections < 0 || s->max_connections > 10000)
        return cli_usage_error(&cli_cmd_sandbox,
                               "--idle-timeout must be 1 to 86400 and "
                               "--max-connections 1 to 10000");
    cfg->tls_cert_file = s->tls_cert;
    cfg->tls_key_file = s->tls_key;
    if (s->idle_timeout > 0)
        cfg->idle_timeout = (unsigned)s->idle_timeout;
    if (s->max_connections > 0)
        cfg->max_connections = (unsigned)s->max_connections;
    return 0;
}

/* Blocks the stop signals in every thread; the main thread waits for them. */
static void block_signals(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, set, NULL);
}

static int announce(const char *url)
{
    if (printf("%s\n", url) < 0 || fflush(stdout) != 0)
        return cli_error(CLI_EXIT_LOCAL, "could not write standard output");
    return 0;
}

static int run_sandbox(const struct cli_common *common, void *settings,
                       int argc, char **argv)
{
    struct sandbox_settings *s = settings;
    struct sbx_config cfg;
    struct gcp_err err;
    struct sbx *sbx = NULL;
    sigset_t stop;
    int sig = 0, rc;

    if (argc > 0)
        return cli_usage_error(&cli_cmd_sandbox, "unexpected operand '%s'",
                               argv[0]);
    gcp_err__clear(&err);
    sbx_config_init(&cfg);
    cfg.listen = s->listen ? s->listen : cfg.listen;
    cfg.seed_file = s->seed;
    cfg.state_file = s->state_file;
    cfg.fault_seed = s->fault_seed ? (unsigned long)s->fault_seed : 1;
    cfg.log = cli_log;
    cfg.log_min = cli_log_min_level();
    if ((rc = read_connection_settings(s, &cfg)) != 0 ||
        (rc = read_knobs(s, &cfg.faults)) != 0)
        return rc;
    block_signals(&stop);
    if ((rc = sbx_start(&sbx, &cfg, &err)) < 0)
        return cli_error(cli_exit_from_error(rc), "sandbox: %s",
                         gcp_err__message(&err));
    if ((rc = announce(sbx_url(sbx))) == 0) {
        cli_info("sandbox serving at %s; stop with Ctrl-C", sbx_url(sbx));
        sigwait(&stop, &sig);
    }
    if (sbx_stop(sbx, &err) < 0)
        return cli_error(CLI_EXIT_LOCAL, "sandbox: %s", gcp_err__message(&err));
    return rc;
}

const struct cli_command cli_cmd_sandbox = {
    .name = "sandbox",
    .summary = "serve a local Genesys Cloud API for tests and demos",
    .details = "Prints the base URL alone as the first line on stdout, then "
               "serves the\nAPI and the /oauth/token login on that origin "
               "until SIGINT or SIGTERM.\nEvery knob can also be changed "
               "while serving: PUT /_sandbox/faults with\nthe flag names as "
               "JSON keys. See docs/sandbox.md.\n",
    .opts = sandbox_opts,
    .settings_size = sizeof(struct sandbox_settings),
    .run = run_sandbox,
};

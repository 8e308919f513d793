/*
 * sandbox.h: run the gcprov sandbox, a local Genesys Cloud Platform API,
 * inside any program: the `gcprov sandbox` command, C tests, or a later
 * `gcprov apply --sandbox`. Internal to gcprov (not installed).
 *
 *     struct sbx_config cfg;
 *     struct sbx *s;
 *     sbx_config_init(&cfg);
 *     cfg.faults.rate_limit = 0;
 *     if (sbx_start(&s, &cfg, &err) == 0) {
 *         use(sbx_url(s));
 *         sbx_stop(s);
 *     }
 *
 * The server runs on its own threads (one per connection) until
 * sbx_stop. Every knob is described in docs/sandbox.md.
 */
#ifndef SBX_SANDBOX_H
#define SBX_SANDBOX_H

#include <jansson.h>

#include "err.h"
#include "gcprov/common.h"

struct sbx;

#define SBX_MAX_SEATS 32

/* A seat limit: assignments of `license` past `seats` users are refused. */
struct sbx_seat {
    char license[64];
    long seats;
};

/*
 * The load and fault knobs, the same names as the command-line flags and
 * the keys of PUT /_sandbox/faults ("rate-limit", "fail-rate", ...).
 */
struct sbx_faults {
    long rate_limit;        /* requests per window per token; 0: off */
    double rate_window;     /* s, > 0 */
    long latency_ms;        /* added before every API reply */
    double fail_rate;       /* 0..1: 503 before doing anything */
    double lost_reply_rate; /* 0..1: done, then the connection is cut */
    double reset_rate;      /* 0..1: connection cut before anything */
    long token_lifetime;    /* s, expires_in of new tokens, > 0 */
    double search_lag;      /* s before writes show in search */
    double create_lag;      /* s after a create before calls can name it */
    long retry_after;       /* 1: a 429 carries Retry-After; 0: it does not */
    long deleted_extids;    /* 1: a deleted user's external ids can be read */
    struct sbx_seat seats[SBX_MAX_SEATS];
    size_t seat_count;
};

struct sbx_config {
    const char *listen;        /* "ADDR:PORT"; port 0 picks a free one */
    const char *seed_file;     /* org to load; NULL: the built-in demo org */
    const char *state_file;    /* loaded at start if present, saved at stop */
    const char *tls_cert_file; /* PEM; with tls_key_file: serve HTTPS */
    const char *tls_key_file;  /* PEM private key, unencrypted */
    unsigned idle_timeout;     /* s a connection may stay idle; 0: never */
    unsigned max_connections;  /* connections served at once */
    struct sbx_faults faults;
    unsigned long fault_seed; /* seeds the fault dice, for repeatable runs */
    gcp_log_fn log;           /* NULL: silent */
    void *log_payload;
    gcp_log_level log_min;
};

/*
 * Fills `cfg` with the defaults: 127.0.0.1:0, plain HTTP, the demo org,
 * idle connections closed after 30 s, at most 256 connections, 300
 * requests per 60 s, no latency or faults, tokens of 86400 s, a 3 s search
 * lag, no create lag, no seat limits, fault seed 1.
 */
void sbx_config_init(struct sbx_config *cfg);

/* Fills `f` with the default knobs (those of sbx_config_init). */
void sbx_faults_init(struct sbx_faults *f);

/*
 * Merges the knobs named in `json` (an object with the flag names as keys;
 * "seats" is an object of license -> seats) into `f`. Unknown keys and
 * values out of range fail with GCP_EINVALID and leave `f` unchanged.
 */
int sbx_faults_merge(struct sbx_faults *f, const json_t *json,
                     struct gcp_err *err);

/* The knobs as JSON (the format sbx_faults_merge reads). New reference. */
json_t *sbx_faults_to_json(const struct sbx_faults *f);

/*
 * Loads the org and starts serving. On success *out is owned by the caller
 * and must be stopped with sbx_stop. Fails with GCP_EINVALID (bad seed,
 * state file, address, or only one of the TLS files; message in `err`),
 * GCP_EIO (unreadable file, port in use, a certificate or key that TLS
 * refuses), GCP_EUNSUPPORTED (TLS asked of a libmicrohttpd without it) or
 * GCP_ENOMEM. `cfg` is copied; its strings are borrowed
 * only for the call.
 */
int sbx_start(struct sbx **out, const struct sbx_config *cfg,
              struct gcp_err *err);

/*
 * The base URL, e.g. "http://127.0.0.1:41234" ("https://" with TLS).
 * Borrowed until sbx_stop.
 */
const char *sbx_url(const struct sbx *s);

/* Replaces the fault and load knobs while serving. */
void sbx_set_faults(struct sbx *s, const struct sbx_faults *faults);

/*
 * Stops serving, waits for requests in flight, saves the state file when
 * one was configured, and frees everything. NULL is accepted. Returns 0, or
 * GCP_EIO when the state file could not be written (`err` says why; may be
 * NULL).
 */
int sbx_stop(struct sbx *s, struct gcp_err *err);

#endif

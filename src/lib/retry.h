/*
 * retry.h: when to try a failed request again. Full-jitter exponential
 * backoff, and a retry budget shared by every request of a run, in the
 * manner of the AWS SDKs' standard retry mode: each retry spends from the
 * budget, each success puts a little back, and an outage empties it so the
 * run stops with GCP_EBUDGET instead of hammering a failing service.
 * Not locked: the owner serialises calls.
 */
#ifndef GCP_RETRY_H
#define GCP_RETRY_H

#define GCP_RETRY_COST         5  /* budget spent by a retry */
#define GCP_RETRY_TIMEOUT_COST 10 /* spent by a retry after a timeout */
#define GCP_RETRY_REFUND       1  /* returned by a first-try success */

struct gcp_retry_budget {
    int capacity; /* the most the budget holds */
    int left;     /* what remains */
};

/* Starts a full budget of `capacity` (> 0). */
void gcp_retry__budget_init(struct gcp_retry_budget *b, int capacity);

/* Spends `cost` if the budget holds it: returns 0, or -1 (nothing spent). */
int gcp_retry__budget_spend(struct gcp_retry_budget *b, int cost);

/*
 * Records a success: a request that needed no retry returns
 * GCP_RETRY_REFUND, one that retried returns what its retries spent
 * (`spent`). Never above the capacity.
 */
void gcp_retry__budget_success(struct gcp_retry_budget *b, int spent);

/*
 * Returns the wait in seconds before retry number `attempt` (1 for the
 * first retry): uniform in [0, min(cap, base * 2^(attempt-1))]. `seed` is
 * the caller's random state for rand_r.
 */
double gcp_retry__backoff(int attempt, double base, double cap,
                          unsigned int *seed);

#endif

/*
 * retry.c: backoff and the shared retry budget. Jitter spreads the retries
 * of many concurrent requests so that they do not return together.
 */
#include <stdlib.h>

#include "retry.h"

void gcp_retry__budget_init(struct gcp_retry_budget *b, int capacity)
{
    b->capacity = capacity;
    b->left = capacity;
}

int gcp_retry__budget_spend(struct gcp_retry_budget *b, int cost)
{
    if (b->left < cost)
        return -1;
    b->left -= cost;
    return 0;
}

void gcp_retry__budget_success(struct gcp_retry_budget *b, int spent)
{
    b->left += spent > 0 ? spent : GCP_RETRY_REFUND;
    if (b->left > b->capacity)
        b->left = b->capacity;
}

double gcp_retry__backoff(int attempt, double base, double cap,
                          unsigned int *seed)
{
    double ceiling = base;

    for (int i = 1; i < attempt && ceiling < cap; i++)
        ceiling *= 2;
    if (ceiling > cap)
        ceiling = cap;
    return ceiling * ((double)rand_r(seed) / ((double)RAND_MAX + 1.0));
}

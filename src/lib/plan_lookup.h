/*
 * plan_lookup.h: how the tenant reader finds the roster's people, chosen
 * by arithmetic on what one call returns. docs/plan.md derives the costs.
 */
#ifndef GCP_PLAN_LOOKUP_H
#define GCP_PLAN_LOOKUP_H

#include <stddef.h>

enum gcp_lookup_strategy {
    GCP_LOOKUP_PER_PERSON = 0, /* external id, then email, per person */
    GCP_LOOKUP_SCAN = 1,       /* page through users, licenses, grants */
};

/* What the reader knows after the setup reads and one page of users. */
struct gcp_lookup_input {
    size_t people;       /* people in the roster */
    size_t org_users;    /* `total` of the first page of users */
    size_t page_size;    /* entities per page; 0 means 500 [U] */
    size_t roles;        /* distinct roles the roster names */
    size_t role_members; /* their userCount, summed */
    int seats;           /* budgets are set: every seat must be counted */
};

/* Estimated calls of each strategy, and the cheaper one. */
struct gcp_lookup_cost {
    size_t per_person;
    size_t scan;
    enum gcp_lookup_strategy choice;
};

/*
 * Fills *out with both costs for `in` (borrowed) and picks the cheaper;
 * on a tie the scan, whose cost does not grow with misses.
 */
void gcp_plan__lookup_cost(struct gcp_lookup_cost *out,
                           const struct gcp_lookup_input *in);

#endif

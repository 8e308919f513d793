/*
 * plan_opts.h: the options plan and apply share (--key-authority, --seats,
 * --release-licenses, --strict-seats, --details) and the roster reading
 * both start with.
 */
#ifndef CLI_PLAN_OPTS_H
#define CLI_PLAN_OPTS_H

#include <stddef.h>

#include "gcprov/plan.h"
#include "opts.h"
#include "roster_opts.h"

#define CLI_PLAN_MAX_BUDGETS 64

struct cli_plan_opts {
    const char *key_authority;
    struct cli_list seats; /* LICENSE=N */
    int release_licenses;
    int strict_seats;
    int details;
};

extern const struct cli_opt cli_plan_opt_table[];

#define CLI_PLAN_GROUP(settings_type, member)                                  \
    {                                                                          \
        "plan options", cli_plan_opt_table, offsetof(settings_type, member)    \
    }

/* The library's plan options, with the budgets' storage. */
struct cli_plan_setup {
    gcp_plan_options opts;
    gcp_seat_budget budgets[CLI_PLAN_MAX_BUDGETS];
    char names[CLI_PLAN_MAX_BUDGETS][128];
};

/*
 * Checks the group's values and fills `out`. Returns 0, or an exit status
 * after printing a usage error for `cmd`.
 */
int cli_plan_setup(const struct cli_command *cmd,
                   const struct cli_plan_opts *in, struct cli_plan_setup *out);

/*
 * Reads the roster at `path` and prints its diagnostics. Returns 0, or an
 * exit status (2: invalid; *out is still the caller's to free).
 */
int cli_plan_read_roster(gcp_roster **out, const char *path,
                         const struct cli_roster_setup *setup);

#endif

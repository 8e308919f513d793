/*
 * plan_opts.h: the options plan and apply share (--key-authority, --seats,
 * --release-licenses, --strict-seats, --details, --sandbox) and the roster
 * reading both start with.
 */
#ifndef CLI_PLAN_OPTS_H
#define CLI_PLAN_OPTS_H

#include <stddef.h>

#include "connect.h"
#include "gcprov/apply.h"
#include "gcprov/plan.h"
#include "opts.h"
#include "roster_opts.h"

struct sbx;

#define CLI_PLAN_MAX_BUDGETS 64

struct cli_plan_opts {
    const char *key_authority;
    struct cli_list seats; /* LICENSE=N */
    int release_licenses;
    int strict_seats;
    int details;
    int sandbox; /* --sandbox: the embedded demo org */
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

/*
 * Prints, as "PATH:LINE: ...", every person the plan found naming a role,
 * division, license or manager the org does not have, with the plan's
 * reason (it suggests the closest name), then the valid names of each
 * kind that was unknown, from `snap`. Returns CLI_EXIT_USAGE when there
 * is one and `skip_invalid` is not set, so that nothing is sent; 0
 * otherwise.
 */
int cli_plan_check_names(const gcp_plan *plan, const gcp_snapshot *snap,
                         const gcp_roster *roster, const char *path,
                         int skip_invalid);

/*
 * Opens the client plan and apply talk through: the org the connection
 * options name, or with --sandbox a throwaway demo org (*out_sandbox,
 * else left NULL). Close both with cli_embedded_close(). Returns 0 or an
 * exit status after printing why.
 */
int cli_plan_connect(gcp_client **out, struct sbx **out_sandbox,
                     const struct cli_plan_opts *plan,
                     const struct cli_connect *conn);

/*
 * The plan as one JSON document (free()), with "sandbox" (made on the
 * embedded sandbox or not) and, for apply, "applied": what the run did
 * (`applied` may be NULL). NULL when out of memory.
 */
char *cli_plan_json(const gcp_plan *plan, int sandbox,
                    const gcp_apply_result *applied);

#endif

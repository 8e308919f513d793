/*
 * org.h: what `gcprov roles` and `gcprov licenses` share: their options
 * (the connection, --sandbox, and for licenses --seats) and one read of
 * the org through the tenant reader, the same the plan uses, with no
 * person to look up: divisions, roles, license definitions and, counted
 * from every page of license assignments, the seats in use.
 */
#ifndef CLI_ORG_H
#define CLI_ORG_H

#include "connect.h"
#include "gcprov/plan.h"
#include "opts.h"
#include "plan_opts.h"

struct cli_org_opts {
    struct cli_connect conn;
    struct cli_plan_opts plan; /* only --seats is offered */
    int sandbox;
};

/* --sandbox and --seats; offsets are within struct cli_org_opts. */
extern const struct cli_opt cli_org_seats_opts[];
/* --sandbox alone. */
extern const struct cli_opt cli_org_opts_table[];

/*
 * Reads the org named by `opts` (or the embedded sandbox's demo org) into
 * *out (caller-owned, gcp_snapshot_free), counting every seat in use when
 * `count_seats`. Returns 0 or an exit status after printing why.
 */
int cli_org_read(gcp_snapshot **out, const struct cli_org_opts *opts,
                 int count_seats);

/* Prints the --sandbox note when it applies (text mode only). */
void cli_org_note(const struct cli_org_opts *opts, int json);

#endif

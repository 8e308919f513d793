/*
 * plan_lookup.c: the cost of each way to read the people a plan needs.
 *
 * Per person: a reverse lookup of our external id (one call), then for
 * everyone either a search by email (joiners, people we never linked) or
 * a read of their grants (people found): two calls a person, plus the
 * licenses: one batch read (POST /api/v2/license/users) per page of
 * people, or, when budgets are set, every page of GET /api/v2/license/users
 * since every seat in use must be counted anyway.
 *
 * Scan: every page of users (the first one, already read, included),
 * every page of licenses, and for each role the roster names every page of
 * its subject grants (GET /api/v2/authorization/roles/{id}/subjectgrants,
 * at least one page per role). Users found by neither email nor a
 * journal link cost one more read each; the estimate leaves them out.
 */
#include "plan_lookup.h"

#define LOOKUP_PAGE 500

static size_t lookup_pages(size_t n, size_t page)
{
    return (n + page - 1) / page;
}

void gcp_plan__lookup_cost(struct gcp_lookup_cost *out,
                           const struct gcp_lookup_input *in)
{
    size_t page = in->page_size > 0 ? in->page_size : LOOKUP_PAGE;
    size_t user_pages = lookup_pages(in->org_users, page);
    size_t license_reads =
        in->seats ? user_pages : lookup_pages(in->people, page);

    if (user_pages == 0)
        user_pages = 1; /* the page that told us the total */
    out->per_person = 2 * in->people + license_reads;
    out->scan =
        2 * user_pages + in->roles + lookup_pages(in->role_members, page);
    out->choice =
        out->scan <= out->per_person ? GCP_LOOKUP_SCAN : GCP_LOOKUP_PER_PERSON;
}

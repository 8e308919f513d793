/*
 * region.h: Genesys Cloud regions and the URL rules for API and login
 * hosts. A region is named by its SDK name ("eu-west-1") or its domain
 * suffix ("mypurecloud.ie"); a gateway or the sandbox is named by URL.
 */
#ifndef GCP_REGION_H
#define GCP_REGION_H

#include <stddef.h>

#include "err.h"

struct gcp_region {
    const char *name;   /* SDK name, "us-east-1" */
    const char *domain; /* suffix, "mypurecloud.com" */
};

/*
 * Finds a region by SDK name or domain (case-insensitive). Returns it, or
 * NULL after setting `err` (GCP_EINVALID) to a message listing every valid
 * name.
 */
const struct gcp_region *gcp_region__find(const char *name,
                                          struct gcp_err *err);

/* Returns the table of known regions and stores its length in *out_count. */
const struct gcp_region *gcp_region__all(size_t *out_count);

/*
 * Builds "https://api.<domain>" or "https://login.<domain>" into a new
 * string the caller frees. Returns NULL when out of memory.
 */
char *gcp_region__url(const struct gcp_region *region, const char *host);

/*
 * Checks that `url` is a usable base URL: https://, or http:// to a
 * loopback host (127.0.0.0/8, ::1, localhost), with no query or fragment.
 * `what` names the URL in the message ("api url"). Returns 0 or
 * GCP_EINVALID with `err` set.
 */
int gcp_region__check_url(const char *url, const char *what,
                          struct gcp_err *err);

/* Returns non-zero when `host` (no port, no brackets) is loopback. */
int gcp_region__is_loopback(const char *host);

#endif

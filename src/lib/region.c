/*
 * region.c: the region table (section 1 of genesys-api.md) and the checks
 * on base URLs. Plain http is allowed to loopback only, so a secret is
 * never sent in clear text over a network.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <arpa/inet.h>
#include <curl/curl.h>

#include "region.h"

static const struct gcp_region regions[] = {
    {"us-east-1", "mypurecloud.com"},
    {"us-east-2", "use2.us-gov-pure.cloud"},
    {"us-west-2", "usw2.pure.cloud"},
    {"ca-central-1", "cac1.pure.cloud"},
    {"sa-east-1", "sae1.pure.cloud"},
    {"mx-central-1", "mxc1.pure.cloud"},
    {"eu-west-1", "mypurecloud.ie"},
    {"eu-west-2", "euw2.pure.cloud"},
    {"eu-central-1", "mypurecloud.de"},
    {"eu-central-2", "euc2.pure.cloud"},
    {"eusc-de-east-1", "edee1.eusc-pure.cloud"},
    {"me-central-1", "mec1.pure.cloud"},
    {"ap-south-1", "aps1.pure.cloud"},
    {"ap-southeast-1", "apse1.pure.cloud"},
    {"ap-southeast-2", "mypurecloud.com.au"},
    {"ap-northeast-1", "mypurecloud.jp"},
    {"ap-northeast-2", "apne2.pure.cloud"},
    {"ap-northeast-3", "apne3.pure.cloud"},
};

#define REGION_COUNT (sizeof(regions) / sizeof(regions[0]))

const struct gcp_region *gcp_region__all(size_t *out_count)
{
    *out_count = REGION_COUNT;
    return regions;
}

/* Appends every region name to `buf`, comma separated. */
static void region_list(char *buf, size_t size)
{
    size_t used = 0;

    buf[0] = '\0';
    for (size_t i = 0; i < REGION_COUNT && used < size; i++) {
        int n = snprintf(buf + used, size - used, "%s%s", i ? ", " : "",
                         regions[i].name);

        if (n < 0)
            break;
        used += (size_t)n;
    }
}

const struct gcp_region *gcp_region__find(const char *name, struct gcp_err *err)
{
    char names[400];

    for (size_t i = 0; name != NULL && i < REGION_COUNT; i++)
        if (strcasecmp(regions[i].name, name) == 0 ||
            strcasecmp(regions[i].domain, name) == 0)
            return &regions[i];
    region_list(names, sizeof(names));
    gcp_err__set(err, GCP_EINVALID, "unknown region '%s'; valid regions: %s",
                 name != NULL ? name : "", names);
    return NULL;
}

char *gcp_region__url(const struct gcp_region *region, const char *host)
{
    size_t len =
        strlen("https://") + strlen(host) + 1 + strlen(region->domain) + 1;
    char *url = malloc(len);

    if (url != NULL)
        snprintf(url, len, "https://%s.%s", host, region->domain);
    return url;
}

int gcp_region__is_loopback(const char *host)
{
    unsigned char addr[16];

    if (strcasecmp(host, "localhost") == 0)
        return 1;
    if (inet_pton(AF_INET, host, addr) == 1)
        return addr[0] == 127;
    if (inet_pton(AF_INET6, host, addr) == 1)
        return memcmp(addr, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\1", 16) == 0;
    return 0;
}

/* Checks the parts of a parsed URL; `u` is borrowed. */
static int check_parts(CURLU *u, const char *url, const char *what,
                       struct gcp_err *err)
{
    char *scheme = NULL, *host = NULL, *query = NULL, *fragment = NULL;
    int rc = 0;

    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0);
    curl_url_get(u, CURLUPART_HOST, &host, 0);
    curl_url_get(u, CURLUPART_QUERY, &query, 0);
    curl_url_get(u, CURLUPART_FRAGMENT, &fragment, 0);
    if (query != NULL || fragment != NULL) {
        rc = gcp_err__set(err, GCP_EINVALID,
                          "%s '%s' must not have a query or fragment", what,
                          url);
        goto cleanup;
    }
    if (scheme != NULL && strcmp(scheme, "https") == 0)
        goto cleanup;
    if (scheme == NULL || strcmp(scheme, "http") != 0) {
        rc = gcp_err__set(err, GCP_EINVALID, "%s '%s' must start with https://",
                          what, url);
        goto cleanup;
    }
    if (host != NULL && host[0] == '[') {
        /* curl keeps IPv6 brackets in the host part. */
        memmove(host, host + 1, strlen(host));
        host[strcspn(host, "]")] = '\0';
    }
    if (host == NULL || !gcp_region__is_loopback(host))
        rc = gcp_err__set(err, GCP_EINVALID,
                          "%s '%s' uses plain http to a host that is not "
                          "loopback; use https://",
                          what, url);

cleanup:
    curl_free(scheme);
    curl_free(host);
    curl_free(query);
    curl_free(fragment);
    return rc;
}

int gcp_region__check_url(const char *url, const char *what,
                          struct gcp_err *err)
{
    CURLU *u = curl_url();
    int rc;

    if (u == NULL)
        return gcp_err__set(err, GCP_ENOMEM, "out of memory");
    if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK)
        rc = gcp_err__set(err, GCP_EINVALID, "%s '%s' is not a valid url", what,
                          url);
    else
        rc = check_parts(u, url, what, err);
    curl_url_cleanup(u);
    return rc;
}

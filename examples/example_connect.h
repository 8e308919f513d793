/*
 * example_connect.h: how the examples connect to an org, from the same
 * environment variables gcprov reads:
 *   GENESYSCLOUD_REGION or GCPROV_API_URL   the org
 *   GENESYSCLOUD_OAUTHCLIENT_ID             the OAuth client
 *   GENESYSCLOUD_OAUTHCLIENT_SECRET         its secret, or instead
 *   GCPROV_CLIENT_SECRET_FILE               a file holding it (first line)
 */
#ifndef EXAMPLE_CONNECT_H
#define EXAMPLE_CONNECT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcprov.h>

/* Reads the secret's first line from `path` into `buf`. 0 or -1. */
static int example_read_secret(char *buf, size_t size, const char *path)
{
    FILE *f = fopen(path, "r");
    int ok = f != NULL && fgets(buf, (int)size, f) != NULL;

    if (f != NULL)
        fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    return ok && buf[0] != '\0' ? 0 : -1;
}

/*
 * Connects to the org the environment names, printing why not as
 * "PROG: reason". Returns the client (gcp_client_free) or NULL.
 */
static gcp_client *example_connect(const char *prog)
{
    gcp_client_options o = GCP_CLIENT_OPTIONS_INIT;
    const char *file = getenv("GCPROV_CLIENT_SECRET_FILE");
    const char *env = getenv("GENESYSCLOUD_OAUTHCLIENT_SECRET");
    char secret[512] = "";
    char why[256] = "";
    gcp_client *client = NULL;

    if (file != NULL && example_read_secret(secret, sizeof(secret), file) < 0) {
        fprintf(stderr, "%s: cannot read the secret file\n", prog);
        return NULL;
    }
    if (file == NULL && env != NULL)
        snprintf(secret, sizeof(secret), "%s", env);
    /* The secret need not stay where child processes would inherit it. */
    unsetenv("GENESYSCLOUD_OAUTHCLIENT_SECRET");
    o.region = getenv("GENESYSCLOUD_REGION");
    o.api_url = getenv("GCPROV_API_URL");
    o.client_id = getenv("GENESYSCLOUD_OAUTHCLIENT_ID");
    o.secret = secret;
    if (gcp_client_new(&client, &o, why, sizeof(why)) < 0)
        fprintf(stderr, "%s: %s\n", prog, why);
    else if (gcp_client_connect(client) < 0) {
        fprintf(stderr, "%s: %s\n", prog, gcp_client_message(client));
        gcp_client_free(client);
        client = NULL;
    }
    memset(secret, 0, sizeof(secret));
    return client;
}

#endif

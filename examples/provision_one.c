/*
 * provision_one.c: provisions one person with libgcprov's building
 * blocks, using only the public API (gcprov.h): connect, find the person
 * by key, else by email, else create them; then add a role and a license.
 * Running it twice changes nothing more: every step is additive.
 *
 *   provision_one KEY EMAIL "FULL NAME" ROLE_ID LICENSE_ID
 *
 * Where and who come from the environment, as for gcprov:
 *   GENESYSCLOUD_REGION or GCPROV_API_URL   the org
 *   GENESYSCLOUD_OAUTHCLIENT_ID             the OAuth client
 *   GENESYSCLOUD_OAUTHCLIENT_SECRET         its secret, or instead
 *   GCPROV_CLIENT_SECRET_FILE               a file holding it (first line)
 *
 * Prints the user's id and what it did; exits 0 on success, 1 on failure.
 */
#define _POSIX_C_SOURCE 200809L /* unsetenv */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcprov.h>

#define AUTHORITY "gcprov" /* the authority gcprov apply writes */

/* Reads the secret's first line from `path` into `buf`. 0 or -1. */
static int read_secret(char *buf, size_t size, const char *path)
{
    FILE *f = fopen(path, "r");
    int ok = f != NULL && fgets(buf, (int)size, f) != NULL;

    if (f != NULL)
        fclose(f);
    buf[strcspn(buf, "\r\n")] = '\0';
    return ok && buf[0] != '\0' ? 0 : -1;
}

/* Connects to the org named by the environment. NULL on failure. */
static gcp_client *connect_org(void)
{
    gcp_client_options o = GCP_CLIENT_OPTIONS_INIT;
    const char *file = getenv("GCPROV_CLIENT_SECRET_FILE");
    const char *env = getenv("GENESYSCLOUD_OAUTHCLIENT_SECRET");
    char secret[512] = "";
    char why[256] = "";
    gcp_client *client = NULL;

    if (file != NULL && read_secret(secret, sizeof(secret), file) < 0) {
        fprintf(stderr, "provision_one: cannot read the secret file\n");
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
        fprintf(stderr, "provision_one: %s\n", why);
    else if (gcp_client_connect(client) < 0) {
        fprintf(stderr, "provision_one: %s\n", gcp_client_message(client));
        gcp_client_free(client);
        client = NULL;
    }
    memset(secret, 0, sizeof(secret));
    return client;
}

/* Finds the person by key, then by email, else creates them. */
static int find_or_create(gcp_user **out, gcp_client *client,
                          const gcp_person *p, gcp_result *detail)
{
    int error = gcp_user_find_by_key(out, client, AUTHORITY, p->key, detail);

    if (error == GCP_ENOTFOUND)
        error = gcp_user_find_by_email(out, client, p->email, detail);
    if (error == 0) {
        printf("found %s (%s)\n", gcp_user_id(*out), gcp_user_state(*out));
        return 0;
    }
    if (error != GCP_ENOTFOUND)
        return error;
    error = gcp_user_create(out, client, p, NULL, AUTHORITY, detail);
    if (*out != NULL)
        printf("created %s\n", gcp_user_id(*out));
    return error;
}

int main(int argc, char **argv)
{
    gcp_person person = {0};
    gcp_user_grant role = {NULL, NULL};
    const char *license;
    gcp_result detail = {0};
    gcp_client *client;
    gcp_user *user = NULL;
    int error;

    if (argc != 6) {
        fprintf(stderr, "usage: provision_one KEY EMAIL \"FULL NAME\" "
                        "ROLE_ID LICENSE_ID\n");
        return 2;
    }
    signal(SIGPIPE, SIG_IGN); /* see gcprov/client.h */
    person.key = person.employee_id = argv[1];
    person.email = argv[2];
    person.name = argv[3];
    role.role_id = argv[4];
    license = argv[5];
    if ((client = connect_org()) == NULL)
        return 1;
    error = find_or_create(&user, client, &person, &detail);
    if (error == 0)
        error =
            gcp_user_add_roles(client, gcp_user_id(user), &role, 1, &detail);
    if (error == 0)
        error = gcp_user_add_licenses(client, gcp_user_id(user), &license, 1,
                                      &detail);
    if (error == 0)
        printf("%s has role %s and license %s\n", gcp_user_id(user),
               role.role_id, license);
    else
        fprintf(stderr, "provision_one: %s: %s\n", gcp_error_name(error),
                detail.message);
    gcp_result_clear(&detail);
    gcp_user_free(user);
    gcp_client_free(client);
    return error == 0 ? 0 : 1;
}

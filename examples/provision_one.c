/*
 * provision_one.c: provisions one person with libgcprov's building
 * blocks, using only the public API (gcprov.h): connect, find the person
 * by key, else by email, else create them; then add a role and a license.
 * Running it twice changes nothing more: every step is additive.
 *
 *   provision_one KEY EMAIL "FULL NAME" ROLE_ID LICENSE_ID
 *
 * Where and who come from the environment, as for gcprov (see
 * example_connect.h).
 *
 * Prints the user's id and what it did; exits 0 on success, 1 on failure.
 */
#define _POSIX_C_SOURCE 200809L /* unsetenv */

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gcprov.h>

#include "example_connect.h"

#define AUTHORITY "gcprov" /* the authority gcprov apply writes */

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
    if ((client = example_connect("provision_one")) == NULL)
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

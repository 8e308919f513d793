/*
 * fuzz_roster_validate.c: the validator on arbitrary values. The input,
 * split at NUL bytes, fills the fields of one CSV row under a fixed header
 * (quoted, so any byte reaches the checks); the roster is then checked
 * against fixed org names, and the pure checks (addr-spec, E.164,
 * suggestions) run on the raw pieces.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gcprov/roster.h"
#include "roster_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FIELDS 10

static const char header[] = "employee_id,name,email,phone_work,extension,"
                             "manager_email,division,roles,licenses,state\n";
static const char *const roles[] = {"Admin", "Agent", "Supervisor"};
static const char *const divisions[] = {"Home", "Sales", "Support"};
static const char *const licenses[] = {"cloudCX3", "communicate"};

/* Appends a quoted CSV field; returns the new length. */
static size_t put_field(char *out, size_t len, const uint8_t *s, size_t n)
{
    out[len++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            out[len++] = '"';
        out[len++] = (char)s[i];
    }
    out[len++] = '"';
    return len;
}

static void check_pieces(const uint8_t *data, size_t size)
{
    char norm[32], name[129];
    size_t n = size < 128 ? size : 128;

    roster__email_valid((const char *)data, size);
    roster__e164_normalize((const char *)data, size, norm, sizeof(norm));
    roster__utf8_valid((const char *)data, size, NULL);
    memcpy(name, data, n);
    name[n] = '\0';
    gcp_roster_suggest(name, roles, 3);
}

static void check_row(const char *text, size_t len)
{
    gcp_roster_names names = GCP_ROSTER_NAMES_INIT;
    gcp_roster *r = NULL;

    names.roles = roles;
    names.role_count = 3;
    names.divisions = divisions;
    names.division_count = 3;
    names.licenses = licenses;
    names.license_count = 2;
    if (gcp_roster_read_buffer(&r, text, len, "fuzz.csv", NULL) == 0)
        gcp_roster_check_names(r, &names);
    for (size_t i = 0; i < gcp_roster_diag_count(r); i++)
        if (strlen(gcp_roster_diag(r, i)->message) == 0)
            abort(); /* every diagnostic says something */
    gcp_roster_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(sizeof(header) + size * 2 + FIELDS * 3 + 2);
    size_t len = sizeof(header) - 1, start = 0, fields = 0;

    if (text == NULL)
        return 0;
    memcpy(text, header, len);
    for (size_t i = 0; i <= size && fields < FIELDS; i++) {
        if (i < size && data[i] != 0)
            continue;
        if (fields > 0)
            text[len++] = ',';
        len = put_field(text, len, data + start, i - start);
        check_pieces(data + start, i - start);
        start = i + 1;
        fields++;
    }
    while (fields++ < FIELDS)
        text[len++] = ',';
    text[len++] = '\n';
    check_row(text, len);
    free(text);
    return 0;
}

/*
 * exit.c: how the library's error codes become exit statuses.
 */
#include "gcprov/common.h"

#include "exit.h"

int cli_exit_from_error(int code)
{
    switch (code) {
    case GCP_OK:
        return CLI_EXIT_OK;
    case GCP_EINVALID:
        return CLI_EXIT_USAGE;
    case GCP_EAUTH:
    case GCP_EPERMISSION:
        return CLI_EXIT_AUTH;
    case GCP_EIO:
    case GCP_ENOMEM:
    case GCP_EBUSY:
        return CLI_EXIT_LOCAL;
    default:
        return CLI_EXIT_FAILED;
    }
}

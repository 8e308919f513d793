/*
 * secret.h: where an OAuth client secret can come from: an owner-only
 * file, or the standard output of a command (a vault or password manager
 * client). Every buffer that held the secret is wiped; the result is the
 * caller's to wipe with gcp_wipe_free.
 */
#ifndef GCP_SECRET_H
#define GCP_SECRET_H

#include "err.h"

/* The longest secret accepted, in bytes. */
#define GCP_SECRET_MAX 4096

/*
 * Reads the secret from `path`. Refuses (GCP_EINVALID, with the mode and
 * the chmod to run) a file that its group or others may read, and an
 * empty one; GCP_EIO when it cannot be read. On success *out is a new
 * NUL-terminated string without the trailing newline.
 */
int gcp_secret__read_file(char **out, const char *path, struct gcp_err *err);

/*
 * Runs `command` with /bin/sh -c, standard input and error inherited, and
 * takes its standard output as the secret. Fails (GCP_EIO) when the
 * command cannot start, exits non-zero or prints nothing. On success *out
 * is a new string without the trailing newline.
 */
int gcp_secret__run_command(char **out, const char *command,
                            struct gcp_err *err);

/* Removes trailing CR and LF characters in place. */
void gcp_secret__chomp(char *s);

#endif

/*
 * embedded.h: `--sandbox` for plan, apply, roles and licenses: a
 * throwaway sandbox holding the demo org, started inside gcprov on
 * loopback, and a client logged in with the demo credentials, which are
 * supplied here and never printed. Nothing of it outlives the command.
 */
#ifndef CLI_EMBEDDED_H
#define CLI_EMBEDDED_H

#include "gcprov/client.h"

struct sbx;

/* The line every command run with --sandbox prints on its output. */
#define CLI_EMBEDDED_NOTE                                                      \
    "sandbox: ran against a throwaway in-memory demo org; no tenant was "      \
    "touched"

/*
 * Starts the demo org (no rate limit, no search lag) and opens a client
 * to it pacing at `rate_limit` requests per minute (0: 60000). On
 * success *out_sandbox (sbx_stop) and *out_client (gcp_client_free) are
 * the caller's. Returns 0 or an exit status after printing why.
 */
int cli_embedded_open(struct sbx **out_sandbox, gcp_client **out_client,
                      double rate_limit);

/* Frees the client, then stops the sandbox. Both may be NULL. */
void cli_embedded_close(struct sbx *sandbox, gcp_client *client);

#endif

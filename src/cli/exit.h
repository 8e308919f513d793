/*
 * exit.h: gcprov's exit statuses, the one table behind docs/exit-codes.md.
 * Scripts branch on these numbers: never renumber one.
 */
#ifndef CLI_EXIT_H
#define CLI_EXIT_H

enum cli_exit {
    CLI_EXIT_OK = 0,     /* everything converged or the command succeeded */
    CLI_EXIT_FAILED = 1, /* some people or requests failed; see the report */
    CLI_EXIT_USAGE = 2,  /* bad command line or invalid roster: nothing sent */
    CLI_EXIT_AUTH = 3,   /* authentication or permission refused */
    CLI_EXIT_HELD = 4,   /* people held back because a seat budget is spent */
    CLI_EXIT_LOCAL = 5,  /* local failure: journal, disk, output, memory */
};

/* Maps a gcp_error code from the library to the exit status it implies. */
int cli_exit_from_error(int code);

#endif

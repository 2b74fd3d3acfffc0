/* cli.h: what the regpath commands share: exit codes and error lines. */
#ifndef REGPATH_APP_CLI_H
#define REGPATH_APP_CLI_H

#include "regpath.h"

/* Exit codes: one per kind of failure, listed in --help, the README and the
 * man page. */
enum {
  EXIT_OK = 0,
  EXIT_INTERNAL = 1,
  EXIT_USAGE = 2, /* bad command line or config */
  EXIT_DATA = 3,
  EXIT_NUMERIC = 4,
  EXIT_IO = 5,
  EXIT_NOMEM = 6
};

/* The exit code for a library status. */
int cli_exit_code(rp_status st);

/* Print "regpath: error: <file>:<line>:<col>: <what>" (one line) and return
 * the exit code for it. */
int cli_fail(const rp_error *err);

/* Print a one-line usage error naming `what` and `arg` (may be NULL), with a
 * pointer to `help` ("regpath --help"), and return EXIT_USAGE. */
int cli_usage_error(const char *what, const char *arg, const char *help);

#endif

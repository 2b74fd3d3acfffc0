/* cli.h: what the regpath commands share: exit codes and error lines. */
#ifndef REGPATH_APP_CLI_H
#define REGPATH_APP_CLI_H

#include <stdio.h>

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

/* Write s to f as text safe for a terminal line (lib/text.h: each control
 * character and invalid UTF-8 sequence as U+FFFD), cut to `max` characters
 * (0 = all of it) and padded with spaces to `width` characters.  Everything
 * from the data or the user that the program prints goes through here. */
void cli_put_text(FILE *f, const char *s, size_t width, size_t max);

/* Write a CSV cell (a name from the data or the model) as text for one
 * line (as cli_put_text), quoted (RFC 4180) when it holds a delimiter or a
 * quote the reader could take for one. */
void cli_put_csv_cell(FILE *f, const char *name);

/* Class k's name (rp_classes_name) after `prefix` ("prob_", "coef_", or ""),
 * as a CSV cell. */
void cli_put_class_cell(FILE *f, const rp_classes *classes, size_t k, const char *prefix);

/* Print "regpath: <kind>: <text>" as one line on stderr, text through
 * cli_put_text ("error", "warning", "note"). */
void cli_say(const char *kind, const char *text);

/* From now on cli_say prints nothing: a process of an MPI job other than
 * rank 0, which alone reports (the processes agree on every error). */
void cli_silence(void);

/* Print "regpath: error: <file>:<line>:<col>: <what>" (one line) and return
 * the exit code for it. */
int cli_fail(const rp_error *err);

/* Print a one-line usage error naming `what` and `arg` (may be NULL), with a
 * pointer to `help` ("regpath --help"), and return EXIT_USAGE. */
int cli_usage_error(const char *what, const char *arg, const char *help);

/* The point of a model's path a command uses: --alpha A or --at WHICH
 * (given = 0: neither, the selected model as model.json holds it). */
typedef struct {
  int given; /* 0 none, 1 --alpha, 2 --at */
  double alpha;
  rp_model_point at;
} cli_point;

/* Take --alpha (name "--alpha") or --at's argument into *pt; -1 to go on,
 * else the usage error's exit code (a bad value, or both options given). */
int cli_point_option(const char *name, const char *arg, cli_point *pt, const char *help);

/* Move the model to that point (rp_model_at_alpha, rp_model_at_point). */
rp_status cli_point_apply(const cli_point *pt, rp_model *m, rp_error *err);

#endif

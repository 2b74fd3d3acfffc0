/* cli.c: exit codes, error lines and text on a terminal (see cli.h). */
#include "cli.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regpath/text.h"

void cli_put_text(FILE *f, const char *s, size_t width, size_t max) {
  size_t shown = 0;
  for (rp_text_cursor c = rp_text_start(s, strlen(s), RP_TEXT_LINE);
       (max == 0 || shown < max) && rp_text_next(&c); shown++)
    fwrite(c.piece, 1, c.n, f);
  for (; shown < width; shown++) fputc(' ', f);
}

/* A CSV header cell, as text for one line (regpath/text.h: a line end or an
 * escape sequence from the model would break the CSV or reach the terminal
 * with the predictions on stdout), quoted (RFC 4180) when it holds anything
 * the reader could take for a delimiter or a quote. */
void cli_put_csv_cell(FILE *f, const char *name) {
  int quote = name[strcspn(name, ",;\"")] != '\0';
  if (quote) fputc('"', f);
  for (rp_text_cursor c = rp_text_start(name, strlen(name), RP_TEXT_LINE); rp_text_next(&c);) {
    if (c.cp == '"') fputc('"', f);
    fwrite(c.piece, 1, c.n, f);
  }
  if (quote) fputc('"', f);
}

void cli_put_class_cell(FILE *f, const rp_classes *classes, size_t k, const char *prefix) {
  char name[4096 + 8];
  size_t len = (size_t)snprintf(name, sizeof name, "%s", prefix);
  rp_classes_name(classes, k, name + len, sizeof name - len);
  cli_put_csv_cell(f, name);
}

/* Set in the processes of an MPI job other than rank 0 (comm.h). */
static int silent;

void cli_silence(void) { silent = 1; }

void cli_say(const char *kind, const char *text) {
  if (silent) return;
  fprintf(stderr, "regpath: %s: ", kind);
  cli_put_text(stderr, text, 0, 0);
  fputc('\n', stderr);
}

int cli_exit_code(rp_status st) {
  switch (st) {
    case RP_OK: return EXIT_OK;
    case RP_EINVAL:
    case RP_ECONFIG: return EXIT_USAGE;
    case RP_EDATA: return EXIT_DATA;
    case RP_ENUMERIC: return EXIT_NUMERIC;
    case RP_EIO: return EXIT_IO;
    case RP_ENOMEM: return EXIT_NOMEM;
  }
  return EXIT_INTERNAL;
}

int cli_fail(const rp_error *err) {
  char line[RP_ERROR_MESSAGE_MAX + RP_ERROR_FILE_MAX + 64];
  rp_error_format(err, line, sizeof line);
  cli_say("error", line);
  return cli_exit_code(err->status);
}

int cli_usage_error(const char *what, const char *arg, const char *help) {
  char line[4096];
  snprintf(line, sizeof line, "%s%s (see %s)", what, arg ? arg : "", help);
  cli_say("error", line);
  return EXIT_USAGE;
}

int cli_point_option(const char *name, const char *arg, cli_point *pt, const char *help) {
  static const char *const points[] = {"selected", "min", "1se"};
  int alpha = strcmp(name, "--alpha") == 0;
  if (pt->given && pt->given != (alpha ? 1 : 2))
    return cli_usage_error("--alpha and --at: give one or the other", NULL, help);
  pt->given = alpha ? 1 : 2;
  if (alpha) {
    char *end;
    errno = 0;
    pt->alpha = strtod(arg, &end);
    if (end == arg || *end || errno == ERANGE || !(pt->alpha > 0.0) || !isfinite(pt->alpha))
      return cli_usage_error("--alpha: expected a positive number, got ", arg, help);
    return -1;
  }
  for (size_t i = 0; i < sizeof points / sizeof points[0]; i++)
    if (strcmp(arg, points[i]) == 0) {
      pt->at = (rp_model_point)i;
      return -1;
    }
  return cli_usage_error("--at: expected min, 1se or selected, got ", arg, help);
}

rp_status cli_point_apply(const cli_point *pt, rp_model *m, rp_error *err) {
  if (pt->given == 1) return rp_model_at_alpha(m, pt->alpha, err);
  if (pt->given == 2) return rp_model_at_point(m, pt->at, err);
  return RP_OK;
}

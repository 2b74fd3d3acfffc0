/* cli.c: exit codes, error lines and text on a terminal (see cli.h). */
#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "regpath/text.h"

void cli_put_text(FILE *f, const char *s, size_t width, size_t max) {
  size_t shown = 0;
  for (rp_text_cursor c = rp_text_start(s, strlen(s), RP_TEXT_LINE);
       (max == 0 || shown < max) && rp_text_next(&c); shown++)
    fwrite(c.piece, 1, c.n, f);
  for (; shown < width; shown++) fputc(' ', f);
}

void cli_say(const char *kind, const char *text) {
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

/* cli.c: exit codes and error lines (see cli.h). */
#include "cli.h"

#include <stdio.h>

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
  fprintf(stderr, "regpath: error: %s\n", line);
  return cli_exit_code(err->status);
}

int cli_usage_error(const char *what, const char *arg, const char *help) {
  fprintf(stderr, "regpath: error: %s%s (see %s)\n", what, arg ? arg : "", help);
  return EXIT_USAGE;
}

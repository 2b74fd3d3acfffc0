/* error.c: the error record (see regpath/error.h). */
#include "regpath/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

void rp_error_clear(rp_error *err) {
  if (err) memset(err, 0, sizeof *err);
}

/* Clean field s (size bytes, at most RP_ERROR_MESSAGE_MAX) in place for one
 * terminal line (text.h): messages quote names and cells from the data,
 * whose newlines, escape sequences and invalid UTF-8 must not reach the
 * terminal or the one-line format. */
static void clean_line(char *s, size_t size) {
  char buf[RP_ERROR_MESSAGE_MAX];
  size_t n = rp_text_clean(s, strlen(s), RP_TEXT_LINE, buf, size);
  memcpy(s, buf, n + 1);
}

static rp_status set_va(rp_error *err, rp_status status, const char *file, long line, long column,
                        const char *fmt, va_list ap) RP_PRINTF(6, 0);

static rp_status set_va(rp_error *err, rp_status status, const char *file, long line, long column,
                        const char *fmt, va_list ap) {
  if (!err) return status;
  err->status = status;
  snprintf(err->file, sizeof err->file, "%s", file ? file : "");
  err->line = line;
  err->column = column;
  vsnprintf(err->message, sizeof err->message, fmt, ap);
  clean_line(err->message, sizeof err->message);
  clean_line(err->file, sizeof err->file);
  return status;
}

rp_status rp_error_set(rp_error *err, rp_status status, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set_va(err, status, NULL, 0, 0, fmt, ap);
  va_end(ap);
  return status;
}

rp_status rp_error_set_at(rp_error *err, rp_status status, const char *file, long line, long column,
                          const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  set_va(err, status, file, line, column, fmt, ap);
  va_end(ap);
  return status;
}

void rp_error_format(const rp_error *err, char *buf, size_t size) {
  if (size == 0) return;
  buf[0] = '\0';
  if (!err) return;
  if (err->file[0] && err->line > 0 && err->column > 0)
    snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->column, err->message);
  else if (err->file[0] && err->line > 0)
    snprintf(buf, size, "%s:%ld: %s", err->file, err->line, err->message);
  else if (err->file[0])
    snprintf(buf, size, "%s: %s", err->file, err->message);
  else
    snprintf(buf, size, "%s", err->message);
}

const char *rp_status_string(rp_status status) {
  switch (status) {
    case RP_OK: return "success";
    case RP_EINVAL: return "invalid argument";
    case RP_ECONFIG: return "configuration error";
    case RP_EDATA: return "data error";
    case RP_ENUMERIC: return "numerical failure";
    case RP_EIO: return "I/O error";
    case RP_ENOMEM: return "out of memory";
  }
  return "unknown error";
}

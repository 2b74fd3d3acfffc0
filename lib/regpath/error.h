/* regpath/error.h: status codes and the error record every fallible call fills.
 *
 * The library never prints, exits or aborts.  A function that can fail
 * returns an rp_status and, when it fails, describes the first problem in the
 * caller's rp_error (which may be NULL when the caller does not care).
 */
#ifndef REGPATH_ERROR_H
#define REGPATH_ERROR_H

#include <stddef.h>

#include "regpath/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
  RP_OK = 0,
  RP_EINVAL,   /* a library function was called with invalid arguments */
  RP_ECONFIG,  /* the configuration is invalid (names the key)          */
  RP_EDATA,    /* the input data are unusable (names file/line/column)  */
  RP_ENUMERIC, /* numerical failure (overflow, no convergence if strict) */
  RP_EIO,      /* reading or writing a file failed                      */
  RP_ENOMEM    /* out of memory                                         */
} rp_status;

#define RP_ERROR_MESSAGE_MAX 512
#define RP_ERROR_FILE_MAX 256

/* The first problem found.  `file` is empty and `line`/`column` are 0 when the
 * problem has no position in a file.  `message` and `file` are valid UTF-8
 * without control characters (so never a newline or an escape sequence):
 * each invalid sequence or control character from the data is U+FFFD. */
typedef struct {
  rp_status status;
  char message[RP_ERROR_MESSAGE_MAX];
  char file[RP_ERROR_FILE_MAX];
  long line;   /* 1-based, 0 = none */
  long column; /* 1-based, 0 = none */
} rp_error;

/* Clear `err` (no-op for NULL). */
RP_API void rp_error_clear(rp_error *err);

/* Record a problem without position; returns `status` so that callers can
 * write `return rp_error_set(err, RP_EDATA, "...", ...);`. */
RP_API rp_status rp_error_set(rp_error *err, rp_status status, const char *fmt, ...)
    RP_PRINTF(3, 4);

/* Record a problem at `file`:`line`:`column` (line/column 0 = unknown). */
RP_API rp_status rp_error_set_at(rp_error *err, rp_status status, const char *file, long line,
                                 long column, const char *fmt, ...) RP_PRINTF(6, 7);

/* Write "file:line:col: message" (the position parts that are known) into
 * buf (always NUL-terminated when size > 0). */
RP_API void rp_error_format(const rp_error *err, char *buf, size_t size);

/* A short constant name for a status ("data error", ...). */
RP_API const char *rp_status_string(rp_status status);

#ifdef __cplusplus
}
#endif
#endif

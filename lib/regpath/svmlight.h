/* regpath/svmlight.h: a sparse data file in the svmlight / libsvm format,
 * read into compressed sparse columns (issue 19).
 *
 * One row per line: `label idx:val idx:val ...`.  The label is a finite
 * decimal number; the indices are 1-based positive integers, strictly
 * increasing along a line; each value is a finite decimal number.  Tokens
 * are separated by spaces or tabs; `#` starts a comment that runs to the
 * end of the line, and a line that is blank or only a comment is skipped.
 * A `qid:N` token (N a non-negative integer) right after the label is
 * accepted and ignored, and the lines that carry one are counted.  Lines
 * end with LF or CRLF.  A line without any feature is a row of zeros.
 * Numbers are read as a CSV number cell is (regpath/table.h; the library's
 * csv_number.c): plain decimals, no hexadecimal, nan or inf.
 *
 * A gzip-compressed file reads like a plain one (its magic bytes decide,
 * as for a CSV file).  It is read in blocks of the line limit, never
 * whole: a line with its line end may take at most max_line_bytes bytes,
 * as a CSV record (data.max_line_bytes).
 *
 * Positions in errors: `line` is the 1-based physical line; `column` is the
 * 1-based byte offset in it of the first byte of the offending token.  A
 * line over the limit has column 0; "no data rows" and problems with the
 * whole file (unreadable, a corrupt gzip stream) have line 0 too.
 */
#ifndef REGPATH_SVMLIGHT_H
#define REGPATH_SVMLIGHT_H

#include <stddef.h>
#include <stdint.h>

#include "regpath/api.h"
#include "regpath/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The file as compressed sparse columns (CSC), owned by the caller and
 * released with rp_svmlight_free.  Explicit zeros ("3:0") are not stored,
 * but their indices still count for p and max_index. */
typedef struct {
  size_t n, p;         /* rows read; columns: the largest index read, or n_features when given */
  size_t *col_start;   /* p + 1: column j's entries are [col_start[j], col_start[j+1]) */
  uint32_t *row_index; /* nnz row numbers (0-based), strictly increasing within a column */
  double *values;      /* nnz values, explicit zeros dropped */
  double *y;           /* n labels */
  size_t max_index;    /* the largest feature index in the file (1-based), 0 if none */
  size_t n_qid;        /* lines that carried a qid: token (ignored) */
} rp_svmlight;

/* Reads `path` (plain or gzip) into *out, which is zeroed first and again
 * on failure.  n_features: 0 = p from the file; else p = n_features, and an
 * index > n_features is an RP_EDATA error naming the line and column and
 * saying the training data has only n_features features.  max_line_bytes:
 * the longest line accepted, line end included (0 = RP_CSV_DEFAULT_MAX_LINE,
 * the default of data.max_line_bytes).  Errors: RP_EINVAL (path or out
 * NULL), RP_EIO (cannot open or read), RP_EDATA (a malformed line, a
 * corrupt gzip stream, no data rows, more than INT32_MAX - 1 rows),
 * RP_ENOMEM. */
RP_API rp_status rp_svmlight_read(const char *path, size_t n_features, size_t max_line_bytes,
                                  rp_svmlight *out, rp_error *err);

/* rp_svmlight_read on part of the file, to read it a window at a time:
 * only the lines whose first byte is at a byte offset in [start, end) of
 * the file (the line that straddles `start` belongs to the window before;
 * the last line is the one holding byte end - 1), or every line when end
 * is 0.  Consecutive windows read each line once.  Rows are numbered from 0
 * in the window; positions in errors are the file's own lines.  A window
 * may hold no row (n = 0).  A gzip file cannot be entered in the middle: a
 * start past 0 is RP_EDATA.  The window's n_features is p (0: the largest
 * index in the window).  Errors: as rp_svmlight_read; RP_EINVAL for start
 * < 0 or end in (0, start]. */
RP_API rp_status rp_svmlight_read_window(const char *path, size_t n_features, size_t max_line_bytes,
                                         long long start, long long end, rp_svmlight *out,
                                         rp_error *err);

/* The rows (lines holding a token before any comment) and the largest
 * feature index of the lines of `path` that start in [start, end) (end 0:
 * all of them), as rp_svmlight_read_window would find them in a valid
 * file, at a fraction of its cost: an index is the digits before a colon,
 * and nothing else is parsed or checked (read the window to check it).  A
 * line over max_line_bytes is an error as in a read.  Errors: RP_EINVAL
 * (a NULL argument, start < 0 or end in (0, start]), RP_EIO, RP_EDATA (a
 * corrupt gzip stream, a line over the limit), RP_ENOMEM. */
RP_API rp_status rp_svmlight_scan_window(const char *path, size_t max_line_bytes, long long start,
                                         long long end, size_t *rows, size_t *max_index,
                                         rp_error *err);

/* Frees what *s holds and zeroes it; harmless on a zeroed struct or NULL. */
RP_API void rp_svmlight_free(rp_svmlight *s);

#ifdef __cplusplus
}
#endif
#endif

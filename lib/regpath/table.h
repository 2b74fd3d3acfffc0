/* regpath/table.h: a numeric table with named columns, read from CSV.
 *
 * The CSV dialect: a header row is required; the delimiter is ',', ';' or TAB,
 * detected from the header (the first of those found outside quotes);
 * RFC 4180 quoting in the header and in cells ("a ""quoted"" name, with
 * comma"), and a quoted field may hold line ends (LF or CRLF, kept in the
 * value), so a record is one physical line or several; CRLF or LF line ends;
 * an optional UTF-8 byte-order mark; every cell below the header is a finite
 * decimal number (surrounding blanks allowed; a line end in a cell is an
 * error).  A last line without a newline is fine; empty lines at the very end
 * are ignored; an empty line elsewhere is an error.  Error positions are
 * physical lines, even inside a record of several lines.
 */
#ifndef REGPATH_TABLE_H
#define REGPATH_TABLE_H

#include <stddef.h>

#include "regpath/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Column-major storage: the value in row i, column j is values[j * n_rows + i]
 * (each column contiguous, which is what the solvers read). */
typedef struct {
  size_t n_rows;
  size_t n_cols;
  char **names;   /* n_cols NUL-terminated names, owned by the table */
  double *values; /* n_rows * n_cols, owned by the table */
} rp_table;

typedef struct {
  /* Longest accepted record in bytes, including its line ends: a physical
   * line, or all the lines of a record that quoted line ends join, since the
   * reader holds a whole record at once and this bounds its memory.  A
   * longer record is an error.  0 = the default, 1 MiB. */
  size_t max_line;
} rp_csv_options;

#define RP_CSV_DEFAULT_MAX_LINE ((size_t)1 << 20)

/* The smallest limit a user may set (data.max_line_bytes, model.json's
 * max_line_bytes, regpath predict --max-line-bytes): shorter cannot hold a
 * useful header, so a smaller value is taken for a mistake. */
#define RP_CSV_MIN_MAX_LINE ((size_t)16)

/* Read the CSV file `path` into a new table (*out, owned by the caller, free
 * with rp_table_free).  `opt` may be NULL for the defaults.
 * Errors: RP_EIO (cannot open/read; not a regular file), RP_EDATA (with file,
 * line and column of the offending cell, and the column's name where known:
 * empty file, header only, duplicate or empty column names, ragged rows,
 * non-numeric/NaN/Inf/empty cells, bad quoting, record too long), RP_ENOMEM.
 * On error *out is NULL. */
rp_status rp_table_read_csv(const char *path, const rp_csv_options *opt,
                            rp_table **out, rp_error *err);

/* Index of the column named `name`, or -1.  Names are compared as regpath
 * writes them (invalid UTF-8 replaced by U+FFFD), so the cleaned names in a
 * model.json find the columns of the file it was trained on; for the same
 * reason two columns whose names differ only in invalid UTF-8 are
 * duplicates. */
long rp_table_find(const rp_table *t, const char *name);

/* Pointer to column j (n_rows contiguous values). */
const double *rp_table_column(const rp_table *t, size_t j);

/* Free the table; NULL is harmless. */
void rp_table_free(rp_table *t);

#ifdef __cplusplus
}
#endif
#endif

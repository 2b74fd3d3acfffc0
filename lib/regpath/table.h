/* regpath/table.h: a table of typed columns with names, read from CSV.
 *
 * The file: plain text, or gzip-compressed (detected by its first two bytes,
 * 1f 8b, whatever its name; read through zlib; a corrupt or truncated stream
 * is RP_EDATA naming the file, at line 0).
 *
 * The CSV dialect: a header row is required; the delimiter is ',', ';' or TAB,
 * detected from the header (the first of those found outside quotes);
 * RFC 4180 quoting in the header and in cells ("a ""quoted"" name, with
 * comma"), and a quoted field may hold line ends (LF or CRLF, kept in the
 * value), so a record is one physical line or several; CRLF or LF line ends;
 * an optional UTF-8 byte-order mark.  A last line without a newline is fine;
 * empty lines at the very end are ignored; an empty line elsewhere is an
 * error.  Error positions are physical lines, even inside a record of
 * several lines, and the 1-based byte of the cell's start (the byte after
 * the delimiter, so leading blanks belong to the cell).
 *
 * Names: every column has a distinct, non-empty name, except that the first
 * may be empty (R's write.csv writes "" over its row names); it is named ""
 * and rp_table_find(t, "") finds it.
 *
 * Cells: an unquoted cell is taken with its surrounding blanks (space, TAB
 * when TAB is not the delimiter) trimmed; a quoted cell exactly as RFC 4180
 * unquotes it, except that a number may have blanks inside the quotes.  Each
 * column is read as its rp_column_type says (rp_csv_options: a default and
 * types by name; zeroed options read every column as NUMBER with no
 * missing-value tokens, regpath's strict numeric reading):
 *   - a cell that equals one of the missing-value tokens is missing (NaN),
 *     in NUMBER, AUTO and TEXT columns; quoted ("NA") or not, since R writes
 *     NA unquoted but other writers quote every cell; a quoted " NA" is not;
 *   - NUMBER: a finite decimal number as strtod reads it (bit for bit; no
 *     hexadecimal, no NaN or Inf spellings), or TRUE/FALSE in any case as
 *     1/0; anything else is an RP_EDATA naming file, line, column and the
 *     column's name;
 *   - AUTO: NUMBER when every cell qualifies, else TEXT, where every cell is
 *     a level as written ("007" stays "007", "5.60" stays "5.60", TRUE stays
 *     "TRUE"; the rows before the first text cell are read a second time);
 *   - TEXT: the distinct non-missing cells are the levels, sorted in byte
 *     order (strcmp); a cell's value is its level's index;
 *   - SKIP: cells are split but never parsed or checked; values are NaN.
 *     The record structure still counts (quotes, the number of cells).
 * A name in type_names that is no column of the file is not an error here.
 */
#ifndef REGPATH_TABLE_H
#define REGPATH_TABLE_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* How a column's cells are read.  0 is NUMBER, so zero-initialized options
 * keep the strict numeric reading. */
typedef enum {
  RP_COLUMN_NUMBER = 0, /* every cell a finite decimal number, TRUE/FALSE in any
                           case (1/0), or a missing-value token (NaN); other text
                           is an error naming file, line, column and column name */
  RP_COLUMN_AUTO,       /* NUMBER if every cell qualifies as above; otherwise TEXT */
  RP_COLUMN_TEXT,       /* every cell that is not a missing-value token is a level */
  RP_COLUMN_SKIP        /* read past, never parsed or checked; values are NaN */
} rp_column_type;

/* What the reader found in one column. */
typedef struct {
  rp_column_type type; /* as read: NUMBER, TEXT or SKIP (AUTO resolved) */
  size_t n_levels;     /* TEXT: the distinct non-missing cell texts, */
  char **levels;       /* sorted in byte order (strcmp); the column's values are
                          level indices 0 .. n_levels-1 stored as doubles,
                          NaN for a missing cell */
  size_t n_missing;    /* cells that are a missing-value token (NaN in values) */
  long missing_line;   /* the first missing cell: physical line and 1-based byte */
  long missing_column; /* column as in other errors; 0 when n_missing == 0 */
  char *missing_token; /* its text (the token as it appears), NULL when none */
} rp_column_info;

/* Column-major storage: the value in row i, column j is values[j * n_rows + i]
 * (each column contiguous, which is what the solvers read). */
typedef struct {
  size_t n_rows;
  size_t n_cols;
  char **names;            /* n_cols NUL-terminated names, owned by the table */
  double *values;          /* n_rows * n_cols, owned by the table */
  rp_column_info *columns; /* n_cols, owned by the table */
} rp_table;

typedef struct {
  /* Longest accepted record in bytes, including its line ends: a physical
   * line, or all the lines of a record that quoted line ends join, since the
   * reader holds a whole record at once and this bounds its memory.  A
   * longer record is an error.  0 = the default, 1 MiB. */
  size_t max_line;
  rp_column_type default_type;   /* columns not named below; 0 = NUMBER */
  const char *const *type_names; /* n_types column names ...            */
  const rp_column_type *types;   /* ... and their types                  */
  size_t n_types;
  const char *const *na_values; /* missing-value tokens; NULL = none   */
  size_t n_na_values;           /* (today's strict reading)            */
  /* A window of the file (window_end 0: the whole file): its header line,
   * then only the lines whose first byte is at an offset in [window_start,
   * window_end), for processes that share one file out (regpath/comm.h).
   * Lines end at every line feed; line numbers in errors start again at 2
   * after the header (rp_run_comm puts them right).  A gzip file is an
   * RP_EDATA error. */
  long long window_start, window_end;
} rp_csv_options;

/* The default missing-value tokens: "", "NA", "NaN", "nan", "N/A", "NULL",
 * "null" (static storage; *n receives their count). */
RP_API const char *const *rp_csv_default_na_values(size_t *n);

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
 * non-numeric/NaN/Inf/empty cells in a NUMBER column, bad quoting, record
 * too long; a corrupt or truncated gzip stream; a file that changed while
 * an AUTO column was read again), RP_EINVAL (options with a type that is
 * not an rp_column_type, or a count with a NULL list), RP_ENOMEM.
 * On error *out is NULL. */
RP_API rp_status rp_table_read_csv(const char *path, const rp_csv_options *opt, rp_table **out,
                                   rp_error *err);

/* Index of the column named `name`, or -1.  Names are compared as regpath
 * writes them (invalid UTF-8 replaced by U+FFFD), so the cleaned names in a
 * model.json find the columns of the file it was trained on; for the same
 * reason two columns whose names differ only in invalid UTF-8 are
 * duplicates. */
RP_API long rp_table_find(const rp_table *t, const char *name);

/* Pointer to column j (n_rows contiguous values). */
RP_API const double *rp_table_column(const rp_table *t, size_t j);

/* Free the table; NULL is harmless. */
RP_API void rp_table_free(rp_table *t);

#ifdef __cplusplus
}
#endif
#endif

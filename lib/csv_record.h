/* csv_record.h (private): the records of a CSV file and their cells, for
 * lib/table.c.
 *
 * Positions in errors: `line` is the 1-based physical line of the file (the
 * header starts on line 1); `column` is the 1-based byte offset within that
 * line of the first byte of the offending cell, i.e. the byte after the
 * preceding delimiter, so leading blanks belong to the cell.  A cell that a
 * quoted line end carries onto later lines is still named by the line and
 * column where it starts.  A UTF-8 byte-order mark is not counted: line 1 is
 * measured after it is stripped.  Problems with a whole record have column 0
 * and the record's first line (too long, empty, and "header only" at line 1);
 * a row with too few cells points just past its last byte; a quoted field
 * that the end of the file or the record limit leaves open points at its
 * opening quote; problems with the whole file (empty, unreadable, a corrupt
 * gzip stream) have line 0 as well.
 *
 * Quoting follows RFC 4180, plus blanks allowed around a quoted field: a
 * record is a physical line, or several when quoted fields hold line ends
 * (kept in the value, CRLF as CRLF).  The reader ends a record at the first
 * line end after an even number of quotes; that is exactly RFC 4180's rule,
 * since a doubled quote counts twice and a quote inside an unquoted field is
 * rejected, as RFC 4180 requires, so that the reader, the delimiter detection
 * (which also only counts quotes) and the splitter agree.
 */
#ifndef REGPATH_CSV_RECORD_H
#define REGPATH_CSV_RECORD_H

#include <stddef.h>

#include "csv_input.h"
#include "regpath/error.h"

/* Reads records from a block buffer of max_line + 1 bytes: one more than the
 * longest accepted record, so a full buffer without the record's end proves
 * it too long and memory never depends on the file.  The scan state is kept
 * as offsets from the record's first byte, which refill may move. */
typedef struct {
  const char *path;
  rp_error *err;
  rp_csv_input in;
  char *buf;   /* size + 1 bytes: room to NUL-terminate a last record */
  size_t size; /* max_line + 1 */
  size_t max_line;
  size_t start, end; /* unread bytes are buf[start, end) */
  size_t scanned;    /* bytes of the pending record searched so far */
  int quoted;        /* an odd number of quotes in those bytes */
  long breaks;       /* line ends inside quotes in them */
  size_t line_start; /* offset of the physical line being scanned */
  size_t reopen;     /* offset just past the last closing quote */
  long quote_line;   /* the quoted field still open: its opening quote's  */
  long quote_column; /* line (0 = the record's first) and 1-based column */
  long lineno;       /* first physical line of the last record read */
  long lines_read;   /* physical lines up to the end of that record */
  double consumed;   /* bytes of the records read so far, to estimate the rest */
} rp_csv_reader;

/* A record being split into cells: quotes are removed in place, and `line`
 * and `line_start` follow the line ends the split has passed. */
typedef struct {
  char *text; /* NUL-terminated, without the record's line end */
  size_t len;
  size_t pos;        /* the next cell starts at text[pos] */
  long line;         /* physical line of text[pos] */
  size_t line_start; /* offset in text of that line's first byte */
} rp_csv_record;

/* One cell of a record, its quotes removed in place and NUL-terminated
 * (the delimiter or the blank after it is overwritten). */
typedef struct {
  char *text;
  size_t len;
  long line;   /* physical line of the cell's first byte */
  long column; /* its 1-based byte offset in that line */
} rp_csv_cell;

/* Opens `path` (plain or gzip, csv_input.h) for records of at most max_line
 * bytes (0 = RP_CSV_DEFAULT_MAX_LINE), of its window [window_start,
 * window_end) only (rp_csv_input_window; window_end 0: the whole file), and
 * skips a byte-order mark.  On error
 * the reader still needs rp_csv_reader_close. */
rp_status rp_csv_reader_open(rp_csv_reader *r, const char *path, size_t max_line,
                             long long window_start, long long window_end, rp_error *err);

/* The next record, ready to split (rec->text = NULL at the end of the
 * file), or the error: a record too long, a NUL byte, a read error. */
rp_status rp_csv_reader_next(rp_csv_reader *r, rp_csv_record *rec);

void rp_csv_reader_close(rp_csv_reader *r);

/* The first ',', ';' or TAB outside quotes; ',' when there is none (a
 * one-column file), which data rows then split on like any other. */
char rp_csv_detect_delimiter(const char *line, size_t len);

/* Splits the cell starting at rec->text[rec->pos]; rec->pos moves past its
 * delimiter and *more says whether another cell follows.  Blanks around an
 * unquoted cell and outside a quoted one are not part of it.  Returns NULL
 * or the problem (bad quoting), with c->line and c->column set either way. */
const char *rp_csv_split_cell(rp_csv_record *rec, char delim, rp_csv_cell *c, int *more);

/* The fast path for a plain decimal cell: when the cell at rec->pos is one
 * that rp_csv_short_decimal converts exactly, directly followed by the
 * delimiter or the end of the record, stores it in *v, moves past it like
 * rp_csv_split_cell and returns 1; otherwise returns 0 and moves nothing,
 * and the cell takes the general way. */
int rp_csv_take_number(rp_csv_record *rec, char delim, double *v, int *more);

#endif

/* csv_input.h (private): the bytes of a CSV file, plain or gzip-compressed.
 *
 * A file whose first two bytes are gzip's magic number (1f 8b) is read
 * through zlib, whatever its name; any other file as it is.  Only regular
 * files are opened: a directory or a FIFO would make the reader fail late
 * or block.  Errors are RP_EIO (cannot open or read) and RP_EDATA (a
 * corrupt or truncated gzip stream), each with the file's name and line 0:
 * a compressed stream has no line to point at.
 */
#ifndef REGPATH_CSV_INPUT_H
#define REGPATH_CSV_INPUT_H

#include <stddef.h>
#include <stdio.h>

#include "regpath/error.h"

typedef struct {
  const char *path;
  FILE *f;
  void *gz; /* zlib's gzFile when the file is compressed, else NULL */
  int eof;
  double size; /* the bytes the reader will see, for estimates: the file's size (a
                  window's at most), or for gzip the size its trailer gives (0 when it
                  cannot be trusted) */
  /* A window (rp_csv_input_window): its bytes, the phase of the reading
   * (0 the header line, 1 the window's lines, 2 done) and the file offset of
   * the next byte; end 0 for none. */
  long long start, end;
  int phase;
  long long pos;
} rp_csv_input;

/* Opens `path`; on error in->f and in->gz are NULL. */
rp_status rp_csv_input_open(rp_csv_input *in, const char *path, rp_error *err);

/* From now on the input is the file's first line (its header; none when
 * `header` is 0, as in an svmlight file) and then only the lines whose
 * first byte is at an offset in [start, end), end > start: so that
 * processes given consecutive windows of one file read each of its lines
 * once.  Lines end at every line feed, so a quoted cell that holds one
 * would be cut in two: such a file must be given in shards.  A gzip file
 * cannot be entered in the middle: its windows start at 0 (a later start
 * is RP_EDATA).  Call before any read. */
rp_status rp_csv_input_window(rp_csv_input *in, long long start, long long end, int header,
                              rp_error *err);

/* The line feeds before the first line of window [start, ...) of `path`
 * (1 when start falls in the header line): the physical line number of
 * that first line, less one.  Errors: RP_EIO. */
rp_status rp_csv_window_lines(const char *path, long long start, long *lines, rp_error *err);

/* An error st on a line of window [start, ...) of `path` (its reader numbers
 * the window's lines from 2 again, after the header; from 1 when `header`
 * is 0) put on the file's own line; st itself.  Errors on other files, or
 * on the header, stay. */
rp_status rp_csv_window_error(const char *path, long long start, int header, rp_status st,
                              rp_error *err);

/* The line feeds of the plain file `path` into *lines (an upper bound on
 * its data rows), or -1 for a gzip file, which is not read through.
 * Errors: RP_EIO. */
rp_status rp_csv_count_lines(const char *path, long *lines, rp_error *err);

/* Reads up to `n` bytes into buf: *got = 0 only at the end of the input. */
rp_status rp_csv_input_read(rp_csv_input *in, char *buf, size_t n, size_t *got, rp_error *err);

/* Closes the input; harmless on one that never opened. */
void rp_csv_input_close(rp_csv_input *in);

#endif

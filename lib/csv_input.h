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
  double size; /* the bytes the reader will see, for estimates: the file's size, or
                  for gzip the size its trailer gives (0 when it cannot be trusted) */
} rp_csv_input;

/* Opens `path`; on error in->f and in->gz are NULL. */
rp_status rp_csv_input_open(rp_csv_input *in, const char *path, rp_error *err);

/* Reads up to `n` bytes into buf: *got = 0 only at the end of the input. */
rp_status rp_csv_input_read(rp_csv_input *in, char *buf, size_t n, size_t *got, rp_error *err);

/* Closes the input; harmless on one that never opened. */
void rp_csv_input_close(rp_csv_input *in);

#endif

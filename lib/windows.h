/* windows.h (private): a CSV or svmlight file read a window of bytes at a
 * time (the lines that start in the window: csv_input.h), so that memory
 * holds one window's rows, never the file's. */
#ifndef REGPATH_WINDOWS_H
#define REGPATH_WINDOWS_H

#include <stddef.h>

#include "regpath/error.h"

/* Bytes of text read at a time (a window's table and X take about as much
 * again). */
enum { RP_WINDOW_BYTES = 8 << 20 };

/* The window for lines of up to `max_line` bytes: RP_WINDOW_BYTES, or two
 * of the longest lines when that is more, so that every window holds the
 * start of a line. */
long long rp_window_bytes(size_t max_line);

/* visit(ctx, file, start, end, err) for each window of `window` bytes of
 * `path`, in order: `file` is `path` and [start, end) the window's bytes,
 * the last one running to the file's end, at least `window` long; a file
 * of one window is given whole (start = end = 0).  `header` is 1 when the
 * file's first line is a header (a CSV file), which belongs to every
 * window, 0 when it has none (an svmlight file).  A gzip file, which
 * cannot be entered in the middle, is decompressed a window at a time (its
 * header, then its lines up to the first line feed past `window` bytes)
 * into a temporary plain file, which is given whole as `file` (its name is
 * unlinked at once, so that none is ever left behind); an error on it is
 * put back on `path` and its own line.  The first error stops the walk:
 * RP_EIO when `path` cannot be opened or the temporary file written, else
 * the visit's. */
typedef rp_status (*rp_window_fn)(void *ctx, const char *file, long long start, long long end,
                                  rp_error *err);
rp_status rp_each_window(const char *path, long long window, int header, rp_window_fn visit,
                         void *ctx, rp_error *err);

#endif

/* windows.h (private): a CSV file read a window of bytes at a time (the
 * lines that start in the window: csv_input.h), so that memory holds one
 * window's rows, never the file's. */
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

/* Whether `path` opens as a gzip file. */
int rp_file_is_gzip(const char *path);

/* Whether `path` is a gzip file longer than one window of `window` bytes:
 * such a file cannot be entered in the middle. */
int rp_gzip_past_window(const char *path, long long window);

/* visit(ctx, start, end, err) for window [start, end) of the file's bytes,
 * for each window of `window` bytes of `path` in order; the last one runs
 * to the file's end, at least `window` long.  A file of one window, or a
 * gzip file, is given whole (start = end = 0).  The first error stops the
 * walk: RP_EIO when `path` cannot be opened, else the visit's. */
typedef rp_status (*rp_window_fn)(void *ctx, long long start, long long end, rp_error *err);
rp_status rp_each_window(const char *path, long long window, rp_window_fn visit, void *ctx,
                         rp_error *err);

#endif

/* windows.c: a CSV file read a window of bytes at a time (windows.h). */
#define _POSIX_C_SOURCE 200809L
#include "windows.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "csv_input.h"

long long rp_window_bytes(size_t max_line) {
  long long lines = 2 * (long long)max_line;
  return lines > RP_WINDOW_BYTES ? lines : RP_WINDOW_BYTES;
}

int rp_file_is_gzip(const char *path) {
  rp_csv_input in;
  int gz = rp_csv_input_open(&in, path, NULL) == RP_OK && in.gz;
  rp_csv_input_close(&in);
  return gz;
}

/* The windows of `window` bytes in `path` (whose size goes to *bytes):
 * its size over `window`, at least 1; 0 (errno set) when it cannot be
 * measured. */
static long long window_count(const char *path, long long window, long long *bytes) {
  struct stat sb;
  if (stat(path, &sb) != 0) return 0;
  *bytes = (long long)sb.st_size;
  return *bytes / window > 0 ? *bytes / window : 1;
}

int rp_gzip_past_window(const char *path, long long window) {
  long long bytes;
  return window_count(path, window, &bytes) > 1 && rp_file_is_gzip(path);
}

rp_status rp_each_window(const char *path, long long window, rp_window_fn visit, void *ctx,
                         rp_error *err) {
  long long bytes = 0, count = window_count(path, window, &bytes);
  if (count == 0)
    return rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  if (count == 1 || rp_file_is_gzip(path)) return visit(ctx, 0, 0, err);
  rp_status st = RP_OK;
  for (long long t = 0; st == RP_OK && t < count; t++)
    st = visit(ctx, t * window, t + 1 == count ? bytes + 1 : (t + 1) * window, err);
  return st;
}

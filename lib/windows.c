/* windows.c: a CSV or svmlight file read a window of bytes at a time
 * (windows.h). */
#define _POSIX_C_SOURCE 200809L
#include "windows.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv_input.h"

long long rp_window_bytes(size_t max_line) {
  long long lines = 2 * (long long)max_line;
  return lines > RP_WINDOW_BYTES ? lines : RP_WINDOW_BYTES;
}

/* Whether `path` opens as a gzip file. */
static int is_gzip(const char *path) {
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

/* ------------------------------------------------------------ gzip */

/* A gzip file's walk: its decompressed bytes not yet given (the header
 * line, if any, kept at the start, then rows), the temporary file a window
 * is written to (named by /proc/self/fd: its own name is unlinked at once),
 * and the file's line of the next window's first row. */
typedef struct {
  const char *path;
  char *buf;
  size_t len, cap, header_len;
  int header, header_done;
  FILE *tmp;
  char tmp_name[64];
  long first_line;
  rp_window_fn visit;
  void *ctx;
} gz_walk;

/* `text` with every `from` in it written as `to`, cut to `size` bytes. */
static void replace_all(char *text, size_t size, const char *from, const char *to) {
  char out[RP_ERROR_MESSAGE_MAX];
  size_t len = 0, n = strlen(from);
  for (const char *c = text; *c && len + 1 < sizeof out;) {
    int hit = strncmp(c, from, n) == 0;
    len += (size_t)snprintf(out + len, sizeof out - len, "%.*s", hit ? (int)strlen(to) : 1,
                            hit ? to : c);
    c += hit ? n : 1;
  }
  snprintf(text, size, "%s", out);
}

/* An error on the temporary file put on the gzip file: its name (set
 * again, so that it is made valid UTF-8 as every error's is), and its line
 * (line 1 + header of the temporary is first_line). */
static rp_status on_gzip(const gz_walk *w, rp_status st, rp_error *err) {
  if (st == RP_OK || !err) return st;
  int on_tmp = strcmp(err->file, w->tmp_name) == 0;
  if (!on_tmp && !strstr(err->message, w->tmp_name)) return st;
  char message[RP_ERROR_MESSAGE_MAX], file[RP_ERROR_FILE_MAX];
  snprintf(message, sizeof message, "%s", err->message);
  snprintf(file, sizeof file, "%s", on_tmp ? w->path : err->file);
  replace_all(message, sizeof message, w->tmp_name, w->path);
  long line =
      on_tmp && err->line > w->header ? err->line + w->first_line - 1 - w->header : err->line;
  return rp_error_set_at(err, st, file, line, err->column, "%s", message);
}

static rp_status tmp_error(const gz_walk *w, rp_error *err) {
  return rp_error_set_at(err, RP_EIO, w->path, 0, 0,
                         "cannot write a temporary file for a window of it: %s", strerror(errno));
}

/* The header and the rows before buf[upto] written as the temporary file
 * and given to the visit; those rows dropped. */
static rp_status give_window(gz_walk *w, size_t upto, rp_error *err) {
  if (fseek(w->tmp, 0, SEEK_SET) != 0 || ftruncate(fileno(w->tmp), 0) != 0 ||
      fwrite(w->buf, 1, upto, w->tmp) != upto || fflush(w->tmp) != 0)
    return tmp_error(w, err);
  rp_status st = on_gzip(w, w->visit(w->ctx, w->tmp_name, 0, 0, err), err);
  for (const char *q = w->buf + w->header_len; (q = memchr(q, '\n', (size_t)(w->buf + upto - q)));
       q++)
    w->first_line++;
  memmove(w->buf + w->header_len, w->buf + upto, w->len - upto);
  w->len -= upto - w->header_len;
  return st;
}

/* `got` more bytes in buf: the header found, and a window given for each
 * 2 `window` bytes of rows, up to the first line feed past `window` of them
 * (so that the last window, given at the end, is not a sliver). */
static rp_status take_bytes(gz_walk *w, size_t got, long long window, rp_error *err) {
  size_t from = w->len, half = (size_t)window;
  w->len += got;
  if (!w->header_done) {
    const char *nl = memchr(w->buf + from, '\n', got);
    w->header_done = nl != NULL;
    w->header_len = nl ? (size_t)(nl - w->buf) + 1 : w->len;
  }
  rp_status st = RP_OK;
  while (st == RP_OK && w->header_done && w->len - w->header_len >= 2 * half) {
    const char *start = w->buf + w->header_len + half - 1;
    const char *nl = memchr(start, '\n', (size_t)(w->buf + w->len - start));
    if (!nl) break; /* a line longer than a window: read on */
    st = give_window(w, (size_t)(nl - w->buf) + 1, err);
  }
  return st;
}

/* Room in buf for another block. */
static rp_status buf_room(gz_walk *w, size_t block, rp_error *err) {
  if (w->cap - w->len >= block) return RP_OK;
  size_t cap = 2 * w->cap + block;
  char *b = realloc(w->buf, cap);
  if (!b) return rp_error_set(err, RP_ENOMEM, "out of memory for a window of %s", w->path);
  w->buf = b, w->cap = cap;
  return RP_OK;
}

/* The temporary file: in TMPDIR (else /tmp), its name unlinked at once. */
static rp_status open_tmp(gz_walk *w, rp_error *err) {
  const char *dir = getenv("TMPDIR");
  char name[4096];
  if (!dir || !*dir || strlen(dir) > sizeof name - 32) dir = "/tmp";
  snprintf(name, sizeof name, "%s/regpath-window-XXXXXX", dir);
  int fd = mkstemp(name);
  if (fd >= 0) unlink(name);
  snprintf(w->tmp_name, sizeof w->tmp_name, "/proc/self/fd/%d", fd);
  if (fd >= 0 && !(w->tmp = fdopen(fd, "w"))) close(fd);
  return w->tmp ? RP_OK : tmp_error(w, err);
}

/* A gzip file walked a window at a time through the temporary file. */
static rp_status each_gzip_window(const char *path, long long window, int header,
                                  rp_window_fn visit, void *ctx, rp_error *err) {
  enum { BLOCK = 1 << 16 };
  gz_walk w = {.path = path,
               .header = header,
               .header_done = !header,
               .first_line = 1 + header,
               .visit = visit,
               .ctx = ctx};
  rp_csv_input in = {0};
  size_t got = 0;
  rp_status st = open_tmp(&w, err);
  if (st == RP_OK) st = rp_csv_input_open(&in, path, err);
  while (st == RP_OK && (st = buf_room(&w, BLOCK, err)) == RP_OK &&
         (st = rp_csv_input_read(&in, w.buf + w.len, BLOCK, &got, err)) == RP_OK && got)
    st = take_bytes(&w, got, window, err);
  if (st == RP_OK) st = give_window(&w, w.len, err);
  rp_csv_input_close(&in);
  if (w.tmp) fclose(w.tmp);
  free(w.buf);
  return st;
}

/* ------------------------------------------------------------ the walk */

rp_status rp_each_window(const char *path, long long window, int header, rp_window_fn visit,
                         void *ctx, rp_error *err) {
  long long bytes = 0, count = window_count(path, window, &bytes);
  if (count == 0)
    return rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
  if (is_gzip(path)) return each_gzip_window(path, window, header, visit, ctx, err);
  if (count == 1) return visit(ctx, path, 0, 0, err);
  rp_status st = RP_OK;
  for (long long t = 0; st == RP_OK && t < count; t++)
    st = visit(ctx, path, t * window, t + 1 == count ? bytes + 1 : (t + 1) * window, err);
  return st;
}

/* fileio.c: reading a whole file, and replacing one file at once (see fileio.h). */
#define _POSIX_C_SOURCE 200809L
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

rp_status rp_make_dirs(const char *dir, rp_error *err) {
  char *path = strdup(dir);
  if (!path) return rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_status st = RP_OK;
  for (char *s = path + 1; st == RP_OK; s++) {
    if (*s != '/' && *s != '\0') continue;
    char c = *s;
    *s = '\0';
    struct stat sb;
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
      st = rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot create folder: %s", strerror(errno));
    else if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
      st = rp_error_set_at(err, RP_EIO, path, 0, 0, "not a folder");
    *s = c;
    if (c == '\0') break;
  }
  free(path);
  return st;
}

struct rp_staged_file {
  char *path, *tmp; /* the file, and the temporary beside it */
  FILE *f;
};

/* The error for s's file, with errno's reason. */
static rp_status cannot_write(const rp_staged_file *s, int saved, rp_error *err) {
  return rp_error_set_at(err, RP_EIO, s->path, 0, 0, "cannot write: %s", strerror(saved));
}

/* The folder of `path` (up to its last slash), made when missing. */
static rp_status make_folder_of(const char *path, rp_error *err) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash == path) return RP_OK;
  char *dir = strndup(path, (size_t)(slash - path));
  rp_status st = dir ? rp_make_dirs(dir, err) : rp_error_set(err, RP_ENOMEM, "out of memory");
  free(dir);
  return st;
}

rp_status rp_staged_open(const char *path, rp_staged_file **out, rp_error *err) {
  *out = NULL;
  const char *slash = strrchr(path, '/');
  size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0, size = strlen(path) + 32;
  rp_staged_file *s = calloc(1, sizeof *s);
  if (!s || !(s->path = strdup(path)) || !(s->tmp = malloc(size))) {
    rp_staged_discard(s);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  rp_status st = make_folder_of(path, err);
  snprintf(s->tmp, size, "%.*s.%s.regpath-XXXXXX", (int)dir_len, path, path + dir_len);
  int fd = st == RP_OK ? mkstemp(s->tmp) : -1;
  if (fd >= 0 && !(s->f = fdopen(fd, "w"))) close(fd), unlink(s->tmp);
  if (st == RP_OK && !s->f) st = cannot_write(s, errno, err);
  if (st != RP_OK) {
    free(s->tmp), s->tmp = NULL; /* nothing to remove */
    rp_staged_discard(s);
    return st;
  }
  *out = s;
  return RP_OK;
}

FILE *rp_staged_stream(const rp_staged_file *s) { return s->f; }

rp_status rp_staged_commit(rp_staged_file *s, rp_error *err) {
  int fd = fileno(s->f), bad = fflush(s->f) != 0 || ferror(s->f);
  bad = bad || fsync(fd) != 0 || fchmod(fd, 0644) != 0;
  int saved = errno;
  bad = fclose(s->f) != 0 || bad;
  s->f = NULL;
  if (!bad && rename(s->tmp, s->path) == 0) {
    free(s->tmp), s->tmp = NULL; /* renamed: nothing to remove */
    rp_staged_discard(s);
    return RP_OK;
  }
  rp_status st = cannot_write(s, bad ? saved : errno, err);
  rp_staged_discard(s);
  return st;
}

void rp_staged_discard(rp_staged_file *s) {
  if (!s) return;
  if (s->f) fclose(s->f);
  if (s->tmp) unlink(s->tmp);
  free(s->tmp);
  free(s->path);
  free(s);
}

rp_status rp_write_file(const char *path, const char *data, size_t len, rp_error *err) {
  rp_staged_file *s;
  rp_status st = rp_staged_open(path, &s, err);
  if (st != RP_OK) return st;
  if (fwrite(data, 1, len, s->f) != len) {
    st = cannot_write(s, errno, err);
    rp_staged_discard(s);
    return st;
  }
  return rp_staged_commit(s, err);
}

/* Whether the open file is a regular file of more than max bytes: known
 * without reading it. */
static int longer_than(FILE *f, size_t max) {
  struct stat sb;
  return fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size > max;
}

rp_status rp_read_file(const char *path, const char *what, size_t max, char **text, size_t *len,
                       rp_error *err) {
  *text = NULL;
  *len = 0;
  FILE *f = fopen(path, "rb");
  if (!f)
    return rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot read %s: %s", what, strerror(errno));
  size_t cap = 4096, n = 0, got;
  int too_long = longer_than(f, max);
  char *buf = too_long ? NULL : malloc(cap + 1);
  while (buf && !(too_long = n > max) && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *bigger = realloc(buf, 2 * cap + 1);
      if (!bigger) free(buf);
      buf = bigger;
      cap *= 2;
    }
  }
  int failed = ferror(f), saved = errno;
  fclose(f);
  if (too_long) {
    free(buf);
    return RP_OK; /* *text NULL: the caller says what to do */
  }
  if (!buf) return rp_error_set(err, RP_ENOMEM, "out of memory reading %s", path);
  if (failed) {
    free(buf);
    return rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot read %s: %s", what, strerror(saved));
  }
  buf[n] = '\0';
  *text = buf;
  *len = n;
  return RP_OK;
}

/* fileio.c: all-or-nothing output (see fileio.h). */
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

#define MAX_FILES 64

struct rp_output {
  char *dir;
  char *staging;
  size_t n, committed;
  char *names[MAX_FILES];
};

static char *join(const char *dir, const char *name) {
  size_t len = strlen(dir) + strlen(name) + 2;
  char *s = malloc(len);
  if (s) snprintf(s, len, "%s/%s", dir, name);
  return s;
}

static rp_status io_error(rp_error *err, const char *path, const char *what) {
  return rp_error_set_at(err, RP_EIO, path, 0, 0, "%s: %s", what, strerror(errno));
}

/* mkdir -p */
static rp_status make_dirs(const char *dir, rp_error *err) {
  char *path = strdup(dir);
  if (!path) return rp_error_set(err, RP_ENOMEM, "out of memory");
  rp_status st = RP_OK;
  for (char *s = path + 1; st == RP_OK; s++) {
    if (*s != '/' && *s != '\0') continue;
    char c = *s;
    *s = '\0';
    struct stat sb;
    if (mkdir(path, 0777) != 0 && errno != EEXIST)
      st = io_error(err, path, "cannot create folder");
    else if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
      st = rp_error_set_at(err, RP_EIO, path, 0, 0, "not a folder");
    *s = c;
    if (c == '\0') break;
  }
  free(path);
  return st;
}

rp_status rp_output_open(const char *dir, rp_output **out, rp_error *err) {
  *out = NULL;
  rp_status st = make_dirs(dir, err);
  if (st != RP_OK) return st;
  rp_output *o = calloc(1, sizeof *o);
  if (!o || !(o->dir = strdup(dir)) || !(o->staging = join(dir, ".regpath-staging-XXXXXX"))) {
    rp_output_free(o);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  if (!mkdtemp(o->staging)) {
    st = io_error(err, dir, "cannot write");
    free(o->staging);
    o->staging = NULL;
    rp_output_free(o);
    return st;
  }
  *out = o;
  return RP_OK;
}

const char *rp_output_staging(const rp_output *o) { return o->staging; }

size_t rp_output_count(const rp_output *o) { return o->n; }

const char *rp_output_name(const rp_output *o, size_t i) { return o->names[i]; }

static rp_status write_all(int fd, const char *data, size_t len, const char *path, rp_error *err) {
  while (len > 0) {
    ssize_t w = write(fd, data, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return io_error(err, path, "cannot write");
    data += w;
    len -= (size_t)w;
  }
  if (fsync(fd) != 0 && errno != EINVAL) return io_error(err, path, "cannot write");
  return RP_OK;
}

rp_status rp_output_adopt(rp_output *o, const char *name, rp_error *err) {
  if (o->n == MAX_FILES || strchr(name, '/'))
    return rp_error_set(err, RP_EINVAL, "cannot add output file \"%s\"", name);
  if (!(o->names[o->n] = strdup(name))) return rp_error_set(err, RP_ENOMEM, "out of memory");
  o->n++;
  return RP_OK;
}

rp_status rp_output_add(rp_output *o, const char *name, const char *data, size_t len,
                        rp_error *err) {
  rp_status st = rp_output_adopt(o, name, err);
  if (st != RP_OK) return st;
  char *staged = join(o->staging, name), *final = join(o->dir, name);
  int fd = staged ? open(staged, O_WRONLY | O_CREAT | O_TRUNC, 0644) : -1;
  if (!staged || !final)
    st = rp_error_set(err, RP_ENOMEM, "out of memory");
  else if (fd < 0)
    st = io_error(err, final, "cannot write");
  else
    st = write_all(fd, data, len, final, err);
  if (fd >= 0 && close(fd) != 0 && st == RP_OK) st = io_error(err, final, "cannot write");
  free(staged);
  free(final);
  return st;
}

rp_status rp_output_commit(rp_output *o, rp_error *err) {
  for (; o->committed < o->n; o->committed++) {
    char *staged = join(o->staging, o->names[o->committed]);
    char *final = join(o->dir, o->names[o->committed]);
    rp_status st = RP_OK;
    if (!staged || !final)
      st = rp_error_set(err, RP_ENOMEM, "out of memory");
    else if (rename(staged, final) != 0)
      st = io_error(err, final, "cannot write");
    free(staged);
    free(final);
    if (st != RP_OK) return st;
  }
  return RP_OK;
}

void rp_output_free(rp_output *o) {
  if (!o) return;
  for (size_t k = 0; k < o->n; k++) {
    char *staged = o->staging ? join(o->staging, o->names[k]) : NULL;
    if (staged && k >= o->committed) unlink(staged);
    free(staged);
    free(o->names[k]);
  }
  if (o->staging) rmdir(o->staging);
  free(o->staging);
  free(o->dir);
  free(o);
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
  if (!f) return rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot read %s: %s", what, strerror(errno));
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

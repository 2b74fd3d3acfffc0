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

rp_status rp_write_file(const char *path, const char *data, size_t len, rp_error *err) {
  const char *slash = strrchr(path, '/');
  size_t dir_len = slash ? (size_t)(slash - path) + 1 : 0, size = strlen(path) + 32;
  char *tmp = malloc(size);
  if (!tmp) return rp_error_set(err, RP_ENOMEM, "out of memory");
  snprintf(tmp, size, "%.*s", (int)(dir_len > 1 ? dir_len - 1 : dir_len), path);
  rp_status made = dir_len ? rp_make_dirs(tmp, err) : RP_OK;
  if (made != RP_OK) {
    free(tmp);
    return made;
  }
  snprintf(tmp, size, "%.*s.%s.regpath-XXXXXX", (int)dir_len, path, path + dir_len);
  int fd = mkstemp(tmp);
  rp_status st = RP_OK;
  for (size_t done = 0; fd >= 0 && st == RP_OK && done < len;) {
    ssize_t w = write(fd, data + done, len - done);
    if (w > 0)
      done += (size_t)w;
    else if (!(w < 0 && errno == EINTR))
      st = RP_EIO;
  }
  if (fd < 0 || st != RP_OK || fsync(fd) != 0 || fchmod(fd, 0644) != 0) st = RP_EIO;
  if (fd >= 0 && close(fd) != 0) st = RP_EIO;
  if (st == RP_OK && rename(tmp, path) != 0) st = RP_EIO;
  if (st != RP_OK) {
    int saved = errno;
    if (fd >= 0) unlink(tmp);
    rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot write: %s", strerror(saved));
  }
  free(tmp);
  return st;
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

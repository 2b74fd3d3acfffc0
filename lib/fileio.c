/* fileio.c: all-or-nothing output (see fileio.h). */
#define _POSIX_C_SOURCE 200809L
#include "fileio.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 64

struct rp_output {
  char *dir;
  size_t n;
  char *tmp[MAX_FILES];   /* written temporaries   */
  char *final[MAX_FILES]; /* their names in place  */
};

static char *join(const char *dir, const char *name) {
  size_t len = strlen(dir) + strlen(name) + 2;
  char *s = malloc(len);
  if (s) snprintf(s, len, "%s/%s", dir, name);
  return s;
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
      st = rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot create folder: %s", strerror(errno));
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
  if (!o || !(o->dir = strdup(dir))) {
    free(o);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  *out = o;
  return RP_OK;
}

static rp_status write_all(int fd, const char *data, size_t len, const char *path, rp_error *err) {
  while (len > 0) {
    ssize_t w = write(fd, data, len);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    data += w;
    len -= (size_t)w;
  }
  if (fsync(fd) != 0 && errno != EINVAL)
    return rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
  return RP_OK;
}

rp_status rp_output_add(rp_output *o, const char *name, const char *data, size_t len,
                        rp_error *err) {
  if (o->n == MAX_FILES || strchr(name, '/'))
    return rp_error_set(err, RP_EINVAL, "cannot add output file \"%s\"", name);
  char *tmp_name = malloc(strlen(name) + 16);
  if (!tmp_name) return rp_error_set(err, RP_ENOMEM, "out of memory");
  sprintf(tmp_name, ".%s.tmp-XXXXXX", name);
  char *tmp = join(o->dir, tmp_name), *final = join(o->dir, name);
  free(tmp_name);
  if (!tmp || !final) {
    free(tmp);
    free(final);
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  }
  int fd = mkstemp(tmp);
  rp_status st = RP_OK;
  if (fd < 0) st = rp_error_set_at(err, RP_EIO, final, 0, 0, "cannot write: %s", strerror(errno));
  if (fd >= 0) {
    o->tmp[o->n] = tmp;
    o->final[o->n++] = final;
    st = write_all(fd, data, len, final, err);
    if (close(fd) != 0 && st == RP_OK)
      st = rp_error_set_at(err, RP_EIO, final, 0, 0, "cannot write: %s", strerror(errno));
    if (st == RP_OK && chmod(tmp, 0644) != 0)
      st = rp_error_set_at(err, RP_EIO, final, 0, 0, "cannot write: %s", strerror(errno));
  } else {
    free(tmp);
    free(final);
  }
  return st;
}

rp_status rp_output_commit(rp_output *o, rp_error *err) {
  for (size_t k = 0; k < o->n; k++) {
    if (rename(o->tmp[k], o->final[k]) != 0)
      return rp_error_set_at(err, RP_EIO, o->final[k], 0, 0, "cannot write: %s", strerror(errno));
    free(o->tmp[k]);
    o->tmp[k] = NULL;
  }
  return RP_OK;
}

void rp_output_free(rp_output *o) {
  if (!o) return;
  for (size_t k = 0; k < o->n; k++) {
    if (o->tmp[k]) unlink(o->tmp[k]);
    free(o->tmp[k]);
    free(o->final[k]);
  }
  free(o->dir);
  free(o);
}

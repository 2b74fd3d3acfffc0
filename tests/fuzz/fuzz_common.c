/* fuzz_common.c: scratch files and messages shared by the harnesses (see
 * harness.h). */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define SCRATCH_MAX 4 /* distinct suffixes in one process */
#define SCRATCH_LEN 512

static struct {
  const char *suffix;
  char path[SCRATCH_LEN];
} scratch[SCRATCH_MAX];
static int n_scratch;

static void remove_scratch(void) {
  for (int i = 0; i < n_scratch; i++) unlink(scratch[i].path);
}

const char *fuzz_scratch_path(const char *suffix) {
  for (int i = 0; i < n_scratch; i++)
    if (scratch[i].suffix == suffix || strcmp(scratch[i].suffix, suffix) == 0)
      return scratch[i].path;
  if (n_scratch == SCRATCH_MAX) return NULL;
  const char *dir = "/dev/shm";
  if (access(dir, W_OK | X_OK) != 0) {
    dir = getenv("TMPDIR");
    if (!dir || !*dir) dir = "/tmp";
  }
  char *path = scratch[n_scratch].path;
  int n = snprintf(path, SCRATCH_LEN, "%s/regpath-fuzz-%ld-%s", dir, (long)getpid(), suffix);
  if (n < 0 || n >= SCRATCH_LEN) return NULL;
  scratch[n_scratch].suffix = suffix;
  if (n_scratch++ == 0) atexit(remove_scratch);
  return path;
}

int fuzz_write_file(const char *path, const uint8_t *data, size_t size) {
  FILE *f = fopen(path, "wb");
  if (!f) return -1;
  size_t put = size ? fwrite(data, 1, size, f) : 0;
  int bad = put != size;
  if (fclose(f) != 0) bad = 1;
  return bad ? -1 : 0;
}

int fuzz_fail(const char *harness, const char *fmt, ...) {
  va_list ap;
  fprintf(stderr, "%s: invariant broken: ", harness);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  return 1;
}

int fuzz_known_bug(const char *id) {
  const char *list = getenv("FUZZ_KNOWN_BUGS");
  size_t n = strlen(id);
  for (const char *p = list; p && *p;) {
    size_t len = strcspn(p, ",");
    if (len == n && strncmp(p, id, n) == 0) return 1;
    p += len + (p[len] == ',');
  }
  return 0;
}

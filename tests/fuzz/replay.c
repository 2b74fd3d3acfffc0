/* replay.c: runs the fuzz harnesses (harness.h) over saved inputs, without
 * libFuzzer, so that `make check` (and the sanitizer and valgrind runs)
 * replays the seed corpus and every past crasher on each build.
 *
 *   replay                          every file in $srcdir/tests/fuzz/corpus/{csv,config}
 *                                   and tests/fuzz/regressions/{csv,config} (a missing
 *                                   regressions folder is fine, a missing corpus is not)
 *   replay csv|config PATH...       the files given, or every file in the folders given
 *
 * Exit status: 0 when every invariant held, 1 when one broke (each failure is
 * named on stderr), 99 when an input could not be read.  A memory error or
 * undefined behaviour ends the process through the sanitizer instead.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"

#define PATH_LEN 4096
#define EXIT_HARD 99 /* automake's "hard error": the test itself could not run */

typedef int (*harness)(const uint8_t *data, size_t size);

typedef struct {
  size_t inputs, failed, unreadable;
} tally;

static harness harness_named(const char *name) {
  if (strcmp(name, "csv") == 0) return fuzz_csv_one;
  if (strcmp(name, "config") == 0) return fuzz_config_one;
  return NULL;
}

/* The whole file, malloc'd (one spare byte so that an empty file is not a
 * zero-size allocation), or NULL. */
static uint8_t *read_all(const char *path, size_t *size) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 4096, n = 0, got;
  uint8_t *buf = malloc(cap);
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      uint8_t *bigger = realloc(buf, 2 * cap);
      if (!bigger) free(buf);
      buf = bigger;
      cap *= 2;
    }
  }
  if (ferror(f)) {
    free(buf);
    buf = NULL;
  }
  fclose(f);
  *size = n;
  return buf;
}

static void replay_file(harness run, const char *path, tally *t) {
  size_t size = 0;
  uint8_t *data = read_all(path, &size);
  if (!data) {
    fprintf(stderr, "replay: cannot read %s: %s\n", path, strerror(errno));
    t->unreadable++;
    return;
  }
  t->inputs++;
  if (run(data, size) != 0) {
    fprintf(stderr, "replay: FAIL %s\n", path);
    t->failed++;
  }
  free(data);
}

static int compare_strings(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every regular file in `dir` (not dot files, not README*), in name order so
 * that a log reads the same each time.  Returns -1 when `dir` cannot be
 * opened. */
static int replay_folder(harness run, const char *dir, tally *t) {
  DIR *d = opendir(dir);
  if (!d) return -1;
  char **names = NULL;
  size_t n = 0, cap = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.' || strncmp(e->d_name, "README", 6) == 0) continue;
    if (n == cap) {
      cap = cap ? 2 * cap : 64;
      char **bigger = realloc(names, cap * sizeof *names);
      if (!bigger) break;
      names = bigger;
    }
    if (!(names[n] = strdup(e->d_name))) break;
    n++;
  }
  closedir(d);
  if (n) qsort(names, n, sizeof *names, compare_strings);
  for (size_t i = 0; i < n; i++) {
    char path[PATH_LEN];
    struct stat sb;
    snprintf(path, sizeof path, "%s/%s", dir, names[i]);
    if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode)) replay_file(run, path, t);
    free(names[i]);
  }
  free(names);
  return 0;
}

static void replay_path(harness run, const char *path, tally *t) {
  struct stat sb;
  if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
    if (replay_folder(run, path, t) != 0) {
      fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
      t->unreadable++;
    }
  } else {
    replay_file(run, path, t);
  }
}

static int verdict(const tally *t) {
  if (t->unreadable) return EXIT_HARD;
  return t->failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* The committed inputs under $srcdir/tests/fuzz. */
static int replay_committed(void) {
  static const char *const harnesses[] = {"csv", "config"};
  const char *srcdir = getenv("srcdir");
  tally all = {0, 0, 0};
  if (!srcdir || !*srcdir) srcdir = ".";
  for (size_t h = 0; h < sizeof harnesses / sizeof harnesses[0]; h++) {
    harness run = harness_named(harnesses[h]);
    char dir[PATH_LEN];
    tally t = {0, 0, 0};
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", srcdir, harnesses[h]);
    if (replay_folder(run, dir, &t) != 0) {
      fprintf(stderr, "replay: cannot open %s: %s\n", dir, strerror(errno));
      t.unreadable++;
    }
    size_t corpus = t.inputs;
    snprintf(dir, sizeof dir, "%s/tests/fuzz/regressions/%s", srcdir, harnesses[h]);
    replay_folder(run, dir, &t); /* may not exist */
    printf("replay %s: %zu corpus + %zu regression inputs, %zu failed\n", harnesses[h], corpus,
           t.inputs - corpus, t.failed);
    all.inputs += t.inputs;
    all.failed += t.failed;
    all.unreadable += t.unreadable;
  }
  if (all.inputs == 0) {
    fprintf(stderr, "replay: no inputs under %s/tests/fuzz\n", srcdir);
    return EXIT_HARD;
  }
  return verdict(&all);
}

int main(int argc, char **argv) {
  if (argc == 1) return replay_committed();
  harness run = harness_named(argv[1]);
  if (!run || argc < 3) {
    fprintf(stderr, "usage: %s [csv|config PATH...]\n", argv[0]);
    return 2;
  }
  tally t = {0, 0, 0};
  for (int i = 2; i < argc; i++) replay_path(run, argv[i], &t);
  printf("replay %s: %zu inputs, %zu failed\n", argv[1], t.inputs, t.failed);
  return verdict(&t);
}

/* memory.c: how much more memory the process may take, and the BLAS work
 * buffer (see memory.h).  Linux's /proc and cgroup files are read where
 * they exist; elsewhere only the rlimits are known. */
#define _XOPEN_SOURCE 700 /* RLIMIT_AS (XSI), and getrlimit taking an int */
#include "build-config.h"
#include "memory.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#ifdef HAVE_OPENBLAS
#include <gsl/gsl_cblas.h>
#endif

static size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

size_t rp_page_bytes(void) {
  long page = sysconf(_SC_PAGESIZE);
  return page > 0 ? (size_t)page : 4096;
}

/* Field `index` (0-based) of /proc/self/statm, in bytes; SIZE_MAX if unknown. */
static size_t statm_bytes(int index) {
  FILE *f = fopen("/proc/self/statm", "r");
  unsigned long v = 0;
  int ok = f != NULL;
  for (int k = 0; ok && k <= index; k++) ok = fscanf(f, "%lu", &v) == 1;
  if (f) fclose(f);
  return ok ? (size_t)v * rp_page_bytes() : SIZE_MAX;
}

/* limit - used, or SIZE_MAX when there is no limit (or `used` is unknown). */
static size_t left_under(int resource, size_t used) {
  struct rlimit rl;
  if (getrlimit(resource, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY || used == SIZE_MAX)
    return SIZE_MAX;
  return (size_t)rl.rlim_cur > used ? (size_t)rl.rlim_cur - used : 0;
}

/* MemAvailable + SwapFree from /proc/meminfo (kB there). */
static size_t available_bytes(void) {
  FILE *f = fopen("/proc/meminfo", "r");
  if (!f) return SIZE_MAX;
  char line[256];
  unsigned long kb, total = 0;
  int seen = 0;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "MemAvailable: %lu", &kb) == 1 || sscanf(line, "SwapFree: %lu", &kb) == 1) {
      total += kb;
      seen++;
    }
  fclose(f);
  return seen ? (size_t)total * 1024 : SIZE_MAX;
}

/* A number from a cgroup file ("max" is no limit). */
static size_t cgroup_value(const char *dir, const char *file) {
  char path[4200], text[64];
  snprintf(path, sizeof path, "/sys/fs/cgroup%s/%s", dir, file);
  FILE *f = fopen(path, "r");
  if (!f) return SIZE_MAX;
  unsigned long long v = 0;
  int ok = fgets(text, sizeof text, f) && sscanf(text, "%llu", &v) == 1;
  fclose(f);
  return ok ? (size_t)v : SIZE_MAX;
}

/* memory.max - memory.current of this process's cgroup (v2) and of every
 * cgroup above it, the least. */
static size_t cgroup_left(void) {
  FILE *f = fopen("/proc/self/cgroup", "r");
  char line[4096], dir[4096] = "";
  if (!f) return SIZE_MAX;
  while (fgets(line, sizeof line, f))
    if (!strncmp(line, "0::", 3)) snprintf(dir, sizeof dir, "%s", line + 3);
  fclose(f);
  dir[strcspn(dir, "\n")] = '\0';
  size_t left = SIZE_MAX;
  for (char *slash; *dir;) {
    size_t max = cgroup_value(dir, "memory.max"), used = cgroup_value(dir, "memory.current");
    if (max != SIZE_MAX && used != SIZE_MAX) left = min_size(left, max > used ? max - used : 0);
    if (!(slash = strrchr(dir, '/'))) break;
    *slash = '\0';
  }
  return left;
}

rp_headroom rp_memory_headroom(void) {
  rp_headroom h = {left_under(RLIMIT_AS, statm_bytes(0)), SIZE_MAX, "ulimit -v",
                   "available memory"};
  size_t ram = available_bytes(), cg = cgroup_left(),
         data = left_under(RLIMIT_DATA, statm_bytes(5));
  h.memory = ram;
  if (cg < h.memory) h.memory = cg, h.memory_limit = "the cgroup's memory.max";
  if (data < h.memory) h.memory = data, h.memory_limit = "ulimit -d";
  return h;
}

/* "out of memory: <what> needs about <need>, and <left> is left (<limit>)". */
static rp_status no_room(double need, size_t left, const char *limit, const char *what,
                         rp_error *err) {
  char need_text[32], left_text[32];
  rp_memory_format(need, need_text, sizeof need_text);
  rp_memory_format((double)left, left_text, sizeof left_text);
  return rp_error_set(err, RP_ENOMEM, "out of memory: %s needs about %s, and %s is left (%s)", what,
                      need_text, left_text, limit);
}

rp_status rp_memory_check(double bytes, const char *what, rp_error *err) {
  rp_headroom h = rp_memory_headroom();
  if (bytes > (double)h.memory) return no_room(bytes, h.memory, h.memory_limit, what, err);
  if (bytes > (double)h.address) return no_room(bytes, h.address, h.address_limit, what, err);
  if (bytes >= (double)SIZE_MAX) return no_room(bytes, h.memory, h.memory_limit, what, err);
  return RP_OK;
}

static _Thread_local int blas_buffer_ready;

size_t rp_blas_buffer_bytes(void) { return blas_buffer_ready ? 0 : RP_BLAS_BUFFER_BYTES; }

size_t rp_thread_stack_bytes(void) {
  struct rlimit rl; /* glibc gives new threads RLIMIT_STACK, or 2 MiB when unlimited */
  if (getrlimit(RLIMIT_STACK, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return 2u << 20;
  return (size_t)rl.rlim_cur;
}

rp_status rp_blas_thread_ready(rp_error *err) {
#if defined(HAVE_OPENBLAS) && RP_BLAS_BUFFER_BYTES > 0
  if (blas_buffer_ready) return RP_OK;
  size_t want = (size_t)RP_BLAS_BUFFER_BYTES + (1u << 20); /* with room for its header */
  void *probe = malloc(want);
  if (!probe) {
    char text[32];
    rp_memory_format((double)want, text, sizeof text);
    return rp_error_set(err, RP_ENOMEM,
                        "out of memory: the BLAS library needs %s of address "
                        "space for each thread that calls it, and that much is not left "
                        "(ulimit -v?)",
                        text);
  }
  free(probe);
  double a = 1.0, x = 1.0; /* the first level-2 call maps the thread's buffer */
  cblas_dtrsv(CblasColMajor, CblasUpper, CblasNoTrans, CblasNonUnit, 1, &a, 1, &x, 1);
  blas_buffer_ready = 1;
#else
  (void)err;
#endif
  return RP_OK;
}

void rp_memory_format(double bytes, char *buf, size_t size) {
  static const char *const units[] = {"bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  size_t u = 0;
  while (bytes >= 1024.0 && u + 1 < sizeof units / sizeof *units) bytes /= 1024.0, u++;
  if (u == 0)
    snprintf(buf, size, "%.0f bytes", bytes);
  else
    snprintf(buf, size, bytes < 10.0 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
}

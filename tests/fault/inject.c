/* inject.c: a preload library (LD_PRELOAD) that makes one call of one libc
 * function fail, so that tests/robustness.sh can fail every step of the
 * output commit in turn.
 *
 *   FAULT_OP     the function: open openat mkdirat write fsync fork linkat
 *                symlinkat renameat renameat2 rename fchmod unlinkat
 *   FAULT_AT     which call of it fails (1 = the first)
 *   FAULT_ERRNO  the errno it fails with (default EIO; write: ENOSPC)
 *   FAULT_LOG    a file that gets "<op> <n>" when the fault fires
 *
 * Only the regpath program itself is affected: not the libtool wrapper
 * script that starts it, and not gnuplot.  Nothing here is part of
 * regpath; it only tests it. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

static int armed = -1; /* -1: not decided yet */
static long calls;

/* Is this process regpath, and is `op` the function to fail? */
static int targeted(const char *op) {
  if (armed < 0) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    const char *base = strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe;
    armed = !strcmp(base, "regpath") || !strcmp(base, "lt-regpath");
  }
  const char *want = getenv("FAULT_OP");
  return armed && want && !strcmp(want, op);
}

/* 1 when this call of `op` is the one to fail (errno is then set). */
static int fail_now(const char *op) {
  if (!targeted(op)) return 0;
  const char *at = getenv("FAULT_AT");
  if (!at || ++calls != atol(at)) return 0;
  const char *log = getenv("FAULT_LOG");
  if (log) { /* raw syscalls: write and open are wrapped here */
    int fd = (int)syscall(SYS_openat, AT_FDCWD, log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    char line[64];
    int len = snprintf(line, sizeof line, "%s %ld\n", op, calls);
    if (fd >= 0) {
      if (syscall(SYS_write, fd, line, (size_t)len) < 0) { /* the test sees no log */
      }
      syscall(SYS_close, fd);
    }
  }
  const char *e = getenv("FAULT_ERRNO");
  errno = e ? atoi(e) : !strcmp(op, "write") ? ENOSPC : EIO;
  return 1;
}

#define REAL(name) ((__typeof__(&name))dlsym(RTLD_NEXT, #name))

int open(const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
  va_end(ap);
  return fail_now("open") ? -1 : REAL(open)(path, flags, mode);
}

int openat(int dir, const char *path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
  va_end(ap);
  return fail_now("openat") ? -1 : REAL(openat)(dir, path, flags, mode);
}

int mkdirat(int dir, const char *path, mode_t mode) {
  return fail_now("mkdirat") ? -1 : REAL(mkdirat)(dir, path, mode);
}

ssize_t write(int fd, const void *buf, size_t len) {
  return fail_now("write") ? -1 : REAL(write)(fd, buf, len);
}

int fsync(int fd) { return fail_now("fsync") ? -1 : REAL(fsync)(fd); }

pid_t fork(void) { return fail_now("fork") ? -1 : REAL(fork)(); }

int linkat(int d1, const char *p1, int d2, const char *p2, int flags) {
  return fail_now("linkat") ? -1 : REAL(linkat)(d1, p1, d2, p2, flags);
}

int symlinkat(const char *target, int dir, const char *path) {
  return fail_now("symlinkat") ? -1 : REAL(symlinkat)(target, dir, path);
}

int renameat(int d1, const char *p1, int d2, const char *p2) {
  return fail_now("renameat") ? -1 : REAL(renameat)(d1, p1, d2, p2);
}

int renameat2(int d1, const char *p1, int d2, const char *p2, unsigned flags) {
  return fail_now("renameat2") ? -1 : REAL(renameat2)(d1, p1, d2, p2, flags);
}

int rename(const char *p1, const char *p2) {
  return fail_now("rename") ? -1 : REAL(rename)(p1, p2);
}

int fchmod(int fd, mode_t mode) { return fail_now("fchmod") ? -1 : REAL(fchmod)(fd, mode); }

int unlinkat(int dir, const char *path, int flags) {
  return fail_now("unlinkat") ? -1 : REAL(unlinkat)(dir, path, flags);
}

/* render.c: gnuplot run on a plot script (see render.h). */
#define _POSIX_C_SOURCE 200809L
#include "render.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "signals.h"

int render_find_gnuplot(char *buf, size_t size) {
  const char *path = getenv("PATH");
  if (!path) path = "/usr/local/bin:/usr/bin:/bin";
  while (1) {
    const char *end = strchr(path, ':');
    size_t len = end ? (size_t)(end - path) : strlen(path);
    /* An empty PATH entry means the current folder. */
    int n = len ? snprintf(buf, size, "%.*s/gnuplot", (int)len, path)
                : snprintf(buf, size, "./gnuplot");
    struct stat st;
    if (n > 0 && (size_t)n < size && stat(buf, &st) == 0 && S_ISREG(st.st_mode) &&
        access(buf, X_OK) == 0)
      return 1;
    if (!end) break;
    path = end + 1;
  }
  if (size) buf[0] = '\0';
  return 0;
}

/* Exit codes of the child when it could not get as far as gnuplot. */
#define CHILD_NO_DIR 126
#define CHILD_NO_EXEC 127

/* Write a constant text from the child (only async-signal-safe calls there). */
static void child_say(int fd, const char *s) {
  size_t n = strlen(s);
  while (n) {
    ssize_t w = write(fd, s, n);
    if (w <= 0) return;
    s += w;
    n -= (size_t)w;
  }
}

/* The child: signals as a fresh program has them, stdin and stdout on
 * /dev/null, stderr into the pipe, in the folder; then gnuplot. */
static void exec_gnuplot(const char *gnuplot, const char *folder, char *const argv[], int err_fd) {
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  static const int reset[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ};
  for (size_t k = 0; k < sizeof reset / sizeof *reset; k++) sigaction(reset[k], &dfl, NULL);
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, NULL);
  int null = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null >= 0) {
    dup2(null, 0);
    dup2(null, 1);
  }
  dup2(err_fd, 2); /* dup2 clears FD_CLOEXEC on the copy */
  if (chdir(folder) != 0) {
    child_say(2, "cannot enter the output folder\n");
    _exit(CHILD_NO_DIR);
  }
  execv(gnuplot, argv);
  child_say(2, "cannot execute gnuplot\n");
  _exit(CHILD_NO_EXEC);
}

/* All of the child's stderr (so it never blocks on a full pipe), its start
 * kept in text (NUL-terminated). */
static void drain(int fd, char *text, size_t size) {
  size_t used = 0;
  char chunk[4096];
  while (1) {
    ssize_t got = read(fd, chunk, sizeof chunk);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    size_t take = (size_t)got < size - 1 - used ? (size_t)got : size - 1 - used;
    memcpy(text + used, chunk, take);
    used += take;
  }
  text[used] = '\0';
}

/* The line of gnuplot's stderr worth reporting: the first in gnuplot's own
 * error format, `"<file>" line <n>: <what>` (the lines before it echo the
 * offending command and point at it with ^), otherwise the first nonblank
 * one; leading blanks dropped (rp_error_set cleans what is left). */
static void pick_message(const char *text, char *buf, size_t size) {
  const char *first = NULL, *chosen = NULL;
  for (const char *line = text; *line && !chosen;) {
    const char *end = strchr(line, '\n');
    if (!end) end = line + strlen(line);
    const char *s = line;
    while (s < end && (*s == ' ' || *s == '\t' || *s == '\r')) s++;
    if (s < end) {
      if (!first) first = s;
      for (const char *q = s; q + 6 < end; q++)
        if (!strncmp(q, "line ", 5) && q[5] >= '0' && q[5] <= '9') {
          const char *d = q + 5;
          while (d < end && *d >= '0' && *d <= '9') d++;
          if (d < end && *d == ':') {
            chosen = s;
            break;
          }
        }
    }
    line = *end ? end + 1 : end;
  }
  if (!chosen) chosen = first ? first : "";
  size_t k = 0;
  for (; chosen[k] && chosen[k] != '\n' && k + 1 < size; k++) buf[k] = chosen[k];
  while (k > 0 && buf[k - 1] == ' ') k--;
  buf[k] = '\0';
}

/* What the child's end says, as an error, or RP_OK. */
static rp_status judge(int status, const char *stderr_text, const char *script, rp_error *err) {
  char msg[512];
  pick_message(stderr_text, msg, sizeof msg);
  if (*signals_caught()) return rp_error_set(err, RP_EIO, "gnuplot on %s: interrupted", script);
  if (WIFSIGNALED(status))
    return rp_error_set(err, RP_EIO, "gnuplot failed on %s: killed by signal %d%s%s", script,
                        WTERMSIG(status), *msg ? ": " : "", msg);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return RP_OK;
  if (*msg) return rp_error_set(err, RP_EIO, "gnuplot failed on %s: %s", script, msg);
  return rp_error_set(err, RP_EIO, "gnuplot failed on %s: exit status %d", script,
                      WIFEXITED(status) ? WEXITSTATUS(status) : -1);
}

rp_status render_gnuplot(void *ctx, const char *folder, const char *script, const char *image,
                         const char *format, rp_error *err) {
  (void)image; /* the script names its output <base>.<format> itself */
  const char *gnuplot = ctx;
  if (strcmp(format, "png") != 0 && strcmp(format, "svg") != 0)
    return rp_error_set(err, RP_EINVAL, "plot format must be png or svg, got \"%s\"", format);
  /* execv takes char *const[]; everything it gets is made here, before
   * fork, so that the child only calls async-signal-safe functions. */
  char arg0[] = "gnuplot", arg1[] = "-e", fmt_arg[16];
  snprintf(fmt_arg, sizeof fmt_arg, "fmt='%s'", format);
  char *script_arg = strdup(script);
  char *argv[] = {arg0, arg1, fmt_arg, script_arg, NULL};
  int fds[2] = {-1, -1};
  if (!script_arg || pipe(fds) != 0) {
    int e = errno;
    free(script_arg);
    return rp_error_set(err, RP_EIO, "gnuplot failed on %s: %s", script, strerror(e));
  }
  fcntl(fds[0], F_SETFD, FD_CLOEXEC);
  fcntl(fds[1], F_SETFD, FD_CLOEXEC);
  pid_t pid = fork();
  if (pid == 0) exec_gnuplot(gnuplot, folder, argv, fds[1]);
  int e = errno;
  close(fds[1]);
  free(script_arg);
  if (pid < 0) {
    close(fds[0]);
    return rp_error_set(err, RP_EIO, "gnuplot failed on %s: cannot start it: %s", script,
                        strerror(e));
  }
  signals_set_child(pid);
  char text[4096];
  drain(fds[0], text, sizeof text);
  close(fds[0]);
  int status = 0;
  pid_t w;
  while ((w = waitpid(pid, &status, 0)) < 0 && errno == EINTR) continue;
  signals_set_child(0);
  if (w < 0) return rp_error_set(err, RP_EIO, "gnuplot failed on %s: %s", script, strerror(errno));
  return judge(status, text, script, err);
}

/* signals.c: what SIGINT, SIGTERM and SIGHUP do to a run (see signals.h).
 * The handler only calls async-signal-safe functions (getpid, rmdir, kill,
 * sigaction, pthread_sigmask, raise, _exit), and may run on any thread: it
 * reads single sig_atomic_t values, and a staging path published behind a
 * fence. */
#define _POSIX_C_SOURCE 200809L
#include "signals.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const int handled[] = {SIGINT, SIGTERM, SIGHUP};

static volatile sig_atomic_t phase = SIGNALS_FIT, caught, child, have_staging;
static pid_t main_pid;
static char staging[4096];

/* The signal's default action: the program ends as killed by it. */
static void die(int sig) {
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = SIG_DFL;
  sigemptyset(&sa.sa_mask);
  sigaction(sig, &sa, NULL);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  pthread_sigmask(SIG_UNBLOCK, &set, NULL);
  raise(sig);
}

static void on_signal(int sig) {
  int saved = errno;
  if (getpid() != main_pid) _exit(128 + sig); /* a child between fork and exec */
  caught = sig;
  if (phase == SIGNALS_FIT) {
    if (have_staging) rmdir(staging);
    die(sig);
  }
  if (phase == SIGNALS_WRITE && child > 0) kill((pid_t)child, SIGKILL);
  errno = saved;
}

/* A signal the program was started with ignored (nohup, or a shell's
 * background job for SIGINT) stays ignored, as the caller asked. */
void signals_install(void) {
  main_pid = getpid();
  struct sigaction sa, old;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal; /* no SA_RESTART: a blocked write to stdout returns */
  sigemptyset(&sa.sa_mask);
  for (size_t k = 0; k < sizeof handled / sizeof *handled; k++) sigaddset(&sa.sa_mask, handled[k]);
  for (size_t k = 0; k < sizeof handled / sizeof *handled; k++)
    if (sigaction(handled[k], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
      sigaction(handled[k], &sa, NULL);
}

void signals_enter(signals_phase p) {
  phase = (sig_atomic_t)p;
  if (p == SIGNALS_FIT && caught) die(caught);
}

/* The path is complete before the flag says so, for a handler on any thread. */
void signals_set_staging(const char *path) {
  have_staging = 0;
  atomic_thread_fence(memory_order_seq_cst);
  if (!path || snprintf(staging, sizeof staging, "%s", path) >= (int)sizeof staging) return;
  atomic_thread_fence(memory_order_seq_cst);
  have_staging = 1;
}

void signals_set_child(pid_t pid) {
  child = pid;
  if (pid > 0 && caught) kill(pid, SIGKILL); /* a signal came before the pid was known */
}

const volatile sig_atomic_t *signals_caught(void) { return &caught; }

void signals_exit_if_caught(void) {
  if (caught) die(caught);
}

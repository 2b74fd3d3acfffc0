/* signals.h: what SIGINT, SIGTERM and SIGHUP do to a run.
 *
 * While the fits run, nothing is written yet: a signal ends the program at
 * once (by its default action, so the shell sees it), after removing the
 * empty staging folder.  While the files are written and rendered, a signal
 * kills gnuplot and raises the flag that rp_output_watch stops the writes
 * on; the program then removes the staging folder and ends by the signal.
 * While the staging folder is swapped in, a signal waits until the swap is
 * done.  The handler stays installed (no SA_RESETHAND), so a second signal
 * is handled like the first.  A signal ignored when the program started
 * (nohup; SIGINT in a shell's background job) stays ignored. */
#ifndef REGPATH_APP_SIGNALS_H
#define REGPATH_APP_SIGNALS_H

#include <signal.h>
#include <sys/types.h>

typedef enum { SIGNALS_FIT, SIGNALS_WRITE, SIGNALS_COMMIT } signals_phase;

void signals_install(void);

/* The phase the run is in; SIGNALS_FIT at first. */
void signals_enter(signals_phase phase);

/* The staging folder, removed (when still empty) by a signal while fitting.
 * NULL: none. */
void signals_set_staging(const char *path);

/* The program's child (gnuplot), killed by a signal; 0: none. */
void signals_set_child(pid_t pid);

/* Nonzero (the signal's number) once a signal came. */
const volatile sig_atomic_t *signals_caught(void);

/* End the program by the signal that came, if one did. */
void signals_exit_if_caught(void);

#endif

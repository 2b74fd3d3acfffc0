/* testutil.h: small helpers shared by the Check suites. */
#ifndef REGPATH_TESTUTIL_H
#define REGPATH_TESTUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include <check.h>
#include <cjson/cJSON.h>

#include "regpath/path.h"
#include "regpath/run.h"

/* "$srcdir/<rel>" (srcdir from the environment, "." when unset); static buffer
 * reused by each call. */
const char *tu_src_path(const char *rel);

/* Write `text` to a new file in a fresh temporary folder and return its path
 * (static buffer reused by each call).  `name` is the file's base name. */
const char *tu_write_temp(const char *name, const char *text);

/* The run of the config JSON text `json` (its relative paths from the
 * current folder), the config freed; the test fails with the config's or
 * the run's error message when either fails.  rp_run_free the result. */
rp_run_result *tu_run_config_text(const char *json);

/* Read a whole file (malloc'd, NUL-terminated) or NULL. */
char *tu_read_file(const char *path);

/* The file `from` gzip-compressed into `from`.gz (the test fails if it
 * cannot be). */
void tu_gzip_copy(const char *from);

/* Parse a JSON file; aborts the test (ck_abort) when it cannot. */
cJSON *tu_load_json(const char *path);

/* Array of numbers -> malloc'd doubles (length in *n). */
double *tu_json_doubles(const cJSON *array, size_t *n);

/* |a - b| / max(|b|, floor): relative error with an absolute floor. */
double tu_relerr(double a, double b, double floor);

/* max_j |b_j - ref_j| / max_j |ref_j| (the absolute difference when the
 * reference is all 0) between path point k's coefficients and row k of
 * `rows`, a JSON array of coefficient arrays. */
double tu_coef_error(const rp_path *path, const cJSON *rows, size_t k);

/* The offset of the first byte of `text` (len bytes) that is not
 * well-formed UTF-8 (The Unicode Standard 3.9: shortest form, no
 * surrogates, nothing above U+10FFFF), or len when all are.  With
 * `terminal_safe`, a control character other than \t and \n (C0 with ESC,
 * DEL, C1 U+0080..U+009F) counts as bad too.  Written by code point value,
 * independently of lib/text.c, and stricter than cJSON, which takes any
 * bytes in strings. */
size_t tu_utf8_check(const char *text, size_t len, int terminal_safe);

/* fork(), with the child's SIGINT, SIGTERM, SIGHUP and SIGALRM at their
 * default actions from its first instruction.  Check installs handlers for
 * SIGINT and SIGTERM that kill the whole process group (SIGKILL for SIGINT).
 * Under CK_FORK=no (make check-valgrind) that group is the caller's, make and
 * the CI script included, so a signal meant for a program that reached the
 * child before its exec would end them all with 137.  The signals are blocked
 * across the fork; the child resets their actions before unblocking them, so
 * one that came early ends the child alone. */
pid_t tu_fork(void);

/* Run suite `s` (CK_NORMAL output) and return the process exit status:
 * EXIT_SUCCESS when every test passed, else EXIT_FAILURE (never 77, which
 * automake would read as "skipped"). */
int tu_run(Suite *s);

/* Ridge by its normal equations, independently of the library: on rows
 * `rows` (NULL = all n) of the column-major n x p matrix X, centre (when
 * `intercept`) and scale to unit 1/n variance (when `standardize`), solve
 * (Xs'Xs/m + lam2 I) b = Xs'ys/m by Cholesky (m = rows used), and return the
 * coefficients on the original scale and the intercept.  Also returns the
 * 1/n standard deviation of the centred target in *ysd (may be NULL). */
void tu_ridge(const double *X, const double *y, size_t n, size_t p, const size_t *rows,
              size_t n_rows, int standardize, int intercept, double lam2, double *coef, double *b0,
              double *ysd);
#endif

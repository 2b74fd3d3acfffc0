/* testutil.c: see testutil.h. */
#define _POSIX_C_SOURCE 200809L
#include "testutil.h"

#include <check.h>
#include <gsl/gsl_linalg.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

int tu_run(Suite *s) {
  SRunner *sr = srunner_create(s);
  srunner_run_all(sr, CK_NORMAL);
  int failed = srunner_ntests_failed(sr);
  srunner_free(sr);
  return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

const char *tu_src_path(const char *rel) {
  static char buf[4096];
  const char *src = getenv("srcdir");
  snprintf(buf, sizeof buf, "%s/%s", src && *src ? src : ".", rel);
  return buf;
}

rp_run_result *tu_run_config_text(const char *json) {
  rp_config *cfg;
  rp_run_result *res;
  rp_error err;
  ck_assert_msg(rp_config_parse(json, "test", ".", NULL, 0, &cfg, &err) == RP_OK, "config: %s",
                err.message);
  rp_status st = rp_run(cfg, NULL, NULL, &res, &err);
  rp_config_free(cfg);
  ck_assert_msg(st == RP_OK, "run: %s", err.message);
  return res;
}

const char *tu_write_temp(const char *name, const char *text) {
  static char path[4096];
  char dir[] = "/tmp/regpath-test-XXXXXX";
  ck_assert_ptr_nonnull(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  ck_assert_int_eq((int)fwrite(text, 1, strlen(text), f), (int)strlen(text));
  ck_assert_int_eq(fclose(f), 0);
  return path;
}

char *tu_read_file(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, len = 0;
  char *buf = malloc(cap + 1);
  size_t got;
  while (buf && (got = fread(buf + len, 1, cap - len, f)) > 0) {
    len += got;
    if (len == cap) {
      char *bigger = realloc(buf, 2 * cap + 1);
      if (!bigger) {
        free(buf);
        buf = NULL;
        break;
      }
      buf = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  if (buf) buf[len] = '\0';
  return buf;
}

void tu_gzip_copy(const char *from) {
  char to[4096];
  ck_assert((size_t)snprintf(to, sizeof to, "%s.gz", from) < sizeof to);
  char *text = tu_read_file(from);
  gzFile gz = gzopen(to, "wb");
  ck_assert(gz != NULL);
  ck_assert_int_eq(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
  ck_assert_int_eq(gzclose(gz), Z_OK);
  free(text);
}

cJSON *tu_load_json(const char *path) {
  char *text = tu_read_file(path);
  ck_assert_msg(text != NULL, "cannot read %s", path);
  cJSON *json = cJSON_Parse(text);
  free(text);
  ck_assert_msg(json != NULL, "cannot parse %s", path);
  return json;
}

double *tu_json_doubles(const cJSON *array, size_t *n) {
  *n = (size_t)cJSON_GetArraySize(array);
  double *v = malloc((*n ? *n : 1) * sizeof *v);
  ck_assert_ptr_nonnull(v);
  size_t i = 0;
  const cJSON *item;
  cJSON_ArrayForEach(item, array) v[i++] = item->valuedouble;
  return v;
}

double tu_relerr(double a, double b, double floor) {
  double scale = fabs(b) > floor ? fabs(b) : floor;
  return fabs(a - b) / scale;
}

/* Column j over the rows used. */
static double tu_at(const double *X, size_t n, size_t j, const size_t *rows, size_t i) {
  return X[j * n + (rows ? rows[i] : i)];
}

void tu_ridge(const double *X, const double *y, size_t n, size_t p, const size_t *rows,
              size_t n_rows, int standardize, int intercept, double lam2, double *coef, double *b0,
              double *ysd) {
  size_t m = rows ? n_rows : n;
  gsl_matrix *Xs = gsl_matrix_alloc(m, p), *A = gsl_matrix_alloc(p, p);
  gsl_vector *ys = gsl_vector_alloc(m), *b = gsl_vector_alloc(p);
  double *mean = calloc(p, sizeof *mean), *scale = calloc(p, sizeof *scale), ymean = 0.0, yv = 0.0;
  for (size_t j = 0; j < p; j++) {
    double s = 0.0, v = 0.0;
    for (size_t i = 0; i < m; i++) s += tu_at(X, n, j, rows, i);
    for (size_t i = 0; i < m; i++) v += pow(tu_at(X, n, j, rows, i) - s / (double)m, 2);
    mean[j] = intercept ? s / (double)m : 0.0;
    scale[j] = standardize ? sqrt(v / (double)m) : 1.0;
    for (size_t i = 0; i < m; i++)
      gsl_matrix_set(Xs, i, j, (tu_at(X, n, j, rows, i) - mean[j]) / scale[j]);
  }
  for (size_t i = 0; i < m; i++) ymean += y[rows ? rows[i] : i] / (double)m;
  if (!intercept) ymean = 0.0;
  for (size_t i = 0; i < m; i++) {
    gsl_vector_set(ys, i, y[rows ? rows[i] : i] - ymean);
    yv += pow(gsl_vector_get(ys, i), 2) / (double)m;
  }
  for (size_t j = 0; j < p; j++) {
    double c = 0.0;
    for (size_t i = 0; i < m; i++)
      c += gsl_matrix_get(Xs, i, j) * gsl_vector_get(ys, i) / (double)m;
    gsl_vector_set(b, j, c);
    for (size_t k = 0; k < p; k++) {
      double g = 0.0;
      for (size_t i = 0; i < m; i++)
        g += gsl_matrix_get(Xs, i, j) * gsl_matrix_get(Xs, i, k) / (double)m;
      gsl_matrix_set(A, j, k, g + (j == k ? lam2 : 0.0));
    }
  }
  ck_assert_int_eq(gsl_linalg_cholesky_decomp1(A), 0);
  ck_assert_int_eq(gsl_linalg_cholesky_svx(A, b), 0);
  *b0 = ymean;
  for (size_t j = 0; j < p; j++) {
    coef[j] = gsl_vector_get(b, j) / scale[j];
    *b0 -= coef[j] * mean[j];
  }
  if (ysd) *ysd = sqrt(yv);
  gsl_matrix_free(Xs);
  gsl_matrix_free(A);
  gsl_vector_free(ys);
  gsl_vector_free(b);
  free(mean);
  free(scale);
}

double tu_coef_error(const rp_path *path, const cJSON *rows, size_t k) {
  const cJSON *row = cJSON_GetArrayItem(rows, (int)k);
  double diff = 0.0, scale = 0.0;
  for (size_t j = 0; j < path->p; j++) {
    double ref = cJSON_GetArrayItem(row, (int)j)->valuedouble;
    diff = fmax(diff, fabs(path->coef[k * path->p + j] - ref));
    scale = fmax(scale, fabs(ref));
  }
  return scale > 0.0 ? diff / scale : diff;
}

size_t tu_utf8_check(const char *text, size_t len, int terminal_safe) {
  static const unsigned long least[] = {0, 0x80, 0x800, 0x10000}; /* by continuation bytes */
  const unsigned char *s = (const unsigned char *)text;
  for (size_t i = 0; i < len;) {
    unsigned c = s[i];
    size_t more = c < 0x80             ? 0
                  : (c & 0xE0) == 0xC0 ? 1
                  : (c & 0xF0) == 0xE0 ? 2
                  : (c & 0xF8) == 0xF0 ? 3
                                       : 4; /* 4: not a first byte */
    if (more == 4 || len - i <= more) return i;
    unsigned long cp = more ? c & (0x7Fu >> (more + 1)) : c;
    for (size_t k = 1; k <= more; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return i;
      cp = cp << 6 | (s[i + k] & 0x3Fu);
    }
    if (cp < least[more] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    int control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
    if (terminal_safe && control && cp != '\t' && cp != '\n') return i;
    i += more + 1;
  }
  return len;
}

pid_t tu_fork(void) {
  static const int reset[] = {SIGINT, SIGTERM, SIGHUP, SIGALRM};
  const size_t n_reset = sizeof reset / sizeof *reset;
  sigset_t blocked, old;
  sigemptyset(&blocked);
  for (size_t k = 0; k < n_reset; k++) sigaddset(&blocked, reset[k]);
  sigprocmask(SIG_BLOCK, &blocked, &old);
  pid_t pid = fork();
  if (pid == 0) {
    struct sigaction dfl;
    memset(&dfl, 0, sizeof dfl);
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    for (size_t k = 0; k < n_reset; k++) sigaction(reset[k], &dfl, NULL);
  }
  int saved = errno;
  sigprocmask(SIG_SETMASK, &old, NULL);
  errno = saved;
  return pid;
}

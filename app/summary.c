/* summary.c: the terminal summary and progress bar (see summary.h). */
#define _POSIX_C_SOURCE 200809L
#include "summary.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *penalty_name(double l1_ratio) {
  if (l1_ratio == 1.0) return "lasso";
  if (l1_ratio == 0.0) return "ridge";
  return "elastic net";
}

static const char *metric_name(rp_metric m) { return m == RP_METRIC_MAE ? "mae" : "mse"; }

/* One line of the CV table: a named point of fit f. */
static void point_line(FILE *out, const rp_run_result *res, size_t f, size_t k, const char *label) {
  const rp_path *path = res->paths[f];
  const rp_cv *cv = res->cvs[f];
  int chosen = f == res->selected_fit && k == res->selected_index;
  fprintf(out, "%c %-12s %5g %-4s %12.6g %12.5g ± %-10.4g %4zu of %zu\n", chosen ? '*' : ' ',
          penalty_name(path->l1_ratio), path->l1_ratio, label, path->alphas[k], cv->mean[k],
          cv->std_error[k], path->df[k], res->n_features);
}

static void cv_table(FILE *out, const rp_config *cfg, const rp_run_result *res) {
  fprintf(out, "  %-12s %5s %-4s %12s %12s   %-10s %s\n", "penalty", "l1", "at", "alpha",
          metric_name(cfg->metric), "± se", "nonzero");
  for (size_t f = 0; f < res->n_fits; f++) {
    point_line(out, res, f, res->cvs[f]->index_min, "min");
    point_line(out, res, f, res->cvs[f]->index_1se, "1se");
  }
}

typedef struct {
  size_t j;
  double value;
} named_coef;

static int compare_magnitude(const void *a, const void *b) {
  double x = fabs(((const named_coef *)a)->value), y = fabs(((const named_coef *)b)->value);
  return (x < y) - (x > y);
}

static void coefficient_list(FILE *out, const rp_run_result *res) {
  const rp_path *path = res->paths[res->selected_fit];
  const double *coef = path->coef + res->selected_index * path->p;
  named_coef *list = malloc(path->p * sizeof *list);
  size_t n = 0, width = 9;
  if (!list) return;
  for (size_t j = 0; j < path->p; j++)
    if (coef[j] != 0.0) {
      list[n++] = (named_coef){j, coef[j]};
      width = strlen(res->feature_names[j]) > width ? strlen(res->feature_names[j]) : width;
    }
  qsort(list, n, sizeof *list, compare_magnitude);
  fprintf(out, "\nselected coefficients (%zu nonzero of %zu, original scale, by magnitude):\n", n,
          path->p);
  for (size_t i = 0; i < n; i++)
    fprintf(out, "  %-*s %14.6g\n", (int)width, res->feature_names[list[i].j], list[i].value);
  fprintf(out, "  %-*s %14.6g\n", (int)width, "(intercept)", path->intercept[res->selected_index]);
  free(list);
}

void summary_print(FILE *out, const rp_config *cfg, const rp_run_result *res,
                   const char *const *files, size_t n_files) {
  const rp_path *sel = res->paths[res->selected_fit];
  fprintf(out, "regpath: %s, n = %zu, p = %zu, %zu-fold CV (%s), rule %s\n\n", cfg->train,
          res->n_samples, res->n_features, res->n_folds, metric_name(cfg->metric),
          res->rule == RP_RULE_MIN ? "min" : "1se");
  cv_table(out, cfg, res);
  fprintf(out, "\nselected (*): %s (l1_ratio %g) at alpha %.6g\n", penalty_name(sel->l1_ratio),
          sel->l1_ratio, sel->alphas[res->selected_index]);
  if (res->n_test) {
    rp_scores sc = res->test_scores[res->selected_fit][res->selected_index];
    fprintf(out, "test set (%zu rows): mse %.6g  mae %.6g  r2 %.4f\n", res->n_test, sc.mse, sc.mae, sc.r2);
  }
  coefficient_list(out, res);
  fprintf(out, "\nfiles in %s:", cfg->output_dir);
  for (size_t i = 0; i < n_files; i++) fprintf(out, " %s", files[i]);
  fputc('\n', out);
}

/* ------------------------------------------------------------ progress */

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void progress_start(progress_bar *bar) {
  bar->start = now_seconds();
  bar->last_draw = 0.0;
  bar->drawn = 0;
}

void progress_update(void *ctx, size_t fit, size_t n_fits, size_t alpha, size_t n_alphas) {
  progress_bar *bar = ctx;
  double t = now_seconds();
  if (t - bar->last_draw < 0.1) return;
  bar->last_draw = t;
  double done = ((double)fit + (double)(alpha + 1) / (double)n_alphas) / (double)n_fits;
  double elapsed = t - bar->start, eta = done > 0.0 ? elapsed * (1.0 - done) / done : 0.0;
  int width = 30, filled = (int)(done * width + 0.5);
  fprintf(stderr, "\r[%-*.*s] fit %zu/%zu  alpha %zu/%zu  %.1fs elapsed  ETA %.1fs ", width, filled,
          "##############################", fit + 1, n_fits, alpha + 1, n_alphas, elapsed, eta);
  bar->drawn = 1;
}

void progress_end(progress_bar *bar) {
  if (bar->drawn) fprintf(stderr, "\r%80s\r", "");
}

/* summary.c: the terminal summary and progress bar (see summary.h). */
#define _POSIX_C_SOURCE 200809L
#include "summary.h"
#include "cli.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* One line of the CV table: point k of fit f, marked when it is the choice. */
static void point_line(FILE *out, const rp_run_result *res, size_t f, size_t k, const char *label,
                       int chosen) {
  const rp_path *path = res->paths[f];
  const rp_cv *cv = res->cvs[f];
  fprintf(out, "%c %-12s %5g ", chosen ? '*' : ' ', rp_penalty_name(path->l1_ratio),
          path->l1_ratio);
  if (res->relaxed) fprintf(out, "%5g ", path->gamma);
  fprintf(out, "%-4s %12.6g %12.5g ± %-10.4g %4zu of %zu\n", label, path->alphas[k], cv->mean[k],
          cv->std_error[k], path->df[k], res->n_features);
}

/* Per fit its min and 1se points; the selected row is marked, and gets a row
 * of its own when the choice across fits is neither. */
static void cv_table(FILE *out, const rp_config *cfg, const rp_run_result *res) {
  fprintf(out, "  %-12s %5s ", "penalty", "l1");
  if (res->relaxed) fprintf(out, "%5s ", "gamma");
  fprintf(out, "%-4s %12s %12s   %-10s %s\n", "at", "alpha", rp_metric_name(cfg->metric), "± se",
          "nonzero");
  for (size_t f = 0; f < res->n_fits; f++) {
    size_t lo = res->cvs[f]->index_min, se = res->cvs[f]->index_1se, k = res->selected_index;
    int here = f == res->selected_fit, by_min = res->rule == RP_RULE_MIN;
    point_line(out, res, f, lo, "min", here && k == lo && (by_min || k != se));
    point_line(out, res, f, se, "1se", here && k == se && !by_min);
    if (here && k != lo && k != se) point_line(out, res, f, k, "sel", 1);
  }
}

/* A fit whose grid path.extend carried past the generated alpha_min. */
static void extension_notes(FILE *out, const rp_config *cfg, const rp_run_result *res) {
  for (size_t f = 0; f < res->n_fits; f++) {
    const rp_path *path = res->paths[f];
    if (!res->grid_extended[f]) continue;
    char label[80];
    rp_path_label(path, label, sizeof label);
    fprintf(out,
            "  %s: CV minimum at the grid's end (%.6g); extended by %zu points to %.6g "
            "(path.extend)\n",
            label, path->alphas[cfg->n_alphas - 1], res->grid_extended[f],
            path->alphas[path->n_alphas - 1]);
  }
}

/* The larger of `width` and the characters of `name` as cli_put_text shows
 * it: padding by characters, not bytes (as printf's widths do), keeps the
 * columns aligned when a name has UTF-8 or a replaced byte (shown as the
 * three bytes of U+FFFD).  (Wide characters, such as CJK, take two columns
 * of a terminal and still shift their line.) */
static size_t name_width(const char *name, size_t width) {
  size_t n = rp_text_length(name);
  return n > width ? n : width;
}

/* The linear predictors of the run's fits: K for a multinomial run, else 1. */
static size_t n_classes(const rp_run_result *res) {
  size_t K = res->paths[0]->n_classes;
  return K > 1 ? K : 1;
}

/* The width of a multinomial run's class column: its longest class name. */
static size_t class_width(const rp_run_result *res, size_t K) {
  size_t width = name_width("class", 0);
  for (size_t c = 0; c < K; c++) {
    char name[256];
    rp_classes_name(&res->classes, c, name, sizeof name);
    width = name_width(name, width);
  }
  return width;
}

/* The start of a side-by-side row: the name, and a multinomial run's class
 * (cls NULL: blank), each padded to its column. */
static void row_start(FILE *out, const char *name, size_t width, const char *cls, size_t cw) {
  fputs("  ", out);
  cli_put_text(out, name, width, 0);
  if (!cw) return;
  fputc(' ', out);
  cli_put_text(out, cls ? cls : "", cw, 0);
}

/* With several fits: each fit's coefficients at its own point (the selected
 * one for the winner), side by side, with the test error under them; a
 * multinomial run has a row per feature and class.  The name column is as
 * wide as the longest name: never cut, so that two names sharing a long
 * prefix never print alike. */
static void side_by_side(FILE *out, const rp_run_result *res) {
  if (res->n_fits < 2) return;
  size_t K = n_classes(res), cw = K > 1 ? class_width(res, K) : 0;
  size_t width = name_width("(intercept)", name_width("test mse", 12));
  for (size_t j = 0; j < res->n_features; j++) width = name_width(res->feature_names[j], width);
  fputs("\ncoefficients side by side (original scale):\n", out);
  row_start(out, "", width, K > 1 ? "class" : NULL, cw);
  for (size_t f = 0; f < res->n_fits; f++) {
    char head[32];
    const rp_path *path = res->paths[f];
    if (path->gamma < 1.0)
      snprintf(head, sizeof head, "gamma %g", path->gamma);
    else
      snprintf(head, sizeof head, "%s", rp_penalty_name(path->l1_ratio));
    fprintf(out, " %14s", head);
  }
  fputc('\n', out);
  for (size_t j = 0; j <= res->n_features; j++)
    for (size_t c = 0; c < K; c++) {
      char cls[256];
      rp_classes_name(&res->classes, c, cls, sizeof cls);
      row_start(out, j < res->n_features ? res->feature_names[j] : "(intercept)", width, cls, cw);
      for (size_t f = 0; f < res->n_fits; f++) {
        size_t k = f == res->selected_fit ? res->selected_index : rp_run_rule_index(res, f);
        const rp_path *path = res->paths[f];
        fprintf(out, " %14.6g",
                j < res->n_features ? path->coef[(k * K + c) * path->p + j]
                                    : path->intercept[k * K + c]);
      }
      fputc('\n', out);
    }
  if (!res->n_test) return;
  row_start(out, "test mse", width, NULL, cw);
  for (size_t f = 0; f < res->n_fits; f++) {
    size_t k = f == res->selected_fit ? res->selected_index : rp_run_rule_index(res, f);
    fprintf(out, " %14.6g", res->test_scores[f][k].mse);
  }
  fputc('\n', out);
}

typedef struct {
  size_t j;
  double value;
} named_coef;

static int compare_magnitude(const void *a, const void *b) {
  double x = fabs(((const named_coef *)a)->value), y = fabs(((const named_coef *)b)->value);
  return (x < y) - (x > y);
}

/* A note for a coefficient that model.lower_limits or upper_limits holds
 * (the path gives such a coefficient as the limit itself). */
static const char *limit_note(const rp_run_result *res, size_t j, double b) {
  if (res->lower_limits && b == res->lower_limits[j]) return "  (its lower limit)";
  if (res->upper_limits && b == res->upper_limits[j]) return "  (its upper limit)";
  return "";
}

static void coefficient_list(FILE *out, const rp_run_result *res) {
  const rp_path *path = res->paths[res->selected_fit];
  const double *coef = path->coef + res->selected_index * path->p;
  named_coef *list = malloc(path->p * sizeof *list);
  size_t n = 0, width = name_width("(intercept)", 0); /* its line closes the list */
  if (!list) return;
  for (size_t j = 0; j < path->p; j++)
    if (coef[j] != 0.0) {
      list[n++] = (named_coef){j, coef[j]};
      width = name_width(res->feature_names[j], width);
    }
  qsort(list, n, sizeof *list, compare_magnitude);
  fprintf(out, "\nselected coefficients (%zu nonzero of %zu, original scale, by magnitude):\n", n,
          path->p);
  for (size_t i = 0; i < n; i++) {
    fputs("  ", out);
    cli_put_text(out, res->feature_names[list[i].j], width, 0);
    fprintf(out, " %14.6g%s\n", list[i].value, limit_note(res, list[i].j, list[i].value));
  }
  fprintf(out, "  %-*s %14.6g\n", (int)width, "(intercept)", path->intercept[res->selected_index]);
  free(list);
}

/* Largest first, ties to the lower index. */
static int by_largest(const void *a, const void *b) {
  const named_coef *x = a, *y = b;
  if (x->value != y->value) return x->value < y->value ? 1 : -1;
  return (x->j > y->j) - (x->j < y->j);
}

/* A multinomial fit's selected coefficients as a table, a column per class:
 * the features nonzero in any class, by their largest |coef| over the
 * classes, then the intercepts.  Each column is as wide as its class's name
 * (at least 14), never cut. */
static void class_table(FILE *out, const rp_run_result *res) {
  const rp_path *path = res->paths[res->selected_fit];
  size_t p = path->p, K = path->n_classes, k = res->selected_index, n = 0;
  const double *coef = path->coef + k * K * p; /* class c: coef[c * p + j] */
  named_coef *list = malloc((p ? p : 1) * sizeof *list);
  size_t width = name_width("(intercept)", 0), *cw = malloc(K * sizeof *cw);
  if (!list || !cw) {
    free(list), free(cw);
    return;
  }
  for (size_t j = 0; j < p; j++) {
    double largest = 0;
    for (size_t c = 0; c < K; c++) largest = fmax(largest, fabs(coef[c * p + j]));
    if (largest == 0) continue;
    list[n++] = (named_coef){j, largest};
    width = name_width(res->feature_names[j], width);
  }
  qsort(list, n, sizeof *list, by_largest);
  fprintf(out,
          "\nselected coefficients (%zu of %zu nonzero in any class, original scale, by largest "
          "magnitude):\n  %-*s",
          n, p, (int)width, "");
  for (size_t c = 0; c < K; c++) {
    char name[256];
    rp_classes_name(&res->classes, c, name, sizeof name);
    cw[c] = name_width(name, 14);
    fprintf(out, " %*s", (int)(cw[c] - rp_text_length(name)), "");
    cli_put_text(out, name, 0, 0);
  }
  fputc('\n', out);
  for (size_t i = 0; i <= n; i++) {
    fputs("  ", out);
    cli_put_text(out, i < n ? res->feature_names[list[i].j] : "(intercept)", width, 0);
    for (size_t c = 0; c < K; c++)
      fprintf(out, " %*.6g", (int)cw[c],
              i < n ? coef[c * p + list[i].j] : path->intercept[k * K + c]);
    fputc('\n', out);
  }
  free(list);
  free(cw);
}

/* The test set's scores at the selected point: those the family names
 * (rp_scores_named, as the report's), r2 to four places. */
static void test_scores(FILE *out, const rp_run_result *res) {
  rp_scores sc = res->test_scores[res->selected_fit][res->selected_index];
  fprintf(out, "test set (%zu rows):", res->n_test);
  if (res->family == RP_FAMILY_GAUSSIAN) {
    fprintf(out, " mse %.6g  mae %.6g  r2 %.4f\n", sc.mse, sc.mae, sc.r2);
    return;
  }
  const char *names[3];
  double values[3];
  rp_scores_named(res->family, &sc, names, values);
  for (size_t i = 0; i < 3; i++) fprintf(out, "%s %s %.6g", i ? " " : "", names[i], values[i]);
  fputc('\n', out);
}

/* For the selected fit when it has an L1 part: the first features to enter
 * the path, and in how many CV folds each is nonzero at the selected alpha. */
static void feature_view(FILE *out, const rp_run_result *res) {
  const rp_path *path = res->paths[res->selected_fit];
  const rp_cv *cv = res->cvs[res->selected_fit];
  size_t k = res->selected_index, shown = 0, width = 9;
  if (path->l1_ratio == 0.0) return;
  for (size_t j = 0; j < path->p; j++) width = name_width(res->feature_names[j], width);
  fprintf(
      out,
      "\nfeatures in order of entry (first 10), and the CV folds that keep each at alpha %.4g:\n",
      path->alphas[k]);
  /* Each feature's entry once, not once per alpha (quadratic in the alphas). */
  size_t *entered = malloc((path->p ? path->p : 1) * sizeof *entered);
  for (size_t j = 0; entered && j < path->p; j++) entered[j] = rp_path_entry_index(path, j);
  for (size_t at = 0; entered && at < path->n_alphas && shown < 10; at++)
    for (size_t j = 0; j < path->p && shown < 10; j++)
      if (entered[j] == at) {
        fputs("  ", out);
        cli_put_text(out, res->feature_names[j], width, 0);
        fprintf(out, " enters at alpha %-10.4g %2zu/%zu folds\n", path->alphas[at],
                cv->fold_nonzero[k * cv->p + j], cv->n_folds);
        shown++;
      }
  free(entered);
}

void summary_print(FILE *out, const rp_config *cfg, const rp_run_result *res,
                   const char *const *files, size_t n_files) {
  const rp_path *sel = res->paths[res->selected_fit];
  fputs("regpath: ", out);
  cli_put_text(out, cfg->train, 0, 0);
  fputs(", target ", out);
  cli_put_text(out, res->target, 0, 0);
  if (cfg->format == RP_FORMAT_SVMLIGHT)
    fputs(" (svmlight labels)", out);
  else if (res->target_column == res->n_columns)
    fputs(" (last column)", out);
  else
    fprintf(out, " (column %zu of %zu)", res->target_column, res->n_columns);
  fprintf(out, ", n = %zu, p = %zu", res->n_samples, res->n_features);
  if (res->sparse) /* data.storage: say so, since it changes what the fits cost */
    fprintf(out, " (sparse, %.3g%% nonzero)",
            100.0 * (double)res->nnz / ((double)res->n_samples * (double)res->n_features));
  fprintf(out, ", %zu-fold CV", res->n_folds);
  if (res->n_repeats > 1) fprintf(out, " x %zu repeats", res->n_repeats);
  fprintf(out, " (%s), rule %s\n\n", rp_metric_name(cfg->metric),
          res->rule == RP_RULE_MIN ? "min" : "1se");
  cv_table(out, cfg, res);
  extension_notes(out, cfg, res);
  char why[512];
  rp_run_explain(res, cfg->metric, why, sizeof why);
  fprintf(out, "\nselected (*) at alpha %.6g: %s\n", sel->alphas[res->selected_index], why);
  if (res->n_test) test_scores(out, res);
  if (n_classes(res) > 1)
    class_table(out, res);
  else
    coefficient_list(out, res);
  side_by_side(out, res);
  feature_view(out, res);
  fputs("\nfiles in ", out);
  cli_put_text(out, cfg->output_dir, 0, 0);
  fputc(':', out);
  for (size_t i = 0; i < n_files; i++) {
    fputc(' ', out);
    cli_put_text(out, files[i], 0, 0);
  }
  fputc('\n', out);
}

/* ------------------------------------------------------------ progress */

void progress_start(progress_bar *bar) {
  bar->start = rp_clock_seconds();
  bar->last_draw = 0.0;
  bar->drawn = 0;
}

void progress_update(void *ctx, size_t fit, size_t n_fits, size_t alpha, size_t n_alphas) {
  progress_bar *bar = ctx;
  double t = rp_clock_seconds();
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

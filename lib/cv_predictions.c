/* cv_predictions.c: cv_predictions.csv and cv_predictions_path.csv
 * (cv_predictions.h). */
#define _POSIX_C_SOURCE 200809L
#include "cv_predictions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "regpath/family.h"

/* A CSV cell, quoted (RFC 4180) when it holds a delimiter, a quote or a
 * line end. */
static void put_cell(FILE *f, const char *s) {
  if (!s[strcspn(s, ",;\"\r\n")]) {
    fputs(s, f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    if (*s == '"') fputc('"', f);
    fputc(*s, f);
  }
  fputc('"', f);
}

/* The column(s) of one alpha: its name, or a multinomial CV's name_<class>
 * for each class. */
static void put_alpha_header(FILE *f, const rp_run_result *res, const rp_cv *cv, const char *name) {
  if (cv->n_classes == 1) {
    fprintf(f, ",%s", name);
    return;
  }
  for (size_t c = 0; c < cv->n_classes; c++) {
    char label[256], cell[300];
    rp_classes_name(&res->classes, c, label, sizeof label);
    snprintf(cell, sizeof cell, "%s_%s", name, label);
    fputc(',', f);
    put_cell(f, cell);
  }
}

static void put_header(FILE *f, const rp_run_result *res, const rp_cv *cv, int whole_path) {
  if (res->ids) fputs("id,", f);
  if (res->n_repeats > 1) fputs("repeat,", f);
  fputs("row,fold,", f);
  put_cell(f, res->target);
  if (res->weights) fputs(",weight", f);
  if (!whole_path) {
    put_alpha_header(f, res, cv, "alpha_min");
    put_alpha_header(f, res, cv, "alpha_1se");
  }
  for (size_t a = 0; whole_path && a < cv->n_alphas; a++) {
    char name[32];
    snprintf(name, sizeof name, "s%zu", a);
    put_alpha_header(f, res, cv, name);
  }
  fputc('\n', f);
}

/* Row i's prediction at alpha a, as the mean: a multinomial CV's K class
 * probabilities (work: 2K doubles). */
static void put_prediction(FILE *f, const rp_run_result *res, const rp_cv *cv, size_t a, size_t i,
                           double *work) {
  size_t K = cv->n_classes;
  if (K == 1) {
    fprintf(f, ",%.17g", rp_family_mean(res->family, cv->preval[a * cv->n_rows + i]));
    return;
  }
  double *eta = work, *prob = work + K;
  for (size_t c = 0; c < K; c++) eta[c] = cv->preval[(a * K + c) * cv->n_rows + i];
  rp_multinomial_probabilities(eta, K, prob);
  for (size_t c = 0; c < K; c++) fprintf(f, ",%.17g", prob[c]);
}

char *rp_cv_predictions_csv(const rp_run_result *res, int whole_path) {
  const rp_cv *cv = res->cvs[res->selected_fit];
  char *text = NULL;
  size_t len = 0;
  double *work = malloc(2 * cv->n_classes * sizeof *work);
  FILE *f = work ? open_memstream(&text, &len) : NULL;
  if (!f) {
    free(work);
    return NULL;
  }
  put_header(f, res, cv, whole_path);
  for (size_t k = 0, n = res->n_samples; k < cv->n_rows; k++) {
    size_t i = k % n; /* draw k / n's row i */
    if (res->ids) put_cell(f, res->ids[i]), fputc(',', f);
    if (res->n_repeats > 1) fprintf(f, "%zu,", k / n + 1);
    fprintf(f, "%zu,%d,%.17g", res->train_rows[i] + 1, res->repeat_fold_ids[k], res->y[i]);
    if (res->weights) fprintf(f, ",%.17g", res->weights[i]);
    if (!whole_path) {
      put_prediction(f, res, cv, cv->index_min, k, work);
      put_prediction(f, res, cv, cv->index_1se, k, work);
    }
    for (size_t a = 0; whole_path && a < cv->n_alphas; a++) put_prediction(f, res, cv, a, k, work);
    fputc('\n', f);
  }
  free(work);
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) {
    free(text);
    return NULL;
  }
  return text;
}

/* select.c: choosing the model from the CV curves, and saying why:
 * cv.glmnet's lambda.min and lambda.1se on one curve, the rule across the
 * fits of several l1_ratios, and the plain-language explanation of the
 * choice. */
#include "regpath/run.h"

#include <stdio.h>

/* ------------------------------------------------------------ one curve */

void rp_cv_choose(const double *mean, const double *std_error, size_t n_alphas,
                  int larger_is_better, size_t *index_min, size_t *index_1se) {
  double sign = larger_is_better ? -1.0 : 1.0; /* minimize sign * mean */
  size_t best = 0;
  for (size_t a = 1; a < n_alphas; a++)
    if (sign * mean[a] < sign * mean[best]) best = a;
  double bound = sign * mean[best] + std_error[best];
  size_t first = best;
  for (size_t a = 0; a < best; a++)
    if (sign * mean[a] <= bound) {
      first = a;
      break;
    }
  *index_min = best;
  *index_1se = first;
}

double rp_cv_loss(const rp_cv *cv, size_t a) {
  return cv->larger_is_better ? -cv->mean[a] : cv->mean[a];
}

/* ------------------------------------------------------------ across curves */

/* The curves a rule chooses among: list[0..n), then `last` when given (a
 * relaxed CV: its blends, then the path's own), and the fits behind them
 * when given (paths, for their nonzeros and l1_ratios). */
typedef struct {
  const rp_cv *const *list;
  size_t n;
  const rp_cv *last;
  const rp_path *const *paths;
} curve_set;

static size_t curve_count(const curve_set *s) { return s->n + (s->last != NULL); }

static const rp_cv *curve_at(const curve_set *s, size_t f) {
  return f < s->n ? s->list[f] : s->last;
}

/* Is candidate (f, a) preferred to the incumbent (bf, ba) under the 1se rule's
 * order: fewer nonzeros (when the fits' l1_ratios differ, `by_df`), then
 * larger alpha, then larger l1_ratio, then larger gamma (cv.glmnet(relax =
 * TRUE)'s order for the blends of one l1_ratio)? */
static int preferred(const curve_set *s, int by_df, size_t f, size_t a, size_t bf, size_t ba) {
  const rp_cv *c = curve_at(s, f), *bc = curve_at(s, bf);
  size_t df = by_df ? s->paths[f]->df[a] : 0, bdf = by_df ? s->paths[bf]->df[ba] : 0;
  if (df != bdf) return df < bdf;
  if (c->alphas[a] != bc->alphas[ba]) return c->alphas[a] > bc->alphas[ba];
  double r = s->paths ? s->paths[f]->l1_ratio : 0.0, br = s->paths ? s->paths[bf]->l1_ratio : 0.0;
  if (r != br) return r > br;
  return c->gamma > bc->gamma;
}

/* The rule over the curves of s (see rp_run_select): curve *fit, index *index. */
static void choose(const curve_set *s, int by_df, rp_rule rule, size_t *fit, size_t *index) {
  size_t n = curve_count(s), bf = 0, ba = curve_at(s, 0)->index_min;
  for (size_t f = 1; f < n; f++) {
    size_t a = curve_at(s, f)->index_min;
    double loss = rp_cv_loss(curve_at(s, f), a), best = rp_cv_loss(curve_at(s, bf), ba);
    if (loss < best || (!by_df && loss == best && preferred(s, 0, f, a, bf, ba))) bf = f, ba = a;
  }
  if (rule == RP_RULE_1SE && n == 1) ba = curve_at(s, 0)->index_1se;
  if (rule == RP_RULE_1SE && n > 1) {
    double bound = rp_cv_loss(curve_at(s, bf), ba) + curve_at(s, bf)->std_error[ba];
    for (size_t f = 0; f < n; f++)
      for (size_t a = 0; a < curve_at(s, f)->n_alphas; a++)
        if (rp_cv_loss(curve_at(s, f), a) <= bound && preferred(s, by_df, f, a, bf, ba))
          bf = f, ba = a;
  }
  *fit = bf;
  *index = ba;
}

void rp_cv_choose_relaxed(const rp_cv *cv, size_t *gamma_min, size_t *index_min, size_t *gamma_1se,
                          size_t *index_1se) {
  curve_set s = {(const rp_cv *const *)cv->relaxed, cv->n_relaxed, cv, NULL};
  choose(&s, 0, RP_RULE_MIN, gamma_min, index_min);
  choose(&s, 0, RP_RULE_1SE, gamma_1se, index_1se);
}

/* Do the fits differ in l1_ratio (not only in the relaxed lasso's gamma)? */
static int several_ratios(const rp_path *const *paths, size_t n_fits) {
  for (size_t f = 1; f < n_fits; f++)
    if (paths[f]->l1_ratio != paths[0]->l1_ratio) return 1;
  return 0;
}

void rp_run_select(const rp_path *const *paths, const rp_cv *const *cvs, size_t n_fits,
                   rp_rule rule, size_t *fit, size_t *index) {
  curve_set s = {cvs, n_fits, NULL, paths};
  choose(&s, several_ratios(paths, n_fits), rule, fit, index);
}

size_t rp_run_rule_index(const rp_run_result *res, size_t f) {
  return res->rule == RP_RULE_MIN ? res->cvs[f]->index_min : res->cvs[f]->index_1se;
}

/* The best CV loss of fit f (smaller is better, also for auc). */
static double min_loss(const rp_run_result *res, size_t f) {
  return rp_cv_loss(res->cvs[f], res->cvs[f]->index_min);
}

size_t rp_run_runner_up(const rp_run_result *res) {
  size_t best = res->n_fits;
  for (size_t f = 0; f < res->n_fits; f++)
    if (f != res->selected_fit && (best == res->n_fits || min_loss(res, f) < min_loss(res, best)))
      best = f;
  return best;
}

double rp_run_margin_se(const rp_run_result *res) {
  size_t r = rp_run_runner_up(res), w = res->selected_fit;
  if (r == res->n_fits) return 0.0;
  double se = res->cvs[w]->std_error[res->cvs[w]->index_min];
  return se > 0.0 ? (min_loss(res, r) - min_loss(res, w)) / se : 0.0;
}

/* ------------------------------------------------------------ saying why */

const char *rp_penalty_name(double l1_ratio) {
  if (l1_ratio == 1.0) return "lasso";
  if (l1_ratio == 0.0) return "ridge";
  return "elastic net";
}

/* A multinomial path's point k holds K rows of p coefficients: a feature
 * enters when it is nonzero in any class, as its df counts it. */
size_t rp_path_entry_index(const rp_path *path, size_t j) {
  size_t K = path->n_classes > 1 ? path->n_classes : 1;
  for (size_t k = 0; k < path->n_alphas; k++)
    for (size_t c = 0; c < K; c++)
      if (path->coef[(k * K + c) * path->p + j] != 0.0) return k;
  return path->n_alphas;
}

void rp_fit_label(double l1_ratio, char *buf, size_t size) {
  if (l1_ratio == 1.0 || l1_ratio == 0.0)
    snprintf(buf, size, "%s", rp_penalty_name(l1_ratio));
  else
    snprintf(buf, size, "elastic net (l1_ratio %g)", l1_ratio);
}

void rp_path_label(const rp_path *path, char *buf, size_t size) {
  double r = path->l1_ratio, g = path->gamma;
  if (g >= 1.0)
    rp_fit_label(r, buf, size);
  else if (r == 1.0 || r == 0.0)
    snprintf(buf, size, "relaxed %s (gamma %g)", rp_penalty_name(r), g);
  else
    snprintf(buf, size, "relaxed elastic net (l1_ratio %g, gamma %g)", r, g);
}

void rp_run_explain(const rp_run_result *res, rp_metric metric, char *buf, size_t size) {
  const char *m = rp_metric_name(metric);
  size_t w = res->selected_fit, k = res->selected_index, r = rp_run_runner_up(res),
         p = res->n_features;
  const rp_path *wp = res->paths[w];
  char winner[80], runner[80];
  rp_path_label(wp, winner, sizeof winner);
  int n = snprintf(buf, size, "%s selected: CV %s %.5g ± %.3g with %zu of %zu features", winner, m,
                   res->cvs[w]->mean[k], res->cvs[w]->std_error[k], wp->df[k], p);
  if (n < 0 || (size_t)n >= size) return;
  if (r == res->n_fits) {
    snprintf(buf + n, size - (size_t)n, " (rule %s).", res->rule == RP_RULE_MIN ? "min" : "1se");
    return;
  }
  size_t ri = res->cvs[r]->index_min, rdf = res->paths[r]->df[ri];
  char uses[32];
  if (rdf == p)
    snprintf(uses, sizeof uses, "all %zu", p);
  else
    snprintf(uses, sizeof uses, "%zu", rdf);
  /* The reason compares the two numbers the sentence shows. */
  const char *why = rp_cv_loss(res->cvs[w], k) <= rp_cv_loss(res->cvs[r], ri)
                        ? "the lower CV error wins"
                    : several_ratios((const rp_path *const *)res->paths, res->n_fits)
                        ? "within one standard error of the best, the sparser model wins"
                        : "within one standard error of the best, the larger alpha wins";
  rp_path_label(res->paths[r], runner, sizeof runner);
  snprintf(buf + n, size - (size_t)n, "; %s %.5g ± %.3g uses %s; %s.", runner,
           res->cvs[r]->mean[ri], res->cvs[r]->std_error[ri], uses, why);
}

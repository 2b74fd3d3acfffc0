/* config_fit.c: the fit options of one of a config's l1_ratios
 * (rp_config_fit_options). */
#include "regpath/config.h"

/* Every field is set here, defaults included, rather than through
 * rp_fit_options_init, so that the options are exactly the config's.
 * `which` must be below cfg->n_l1_ratios; otherwise l1_ratio is set to -1,
 * which rp_fit_options_check rejects, rather than silently fitting another. */
void rp_config_fit_options(const rp_config *cfg, size_t which, rp_fit_options *opt) {
  if (!cfg || !opt) return;
  opt->family = cfg->family;
  opt->l1_ratio = which < cfg->n_l1_ratios ? cfg->l1_ratios[which] : -1.0;
  opt->standardize = cfg->standardize;
  opt->fit_intercept = cfg->fit_intercept;
  opt->convention = cfg->convention;
  opt->penalty_factor = NULL; /* needs the chosen columns: see config.h */
  opt->n_alphas = cfg->n_alphas;
  opt->alpha_min_ratio = cfg->alpha_min_ratio;
  opt->alphas = cfg->alphas;
  opt->n_explicit = cfg->n_explicit;
  opt->tol = cfg->tol;
  opt->gap_tol = cfg->gap_tol;
  opt->max_iter = cfg->max_iter;
  opt->early_stop = cfg->early_stop;
  opt->cv_keep = cfg->cv_keep != 0;
  opt->fold_grid = cfg->fold_grid;
  opt->update = RP_UPDATE_AUTO;
  opt->progress = NULL;
  opt->progress_ctx = NULL;
  opt->feature_names = NULL; /* the run knows them */
  opt->target_name = NULL;
  opt->weights = NULL; /* data.weights and data.offset are columns: the run reads them */
  opt->offset = NULL;
  opt->n_extend = 0;
  opt->lower_limits = NULL; /* per feature, as the penalty factors: the run resolves them */
  opt->upper_limits = NULL;
  opt->relax_gammas = NULL; /* model.gamma below 1, sorted: the run's (run_relax.c) */
  opt->n_relax_gammas = 0;
  opt->multinomial_grouped = cfg->multinomial_grouped;
  opt->n_classes = 0;
}

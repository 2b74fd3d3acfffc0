/* plot_frame.h (private): what every plot script of a run shares: its
 * name, the opening (terminal, output file), the colours, the x axis of
 * log10(alpha) with the number of nonzero coefficients along the top, and
 * the vertical lines that mark alpha_min and alpha_1se.
 *
 * Layout of every plot: x is log10(alpha) on a reversed axis, so that the
 * path reads from the null model (large alpha, left) to the least penalized
 * fit (right), as glmnet's default plot.glmnet (x = L1 norm) and
 * scikit-learn's lasso-path examples do; the CV plot uses the same axis so
 * that the two can be read side by side.  The number of nonzero coefficients
 * is shown along the top axis, as in plot.glmnet and plot.cv.glmnet.
 */
#ifndef REGPATH_PLOT_FRAME_H
#define REGPATH_PLOT_FRAME_H

#include <stddef.h>

#include "plot_text.h"
#include "regpath/run.h"

/* tab10, the palette of matplotlib and Vega (ten colours told apart
 * easily), with black for its grey, which unlabelled paths use. */
extern const char *const rp_plot_palette[];
#define RP_PLOT_N_COLORS 10

/* "lasso", "ridge" or "elastic net". */
const char *rp_plot_fit_kind(double l1_ratio);

/* The name of fit f's plot files of `kind` without the extension: `kind`
 * with one fit, "<kind>_l1-<l1_ratio>" with several (see
 * rp_plot_file_name). */
void rp_plot_base_name(const rp_run_result *res, size_t f, const char *kind, char *buf,
                       size_t size);

/* The opening every script shares: terminal from `fmt`, output file. */
void rp_plot_header(rp_sbuf *b, const char *base, const char *what);

/* x from the first to the last alpha of the grid (reversed: alphas
 * decrease), padded when the grid has one point; the ends into hi, lo. */
void rp_plot_xrange(rp_sbuf *b, const double *alphas, size_t n, double *hi, double *lo);

/* Number of nonzero coefficients along the top axis at about nine evenly
 * spaced points of the grid. */
void rp_plot_df_axis(rp_sbuf *b, const double *alphas, const size_t *df, size_t n);

/* Dashed vertical lines at alpha_min and alpha_1se of `cv`, labelled at the
 * top of the plot, the x axis running from hi to lo. */
void rp_plot_cv_lines(rp_sbuf *b, const rp_cv *cv, double hi, double lo);

#endif

/* regpath/plots.h: gnuplot data files and scripts for a run, and rendering.
 *
 * For fit f of a run (one per l1_ratio):
 *   path data   one row per alpha: alpha log10_alpha df dev_ratio <one column
 *               per feature, original scale>, after one '#' header line
 *               naming every column; no blank lines.  A multinomial fit:
 *               one block of such rows per class (gnuplot's `index c`),
 *               each opened by a "# class <name>" line, two blank lines
 *               between blocks; df is then the class's nonzero
 *               coefficients.
 *   cv data     alpha log10_alpha mean std_error mean-se mean+se df
 *   path script coefficient paths against log10(alpha) (or log(alpha),
 *               output.log_base), dashed vertical lines at alpha_min and
 *               alpha_1se, a solid one at the selected alpha when the run
 *               selected this fit, their labels never overlapping.  The y
 *               range is set by the coefficients from alpha_max to 5 grid
 *               points past alpha_min (or the selected alpha); a tail that
 *               would need more than twice that height is clipped, its
 *               region shaded and a note under the plot says so.  Up to 12
 *               features: a line each, named in a key, read from the path
 *               data.  More: the nonzero features of the selected model (of
 *               the fit's own rule point for a fit not selected), the 10
 *               largest there, in colour and named at the right edge, each
 *               joined to where its path ends or leaves the plot; up to 500
 *               others in grey (the largest by max |coef|), the range of the
 *               rest shaded, features zero all along left out and counted
 *               under the plot; these paths are written into the script, so
 *               that gnuplot reads each point once.  A multinomial fit:
 *               one such panel per class, stacked (1000 x 450 K pixels),
 *               each titled with its class, its own y range, labels and
 *               df axis (the class's nonzero coefficients).
 *   cv script   CV curve with error bars, the same vertical lines, df along
 *               the top axis (as glmnet's plot.cv.glmnet)
 * plus, for several fits, a comparison script of all CV curves.
 * Every function returns a malloc'd NUL-terminated text (caller frees), or
 * NULL when out of memory.  The library starts no programs: rendering is
 * the caller's (see rp_render_fn in regpath/report.h).
 */
#ifndef REGPATH_PLOTS_H
#define REGPATH_PLOTS_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/error.h"
#include "regpath/run.h"

#ifdef __cplusplus
extern "C" {
#endif

/* File names of fit f's plot files: "path.dat" etc. with one fit;
 * "path_l1-0.5.dat" etc. with several (the l1_ratio as the shortest text
 * that reads back exactly, so that different values never share a name).  `kind` is one of
 * "path", "cv"; `ext` one of "dat", "gp", "png", "svg".  Writes into buf. */
RP_API void rp_plot_file_name(const rp_run_result *res, size_t f, const char *kind, const char *ext,
                              char *buf, size_t size);

RP_API char *rp_plot_path_data(const rp_run_result *res, size_t f);
RP_API char *rp_plot_cv_data(const rp_run_result *res, size_t f);

/* How the scripts draw (the output.* keys that concern plots).  A zeroed
 * struct, or NULL for the pointer, is the default. */
typedef struct {
  rp_log_base log_base; /* x = log10(alpha) (default) or log(alpha): output.log_base */
} rp_plot_options;

/* Scripts, run from the output folder as `gnuplot <script>`.  They write
 * <base>.png by default, or <base>.svg when started with -e "fmt='svg'".
 * Feature names are escaped so that no CSV header can inject gnuplot
 * commands.  The plain functions are the _opt ones with default options. */
RP_API char *rp_plot_path_script(const rp_run_result *res, size_t f);
RP_API char *rp_plot_path_script_opt(const rp_run_result *res, size_t f,
                                     const rp_plot_options *opt);
RP_API char *rp_plot_cv_script(const rp_run_result *res, size_t f);
RP_API char *rp_plot_cv_script_opt(const rp_run_result *res, size_t f, const rp_plot_options *opt);
/* All fits' CV curves on one log-alpha axis (compare.gp -> compare.png):
 * error bands, each curve's alpha_min marked, and the selected alpha. */
RP_API char *rp_plot_compare_script(const rp_run_result *res);
RP_API char *rp_plot_compare_script_opt(const rp_run_result *res, const rp_plot_options *opt);

#ifdef __cplusplus
}
#endif
#endif

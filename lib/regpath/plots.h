/* regpath/plots.h: gnuplot data files and scripts for a run, and rendering.
 *
 * For fit f of a run (one per l1_ratio):
 *   path data   one row per alpha: alpha log10_alpha df dev_ratio <one column
 *               per feature, original scale>, after one '#' header line
 *               naming every column; no blank lines.
 *   cv data     alpha log10_alpha mean std_error mean-se mean+se df
 *   path script coefficient paths against log10(alpha), vertical lines at
 *               alpha_min and alpha_1se.  Up to 12 features: a line each,
 *               named in a key, read from the path data.  More: the 10
 *               largest at the smallest alpha in colour and named, up to 500
 *               others in grey (the largest by max |coef|), the range of the
 *               rest shaded, features zero all along left out and counted
 *               under the plot; these paths are written into the script, so
 *               that gnuplot reads each point once.
 *   cv script   CV curve with error bars, the two vertical lines, df along
 *               the top axis (as glmnet's plot.cv.glmnet)
 * plus, for several fits, a comparison script of all CV curves.
 * Every function returns a malloc'd NUL-terminated text (caller frees), or
 * NULL when out of memory.  The library starts no programs: rendering is
 * the caller's (see rp_render_fn in regpath/report.h).
 */
#ifndef REGPATH_PLOTS_H
#define REGPATH_PLOTS_H

#include <stddef.h>

#include "regpath/error.h"
#include "regpath/run.h"

#ifdef __cplusplus
extern "C" {
#endif

/* File names of fit f's plot files: "path.dat" etc. with one fit;
 * "path_l1-0.5.dat" etc. with several (the l1_ratio as the shortest text
 * that reads back exactly, so that different values never share a name).  `kind` is one of
 * "path", "cv"; `ext` one of "dat", "gp", "png", "svg".  Writes into buf. */
void rp_plot_file_name(const rp_run_result *res, size_t f, const char *kind, const char *ext,
                       char *buf, size_t size);

char *rp_plot_path_data(const rp_run_result *res, size_t f);
char *rp_plot_cv_data(const rp_run_result *res, size_t f);

/* Scripts, run from the output folder as `gnuplot <script>`.  They write
 * <base>.png by default, or <base>.svg when started with -e "fmt='svg'".
 * Feature names are escaped so that no CSV header can inject gnuplot
 * commands. */
char *rp_plot_path_script(const rp_run_result *res, size_t f);
char *rp_plot_cv_script(const rp_run_result *res, size_t f);
/* All fits' CV curves on one log-alpha axis (compare.gp -> compare.png):
 * error bands, each curve's alpha_min marked. */
char *rp_plot_compare_script(const rp_run_result *res);

#ifdef __cplusplus
}
#endif
#endif

/* regpath/plots.h: gnuplot data files and scripts for a run, and rendering.
 *
 * For fit f of a run (one per l1_ratio):
 *   path data   one row per alpha: alpha log10_alpha df dev_ratio <one column
 *               per feature, original scale>, after one '#' header line
 *               naming every column; no blank lines.
 *   cv data     alpha log10_alpha mean std_error mean-se mean+se df
 *   path script coefficient paths against log10(alpha), a line per feature,
 *               vertical lines at alpha_min and alpha_1se
 *   cv script   CV curve with error bars, the two vertical lines, df along
 *               the top axis (as glmnet's plot.cv.glmnet)
 * plus, for several fits, a comparison script of all CV curves.
 * Every function returns a malloc'd NUL-terminated text (caller frees), or
 * NULL when out of memory.  The library never runs a shell: rendering
 * fork/execs gnuplot with an argument vector.
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
 * "path_l1-0.5.dat" etc. (the l1_ratio in %g) with several.  `kind` is one of
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

/* gnuplot's path, found on PATH, into buf; 0 when there is none. */
int rp_plot_find_gnuplot(char *buf, size_t size);

/* Run `gnuplot -e "fmt='<format>'" <script>` with working folder `dir`
 * (fork/exec, no shell; stdout/stderr of gnuplot captured, first line of its
 * stderr in the error).  format: "png" or "svg".  Errors: RP_EIO. */
rp_status rp_plot_render(const char *gnuplot, const char *dir, const char *script,
                         const char *format, rp_error *err);

#ifdef __cplusplus
}
#endif
#endif

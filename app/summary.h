/* summary.h: what the program tells people (stdout summary, stderr progress). */
#ifndef REGPATH_SUMMARY_H
#define REGPATH_SUMMARY_H

#include <stdio.h>

#include "regpath.h"

/* The short answer: data size, rule, alpha_min and alpha_1se with CV error
 * +/- se and nonzeros (per l1_ratio when several), test scores, the selected
 * nonzero coefficients by magnitude (multinomial: a table of a column per
 * class, the features nonzero in any class by their largest magnitude),
 * and the files written (`files`, n). */
void summary_print(FILE *out, const rp_config *cfg, const rp_run_result *res,
                   const char *const *files, size_t n_files);

/* A progress bar on stderr, redrawn at most every 0.1 s: fits done / total,
 * alphas of the current fit, elapsed time and ETA.  Pass as rp_progress_fn
 * with a progress_bar as context; progress_end clears the line. */
typedef struct {
  double start, last_draw;
  int drawn;
} progress_bar;

void progress_start(progress_bar *bar);
void progress_update(void *bar, size_t fit, size_t n_fits, size_t alpha, size_t n_alphas);
void progress_end(progress_bar *bar);

#endif

/* dataset.h (private): the training (and test) data a config names, read
 * as the table it is and turned into X and y (issue 16): columns by role
 * (target, id, excluded, weights, offset, fold ids, features), categorical
 * columns one-hot, missing values by data.missing, a binomial target's two
 * classes.  The encoding itself is encode.h's, shared with predict. */
#ifndef REGPATH_DATASET_H
#define REGPATH_DATASET_H

#include "regpath/config.h"
#include "regpath/error.h"
#include "regpath/run.h"
#include "regpath/table.h"

/* Fill res's data fields (n_samples, n_features, names, X, y, fold ids as
 * read or given, test rows, classes, weights, offsets, recipe, counts).
 * Errors: as rp_table_read_csv; RP_ECONFIG naming the key for a column
 * name that is not in the file or a role given twice; RP_EDATA for data that
 * cannot be used (a missing value under "error", a target of the wrong
 * kind, weights < 0, ...). */
rp_status rp_dataset_load(rp_run_result *res, const rp_config *cfg, rp_error *err);

/* Where the n training rows `rows` (table rows) came from: res->train_rows,
 * and res->ids, the cells of text column `id` (-1: none) of table t.  For
 * cv.keep's out-of-fold predictions (train_rows.c).  Errors: RP_ENOMEM. */
rp_status rp_dataset_keep_rows(rp_run_result *res, const rp_table *t, long id, const size_t *rows,
                               size_t n, rp_error *err);

#endif

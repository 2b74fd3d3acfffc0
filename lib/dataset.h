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

/* data.train read as svmlight (dataset_svmlight.c): X as sparse columns
 * (res->X_sparse; storage.h settles how it is held), y the labels, the
 * features named f1..fp by their indices, the target "y", the folds from a
 * cv.fold_ids list or none yet, test_fraction's rows held out.  Errors: as
 * rp_svmlight_read; RP_EDATA for a file without features, as
 * rp_dataset_numeric_classes; RP_ECONFIG for cv.fold_ids of the wrong
 * length. */
rp_status rp_dataset_load_svmlight(rp_run_result *res, const rp_config *cfg, rp_error *err);

/* What the svmlight loader shares with data.stream's windows
 * (dataset_svmlight.c): res's features named f1..fp, the target "y" and
 * their plain recipe (RP_EDATA naming `file` for p = 0: no features); the
 * note that `key`'s n_qid qid: tokens were ignored, as a run warning; and
 * an index above data.n_features in data.train's `file` (st, the
 * reader's) said in those words. */
rp_status rp_dataset_svmlight_names(rp_run_result *res, const char *file, size_t p, rp_error *err);
rp_status rp_dataset_svmlight_qid(rp_run_result *res, const char *key, size_t n_qid, rp_error *err);
rp_status rp_dataset_svmlight_index_error(rp_status st, const rp_config *cfg, const char *file,
                                          rp_error *err);

/* The rows of a CSV data.test that start in bytes [start, end) (after its
 * header line) into res's test rows (X_test, y_test, offset_test, n_test),
 * as rp_dataset_load reads the whole file: by the training recipe, errors
 * at the file's own lines. */
rp_status rp_dataset_load_test_window(rp_run_result *res, const rp_config *cfg, long long start,
                                      long long end, rp_error *err);

/* data.test read as svmlight, its indices the training design's columns
 * (n_features = the training p): res->X_test_sparse, y_test (binomial: the
 * training classes).  Errors: as rp_svmlight_read; RP_EDATA for a label
 * that is neither class. */
rp_status rp_dataset_load_svmlight_test(rp_run_result *res, const rp_config *cfg, rp_error *err);

/* data.test_fraction's draw over n rows: order holds 0..n-1 shuffled with
 * data.test_seed (as scikit-learn's train_test_split), its first *k the
 * test rows; *k = 0 without a fraction.  RP_ECONFIG when fewer than 2 rows
 * would train. */
rp_status rp_dataset_test_draw(const rp_config *cfg, size_t n, size_t *order, size_t *k,
                               rp_error *err);

/* data.test_fraction: hold out ceil(fraction * n) of the n rows `rows`,
 * chosen by a shuffle seeded with data.test_seed (as scikit-learn's
 * train_test_split), into test[0..*n_test); the rest into train; both keep
 * the order of `rows`.  Without it every row trains.  Errors: RP_ECONFIG
 * for a fraction that leaves fewer than 2 rows, RP_ENOMEM. */
rp_status rp_dataset_split_rows(const rp_config *cfg, const size_t *rows, size_t n, size_t *train,
                                size_t *n_train, size_t *test, size_t *n_test, rp_error *err);

/* A numeric binomial or multinomial target `name` (n values of y, NaN for
 * none): binomial exactly two values, in numeric order read as 0 and 1
 * unless model.positive_class names the smaller; multinomial three or more,
 * in numeric order.  Into *classes, and y mapped to 0..K-1.  Errors: RP_EDATA
 * naming data.train for a count the family cannot take; RP_ECONFIG for a
 * positive_class that is neither. */
rp_status rp_dataset_numeric_classes(const rp_config *cfg, const char *name, double *y, size_t n,
                                     rp_classes *classes, rp_error *err);

/* Where the n training rows `rows` (table rows) came from: res->train_rows,
 * and res->ids, the cells of text column `id` (-1: none) of table t.  For
 * cv.keep's out-of-fold predictions (train_rows.c).  Errors: RP_ENOMEM. */
rp_status rp_dataset_keep_rows(rp_run_result *res, const rp_table *t, long id, const size_t *rows,
                               size_t n, rp_error *err);

#endif

/* storage.h (private): how a run holds X (data.storage, issue 19): dense
 * and column-major, or as compressed sparse columns that the fits read
 * through rp_design_csc without ever forming the n x p array.
 *
 * Either storage holds the same values, so the choice changes the work and
 * the memory, not the data: a CSV's encoded X can be held sparse, and an
 * svmlight file's rows dense. */
#ifndef REGPATH_STORAGE_H
#define REGPATH_STORAGE_H

#include <stddef.h>

#include "regpath/config.h"
#include "regpath/error.h"
#include "regpath/run.h"

/* The nonzero entries of the dense n x p matrix X as compressed columns
 * (*out owned by the caller: rp_sparse_columns_free).  Errors: RP_ENOMEM;
 * RP_EDATA for more rows than a uint32 row index holds. */
rp_status rp_sparse_columns_from_dense(const double *X, size_t n, size_t p, rp_sparse_columns *out,
                                       rp_error *err);

/* S as a dense column-major n x p matrix (*out malloc'd, caller frees),
 * sized first against the memory left (rp_memory_check).  Errors: RP_ENOMEM. */
rp_status rp_sparse_columns_to_dense(const rp_sparse_columns *S, double **out, rp_error *err);

/* Rows `rows` of S (n of them, increasing) into *out, in that order.
 * Errors: RP_ENOMEM. */
rp_status rp_sparse_columns_take_rows(const rp_sparse_columns *S, const size_t *rows, size_t n,
                                      rp_sparse_columns *out, rp_error *err);

/* Frees what *S holds and empties it; harmless on an empty one. */
void rp_sparse_columns_free(rp_sparse_columns *S);

/* The storage of the loaded run (each of its X and X_test held one way or
 * the other) made what cfg->storage asks, for both: "auto" is sparse when
 * the share of the training X's entries that are nonzero is below
 * RP_SPARSE_AUTO_DENSITY (tuning.h).  Sets res->nnz and res->sparse.
 * Errors: RP_ENOMEM (naming the size when a dense X would not fit). */
rp_status rp_storage_settle(rp_run_result *res, const rp_config *cfg, rp_error *err);

/* The nonzero values among the first `count` of X. */
size_t rp_dense_nonzeros(const double *X, size_t count);

#endif

/* stream.h (private): data.stream, the training rows read once, a window
 * of bytes at a time, into their sums (stream.c, summed.h), so that X is
 * never held: memory grows with p^2 and the folds, not with the rows. */
#ifndef REGPATH_STREAM_H
#define REGPATH_STREAM_H

#include "regpath/comm.h"
#include "regpath/config.h"
#include "regpath/error.h"
#include "regpath/run.h"

/* Whether the run streams: data.stream true; under "auto", when the job
 * can (rp_stream_check) and its dense X would take more than
 * data.memory_limit (by default half the memory the process may use),
 * as estimated from the files' sizes and their first lines.  Never with
 * rows spread over processes (comm). */
int rp_stream_wanted(const rp_config *cfg, const rp_comm *comm);

/* What streaming cannot do yet: RP_ECONFIG naming the key (a family other
 * than gaussian, the CV predictions, the relaxed lasso, other metrics than
 * mse and deviance, repeated CV, the folds' own grids, imputed means,
 * categorical columns, sparse storage; regpath-mpi). */
rp_status rp_stream_check(const rp_config *cfg, const rp_comm *comm, rp_error *err);

/* The training rows of data.train (one file, or its shards in order), read
 * a window at a time (rp_shard_read; an svmlight file's windows as sparse
 * rows made dense a chunk at a time, its p from data.n_features or a first
 * pass) into res->summed, with the folds: cv.fold_ids, a fold column, or
 * cv.seed's draw for the rows counted before the read (which must then be
 * the rows read).  res gets the
 * names, target, recipe and counts as rp_dataset_load gives them, and no
 * rows.  Errors: as rp_dataset_load; RP_EDATA when the counted rows were
 * not the rows read; RP_ENOMEM when the folds' statistics do not fit. */
rp_status rp_stream_load(rp_run_result *res, const rp_config *cfg, rp_error *err);

/* After the fits: data.test read a window at a time (a CSV file by the
 * training recipe, an svmlight one by index, as rp_dataset_load reads them
 * whole), or data.train again for the
 * rows data.test_fraction held out, each window's rows scored at every
 * point of every fit and dropped, into res->test_scores and n_test (mse,
 * mae, r2; deviance = mse).  Errors: as rp_dataset_load's. */
rp_status rp_stream_score_test(rp_run_result *res, const rp_config *cfg, rp_error *err);

#endif

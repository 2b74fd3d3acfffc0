/* shards.h (private): data.train as a list of shard files (shards.c). */
#ifndef REGPATH_SHARDS_H
#define REGPATH_SHARDS_H

#include "regpath/comm.h"
#include "regpath/config.h"
#include "regpath/error.h"
#include "regpath/run.h"

/* What reading the data in shards, or spreading the rows over the
 * processes of comm (NULL: one), cannot do yet: RP_ECONFIG naming the key
 * (the multinomial family, the AUC with comm, a test set, cv.keep, the relaxed lasso,
 * data.missing "mean", svmlight files, sparse storage; fewer shards than
 * processes). */
rp_status rp_shards_check(const rp_config *cfg, const rp_comm *comm, rp_error *err);

/* This process's shards (every shard without comm) read one after another
 * into res as one table (dataset.c reads each), with the whole data's row
 * count and folds: res->n_samples, fold_ids (from a fold column, cv.fold_ids
 * or none yet: assemble.c draws them), n_rows_read and the dropped rows are
 * the whole data's, n_local and local_first this process's part.  With
 * comm, every process returns the same status and error (rp_comm_agree).
 * Errors: as rp_dataset_load, naming the shard; RP_EDATA for shards whose
 * columns encode to other features than the first's. */
rp_status rp_shards_load(rp_run_result *res, const rp_config *cfg, const rp_comm *comm,
                         rp_error *err);

/* The shards of data.train (1 when it names one file), and shard s's file
 * (data.train itself then). */
size_t rp_shards_count(const rp_config *cfg);
const char *rp_shard_name(const rp_config *cfg, size_t s);

/* Shard s (of cfg's window of it, train_window_start/end, when one is set)
 * read alone into part, as data.train, without cv.fold_ids; every column
 * read as numbers but those data.categorical lists; a class target read as
 * numbers.  Errors: as rp_dataset_load, at the file's own line numbers. */
rp_status rp_shard_read(const rp_config *cfg, size_t s, rp_run_result *part, rp_error *err);

/* Whether part (read from `file`) has first's features, in order: else
 * RP_EDATA naming `file` and the first feature that differs. */
rp_status rp_shards_same_features(const rp_run_result *first, const rp_run_result *part,
                                  const char *file, const char *first_file, rp_error *err);

/* With rows spread over processes (res->comm): the whole data's targets
 * into *all (n_samples values, freed by the caller), each process's own
 * rows sent to all.  Every process gets the same status. */
rp_status rp_shards_gather_y(const rp_run_result *res, double **all, rp_error *err);

/* With rows spread over processes (res->comm): every process's rows sent
 * to all, so that each holds the whole data (X, y and the offsets, in the
 * rows' order) as one process would, and its fits need no collective
 * call; res->spread dropped, n_local = n_samples.  Every process gets the
 * same status. */
rp_status rp_shards_gather_rows(rp_run_result *res, rp_error *err);

#endif

/* regpath/comm.h: rows spread over several processes.
 *
 * A fit whose rows are held by several processes (one machine's memory is
 * not enough, or the rows are already split) needs nothing from the other
 * processes but sums and maxima over rows: the sufficient statistics of
 * the covariance route, the column means and spreads, the held-out errors
 * of each fold.  The caller supplies them here, over whatever carries them
 * (app/regpath-mpi: MPI_Allreduce on MPI_COMM_WORLD), so that the library
 * itself never depends on MPI.  Every process calls the same operations in
 * the same order, with the same counts: each is a collective.
 */
#ifndef REGPATH_COMM_H
#define REGPATH_COMM_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  size_t rank; /* this process, 0 .. size - 1 */
  size_t size; /* the processes holding rows  */
  void *ctx;   /* the caller's, passed back   */
  /* v[t] <- the sum of v[t] over every process, t < k (the same on every
   * process: a fixed order of summation, so the result is reproducible). */
  void (*sum)(void *ctx, double *v, size_t k);
  /* v[t] <- the largest v[t] over every process, t < k. */
  void (*max)(void *ctx, double *v, size_t k);
} rp_comm;

/* After a step each process took on its own (reading its shards, opening
 * the output folder): RP_OK when every process's `st` is RP_OK; else, on
 * every process, the status and the error record (message, file, line,
 * column) of the failing process of lowest rank, so that all stop with one
 * message, which one process (rank 0) reports.  comm NULL: st as it is.
 * A collective, as comm's operations. */
RP_API rp_status rp_comm_agree(const rp_comm *comm, rp_status st, rp_error *err);

#ifdef __cplusplus
}
#endif
#endif

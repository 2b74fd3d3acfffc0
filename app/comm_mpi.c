/* comm_mpi.c: app/regpath-mpi, one process of an MPI job (comm.h).  The
 * library's collective operations (regpath/comm.h) over MPI_COMM_WORLD.
 * A sum is reduced to rank 0 and broadcast from it, so that every process
 * holds the very same bits (each then takes the same steps, and makes the
 * same collective calls), and its order of summation is the one MPI_Reduce
 * fixes for a given number of processes: the same run after run. */
#include "comm.h"

#include <limits.h>
#include <mpi.h>

static rp_comm world;

/* Counts past INT_MAX go in pieces (an MPI count is an int). */
static void in_pieces(double *v, size_t k, MPI_Op op) {
  while (k > 0) {
    int m = k > (size_t)INT_MAX ? INT_MAX : (int)k;
    if (op == MPI_SUM) {
      MPI_Reduce(world.rank == 0 ? MPI_IN_PLACE : v, v, m, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
      MPI_Bcast(v, m, MPI_DOUBLE, 0, MPI_COMM_WORLD);
    } else {
      MPI_Allreduce(MPI_IN_PLACE, v, m, MPI_DOUBLE, op, MPI_COMM_WORLD);
    }
    v += m;
    k -= (size_t)m;
  }
}

static void sum(void *ctx, double *v, size_t k) {
  (void)ctx;
  in_pieces(v, k, MPI_SUM);
}

/* A maximum is exact whatever the order. */
static void max(void *ctx, double *v, size_t k) {
  (void)ctx;
  in_pieces(v, k, MPI_MAX);
}

const rp_comm *app_comm_start(int *argc, char ***argv, int *root) {
  int rank = 0, size = 1;
  MPI_Init(argc, argv);
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &size);
  world = (rp_comm){(size_t)rank, (size_t)size, NULL, sum, max};
  *root = rank == 0;
  return &world;
}

const char *app_comm_program(void) { return "regpath-mpi"; }

int app_comm_end(int code) {
  MPI_Finalize();
  return code;
}

/* comm.h: the processes of one run.  app/regpath is one process
 * (comm_none.c); app/regpath-mpi is one of the MPI job's (comm_mpi.c),
 * whose training rows are spread over all of them (regpath/comm.h). */
#ifndef REGPATH_APP_COMM_H
#define REGPATH_APP_COMM_H

#include "regpath.h"

/* Start: MPI_Init under MPI.  Returns the run's processes, or NULL for one
 * process (app/regpath); *root says whether this process writes (the
 * output, the summary, progress, warnings and errors: rank 0). */
const rp_comm *app_comm_start(int *argc, char ***argv, int *root);

/* The program's name, for its usage line: "regpath" or "regpath-mpi". */
const char *app_comm_program(void);

/* End with exit code `code`: MPI_Finalize under MPI.  Returns code. */
int app_comm_end(int code);

#endif

/* comm_none.c: app/regpath, one process (comm.h). */
#include "comm.h"

const rp_comm *app_comm_start(int *argc, char ***argv, int *root) {
  (void)argc;
  (void)argv;
  *root = 1;
  return NULL;
}

const char *app_comm_program(void) { return "regpath"; }

int app_comm_end(int code) { return code; }

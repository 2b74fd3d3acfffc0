/* comm.c: processes whose rows are spread agree on a failure
 * (regpath/comm.h). */
#include "regpath/comm.h"

#include <string.h>

/* An error record as doubles, so that the failing process's can travel by
 * comm->sum (the others add zeros, and every character is exact): status,
 * line, column, then the message's and the file's bytes. */
enum { HEAD = 3, PACKED = HEAD + RP_ERROR_MESSAGE_MAX + RP_ERROR_FILE_MAX };

static void pack(rp_status st, const rp_error *err, double *v) {
  v[0] = (double)st;
  if (!err) return;
  v[1] = (double)err->line;
  v[2] = (double)err->column;
  for (size_t i = 0; i < RP_ERROR_MESSAGE_MAX && err->message[i]; i++)
    v[HEAD + i] = (double)(unsigned char)err->message[i];
  for (size_t i = 0; i < RP_ERROR_FILE_MAX && err->file[i]; i++)
    v[HEAD + RP_ERROR_MESSAGE_MAX + i] = (double)(unsigned char)err->file[i];
}

static rp_status unpack(const double *v, rp_error *err) {
  rp_status st = (rp_status)(int)v[0];
  if (!err) return st;
  memset(err, 0, sizeof *err);
  err->status = st;
  err->line = (long)v[1];
  err->column = (long)v[2];
  for (size_t i = 0; i + 1 < RP_ERROR_MESSAGE_MAX; i++) err->message[i] = (char)(int)v[HEAD + i];
  for (size_t i = 0; i + 1 < RP_ERROR_FILE_MAX; i++)
    err->file[i] = (char)(int)v[HEAD + RP_ERROR_MESSAGE_MAX + i];
  return st;
}

rp_status rp_comm_agree(const rp_comm *comm, rp_status st, rp_error *err) {
  if (!comm) return st;
  double first = st != RP_OK ? (double)(comm->size - comm->rank) : 0.0; /* lowest rank: largest */
  comm->max(comm->ctx, &first, 1);
  if (first == 0.0) return RP_OK;
  double v[PACKED] = {0};
  if (comm->rank == comm->size - (size_t)first) pack(st, err, v);
  comm->sum(comm->ctx, v, PACKED);
  return unpack(v, err);
}

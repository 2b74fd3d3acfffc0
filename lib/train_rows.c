/* train_rows.c: where each training row came from, for cv.keep's
 * out-of-fold predictions (dataset.h). */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"

/* Cell i of text column col, "" when missing. */
static const char *cell_text(const rp_table *t, long col, size_t i) {
  double v = rp_table_column(t, (size_t)col)[i];
  return isnan(v) ? "" : t->columns[col].levels[(size_t)v];
}

rp_status rp_dataset_keep_rows(rp_run_result *res, const rp_table *t, long id, const size_t *rows,
                               size_t n, rp_error *err) {
  if (!(res->train_rows = malloc((n ? n : 1) * sizeof *res->train_rows)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  memcpy(res->train_rows, rows, n * sizeof *rows);
  if (id < 0 || t->columns[id].type != RP_COLUMN_TEXT) return RP_OK;
  if (!(res->ids = calloc(n ? n : 1, sizeof *res->ids)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t i = 0; i < n; i++)
    if (!(res->ids[i] = strdup(cell_text(t, id, rows[i]))))
      return rp_error_set(err, RP_ENOMEM, "out of memory");
  return RP_OK;
}

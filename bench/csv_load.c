/* csv_load.c: time rp_table_read_csv on one file (scripts/bench-csv.sh).
 *
 * usage: csv_load FILE [RUNS]
 * Reads FILE RUNS times (default 5) with the default options (every column
 * a number, as regpath reads a config's data today) and prints one line per
 * run: the wall seconds, then the table's shape and the sum of its values,
 * so that two builds of the reader can be checked to read the same numbers.
 * Uses only the API that every version of regpath/table.h has.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "regpath/table.h"

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 3) {
    fprintf(stderr, "usage: csv_load FILE [RUNS]\n");
    return 2;
  }
  int runs = argc == 3 ? atoi(argv[2]) : 5;
  for (int r = 0; r < runs; r++) {
    rp_table *t = NULL;
    rp_error err;
    rp_error_clear(&err);
    double start = now();
    rp_status st = rp_table_read_csv(argv[1], NULL, &t, &err);
    double seconds = now() - start;
    if (st != RP_OK) {
      fprintf(stderr, "csv_load: %s:%ld:%ld: %s\n", err.file, err.line, err.column, err.message);
      return 1;
    }
    double sum = 0.0;
    for (size_t k = 0; k < t->n_rows * t->n_cols; k++) sum += t->values[k];
    printf("%.6f %zu %zu %.17g\n", seconds, t->n_rows, t->n_cols, sum);
    rp_table_free(t);
  }
  return 0;
}

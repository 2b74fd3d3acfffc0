/* encode.h (private): a raw table into the design the solvers fit, by a
 * recipe that training learns once and predict (and a test file) replays.
 *
 * A recipe lists the source columns in design order.  A numeric column is
 * one design column of its own name; a categorical one is one 0/1 column
 * per level, levels in byte order (strcmp), named "column=level", the first
 * left out under drop_first (glmnet's makeX keeps them all: the penalty
 * makes the coding identifiable; drop_first is model.matrix's reference
 * coding).  A missing cell makes its design columns NaN until the missing
 * policy drops the row or imputes it: a numeric column by its training
 * mean, a categorical block by its training level shares (the means of its
 * 0/1 columns), as makeX(na.impute = TRUE).
 */
#ifndef REGPATH_ENCODE_H
#define REGPATH_ENCODE_H

#include <stddef.h>

#include "regpath/config.h"
#include "regpath/error.h"
#include "regpath/table.h"

/* At least 1, for sizes given to malloc: malloc(0) may return NULL, which
 * would read as out of memory. */
static inline size_t nz(size_t n) { return n > 0 ? n : 1; }

typedef struct {
  char *name;      /* the table column                                   */
  size_t n_levels; /* 0: numeric; else categorical over these levels      */
  char **levels;   /* byte order                                          */
  size_t first;    /* its first design column                            */
  size_t width;    /* its design columns: 1, or n_levels - drop_first    */
} rp_source;

typedef struct rp_recipe {
  size_t n_sources;
  rp_source *sources;
  int drop_first;
  size_t p;             /* design columns                                */
  char **feature_names; /* p names: "column" or "column=level"          */
  rp_missing missing;
  double *impute;   /* p training means under "mean", else NULL     */
  char **na_values; /* the missing-value tokens (n_na_values)        */
  size_t n_na_values;
  char *id;       /* the id column, or NULL                        */
  char **exclude; /* data.exclude (n_exclude)                      */
  size_t n_exclude;
  char *weights, *offset; /* their columns, or NULL                       */
} rp_recipe;

/* Column names and their reading types, for rp_csv_options. */
typedef struct {
  const char **names;
  rp_column_type *types;
  size_t n, cap;
} rp_column_types;

/* Add (or retype) `name`; 0 when out of memory. */
int rp_column_types_add(rp_column_types *ct, const char *name, rp_column_type type);
/* Point csv's type_names, types and n_types at ct (again after an add). */
void rp_column_types_apply(const rp_column_types *ct, rp_csv_options *csv);
void rp_column_types_free(rp_column_types *ct);

/* Reading options for new data under `r`: every source, the id (TEXT),
 * `target` (TEXT, may be NULL) and the offset (NUMBER); every other column
 * SKIP, so it is never parsed. */
rp_status rp_recipe_csv_options(const rp_recipe *r, const char *target, size_t max_line,
                                rp_column_types *ct, rp_csv_options *csv, rp_error *err);

/* A recipe over the table columns cols[0..n) (read as NUMBER or TEXT):
 * numeric or categorical as the reader found them.  A column with more than
 * max_levels levels, or with no value at all, is an RP_EDATA error naming it
 * and `file`.  Copies na_values (n), id, exclude, weights, offset. */
rp_status rp_recipe_learn(const rp_table *t, const long *cols, size_t n, const rp_config *cfg,
                          const char *id, const char *file, rp_recipe **out, rp_error *err);

/* The design of rows `rows` (n of them; table row indices) into X (n x p,
 * column-major), NaN where a cell is missing; cols[s] is source s's table
 * column.  A level the recipe does not know is an RP_EDATA error naming
 * column and level, or with unseen_zero all-zero dummies, counted in
 * *n_unseen (may be NULL). */
rp_status rp_recipe_encode(const rp_recipe *r, const rp_table *t, const long *cols,
                           const size_t *rows, size_t n, int unseen_zero, double *X,
                           size_t *n_unseen, const char *file, rp_error *err);

/* Table columns of the recipe's sources in `t`; RP_EDATA names the first
 * missing one (a feature of the model). */
rp_status rp_recipe_find_columns(const rp_recipe *r, const rp_table *t, const char *file,
                                 long *cols, rp_error *err);

/* Learn the imputation values (each design column's mean over its present
 * cells of X, n rows) into r->impute. */
rp_status rp_recipe_learn_impute(rp_recipe *r, const double *X, size_t n, rp_error *err);

/* Replace every NaN of X (n rows) by r->impute. */
void rp_recipe_impute(const rp_recipe *r, double *X, size_t n);

/* Does row i of X (n x p) have a missing (NaN) cell? */
int rp_design_row_missing(const double *X, size_t n, size_t p, size_t i);

/* Each source's first and width, and feature_names, from the sources and
 * drop_first; 0 when out of memory. */
int rp_recipe_lay_out(rp_recipe *r);

/* The recipe of a model that has none: numeric columns named like its
 * features (p names), missing values an error; NULL when out of memory. */
rp_recipe *rp_recipe_plain(char *const *names, size_t p);

/* Does r lay out exactly these p feature names? */
int rp_recipe_gives(const rp_recipe *r, char *const *names, size_t p);

rp_recipe *rp_recipe_copy(const rp_recipe *r);
void rp_recipe_free(rp_recipe *r);

#endif

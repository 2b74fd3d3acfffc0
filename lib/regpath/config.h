/* regpath/config.h: the run configuration (a JSON file), validated.
 *
 * Every key, its type, default and range is in README.md ("Config
 * reference").  Unknown keys, wrong types and values out of range are
 * RP_ECONFIG errors whose message starts with the dotted key:
 *   cv.folds: expected an integer >= 2, got "ten"
 * Relative paths are resolved against the folder of the config file.
 */
#ifndef REGPATH_CONFIG_H
#define REGPATH_CONFIG_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/cv.h"
#include "regpath/error.h"
#include "regpath/path.h"

#ifdef __cplusplus
extern "C" {
#endif

struct cJSON;

typedef enum {
  RP_RENDER_AUTO = 0, /* png when gnuplot is on PATH, else a note */
  RP_RENDER_PNG,
  RP_RENDER_SVG,
  RP_RENDER_NONE
} rp_render;

typedef enum {
  RP_LOG_BASE_10 = 0, /* x = log10(alpha), the default */
  RP_LOG_BASE_E       /* x = log(alpha), natural log, as glmnet's plots */
} rp_log_base;

/* data.categorical: which columns are one-hot encoded. */
typedef enum {
  RP_CATEGORICAL_AUTO = 0, /* a column with any cell that is neither a number nor
                              a missing-value token                           */
  RP_CATEGORICAL_LIST,     /* the listed columns; every other one is numeric   */
  RP_CATEGORICAL_NONE      /* none: every used column is numeric              */
} rp_categorical_mode;

/* data.format: how a data file is read (issue 19). */
typedef enum {
  RP_FORMAT_CSV = 0, /* a table with a header (regpath/table.h)              */
  RP_FORMAT_SVMLIGHT /* svmlight / libsvm lines "label index:value ..."      */
} rp_data_format;

/* data.storage: how X is held for the fits. */
typedef enum {
  RP_STORAGE_AUTO = 0, /* sparse when few of X's entries are nonzero, else dense */
  RP_STORAGE_DENSE,    /* column-major doubles                                   */
  RP_STORAGE_SPARSE    /* compressed sparse columns (rp_design_csc)              */
} rp_storage;

/* data.stream: whether the training rows are read once, a window at a
 * time, into their sums (issue 20), instead of held. */
typedef enum {
  RP_STREAM_AUTO = 0, /* when the dense X would pass data.memory_limit      */
  RP_STREAM_ON,       /* true                                              */
  RP_STREAM_OFF       /* false                                             */
} rp_stream_mode;

/* data.missing: what a missing value in a used column does. */
typedef enum {
  RP_MISSING_ERROR = 0, /* an error naming the first missing cell            */
  RP_MISSING_DROP,      /* the row is dropped                                */
  RP_MISSING_MEAN       /* imputed (training means and level shares); a row
                           without a target is dropped                      */
} rp_missing;

/* model.lower_limits or model.upper_limits: one number for every feature, or
 * {name: limit} for some (the others unbounded). */
typedef struct {
  double all;   /* the number, or -HUGE_VAL (lower) / HUGE_VAL (upper): none */
  char **names; /* the object's features, with their limits                 */
  double *values;
  size_t n;
} rp_config_limits;

typedef struct {
  /* data */
  char *train;         /* resolved path (required); the first shard's   */
  char **train_shards; /* data.train as a list of files, or a pattern
                          matching several (in sorted order): every shard,
                          resolved, read one after another as one table
                          (the first is `train`); NULL for one file    */
  size_t n_train_shards;
  /* Not a key: the bytes [start, end) of data.train one process of several
   * reads when they share one file out (rp_run_comm; rp_csv_options'
   * window); end 0 for the whole file. */
  long long train_window_start, train_window_end;
  char *target;    /* NULL = last column                            */
  char **features; /* NULL = every column but target and fold column */
  size_t n_features;
  char *test;              /* data.test: resolved path of a test CSV, or NULL */
  double test_fraction;    /* data.test_fraction in (0,1), 0 = none          */
  unsigned long test_seed; /* data.test_seed: seed of that split, default 1  */
  size_t max_line;         /* data.max_line_bytes: CSV line limit, default 1 MiB */
  char *id_column;         /* data.id: NULL = the empty-named first column, if any */
  char **exclude;          /* data.exclude: columns never read (n_exclude)   */
  size_t n_exclude;
  rp_categorical_mode categorical; /* data.categorical, default auto         */
  char **categorical_columns;      /* its list (RP_CATEGORICAL_LIST)              */
  size_t n_categorical;
  int drop_first;    /* data.drop_first: drop each first level, default 0 */
  size_t max_levels; /* data.max_levels: default 1000                  */
  char **na_values;  /* data.na_values: missing-value tokens; NULL =
                        rp_csv_default_na_values                       */
  size_t n_na_values;
  rp_missing missing;   /* data.missing, default error                    */
  char *weights_column; /* data.weights: a column of weights, or NULL     */
  char *offset_column;  /* data.offset: a column of offsets, or NULL      */
  /* model */
  rp_family family;        /* "gaussian" (default), "binomial", "poisson", "multinomial" */
  int multinomial_grouped; /* model.multinomial_grouped: glmnet's grouped penalty (default 0) */
  double *l1_ratios;       /* one or more values in [0,1], default {1}      */
  size_t n_l1_ratios;
  int standardize;   /* default 1 */
  int fit_intercept; /* default 1 */
  rp_convention convention;
  char **pf_names; /* model.penalty_factor: {name: factor >= 0}     */
  double *pf_values;
  size_t n_pf;
  rp_config_limits lower_limits; /* model.lower_limits (all: -HUGE_VAL when not given) */
  rp_config_limits upper_limits; /* model.upper_limits (all: HUGE_VAL when not given)  */
  int positive;                  /* model.positive: every lower limit 0 (default 0) */
  int relax;                     /* model.relax: the relaxed lasso (default 0)      */
  double *gammas;                /* model.gamma: its blends, each in [0, 1]; default
                                    {0, 0.25, 0.5, 0.75, 1} (set with relax)        */
  size_t n_gammas;
  char *positive_class; /* model.positive_class: the target value read as 1
                           (its text); NULL = the second in sorted order  */
  /* path */
  size_t n_alphas;        /* default 100                                   */
  double alpha_min_ratio; /* 0 = default by shape                          */
  double *alphas;         /* explicit decreasing grid, NULL = generated    */
  size_t n_explicit;
  int alphas_sklearn; /* path.alpha_units "sklearn": for l1_ratio 0 the
                         alphas are Ridge's, n times regpath's          */
  double tol;         /* default 1e-7                                  */
  double gap_tol;     /* default 1e-6, relative to the null objective  */
  long max_iter;      /* default 100000                                */
  int early_stop;     /* default 1                                     */
  int extend;         /* path.extend: a CV minimum at the smallest alpha
                         of a generated grid extends it (default 1)    */
  size_t extend_max;  /* path.extend_max: by at most this many points
                         (default 100)                                 */
  /* cv */
  size_t folds;       /* default 10 (ignored when fold ids are given)  */
  unsigned long seed; /* default 1                                     */
  rp_metric metric;   /* default mse; deviance for binomial, poisson   */
  int stratified;     /* cv.stratified: folds keep the class ratio;
                         default true for binomial (only allowed there) */
  rp_rule rule;       /* default 1se                                   */
  int *fold_ids;      /* cv.fold_ids as an array, or NULL              */
  size_t n_fold_ids;
  char *fold_column;      /* cv.fold_ids as a column name, or NULL         */
  size_t cv_repeats;      /* cv.repeats: fold draws, pooled (default 1)    */
  int cv_keep;            /* cv.keep: 0 false, 1 true (cv_predictions.csv),
                             2 "path" (and cv_predictions_path.csv)       */
  rp_fold_grid fold_grid; /* cv.fold_grid: "full" (default) or "own" */
  /* output */
  char *output_dir;     /* resolved, default "regpath-out"               */
  int plots;            /* output.plots: write .dat/.gp files, default 1 */
  rp_render render;     /* output.render, default auto                   */
  rp_log_base log_base; /* output.log_base: "10" (default) or "e"        */
  /* where it came from */
  char *source; /* the config file's path as given               */
  /* issue 19: sparse data (last, so that the fields above keep their places) */
  rp_data_format format;      /* data.format: how data.train is read; from its
                                 name when not given (rp_data_format_of_name) */
  rp_data_format test_format; /* how data.test is read: data.format when given,
                                 else from data.test's own name              */
  int format_given;           /* data.format was set                         */
  size_t fixed_p;             /* data.n_features: an svmlight file's p, 0 =
                                 its largest feature index                   */
  rp_storage storage;         /* data.storage, default auto                  */
  /* issue 20: streaming (last, as above) */
  rp_stream_mode stream; /* data.stream, default auto                   */
  double memory_limit;   /* data.memory_limit in bytes, 0 = the default:
                            half the memory the process may use         */
  size_t stream_window;  /* not a key: bytes read at a time when
                            streaming, 0 = the default (16 MiB)         */
} rp_config;

/* Read and validate the JSON config file `path`, after applying overrides
 * "dotted.key=JSON value" (e.g. "cv.folds=5", "model.l1_ratio=[1,0.5]"), each
 * validated like the file.  *out is owned by the caller (rp_config_free).
 * The file may hold at most 64 MiB, and every list has a cap (README.md,
 * "Limits"), checked on the text before it is parsed, overrides included.
 * Errors: RP_EIO (cannot read), RP_ECONFIG (file:line:column for JSON syntax;
 * the file for one over 64 MiB; the dotted key otherwise, with a
 * did-you-mean suggestion for unknown keys). */
RP_API rp_status rp_config_load(const char *path, const char *const *overrides, size_t n_overrides,
                                rp_config **out, rp_error *err);

/* The same from JSON text (of any length: the caller holds it already, but
 * its lists are capped all the same); relative paths resolve against
 * `base_dir` ("." when NULL) and messages name `source_name` for syntax
 * errors. */
RP_API rp_status rp_config_parse(const char *json_text, const char *source_name,
                                 const char *base_dir, const char *const *overrides,
                                 size_t n_overrides, rp_config **out, rp_error *err);

/* The effective configuration (every key, defaults filled in) as a new cJSON
 * object owned by the caller, or NULL when out of memory. */
RP_API struct cJSON *rp_config_to_json(const rp_config *cfg);

/* Fill fit options from the config for l1_ratio number `which`.  The
 * penalty_factor pointer is left NULL: it needs the chosen columns. */
RP_API void rp_config_fit_options(const rp_config *cfg, size_t which, rp_fit_options *opt);

RP_API void rp_config_free(rp_config *cfg);

/* The format a data file's name says: RP_FORMAT_SVMLIGHT for a name ending
 * in .svm, .svmlight or .libsvm, each also with .gz after it (any case);
 * RP_FORMAT_CSV for every other name (a CSV's gzip is told by its bytes). */
RP_API rp_data_format rp_data_format_of_name(const char *path);

/* "csv" or "svmlight": data.format's value, as the report echoes it. */
RP_API const char *rp_data_format_name(rp_data_format format);

#ifdef __cplusplus
}
#endif
#endif

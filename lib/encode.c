/* encode.c: a raw table into the design, by a recipe (see encode.h). */
#define _POSIX_C_SOURCE 200809L /* strdup */
#include "encode.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ------------------------------------------------------------ reading types */

int rp_column_types_add(rp_column_types *ct, const char *name, rp_column_type type) {
  for (size_t i = 0; i < ct->n; i++)
    if (strcmp(ct->names[i], name) == 0) {
      ct->types[i] = type;
      return 1;
    }
  if (ct->n == ct->cap) {
    size_t cap = ct->cap ? 2 * ct->cap : 16;
    const char **names = realloc(ct->names, cap * sizeof *names);
    if (names) ct->names = names;
    rp_column_type *types = realloc(ct->types, cap * sizeof *types);
    if (types) ct->types = types;
    if (!names || !types) return 0;
    ct->cap = cap;
  }
  ct->names[ct->n] = name;
  ct->types[ct->n++] = type;
  return 1;
}

void rp_column_types_apply(const rp_column_types *ct, rp_csv_options *csv) {
  csv->type_names = ct->names;
  csv->types = ct->types;
  csv->n_types = ct->n;
}

void rp_column_types_free(rp_column_types *ct) {
  free(ct->names);
  free(ct->types);
  memset(ct, 0, sizeof *ct);
}

rp_status rp_recipe_csv_options(const rp_recipe *r, const char *target, size_t max_line,
                                rp_column_types *ct, rp_csv_options *csv, rp_error *err) {
  int ok = 1;
  for (size_t s = 0; ok && s < r->n_sources; s++)
    ok = rp_column_types_add(ct, r->sources[s].name,
                             r->sources[s].n_levels ? RP_COLUMN_TEXT : RP_COLUMN_NUMBER);
  if (ok && r->id) ok = rp_column_types_add(ct, r->id, RP_COLUMN_TEXT);
  if (ok && target) ok = rp_column_types_add(ct, target, RP_COLUMN_TEXT);
  if (ok && r->offset) ok = rp_column_types_add(ct, r->offset, RP_COLUMN_NUMBER);
  if (!ok) return rp_error_set(err, RP_ENOMEM, "out of memory");
  memset(csv, 0, sizeof *csv);
  csv->max_line = max_line;
  csv->default_type = RP_COLUMN_SKIP;
  rp_column_types_apply(ct, csv);
  csv->na_values = (const char *const *)r->na_values;
  csv->n_na_values = r->n_na_values;
  return RP_OK;
}

/* ------------------------------------------------------------ the recipe */

static char *join_name(const char *column, const char *level) {
  size_t size = strlen(column) + strlen(level) + 2;
  char *s = malloc(size);
  if (s) {
    strcpy(s, column);
    strcat(s, "=");
    strcat(s, level);
  }
  return s;
}

static char **copy_names(const char *const *names, size_t n) {
  char **copy = calloc(n ? n : 1, sizeof *copy);
  for (size_t i = 0; copy && i < n; i++)
    if (!(copy[i] = strdup(names[i]))) {
      while (i--) free(copy[i]);
      free(copy);
      return NULL;
    }
  return copy;
}

static void free_names(char **names, size_t n) {
  for (size_t i = 0; names && i < n; i++) free(names[i]);
  free(names);
}

/* Each source's place in the design, and the design's names. */
int rp_recipe_lay_out(rp_recipe *r) {
  r->p = 0;
  for (size_t s = 0; s < r->n_sources; s++) {
    rp_source *src = &r->sources[s];
    src->first = r->p;
    src->width = src->n_levels ? src->n_levels - (r->drop_first ? 1 : 0) : 1;
    r->p += src->width;
  }
  if (!(r->feature_names = calloc(r->p ? r->p : 1, sizeof *r->feature_names))) return 0;
  for (size_t s = 0; s < r->n_sources; s++) {
    const rp_source *src = &r->sources[s];
    for (size_t k = 0; k < src->width; k++) {
      const char *level = src->n_levels ? src->levels[k + (r->drop_first ? 1 : 0)] : NULL;
      char *name = level ? join_name(src->name, level) : strdup(src->name);
      if (!(r->feature_names[src->first + k] = name)) return 0;
    }
  }
  return 1;
}

/* What is copied from the config (or a model) besides the sources. */
static int copy_settings(rp_recipe *r, const rp_config *cfg, const char *id) {
  size_t n_na = cfg->n_na_values;
  const char *const *na =
      cfg->na_values ? (const char *const *)cfg->na_values : rp_csv_default_na_values(&n_na);
  r->drop_first = cfg->drop_first;
  r->missing = cfg->missing;
  r->n_na_values = n_na;
  r->n_exclude = cfg->n_exclude;
  return (r->na_values = copy_names(na, n_na)) &&
         (r->exclude = copy_names((const char *const *)cfg->exclude, cfg->n_exclude)) &&
         (!id || (r->id = strdup(id))) &&
         (!cfg->weights_column || (r->weights = strdup(cfg->weights_column))) &&
         (!cfg->offset_column || (r->offset = strdup(cfg->offset_column)));
}

/* A used column must hold a value, and a categorical one at most max_levels. */
static rp_status check_column(const rp_table *t, long col, const rp_config *cfg, const char *file,
                              rp_error *err) {
  const rp_column_info *info = &t->columns[col];
  if (t->n_rows > 0 && info->n_missing == t->n_rows)
    return rp_error_set_at(err, RP_EDATA, file, 0, 0,
                           "column \"%s\" has no values (every cell is "
                           "missing); leave it out with data.exclude",
                           t->names[col]);
  if (info->type == RP_COLUMN_TEXT && info->n_levels > cfg->max_levels)
    return rp_error_set_at(err, RP_EDATA, file, 0, 0,
                           "column \"%s\" has %zu distinct values, more "
                           "than data.max_levels (%zu) for a categorical column; if it names the "
                           "rows, set data.id, or leave it out with data.exclude",
                           t->names[col], info->n_levels, cfg->max_levels);
  return RP_OK;
}

rp_status rp_recipe_learn(const rp_table *t, const long *cols, size_t n, const rp_config *cfg,
                          const char *id, const char *file, rp_recipe **out, rp_error *err) {
  *out = NULL;
  for (size_t s = 0; s < n; s++) {
    rp_status st = check_column(t, cols[s], cfg, file, err);
    if (st != RP_OK) return st;
  }
  rp_recipe *r = calloc(1, sizeof *r);
  int ok = r && (r->sources = calloc(n ? n : 1, sizeof *r->sources)) && copy_settings(r, cfg, id);
  if (ok) r->n_sources = n;
  for (size_t s = 0; ok && s < n; s++) {
    const rp_column_info *info = &t->columns[cols[s]];
    rp_source *src = &r->sources[s];
    ok = (src->name = strdup(t->names[cols[s]])) != NULL;
    if (ok && info->type == RP_COLUMN_TEXT) {
      ok = (src->levels = copy_names((const char *const *)info->levels, info->n_levels)) != NULL;
      if (ok) src->n_levels = info->n_levels;
    }
  }
  if (!ok || !rp_recipe_lay_out(r)) {
    rp_recipe_free(r);
    return rp_error_set(err, RP_ENOMEM, "out of memory for the design");
  }
  *out = r;
  return RP_OK;
}

rp_recipe *rp_recipe_plain(char *const *names, size_t p) {
  rp_recipe *r = calloc(1, sizeof *r);
  size_t n_na;
  const char *const *na = rp_csv_default_na_values(&n_na);
  int ok = r && (r->sources = calloc(nz(p), sizeof *r->sources)) &&
           (r->na_values = copy_names(na, n_na));
  if (ok) r->n_sources = p, r->n_na_values = n_na;
  for (size_t j = 0; ok && j < p; j++) ok = (r->sources[j].name = strdup(names[j])) != NULL;
  if (!ok || !rp_recipe_lay_out(r)) {
    rp_recipe_free(r);
    return NULL;
  }
  return r;
}

int rp_recipe_gives(const rp_recipe *r, char *const *names, size_t p) {
  if (!r || r->p != p) return 0;
  for (size_t j = 0; j < p; j++)
    if (strcmp(r->feature_names[j], names[j]) != 0) return 0;
  return 1;
}

rp_status rp_recipe_find_columns(const rp_recipe *r, const rp_table *t, const char *file,
                                 long *cols, rp_error *err) {
  for (size_t s = 0; s < r->n_sources; s++)
    if ((cols[s] = rp_table_find(t, r->sources[s].name)) < 0)
      return rp_error_set_at(err, RP_EDATA, file, 0, 0, "no column \"%s\" (a feature of the model)",
                             r->sources[s].name);
  return RP_OK;
}

/* ------------------------------------------------------------ encoding */

static int by_text(const void *key, const void *item) {
  return strcmp((const char *)key, *(char *const *)item);
}

/* For each of the table's levels of a column, the recipe's level index, or
 * -1 when the recipe does not know it. */
static long *level_map(const rp_source *src, const rp_column_info *info) {
  long *map = malloc(nz(info->n_levels) * sizeof *map);
  for (size_t k = 0; map && k < info->n_levels; k++) {
    char **hit = bsearch(info->levels[k], src->levels, src->n_levels, sizeof *src->levels, by_text);
    map[k] = hit ? (long)(hit - src->levels) : -1;
  }
  return map;
}

/* The first row whose level the recipe does not know, or n. */
static size_t first_unseen(const long *map, const double *v, const size_t *rows, size_t n) {
  for (size_t i = 0; i < n; i++) {
    double x = v[rows ? rows[i] : i];
    if (!isnan(x) && map[(size_t)x] < 0) return i;
  }
  return n;
}

/* A categorical source's block of X. */
static rp_status encode_block(const rp_recipe *r, const rp_source *src, const rp_table *t, long col,
                              const size_t *rows, size_t n, int unseen_zero, double *X,
                              size_t *n_unseen, const char *file, rp_error *err) {
  const rp_column_info *info = &t->columns[col];
  const double *v = rp_table_column(t, (size_t)col);
  if (info->type != RP_COLUMN_TEXT)
    return rp_error_set_at(err, RP_EDATA, file, 0, 0, "column \"%s\" was not read as text",
                           src->name);
  long *map = level_map(src, info);
  if (!map) return rp_error_set(err, RP_ENOMEM, "out of memory for the design");
  size_t bad = first_unseen(map, v, rows, n);
  if (bad < n && !unseen_zero) {
    const char *level = info->levels[(size_t)v[rows ? rows[bad] : bad]];
    free(map);
    return rp_error_set_at(err, RP_EDATA, file, 0, 0,
                           "column \"%s\": level \"%s\" was not seen in "
                           "training; regpath predict --unseen zero predicts it with all-zero "
                           "dummies",
                           src->name, level);
  }
  size_t skip = r->drop_first ? 1 : 0;
  for (size_t i = 0; i < n; i++) {
    double x = v[rows ? rows[i] : i];
    long level = isnan(x) ? -1 : map[(size_t)x];
    if (!isnan(x) && level < 0 && n_unseen) ++*n_unseen;
    for (size_t k = 0; k < src->width; k++)
      X[(src->first + k) * n + i] = isnan(x) ? NAN : (double)(level == (long)(k + skip));
  }
  free(map);
  return RP_OK;
}

rp_status rp_recipe_encode(const rp_recipe *r, const rp_table *t, const long *cols,
                           const size_t *rows, size_t n, int unseen_zero, double *X,
                           size_t *n_unseen, const char *file, rp_error *err) {
  if (n_unseen) *n_unseen = 0;
  for (size_t s = 0; s < r->n_sources; s++) {
    const rp_source *src = &r->sources[s];
    if (src->n_levels) {
      rp_status st = encode_block(r, src, t, cols[s], rows, n, unseen_zero, X, n_unseen, file, err);
      if (st != RP_OK) return st;
      continue;
    }
    const double *v = rp_table_column(t, (size_t)cols[s]);
    double *dst = X + src->first * n;
    for (size_t i = 0; i < n; i++) dst[i] = v[rows ? rows[i] : i];
  }
  return RP_OK;
}

/* ------------------------------------------------------------ missing values */

rp_status rp_recipe_learn_impute(rp_recipe *r, const double *X, size_t n, rp_error *err) {
  free(r->impute);
  if (!(r->impute = malloc(nz(r->p) * sizeof *r->impute)))
    return rp_error_set(err, RP_ENOMEM, "out of memory");
  for (size_t j = 0; j < r->p; j++) {
    double sum = 0.0;
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
      if (!isnan(X[j * n + i])) sum += X[j * n + i], m++;
    if (m == 0)
      return rp_error_set(err, RP_EDATA,
                          "column \"%s\" has no values in the training rows; leave it "
                          "out with data.exclude",
                          r->feature_names[j]);
    r->impute[j] = sum / (double)m;
  }
  return RP_OK;
}

void rp_recipe_impute(const rp_recipe *r, double *X, size_t n) {
  for (size_t j = 0; r->impute && j < r->p; j++)
    for (size_t i = 0; i < n; i++)
      if (isnan(X[j * n + i])) X[j * n + i] = r->impute[j];
}

int rp_design_row_missing(const double *X, size_t n, size_t p, size_t i) {
  for (size_t j = 0; j < p; j++)
    if (isnan(X[j * n + i])) return 1;
  return 0;
}

/* ------------------------------------------------------------ lifetime */

static int copy_string(char **dst, const char *src) { return !src || (*dst = strdup(src)) != NULL; }

rp_recipe *rp_recipe_copy(const rp_recipe *r) {
  rp_recipe *c = calloc(1, sizeof *c);
  int ok = c && (c->sources = calloc(r->n_sources ? r->n_sources : 1, sizeof *c->sources));
  if (ok) {
    c->n_sources = r->n_sources;
    c->drop_first = r->drop_first;
    c->missing = r->missing;
    c->n_na_values = r->n_na_values;
    c->n_exclude = r->n_exclude;
  }
  for (size_t s = 0; ok && s < r->n_sources; s++) {
    ok = copy_string(&c->sources[s].name, r->sources[s].name) &&
         (!r->sources[s].n_levels ||
          (c->sources[s].levels =
               copy_names((const char *const *)r->sources[s].levels, r->sources[s].n_levels)));
    if (ok) c->sources[s].n_levels = r->sources[s].n_levels;
  }
  ok = ok && (c->na_values = copy_names((const char *const *)r->na_values, r->n_na_values)) &&
       (c->exclude = copy_names((const char *const *)r->exclude, r->n_exclude)) &&
       copy_string(&c->id, r->id) && copy_string(&c->weights, r->weights) &&
       copy_string(&c->offset, r->offset) && rp_recipe_lay_out(c);
  if (ok && r->impute && (c->impute = malloc(r->p * sizeof *c->impute)))
    memcpy(c->impute, r->impute, r->p * sizeof *c->impute);
  if (!ok || (r->impute && !c->impute)) {
    rp_recipe_free(c);
    return NULL;
  }
  return c;
}

void rp_recipe_free(rp_recipe *r) {
  if (!r) return;
  for (size_t s = 0; r->sources && s < r->n_sources; s++) {
    free(r->sources[s].name);
    free_names(r->sources[s].levels, r->sources[s].n_levels);
  }
  free(r->sources);
  free_names(r->feature_names, r->p);
  free(r->impute);
  free_names(r->na_values, r->n_na_values);
  free_names(r->exclude, r->n_exclude);
  free(r->id);
  free(r->weights);
  free(r->offset);
  free(r);
}

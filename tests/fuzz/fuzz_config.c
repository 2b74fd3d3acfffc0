/* fuzz_config.c: the config reader (lib/config.c) under fuzzing; see
 * harness.h.
 *
 * The bytes before the first NUL are the JSON text; the NUL-separated pieces
 * after it are "--set" overrides, so that one corpus covers both.  The text
 * is parsed with rp_config_parse (base folder /tmp) and, written to a scratch
 * file, read again with rp_config_load, which must say exactly the same when
 * told the same folder.  A config that parses must hold values in the ranges
 * README.md documents, and its effective config (rp_config_to_json) must
 * parse again, without overrides, to the same effective config: that is what
 * the report echoes, and users copy it into new configs.  An error must be
 * RP_ECONFIG with *out NULL, a one-line message and, for JSON syntax, a
 * position inside the text.
 */
#define _POSIX_C_SOURCE 200809L
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "regpath/config.h"

#define BASE_DIR "/tmp"

static const char HARNESS[] = "fuzz_config";

typedef struct {
  rp_status st;
  rp_error err;
  rp_config *cfg;
  char *json; /* the effective config, compact, when st is RP_OK */
} outcome;

static void finish(outcome *o) {
  if (o->st != RP_OK) return;
  cJSON *tree = rp_config_to_json(o->cfg);
  o->json = tree ? cJSON_PrintUnformatted(tree) : NULL;
  cJSON_Delete(tree);
}

static void parse_with(const char *text, const char *source, const char *base_dir,
                       const char *const *ov, size_t n_ov, outcome *o) {
  rp_error_clear(&o->err);
  o->cfg = (rp_config *)(void *)o; /* anything but NULL: an error must reset it */
  o->json = NULL;
  o->st = rp_config_parse(text, source, base_dir, ov, n_ov, &o->cfg, &o->err);
  finish(o);
}

static void load_with(const char *path, const char *const *ov, size_t n_ov, outcome *o) {
  rp_error_clear(&o->err);
  o->cfg = (rp_config *)(void *)o;
  o->json = NULL;
  o->st = rp_config_load(path, ov, n_ov, &o->cfg, &o->err);
  finish(o);
}

static void release(outcome *o) {
  if (o->st == RP_OK) rp_config_free(o->cfg);
  cJSON_free(o->json);
}

/* Length of line `k` (1-based) of `text`, or -1 when it has fewer lines. */
static long line_length(const char *text, long k) {
  for (long i = 1; i < k; i++) {
    text = strchr(text, '\n');
    if (!text) return -1;
    text++;
  }
  return (long)strcspn(text, "\n");
}

static int check_config(const outcome *o, const char *what) {
  const rp_config *c = o->cfg;
  if (!c || !o->json)
    return fuzz_fail(HARNESS, "%s: RP_OK but config %p, effective JSON %p", what, (const void *)c,
                     (void *)o->json);
  if (!c->train || !c->train[0] || !c->output_dir || !c->output_dir[0])
    return fuzz_fail(HARNESS, "%s: no data.train or output.dir", what);
  if (c->n_l1_ratios < 1 || !c->l1_ratios)
    return fuzz_fail(HARNESS, "%s: %zu l1_ratios", what, c->n_l1_ratios);
  for (size_t i = 0; i < c->n_l1_ratios; i++)
    if (!(c->l1_ratios[i] >= 0.0 && c->l1_ratios[i] <= 1.0))
      return fuzz_fail(HARNESS, "%s: l1_ratio[%zu] = %g", what, i, c->l1_ratios[i]);
  if (c->max_line < 16) return fuzz_fail(HARNESS, "%s: data.max_line_bytes %zu", what, c->max_line);
  if (c->n_alphas < 1 || c->folds < 2 || c->max_iter < 1 || !(c->tol > 0.0) ||
      !(c->gap_tol >= 0.0) || !isfinite(c->tol) || !isfinite(c->gap_tol))
    return fuzz_fail(HARNESS, "%s: n_alphas %zu, folds %zu, max_iter %ld, tol %g, gap_tol %g", what,
                     c->n_alphas, c->folds, c->max_iter, c->tol, c->gap_tol);
  if (!(c->alpha_min_ratio >= 0.0 && c->alpha_min_ratio < 1.0) ||
      !(c->test_fraction >= 0.0 && c->test_fraction < 1.0))
    return fuzz_fail(HARNESS, "%s: alpha_min_ratio %g, test_fraction %g", what, c->alpha_min_ratio,
                     c->test_fraction);
  if (c->test && c->test_fraction > 0.0)
    return fuzz_fail(HARNESS, "%s: both data.test and data.test_fraction", what);
  if ((c->alphas == NULL) != (c->n_explicit == 0))
    return fuzz_fail(HARNESS, "%s: alphas %p with n_explicit %zu", what, (void *)c->alphas,
                     c->n_explicit);
  for (size_t i = 0; i < c->n_explicit; i++)
    if (!(c->alphas[i] > 0.0 && isfinite(c->alphas[i])) ||
        (i > 0 && !(c->alphas[i] < c->alphas[i - 1])))
      return fuzz_fail(HARNESS, "%s: alphas[%zu] = %g", what, i, c->alphas[i]);
  if ((c->features == NULL) != (c->n_features == 0))
    return fuzz_fail(HARNESS, "%s: features %p with n_features %zu", what, (void *)c->features,
                     c->n_features);
  for (size_t i = 0; i < c->n_features; i++)
    if (!c->features[i] || !c->features[i][0])
      return fuzz_fail(HARNESS, "%s: features[%zu] NULL or empty", what, i);
  for (size_t i = 0; i < c->n_pf; i++)
    if (!c->pf_names[i] || !(c->pf_values[i] >= 0.0 && isfinite(c->pf_values[i])))
      return fuzz_fail(HARNESS, "%s: penalty_factor %zu", what, i);
  if (c->fold_ids && c->fold_column)
    return fuzz_fail(HARNESS, "%s: both fold ids and a fold column", what);
  for (size_t i = 0; i < c->n_fold_ids; i++)
    if (c->fold_ids[i] < 1)
      return fuzz_fail(HARNESS, "%s: fold_ids[%zu] = %d", what, i, c->fold_ids[i]);
  return 0;
}

static int check_error(const outcome *o, const char *text, const char *what) {
  const rp_error *e = &o->err;
  if (o->cfg) return fuzz_fail(HARNESS, "%s: status %d but *out is not NULL", what, (int)o->st);
  if (o->st != RP_ECONFIG || e->status != o->st)
    return fuzz_fail(HARNESS, "%s: status %d (error record %d), expected RP_ECONFIG: %s", what,
                     (int)o->st, (int)e->status, e->message);
  if (!e->message[0]) return fuzz_fail(HARNESS, "%s: empty error message", what);
  for (const char *p = e->message; *p; p++)
    if ((unsigned char)*p < 0x20)
      return fuzz_fail(HARNESS, "%s: control character 0x%02x in the message", what, (unsigned)*p);
  if (e->line < 0 || e->column < 0 || (e->line == 0 && e->column != 0))
    return fuzz_fail(HARNESS, "%s: position %ld:%ld: %s", what, e->line, e->column, e->message);
  if (e->line > 0) {
    /* Positions are counted after a UTF-8 byte-order mark. */
    if (strncmp(text, "\xEF\xBB\xBF", 3) == 0) text += 3;
    long len = line_length(text, e->line);
    if (len < 0 || e->column > len + 1)
      return fuzz_fail(HARNESS, "%s: error at %ld:%ld, outside the text: %s", what, e->line,
                       e->column, e->message);
  }
  return 0;
}

static int check_outcome(const outcome *o, const char *text, const char *what) {
  return o->st == RP_OK ? check_config(o, what) : check_error(o, text, what);
}

static int same_outcome(const outcome *a, const outcome *b, const char *what) {
  if (a->st != b->st)
    return fuzz_fail(HARNESS, "%s: status %d (%s) against %d (%s)", what, (int)a->st,
                     a->err.message, (int)b->st, b->err.message);
  if (a->st != RP_OK) {
    if (strcmp(a->err.message, b->err.message) != 0 || strcmp(a->err.file, b->err.file) != 0 ||
        a->err.line != b->err.line || a->err.column != b->err.column)
      return fuzz_fail(HARNESS, "%s: \"%s:%ld:%ld: %s\" against \"%s:%ld:%ld: %s\"", what,
                       a->err.file, a->err.line, a->err.column, a->err.message, b->err.file,
                       b->err.line, b->err.column, b->err.message);
    return 0;
  }
  if (strcmp(a->json, b->json) != 0)
    return fuzz_fail(HARNESS, "%s: effective configs differ:\n  %s\n  %s", what, a->json, b->json);
  return 0;
}

/* The effective config, parsed again, must give itself back. */
static int round_trip(const outcome *o) {
  outcome again;
  parse_with(o->json, "effective.json", BASE_DIR, NULL, 0, &again);
  int bad = 0;
  if (again.st != RP_OK)
    bad = fuzz_fail(HARNESS, "the effective config does not parse: %s:%ld:%ld: %s\n  %s",
                    again.err.file, again.err.line, again.err.column, again.err.message, o->json);
  else if (!again.json || strcmp(again.json, o->json) != 0)
    bad = fuzz_fail(HARNESS, "the effective config changes when parsed again:\n  %s\n  %s", o->json,
                    again.json ? again.json : "(none)");
  release(&again);
  return bad;
}

/* The folder part of `path` ("/dev/shm/x" -> "/dev/shm"), in buf. */
static void folder_of(const char *path, char *buf, size_t size) {
  const char *slash = strrchr(path, '/');
  size_t n = slash ? (size_t)(slash - path) : 0;
  snprintf(buf, size, "%.*s", (int)n, n ? path : ".");
}

int fuzz_config_one(const uint8_t *data, size_t size) {
  char *copy = malloc(size + 1);
  if (!copy) return fuzz_fail(HARNESS, "out of memory in the harness");
  if (size) memcpy(copy, data, size);
  copy[size] = '\0';
  const char *ov[FUZZ_MAX_OVERRIDES];
  size_t n_ov = 0, text_len = strlen(copy);
  for (size_t at = text_len; at < size && n_ov < FUZZ_MAX_OVERRIDES;) {
    ov[n_ov++] = copy + at + 1; /* just past a NUL; the last one ends at copy[size] */
    at += 1 + strlen(copy + at + 1);
  }

  int bad = 0;
  outcome parsed, loaded, here;
  parse_with(copy, "fuzz.json", BASE_DIR, ov, n_ov, &parsed);
  bad |= check_outcome(&parsed, copy, "rp_config_parse");
  if (!bad && parsed.st == RP_OK) bad |= round_trip(&parsed);

  /* rp_config_load reads the same text from a file and resolves paths
   * against the file's folder. */
  const char *path = fuzz_scratch_path("config.json");
  if (!path || fuzz_write_file(path, data, text_len) != 0) {
    bad |= fuzz_fail(HARNESS, "cannot write the scratch file %s", path ? path : "(none)");
  } else {
    char dir[512];
    folder_of(path, dir, sizeof dir);
    load_with(path, ov, n_ov, &loaded);
    parse_with(copy, path, dir, ov, n_ov, &here);
    if (!bad) bad |= check_outcome(&loaded, copy, "rp_config_load");
    if (!bad) bad |= same_outcome(&loaded, &here, "rp_config_load against rp_config_parse");
    release(&loaded);
    release(&here);
  }
  release(&parsed);
  free(copy);
  return bad;
}

#ifdef RP_FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (fuzz_config_one(data, size) != 0) abort(); /* libFuzzer saves the input */
  return 0;
}
#endif

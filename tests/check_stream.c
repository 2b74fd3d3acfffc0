/* check_stream.c: data.stream, the training rows read once, a window of
 * bytes at a time, into their sums (lib/stream.c, lib/summed.c).  The
 * oracle is the same job on the rows held in memory: its paths, duality
 * gaps, CV curves, fold errors and choices, which come from the rows
 * themselves (the statistics summed over them directly; each held-out row
 * scored at its own prediction), must agree with the streamed run's (the
 * statistics added window by window; the held-out error as a quadratic
 * form of the fold's statistics) to 1e-9, and its strings, counts and
 * choices exactly.  The windows here are a few hundred bytes, so that the
 * rows cross dozens of them.  Then what streaming refuses, each in one
 * line naming the key, and a bad cell named at its own line. */
#define _DEFAULT_SOURCE
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "regpath/config.h"
#include "regpath/run.h"
#include "summed.h"
#include "testutil.h"

#define PATH_LEN 4096
#define N_ROWS 400
#define TOL 1e-9
#define WINDOW 300 /* bytes: about six rows */

static char dir[PATH_LEN];

static void setup(void) {
  snprintf(dir, sizeof dir, "/tmp/regpath-stream-XXXXXX");
  ck_assert(mkdtemp(dir) != NULL);
}

static void teardown(void) {
  char cmd[PATH_LEN + 16];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* ------------------------------------------------------------ the data */

static unsigned long long state;

/* Uniform in (0, 1): xorshift64*, so the data are the same everywhere. */
static double uniform(void) {
  state ^= state >> 12, state ^= state << 25, state ^= state >> 27;
  return ((double)((state * 2685821657736338717ULL) >> 11) + 0.5) / 9007199254740992.0;
}

/* Row i: five correlated features on their own scales and offsets; z,
 * which is 0 but in fold 3 (so constant on the other folds' rows: fold
 * 3's training rows); c, constant; a weight, a fold id, an offset and the
 * target.  The row at `bad` gets a cell that is not a number. */
static void write_rows(FILE *f, size_t first, size_t end, size_t bad) {
  for (size_t i = first; i < end; i++) {
    double x[5], common = uniform() - 0.5;
    for (int j = 0; j < 5; j++) x[j] = (j + 1.0) * (uniform() - 0.5 + 0.6 * common) + 10.0 * j;
    int fold = (int)(i % 4) + 1;
    double z = fold == 3 ? uniform() : 0.0, w = 0.5 + uniform(), o = 0.3 * (uniform() - 0.5);
    double y = 3.0 * x[0] - 0.75 * x[1] + 0.2 * x[3] + 2.0 * z + 2.0 * (uniform() - 0.5) + 7.0;
    if (i == bad)
      fprintf(f, "%.12g,oops,", x[0]);
    else
      fprintf(f, "%.12g,%.12g,", x[0], x[1]);
    fprintf(f, "%.12g,%.12g,%.12g,%.12g,2.5,%.6g,%d,%.6g,%.12g\n", x[2], x[3], x[4], z, w, fold, o,
            y + o);
  }
}

static const char HEADER[] = "x1,x2,x3,x4,x5,z,c,w,fold,o,y\n";

/* all.csv, and its rows cut in two: a.csv and b.csv. */
static void write_data(size_t bad) {
  char path[PATH_LEN + 16];
  FILE *files[3];
  const char *names[3] = {"all.csv", "a.csv", "b.csv"};
  for (int k = 0; k < 3; k++) {
    snprintf(path, sizeof path, "%s/%s", dir, names[k]);
    ck_assert((files[k] = fopen(path, "w")) != NULL);
    fputs(HEADER, files[k]);
  }
  state = 88172645463325252ULL;
  write_rows(files[0], 0, N_ROWS, bad);
  state = 88172645463325252ULL;
  write_rows(files[1], 0, 150, bad);
  write_rows(files[2], 150, N_ROWS, bad); /* the stream goes on from a's last row */
  for (int k = 0; k < 3; k++) ck_assert(fclose(files[k]) == 0);
}

/* ------------------------------------------------------------ running */

/* The config `json` (its paths relative to dir) with `set` applied ("key=value"
 * overrides, NULL-terminated), parsed; the windows WINDOW bytes. */
static rp_config *config(const char *json, const char *const *set) {
  rp_config *cfg;
  rp_error err;
  size_t n = 0;
  while (set && set[n]) n++;
  ck_assert_msg(rp_config_parse(json, "test", dir, set, n, &cfg, &err) == RP_OK, "config: %s",
                err.message);
  cfg->stream_window = WINDOW;
  return cfg;
}

/* The run of `json` with data.stream `stream` ("true", "false", "auto"). */
static rp_status run(const char *json, const char *stream, const char *extra, rp_run_result **res,
                     rp_error *err) {
  char s[64];
  snprintf(s, sizeof s, "data.stream=%s", stream);
  const char *set[] = {s, extra, NULL};
  rp_config *cfg = config(json, set);
  rp_status st = rp_run(cfg, NULL, NULL, res, err);
  rp_config_free(cfg);
  return st;
}

static rp_run_result *run_ok(const char *json, const char *stream, const char *extra) {
  rp_run_result *res;
  rp_error err;
  rp_status st = run(json, stream, extra, &res, &err);
  ck_assert_msg(st == RP_OK, "data.stream %s: %s", stream, err.message);
  return res;
}

/* ------------------------------------------------------------ comparing */

static double worst;

static void near(double a, double b, const char *what, size_t i) {
  double d = a == b ? 0.0 : fabs(a - b) / fmax(1.0, fabs(a));
  if (isnan(a) && isnan(b)) d = 0.0;
  if (d > worst) worst = d;
  ck_assert_msg(d <= TOL, "%s[%zu]: %.17g streamed, %.17g held", what, i, b, a);
}

static void near_all(const double *a, const double *b, size_t n, const char *what) {
  for (size_t i = 0; i < n; i++) near(a[i], b[i], what, i);
}

/* Every fit's path and CV of the streamed run `b` against the held run `a`. */
static void same_runs(const rp_run_result *a, const rp_run_result *b) {
  ck_assert_uint_eq(b->n_fits, a->n_fits);
  ck_assert_uint_eq(b->n_samples, a->n_samples);
  ck_assert_uint_eq(b->n_folds, a->n_folds);
  ck_assert_uint_eq(b->nnz, a->nnz);
  ck_assert(b->summed != NULL && a->summed == NULL);
  for (size_t f = 0; f < a->n_fits; f++) {
    const rp_path *P = a->paths[f], *Q = b->paths[f];
    const rp_cv *C = a->cvs[f], *D = b->cvs[f];
    ck_assert_uint_eq(Q->n_alphas, P->n_alphas);
    near_all(P->alphas, Q->alphas, P->n_alphas, "alphas");
    near_all(P->intercept, Q->intercept, P->n_alphas, "intercept");
    near_all(P->coef, Q->coef, P->n_alphas * P->p, "coef");
    near_all(P->dual_gap, Q->dual_gap, P->n_alphas, "dual_gap");
    for (size_t j = 0; j < P->p; j++) ck_assert_int_eq(Q->constant[j], P->constant[j]);
    ck_assert_uint_eq(D->n_alphas, C->n_alphas);
    near_all(C->mean, D->mean, C->n_alphas, "cv mean");
    near_all(C->std_error, D->std_error, C->n_alphas, "cv std_error");
    near_all(C->fold_error, D->fold_error, C->n_folds * C->n_alphas, "fold_error");
    near_all(C->fold_weight, D->fold_weight, C->n_folds, "fold_weight");
    for (size_t k = 0; k < C->n_folds; k++) ck_assert_uint_eq(D->fold_size[k], C->fold_size[k]);
    for (size_t t = 0; t < C->n_alphas * C->p; t++)
      ck_assert_uint_eq(D->fold_nonzero[t], C->fold_nonzero[t]);
    ck_assert_uint_eq(D->index_min, C->index_min);
    ck_assert_uint_eq(D->index_1se, C->index_1se);
  }
  ck_assert_uint_eq(b->selected_fit, a->selected_fit);
  ck_assert_uint_eq(b->selected_index, a->selected_index);
  ck_assert_uint_eq(b->n_test, a->n_test);
  for (size_t f = 0; a->n_test && f < a->n_fits; f++)
    for (size_t k = 0; k < a->paths[f]->n_alphas; k++) {
      const rp_scores *s = &a->test_scores[f][k], *t = &b->test_scores[f][k];
      near(s->mse, t->mse, "test mse", k);
      near(s->mae, t->mae, "test mae", k);
      near(s->r2, t->r2, "test r2", k);
    }
}

/* ------------------------------------------------------------ the cases */

#define FEATURES "\"features\": [\"x1\", \"x2\", \"x3\", \"x4\", \"x5\", \"z\", \"c\"]"

/* The jobs: cv.seed's folds; weights, an offset, the fold column (on
 * whose fold 3 z is the only column not constant) and two l1_ratios,
 * scored by deviance; cv.fold_ids in the config, without standardizing;
 * the same rows as two shards; a test file (read a window at a time after
 * the fits) with an offset; test fractions (the rows read twice), with
 * cv.seed's folds and an offset, and with a fold column and weights (in
 * shards the rows held in memory cannot take a test fraction yet). */
static const char *const JOBS[] = {
    "{\"data\": {\"train\": \"all.csv\", \"target\": \"y\", " FEATURES "}, \"cv\": {\"seed\": 7}}",
    "{\"data\": {\"train\": \"all.csv\", \"target\": \"y\", \"weights\": \"w\", \"offset\": "
    "\"o\", " FEATURES "}, \"cv\": {\"fold_ids\": \"fold\", \"metric\": \"deviance\"}, \"model\": "
    "{\"l1_ratio\": [1, 0.3]}}",
    "{\"data\": {\"train\": \"all.csv\", \"target\": \"y\", " FEATURES
    "}, \"model\": {\"standardize\": false}, \"path\": {\"n_alphas\": 30}}",
    "{\"data\": {\"train\": [\"a.csv\", \"b.csv\"], \"target\": \"y\", " FEATURES
    "}, \"cv\": {\"seed\": 3, \"folds\": 5}}",
    "{\"data\": {\"train\": \"a.csv\", \"test\": \"b.csv\", \"target\": \"y\", \"offset\": "
    "\"o\", " FEATURES "}, \"model\": {\"l1_ratio\": [1, 0.5]}}",
    "{\"data\": {\"train\": \"all.csv\", \"test_fraction\": 0.3, \"test_seed\": 5, \"target\": "
    "\"y\", \"offset\": \"o\", " FEATURES "}, \"cv\": {\"seed\": 2}}",
    "{\"data\": {\"train\": \"all.csv\", \"test_fraction\": 0.2, \"target\": \"y\", "
    "\"weights\": \"w\", " FEATURES "}, \"cv\": {\"fold_ids\": \"fold\"}}"};

START_TEST(streamed_is_held) {
  write_data(N_ROWS);
  char ids[16 * N_ROWS + 32] = "cv.fold_ids=[";
  for (size_t i = 0; i < N_ROWS; i++)
    snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%zu", i ? "," : "", (i * 7) % 3 + 1);
  strcat(ids, "]");
  for (size_t job = 0; job < sizeof JOBS / sizeof *JOBS; job++) {
    const char *extra = job == 2 ? ids : NULL;
    rp_run_result *held = run_ok(JOBS[job], "false", extra);
    rp_run_result *streamed = run_ok(JOBS[job], "true", extra);
    worst = 0.0;
    if (job == 4) ck_assert_uint_eq(held->n_test, N_ROWS - 150); /* b.csv */
    if (job == 5) ck_assert_uint_eq(held->n_test, 3 * N_ROWS / 10);
    same_runs(held, streamed);
    printf("job %zu: streamed against held: worst relative difference %.3g\n", job, worst);
    rp_run_free(held);
    rp_run_free(streamed);
  }
}
END_TEST

/* The summed set against its rows, summed here: 200 rows of 4 columns,
 * weights and 3 folds added in blocks of 17.  Each fold's weighted sum of
 * squared residuals at other coefficients (rp_summed_loss, the CV's
 * held-out error), the total's sums, and the constant columns: column 2
 * is 0 but in fold 2 (constant on fold 2's training rows only), column 3
 * is 1.5 everywhere. */
START_TEST(summed_is_its_rows) {
  enum { N = 200, P = 4, K = 3, BLOCK = 17 };
  double x[N * P], y[N], v[N], b[P] = {0.7, -1.3, 2.0, 0.4}, b0 = -0.6;
  int fold[N];
  state = 2463534242ULL;
  for (size_t i = 0; i < N; i++) {
    fold[i] = (int)(i % K) + 1;
    x[i] = 50.0 + uniform(), x[i + N] = 3.0 * uniform() - 100.0;
    x[i + 2 * N] = fold[i] == 2 ? uniform() : 0.0, x[i + 3 * N] = 1.5;
    y[i] = 2.0 * x[i] - x[i + N] + uniform(), v[i] = 0.25 + uniform();
  }
  rp_summed *S;
  rp_error err;
  ck_assert_int_eq(rp_summed_alloc(P, &S, &err), RP_OK);
  for (size_t first = 0; first < N; first += BLOCK) {
    size_t m = N - first < BLOCK ? N - first : BLOCK;
    double block[BLOCK * P];
    for (size_t j = 0; j < P; j++) memcpy(block + j * m, x + j * N + first, m * sizeof *x);
    rp_matrix M = {m, P, m, block};
    ck_assert_int_eq(rp_summed_add(S, &M, y + first, v + first, fold + first, &err), RP_OK);
  }
  ck_assert_int_eq(rp_summed_finish(S, &err), RP_OK);
  ck_assert_uint_eq(S->n_folds, K);
  ck_assert_uint_eq(S->n, N);
  double W = 0.0, loss[K] = {0.0};
  for (size_t i = 0; i < N; i++) {
    double r = y[i] - b0;
    for (size_t j = 0; j < P; j++) r -= b[j] * x[i + j * N];
    loss[fold[i] - 1] += v[i] * r * r;
    W += v[i];
  }
  for (size_t k = 0; k < K; k++) {
    double got = rp_summed_loss(S->held_out[k], S->mu, S->w, S->mu_y, b, b0);
    ck_assert_msg(fabs(got - loss[k]) <= 1e-10 * loss[k], "fold %zu: %.17g against %.17g", k + 1,
                  got, loss[k]);
    for (size_t j = 0; j < P; j++) /* training rows of fold k, then (k = K) every row */
      ck_assert_int_eq(S->constant[k * (P + 1) + j], j == 3 || (j == 2 && k == 1));
    ck_assert_int_eq(S->constant[k * (P + 1) + P], 0);
  }
  for (size_t j = 0; j < P; j++) ck_assert_int_eq(S->constant[K * (P + 1) + j], j == 3);
  ck_assert_msg(fabs(S->total->sw - W) <= 1e-12 * W, "%.17g against %.17g", S->total->sw, W);
  rp_summed_free(S);
}
END_TEST

/* data.stream "auto" streams when the dense X would pass
 * data.memory_limit, and holds the rows when it would not; a gzip file too
 * (its size from its trailer). */
START_TEST(auto_streams_past_the_limit) {
  write_data(N_ROWS);
  rp_run_result *res = run_ok(JOBS[0], "\"auto\"", "data.memory_limit=\"1K\"");
  ck_assert(res->summed != NULL);
  rp_run_free(res);
  res = run_ok(JOBS[0], "\"auto\"", NULL);
  ck_assert(res->summed == NULL);
  rp_run_free(res);
  char from[PATH_LEN + 16]; /* a gzip file: its size from its trailer */
  snprintf(from, sizeof from, "%s/all.csv", dir);
  tu_gzip_copy(from);
  const char *gz = "{\"data\": {\"train\": \"all.csv.gz\", \"target\": \"y\", " FEATURES "}}";
  res = run_ok(gz, "\"auto\"", "data.memory_limit=\"1K\"");
  ck_assert(res->summed != NULL);
  rp_run_free(res);
}
END_TEST

/* A text column (categorical under data.categorical "auto") cannot be
 * streamed: data.stream true says so, naming it; "auto" holds the rows;
 * the same in a gzip copy, whose first window is probed as it is read. */
START_TEST(text_columns_are_held) {
  char path[PATH_LEN + 16];
  snprintf(path, sizeof path, "%s/text.csv", dir);
  FILE *f = fopen(path, "w");
  ck_assert(f != NULL);
  fputs("x1,colour,y\n", f);
  for (int i = 0; i < 40; i++) fprintf(f, "%d,%s,%d\n", i, i % 3 ? "red" : "blue", 2 * i + i % 3);
  ck_assert(fclose(f) == 0);
  tu_gzip_copy(path);
  const char *const jobs[] = {
      "{\"data\": {\"train\": \"text.csv\", \"target\": \"y\"}, \"cv\": {\"folds\": 4}}",
      "{\"data\": {\"train\": \"text.csv.gz\", \"target\": \"y\"}, \"cv\": {\"folds\": 4}}"};
  for (int k = 0; k < 2; k++) {
    rp_run_result *res = NULL;
    rp_error err;
    ck_assert_int_eq(run(jobs[k], "true", NULL, &res, &err), RP_EDATA);
    ck_assert_msg(strstr(err.message, "column \"colour\" holds text") != NULL, "%s", err.message);
    res = run_ok(jobs[k], "\"auto\"", "data.memory_limit=1");
    ck_assert(res->summed == NULL);
    rp_run_free(res);
  }
}
END_TEST

/* What streaming cannot do (yet) is refused in one line naming the key;
 * so are fold ids for fewer rows than the file's (known by the window that
 * passes them). */
START_TEST(refusals) {
  write_data(N_ROWS);
  static const char *const cases[][2] = {
      {"model.family=\"poisson\"", "model.family: data.stream takes the gaussian family only"},
      {"cv.metric=\"mae\"", "cv.metric: a metric other than mse and deviance"},
      {"cv.keep=true", "cv.keep: keeping the CV predictions"},
      {"cv.repeats=2", "cv.repeats: repeated CV"},
      {"cv.fold_ids=[1, 2, 1, 2]", "fold ids (one per training row), got 4"}};
  for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
    rp_run_result *res = NULL;
    rp_error err;
    ck_assert_int_eq(run(JOBS[0], "true", cases[k][0], &res, &err), RP_ECONFIG);
    ck_assert_msg(strstr(err.message, cases[k][1]) != NULL, "%s", err.message);
    ck_assert_ptr_null(res);
  }
}
END_TEST

/* A bad cell in a later window is named at its own line of the file. */
/* The column of "oops" in all.csv's line 323: write_data(321)'s bad cell. */
static long oops_column(void) {
  char path[PATH_LEN + 16], line[512];
  snprintf(path, sizeof path, "%s/all.csv", dir);
  FILE *f = fopen(path, "r");
  ck_assert(f != NULL);
  for (int k = 0; k < 323; k++) ck_assert(fgets(line, sizeof line, f) != NULL);
  fclose(f);
  return strstr(line, "oops") - line + 1;
}

START_TEST(bad_cell_at_its_line) {
  write_data(321);
  rp_run_result *res = NULL;
  rp_error err;
  ck_assert_int_eq(run(JOBS[0], "true", NULL, &res, &err), RP_EDATA);
  ck_assert_int_eq(err.line, 323); /* the header, then row 321 from 0 */
  ck_assert_msg(strstr(err.file, "all.csv") != NULL, "%s", err.file);
  ck_assert_int_eq(err.column, oops_column());
}
END_TEST

/* A gzip file, which cannot be entered in the middle, is decompressed a
 * window at a time: the jobs of one file, the fold column's and a test
 * file's too, give the held run's report on the plain file; a bad cell is
 * named at the gzip file's own line and column; and no temporary file is
 * left in TMPDIR. */
START_TEST(gzip_in_windows) {
  char from[PATH_LEN + 16], tmp[PATH_LEN + 16];
  snprintf(tmp, sizeof tmp, "%s/tmp", dir);
  ck_assert_int_eq(mkdir(tmp, 0700), 0);
  setenv("TMPDIR", tmp, 1);
  write_data(N_ROWS);
  const char *files[] = {"all.csv", "b.csv"};
  for (int k = 0; k < 2; k++) {
    snprintf(from, sizeof from, "%s/%s", dir, files[k]);
    tu_gzip_copy(from);
  }
  const char *const jobs[] = {JOBS[1], JOBS[4], JOBS[5]};
  for (size_t job = 0; job < 3; job++) {
    const char *name = job == 1 ? "b.csv\"" : "all.csv\"";
    char gz[1024];
    const char *at = strstr(jobs[job], name);
    snprintf(gz, sizeof gz, "%.*s.gz\"%s", (int)((size_t)(at - jobs[job]) + strlen(name) - 1),
             jobs[job], at + strlen(name));
    rp_run_result *held = run_ok(jobs[job], "false", NULL), *streamed = run_ok(gz, "true", NULL);
    worst = 0.0;
    same_runs(held, streamed);
    printf("gzip job %zu: streamed against held: worst relative difference %.3g\n", job, worst);
    rp_run_free(held);
    rp_run_free(streamed);
  }
  write_data(321);
  snprintf(from, sizeof from, "%s/all.csv", dir);
  tu_gzip_copy(from);
  rp_run_result *res = NULL;
  rp_error err;
  const char *bad = "{\"data\": {\"train\": \"all.csv.gz\", \"target\": \"y\", " FEATURES "}}";
  ck_assert_int_eq(run(bad, "true", NULL, &res, &err), RP_EDATA);
  ck_assert_int_eq(err.line, 323);
  ck_assert_int_eq(err.column, oops_column());
  ck_assert_msg(strstr(err.file, "all.csv.gz") && !strstr(err.message, "/proc/"), "%s: %s",
                err.file, err.message);
  int left = system("test -z \"$(ls -A \"$TMPDIR\")\"");
  unsetenv("TMPDIR");
  ck_assert_msg(left == 0, "a temporary file was left in %s", tmp);
}
END_TEST

/* ------------------------------------------------------------ svmlight */

/* `name`.csv's rows as svmlight file `name`.svm: the label y, then x1..x5,
 * z, c as indices 1..7, zeros left out (z is 0 but in fold 3); a comment
 * line first, a blank line and a comment after a row every 50 rows, and a
 * qid: token on row 10 (ignored, with a note). */
static void write_svmlight(const char *name) {
  char path[PATH_LEN + 16], line[512];
  snprintf(path, sizeof path, "%s/%s.csv", dir, name);
  FILE *in = fopen(path, "r");
  snprintf(path, sizeof path, "%s/%s.svm", dir, name);
  FILE *out = fopen(path, "w");
  ck_assert(in && out);
  fputs("# the rows of the CSV file, as svmlight\n", out);
  ck_assert(fgets(line, sizeof line, in) != NULL); /* the header */
  for (int row = 0; fgets(line, sizeof line, in); row++) {
    char *cell[11], *save = NULL;
    int k = 0;
    for (char *c = strtok_r(line, ",\n", &save); c && k < 11; c = strtok_r(NULL, ",\n", &save))
      cell[k++] = c;
    ck_assert_int_eq(k, 11);
    fprintf(out, "%s%s", cell[10], row == 10 ? " qid:3" : "");
    for (int j = 0; j < 7; j++)
      if (strtod(cell[j], NULL) != 0.0) fprintf(out, " %d:%s", j + 1, cell[j]);
    fputs(row % 50 == 7 ? "  # a comment\n\n" : "\n", out);
  }
  ck_assert(fclose(in) == 0 && fclose(out) == 0);
}

/* An svmlight file streams as a CSV one does, in windows of two or three
 * lines, and gives the report of its rows held in memory (as sparse
 * columns): cv.seed's folds (p and the rows from a first pass);
 * data.n_features past the file's largest index with cv.fold_ids (one
 * pass) and two l1_ratios; an svmlight test file, after svmlight and CSV
 * training; a test fraction; and the gzip copy.  "auto" streams it past
 * data.memory_limit only. */
START_TEST(svmlight_in_windows) {
  write_data(N_ROWS);
  const char *names[] = {"all", "a", "b"};
  for (int k = 0; k < 3; k++) write_svmlight(names[k]);
  char from[PATH_LEN + 16];
  snprintf(from, sizeof from, "%s/all.svm", dir);
  tu_gzip_copy(from);
  char ids[16 * N_ROWS + 32] = "cv.fold_ids=[";
  for (size_t i = 0; i < N_ROWS; i++)
    snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%zu", i ? "," : "", (i * 7) % 3 + 1);
  strcat(ids, "]");
  const char *const jobs[] = {
      "{\"data\": {\"train\": \"all.svm\"}, \"cv\": {\"seed\": 7}}",
      "{\"data\": {\"train\": \"all.svm\", \"n_features\": 9}, \"model\": {\"l1_ratio\": [1, "
      "0.5]}}",
      "{\"data\": {\"train\": \"a.svm\", \"test\": \"b.svm\"}, \"cv\": {\"seed\": 3, \"folds\": "
      "5}}",
      "{\"data\": {\"train\": \"a.csv\", \"test\": \"b.svm\", \"target\": \"y\", " FEATURES "}}",
      "{\"data\": {\"train\": \"all.svm\", \"test_fraction\": 0.3, \"test_seed\": 5}, \"cv\": "
      "{\"seed\": 2}}",
      "{\"data\": {\"train\": \"all.svm.gz\"}, \"cv\": {\"seed\": 7}}"};
  for (size_t job = 0; job < sizeof jobs / sizeof *jobs; job++) {
    const char *extra = job == 1 ? ids : NULL;
    rp_run_result *held = run_ok(jobs[job], "false", extra);
    rp_run_result *streamed = run_ok(jobs[job], "true", extra);
    worst = 0.0;
    ck_assert_uint_eq(streamed->n_features, job == 1 ? 9 : 7);
    ck_assert_uint_eq(streamed->n_rows_read, job >= 2 && job <= 3 ? 150 : N_ROWS);
    ck_assert_uint_eq(streamed->n_warnings, held->n_warnings); /* the qid note */
    same_runs(held, streamed);
    printf("svmlight job %zu: streamed against held: worst relative difference %.3g\n", job, worst);
    rp_run_free(held);
    rp_run_free(streamed);
  }
  for (int k = 0; k < 2; k++) { /* "auto": its size and first lines' scan against the limit */
    rp_run_result *res = run_ok(jobs[0], "\"auto\"", k ? "data.memory_limit=\"1K\"" : NULL);
    ck_assert(k ? res->summed != NULL : res->summed == NULL);
    rp_run_free(res);
  }
}
END_TEST

/* A malformed token or an index past data.n_features in a later window of
 * an svmlight file, plain or gzip, is named at the file's own line and
 * column by the pass that sums the rows, after a first pass's scan or (with
 * data.n_features and cv.fold_ids) without one. */
START_TEST(svmlight_errors_at_their_line) {
  write_data(N_ROWS);
  write_svmlight("all");
  char path[PATH_LEN + 16];
  snprintf(path, sizeof path, "%s/all.svm", dir);
  FILE *f = fopen(path, "a");
  ck_assert(f != NULL);
  fputs("1.5 1:2 3:4\n2.5 1:2 9:1\n3.5 2:1 2:3\n", f); /* 9:1 and the repeated 2:3 at column 9 */
  ck_assert(fclose(f) == 0);
  long lines = 0; /* the file's lines, the repeated index on the last */
  f = fopen(path, "r");
  for (int c; (c = fgetc(f)) != EOF;) lines += c == '\n';
  fclose(f);
  tu_gzip_copy(path);
  char ids[16 * N_ROWS + 32] = "cv.fold_ids=[";
  for (size_t i = 0; i < N_ROWS + 3; i++)
    snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%zu", i ? "," : "", i % 3 + 1);
  strcat(ids, "]");
  const char *const jobs[][3] = {
      {"{\"data\": {\"train\": \"all.svm\"}, \"cv\": {\"seed\": 7}}", NULL, "all.svm"},
      {"{\"data\": {\"train\": \"all.svm.gz\"}, \"cv\": {\"seed\": 7}}", NULL, "all.svm.gz"},
      {"{\"data\": {\"train\": \"all.svm\", \"n_features\": 8}, \"cv\": {\"seed\": 7}}", NULL,
       "all.svm"},
      {"{\"data\": {\"train\": \"all.svm.gz\", \"n_features\": 8}}", ids, "all.svm.gz"},
      {"{\"data\": {\"train\": \"all.svm\", \"n_features\": 9}}", ids, "all.svm"},
      {"{\"data\": {\"train\": \"all.svm.gz\", \"n_features\": 9}}", ids, "all.svm.gz"}};
  for (int k = 0; k < 6; k++) {
    rp_run_result *res = NULL;
    rp_error err;
    ck_assert_int_eq(run(jobs[k][0], "true", jobs[k][1], &res, &err), RP_EDATA);
    ck_assert_msg(strstr(err.file, jobs[k][2]) && !strstr(err.message, "/proc/"), "%s: %s",
                  err.file, err.message);
    ck_assert_int_eq(err.line, k == 2 || k == 3 ? lines - 1 : lines);
    ck_assert_int_eq(err.column, 9);
    ck_assert_msg(k == 2 || k == 3 ? strstr(err.message, "above data.n_features (8)") != NULL
                                   : strstr(err.message, "index 2 repeated") != NULL,
                  "%s", err.message);
    ck_assert_ptr_null(res);
  }
}
END_TEST

static Suite *stream_suite(void) {
  Suite *s = suite_create("stream");
  TCase *tc = tcase_create("stream");
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 300);
  tcase_add_test(tc, streamed_is_held);
  tcase_add_test(tc, summed_is_its_rows);
  tcase_add_test(tc, auto_streams_past_the_limit);
  tcase_add_test(tc, refusals);
  tcase_add_test(tc, bad_cell_at_its_line);
  tcase_add_test(tc, gzip_in_windows);
  tcase_add_test(tc, text_columns_are_held);
  tcase_add_test(tc, svmlight_in_windows);
  tcase_add_test(tc, svmlight_errors_at_their_line);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(stream_suite()); }

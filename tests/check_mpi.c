/* check_mpi.c: the training rows in shards, read by one process (regpath
 * with data.train a list) and spread over MPI processes (regpath-mpi under
 * mpirun -np 1, 2 and 3).  The oracle is the one-process answer: regpath on
 * the shards' rows written as one file.  Every number of every report must
 * agree with it to 1e-9 (only the order of the sums over rows differs), and
 * every string, count and choice exactly.  A malformed row in one shard
 * must stop every process with one message naming the shard's file, line
 * and column, its exit code, no output, and no hang.  Wide gaussian data,
 * whose fits share their folds out over the processes instead of their
 * rows, must give the one-process answer to the bit.
 *
 * The MPI cases are built when configure found MPI (HAVE_MPI; the README's
 * bootstrap installs it); the log says so when they are not. */
#define _DEFAULT_SOURCE
#include "build-config.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "testutil.h"

#define PATH_LEN 4096
#define N_ROWS 500
#define N_SHARDS 4
#define TOL 1e-9

/* Where the shards end (rows), unequal on purpose. */
static const size_t CUTS[N_SHARDS + 1] = {0, 97, 230, 260, N_ROWS};

static char dir[PATH_LEN];

static void path_in(char *buf, const char *name) {
  int n = snprintf(buf, PATH_LEN, "%s/%s", dir, name);
  ck_assert(n > 0 && n < PATH_LEN);
}

/* ------------------------------------------------------------ the data */

static unsigned long long state;

/* Uniform in (0, 1): xorshift64*, so the data are the same everywhere. */
static double uniform(void) {
  state ^= state >> 12, state ^= state << 25, state ^= state >> 27;
  return ((double)((state * 2685821657736338717ULL) >> 11) + 0.5) / 9007199254740992.0;
}

/* Row i of a gaussian set: six correlated features on their own scales
 * and offsets, a weight, a fold id, an offset and the target. */
static void row_text(char *line, size_t size, size_t i) {
  double x[6], common = uniform() - 0.5;
  for (int j = 0; j < 6; j++) x[j] = (j + 1.0) * (uniform() - 0.5 + 0.6 * common) + 10.0 * j;
  double y = 3.0 * x[0] - 1.5 * x[1] / 2.0 + 0.8 * x[3] / 4.0 + 2.0 * (uniform() - 0.5) + 7.0;
  double w = 0.5 + uniform(), o = 0.25 * (uniform() - 0.5);
  double s = 0.8 * (x[0] + 0.5) - 0.4 * (x[1] - 10.0) / 2.0; /* a class and a count from it */
  int c = uniform() < 1.0 / (1.0 + exp(-s)), k = (int)floor(-log(uniform()) * exp(0.5 * s));
  double t = s + 1.5 * (uniform() - 0.5);
  int g = t < -0.4 ? 1 : t < 0.6 ? 2 : 3; /* three classes */
  snprintf(line, size, "%.12g,%.12g,%.12g,%.12g,%.12g,%.12g,%.6g,%zu,%.6g,%.12g,%d,%d,%d\n", x[0],
           x[1], x[2], x[3], x[4], x[5], w, i % 5 + 1, o, y + o, c, k, g);
}

static const char HEADER[] = "x1,x2,x3,x4,x5,x6,w,fold,o,y,c,k,g\n";

/* all.csv (every row) and part1.csv .. part4.csv (CUTS); the row at
 * `bad_row` (N_ROWS: none) gets a cell that is not a number. */
static void write_data(size_t bad_row) {
  char all[PATH_LEN], name[64], part[PATH_LEN], line[512];
  path_in(all, "all.csv");
  FILE *fa = fopen(all, "w");
  ck_assert(fa != NULL);
  fputs(HEADER, fa);
  state = 88172645463325252ULL;
  for (size_t s = 0; s < N_SHARDS; s++) {
    snprintf(name, sizeof name, "part%zu.csv", s + 1);
    path_in(part, name);
    FILE *fp = fopen(part, "w");
    ck_assert(fp != NULL);
    fputs(HEADER, fp);
    for (size_t i = CUTS[s]; i < CUTS[s + 1]; i++) {
      row_text(line, sizeof line, i);
      if (i == bad_row) memcpy(strchr(line, ',') + 1, "x", 1);
      fputs(line, fa);
      fputs(line, fp);
    }
    ck_assert(fclose(fp) == 0);
  }
  ck_assert(fclose(fa) == 0);
}

static const char SHARDS[] = "[\"part1.csv\", \"part2.csv\", \"part3.csv\", \"part4.csv\"]";

/* Wide data, whose gaussian fits have no covariance route (p >= 500
 * columns, more than the rows): wide.csv, and its rows cut at WIDE_CUTS
 * into wide1.csv .. wide3.csv.  Columns x1..xWIDE_P, correlated in pairs,
 * an offset o and the target y. */
#define WIDE_ROWS 90
#define WIDE_P 520
static const size_t WIDE_CUTS[4] = {0, 31, 58, WIDE_ROWS};

static void write_wide(void) {
  char path[PATH_LEN], name[64];
  FILE *f[4];
  for (int s = 0; s < 4; s++) {
    snprintf(name, sizeof name, s ? "wide%d.csv" : "wide.csv", s);
    path_in(path, name);
    ck_assert((f[s] = fopen(path, "w")) != NULL);
    for (int j = 1; j <= WIDE_P; j++) fprintf(f[s], "x%d,", j);
    fputs("o,y\n", f[s]);
  }
  state = 2463534242ULL;
  for (size_t i = 0, s = 1; i < WIDE_ROWS; i++) {
    char line[WIDE_P * 24 + 64];
    size_t len = 0;
    double x[WIDE_P], o = 0.2 * (uniform() - 0.5);
    for (int j = 0; j < WIDE_P; j++) {
      x[j] = uniform() - 0.5 + (j % 2 ? 0.7 * x[j - 1] : 0.0);
      len += (size_t)snprintf(line + len, sizeof line - len, "%.10g,", x[j]);
    }
    double y = 3.0 * x[0] - 2.0 * x[3] + x[10] + 0.5 * (uniform() - 0.5) + o;
    snprintf(line + len, sizeof line - len, "%.6g,%.12g\n", o, y);
    if (i == WIDE_CUTS[s]) s++;
    fputs(line, f[0]);
    fputs(line, f[s]);
  }
  for (int s = 0; s < 4; s++) ck_assert(fclose(f[s]) == 0);
}

static const char WIDE_SHARDS[] = "[\"wide1.csv\", \"wide2.csv\", \"wide3.csv\"]";

/* The wide jobs: cv.seed's folds; an offset, two l1_ratios and 4 folds. */
static const char *const WIDE_JOBS[][2] = {
    {", \"target\": \"y\", \"exclude\": [\"o\"]", ", \"cv\": {\"seed\": 7}"},
    {", \"target\": \"y\", \"offset\": \"o\"",
     ", \"cv\": {\"seed\": 2, \"folds\": 4}, \"model\": {\"l1_ratio\": [1, 0.5]}"}};

/* Config `name`: training data `train` (a JSON value) and the data
 * members `data` (", ..." or ""), output folder `out`, then the members
 * `rest` (", ..." or ""). */
static void write_config(const char *name, const char *train, const char *data, const char *out,
                         const char *rest) {
  char path[PATH_LEN];
  path_in(path, name);
  FILE *f = fopen(path, "w");
  ck_assert(f != NULL);
  fprintf(f, "{\"data\": {\"train\": %s%s}, \"output\": {\"dir\": \"%s\", \"plots\": false}%s}\n",
          train, data, out, rest);
  ck_assert(fclose(f) == 0);
}

/* ------------------------------------------------------------ running */

/* A run taking longer than this is killed (SIGALRM, a hang fails the
 * test): 300 s, or REGPATH_TEST_GUARD_SECONDS (make check-valgrind's). */
static unsigned guard_seconds(void) {
  const char *s = getenv("REGPATH_TEST_GUARD_SECONDS");
  long v = s ? strtol(s, NULL, 10) : 0;
  return v > 0 && v < 100000 ? (unsigned)v : 300;
}

/* Run argv in dir, stdout and stderr into out.txt and err.txt, killed after
 * guard_seconds (a hang fails the test); returns the exit code. */
static int run(const char *const *argv) {
  char out[PATH_LEN], err[PATH_LEN];
  path_in(out, "out.txt");
  path_in(err, "err.txt");
  pid_t pid = tu_fork();
  ck_assert(pid >= 0);
  if (pid == 0) {
    int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fo < 0 || fe < 0 || chdir(dir) != 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0) _exit(126);
    setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1); /* CI runs as root */
    setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    if (strcmp(argv[0], "mpirun") == 0) setenv("LSAN_OPTIONS", "detect_leaks=0", 1); /* run_mpi */
    alarm(guard_seconds());
    execvp(argv[0], (char *const *)(uintptr_t)argv);
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) ck_assert(errno == EINTR);
  ck_assert_msg(!WIFSIGNALED(status), "%s killed by signal %d (a hang?)", argv[0],
                WTERMSIG(status));
  return WEXITSTATUS(status);
}

static const char *regpath(void) {
  const char *p = getenv("REGPATH");
  ck_assert_msg(p != NULL, "REGPATH is not set");
  return p;
}

/* regpath --config `config` -q: must succeed. */
static void run_regpath(const char *config) {
  const char *argv[] = {regpath(), "--config", config, "-q", NULL};
  ck_assert_int_eq(run(argv), 0);
}

/* ------------------------------------------------------------ comparing */

static double worst;

/* Every member of `a` in `b`, the same: strings, booleans and nulls
 * exactly, arrays of the same length, numbers within TOL relative to
 * max(1, |a|). */
static void same(const cJSON *a, const cJSON *b, const char *where) {
  ck_assert_msg(b != NULL, "%s: missing", where);
  ck_assert_msg(a->type == b->type, "%s: of another type", where);
  if (cJSON_IsNumber(a)) {
    double d = fabs(a->valuedouble - b->valuedouble) / fmax(1.0, fabs(a->valuedouble));
    if (d > worst) worst = d;
    ck_assert_msg(d <= TOL, "%s: %.17g against %.17g", where, b->valuedouble, a->valuedouble);
  } else if (cJSON_IsString(a)) {
    ck_assert_msg(strcmp(a->valuestring, b->valuestring) == 0, "%s: \"%s\" against \"%s\"", where,
                  b->valuestring, a->valuestring);
  } else if (cJSON_IsArray(a) || cJSON_IsObject(a)) {
    ck_assert_msg(cJSON_GetArraySize(a) == cJSON_GetArraySize(b), "%s: %d members against %d",
                  where, cJSON_GetArraySize(b), cJSON_GetArraySize(a));
    const cJSON *u = a->child, *v = b->child;
    for (int k = 0; u; u = u->next, v = v->next, k++) {
      char inner[512];
      if (cJSON_IsObject(a)) {
        v = cJSON_GetObjectItemCaseSensitive(b, u->string);
        snprintf(inner, sizeof inner, "%s.%s", where, u->string);
      } else {
        snprintf(inner, sizeof inner, "%s[%d]", where, k);
      }
      /* the config echoes the files, and the times are the run's own */
      if (u->string && (strcmp(u->string, "config") == 0 || strcmp(u->string, "timing") == 0))
        continue;
      same(u, v, inner);
      if (cJSON_IsObject(a)) v = u; /* walk a's members; b's are looked up by name */
    }
  }
}

/* out_b's report against out_a's (the one-process answer). */
static void same_report(const char *out_a, const char *out_b) {
  char a[PATH_LEN], b[PATH_LEN], name[PATH_LEN];
  snprintf(name, sizeof name, "%s/report.json", out_a);
  path_in(a, name);
  snprintf(name, sizeof name, "%s/report.json", out_b);
  path_in(b, name);
  cJSON *ra = tu_load_json(a), *rb = tu_load_json(b);
  same(ra, rb, out_b);
  cJSON_Delete(ra);
  cJSON_Delete(rb);
}

/* ------------------------------------------------------------ the cases */

static void setup(void) {
  const char *tmp = getenv("TMPDIR");
  snprintf(dir, sizeof dir, "%s/regpath-mpi-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  ck_assert(mkdtemp(dir) != NULL);
}

static void teardown(void) {
  char cmd[PATH_LEN + 16];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

/* The jobs compared, as data members and other members: gaussian with
 * cv.seed's folds; with weights, an offset, a fold column and two
 * l1_ratios; repeated CV scored by mae; binomial with an offset and
 * stratified folds; poisson with weights, the elastic net, scored by mse;
 * multinomial with weights scored by misclassification, and grouped. */
#define FEATURES ", \"features\": [\"x1\", \"x2\", \"x3\", \"x4\", \"x5\", \"x6\"]"
static const char *const JOBS[][2] = {
    {FEATURES ", \"target\": \"y\"", ", \"cv\": {\"seed\": 7}"},
    {FEATURES ", \"target\": \"y\", \"weights\": \"w\", \"offset\": \"o\"",
     ", \"cv\": {\"fold_ids\": \"fold\"}, \"model\": {\"l1_ratio\": [1, 0.5]}"},
    {FEATURES ", \"target\": \"y\"",
     ", \"cv\": {\"repeats\": 2, \"metric\": \"mae\", \"folds\": 4}"},
    {FEATURES ", \"target\": \"c\", \"offset\": \"o\"",
     ", \"model\": {\"family\": \"binomial\"}, \"cv\": {\"seed\": 3}"},
    {FEATURES ", \"target\": \"k\", \"weights\": \"w\"",
     ", \"model\": {\"family\": \"poisson\", \"l1_ratio\": 0.5}, \"cv\": {\"metric\": \"mse\"}"},
    {FEATURES ", \"target\": \"g\", \"weights\": \"w\"",
     ", \"model\": {\"family\": \"multinomial\"}, \"cv\": {\"seed\": 5, \"metric\": \"class\"}"},
    {FEATURES ", \"target\": \"g\"", ", \"model\": {\"family\": \"multinomial\", "
                                     "\"multinomial_grouped\": true, \"l1_ratio\": 0.5}"}};
#define N_JOBS (sizeof JOBS / sizeof *JOBS)
#define GAUSSIAN_JOBS 3 /* the first three */

static void write_job(const char *name, const char *train, const char *out, size_t job) {
  write_config(name, train, JOBS[job][0], out, JOBS[job][1]);
}

/* Shard `name` gzip-compressed into `name`.gz. */
static void gzip_copy(const char *name) {
  char from[PATH_LEN];
  path_in(from, name);
  tu_gzip_copy(from);
}

/* The shards read one after another in one process: the one file's report
 * exactly, as a list, as a pattern, and with two shards gzip-compressed
 * (whose lines are not counted beforehand: the joined rows grow). */
static void shards_in_one_process(size_t first_job, size_t end_job) {
  write_data(N_ROWS);
  gzip_copy("part1.csv");
  gzip_copy("part3.csv");
  for (size_t job = first_job; job < end_job; job++) {
    write_job("one.json", "\"all.csv\"", "one", job);
    write_job("list.json", SHARDS, "list", job);
    write_job("pattern.json", "\"part*.csv\"", "pattern", job);
    write_job("gzip.json", "[\"part1.csv.gz\", \"part2.csv\", \"part3.csv.gz\", \"part4.csv\"]",
              "gzip", job);
    run_regpath("one.json");
    run_regpath("list.json");
    run_regpath("pattern.json");
    run_regpath("gzip.json");
    worst = 0.0;
    same_report("one", "list");
    same_report("one", "pattern");
    same_report("one", "gzip");
    ck_assert_msg(worst == 0.0, "job %zu: shards in one process differ by %g", job, worst);
  }
}

START_TEST(gaussian_shards_in_one_process) { shards_in_one_process(0, GAUSSIAN_JOBS); }
END_TEST

START_TEST(glm_shards_in_one_process) { shards_in_one_process(GAUSSIAN_JOBS, N_JOBS); }
END_TEST

/* data.train's shards must agree: another column is an error naming it. */
START_TEST(shards_must_agree) {
  write_data(N_ROWS);
  char part[PATH_LEN];
  path_in(part, "part3.csv");
  FILE *f = fopen(part, "w");
  ck_assert(f != NULL);
  fputs("x1,x2,x3,x4,x5,x7,w,fold,o,y\n1,2,3,4,5,6,1,1,0,3\n2,3,4,5,6,7,1,2,0,4\n"
        "3,4,5,6,7,8,1,3,0,5\n",
        f);
  ck_assert(fclose(f) == 0);
  write_config("list.json", SHARDS, "", "list", "");
  const char *argv[] = {regpath(), "--config", "list.json", NULL};
  ck_assert_int_eq(run(argv), 3);
  char err[PATH_LEN];
  path_in(err, "err.txt");
  char *text = tu_read_file(err);
  ck_assert_msg(strstr(text, "part3.csv: feature 6 is \"x7\" here but \"x6\" in") != NULL, "%s",
                text);
  free(text);
}
END_TEST

/* ------------------------------------------- two processes in one, by threads */

/* rp_comm over two threads: each hands its vector over, both wait, each
 * adds the two (or takes the larger) in rank order into its own, so both
 * hold the same bits, as over MPI. */
typedef struct {
  pthread_barrier_t met;
  const double *v[2];
  size_t k[2];
} thread_world;

typedef struct {
  thread_world *world;
  size_t rank;
} thread_place;

static void thread_combine(void *ctx, double *v, size_t k, int largest) {
  thread_place *me = ctx;
  thread_world *w = me->world;
  w->v[me->rank] = v;
  w->k[me->rank] = k;
  pthread_barrier_wait(&w->met);
  double *out = malloc((k ? k : 1) * sizeof *out);
  int same = w->k[0] == w->k[1] && out;
  for (size_t t = 0; same && t < k; t++)
    out[t] = largest ? fmax(w->v[0][t], w->v[1][t]) : w->v[0][t] + w->v[1][t];
  pthread_barrier_wait(&w->met); /* both have read both before either writes */
  if (same) memcpy(v, out, k * sizeof *v);
  free(out);
  if (!same) abort(); /* the threads made different calls: a lockstep bug */
}

static void thread_sum(void *ctx, double *v, size_t k) { thread_combine(ctx, v, k, 0); }
static void thread_max(void *ctx, double *v, size_t k) { thread_combine(ctx, v, k, 1); }

typedef struct {
  const rp_config *cfg;
  rp_comm comm;
  rp_run_result *res;
  rp_error err;
  rp_status st;
} thread_job;

static void *thread_run(void *arg) {
  thread_job *job = arg;
  job->st = rp_run_comm(job->cfg, &job->comm, NULL, NULL, &job->res, &job->err);
  return NULL;
}

static rp_config *config_in_dir(const char *train, size_t job) {
  char text[2048];
  snprintf(text, sizeof text, "{\"data\": {\"train\": %s%s}%s}", train, JOBS[job][0], JOBS[job][1]);
  rp_config *cfg;
  rp_error err;
  ck_assert_msg(rp_config_parse(text, "test", dir, NULL, 0, &cfg, &err) == RP_OK, "%s",
                err.message);
  return cfg;
}

/* Every point of b's paths and CV curves against a's, to TOL; the same
 * grids, fold counts and choices. */
static void same_run(const rp_run_result *a, const rp_run_result *b) {
  ck_assert_uint_eq(a->n_samples, b->n_samples);
  ck_assert_uint_eq(a->n_fits, b->n_fits);
  ck_assert_uint_eq(a->selected_fit, b->selected_fit);
  ck_assert_uint_eq(a->selected_index, b->selected_index);
  for (size_t f = 0; f < a->n_fits; f++) {
    const rp_path *pa = a->paths[f], *pb = b->paths[f];
    const rp_cv *ca = a->cvs[f], *cb = b->cvs[f];
    ck_assert_uint_eq(pa->n_alphas, pb->n_alphas);
    ck_assert_uint_eq(ca->index_min, cb->index_min);
    ck_assert_uint_eq(ca->index_1se, cb->index_1se);
    for (size_t k = 0; k < pa->n_alphas; k++) {
      ck_assert(tu_relerr(pa->alphas[k], pb->alphas[k], 1.0) <= TOL);
      ck_assert(tu_relerr(pa->intercept[k], pb->intercept[k], 1.0) <= TOL);
      ck_assert(tu_relerr(ca->mean[k], cb->mean[k], 1.0) <= TOL);
      ck_assert(tu_relerr(ca->std_error[k], cb->std_error[k], 1.0) <= TOL);
      for (size_t j = 0; j < pa->p; j++)
        ck_assert(tu_relerr(pa->coef[k * pa->p + j], pb->coef[k * pa->p + j], 1.0) <= TOL);
    }
  }
}

/* rp_run_comm of cfg on two threads standing in for two processes, each
 * thread's outcome into jobs[r]. */
static void run_in_two_threads(const rp_config *cfg, thread_job jobs[2]) {
  thread_world world;
  pthread_barrier_init(&world.met, NULL, 2);
  thread_place place[2] = {{&world, 0}, {&world, 1}};
  pthread_t thread[2];
  for (size_t r = 0; r < 2; r++) {
    jobs[r] = (thread_job){cfg, {r, 2, &place[r], thread_sum, thread_max}, NULL, {0}, RP_OK};
    ck_assert(pthread_create(&thread[r], NULL, thread_run, &jobs[r]) == 0);
  }
  for (size_t r = 0; r < 2; r++) ck_assert(pthread_join(thread[r], NULL) == 0);
  pthread_barrier_destroy(&world.met);
}

/* rp_run_comm on two threads standing in for two processes (shards 1-2
 * and 3-4) gives the one-file run's answer, the same in both; in one
 * process, so that the sanitizers and valgrind see every step it takes. */
static void spread_in_threads(size_t first_job, size_t end_job) {
  write_data(N_ROWS);
  for (size_t job = first_job; job < end_job; job++) {
    rp_config *one = config_in_dir("\"all.csv\"", job), *shards = config_in_dir(SHARDS, job);
    rp_run_result *alone;
    rp_error err;
    ck_assert_msg(rp_run(one, NULL, NULL, &alone, &err) == RP_OK, "%s", err.message);
    thread_job jobs[2];
    run_in_two_threads(shards, jobs);
    for (size_t r = 0; r < 2; r++) {
      ck_assert_msg(jobs[r].st == RP_OK, "job %zu, thread %zu: %s", job, r, jobs[r].err.message);
      ck_assert_uint_eq(jobs[r].res->n_local, r ? N_ROWS - CUTS[2] : CUTS[2]);
      same_run(alone, jobs[r].res);
      rp_run_free(jobs[r].res);
    }
    rp_run_free(alone);
    rp_config_free(one);
    rp_config_free(shards);
  }
}

START_TEST(gaussian_spread_in_threads) { spread_in_threads(0, GAUSSIAN_JOBS); }
END_TEST

/* Binomial and poisson: the multinomial jobs' many more sums cost minutes
 * through the threads' barrier; mpirun runs them (spread_over_processes). */
START_TEST(glm_spread_in_threads) { spread_in_threads(GAUSSIAN_JOBS, GAUSSIAN_JOBS + 2); }
END_TEST

/* b's paths and CV curves are a's to the bit. */
static void same_bits(const rp_run_result *a, const rp_run_result *b) {
  for (size_t f = 0; f < a->n_fits; f++) {
    const rp_path *pa = a->paths[f], *pb = b->paths[f];
    const rp_cv *ca = a->cvs[f], *cb = b->cvs[f];
    size_t A = pa->n_alphas, K = ca->n_folds;
    ck_assert(memcmp(pa->coef, pb->coef, A * pa->p * sizeof *pa->coef) == 0);
    ck_assert(memcmp(ca->mean, cb->mean, A * sizeof *ca->mean) == 0);
    ck_assert(memcmp(ca->std_error, cb->std_error, A * sizeof *ca->std_error) == 0);
    ck_assert(memcmp(ca->fold_error, cb->fold_error, K * A * sizeof *ca->fold_error) == 0);
    ck_assert(memcmp(ca->fold_size, cb->fold_size, K * sizeof *ca->fold_size) == 0);
    ck_assert(memcmp(ca->fold_nonzero, cb->fold_nonzero, A * ca->p * sizeof(size_t)) == 0);
  }
}

/* Wide gaussian data, whose fits cannot share sums over rows, on two
 * threads standing in for two processes: each is sent every row, fits the
 * full paths itself and half of the folds, and both get the one-file
 * run's answer to the bit (each fold's numbers come from one thread, the
 * other adding 0). */
START_TEST(wide_fits_shared_in_threads) {
  write_wide();
  for (size_t job = 0; job < 2; job++) {
    char one_text[512], spread_text[512];
    snprintf(one_text, sizeof one_text, "{\"data\": {\"train\": \"wide.csv\"%s}%s}",
             WIDE_JOBS[job][0], WIDE_JOBS[job][1]);
    snprintf(spread_text, sizeof spread_text, "{\"data\": {\"train\": %s%s}%s}", WIDE_SHARDS,
             WIDE_JOBS[job][0], WIDE_JOBS[job][1]);
    rp_config *one, *shards;
    rp_error err;
    ck_assert(rp_config_parse(one_text, "test", dir, NULL, 0, &one, &err) == RP_OK);
    ck_assert(rp_config_parse(spread_text, "test", dir, NULL, 0, &shards, &err) == RP_OK);
    rp_run_result *alone;
    ck_assert_msg(rp_run(one, NULL, NULL, &alone, &err) == RP_OK, "%s", err.message);
    thread_job jobs[2];
    run_in_two_threads(shards, jobs);
    for (size_t r = 0; r < 2; r++) {
      ck_assert_msg(jobs[r].st == RP_OK, "job %zu, thread %zu: %s", job, r, jobs[r].err.message);
      ck_assert(jobs[r].res->fold_comm != NULL && jobs[r].res->spread == NULL);
      ck_assert_uint_eq(jobs[r].res->n_local, WIDE_ROWS);
      same_run(alone, jobs[r].res);
      same_bits(alone, jobs[r].res);
      rp_run_free(jobs[r].res);
    }
    rp_run_free(alone);
    rp_config_free(one);
    rp_config_free(shards);
  }
}
END_TEST

#ifdef HAVE_MPI
/* mpirun -np N regpath-mpi --config config -q.  In a sanitizer build
 * LeakSanitizer is off for these runs: Open MPI leaves its own allocations
 * (some in plugins it has unloaded, which no suppression can name); the
 * library's code they take is leak-checked in one process by
 * spread_in_threads. */
static int run_mpi(int np, const char *config) {
  const char *mpi = getenv("REGPATH_MPI"), *builddir = getenv("builddir");
  char built[PATH_LEN];
  if (!mpi && builddir) { /* make check-valgrind sets builddir only */
    snprintf(built, sizeof built, "%s/app/regpath-mpi", builddir);
    mpi = built;
  }
  ck_assert_msg(mpi != NULL, "REGPATH_MPI is not set");
  char n[16];
  snprintf(n, sizeof n, "%d", np);
  const char *argv[] = {"mpirun", "--oversubscribe", "-q",   "-np", n,
                        mpi,      "--config",        config, "-q",  NULL};
  return run(argv);
}

START_TEST(spread_over_processes) {
  write_data(N_ROWS);
  for (size_t job = 0; job < N_JOBS; job++) {
    write_job("one.json", "\"all.csv\"", "one", job);
    run_regpath("one.json");
    for (int np = 1; np <= 5; np++) { /* 4 and 5: 2 and 3 processes sharing all.csv out */
      int window = np > 3, procs = window ? np - 2 : np;
      char out[16];
      snprintf(out, sizeof out, "np%d", np);
      write_job("mpi.json", window ? "\"all.csv\"" : SHARDS, out, job);
      ck_assert_int_eq(run_mpi(procs, "mpi.json"), 0);
      worst = 0.0;
      same_report("one", out);
      printf("job %zu, %d processes, %s: worst relative difference %.3g\n", job, procs,
             window ? "one file" : "4 shards", worst);
    }
  }
}
END_TEST

/* Wide gaussian data under mpirun -np 1, 2 and 3: the fits shared out
 * over the processes, each holding every row, give the one-file run's
 * report to the bit. */
START_TEST(wide_fits_shared_over_processes) {
  write_wide();
  for (size_t job = 0; job < 2; job++) {
    write_config("one.json", "\"wide.csv\"", WIDE_JOBS[job][0], "one", WIDE_JOBS[job][1]);
    run_regpath("one.json");
    for (int np = 1; np <= 3; np++) {
      char out[16];
      snprintf(out, sizeof out, "np%d", np);
      write_config("mpi.json", WIDE_SHARDS, WIDE_JOBS[job][0], out, WIDE_JOBS[job][1]);
      ck_assert_int_eq(run_mpi(np, "mpi.json"), 0);
      worst = 0.0;
      same_report("one", out);
      ck_assert_msg(worst == 0.0, "wide job %zu, %d processes: %g", job, np, worst);
    }
  }
}
END_TEST

/* A cell that is not a number in the last shard (read by the last
 * process), or on the same row of the one file the processes share out:
 * every process stops, with one message naming its file, line and column,
 * exit code 3, and the output folder as it was. */
START_TEST(one_bad_shard_stops_all) {
  write_data(CUTS[3] + 5);
  write_config("bad.json", SHARDS, "", "out", "");
  write_config("bad_one.json", "\"all.csv\"", "", "out", "");
  char marker[PATH_LEN];
  path_in(marker, "out");
  ck_assert(mkdir(marker, 0755) == 0);
  path_in(marker, "out/earlier.txt");
  FILE *f = fopen(marker, "w");
  ck_assert(f && fclose(f) == 0);
  for (int np = 2; np <= 5; np++) { /* 4 and 5: 2 and 3 processes on all.csv */
    int window = np > 3;
    ck_assert_int_eq(run_mpi(window ? np - 2 : np, window ? "bad_one.json" : "bad.json"), 3);
    char err[PATH_LEN], out[PATH_LEN], report[PATH_LEN];
    path_in(err, "err.txt");
    path_in(out, "out.txt");
    path_in(report, "out/report.json");
    char *e = tu_read_file(err), *o = tu_read_file(out);
    const char *where = window ? "regpath: error: all.csv:267:" : "regpath: error: part4.csv:7:";
    ck_assert_msg(strncmp(e, where, strlen(where)) == 0, "np %d: %s", np, e);
    ck_assert_msg(strchr(e, '\n') == e + strlen(e) - 1, "np %d: more than one line: %s", np, e);
    ck_assert_msg(strstr(e, "non-numeric cell \"x") != NULL, "np %d: %s", np, e);
    ck_assert_str_eq(o, "");
    ck_assert(access(marker, F_OK) == 0 && access(report, F_OK) != 0);
    free(e);
    free(o);
  }
}
END_TEST

/* What spread rows cannot do yet is a config error, in one line. */
START_TEST(spread_refusals) {
  write_data(N_ROWS);
  write_config("binomial.json", SHARDS, ", \"target\": \"c\"", "out",
               ", \"model\": {\"family\": \"binomial\"}, \"cv\": {\"metric\": \"auc\"}");
  write_config("two.json", "[\"part1.csv\", \"part2.csv\"]", "", "out", "");
  const char *config[] = {"binomial.json", "two.json"};
  const char *says[] = {"regpath: error: cv.metric: the AUC is not supported (yet)",
                        "regpath: error: data.train: 2 shards for 3 processes"};
  for (int k = 0; k < 2; k++) {
    ck_assert_int_eq(run_mpi(3, config[k]), 2);
    char err[PATH_LEN];
    path_in(err, "err.txt");
    char *e = tu_read_file(err);
    ck_assert_msg(strncmp(e, says[k], strlen(says[k])) == 0, "%s", e);
    ck_assert_msg(strchr(e, '\n') == e + strlen(e) - 1, "more than one line: %s", e);
    free(e);
  }
}
END_TEST
#endif

/* A case of s with the suite's fixture and alarm; tagged "slow" when given.
 * The alarm is for a test, not a run (each run has guard_seconds): under
 * ASan on a first-generation AMD EPYC, spread_over_processes's 35 mpirun
 * runs took more than 600 s beside the other sanitizer suites (the cores
 * shared: see the mpirun tag below), and 175 s for the whole case alone. */
static TCase *add_case(Suite *s, const char *name, const char *tags) {
  TCase *tc = tcase_create(name);
  if (tags) tcase_set_tags(tc, tags);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 1800);
  suite_add_tcase(s, tc);
  return tc;
}

static Suite *mpi_suite(void) {
  Suite *s = suite_create("mpi");
  TCase *tc = add_case(s, "shards", NULL);
  tcase_add_test(tc, gaussian_shards_in_one_process);
  tcase_add_test(tc, shards_must_agree);
  tcase_add_test(tc, gaussian_spread_in_threads);
  tcase_add_test(tc, wide_fits_shared_in_threads);
  /* Slow under valgrind, which runs two threads one at a time and each of
   * the IRLS families' thousands of sums passes between them: make check
   * and the sanitizer build run these. */
  tc = add_case(s, "shards glm", "slow");
  tcase_add_test(tc, glm_shards_in_one_process);
  tcase_add_test(tc, glm_spread_in_threads);
#ifdef HAVE_MPI
  /* Tagged slow: valgrind does not follow mpirun's processes, so it would
   * only wait for them.  Tagged mpirun: its Open MPI processes wait for
   * each other by polling, so up to 3 of them on 2 cores slow down many
   * times over when another program takes a core (.ci/run runs this case
   * alone). */
  tc = add_case(s, "mpi", "slow mpirun");
  tcase_add_test(tc, spread_over_processes);
  tcase_add_test(tc, wide_fits_shared_over_processes);
  tcase_add_test(tc, one_bad_shard_stops_all);
  tcase_add_test(tc, spread_refusals);
#else
  printf("check_mpi: the MPI cases are not built (configure found no MPI: install Debian's "
         "libopenmpi-dev and openmpi-bin, or run scripts/bootstrap.sh)\n");
#endif
  return s;
}

int main(void) { return tu_run(mpi_suite()); }

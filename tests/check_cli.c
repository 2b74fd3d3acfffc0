/* check_cli.c: the regpath program as a user runs it.  Each test runs the
 * built binary ($REGPATH) with fork + execv (no shell) in a fresh temporary
 * folder holding its config, its CSV and its output folder, and checks the
 * exit code, stdout, stderr and the files left behind.
 *
 * bad_input_fails_cleanly is one loop test over BAD_CASES: every row must
 * exit with its documented code, print exactly one line "regpath: error: ..."
 * naming the problem, print nothing on stdout, and leave the output folder as
 * it was (no report.json, no temporary files, an earlier report untouched:
 * README.md, "an error ... no output file is written or changed").
 * The other tests run good configs and check report.json (README.md,
 * "Report") against itself and against the data. */
#define _DEFAULT_SOURCE
#include "build-config.h" /* PACKAGE_VERSION */

#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "testutil.h"

#define PATH_MAX_LEN 4096
#define FFFD "\xef\xbf\xbd"     /* U+FFFD, regpath's stand-in for bytes that are not text */
#define CAPTURE_MAX (64 * 1024) /* stdout or stderr of one run */
#define MAX_ARGS 16

/* A run taking longer than this is killed (SIGALRM): 60 s, or
 * REGPATH_TEST_GUARD_SECONDS (make check-valgrind sets it, since every run
 * there is traced by valgrind and many times slower). */
static unsigned guard_seconds(void) {
  const char *s = getenv("REGPATH_TEST_GUARD_SECONDS");
  long v = s ? strtol(s, NULL, 10) : 0;
  return v > 0 && v < 100000 ? (unsigned)v : 60;
}

/* ------------------------------------------------------------ the case folder */

/* The temporary folder of the running test and the paths in it.  The
 * placeholders @DIR@, @CONFIG@, @DATA@, @OUT@ and @DIABETES@ in configs,
 * arguments and expected messages stand for them. */
static struct {
  char dir[PATH_MAX_LEN];
  char config[PATH_MAX_LEN]; /* @DIR@/config.json */
  char data[PATH_MAX_LEN];   /* @DIR@/data.csv    */
  char out[PATH_MAX_LEN];    /* @DIR@/out         */
  char report[PATH_MAX_LEN]; /* @DIR@/out/report.json */
  char stdout_path[PATH_MAX_LEN];
  char stderr_path[PATH_MAX_LEN];
} T;

static char diabetes[PATH_MAX_LEN]; /* $srcdir/configs/data/diabetes.csv */

/* "dir/name" into buf. */
static void join(char *buf, size_t size, const char *dir, const char *name) {
  int n = snprintf(buf, size, "%s/%s", dir, name);
  ck_assert_msg(n > 0 && (size_t)n < size, "path too long: %s/%s", dir, name);
}

static void make_case_dir(void) {
  const char *tmp = getenv("TMPDIR");
  int n = snprintf(T.dir, sizeof T.dir, "%s/regpath-cli-XXXXXX", tmp && *tmp ? tmp : "/tmp");
  ck_assert_msg(n > 0 && (size_t)n < sizeof T.dir, "TMPDIR too long");
  ck_assert_msg(mkdtemp(T.dir) != NULL, "mkdtemp %s: %s", T.dir, strerror(errno));
  join(T.config, sizeof T.config, T.dir, "config.json");
  join(T.data, sizeof T.data, T.dir, "data.csv");
  join(T.out, sizeof T.out, T.dir, "out");
  join(T.report, sizeof T.report, T.out, "report.json");
  join(T.stdout_path, sizeof T.stdout_path, T.dir, "stdout.txt");
  join(T.stderr_path, sizeof T.stderr_path, T.dir, "stderr.txt");
}

/* rm -r `path` (symbolic links are removed, never followed). */
static void remove_tree(const char *path) {
  struct stat sb;
  if (lstat(path, &sb) != 0) return;
  if (S_ISDIR(sb.st_mode)) {
    DIR *d = opendir(path);
    struct dirent *e;
    while (d && (e = readdir(d)) != NULL) {
      char sub[PATH_MAX_LEN];
      if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
      if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < (int)sizeof sub) remove_tree(sub);
    }
    if (d) closedir(d);
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* Checked fixture: a fresh folder per test (and per loop row).  A failed
 * assertion ends a forked test before its teardown, which leaves the folder
 * ($TMPDIR/regpath-cli-*, with the config, data and captured output) for
 * inspection. */
static void setup(void) {
  const char *src = tu_src_path("configs/data/diabetes.csv");
  ck_assert_uint_lt(strlen(src), sizeof diabetes);
  strcpy(diabetes, src);
  make_case_dir();
}

static void teardown(void) {
  if (T.dir[0]) remove_tree(T.dir);
  memset(&T, 0, sizeof T);
}

/* `tmpl` with the placeholders replaced, and every ' turned into " when
 * `quotes` (so that JSON in the tables reads without escapes). */
static void subst(const char *tmpl, int quotes, char *out, size_t size) {
  static const char *const names[] = {"@DIR@", "@CONFIG@", "@DATA@", "@OUT@", "@DIABETES@"};
  const char *values[] = {T.dir, T.config, T.data, T.out, diabetes};
  size_t k = 0;
  for (const char *p = tmpl; *p;) {
    const char *with = NULL;
    size_t skip = 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
      if (strncmp(p, names[i], strlen(names[i])) == 0) {
        with = values[i];
        skip = strlen(names[i]);
        break;
      }
    char one[2] = {quotes && *p == '\'' ? (char)'"' : *p, '\0'};
    if (!with) with = one;
    size_t len = strlen(with);
    ck_assert_msg(k + len < size, "expanded text too long: %s", tmpl);
    memcpy(out + k, with, len);
    k += len;
    p += skip;
  }
  out[k] = '\0';
}

/* ------------------------------------------------------------ files */

static void write_bytes(const char *path, const char *data, size_t len) {
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f != NULL, "cannot create %s: %s", path, strerror(errno));
  ck_assert_msg(fwrite(data, 1, len, f) == len, "cannot write %s", path);
  ck_assert_msg(fclose(f) == 0, "cannot close %s", path);
}

static void write_file(const char *path, const char *text) {
  write_bytes(path, text, strlen(text));
}

/* A config from a template (placeholders expanded, ' read as "). */
static void write_config(const char *path, const char *tmpl) {
  char text[16384];
  subst(tmpl, 1, text, sizeof text);
  write_file(path, text);
}

/* The whole file, malloc'd and NUL-terminated (length in *len when given),
 * or NULL when it cannot be read. */
static char *read_file(const char *path, size_t *len) {
  FILE *f = fopen(path, "rb");
  if (!f) return NULL;
  size_t cap = 1 << 16, n = 0, got;
  char *buf = malloc(cap + 1);
  while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
    n += got;
    if (n == cap) {
      char *bigger = realloc(buf, 2 * cap + 1);
      if (!bigger) free(buf);
      buf = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  if (!buf) return NULL;
  buf[n] = '\0';
  if (len) *len = n;
  return buf;
}

/* Up to size - 1 bytes of a file into a fixed buffer (no heap, so that a
 * failed assertion leaks nothing).  Returns the length, or -1. */
static long read_into(const char *path, char *buf, size_t size) {
  FILE *f = fopen(path, "rb");
  if (!f) return -1;
  size_t n = fread(buf, 1, size - 1, f);
  int more = fgetc(f) != EOF;
  fclose(f);
  buf[n] = '\0';
  ck_assert_msg(!more, "%s is larger than %zu bytes", path, size - 1);
  return (long)n;
}

static int file_exists(const char *path) {
  struct stat sb;
  return lstat(path, &sb) == 0;
}

static int is_regular_file(const char *path) {
  struct stat sb;
  return lstat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static int is_directory(const char *path) {
  struct stat sb;
  return lstat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static void make_dir(const char *path) {
  ck_assert_msg(mkdir(path, 0777) == 0 || errno == EEXIST, "mkdir %s: %s", path, strerror(errno));
}

/* Lines in `text`; a last line without '\n' counts. */
static size_t count_lines(const char *text) {
  size_t n = 0;
  for (const char *p = text; *p; p++) n += *p == '\n';
  size_t len = strlen(text);
  return n + (len > 0 && text[len - 1] != '\n');
}

/* The first line of `text` without its '\n'. */
static void first_line(const char *text, char *buf, size_t size) {
  size_t n = strcspn(text, "\n");
  if (n >= size) n = size - 1;
  memcpy(buf, text, n);
  buf[n] = '\0';
}

/* Does `dir` hold a name starting with '.' (a temporary file of the
 * all-or-nothing output)?  The first such name goes to `name`. */
static int dir_has_dotfiles(const char *dir, char *name, size_t size) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int found = 0;
  if (!d) return 0;
  while (!found && (e = readdir(d)) != NULL)
    if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
      snprintf(name, size, "%s", e->d_name);
      found = 1;
    }
  closedir(d);
  return found;
}

static int dir_is_empty(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int empty = 1;
  if (!d) return 1;
  while (empty && (e = readdir(d)) != NULL)
    if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = 0;
  closedir(d);
  return empty;
}

static void assert_no_dotfiles(const char *dir) {
  char name[256];
  ck_assert_msg(!dir_has_dotfiles(dir, name, sizeof name), "temporary file %s left in %s", name,
                dir);
}

/* ------------------------------------------------------------ running */

/* What one run printed and how it ended.  Static (not on the heap), so that
 * an assertion failing with it in hand leaks nothing. */
typedef struct {
  int code;   /* exit status, or 128 + signal */
  int signal; /* the signal that ended it, 0 when it exited */
  char out[CAPTURE_MAX];
  char err[CAPTURE_MAX];
} run_result;

static run_result R;

/* A file-size limit (RLIMIT_FSIZE, bytes) for the next runs, 0 = none: the
 * disk-full test. */
static rlim_t file_size_limit;

static const char *program(void) {
  const char *p = getenv("REGPATH");
  return p && *p ? p : "app/regpath";
}

/* Run the program with `args` (NULL-terminated, after argv[0]) from folder
 * `cwd` (NULL: this process's), stdin from /dev/null, stdout and stderr into
 * the case folder; fill R.  The child arms alarm(guard_seconds()), which
 * survives execv, so a hung program dies of SIGALRM and the test fails. */
static void run_program(const char *cwd, const char *const *args) {
  const char *argv[MAX_ARGS + 2];
  size_t argc = 0;
  argv[argc++] = program();
  for (size_t i = 0; args[i]; i++) {
    ck_assert_uint_lt(argc, MAX_ARGS + 1);
    argv[argc++] = args[i];
  }
  argv[argc] = NULL;
  fflush(stdout);
  fflush(stderr);
  pid_t pid = tu_fork();
  ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
  if (pid == 0) {
    int in = open("/dev/null", O_RDONLY);
    int out = open(T.stdout_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(T.stderr_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
      _exit(125);
    if (cwd && chdir(cwd) != 0) _exit(126);
    /* Under ASan a failed allocation aborts unless told to return NULL; the
     * out-of-memory rows test what the program does with that NULL. */
    char asan[1024];
    const char *old = getenv("ASAN_OPTIONS");
    snprintf(asan, sizeof asan, "%s%sallocator_may_return_null=1", old ? old : "",
             old && *old ? ":" : "");
    setenv("ASAN_OPTIONS", asan, 1);
    struct rlimit no_core = {0, 0}; /* a crash is reported, not dumped here */
    setrlimit(RLIMIT_CORE, &no_core);
    if (file_size_limit) {
      struct rlimit fsize = {file_size_limit, file_size_limit};
      setrlimit(RLIMIT_FSIZE, &fsize);
    }
    alarm(guard_seconds());
    /* execv's argv is char *const[] for historical reasons; it is not written. */
    union {
      const char **in;
      char *const *out;
    } cast = {argv};
    execv(argv[0], cast.out);
    _exit(127);
  }
  int status;
  pid_t got;
  while ((got = waitpid(pid, &status, 0)) < 0 && errno == EINTR) continue;
  ck_assert_msg(got == pid, "waitpid: %s", strerror(errno));
  R.signal = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
  R.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + R.signal;
  ck_assert_msg(R.code != 125 && R.code != 126 && R.code != 127,
                "could not start %s from %s (status %d); set REGPATH", argv[0], cwd ? cwd : ".",
                R.code);
  ck_assert_msg(read_into(T.stdout_path, R.out, sizeof R.out) >= 0, "no stdout capture");
  ck_assert_msg(read_into(T.stderr_path, R.err, sizeof R.err) >= 0, "no stderr capture");
}

/* run_program with the arguments listed, NULL-terminated. */
static void run_regpath(const char *cwd, ...) {
  const char *args[MAX_ARGS + 1];
  size_t n = 0;
  va_list ap;
  va_start(ap, cwd);
  const char *a;
  while ((a = va_arg(ap, const char *)) != NULL) {
    ck_assert_uint_lt(n, MAX_ARGS);
    args[n++] = a;
  }
  va_end(ap);
  args[n] = NULL;
  run_program(cwd, args);
}

/* A run that must succeed silently on stderr. */
static void assert_success(const char *what) {
  ck_assert_msg(R.signal == 0, "%s: killed by signal %d; stderr: %s", what, R.signal, R.err);
  ck_assert_msg(R.code == 0, "%s: exit %d; stderr: %s", what, R.code, R.err);
  ck_assert_msg(R.err[0] == '\0', "%s: unexpected stderr: %s", what, R.err);
}

/* A run that must succeed, with no more on stderr than warnings that a
 * fit's CV minimum is at the grid's smallest alpha (ridge's usually is, on
 * glmnet's grid). */
static void assert_success_at_grid_edge(const char *what) {
  ck_assert_msg(R.signal == 0, "%s: killed by signal %d; stderr: %s", what, R.signal, R.err);
  ck_assert_msg(R.code == 0, "%s: exit %d; stderr: %s", what, R.code, R.err);
  for (const char *line = R.err; *line; line = strchr(line, '\n') + 1) {
    const char *end = strchr(line, '\n');
    ck_assert_msg(end && strncmp(line, "regpath: warning: l1_ratio ", 27) == 0 &&
                      strstr(line, "at the grid's smallest alpha") &&
                      strstr(line, "at the grid's smallest alpha") < end,
                  "%s: unexpected stderr: %s", what, R.err);
  }
}

/* The next of a stream of uniform numbers in [-0.5, 0.5): Knuth's MMIX
 * linear congruential step, its top 53 bits. */
static double next_uniform(unsigned long *state) {
  *state = *state * 6364136223846793005UL + 1442695040888963407UL;
  return (double)(*state >> 11) / 9007199254740992.0 - 0.5;
}

/* ------------------------------------------------------------ bad inputs */

enum {
  NO_CONFIG_OPTION = 1 << 0, /* do not pass --config @CONFIG@ first          */
  DATA_IS_DIR = 1 << 1,      /* @DATA@ is a folder                            */
  OUT_IS_FILE = 1 << 2,      /* @OUT@ is a regular file that must stay as is  */
  REPORT_IS_DIR = 1 << 3,    /* @OUT@/report.json is a folder                 */
  WHOLE_LINE = 1 << 4,       /* the message is the whole line after "error: " */
  MODEL_IS_DIR = 1 << 5,     /* @OUT@/model.json is a folder, beside an earlier
                                report.json that must stay as is              */
  CONFIG_IS_HUGE = 1 << 6    /* @CONFIG@ grows to 64 MiB + 1 byte (sparse: zeros) */
};

typedef struct {
  const char *name;
  const char *config;  /* NULL: no config file; ' reads as " */
  const char *csv;     /* written to @DATA@ as is, or NULL */
  const char *args[6]; /* after "--config @CONFIG@" unless NO_CONFIG_OPTION */
  int exit_code;
  const char *message; /* expected in stderr; ' reads as " */
  unsigned flags;
} bad_case;

#define DIABETES "'data': {'train': '@DIABETES@'}"
#define SMALL "'data': {'train': '@DATA@'}"
#define SVM "'data': {'train': '@DATA@', 'format': 'svmlight'}"
#define OUT_DIR "'output': {'dir': '@OUT@'}"
/* The small data read as numbers only (data.categorical "none"), so that a
 * cell that is not a number is the reader's error, not a level. */
#define NONE_CSV "'data': {'train': '@DATA@', 'categorical': 'none'}"
/* A config that works, for the rows whose problem is elsewhere. */
#define GOOD_CONFIG "{" DIABETES ", 'cv': {'folds': 3}, " OUT_DIR "}"

/* Six rows, fold column f alternating 1, 2. */
#define SMALL_CSV "a,b,f,y\n1,2,1,3\n2,1,2,5\n3,5,1,4\n4,4,2,8\n5,3,1,7\n6,7,2,9\n"

/* 100 list items, for a list one over its cap. */
#define ONES_10 "1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "
#define ONES_100 ONES_10 ONES_10 ONES_10 ONES_10 ONES_10 ONES_10 ONES_10 ONES_10 ONES_10 ONES_10

/* Exit codes (README.md): 2 usage/config, 3 data, 4 numerical, 5 I/O, 6 memory.
 * The table is laid out by hand, a case to a line or two. */
/* clang-format off */
static const bad_case BAD_CASES[] = {
    /* ---- the config file */
    {"config_not_json", "not json", NULL, {NULL}, 2,
     "@CONFIG@:1:1: invalid JSON: unexpected text at 'not json'", 0},
    {"config_truncated", "{" DIABETES ",\n 'cv': {'folds': 3", NULL, {NULL}, 2,
     "@CONFIG@:2:19: invalid JSON: unexpected end of input", WHOLE_LINE},
    {"config_trailing_comma", "{" DIABETES ", 'cv': {'folds': 3},}", NULL, {NULL}, 2,
     "@CONFIG@:1:", 0},
    {"config_empty_file", "", NULL, {NULL}, 2, "@CONFIG@: empty config", 0},
    {"config_top_level_not_object", "[1, 2]", NULL, {NULL}, 2,
     "expected a JSON object at the top level, got [1,2]", 0},
    {"config_missing_file", NULL, NULL, {NULL}, 5, "@CONFIG@: cannot read config", 0},
    {"config_duplicate_key", "{" DIABETES ", 'cv': {'folds': 3, 'folds': 4}, " OUT_DIR "}", NULL,
     {NULL}, 2, "cv.folds: key given twice", 0},
    {"config_duplicate_section", "{" DIABETES ", " DIABETES ", " OUT_DIR "}", NULL, {NULL}, 2,
     "data: key given twice", 0},
    {"config_unknown_key_suggested", "{" DIABETES ", 'model': {'l1ratio': 0.5}, " OUT_DIR "}",
     NULL, {NULL}, 2, "unknown key 'model.l1ratio' (did you mean 'model.l1_ratio'?)", 0},
    {"config_unknown_key_no_suggestion", "{" DIABETES ", 'model': {'zzz': 1}, " OUT_DIR "}", NULL,
     {NULL}, 2, "unknown key 'model.zzz'", WHOLE_LINE},
    {"config_key_outside_its_section", "{" DIABETES ", 'folds': 3, " OUT_DIR "}", NULL, {NULL}, 2,
     "unknown key 'folds' (did you mean 'cv.folds'?)", 0},
    {"config_section_not_object", "{'data': '@DIABETES@', " OUT_DIR "}", NULL, {NULL}, 2,
     "data: expected an object", 0},
    {"config_train_missing", "{'data': {'target': 'y'}, " OUT_DIR "}", NULL, {NULL}, 2,
     "data.train: required", 0},
    {"config_train_not_string", "{'data': {'train': 5}, " OUT_DIR "}", NULL, {NULL}, 2,
     "data.train: expected a file path, a pattern or a list of files, got 5", 0},
    {"config_folds_wrong_type", "{" DIABETES ", 'cv': {'folds': 'ten'}, " OUT_DIR "}", NULL,
     {NULL}, 2, "cv.folds: expected an integer >= 2, got 'ten'", 0},
    {"config_folds_fraction", "{" DIABETES ", 'cv': {'folds': 2.5}, " OUT_DIR "}", NULL, {NULL}, 2,
     "cv.folds: expected an integer >= 2, got 2.5", 0},
    {"config_folds_one", "{" DIABETES ", 'cv': {'folds': 1}, " OUT_DIR "}", NULL, {NULL}, 2,
     "cv.folds: expected an integer >= 2, got 1", 0},
    {"config_folds_more_than_rows", "{" DIABETES ", 'cv': {'folds': 500}, " OUT_DIR "}", NULL,
     {NULL}, 2, "cv.folds: 500 folds but only 442", 0},
    {"config_seed_negative", "{" DIABETES ", 'cv': {'seed': -1}, " OUT_DIR "}", NULL, {NULL}, 2,
     "cv.seed: expected an integer >= 0, got -1", 0},
    {"config_l1_ratio_above_one", "{" DIABETES ", 'model': {'l1_ratio': 1.5}, " OUT_DIR "}", NULL,
     {NULL}, 2, "model.l1_ratio: expected a number in [0, 1], got 1.5", 0},
    {"config_l1_ratio_negative", "{" DIABETES ", 'model': {'l1_ratio': -0.1}, " OUT_DIR "}", NULL,
     {NULL}, 2, "model.l1_ratio: expected a number in [0, 1], got -0.1", 0},
    {"config_l1_ratio_repeated", "{" DIABETES ", 'model': {'l1_ratio': [1, 0.5, 1]}, " OUT_DIR "}",
     NULL, {NULL}, 2, "model.l1_ratio[2]: 1 is already listed at [0]", 0},
    {"config_l1_ratio_over_cap", "{" DIABETES ", 'model': {'l1_ratio': [" ONES_100 "1]}, " OUT_DIR
     "}", NULL, {NULL}, 2, "model.l1_ratio: expected at most 100 values, got 101 (each one is", 0},
    {"config_n_alphas_over_cap", "{" DIABETES ", 'path': {'n_alphas': 1e15}, " OUT_DIR "}", NULL,
     {NULL}, 2, "path.n_alphas: expected at most 10000 alphas, got 1000000000000000 (", 0},
    {"config_file_over_64_mib", GOOD_CONFIG, NULL, {NULL}, 2,
     "@CONFIG@: config larger than 64 MiB, the most accepted (fold ids for many rows belong in a "
     "column of data.train: 'cv': {'fold_ids': 'fold'})", WHOLE_LINE | CONFIG_IS_HUGE},
    {"config_penalty_and_l1_ratio",
     "{" DIABETES ", 'model': {'penalty': 'lasso', 'l1_ratio': 1}, " OUT_DIR "}", NULL, {NULL}, 2,
     "model.penalty and model.l1_ratio", 0},
    {"config_standardize_not_bool", "{" DIABETES ", 'model': {'standardize': 'yes'}, " OUT_DIR "}",
     NULL, {NULL}, 2, "model.standardize: expected true or false, got 'yes'", 0},
    {"config_family_unknown", "{" DIABETES ", 'model': {'family': 'logistic'}, " OUT_DIR "}", NULL,
     {NULL}, 2,
     "model.family: expected one of 'gaussian', 'binomial', 'poisson', 'multinomial', got "
     "'logistic'",
     0},
    {"config_metric_auc_gaussian", "{" DIABETES ", 'cv': {'metric': 'auc'}, " OUT_DIR "}", NULL,
     {NULL}, 2, "cv.metric: 'auc' needs model.family 'binomial' (the family is 'gaussian')", 0},
    {"data_binomial_many_values", "{" DIABETES ", 'model': {'family': 'binomial'}, " OUT_DIR "}",
     NULL, {NULL}, 3, "target 'progression' has more than two values (25, 31, 37, ...)", 0},
    {"data_binomial_one_value", "{" SMALL ", 'model': {'family': 'binomial'}, 'cv': {'folds': 2}, "
     OUT_DIR "}", "a,y\n1,1\n2,1\n3,1\n4,1\n", {NULL}, 3, "target 'y' has one value (1) only", 0},
    {"data_binomial_class_too_small",
     "{" SMALL ", 'model': {'family': 'binomial'}, 'cv': {'folds': 3}, " OUT_DIR "}",
     "a,y\n1,5\n2,7\n3,5\n4,5\n5,7\n6,5\n", {NULL}, 3,
     "target 'y': class 7 has 2 rows, fewer than the 3 folds (cv.folds)", 0},
    {"data_multinomial_two_classes",
     "{" SMALL ", 'model': {'family': 'multinomial'}, 'cv': {'folds': 2}, " OUT_DIR "}",
     "a,y\n1,b\n2,a\n3,b\n4,a\n", {NULL}, 3,
     "target 'y' has 2 distinct values; model.family 'multinomial' needs three or more classes "
     "(for two, use model.family 'binomial')",
     0},
    {"data_multinomial_two_numeric_classes",
     "{" SMALL ", 'model': {'family': 'multinomial'}, 'cv': {'folds': 2}, " OUT_DIR "}",
     "a,y\n1,0\n2,1\n3,0\n4,1\n", {NULL}, 3,
     "target 'y' has two values (0, 1); model.family 'multinomial' needs three or more classes: "
     "for two, use model.family 'binomial'",
     0},
    {"data_multinomial_class_too_small",
     "{" SMALL ", 'model': {'family': 'multinomial'}, 'cv': {'folds': 3}, " OUT_DIR "}",
     "a,y\n1,x\n2,y\n3,z\n4,x\n5,y\n6,x\n7,y\n8,z\n9,x\n10,y\n", {NULL}, 3,
     "target 'y': class z has 2 rows, fewer than the 3 folds (cv.folds): every fold needs every "
     "class",
     0},
    /* class b's one row held out by data.test_fraction: stratified folds on
     * training rows without class b (folds.c used to crash on an empty class) */
    {"data_multinomial_class_only_in_test_rows",
     "{'data': {'train': '@DATA@', 'test_fraction': 0.3, 'test_seed': 1}, 'model': {'family': "
     "'multinomial'}, 'cv': {'folds': 2}, " OUT_DIR "}",
     "a,y\n1,c\n2,a\n3,c\n4,a\n5,c\n6,a\n7,c\n8,a\n9,c\n10,a\n11,b\n", {NULL}, 3,
     "target 'y': class b has 0 rows, fewer than the 2 folds (cv.folds): every fold needs every "
     "class",
     0},
    {"config_multinomial_relax",
     "{" DIABETES ", 'model': {'family': 'multinomial', 'relax': true}, " OUT_DIR "}", NULL,
     {NULL}, 2, "model.relax: not (yet) with model.family 'multinomial'; leave it out", 0},
    {"config_grouped_without_multinomial",
     "{" DIABETES ", 'model': {'multinomial_grouped': true}, " OUT_DIR "}", NULL, {NULL}, 2,
     "model.multinomial_grouped: needs model.family 'multinomial'", 0},
    {"data_poisson_negative", "{" SMALL ", 'model': {'family': 'poisson'}, 'cv': {'folds': 2}, "
     OUT_DIR "}", "a,y\n1,2\n2,0\n3,-1\n4,5\n", {NULL}, 3,
     "target 'y': value -1 (training row 3) is negative; model.family 'poisson' needs counts >= 0", 0},
    {"config_convention_unknown", "{" DIABETES ", 'model': {'convention': 'sklearn'}, " OUT_DIR "}",
     NULL, {NULL}, 2, "model.convention: expected one of 'standard', 'glmnet', got 'sklearn'", 0},
    {"config_metric_unknown", "{" DIABETES ", 'cv': {'metric': 'rmse'}, " OUT_DIR "}", NULL, {NULL},
     2, "cv.metric: expected one of 'mse', 'mae', 'deviance', 'class', 'auc', got 'rmse'", 0},
    {"config_rule_unknown", "{" DIABETES ", 'cv': {'rule': '2se'}, " OUT_DIR "}", NULL, {NULL}, 2,
     "cv.rule: expected one of '1se', 'min', got '2se'", 0},
    {"config_fold_grid_unknown", "{" DIABETES ", 'cv': {'fold_grid': 'fold'}, " OUT_DIR "}", NULL,
     {NULL}, 2, "cv.fold_grid: expected one of 'full', 'own', got 'fold'", 0},
    {"config_n_alphas_zero", "{" DIABETES ", 'path': {'n_alphas': 0}, " OUT_DIR "}", NULL, {NULL},
     2, "path.n_alphas: expected an integer >= 1, got 0", 0},
    {"config_keep_unknown", "{" DIABETES ", 'cv': {'keep': 'paths'}, " OUT_DIR "}", NULL, {NULL},
     2, "cv.keep: expected true, false or 'path', got \"paths\"", 0},
    {"config_extend_not_bool", "{" DIABETES ", 'path': {'extend': 3}, " OUT_DIR "}", NULL, {NULL},
     2, "path.extend: expected true or false, got 3", 0},
    {"config_extend_max_negative", "{" DIABETES ", 'path': {'extend_max': -1}, " OUT_DIR "}", NULL,
     {NULL}, 2, "path.extend_max: expected an integer >= 0, got -1", 0},
    {"config_extend_max_over_cap", "{" DIABETES ", 'path': {'extend_max': 10001}, " OUT_DIR "}",
     NULL, {NULL}, 2, "path.extend_max: expected at most 10000 alphas, got 10001 (", 0},
    {"config_tol_zero", "{" DIABETES ", 'path': {'tol': 0}, " OUT_DIR "}", NULL, {NULL}, 2,
     "path.tol: expected a positive number, got 0", 0},
    {"config_tol_negative", "{" DIABETES ", 'path': {'tol': -1}, " OUT_DIR "}", NULL, {NULL}, 2,
     "path.tol: expected a positive number, got -1", 0},
    {"config_max_iter_zero", "{" DIABETES ", 'path': {'max_iter': 0}, " OUT_DIR "}", NULL, {NULL},
     2, "path.max_iter: expected an integer >= 1, got 0", 0},
    {"config_alpha_min_ratio_zero", "{" DIABETES ", 'path': {'alpha_min_ratio': 0}, " OUT_DIR "}",
     NULL, {NULL}, 2, "path.alpha_min_ratio: expected a number in (0, 1), got 0", 0},
    {"config_alpha_min_ratio_one", "{" DIABETES ", 'path': {'alpha_min_ratio': 1}, " OUT_DIR "}",
     NULL, {NULL}, 2, "path.alpha_min_ratio: expected a number in (0, 1), got 1", 0},
    {"config_alpha_min_ratio_above_one",
     "{" DIABETES ", 'path': {'alpha_min_ratio': 1.5}, " OUT_DIR "}", NULL, {NULL}, 2,
     "path.alpha_min_ratio: expected a number in (0, 1), got 1.5", 0},
    {"config_alphas_increasing", "{" DIABETES ", 'path': {'alphas': [1, 2]}, " OUT_DIR "}", NULL,
     {NULL}, 2, "path.alphas: expected a strictly decreasing list, but [1] = 2 is not below [0] = 1",
     0},
    {"config_alphas_negative", "{" DIABETES ", 'path': {'alphas': [1, -2]}, " OUT_DIR "}", NULL,
     {NULL}, 2, "path.alphas[1]: expected a positive number, got -2", 0},
    {"config_alphas_zero", "{" DIABETES ", 'path': {'alphas': [1, 0]}, " OUT_DIR "}", NULL, {NULL},
     2, "path.alphas[1]: expected a positive number, got 0", 0},
    {"config_alphas_empty", "{" DIABETES ", 'path': {'alphas': []}, " OUT_DIR "}", NULL, {NULL}, 2,
     "path.alphas: expected a non-empty list of positive numbers or null, got []", 0},
    {"config_output_dir_empty", "{" DIABETES ", 'output': {'dir': ''}}", NULL, {NULL}, 2,
     "output.dir: expected a folder path, got ''", 0},

    /* ---- the config against the data */
    {"config_target_not_a_column", "{'data': {'train': '@DIABETES@', 'target': 'zzz'}, " OUT_DIR "}",
     NULL, {NULL}, 2, "data.target: no column 'zzz' in @DIABETES@", 0},
    {"config_features_not_a_column",
     "{'data': {'train': '@DIABETES@', 'features': ['age', 'zzz']}, " OUT_DIR "}", NULL, {NULL}, 2,
     "data.features: no column 'zzz' in @DIABETES@", 0},
    {"config_features_empty", "{'data': {'train': '@DIABETES@', 'features': []}, " OUT_DIR "}",
     NULL, {NULL}, 2, "data.features: expected a non-empty list of column names or null, got []", 0},
    {"config_features_include_target",
     "{'data': {'train': '@DIABETES@', 'features': ['age', 'progression']}, " OUT_DIR "}", NULL,
     {NULL}, 2, "data.features: 'progression' is the target column", 0},
    {"config_features_include_fold_column",
     "{'data': {'train': '@DATA@', 'features': ['a', 'f']}, 'cv': {'fold_ids': 'f'}, " OUT_DIR "}",
     SMALL_CSV, {NULL}, 2, "data.features: 'f' is the fold id column", 0},
    /* Names in the config are compared as written too (U+FFFD for 0xE9):
     * these name one column twice. */
    {"config_features_repeated_once_cleaned",
     "{'data': {'train': '@DATA@', 'features': ['caf\xe9', 'caf" FFFD "']}, " OUT_DIR "}",
     "caf\xe9,b,y\n1,2,3\n4,5,6\n", {NULL}, 2,
     "data.features[1]: column 'caf" FFFD "' is already listed at [0]", WHOLE_LINE},
    {"config_penalty_factor_repeated_once_cleaned",
     "{" SMALL ", 'model': {'penalty_factor': {'caf\xe9': 0, 'caf\xe8': 2}}, " OUT_DIR "}",
     "caf\xe9,b,y\n1,2,3\n4,5,6\n", {NULL}, 2,
     "model.penalty_factor.caf" FFFD ": key given twice", WHOLE_LINE},
    {"config_penalty_factor_negative",
     "{" DIABETES ", 'model': {'penalty_factor': {'age': -1}}, " OUT_DIR "}", NULL, {NULL}, 2,
     "model.penalty_factor.age: expected a number >= 0, got -1", 0},
    {"config_penalty_factor_not_a_feature",
     "{" DIABETES ", 'model': {'penalty_factor': {'progression': 0}}, " OUT_DIR "}", NULL, {NULL}, 2,
     "model.penalty_factor: 'progression' is not a feature", 0},
    {"config_lower_limit_positive",
     "{" DIABETES ", 'model': {'lower_limits': {'age': 0.5}}, " OUT_DIR "}", NULL, {NULL}, 2,
     "model.lower_limits.age: expected a number <= 0, got 0.5", 0},
    {"config_upper_limit_negative", "{" DIABETES ", 'model': {'upper_limits': -1}, " OUT_DIR "}",
     NULL, {NULL}, 2, "model.upper_limits: expected a number >= 0, got -1", 0},
    {"config_limit_not_a_feature",
     "{" DIABETES ", 'model': {'upper_limits': {'progression': 1}}, " OUT_DIR "}", NULL, {NULL}, 2,
     "model.upper_limits: 'progression' is not a feature", 0},
    {"config_gamma_without_relax", "{" DIABETES ", 'model': {'gamma': [0, 1]}, " OUT_DIR "}",
     NULL, {NULL}, 2,
     "model.gamma: needs model.relax: true (gamma blends", 0},
    {"config_gamma_outside_0_1",
     "{" DIABETES ", 'model': {'relax': true, 'gamma': [0, 1.5]}, " OUT_DIR "}", NULL, {NULL}, 2,
     "model.gamma[1]: expected a number in [0, 1], got 1.5", 0},
    {"config_relax_with_limits",
     "{" DIABETES ", 'model': {'relax': true, 'lower_limits': -1}, " OUT_DIR "}", NULL, {NULL}, 2,
     "model.relax and model.lower_limits: the relaxed lasso does not take coefficient limits", 0},
    {"config_fold_ids_wrong_length", "{" SMALL ", 'cv': {'fold_ids': [1, 2, 1]}, " OUT_DIR "}",
     SMALL_CSV, {NULL}, 2, "cv.fold_ids: expected 6 fold ids (one per training row), got 3", 0},
    {"config_fold_ids_empty_fold",
     "{" SMALL ", 'cv': {'fold_ids': [1, 3, 1, 3, 1, 3]}, " OUT_DIR "}", SMALL_CSV, {NULL}, 2,
     "cv.fold_ids: fold 2 of 3 is empty", 0},
    {"config_repeats_with_given_folds",
     "{" SMALL ", 'cv': {'fold_ids': [1, 2, 1, 2, 1, 2], 'repeats': 2}, " OUT_DIR "}", SMALL_CSV,
     {NULL}, 2,
     "cv.repeats: 2 repeats draw new folds from cv.seed, but cv.fold_ids gives the folds; leave "
     "one of the two out",
     0},
    {"config_repeats_zero", "{" DIABETES ", 'cv': {'repeats': 0}, " OUT_DIR "}", NULL, {NULL}, 2,
     "cv.repeats: expected an integer >= 1, got 0", 0},
    {"config_fold_ids_zero", "{" SMALL ", 'cv': {'fold_ids': [1, 2, 0, 1, 2, 1]}, " OUT_DIR "}",
     SMALL_CSV, {NULL}, 2, "cv.fold_ids[2]: expected an integer >= 1, got 0", 0},
    {"config_fold_ids_column_missing", "{" SMALL ", 'cv': {'fold_ids': 'nope'}, " OUT_DIR "}",
     SMALL_CSV, {NULL}, 2, "cv.fold_ids: no column 'nope' in @DATA@", 0},
    {"config_fold_ids_column_is_target", "{" SMALL ", 'cv': {'fold_ids': 'y'}, " OUT_DIR "}",
     SMALL_CSV, {NULL}, 2, "cv.fold_ids: 'y' is the target column", 0},
    {"data_fold_column_not_integer", "{" SMALL ", 'cv': {'fold_ids': 'f'}, " OUT_DIR "}",
     "a,b,f,y\n1,2,1,3\n2,1,1.5,5\n3,5,2,4\n4,4,2,8\n", {NULL}, 3,
     "@DATA@:3: fold id 1.5 in column 'f' is not an integer >= 1", 0},
    {"data_fewer_rows_than_folds", "{" SMALL ", 'cv': {'folds': 3}, " OUT_DIR "}",
     "a,b,y\n1,2,3\n2,5,4\n", {NULL}, 2, "cv.folds: 3 folds but only 2", 0},

    /* ---- real tables (issue 16): one clear line each, and no output */
    {"data_missing_value_under_error", "{" SMALL ", 'cv': {'folds': 2}, " OUT_DIR "}",
     ",glucose,insulin,y\n\"1\",1,2,3\n\"2\",2,3,5\n\"3\",4,1,4\n\"4\",5,NA,8\n", {NULL}, 3,
     "@DATA@:5:7: missing value 'NA' in column 'insulin'; set data.missing to 'drop' or 'mean', or "
     "leave the column out with data.exclude", WHOLE_LINE},
    {"data_factor_with_too_many_levels",
     "{'data': {'train': '@DATA@', 'max_levels': 3}, 'cv': {'folds': 2}, " OUT_DIR "}",
     "a,name,y\n1,p,3\n2,q,5\n3,r,4\n4,s,8\n", {NULL}, 3,
     "@DATA@: column 'name' has 4 distinct values, more than data.max_levels (3) for a categorical "
     "column; if it names the rows, set data.id, or leave it out with data.exclude", WHOLE_LINE},
    {"data_binomial_three_text_labels", "{" SMALL ", 'model': {'family': 'binomial'}, 'cv': {'folds': 2}, "
     OUT_DIR "}", "a,y\n1,u\n2,v\n3,w\n4,u\n", {NULL}, 3,
     "@DATA@: target 'y' has 3 distinct values ('u', 'v', ...); model.family 'binomial' needs exactly "
     "two classes", WHOLE_LINE},
    {"data_all_missing_column", "{'data': {'train': '@DATA@', 'missing': 'mean'}, 'cv': {'folds': 2}, "
     OUT_DIR "}", "a,b,y\n1,NA,3\n2,NA,5\n3,,4\n4,NA,8\n", {NULL}, 3,
     "@DATA@: column 'b' has no values (every cell is missing); leave it out with data.exclude",
     WHOLE_LINE},
    {"data_weights_negative", "{'data': {'train': '@DATA@', 'weights': 'w'}, 'cv': {'folds': 2}, "
     OUT_DIR "}", "a,w,y\n1,1,3\n2,-1,5\n3,1,4\n4,1,8\n", {NULL}, 3,
     "@DATA@:3: weight -1 in column 'w' (data.weights) is negative; weights must be >= 0", WHOLE_LINE},
    {"data_weights_all_zero", "{'data': {'train': '@DATA@', 'weights': 'w'}, 'cv': {'folds': 2}, "
     OUT_DIR "}", "a,w,y\n1,0,3\n2,0,5\n3,0,4\n4,0,8\n", {NULL}, 3,
     "@DATA@: every weight in column 'w' (data.weights) is 0; at least one must be positive",
     WHOLE_LINE},
    {"data_offset_with_text", "{'data': {'train': '@DATA@', 'offset': 'o'}, 'cv': {'folds': 2}, "
     OUT_DIR "}", "a,o,y\n1,0.5,3\n2,abc,5\n3,1,4\n4,1,8\n", {NULL}, 3,
     "@DATA@:3:3: ", 0},
    {"config_exclude_unknown_column", "{'data': {'train': '@DATA@', 'exclude': ['zz']}, " OUT_DIR "}",
     SMALL_CSV, {NULL}, 2, "data.exclude: no column 'zz' in @DATA@", WHOLE_LINE},
    {"config_categorical_unknown_column",
     "{'data': {'train': '@DATA@', 'categorical': ['a', 'zz']}, " OUT_DIR "}", SMALL_CSV, {NULL}, 2,
     "data.categorical: no column 'zz' in @DATA@", WHOLE_LINE},
    {"config_id_unknown_column", "{'data': {'train': '@DATA@', 'id': 'zz'}, " OUT_DIR "}", SMALL_CSV,
     {NULL}, 2, "data.id: no column 'zz' in @DATA@", WHOLE_LINE},
    {"config_weights_unknown_column", "{'data': {'train': '@DATA@', 'weights': 'zz'}, " OUT_DIR "}",
     SMALL_CSV, {NULL}, 2, "data.weights: no column 'zz' in @DATA@", WHOLE_LINE},
    {"config_missing_unknown", "{'data': {'train': '@DATA@', 'missing': 'impute'}, " OUT_DIR "}", NULL,
     {NULL}, 2, "data.missing: expected one of 'error', 'drop', 'mean', got 'impute'", WHOLE_LINE},
    {"config_categorical_wrong_type", "{'data': {'train': '@DATA@', 'categorical': 5}, " OUT_DIR "}",
     NULL, {NULL}, 2, "data.categorical: expected 'auto', 'none' or a non-empty list of column names, "
     "got 5", WHOLE_LINE},
    {"config_exclude_lists_the_target",
     "{'data': {'train': '@DATA@', 'target': 'y', 'exclude': ['y']}, " OUT_DIR "}", SMALL_CSV, {NULL},
     2, "data.exclude[0]: 'y' is used as the target", 0},
    {"config_positive_class_not_a_class", "{'data': {'train': '@DATA@'}, 'model': {'family': "
     "'binomial', 'positive_class': 'Q'}, 'cv': {'folds': 2}, " OUT_DIR "}",
     "a,y\n1,M\n2,R\n3,M\n4,R\n", {NULL}, 2,
     "model.positive_class: 'Q' is not a class of target 'y' ('M', 'R')", WHOLE_LINE},

    /* ---- --set overrides */
    {"set_without_value", GOOD_CONFIG, NULL, {"--set", "cv.folds"}, 2,
     "--set cv.folds: expected section.key=value", 0},
    {"set_without_section", GOOD_CONFIG, NULL, {"--set", "folds=3"}, 2,
     "--set folds=3: expected a key of the form section.key", 0},
    {"set_unknown_key", GOOD_CONFIG, NULL, {"--set", "cv.fold=3"}, 2,
     "unknown key 'cv.fold' (did you mean 'cv.folds'?)", 0},
    {"set_wrong_value", GOOD_CONFIG, NULL, {"--set", "cv.folds=ten"}, 2,
     "cv.folds: expected an integer >= 2, got 'ten'", 0},
    {"set_invalid_json", GOOD_CONFIG, NULL, {"--set", "cv.fold_ids=[1,2"}, 2,
     "--set cv.fold_ids=[1,2: invalid JSON value", 0},

    /* ---- the CSV */
    {"data_missing_file", "{" SMALL ", " OUT_DIR "}", NULL, {NULL}, 5,
     "@DATA@: cannot open: No such file or directory", 0},
    {"data_is_a_directory", "{" SMALL ", " OUT_DIR "}", NULL, {NULL}, 5, "@DATA@: is a directory",
     DATA_IS_DIR},
    {"data_empty_file", "{" SMALL ", " OUT_DIR "}", "", {NULL}, 3, "@DATA@: empty file", 0},
    {"data_header_only", "{" SMALL ", " OUT_DIR "}", "a,b,y\n", {NULL}, 3,
     "@DATA@:1: no data rows (header only)", 0},
    {"data_blank_header", "{" SMALL ", " OUT_DIR "}", "\n1,2,3\n", {NULL}, 3,
     "@DATA@:1: empty header line", 0},
    {"data_duplicate_column", "{" SMALL ", " OUT_DIR "}", "a,a,y\n1,2,3\n4,5,6\n", {NULL}, 3,
     "@DATA@:1:3: duplicate column name 'a' (also column 1)", 0},
    {"data_empty_column_name", "{" SMALL ", " OUT_DIR "}", "a,,y\n1,2,3\n4,5,6\n", {NULL}, 3,
     "@DATA@:1:3: empty column name in column 2", 0},
    /* Latin-1 names that differ only in a byte that is not UTF-8: both would
     * be written "caf\uFFFD", so the model could not tell them apart. */
    {"data_duplicate_once_cleaned", "{" SMALL ", " OUT_DIR "}", "caf\xe9,caf\xe8,y\n1,2,3\n4,5,6\n",
     {NULL}, 3,
     "@DATA@:1:6: duplicate column name 'caf" FFFD "' (also column 1, the same name once invalid "
     "UTF-8 is replaced by U+FFFD)", WHOLE_LINE},
    /* A name with ESC [ 2 J (clear screen) and a raw 0x9B (a one-byte CSI on
     * some terminals) in an error message: shown as U+FFFD. */
    {"data_error_names_a_hostile_column", "{" NONE_CSV ", " OUT_DIR "}",
     "a,b\x1b[2J\x9b,y\n1,2,3\n1,abc,3\n4,5,6\n", {NULL}, 3,
     "@DATA@:3:3: non-numeric cell 'abc' in column 'b" FFFD "[2J" FFFD "'", WHOLE_LINE},
    {"data_row_too_short", "{" SMALL ", " OUT_DIR "}", "a,b,y\n1,2,3\n1,2\n4,5,6\n", {NULL}, 3,
     "@DATA@:3:4: row has 2 cells, header has 3", 0},
    {"data_row_too_long", "{" SMALL ", " OUT_DIR "}", "a,b,y\n1,2,3,4\n4,5,6\n", {NULL}, 3,
     "@DATA@:2:7: row has 4 cells, header has 3", 0},
    {"data_non_numeric_cell", "{" NONE_CSV ", " OUT_DIR "}", "a,b,y\n1,2,3\n1,abc,3\n4,5,6\n", {NULL},
     3, "@DATA@:3:3: non-numeric cell 'abc' in column 'b'", 0},
    {"data_line_over_the_limit", "{'data': {'train': '@DATA@', 'max_line_bytes': 16}, " OUT_DIR "}",
     "a,b,y\n1,2,3\n1,22222222222222222,3\n4,5,6\n", {NULL}, 3,
     "@DATA@:3: line longer than 16 bytes", 0},
    {"config_max_line_too_small", "{'data': {'train': '@DATA@', 'max_line_bytes': 4}, " OUT_DIR "}",
     "a,b,y\n1,2,3\n", {NULL}, 2, "data.max_line_bytes: expected an integer >= 16, got 4", 0},
    {"data_hexadecimal_cell", "{" NONE_CSV ", " OUT_DIR "}", "a,b,y\n0x10,2,3\n4,5,6\n", {NULL}, 3,
     "@DATA@:2:1: non-numeric cell '0x10' in column 'a'", 0},
    {"data_nan_cell", "{" SMALL ", " OUT_DIR "}", "a,b,y\n1,2,3\n1,NaN,3\n4,5,6\n", {NULL}, 3,
     "@DATA@:3:3: missing value 'NaN' in column 'b'; set data.missing to 'drop' or 'mean', or "
     "leave the column out with data.exclude", WHOLE_LINE},
    {"data_inf_cell", "{" SMALL ", " OUT_DIR "}", "a,b,y\n1,2,3\n1,2,-Inf\n4,5,6\n", {NULL}, 3,
     "@DATA@:3:5: not a finite number '-Inf' in column 'y'", 0},
    {"data_overflowing_cell", "{" NONE_CSV ", " OUT_DIR "}", "a,b,y\n1,2,3\n1e999,2,3\n4,5,6\n", {NULL},
     3, "@DATA@:3:1: not a finite number '1e999' in column 'a'", 0},
    {"data_empty_cell", "{" SMALL ", " OUT_DIR "}", "a,b,y\n1,2,3\n1,,3\n4,5,6\n", {NULL}, 3,
     "@DATA@:3:3: missing value '' in column 'b'; set data.missing to 'drop' or 'mean', or "
     "leave the column out with data.exclude", WHOLE_LINE},
    {"data_unterminated_quote", "{" SMALL ", " OUT_DIR "}", "a,b,y\n1,\"2,3\n4,5,6\n", {NULL}, 3,
     "@DATA@:2:3: unterminated quoted field (the file ends before its closing quote) in column 'b'", 0},
    {"data_blank_line_between_rows", "{" SMALL ", " OUT_DIR "}", "a,b,y\n1,2,3\n\n4,5,6\n", {NULL},
     3, "@DATA@:3: empty line", 0},
    {"data_constant_target", "{" SMALL ", 'cv': {'folds': 2}, " OUT_DIR "}",
     "a,b,y\n1,2,3\n2,5,3\n4,5,3\n5,1,3\n", {NULL}, 3, "target \"y\" is constant", 0},

    /* ---- svmlight files (issue 19): each malformed line one error at its
     * file:line:column, exit 3; the reader's own tests (check_svmlight.c)
     * cover every case, these that the program passes them on whole.
     * @DATA@ is data.csv, so the format is given. */
    {"svm_index_zero", "{" SVM ", " OUT_DIR "}", "1 1:2 3:4\n2 2:1\n1 0:1\n", {NULL}, 3,
     "@DATA@:3:3: feature index 0: indices are 1-based (the first feature is 1)", WHOLE_LINE},
    {"svm_value_missing", "{" SVM ", " OUT_DIR "}", "1 1:2\n2 12:\n", {NULL}, 3,
     "@DATA@:2:3: '12:' has no value after the colon: write each feature as index:value",
     WHOLE_LINE},
    {"svm_index_missing", "{" SVM ", " OUT_DIR "}", "1 1:2\n2 :3\n", {NULL}, 3,
     "@DATA@:2:3: ':3' has no index before the colon: write each feature as index:value",
     WHOLE_LINE},
    {"svm_indices_decrease", "{" SVM ", " OUT_DIR "}", "1 1:2\n1 3:1 2:1\n", {NULL}, 3,
     "@DATA@:2:7: feature index 2 after 3: indices must increase along a line", 0},
    {"svm_value_not_finite", "{" SVM ", " OUT_DIR "}", "1 1:2\n1 1:inf\n", {NULL}, 3,
     "@DATA@:2:3: not a finite number 'inf' as the value of feature 1", WHOLE_LINE},
    {"svm_line_over_the_limit", "{'data': {'train': '@DATA@', 'format': 'svmlight', "
     "'max_line_bytes': 20}, " OUT_DIR "}", "1 1:2\n1 1:1 2:2 3:3 4:4 5:5 6:6\n", {NULL}, 3,
     "@DATA@:2: line longer than 20 bytes: set data.max_line_bytes higher to read it", WHOLE_LINE},
    {"svm_index_above_n_features", "{'data': {'train': '@DATA@', 'format': 'svmlight', "
     "'n_features': 2}, " OUT_DIR "}", "1 1:1\n2 3:1\n", {NULL}, 3,
     "@DATA@:2:3: feature index 3 is above data.n_features (2): raise data.n_features, or leave "
     "it out to take p from the file", WHOLE_LINE},
    {"svm_labels_only", "{" SVM ", " OUT_DIR "}", "1\n2 # no features\n", {NULL}, 3,
     "@DATA@: no features: every line holds a label only", 0},
    {"svm_binomial_three_labels", "{" SVM ", 'model': {'family': 'binomial'}, " OUT_DIR "}",
     "1 1:1\n-1 2:1\n0 1:3\n", {NULL}, 3,
     "@DATA@: target 'y' has more than two values (-1, 0, 1, ...)", 0},
    {"svm_fold_ids_of_the_wrong_length", "{" SVM ", 'cv': {'fold_ids': [1, 2, 1]}, " OUT_DIR "}",
     "1 1:1\n2 2:1\n3 1:2\n4 2:2\n", {NULL}, 2,
     "cv.fold_ids: expected 4 fold ids (one per training row), got 3", WHOLE_LINE},
    {"config_n_features_for_a_csv_file", "{'data': {'train': '@DIABETES@', 'n_features': 10}, "
     OUT_DIR "}", NULL, {NULL}, 2, "data.n_features: only for svmlight data, and data.train is "
     "read as csv; leave it out, or set data.format to 'svmlight'", WHOLE_LINE},
    {"config_format_unknown", "{'data': {'train': '@DIABETES@', 'format': 'libsvm'}, " OUT_DIR "}",
     NULL, {NULL}, 2, "data.format: expected one of 'csv', 'svmlight', got 'libsvm'", WHOLE_LINE},
    {"config_storage_unknown", "{'data': {'train': '@DIABETES@', 'storage': 'csc'}, " OUT_DIR "}",
     NULL, {NULL}, 2, "data.storage: expected one of 'auto', 'dense', 'sparse', got 'csc'",
     WHOLE_LINE},
    {"config_target_of_an_svmlight_file", "{" SVM ", " OUT_DIR "}", "1 1:1\n", {"--target", "y"},
     2, "data.target: svmlight files have no named columns (data.train is read as svmlight); "
     "leave it out: the label of each line is the target", WHOLE_LINE},
    {"config_fold_column_of_an_svmlight_file", "{" SVM ", 'cv': {'fold_ids': 'fold'}, " OUT_DIR
     "}", "1 1:1\n", {NULL}, 2, "cv.fold_ids: svmlight files have no named columns", 0},

    /* ---- numerical failure: values whose deviations from their mean
     * overflow (columns near 1e300 alone are standardized in scaled units).
     * The message names the column as the CSV does (here "a"). */
    {"numeric_feature_too_large",
     "{'data': {'train': '@DATA@', 'target': 'y'}, 'cv': {'folds': 2}, " OUT_DIR "}",
     "y,a,b\n1,1.7e308,3\n2,-1.7e308,1\n3,-1.7e308,5\n4,-1.7e308,1\n", {NULL}, 4, "column 'a'", 0},
    {"numeric_target_too_large", "{" SMALL ", 'cv': {'folds': 2}, " OUT_DIR "}",
     "a,b,y\n1,2,1e200\n1,1,-1e200\n4,5,6\n1,2,1\n", {NULL}, 4, "target \"y\": values too large", 0},

    /* ---- out of memory: a line buffer too large to allocate.  (A grid too
     * large is now a config error, path.n_alphas above; check_path covers
     * the library's own guard.) */
    {"memory_line_buffer_too_large",
     "{'data': {'train': '@DIABETES@', 'max_line_bytes': 1e15}, " OUT_DIR "}", NULL, {NULL}, 6,
     "out of memory", 0},

    /* ---- the command line (the config is good: only the usage is wrong) */
    {"usage_no_config", GOOD_CONFIG, NULL, {"--quiet"}, 2, "--config FILE or --data FILE is required",
     NO_CONFIG_OPTION},
    {"usage_unknown_option", GOOD_CONFIG, NULL, {"--bogus"}, 2, "--bogus", 0},
    {"usage_unknown_option_with_escapes", GOOD_CONFIG, NULL, {"--bogus\x1b[2J\x9b"}, 2,
     "unknown option --bogus" FFFD "[2J" FFFD " (see regpath --help)", WHOLE_LINE},
    {"usage_option_missing_value", GOOD_CONFIG, NULL, {"--config"}, 2, "--config",
     NO_CONFIG_OPTION},
    {"usage_extra_argument", GOOD_CONFIG, NULL, {"extra"}, 2, "extra", 0},

    /* ---- the output */
    {"output_dir_is_a_file", GOOD_CONFIG, NULL, {NULL}, 5, "@OUT@: not a folder", OUT_IS_FILE},
    {"output_dir_under_a_file", "{" DIABETES ", 'cv': {'folds': 3}, 'output': {'dir': '@OUT@/sub'}}",
     NULL, {NULL}, 5, "@OUT@: not a folder", OUT_IS_FILE},
    {"output_dir_cannot_be_created",
     "{" DIABETES ", 'cv': {'folds': 3}, 'output': {'dir': '/proc/regpath-nope/out'}}", NULL,
     {NULL}, 5, "/proc/regpath-nope: cannot create folder", 0},
    {"output_report_is_a_directory", GOOD_CONFIG, NULL, {NULL}, 5,
     "@OUT@/report.json: is in the way: regpath writes a file of that name; move it elsewhere", REPORT_IS_DIR},
    /* The second file of a commit in the way: the first must not change. */
    {"output_model_is_a_directory", GOOD_CONFIG, NULL, {NULL}, 5,
     "@OUT@/model.json: is in the way: regpath writes a file of that name; move it elsewhere", MODEL_IS_DIR},
    {"output_holds_a_folder", GOOD_CONFIG, NULL, {NULL}, 5,
     "@OUT@: holds the folder \"model.json.d\" that regpath did not write", MODEL_IS_DIR},
};
/* clang-format on */

#define N_BAD_CASES ((int)(sizeof BAD_CASES / sizeof BAD_CASES[0]))

static const char OLD_REPORT[] = "OLD REPORT\n";
static const char NOT_A_FOLDER[] = "NOT A FOLDER\n";

/* Everything a failed run must show: `run` says which run of the row. */
static void check_failure(const bad_case *c, const char *run) {
  char expected[PATH_MAX_LEN], line[CAPTURE_MAX];
  subst(c->message, 1, expected, sizeof expected);
  first_line(R.err, line, sizeof line);
  ck_assert_msg(R.signal == 0, "[%s, %s] killed by signal %d (stderr: %s) in %s", c->name, run,
                R.signal, R.err, T.dir);
  ck_assert_msg(R.code == c->exit_code, "[%s, %s] exit %d, expected %d (stderr: %s)", c->name, run,
                R.code, c->exit_code, R.err);
  ck_assert_msg(strncmp(line, "regpath: error: ", 16) == 0,
                "[%s, %s] stderr does not start with \"regpath: error: \": %s", c->name, run,
                R.err);
  ck_assert_msg(strstr(line, expected) != NULL, "[%s, %s] message \"%s\" does not contain \"%s\"",
                c->name, run, line, expected);
  if (c->flags & WHOLE_LINE)
    ck_assert_msg(strcmp(line + 16, expected) == 0, "[%s, %s] message \"%s\", expected \"%s\"",
                  c->name, run, line + 16, expected);
  ck_assert_msg(count_lines(R.err) == 1 && R.err[strlen(R.err) - 1] == '\n',
                "[%s, %s] stderr is not exactly one line: \"%s\"", c->name, run, R.err);
  size_t bad = tu_utf8_check(R.err, strlen(R.err), 1);
  ck_assert_msg(bad == strlen(R.err),
                "[%s, %s] stderr byte %zu (0x%02x) is not text for a terminal", c->name, run, bad,
                (unsigned char)R.err[bad]);
  ck_assert_msg(R.out[0] == '\0', "[%s, %s] stdout not empty: \"%s\"", c->name, run, R.out);
  char name[256];
  ck_assert_msg(!dir_has_dotfiles(T.out, name, sizeof name),
                "[%s, %s] temporary file %s left in %s", c->name, run, name, T.out);
  ck_assert_msg(!dir_has_dotfiles(T.dir, name, sizeof name),
                "[%s, %s] staging folder %s left in %s", c->name, run, name, T.dir);
}

/* The row's arguments: --config @CONFIG@ (unless NO_CONFIG_OPTION), then its
 * own, expanded into `storage`. */
static void case_args(const bad_case *c, const char **args, char storage[][PATH_MAX_LEN]) {
  size_t n = 0;
  if (!(c->flags & NO_CONFIG_OPTION)) {
    args[n++] = "--config";
    args[n++] = T.config;
  }
  for (size_t i = 0; i < sizeof c->args / sizeof c->args[0] && c->args[i]; i++) {
    subst(c->args[i], 1, storage[i], PATH_MAX_LEN);
    args[n++] = storage[i];
  }
  args[n] = NULL;
}

static void assert_file_is(const char *path, const char *text, const char *what) {
  char buf[256];
  long n = read_into(path, buf, sizeof buf);
  ck_assert_msg(n == (long)strlen(text) && memcmp(buf, text, (size_t)n) == 0,
                "%s: %s changed (now %ld bytes: \"%s\")", what, path, n, n >= 0 ? buf : "");
}

START_TEST(bad_input_fails_cleanly) {
  const bad_case *c = &BAD_CASES[_i];
  const char *args[MAX_ARGS + 1];
  char storage[6][PATH_MAX_LEN];
  if (c->config) write_config(T.config, c->config);
  if (c->flags & CONFIG_IS_HUGE) ck_assert_int_eq(truncate(T.config, (64L << 20) + 1), 0);
  if (c->csv) write_file(T.data, c->csv);
  if (c->flags & DATA_IS_DIR) make_dir(T.data);
  if (c->flags & OUT_IS_FILE) write_file(T.out, NOT_A_FOLDER);
  if (c->flags & REPORT_IS_DIR) {
    make_dir(T.out);
    make_dir(T.report);
  }
  char model_dir[PATH_MAX_LEN];
  join(model_dir, sizeof model_dir, T.out,
       strstr(c->message, "model.json.d") ? "model.json.d" : "model.json");
  if (c->flags & MODEL_IS_DIR) {
    make_dir(T.out);
    write_file(T.report, OLD_REPORT);
    make_dir(model_dir);
  }
  case_args(c, args, storage);

  /* First run: nothing there before, nothing there after. */
  run_program(NULL, args);
  check_failure(c, "first run");
  if (c->flags & OUT_IS_FILE) {
    assert_file_is(T.out, NOT_A_FOLDER, c->name);
    return; /* no folder to hold an earlier report */
  }
  if (c->flags & REPORT_IS_DIR) {
    ck_assert_msg(is_directory(T.report) && dir_is_empty(T.report), "[%s] %s changed", c->name,
                  T.report);
    return;
  }
  if (c->flags & MODEL_IS_DIR) {
    assert_file_is(T.report, OLD_REPORT, c->name);
    ck_assert_msg(is_directory(model_dir) && dir_is_empty(model_dir), "[%s] %s changed", c->name,
                  model_dir);
    return;
  }
  ck_assert_msg(!file_exists(T.report), "[%s] %s written by a failed run", c->name, T.report);

  /* Second run: an earlier report must survive byte for byte. */
  make_dir(T.out);
  write_file(T.report, OLD_REPORT);
  run_program(NULL, args);
  check_failure(c, "second run, earlier report");
  assert_file_is(T.report, OLD_REPORT, c->name);
}
END_TEST

/* ------------------------------------------------------------ report access */

static const cJSON *member(const cJSON *obj, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  ck_assert_msg(v != NULL, "report: no key \"%s\"", key);
  return v;
}

static double number(const cJSON *obj, const char *key) {
  const cJSON *v = member(obj, key);
  ck_assert_msg(cJSON_IsNumber(v), "report: \"%s\" is not a number", key);
  return v->valuedouble;
}

/* A non-negative integer (an index or a count). */
static size_t count(const cJSON *obj, const char *key) {
  double x = number(obj, key);
  ck_assert_msg(x >= 0 && x == floor(x) && x < 1e15, "report: \"%s\" = %g is not a count", key, x);
  return (size_t)x;
}

static const char *string(const cJSON *obj, const char *key) {
  const cJSON *v = member(obj, key);
  ck_assert_msg(cJSON_IsString(v), "report: \"%s\" is not a string", key);
  return v->valuestring;
}

/* An array; of length n unless n is (size_t)-1. */
static const cJSON *array(const cJSON *obj, const char *key, size_t n) {
  const cJSON *v = member(obj, key);
  ck_assert_msg(cJSON_IsArray(v), "report: \"%s\" is not an array", key);
  if (n != (size_t)-1)
    ck_assert_msg((size_t)cJSON_GetArraySize(v) == n, "report: \"%s\" has %d items, expected %zu",
                  key, cJSON_GetArraySize(v), n);
  return v;
}

#define ANY_LENGTH ((size_t)-1)

static double at(const cJSON *arr, size_t k) {
  const cJSON *v = cJSON_GetArrayItem(arr, (int)k);
  ck_assert_msg(cJSON_IsNumber(v), "report: item %zu is not a number", k);
  return v->valuedouble;
}

/* report.json of `dir`, parsed; no temporary file may be left beside it. */
static cJSON *load_report(const char *dir) {
  char path[PATH_MAX_LEN];
  join(path, sizeof path, dir, "report.json");
  ck_assert_msg(is_regular_file(path), "no report at %s", path);
  assert_no_dotfiles(dir);
  return tu_load_json(path);
}

/* The same report without its "timing" section, as compact text. */
static char *without_timing(const char *path) {
  cJSON *r = tu_load_json(path);
  cJSON_DeleteItemFromObjectCaseSensitive(r, "timing");
  char *text = cJSON_PrintUnformatted(r);
  cJSON_Delete(r);
  ck_assert_ptr_nonnull(text);
  return text;
}

/* ------------------------------------------------------------ data files */

typedef enum { EXTRA_NONE, EXTRA_FOLD, EXTRA_CONSTANT } extra_column;

/* The first `rows` rows of diabetes.csv into `path`, optionally with a UTF-8
 * byte-order mark, CRLF line ends, and an extra first column: "fold" holding
 * 1 + row % 4, or "k" holding 7. */
static void write_diabetes(const char *path, size_t rows, int bom, int crlf, extra_column extra) {
  char *src = read_file(diabetes, NULL);
  ck_assert_msg(src != NULL, "cannot read %s", diabetes);
  size_t cap = strlen(src) * 2 + 4096, n = 0;
  char *dst = malloc(cap);
  ck_assert_ptr_nonnull(dst);
  if (bom) n += (size_t)snprintf(dst + n, cap - n, "\xEF\xBB\xBF");
  size_t row = 0; /* 0 = the header */
  for (char *line = strtok(src, "\n"); line && row <= rows; line = strtok(NULL, "\n"), row++) {
    if (extra == EXTRA_FOLD)
      n += row ? (size_t)snprintf(dst + n, cap - n, "%zu,", 1 + (row - 1) % 4)
               : (size_t)snprintf(dst + n, cap - n, "fold,");
    if (extra == EXTRA_CONSTANT) n += (size_t)snprintf(dst + n, cap - n, "%s", row ? "7," : "k,");
    n += (size_t)snprintf(dst + n, cap - n, "%s%s", line, crlf ? "\r\n" : "\n");
    ck_assert_uint_lt(n, cap);
  }
  ck_assert_uint_eq(row, rows + 1);
  write_bytes(path, dst, n);
  free(dst);
  free(src);
}

/* ------------------------------------------------------------ good runs */

/* configs/cv.json, with the data and the output in absolute places. */
#define CV_CONFIG                                                                                  \
  "{'data': {'train': '@DIABETES@', 'target': 'progression'},"                                     \
  " 'model': {'family': 'gaussian', 'l1_ratio': 1},"                                               \
  " 'cv': {'folds': 10, 'seed': 1, 'metric': 'mse', 'rule': '1se'}," OUT_DIR "}"

/* path {alphas, ...}: every array of the length of alphas, alphas strictly
 * decreasing; returns that length. */
static size_t check_path(const cJSON *path, size_t p) {
  const cJSON *alphas = array(path, "alphas", ANY_LENGTH);
  size_t K = (size_t)cJSON_GetArraySize(alphas);
  ck_assert_msg(K > 1, "path of %zu alphas", K);
  for (size_t k = 1; k < K; k++)
    ck_assert_msg(at(alphas, k) < at(alphas, k - 1), "alphas[%zu] = %g not below alphas[%zu] = %g",
                  k, at(alphas, k), k - 1, at(alphas, k - 1));
  ck_assert_msg(at(alphas, K - 1) > 0, "alphas must be positive");
  static const char *const per_alpha[] = {"intercept", "df", "dev_ratio", "n_iter", "dual_gap"};
  for (size_t i = 0; i < sizeof per_alpha / sizeof per_alpha[0]; i++) array(path, per_alpha[i], K);
  const cJSON *coef = array(path, "coef", K), *row;
  cJSON_ArrayForEach(row, coef) {
    ck_assert_msg(cJSON_IsArray(row) && (size_t)cJSON_GetArraySize(row) == p,
                  "a coef row is not %zu numbers", p);
  }
  /* df counts the nonzero coefficients of its row. */
  for (size_t k = 0; k < K; k++) {
    size_t nz = 0;
    for (size_t j = 0; j < p; j++) nz += at(cJSON_GetArrayItem(coef, (int)k), j) != 0.0;
    ck_assert_msg((size_t)at(member(path, "df"), k) == nz, "df[%zu] = %g but %zu nonzero", k,
                  at(member(path, "df"), k), nz);
  }
  return K;
}

START_TEST(cv_run_writes_a_complete_report) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, (const char *)NULL);
  assert_success("cv run");
  ck_assert_msg(R.out[0] != '\0', "no summary on stdout");
  ck_assert_msg(strstr(R.out, "n = 442, p = 10") && strstr(R.out, "report.json"), "summary: %s",
                R.out);
  cJSON *r = load_report(T.out);

  ck_assert_int_eq((int)number(r, "schema_version"), 1);
  ck_assert_str_eq(string(r, "regpath_version"), PACKAGE_VERSION);
  const cJSON *cfg = member(r, "config");
  ck_assert_str_eq(string(member(cfg, "data"), "train"), diabetes);
  ck_assert_str_eq(string(member(cfg, "data"), "target"), "progression");
  ck_assert_int_eq((int)number(member(cfg, "cv"), "folds"), 10);
  ck_assert_str_eq(string(member(cfg, "output"), "dir"), T.out);

  const cJSON *data = member(r, "data");
  ck_assert_uint_eq(count(data, "n_samples"), 442);
  ck_assert_uint_eq(count(data, "n_features"), 10);
  const cJSON *names = array(data, "feature_names", 10);
  ck_assert_str_eq(cJSON_GetArrayItem(names, 0)->valuestring, "age");
  ck_assert_str_eq(cJSON_GetArrayItem(names, 9)->valuestring, "s6");
  ck_assert_str_eq(string(data, "target"), "progression");

  const cJSON *fit = cJSON_GetArrayItem(array(r, "fits", 1), 0);
  ck_assert_double_eq(number(fit, "l1_ratio"), 1.0);
  const cJSON *path = member(fit, "path");
  size_t K = check_path(path, 10);
  const cJSON *alphas = member(path, "alphas");

  const cJSON *cv = member(fit, "cv");
  ck_assert_str_eq(string(cv, "metric"), "mse");
  ck_assert_uint_eq(count(cv, "folds"), 10);
  array(cv, "mean", K);
  array(cv, "std_error", K);
  size_t imin = count(cv, "index_min"), i1se = count(cv, "index_1se");
  ck_assert_uint_lt(imin, K);
  ck_assert_uint_le(i1se, imin);
  ck_assert_double_eq(number(cv, "alpha_min"), at(alphas, imin));
  ck_assert_double_eq(number(cv, "alpha_1se"), at(alphas, i1se));
  for (size_t k = 0; k < K; k++)
    ck_assert_msg(at(member(cv, "mean"), imin) <= at(member(cv, "mean"), k),
                  "mean[%zu] below mean[index_min]", k);

  const cJSON *sel = member(r, "selected");
  ck_assert_str_eq(string(sel, "rule"), "1se");
  ck_assert_double_eq(number(sel, "l1_ratio"), 1.0);
  ck_assert_double_eq(number(sel, "alpha"), number(cv, "alpha_1se"));
  ck_assert_uint_eq(count(sel, "index"), i1se);
  ck_assert_double_eq(number(sel, "intercept"), at(member(path, "intercept"), i1se));
  ck_assert_double_eq(number(sel, "cv_mean"), at(member(cv, "mean"), i1se));
  ck_assert_double_eq(number(sel, "cv_std_error"), at(member(cv, "std_error"), i1se));
  const cJSON *coef = member(sel, "coef"),
              *row = cJSON_GetArrayItem(member(path, "coef"), (int)i1se);
  ck_assert_int_eq(cJSON_GetArraySize(coef), 10);
  size_t nonzero = 0;
  for (size_t j = 0; j < 10; j++) {
    const char *name = cJSON_GetArrayItem(names, (int)j)->valuestring;
    double b = number(coef, name);
    ck_assert_double_eq(b, at(row, j));
    int listed = 0;
    const cJSON *nz;
    cJSON_ArrayForEach(nz, member(sel, "nonzero")) listed |= strcmp(nz->valuestring, name) == 0;
    ck_assert_msg(listed == (b != 0.0), "%s = %g but %s in nonzero", name, b,
                  listed ? "listed" : "not listed");
    nonzero += b != 0.0;
  }
  ck_assert_int_eq(cJSON_GetArraySize(member(sel, "nonzero")), (int)nonzero);
  ck_assert_msg(nonzero > 0 && nonzero < 10, "%zu nonzero at the 1se alpha", nonzero);

  const cJSON *folds = array(r, "fold_ids", 442), *id;
  size_t sizes[11] = {0};
  cJSON_ArrayForEach(id, folds) {
    ck_assert_msg(cJSON_IsNumber(id) && id->valuedouble == floor(id->valuedouble) &&
                      id->valuedouble >= 1 && id->valuedouble <= 10,
                  "fold id %g", id->valuedouble);
    sizes[(int)id->valuedouble]++;
  }
  size_t smallest = 442, largest = 0;
  for (int k = 1; k <= 10; k++) {
    smallest = sizes[k] < smallest ? sizes[k] : smallest;
    largest = sizes[k] > largest ? sizes[k] : largest;
  }
  ck_assert_uint_gt(smallest, 0);
  ck_assert_uint_le(largest - smallest, 1);

  array(r, "warnings", 0);
  const cJSON *timing = member(r, "timing");
  static const char *const clocks[] = {"load_s", "path_s", "cv_s", "total_s"};
  for (size_t i = 0; i < 4; i++) ck_assert_msg(number(timing, clocks[i]) >= 0, "%s", clocks[i]);
  cJSON_Delete(r);
}
END_TEST

START_TEST(quiet_prints_nothing_and_replaces_the_report) {
  write_config(T.config, CV_CONFIG);
  make_dir(T.out);
  write_file(T.report, OLD_REPORT);
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("--quiet");
  ck_assert_msg(R.out[0] == '\0', "--quiet printed: %s", R.out);
  cJSON *r = load_report(T.out); /* parses, so the old bytes are gone */
  ck_assert_uint_eq(count(member(r, "data"), "n_samples"), 442);
  cJSON_Delete(r);
}
END_TEST

START_TEST(set_overrides_the_config) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--set", "cv.folds=5", "--set", "model.l1_ratio=0.5",
              "--quiet", (const char *)NULL);
  assert_success("--set");
  cJSON *r = load_report(T.out);
  const cJSON *fit = cJSON_GetArrayItem(array(r, "fits", 1), 0);
  ck_assert_uint_eq(count(member(fit, "cv"), "folds"), 5);
  ck_assert_double_eq(number(fit, "l1_ratio"), 0.5);
  ck_assert_double_eq(number(member(r, "selected"), "l1_ratio"), 0.5);
  const cJSON *cfg = member(r, "config");
  ck_assert_uint_eq(count(member(cfg, "cv"), "folds"), 5);
  const cJSON *ratios = array(member(cfg, "model"), "l1_ratio", 1);
  ck_assert_double_eq(at(ratios, 0), 0.5);
  const cJSON *id;
  cJSON_ArrayForEach(id, array(r, "fold_ids", 442)) {
    ck_assert_msg(id->valuedouble >= 1 && id->valuedouble <= 5, "fold id %g", id->valuedouble);
  }
  cJSON_Delete(r);
}
END_TEST

/* model.positive and model.upper_limits (by name): every coefficient of
 * the path within its limits, and the summary says which one a limit
 * holds (diabetes: bmi is column 2). */
START_TEST(limits_hold_along_the_path) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--set", "model.positive=true", "--set",
              "model.upper_limits={\"bmi\": 5}", (const char *)NULL);
  assert_success("limits");
  ck_assert_msg(strstr(R.out, "bmi                      5  (its upper limit)") != NULL, "%s",
                R.out);
  cJSON *r = load_report(T.out);
  const cJSON *path = member(cJSON_GetArrayItem(array(r, "fits", 1), 0), "path"), *row;
  size_t rows = 0, held = 0;
  cJSON_ArrayForEach(row, member(path, "coef")) {
    for (size_t j = 0; j < 10; j++) ck_assert_msg(at(row, j) >= 0.0, "a negative coefficient");
    ck_assert_msg(at(row, 2) <= 5.0, "bmi %.17g", at(row, 2));
    held += at(row, 2) == 5.0; /* exactly: a coefficient held at a limit is the limit */
    rows++;
  }
  ck_assert_msg(rows > 50 && held > 10, "%zu points, bmi at 5 at %zu", rows, held);
  const cJSON *model = member(member(r, "config"), "model");
  ck_assert(cJSON_IsTrue(member(model, "positive")));
  ck_assert_double_eq(number(member(model, "upper_limits"), "bmi"), 5.0);
  cJSON_Delete(r);
}
END_TEST

/* model.relax: after the penalized fit, one fit per gamma below 1 (largest
 * first), each path the blend gamma b + (1 - gamma) b~ of the penalized
 * path and its refits (path.relaxed), recomputed here from the report;
 * the selection and model.json name the gamma chosen. */
START_TEST(relaxed_lasso_adds_its_blends) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--set", "model.relax=true", (const char *)NULL);
  assert_success("relax");
  ck_assert_msg(strstr(R.out, "relaxed lasso (gamma ") != NULL, "%s", R.out);
  cJSON *r = load_report(T.out);
  const cJSON *fits = array(r, "fits", 5), *pen = member(cJSON_GetArrayItem(fits, 0), "path");
  const cJSON *relaxed = member(pen, "relaxed");
  static const double gammas[5] = {1, 0.75, 0.5, 0.25, 0};
  size_t rows = (size_t)cJSON_GetArraySize(member(pen, "coef"));
  for (int f = 0; f < 5; f++) {
    double g = gammas[f];
    const cJSON *fit = cJSON_GetArrayItem(fits, f), *coef = member(member(fit, "path"), "coef");
    ck_assert_double_eq(number(fit, "gamma"), g);
    for (size_t k = 0; k < rows; k++) {
      const cJSON *b = cJSON_GetArrayItem(coef, (int)k);
      const cJSON *bp = cJSON_GetArrayItem(member(pen, "coef"), (int)k);
      const cJSON *br = cJSON_GetArrayItem(member(relaxed, "coef"), (int)k);
      for (size_t j = 0; j < 10; j++) {
        double want = g * at(bp, j) + (1 - g) * at(br, j);
        ck_assert_msg(fabs(at(b, j) - want) <= 1e-12 * (1 + fabs(want)), "gamma %g point %zu", g,
                      k);
        ck_assert(at(br, j) != 0.0 || at(bp, j) == 0.0); /* the refit keeps the active set */
      }
    }
  }
  const cJSON *sel = member(r, "selected");
  size_t f = count(sel, "fit");
  ck_assert_double_eq(number(sel, "gamma"), gammas[f]);
  char model_path[PATH_MAX_LEN];
  join(model_path, sizeof model_path, T.out, "model.json");
  cJSON *m = tu_load_json(model_path);
  ck_assert_double_eq(number(m, "gamma"), gammas[f]);
  ck_assert_double_eq(number(m, "alpha"), number(sel, "alpha"));
  ck_assert_double_eq(number(member(m, "coef"), "bmi"), number(member(sel, "coef"), "bmi"));
  cJSON_Delete(m);
  cJSON_Delete(r);
}
END_TEST

START_TEST(data_and_output_shortcuts) {
  char elsewhere[PATH_MAX_LEN], unused[PATH_MAX_LEN];
  join(elsewhere, sizeof elsewhere, T.dir, "elsewhere");
  join(unused, sizeof unused, T.dir, "unused");
  write_config(T.config, "{'data': {'train': '@DIR@/missing.csv'}, 'cv': {'folds': 3},"
                         " 'output': {'dir': '@DIR@/unused'}}");
  run_regpath(NULL, "--config", T.config, "--data", diabetes, "--output", elsewhere, "--quiet",
              (const char *)NULL);
  assert_success("--data --output");
  ck_assert_msg(!file_exists(unused), "%s created despite --output", unused);
  cJSON *r = load_report(elsewhere);
  const cJSON *cfg = member(r, "config");
  ck_assert_str_eq(string(member(cfg, "data"), "train"), diabetes);
  ck_assert_str_eq(string(member(cfg, "output"), "dir"), elsewhere);
  ck_assert_uint_eq(count(member(r, "data"), "n_samples"), 442);
  cJSON_Delete(r);

  /* The short forms too. */
  run_regpath(NULL, "-c", T.config, "-d", diabetes, "-o", T.out, "-q", (const char *)NULL);
  assert_success("-d -o");
  cJSON_Delete(load_report(T.out));
}
END_TEST

/* No config file: --data, --target and --family with every default; the
 * output folder is relative to the current folder, and the report echoes
 * the effective config. */
START_TEST(data_target_and_family_without_a_config) {
  run_regpath(T.dir, "--data", diabetes, "--target", "progression", "--family", "gaussian", "--set",
              "cv.folds=3", "-q", (const char *)NULL);
  assert_success("--data --target --family");
  char out[PATH_MAX_LEN];
  join(out, sizeof out, T.dir, "regpath-out");
  cJSON *r = load_report(out);
  const cJSON *cfg = member(r, "config");
  ck_assert_str_eq(string(member(cfg, "data"), "target"), "progression");
  ck_assert_str_eq(string(member(cfg, "model"), "family"), "gaussian");
  ck_assert_uint_eq(count(member(cfg, "cv"), "folds"), 3);
  cJSON_Delete(r);
  run_regpath(T.dir, "-d", diabetes, "-t", "nope", "-q", (const char *)NULL);
  ck_assert_msg(R.code == 2 && strstr(R.err, "data.target: no column \"nope\""), "exit %d: %s",
                R.code, R.err);
}
END_TEST

START_TEST(relative_paths_follow_the_config_file) {
  char sub[PATH_MAX_LEN], cwd[PATH_MAX_LEN], config[PATH_MAX_LEN], csv[PATH_MAX_LEN],
      out[PATH_MAX_LEN];
  join(sub, sizeof sub, T.dir, "conf");
  join(cwd, sizeof cwd, T.dir, "cwd");
  join(config, sizeof config, sub, "config.json");
  join(csv, sizeof csv, sub, "d.csv");
  join(out, sizeof out, sub, "result");
  make_dir(sub);
  make_dir(cwd);
  write_diabetes(csv, 100, 0, 0, EXTRA_NONE);
  write_config(config,
               "{'data': {'train': 'd.csv'}, 'cv': {'folds': 5}, 'output': {'dir': 'result'}}");
  /* Run from an unrelated empty folder, so that resolving against the
   * working folder would fail (or write there, which is checked). */
  run_regpath(cwd, "--config", config, "--quiet", (const char *)NULL);
  assert_success("relative paths");
  ck_assert_msg(dir_is_empty(cwd), "the run wrote into its working folder %s", cwd);
  cJSON *r = load_report(out);
  ck_assert_str_eq(string(member(member(r, "config"), "data"), "train"), csv);
  ck_assert_uint_eq(count(member(r, "data"), "n_samples"), 100);
  cJSON_Delete(r);
}
END_TEST

START_TEST(bom_and_crlf_are_accepted) {
  char lf[PATH_MAX_LEN], crlf[PATH_MAX_LEN], out_lf[PATH_MAX_LEN], out_crlf[PATH_MAX_LEN];
  join(lf, sizeof lf, T.dir, "lf.csv");
  join(crlf, sizeof crlf, T.dir, "crlf.csv");
  join(out_lf, sizeof out_lf, T.dir, "out-lf");
  join(out_crlf, sizeof out_crlf, T.dir, "out-crlf");
  write_diabetes(lf, 100, 0, 0, EXTRA_NONE);
  write_diabetes(crlf, 100, 1, 1, EXTRA_NONE);
  write_config(T.config, "{'data': {'train': '@DIR@/lf.csv'}, 'cv': {'folds': 5}}");
  run_regpath(NULL, "--config", T.config, "--output", out_lf, "-q", (const char *)NULL);
  assert_success("LF");
  run_regpath(NULL, "--config", T.config, "--data", crlf, "--output", out_crlf, "-q",
              (const char *)NULL);
  assert_success("BOM + CRLF");
  cJSON *a = load_report(out_lf), *b = load_report(out_crlf);
  ck_assert_uint_eq(count(member(b, "data"), "n_samples"), 100);
  ck_assert_str_eq(
      cJSON_GetArrayItem(array(member(b, "data"), "feature_names", 10), 0)->valuestring,
      "age"); /* not "\xEF\xBB\xBF" "age" */
  ck_assert_str_eq(string(member(b, "data"), "target"), "progression");
  ck_assert_double_eq(number(member(a, "selected"), "alpha"),
                      number(member(b, "selected"), "alpha"));
  /* Same numbers in, same fits out. */
  char *fa = cJSON_PrintUnformatted(member(a, "fits")),
       *fb = cJSON_PrintUnformatted(member(b, "fits"));
  ck_assert_str_eq(fa, fb);
  free(fa);
  free(fb);
  cJSON_Delete(a);
  cJSON_Delete(b);
}
END_TEST

START_TEST(fold_ids_from_a_column) {
  write_diabetes(T.data, 442, 0, 0, EXTRA_FOLD);
  write_config(T.config, "{'data': {'train': '@DATA@'}, 'cv': {'fold_ids': 'fold'}, " OUT_DIR "}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("fold column");
  cJSON *r = load_report(T.out);
  const cJSON *data = member(r, "data"), *name;
  ck_assert_uint_eq(count(data, "n_features"), 10);
  cJSON_ArrayForEach(name, array(data, "feature_names", 10)) {
    ck_assert_str_ne(name->valuestring, "fold");
  }
  ck_assert_str_eq(string(data, "target"), "progression");
  const cJSON *folds = array(r, "fold_ids", 442);
  for (size_t i = 0; i < 442; i++)
    ck_assert_msg(at(folds, i) == (double)(1 + i % 4), "fold_ids[%zu] = %g, column has %zu", i,
                  at(folds, i), 1 + i % 4);
  ck_assert_uint_eq(count(member(cJSON_GetArrayItem(array(r, "fits", 1), 0), "cv"), "folds"), 4);
  ck_assert_str_eq(string(member(member(r, "config"), "cv"), "fold_ids"), "fold");
  cJSON_Delete(r);
}
END_TEST

START_TEST(same_config_same_report) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "-q", (const char *)NULL);
  assert_success("first run");
  char *first = without_timing(T.report);
  run_regpath(NULL, "--config", T.config, "-q", (const char *)NULL);
  assert_success("second run");
  char *second = without_timing(T.report);
  ck_assert_msg(strcmp(first, second) == 0, "two runs of one config differ beyond timing");
  free(first);
  free(second);
  assert_no_dotfiles(T.out);
}
END_TEST

START_TEST(constant_feature_warns_once) {
  write_diabetes(T.data, 442, 0, 0, EXTRA_CONSTANT);
  write_config(T.config, "{'data': {'train': '@DATA@'}, 'cv': {'folds': 5}, " OUT_DIR "}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  ck_assert_msg(R.code == 0, "exit %d; stderr: %s", R.code, R.err);
  ck_assert_msg(count_lines(R.err) == 1, "expected one warning line: %s", R.err);
  ck_assert_msg(strncmp(R.err, "regpath: warning: ", 18) == 0, "not a warning: %s", R.err);
  ck_assert_msg(strstr(R.err, "\"k\"") != NULL, "warning does not name column \"k\": %s", R.err);
  ck_assert_msg(R.out[0] == '\0', "--quiet printed: %s", R.out);
  cJSON *r = load_report(T.out);
  ck_assert_uint_eq(count(member(r, "data"), "n_features"), 11);
  ck_assert_double_eq(number(member(member(r, "selected"), "coef"), "k"), 0.0);
  ck_assert_int_eq(cJSON_GetArraySize(array(r, "warnings", 1)), 1);
  cJSON_Delete(r);
}
END_TEST

START_TEST(several_l1_ratios_and_rule_min) {
  write_config(T.config, "{" DIABETES ", 'model': {'penalty': 'compare'},"
                         " 'cv': {'folds': 5, 'rule': 'min'}, " OUT_DIR "}");
  run_regpath(NULL, "--config", T.config, "-q", (const char *)NULL);
  assert_success_at_grid_edge("compare");
  cJSON *r = load_report(T.out);
  const cJSON *fits = array(r, "fits", 3), *sel = member(r, "selected");
  static const double ratios[] = {1.0, 0.5, 0.0};
  double best = HUGE_VAL;
  for (size_t f = 0; f < 3; f++) {
    const cJSON *fit = cJSON_GetArrayItem(fits, (int)f), *cv = member(fit, "cv");
    ck_assert_double_eq(number(fit, "l1_ratio"), ratios[f]);
    check_path(member(fit, "path"), 10);
    best = fmin(best, at(member(cv, "mean"), count(cv, "index_min")));
  }
  size_t f = count(sel, "fit");
  ck_assert_uint_lt(f, 3);
  const cJSON *cv = member(cJSON_GetArrayItem(fits, (int)f), "cv");
  ck_assert_str_eq(string(sel, "rule"), "min");
  ck_assert_double_eq(number(sel, "alpha"), number(cv, "alpha_min"));
  ck_assert_double_eq(number(sel, "cv_mean"), best);
  cJSON_Delete(r);
}
END_TEST

/* l1_ratio values that agree to six digits get files of their own (under
 * %g both were path_l1-0.123457.dat, and the commit failed half way). */
START_TEST(close_l1_ratios_get_files_of_their_own) {
  write_config(T.config, "{" DIABETES ", 'model': {'l1_ratio': [0.1234567, 0.1234568]},"
                         " 'cv': {'folds': 3}, 'output': {'dir': '@OUT@', 'render': 'none'}}");
  run_regpath(NULL, "--config", T.config, "-q", (const char *)NULL);
  assert_success_at_grid_edge("close l1_ratios");
  cJSON *r = load_report(T.out);
  const cJSON *plots = member(member(r, "files"), "plots");
  static const char *const names[] = {"path_l1-0.1234567.dat", "path_l1-0.1234568.dat"};
  for (int f = 0; f < 2; f++) {
    char path[PATH_MAX_LEN];
    ck_assert_str_eq(string(cJSON_GetArrayItem(plots, f), "path_data"), names[f]);
    join(path, sizeof path, T.out, names[f]);
    ck_assert_msg(is_regular_file(path), "%s not written", path);
  }
  cJSON_Delete(r);
}
END_TEST

/* Sixteen l1_ratio values (67 files: once more than the output could hold,
 * and the error came after every fit), then one: the folder then holds the second run's
 * files and the user's own, and none of the first run's. */
START_TEST(a_run_leaves_none_of_an_earlier_runs_files) {
  write_config(T.config, "{" DIABETES ", 'model': {'l1_ratio': [1, 0.95, 0.9, 0.8, 0.7, 0.6, 0.5,"
                         " 0.4, 0.3, 0.25, 0.2, 0.15, 0.1, 0.05, 0.01, 0]}, 'cv': {'folds': 3},"
                         " 'output': {'dir': '@OUT@', 'render': 'none'}}");
  run_regpath(NULL, "--config", T.config, "-q", (const char *)NULL);
  assert_success_at_grid_edge("sixteen l1_ratios");
  char path[PATH_MAX_LEN];
  join(path, sizeof path, T.out, "cv_l1-0.05.gp");
  ck_assert_msg(is_regular_file(path), "%s not written", path);
  join(path, sizeof path, T.out, "notes.txt");
  write_file(path, "mine\n");
  write_config(T.config,
               "{" DIABETES ", 'cv': {'folds': 3}, 'output': {'dir': '@OUT@', 'render': 'none'}}");
  run_regpath(NULL, "--config", T.config, "-q", (const char *)NULL);
  assert_success("one l1_ratio");
  DIR *d = opendir(T.out);
  ck_assert_ptr_nonnull(d);
  size_t n = 0;
  for (struct dirent *e; (e = readdir(d));) {
    if (e->d_name[0] == '.') continue;
    ck_assert_msg(!strstr(e->d_name, "_l1-"), "%s of the earlier run is still there", e->d_name);
    n++;
  }
  closedir(d);
  ck_assert_uint_eq(n, 7); /* report, model, path and cv .dat and .gp, notes.txt */
  assert_file_is(path, "mine\n", "the user's file");
  assert_no_dotfiles(T.dir);
}
END_TEST

START_TEST(help_lists_the_exit_codes) {
  run_regpath(NULL, "--help", (const char *)NULL);
  assert_success("--help");
  ck_assert_msg(strncmp(R.out, "usage: regpath --config FILE", 28) == 0, "help: %s", R.out);
  static const char *const codes[] = {
      "  0  success",      "  1  internal error",    "  2  usage or config error",
      "  3  data error",   "  4  numerical failure", "  5  I/O error",
      "  6  out of memory"};
  for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++)
    ck_assert_msg(strstr(R.out, codes[i]) != NULL, "--help lacks \"%s\"", codes[i]);
  run_regpath(NULL, "-h", (const char *)NULL);
  assert_success("-h");
  ck_assert_msg(strstr(R.out, "exit codes:") != NULL, "-h: %s", R.out);
}
END_TEST

START_TEST(version_prints_the_version) {
  run_regpath(NULL, "--version", (const char *)NULL);
  assert_success("--version");
  ck_assert_str_eq(R.out, "regpath " PACKAGE_VERSION "\n");
  run_regpath(NULL, "-V", (const char *)NULL);
  assert_success("-V");
  ck_assert_str_eq(R.out, "regpath " PACKAGE_VERSION "\n");
}
END_TEST

/* Every file the report names exists, with no temporaries left over. */
START_TEST(run_writes_model_plots_and_images_named_in_the_report) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, (const char *)NULL);
  assert_success("cv run");
  cJSON *r = load_report(T.out);
  const cJSON *files = member(r, "files");
  const char *named[] = {"report", "model"};
  char path[PATH_MAX_LEN];
  for (size_t i = 0; i < 2; i++) {
    join(path, sizeof path, T.out, string(files, named[i]));
    ck_assert_msg(is_regular_file(path), "%s missing", path);
  }
  const cJSON *plots = array(files, "plots", 1);
  const char *keys[] = {"path_data", "path_script", "cv_data",
                        "cv_script", "path_image",  "cv_image"};
  for (size_t i = 0; i < 6; i++) {
    join(path, sizeof path, T.out, string(cJSON_GetArrayItem(plots, 0), keys[i]));
    ck_assert_msg(is_regular_file(path), "%s missing", path);
  }
  ck_assert_str_eq(string(cJSON_GetArrayItem(plots, 0), "path_image"), "path.png");
  ck_assert_msg(strstr(R.out, "model.json") && strstr(R.out, "path.png"), "summary: %s", R.out);
  assert_no_dotfiles(T.out);
  cJSON_Delete(r);
}
END_TEST

START_TEST(render_none_writes_scripts_but_no_images) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--set", "output.render=\"none\"", (const char *)NULL);
  assert_success("render none");
  char path[PATH_MAX_LEN];
  join(path, sizeof path, T.out, "path.gp");
  ck_assert(is_regular_file(path));
  join(path, sizeof path, T.out, "path.png");
  ck_assert(!file_exists(path));
  run_regpath(NULL, "--config", T.config, "--set", "output.plots=false", (const char *)NULL);
  assert_success("plots false");
}
END_TEST

START_TEST(report_to_stdout_prints_only_the_report) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--report", "-", (const char *)NULL);
  assert_success("--report -");
  cJSON *r = cJSON_Parse(R.out);
  ck_assert_msg(r != NULL, "stdout is not one JSON document: %.200s", R.out);
  ck_assert_int_eq((int)number(r, "schema_version"), 1);
  ck_assert(number(member(r, "selected"), "alpha") > 0.0);
  ck_assert(!file_exists(T.report));
  char model[PATH_MAX_LEN];
  join(model, sizeof model, T.out, "model.json");
  ck_assert(is_regular_file(model));
  cJSON_Delete(r);
}
END_TEST

/* R's write.csv writes its row names, often text, under an empty name: that
 * column is never a feature, not for the fit and not for predict, which
 * passes it through as its first column. */
START_TEST(row_names_column_is_never_a_feature) {
  char csv[8192] = ",x1,x2,y\n", row[96];
  for (int i = 0; i < 60; i++) {
    snprintf(row, sizeof row, "\"car %d\",%d,%g,%g\n", i, i % 7, sin(i), (i % 7) + 2.0 * sin(i));
    strcat(csv, row);
  }
  write_file(T.data, csv);
  run_regpath(T.dir, "--data", T.data, "--target", "y", "--set", "cv.folds=3", "-q",
              (const char *)NULL);
  assert_success("--data with row names");
  char out[PATH_MAX_LEN], model[PATH_MAX_LEN];
  join(out, sizeof out, T.dir, "regpath-out");
  cJSON *r = load_report(out);
  const cJSON *names = array(member(r, "data"), "feature_names", 2);
  ck_assert_str_eq(cJSON_GetArrayItem(names, 0)->valuestring, "x1");
  ck_assert_str_eq(cJSON_GetArrayItem(names, 1)->valuestring, "x2");
  cJSON_Delete(r);
  join(model, sizeof model, out, "model.json");
  run_regpath(T.dir, "predict", "--model", model, "--data", T.data, "--quiet", (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict: exit %d: %s", R.code, R.err);
  ck_assert_msg(strncmp(R.out, ",y,prediction\ncar 0,", 20) == 0, "predictions: %.60s", R.out);
}
END_TEST

/* predict on the training data: the fitted values b0 + X b of the selected
 * model, recomputed here from the report, to 1e-12. */
START_TEST(predict_reproduces_the_fitted_values) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("cv run");
  cJSON *r = load_report(T.out);
  const cJSON *sel = member(r, "selected"), *coef = member(sel, "coef");
  char model[PATH_MAX_LEN], preds[PATH_MAX_LEN];
  join(model, sizeof model, T.out, "model.json");
  join(preds, sizeof preds, T.dir, "preds/p.csv");
  run_regpath(NULL, "predict", "--model", model, "--data", diabetes, "--output", preds,
              (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict: exit %d: %s", R.code, R.err);
  ck_assert_msg(strstr(R.out, "mse ") && strstr(R.out, "r2 "), "metrics: %s", R.out);
  size_t len;
  char *csv = read_file(preds, &len), *line = strtok(csv, "\n");
  ck_assert_str_eq(line, "progression,prediction");
  FILE *data = fopen(diabetes, "r");
  char row[1024];
  ck_assert_ptr_nonnull(fgets(row, sizeof row, data)); /* header */
  size_t rows = 0;
  while (fgets(row, sizeof row, data) && (line = strtok(NULL, "\n"))) {
    double x[11], e = number(sel, "intercept");
    char *p = row;
    for (size_t j = 0; j < 11; j++) x[j] = strtod(p, &p), p += *p == ',';
    const char *names[] = {"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"};
    for (size_t j = 0; j < 10; j++) e += number(coef, names[j]) * x[j];
    double got = strtod(strchr(line, ',') + 1, NULL);
    ck_assert_msg(fabs(got - e) <= 1e-12 * fabs(e), "row %zu: %.17g vs %.17g", rows, got, e);
    rows++;
  }
  ck_assert_uint_eq(rows, 442);
  fclose(data);
  free(csv);
  cJSON_Delete(r);
}
END_TEST

/* The diabetes rows over and over, each behind an id ("r1", "r2", ...) in
 * the empty-named first column, to `rows` rows (past predict's 8 MiB
 * window); when bad_line > 0, that physical line's age is "x". */
static void write_tall_diabetes(const char *path, size_t rows, long bad_line) {
  size_t len;
  char *text = read_file(diabetes, &len), *save = NULL;
  char *header = strtok_r(text, "\n", &save), *lines[442];
  for (size_t i = 0; i < 442; i++) ck_assert_ptr_nonnull(lines[i] = strtok_r(NULL, "\n", &save));
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fprintf(f, "\"\",%s\n", header);
  for (size_t k = 0; k < rows; k++)
    fprintf(f, "r%zu,%s%s\n", k + 1, (long)k + 2 == bad_line ? "x" : "",
            (long)k + 2 == bad_line ? strchr(lines[k % 442], ',') : lines[k % 442]);
  ck_assert_int_eq(fclose(f), 0);
  free(text);
}

/* Writes `rows` rows of the diabetes data to path, with a bad line when
 * bad_line > 0. */
typedef void (*tall_writer)(const char *path, size_t rows, long bad_line);

/* The model of the CV run on the diabetes data, into model. */
static void diabetes_model(char *model, size_t size) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("cv run");
  join(model, size, T.out, "model.json");
}

/* predict on 200,000 rows that `write` makes (file tall.EXT, past one 8
 * MiB window) against the 442 rows of `small` predicted whole: row k of the
 * tall predictions is, after its id "r<k+1>," when `ids`, the small
 * predictions' row k mod 442 digit for digit, and the scores count every
 * row.  Then a bad line 199,990 is the error `where` (exit 3), and the
 * earlier predictions file stays as it was. */
static void assert_predict_in_windows(const char *model, const char *small, tall_writer write,
                                      const char *ext, int ids, const char *where) {
  char tall[PATH_MAX_LEN], preds[PATH_MAX_LEN], small_preds[PATH_MAX_LEN], name[16];
  snprintf(name, sizeof name, "tall.%s", ext);
  join(tall, sizeof tall, T.dir, name);
  join(preds, sizeof preds, T.dir, "preds.csv");
  join(small_preds, sizeof small_preds, T.dir, "small-preds.csv");
  run_regpath(NULL, "predict", "--model", model, "--data", small, "--output", small_preds,
              (const char *)NULL);
  assert_success("predict whole");
  write(tall, 200000, 0);
  struct stat sb;
  ck_assert(stat(tall, &sb) == 0 && sb.st_size > (9 << 20));
  run_regpath(NULL, "predict", "--model", model, "--data", tall, "--output", preds,
              (const char *)NULL);
  assert_success("predict in windows");
  ck_assert_msg(strstr(R.out, "(n = 200000)"), "scores: %s", R.out);
  size_t len, small_len;
  char *whole = read_file(small_preds, &small_len), *got = read_file(preds, &len);
  char *before = read_file(preds, &len), *save_w = NULL, *save_g = NULL, *want[442];
  ck_assert_str_eq(strtok_r(whole, "\n", &save_w), "progression,prediction");
  for (size_t i = 0; i < 442; i++) ck_assert_ptr_nonnull(want[i] = strtok_r(NULL, "\n", &save_w));
  ck_assert_str_eq(strtok_r(got, "\n", &save_g),
                   ids ? ",progression,prediction" : "progression,prediction");
  size_t k = 0;
  for (char *line; (line = strtok_r(NULL, "\n", &save_g)); k++) {
    char id[32] = "";
    int n = ids ? snprintf(id, sizeof id, "r%zu,", k + 1) : 0;
    ck_assert_msg(strncmp(line, id, (size_t)n) == 0 && strcmp(line + n, want[k % 442]) == 0,
                  "row %zu: %s, want %s%s", k + 1, line, id, want[k % 442]);
  }
  ck_assert_uint_eq(k, 200000);
  write(tall, 200000, 199990);
  run_regpath(NULL, "predict", "--model", model, "--data", tall, "--output", preds,
              (const char *)NULL);
  ck_assert_msg(R.code == 3 && strstr(R.err, where), "exit %d: %s", R.code, R.err);
  char *after = read_file(preds, &small_len);
  ck_assert_msg(small_len == len && memcmp(after, before, len) == 0, "the earlier file changed");
  free(after);
  free(before);
  free(got);
  free(whole);
}

/* predict reads data past one window (8 MiB) a window at a time: every
 * row as the diabetes file read whole gives it, and a bad cell in the last
 * window named on its own line, leaving no output: the earlier predictions
 * file as it was, no temporary file left, and nothing on stdout. */
START_TEST(predict_past_one_window_is_the_whole_files_and_all_or_nothing) {
  char model[PATH_MAX_LEN];
  diabetes_model(model, sizeof model);
  assert_predict_in_windows(model, diabetes, write_tall_diabetes, "csv", 1, "tall.csv:199990:9: ");
  DIR *d = opendir(T.dir);
  for (struct dirent *e; (e = readdir(d));)
    ck_assert_msg(!strstr(e->d_name, "regpath-"), "left behind: %s", e->d_name);
  closedir(d);
  char tall[PATH_MAX_LEN];
  join(tall, sizeof tall, T.dir, "tall.csv");
  run_regpath(NULL, "predict", "--model", model, "--data", tall, (const char *)NULL);
  ck_assert_msg(R.code == 3 && R.out[0] == '\0', "exit %d, stdout %.80s", R.code, R.out);
}
END_TEST

/* The diabetes rows as svmlight lines, over and over to `rows` rows: the
 * progression as the label, the 10 features by index; when bad_line > 0,
 * that line repeats an index instead (at column 7). */
static void write_tall_svmlight(const char *path, size_t rows, long bad_line) {
  size_t len;
  char *text = read_file(diabetes, &len), *save = NULL, *lines[442];
  strtok_r(text, "\n", &save);
  for (size_t i = 0; i < 442; i++) ck_assert_ptr_nonnull(lines[i] = strtok_r(NULL, "\n", &save));
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  for (size_t k = 0; k < rows; k++) {
    char line[512], *cell[11], *at = NULL;
    snprintf(line, sizeof line, "%s", lines[k % 442]);
    cell[0] = strtok_r(line, ",", &at);
    for (int j = 1; j < 11; j++) cell[j] = strtok_r(NULL, ",", &at);
    if ((long)k + 1 == bad_line) {
      fputs("1 2:1 2:1\n", f);
      continue;
    }
    fputs(cell[10], f);
    for (int j = 0; j < 10; j++) fprintf(f, " %d:%s", j + 1, cell[j]);
    fputc('\n', f);
  }
  ck_assert_int_eq(fclose(f), 0);
  free(text);
}

/* predict reads an svmlight file past one window a window at a time too:
 * every line as the 442 diabetes rows as svmlight, read whole, give it,
 * and a repeated index in the last window named at its line and column. */
START_TEST(predict_svmlight_past_one_window_is_the_whole_files) {
  char model[PATH_MAX_LEN], small[PATH_MAX_LEN];
  diabetes_model(model, sizeof model);
  join(small, sizeof small, T.dir, "small.svm");
  write_tall_svmlight(small, 442, 0);
  assert_predict_in_windows(model, small, write_tall_svmlight, "svm", 0, "tall.svm:199990:7: ");
}
END_TEST

/* `regpath coef` output on the diabetes model: "feature,coef", then
 * "(intercept),b0" and the 10 features in order. */
static void parse_coef_csv(const char *out, double *b0, double *b) {
  static const char *const names[] = {"age", "sex", "bmi", "bp", "s1",
                                      "s2",  "s3",  "s4",  "s5", "s6"};
  ck_assert_msg(strncmp(out, "feature,coef\n(intercept),", 25) == 0, "coef: %.80s", out);
  char *p;
  *b0 = strtod(out + 25, &p);
  for (size_t j = 0; j < 10; j++) {
    size_t n = strlen(names[j]);
    ck_assert_msg(*p == '\n' && strncmp(p + 1, names[j], n) == 0 && p[n + 1] == ',',
                  "coef line %zu: %.40s", j, p);
    b[j] = strtod(p + n + 2, &p);
  }
}

/* The numbers of path point k of a report's fit: intercept and coef. */
static void path_point(const cJSON *path, size_t k, double *b0, double *b) {
  *b0 = at(member(path, "intercept"), k);
  for (size_t j = 0; j < 10; j++) b[j] = at(cJSON_GetArrayItem(member(path, "coef"), (int)k), j);
}

static void assert_close(const double *got, const double *want, size_t n, double tol,
                         const char *what) {
  for (size_t j = 0; j < n; j++)
    ck_assert_msg(fabs(got[j] - want[j]) <= tol * fmax(1.0, fabs(want[j])),
                  "%s [%zu]: %.17g vs %.17g", what, j, got[j], want[j]);
}

/* `regpath predict --alpha A` on the diabetes data: each prediction is
 * b[10] + x.b[0..9], recomputed here from the data, to 1e-12. */
static void assert_predicts_at(const char *model, const char *alpha, const double *b) {
  char preds[PATH_MAX_LEN], row[1024];
  join(preds, sizeof preds, T.dir, "p.csv");
  run_regpath(NULL, "predict", "--model", model, "--data", diabetes, "--alpha", alpha, "--output",
              preds, (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict --alpha %s: exit %d: %s", alpha, R.code, R.err);
  size_t len, rows = 0;
  char *csv = read_file(preds, &len), *line = strtok(csv, "\n");
  ck_assert_str_eq(line, "progression,prediction");
  FILE *data = fopen(diabetes, "r");
  ck_assert_ptr_nonnull(fgets(row, sizeof row, data)); /* header */
  for (; fgets(row, sizeof row, data) && (line = strtok(NULL, "\n")); rows++) {
    double e = b[10], x;
    char *p = row;
    for (size_t j = 0; j < 10; j++) x = strtod(p, &p), p += *p == ',', e += b[j] * x;
    double got = strtod(strchr(line, ',') + 1, NULL);
    ck_assert_msg(fabs(got - e) <= 1e-12 * fabs(e), "row %zu: %.17g vs %.17g", rows, got, e);
  }
  ck_assert_uint_eq(rows, 442);
  fclose(data);
  free(csv);
}

/* `regpath coef` and `regpath predict` at any alpha of the selected fit's
 * path (model.json keeps it): exact at a grid point, glmnet's linear
 * interpolation in alpha between two (recomputed here from report.json's
 * neighbouring points), the nearest end outside the grid, and the CV's min
 * and 1se points by name; predict's values are b0 + x.b of those numbers,
 * recomputed from the data.  A model.json without the path still gives its
 * own selected coefficients, and says why it cannot give others. */
START_TEST(coef_and_predict_at_any_alpha) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("cv run");
  cJSON *r = load_report(T.out);
  const cJSON *fit = cJSON_GetArrayItem(member(r, "fits"), 0), *path = member(fit, "path");
  const cJSON *cv = member(fit, "cv"), *alphas = member(path, "alphas");
  char model[PATH_MAX_LEN], arg[64];
  join(model, sizeof model, T.out, "model.json");
  size_t k = count(cv, "index_min") + 3, K = (size_t)cJSON_GetArraySize(alphas);
  double b0, b[11], w0, w[11], v0, v[11], mid[11];
  snprintf(arg, sizeof arg, "%.17g", at(alphas, k));
  run_regpath(NULL, "coef", "--model", model, "--alpha", arg, (const char *)NULL);
  ck_assert_msg(R.code == 0, "coef: exit %d: %s", R.code, R.err);
  parse_coef_csv(R.out, &b0, b);
  path_point(path, k, &w0, w);
  b[10] = b0, w[10] = w0;
  assert_close(b, w, 11, 1e-15, "at a grid point");

  double a = sqrt(at(alphas, k) * at(alphas, k + 1));
  double f = (a - at(alphas, k + 1)) / (at(alphas, k) - at(alphas, k + 1));
  path_point(path, k + 1, &v0, v);
  v[10] = v0;
  for (size_t j = 0; j < 11; j++) w[j] = f * w[j] + (1 - f) * v[j];
  snprintf(arg, sizeof arg, "%.17g", a);
  run_regpath(NULL, "coef", "--model", model, "--alpha", arg, (const char *)NULL);
  parse_coef_csv(R.out, &b0, b);
  b[10] = b0;
  assert_close(b, w, 11, 1e-12, "between grid points");
  memcpy(mid, w, sizeof mid);

  static const char *const ends[][2] = {{"1e9", "0"}, {"1e-9", "last"}};
  for (size_t e = 0; e < 2; e++) {
    run_regpath(NULL, "coef", "--model", model, "--alpha", ends[e][0], (const char *)NULL);
    parse_coef_csv(R.out, &b0, b);
    path_point(path, e ? K - 1 : 0, &w0, w);
    b[10] = b0, w[10] = w0;
    assert_close(b, w, 11, 0.0, ends[e][1]);
  }
  static const char *const points[] = {"min", "1se"};
  for (size_t i = 0; i < 2; i++) {
    run_regpath(NULL, "coef", "--model", model, "--at", points[i], "--json", (const char *)NULL);
    cJSON *j = cJSON_Parse(R.out);
    ck_assert_msg(j != NULL, "coef --json: %s", R.out);
    size_t at_k = count(cv, i ? "index_1se" : "index_min");
    ck_assert_double_eq(number(j, "alpha"), at(alphas, at_k));
    ck_assert_double_eq(number(j, "intercept"), at(member(path, "intercept"), at_k));
    ck_assert_double_eq(number(member(j, "coef"), "bmi"),
                        at(cJSON_GetArrayItem(member(path, "coef"), (int)at_k), 2));
    cJSON_Delete(j);
  }

  assert_predicts_at(model, arg, mid);
  snprintf(arg, sizeof arg, "%.17g", at(alphas, k));
  path_point(path, k, &w0, w);
  w[10] = w0;
  assert_predicts_at(model, arg, w);

  run_regpath(NULL, "coef", "--model", model, "--alpha", "2", "--at", "min", (const char *)NULL);
  ck_assert_int_eq(R.code, 2);
  ck_assert_msg(strstr(R.err, "--alpha and --at: give one or the other"), "stderr: %s", R.err);
  run_regpath(NULL, "predict", "--model", model, "--data", diabetes, "--alpha", "0",
              (const char *)NULL);
  ck_assert_int_eq(R.code, 2);
  ck_assert_msg(strstr(R.err, "--alpha: expected a positive number, got 0"), "stderr: %s", R.err);
  run_regpath(NULL, "coef", "--model", model, "--at", "max", (const char *)NULL);
  ck_assert_int_eq(R.code, 2);
  ck_assert_msg(strstr(R.err, "--at: expected min, 1se or selected, got max"), "stderr: %s", R.err);

  size_t len;
  char *text = read_file(model, &len);
  cJSON *m = cJSON_Parse(text);
  free(text);
  cJSON_DeleteItemFromObject(m, "path");
  char *old = cJSON_Print(m);
  write_file(model, old);
  run_regpath(NULL, "coef", "--model", model, (const char *)NULL);
  ck_assert_msg(R.code == 0, "coef, a model without its path: exit %d: %s", R.code, R.err);
  parse_coef_csv(R.out, &b0, b);
  ck_assert_double_eq(b0, number(member(r, "selected"), "intercept"));
  run_regpath(NULL, "coef", "--model", model, "--at", "min", (const char *)NULL);
  ck_assert_int_eq(R.code, 3);
  ck_assert_msg(strstr(R.err, "the model holds no path"), "stderr: %s", R.err);
  free(old);
  cJSON_Delete(m);
  cJSON_Delete(r);
}
END_TEST

/* cv_predictions.csv as numbers: row r's cell in column `name`. */
typedef struct {
  char *text;
  char **cells; /* rows x cols */
  size_t rows, cols;
  char header[4096];
} csv_table;

static void csv_load(csv_table *t, const char *dir, const char *file) {
  char path[PATH_MAX_LEN];
  size_t len;
  join(path, sizeof path, dir, file);
  t->text = read_file(path, &len);
  first_line(t->text, t->header, sizeof t->header);
  t->cols = 1;
  for (const char *c = t->header; *c; c++) t->cols += *c == ',';
  t->rows = count_lines(t->text) - 1;
  t->cells = malloc(t->rows * t->cols * sizeof *t->cells);
  char *p = strchr(t->text, '\n') + 1;
  for (size_t i = 0; i < t->rows * t->cols; i++) {
    t->cells[i] = p;
    p += strcspn(p, ",\n");
    *p++ = '\0';
  }
}

static double csv_number(const csv_table *t, size_t r, const char *name) {
  char head[4096];
  snprintf(head, sizeof head, "%s", t->header);
  size_t c = 0;
  for (char *tok = strtok(head, ","); tok; tok = strtok(NULL, ","), c++)
    if (!strcmp(tok, name)) return strtod(t->cells[r * t->cols + c], NULL);
  ck_abort_msg("no column %s in %s", name, t->header);
  return NAN;
}

static void csv_free(csv_table *t) {
  free(t->cells);
  free(t->text);
}

/* cv.keep: the out-of-fold predictions reproduce the CV curve.  cv.glmnet's
 * cvm is sum_k W_k err_k / W with err_k the fold's weighted mean loss
 * sum_{i in k} w_i l_i / W_k, so cvm = sum_i w_i l_i / sum_i w_i: the
 * weighted mean of every row's loss at its own fold's prediction (N_k and
 * 1 without weights).  Gaussian mse at alpha_min and alpha_1se, and with
 * "path" at every alpha; binomial deviance with weights (probabilities
 * clamped to [1e-5, 1 - 1e-5], as cv.glmnet), to 1e-9. */
START_TEST(cv_keep_predictions_reproduce_the_cv_curve) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--quiet", "--set", "cv.keep=\"path\"",
              (const char *)NULL);
  assert_success("cv.keep path");
  cJSON *r = load_report(T.out);
  const cJSON *cv = member(cJSON_GetArrayItem(member(r, "fits"), 0), "cv");
  ck_assert_str_eq(string(member(r, "files"), "cv_predictions"), "cv_predictions.csv");
  csv_table t, tp;
  csv_load(&t, T.out, "cv_predictions.csv");
  csv_load(&tp, T.out, "cv_predictions_path.csv");
  ck_assert_str_eq(t.header, "row,fold,progression,alpha_min,alpha_1se");
  ck_assert_uint_eq(t.rows, 442);
  const cJSON *folds = member(r, "fold_ids");
  static const char *const points[][2] = {{"alpha_min", "index_min"}, {"alpha_1se", "index_1se"}};
  for (size_t q = 0; q < 2; q++) {
    double mse = 0.0, want = at(member(cv, "mean"), count(cv, points[q][1]));
    for (size_t i = 0; i < t.rows; i++) {
      double e = csv_number(&t, i, "progression") - csv_number(&t, i, points[q][0]);
      mse += e * e;
      ck_assert_double_eq(csv_number(&t, i, "row"), (double)(i + 1));
      ck_assert_double_eq(csv_number(&t, i, "fold"), at(folds, i));
    }
    mse /= (double)t.rows;
    ck_assert_msg(fabs(mse - want) <= 1e-9 * want, "%s: %.17g vs %.17g", points[q][0], mse, want);
  }
  size_t K = (size_t)cJSON_GetArraySize(member(cv, "mean"));
  ck_assert_uint_eq(tp.cols, 3 + K);
  for (size_t a = 0; a < K; a += 7) {
    char col[32];
    snprintf(col, sizeof col, "s%zu", a);
    double mse = 0.0, want = at(member(cv, "mean"), a);
    for (size_t i = 0; i < tp.rows; i++) {
      double e = csv_number(&tp, i, "progression") - csv_number(&tp, i, col);
      mse += e * e;
    }
    mse /= (double)tp.rows;
    ck_assert_msg(fabs(mse - want) <= 1e-9 * want, "%s: %.17g vs %.17g", col, mse, want);
  }
  csv_free(&t);
  csv_free(&tp);
  cJSON_Delete(r);

  FILE *f = fopen(T.data, "w");
  ck_assert_ptr_nonnull(f);
  fputs("a,b,c,w,y\n", f);
  unsigned long state = 11;
  for (int i = 0; i < 160; i++) {
    double a = next_uniform(&state), b = next_uniform(&state), c = next_uniform(&state);
    int y = a + 0.5 * b + 0.4 * next_uniform(&state) > 0;
    fprintf(f, "%.6f,%.6f,%.6f,%.2f,%d\n", a, b, c, 0.5 + (i % 4) / 2.0, y);
  }
  ck_assert_int_eq(fclose(f), 0);
  write_config(T.config, "{'data': {'train': '@DATA@', 'weights': 'w'}, 'model': {'family': "
                         "'binomial'}, 'cv': {'folds': 5, 'keep': true}, 'output': {'dir': "
                         "'@OUT@', 'render': 'none'}}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  ck_assert_msg(R.code == 0, "binomial keep: %s", R.err);
  r = load_report(T.out);
  cv = member(cJSON_GetArrayItem(member(r, "fits"), 0), "cv");
  csv_load(&t, T.out, "cv_predictions.csv");
  ck_assert_str_eq(t.header, "row,fold,y,weight,alpha_min,alpha_1se");
  double dev = 0.0, W = 0.0, want = at(member(cv, "mean"), count(cv, "index_min"));
  for (size_t i = 0; i < t.rows; i++) {
    double p = fmin(fmax(csv_number(&t, i, "alpha_min"), 1e-5), 1 - 1e-5);
    double y = csv_number(&t, i, "y"), w = csv_number(&t, i, "weight");
    dev += w * -2.0 * (y * log(p) + (1 - y) * log(1 - p));
    W += w;
  }
  ck_assert_msg(fabs(dev / W - want) <= 1e-9 * want, "deviance %.17g vs %.17g", dev / W, want);
  csv_free(&t);
  cJSON_Delete(r);

  /* R's row names are the id: on penguins, each row's id is its data row,
   * also for the rows kept after data.missing "drop". */
  run_regpath(NULL, "--data", tu_src_path("tests/data/tables/penguins.csv"), "--target",
              "body_mass_g", "--output", T.out, "--quiet", "--set", "data.missing=drop", "--set",
              "cv.keep=true", "--set", "output.render=none", (const char *)NULL);
  assert_success("penguins, cv.keep");
  csv_load(&t, T.out, "cv_predictions.csv");
  ck_assert_str_eq(t.header, "id,row,fold,body_mass_g,alpha_min,alpha_1se");
  ck_assert_uint_eq(t.rows, 333);
  for (size_t i = 0; i < t.rows; i++)
    ck_assert_double_eq(csv_number(&t, i, "id"), csv_number(&t, i, "row"));
  csv_free(&t);

  /* Multinomial: a probability column per class at each alpha; the CV
   * deviance is the mean of -2 log p of each row's class, clamped to
   * [1e-5, 1 - 1e-5] as cv.glmnet's multnet deviance. */
  run_regpath(NULL, "--data", tu_src_path("tests/data/tables/penguins.csv"), "--target", "species",
              "--family", "multinomial", "--output", T.out, "--quiet", "--set", "data.missing=drop",
              "--set", "cv.keep=true", "--set", "output.render=none", (const char *)NULL);
  assert_success("penguins species, cv.keep");
  r = load_report(T.out);
  cv = member(cJSON_GetArrayItem(member(r, "fits"), 0), "cv");
  csv_load(&t, T.out, "cv_predictions.csv");
  ck_assert_str_eq(t.header, "id,row,fold,species,alpha_min_Adelie,alpha_min_Chinstrap,"
                             "alpha_min_Gentoo,alpha_1se_Adelie,alpha_1se_Chinstrap,"
                             "alpha_1se_Gentoo");
  static const char *const min_cols[3] = {"alpha_min_Adelie", "alpha_min_Chinstrap",
                                          "alpha_min_Gentoo"};
  dev = 0.0;
  want = at(member(cv, "mean"), count(cv, "index_min"));
  for (size_t i = 0; i < t.rows; i++) {
    double y = csv_number(&t, i, "species"), sum = 0.0;
    ck_assert(y == 0.0 || y == 1.0 || y == 2.0);
    for (int c = 0; c < 3; c++) sum += csv_number(&t, i, min_cols[c]);
    ck_assert_msg(fabs(sum - 1.0) < 1e-12, "row %zu: probabilities sum to %.17g", i, sum);
    dev += -2.0 * log(fmin(fmax(csv_number(&t, i, min_cols[(int)y]), 1e-5), 1 - 1e-5));
  }
  dev /= (double)t.rows;
  ck_assert_msg(fabs(dev - want) <= 1e-9 * want, "multinomial deviance %.17g vs %.17g", dev, want);
  csv_free(&t);
  cJSON_Delete(r);
}
END_TEST

/* cv.repeats 3: draw r has the folds of a run with cv.seed 1 + r, and the
 * pooled curve is cv.glmnet's cvstats over all 30 folds, recomputed here
 * from the three single runs' curves alone: with every draw's fold weights
 * summing to n,
 *   cvm = (m_1 + m_2 + m_3) / 3,
 *   cvsd^2 = sum_r [sd_r^2 (K - 1) + (m_r - cvm)^2] / R / (R K - 1),
 * since sum_k N_k (e_rk - cvm)^2 = sum_k N_k (e_rk - m_r)^2 + n (m_r - cvm)^2
 * and sd_r^2 = sum_k N_k (e_rk - m_r)^2 / n / (K - 1).  lambda.min and
 * lambda.1se are cv.glmnet's rule on that curve.  cv.repeats 1 is the plain
 * run. */
START_TEST(repeated_cv_pools_the_draws) {
  char out[PATH_MAX_LEN], seed[32];
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--quiet", "--set", "cv.repeats=3", (const char *)NULL);
  assert_success("3 repeats");
  cJSON *r = load_report(T.out), *one[3];
  const cJSON *cv = member(cJSON_GetArrayItem(member(r, "fits"), 0), "cv");
  ck_assert_uint_eq(count(r, "cv_repeats"), 3);
  ck_assert_uint_eq(count(cv, "folds"), 10);
  ck_assert_uint_eq(count(cv, "repeats"), 3);
  const cJSON *draws = array(r, "fold_ids_by_repeat", 3);
  for (int s = 0; s < 3; s++) {
    join(out, sizeof out, T.dir, s == 0 ? "s1" : s == 1 ? "s2" : "s3");
    snprintf(seed, sizeof seed, "cv.seed=%d", 1 + s);
    run_regpath(NULL, "--config", T.config, "--quiet", "--set", seed, "--output", out,
                (const char *)NULL);
    assert_success("one draw");
    one[s] = load_report(out);
    ck_assert(cJSON_Compare(cJSON_GetArrayItem(draws, s), member(one[s], "fold_ids"), 1));
  }
  const cJSON *mean = member(cv, "mean"), *se = member(cv, "std_error"), *c[3];
  for (int s = 0; s < 3; s++) c[s] = member(cJSON_GetArrayItem(member(one[s], "fits"), 0), "cv");
  size_t A = (size_t)cJSON_GetArraySize(mean), lo = 0;
  for (size_t a = 0; a < A; a++) {
    double m = 0.0, v = 0.0, K = 10.0;
    for (int s = 0; s < 3; s++) m += at(member(c[s], "mean"), a) / 3.0;
    for (int s = 0; s < 3; s++) {
      double d = at(member(c[s], "mean"), a) - m, sd = at(member(c[s], "std_error"), a);
      v += sd * sd * (K - 1) + d * d;
    }
    double sd = sqrt(v / 3.0 / (3.0 * K - 1));
    ck_assert_msg(fabs(at(mean, a) - m) <= 1e-12 * m, "cvm[%zu] %.17g vs %.17g", a, at(mean, a), m);
    ck_assert_msg(fabs(at(se, a) - sd) <= 1e-9 * sd, "cvsd[%zu] %.17g vs %.17g", a, at(se, a), sd);
    if (at(mean, a) < at(mean, lo)) lo = a;
  }
  size_t hi = 0;
  while (at(mean, hi) > at(mean, lo) + at(se, lo)) hi++;
  ck_assert_uint_eq(count(cv, "index_min"), lo);
  ck_assert_uint_eq(count(cv, "index_1se"), hi);
  for (int s = 0; s < 3; s++) cJSON_Delete(one[s]);
  cJSON_Delete(r);

  run_regpath(NULL, "--config", T.config, "--quiet", "--set", "cv.repeats=1", (const char *)NULL);
  assert_success("1 repeat");
  r = load_report(T.out);
  join(out, sizeof out, T.dir, "s1");
  one[0] = load_report(out);
  ck_assert(cJSON_Compare(member(r, "fits"), member(one[0], "fits"), 1));
  ck_assert(cJSON_IsNull(member(r, "fold_ids_by_repeat")));
  cJSON_Delete(one[0]);
  cJSON_Delete(r);
}
END_TEST

/* A binomial target with labels 2 and 4: the report gives the classes in
 * sorted order; predict writes p = 1 / (1 + e^-eta) from the report's
 * coefficients and the class on the side of 1/2 by its label, prints the
 * binomial scores, and rejects a label that is neither class, leaving no --output file. */
static double binomial_x1(int i) { return (i % 9) - 4.0; }
static double binomial_x2(int i) { return ((i * 37) % 11) / 4.0 - 1.25; }

START_TEST(binomial_labels_and_predictions) {
  char csv[4096] = "x1,x2,y\n", row[64];
  for (int i = 0; i < 80; i++) {
    int label = binomial_x1(i) + 3.0 * sin(1.7 * i) > 0.0 ? 4 : 2;
    snprintf(row, sizeof row, "%g,%g,%d\n", binomial_x1(i), binomial_x2(i), label);
    strcat(csv, row);
  }
  write_file(T.data, csv);
  write_config(T.config, "{'data': {'train': '@DATA@'}, 'model': {'family': 'binomial'}, "
                         "'cv': {'folds': 4}, " OUT_DIR "}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("binomial run");
  cJSON *r = load_report(T.out);
  const cJSON *classes = array(member(r, "data"), "classes", 2), *sel = member(r, "selected");
  ck_assert(at(classes, 0) == 2.0 && at(classes, 1) == 4.0);
  char model[PATH_MAX_LEN], preds[PATH_MAX_LEN];
  join(model, sizeof model, T.out, "model.json");
  join(preds, sizeof preds, T.dir, "p.csv");
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--output", preds,
              (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict: exit %d: %s", R.code, R.err);
  ck_assert_msg(strstr(R.out, "deviance ") && strstr(R.out, "accuracy ") && strstr(R.out, "auc "),
                "metrics: %s", R.out);
  size_t len;
  char *out = read_file(preds, &len), *line = strtok(out, "\n");
  ck_assert_str_eq(line, "y,prediction,class");
  const cJSON *coef = member(sel, "coef");
  int i = 0;
  for (; (line = strtok(NULL, "\n")); i++) {
    double y, p, cls;
    ck_assert_int_eq(sscanf(line, "%lf,%lf,%lf", &y, &p, &cls), 3);
    double eta = number(sel, "intercept") + number(coef, "x1") * binomial_x1(i) +
                 number(coef, "x2") * binomial_x2(i);
    ck_assert_msg(fabs(p - 1.0 / (1.0 + exp(-eta))) <= 1e-12, "row %d: p %.17g, eta %.17g", i, p,
                  eta);
    ck_assert_msg(cls == (p > 0.5 ? 4.0 : 2.0), "row %d: class %g at p %g", i, cls, p);
  }
  ck_assert_int_eq(i, 80);
  free(out);
  write_file(T.data, "x1,x2,y\n1,0.5,3\n");
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, (const char *)NULL);
  ck_assert_int_eq(R.code, 3);
  ck_assert_msg(strstr(R.err, "value 3 is neither class of the model (2, 4)"), "stderr: %s", R.err);
  remove(preds); /* the bad label is found before --output is written: no file */
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--output", preds,
              (const char *)NULL);
  ck_assert_int_eq(R.code, 3);
  ck_assert(!file_exists(preds));
  cJSON_Delete(r);
}
END_TEST

/* A multinomial target with text labels ant, bee and cat: predict writes
 * prob_<class> per class in the model's classes order and then class; every
 * row's probabilities sum to 1 and its class is the most probable one; the
 * scores are the multinomial family's; coef has a column per class; a
 * target that is no class of the model is an error naming its row, and no
 * --output file is written. */
START_TEST(multinomial_labels_and_predictions) {
  static const char *const labels[3] = {"ant", "bee", "cat"};
  char csv[8192] = "x1,x2,y\n", row[96];
  unsigned long state = 5;
  for (int i = 0; i < 90; i++) {
    double x1 = 4.0 * next_uniform(&state), x2 = 4.0 * next_uniform(&state);
    double noise = next_uniform(&state), s[3] = {x1, x2, 0.5 - x1 - x2 + noise};
    int c = s[1] > s[0] ? 1 : 0;
    c = s[2] > s[c] ? 2 : c;
    if (i % 10 == 3) c = (c + 1) % 3; /* some overlap between the classes */
    snprintf(row, sizeof row, "%.6f,%.6f,%s\n", x1, x2, labels[c]);
    strcat(csv, row);
  }
  write_file(T.data, csv);
  write_config(T.config, "{'data': {'train': '@DATA@'}, 'model': {'family': 'multinomial'}, "
                         "'cv': {'folds': 3}, " OUT_DIR "}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  ck_assert_msg(R.code == 0, "multinomial run: exit %d: %s", R.code, R.err);
  char model[PATH_MAX_LEN], preds[PATH_MAX_LEN], test[PATH_MAX_LEN];
  join(model, sizeof model, T.out, "model.json");
  join(preds, sizeof preds, T.dir, "p.csv");
  join(test, sizeof test, T.dir, "test.csv");
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--output", preds,
              (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict: exit %d: %s", R.code, R.err);
  ck_assert_msg(strstr(R.out, "deviance ") && strstr(R.out, "accuracy ") && strstr(R.out, "mse ") &&
                    strstr(R.out, "(n = 90)"),
                "metrics: %s", R.out);
  size_t len;
  char *out = read_file(preds, &len), *save = NULL, *line = strtok_r(out, "\n", &save);
  ck_assert_str_eq(line, "y,prob_ant,prob_bee,prob_cat,class");
  int i = 0;
  for (; (line = strtok_r(NULL, "\n", &save)); i++) {
    char y[8], cls[8];
    double p[3];
    ck_assert_msg(sscanf(line, "%7[^,],%lf,%lf,%lf,%7s", y, &p[0], &p[1], &p[2], cls) == 5,
                  "row %d: %s", i, line);
    int best = p[1] > p[0] ? 1 : 0;
    best = p[2] > p[best] ? 2 : best;
    ck_assert_msg(fabs(p[0] + p[1] + p[2] - 1.0) <= 1e-12, "row %d sums to %.17g", i,
                  p[0] + p[1] + p[2]);
    ck_assert_msg(strcmp(cls, labels[best]) == 0, "row %d: class %s, probabilities %g %g %g", i,
                  cls, p[0], p[1], p[2]);
  }
  ck_assert_int_eq(i, 90);
  free(out);
  write_file(test, "x2,x1\n0.5,-1\n"); /* no target: no scores, no target column */
  run_regpath(NULL, "predict", "--model", model, "--data", test, (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict without y: exit %d: %s", R.code, R.err);
  ck_assert_msg(strncmp(R.out, "prob_ant,prob_bee,prob_cat,class\n", 33) == 0, "%s", R.out);
  ck_assert_uint_eq(count_lines(R.out), 2);
  run_regpath(NULL, "coef", "--model", model, (const char *)NULL);
  ck_assert_msg(R.code == 0, "coef: exit %d: %s", R.code, R.err);
  ck_assert_msg(strncmp(R.out, "feature,coef_ant,coef_bee,coef_cat\n(intercept),", 47) == 0, "%s",
                R.out);
  ck_assert_uint_eq(count_lines(R.out), 4);
  write_file(test, "x1,x2,y\n1,0.5,bee\n1,0.5,dog\n");
  remove(preds); /* the bad target is found before --output is written: no file */
  run_regpath(NULL, "predict", "--model", model, "--data", test, "--output", preds,
              (const char *)NULL);
  ck_assert_int_eq(R.code, 3);
  ck_assert_msg(strstr(R.err, ":3: target \"y\": value \"dog\" is not a class of the model "
                              "(\"ant\", \"bee\", \"cat\")"),
                "stderr: %s", R.err);
  ck_assert(!file_exists(preds));
}
END_TEST

START_TEST(predict_names_a_missing_feature_and_writes_nothing) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("cv run");
  write_file(T.data, "age,sex,bp\n1,2,3\n");
  char model[PATH_MAX_LEN], preds[PATH_MAX_LEN];
  join(model, sizeof model, T.out, "model.json");
  join(preds, sizeof preds, T.dir, "p.csv");
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--output", preds,
              (const char *)NULL);
  ck_assert_int_eq(R.code, 3);
  ck_assert_msg(strstr(R.err, "no column \"bmi\""), "stderr: %s", R.err);
  ck_assert_uint_eq(count_lines(R.err), 1);
  ck_assert(!file_exists(preds));
  run_regpath(NULL, "predict", "--model", T.data, "--data", diabetes, (const char *)NULL);
  ck_assert_int_eq(R.code, 3);
  run_regpath(NULL, "predict", "--model", model, (const char *)NULL);
  ck_assert_int_eq(R.code, 2);
  ck_assert_uint_eq(count_lines(R.err), 1);
}
END_TEST

/* ------------------------------------------------------------ real tables (issue 16) */

/* A write.csv-style table: row names, a text column g, a number x, an
 * offset o and the target y (two decimals, as written). */
static void write_raw_table(const char *path, int rows) {
  char text[8192] = "\"\",\"g\",\"x\",\"o\",\"y\"\n", row[128];
  static const char *const levels[] = {"b", "a", "c"};
  for (int i = 0; i < rows; i++) {
    double x = 0.5 * i - 3.0, o = 0.25 * (i % 3), y = 1.0 + 0.8 * x + (i % 3) - 0.5 * (i % 2) + o;
    snprintf(row, sizeof row, "\"r%d\",\"%s\",%g,%g,%.2f\n", i + 1, levels[i % 3], x, o, y);
    strcat(text, row);
  }
  write_file(path, text);
}

/* predict on a raw table: ids through, the target's cells as written, the
 * categorical column by the model's levels, the offset added, extra columns
 * of any type ignored; an unseen level is an error (or, with --unseen zero,
 * zero dummies and one warning); a row with a missing value gets an empty
 * prediction and one warning line. */
START_TEST(predict_reads_raw_tables) {
  write_raw_table(T.data, 30);
  write_config(T.config, "{'data': {'train': '@DATA@', 'offset': 'o'}, 'cv': {'folds': 3}, "
                         "'output': {'dir': '@OUT@', 'plots': false}}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("raw table run");
  cJSON *r = load_report(T.out);
  const cJSON *data = member(r, "data"), *sel = member(r, "selected"), *coef = member(sel, "coef");
  ck_assert_str_eq(string(data, "id"), "");
  array(member(data, "categorical"), "g", 3);
  ck_assert_str_eq(cJSON_GetArrayItem(array(data, "feature_names", 4), 0)->valuestring, "g=a");
  char model[PATH_MAX_LEN], preds[PATH_MAX_LEN], text[CAPTURE_MAX];
  join(model, sizeof model, T.out, "model.json");
  join(preds, sizeof preds, T.dir, "p.csv");
  write_file(T.data, "\"\",extra,x,y,o,g\n\"first\",zzz,1.5,5.60,0.5,c\n\"second\",NA,-2,,0,a\n"
                     "\"third\",,NA,3.25,0,b\n");
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--output", preds,
              (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict: exit %d: %s", R.code, R.err);
  ck_assert_msg(count_lines(R.err) == 1 &&
                    strstr(R.err, "regpath: warning: 1 of 3 rows have a missing "
                                  "feature value"),
                "stderr: %s", R.err);
  ck_assert_int_ge(read_into(preds, text, sizeof text), 0);
  double eta = number(sel, "intercept") + number(coef, "g=c") + 1.5 * number(coef, "x") + 0.5;
  char want[256];
  snprintf(want, sizeof want, ",y,prediction\nfirst,5.60,%.17g\n", eta);
  ck_assert_msg(strncmp(text, want, strlen(want)) == 0, "predictions:\n%s\nexpected to start:\n%s",
                text, want);
  ck_assert_msg(strstr(text, "\nthird,3.25,\n"), "a row with a missing feature: %s", text);
  write_file(T.data, "x,g,o\n1,d,0\n2,a,0\n");
  remove(preds);
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--output", preds,
              (const char *)NULL);
  ck_assert_int_eq(R.code, 3);
  ck_assert_msg(strstr(R.err, "column \"g\": level \"d\" was not seen in training"), "stderr: %s",
                R.err);
  ck_assert_uint_eq(count_lines(R.err), 1);
  ck_assert(!file_exists(preds));
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--unseen", "zero",
              (const char *)NULL);
  ck_assert_msg(
      R.code == 0 && count_lines(R.err) == 1 &&
          strstr(R.err, "regpath: warning: 1 of 2 rows have a level not seen in training"),
      "exit %d, stderr: %s", R.code, R.err);
  snprintf(want, sizeof want, "prediction\n%.17g\n", number(sel, "intercept") + number(coef, "x"));
  ck_assert_msg(strncmp(R.out, want, strlen(want)) == 0, "unseen level: %s", R.out);
  write_file(T.data, "x,g\n1,a\n");
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, (const char *)NULL);
  ck_assert_int_eq(R.code, 3);
  ck_assert_msg(strstr(R.err, "no column \"o\" (the offset of the model)"), "stderr: %s", R.err);
  cJSON_Delete(r);
}
END_TEST

/* data.test with data.offset: the test file's own offsets are added to its
 * predictions, so the selected model's test mse is that of y - (b0 + x.b + o)
 * recomputed here from the report's coefficients on write_raw_table's rows. */
START_TEST(test_file_offsets_enter_the_test_scores) {
  char test[PATH_MAX_LEN];
  join(test, sizeof test, T.dir, "test.csv");
  write_raw_table(T.data, 30);
  write_raw_table(test, 12);
  write_config(T.config, "{'data': {'train': '@DATA@', 'test': '@DIR@/test.csv', 'offset': 'o'}, "
                         "'cv': {'folds': 3}, 'output': {'dir': '@OUT@', 'plots': false}}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("run with a test file and an offset");
  cJSON *r = load_report(T.out);
  const cJSON *sel = member(r, "selected"), *coef = member(sel, "coef");
  static const char *const levels[] = {"g=b", "g=a", "g=c"};
  double sse = 0;
  for (int i = 0; i < 12; i++) {
    double x = 0.5 * i - 3.0, o = 0.25 * (i % 3), y = 1.0 + 0.8 * x + (i % 3) - 0.5 * (i % 2) + o;
    char cell[32];
    snprintf(cell, sizeof cell, "%.2f", y);
    double eta = number(sel, "intercept") + number(coef, levels[i % 3]) + x * number(coef, "x") + o;
    sse += (strtod(cell, NULL) - eta) * (strtod(cell, NULL) - eta);
  }
  double mse = number(member(member(r, "test"), "selected"), "mse");
  ck_assert_msg(fabs(mse - sse / 12) <= 1e-9 * (1 + sse / 12), "test mse %.17g, recomputed %.17g",
                mse, sse / 12);
  cJSON_Delete(r);
}
END_TEST

/* data.features: the other columns are never parsed (text and NA there are
 * no error), and the target is still the last column by default. */
START_TEST(columns_outside_the_features_are_not_read) {
  write_file(T.data, "a,b,junk,y\n1,2,x,3\n2,1,NA,5\n3,5,z,4\n4,4,q,8\n5,3,w,7\n6,7,e,9\n");
  write_config(T.config,
               "{'data': {'train': '@DATA@', 'features': ['a', 'b']}, 'cv': {'folds': 2}, "
               "'output': {'dir': '@OUT@', 'plots': false}}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("features only");
  cJSON *r = load_report(T.out);
  ck_assert_uint_eq(count(member(r, "data"), "n_features"), 2);
  ck_assert_str_eq(string(member(r, "data"), "target"), "y");
  cJSON_Delete(r);
}
END_TEST

/* Sonar's model predicts its own rows: ids through, the class column as
 * labels. */
static void check_sonar_labels(const char *csv) {
  char model[PATH_MAX_LEN];
  static const char head[] = ",Class,prediction,class\n1,R,";
  join(model, sizeof model, T.out, "model.json");
  run_regpath(NULL, "predict", "--model", model, "--data", csv, "--quiet", (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict: %s", R.err);
  ck_assert_msg(strncmp(R.out, head, strlen(head)) == 0 && strstr(R.out, ",M\n") &&
                    strstr(R.out, ",R\n"),
                "predictions: %.300s", R.out);
}

/* The R-exported tables run with at most --target, --family and
 * data.missing, and give the design glmnet's references were made on. */
START_TEST(r_tables_run_with_target_family_and_missing_only) {
  static const struct {
    const char *csv, *target, *family, *missing, *ref;
  } runs[] = {{"boston", "medv", NULL, NULL, "boston"},
              {"sonar", "Class", "binomial", NULL, "sonar"},
              {"pima2", "diabetes", "binomial", "drop", "pima2_drop"},
              {"pima2", "diabetes", "binomial", "mean", "pima2_mean"},
              {"penguins", "body_mass_g", NULL, "drop", "penguins_drop"},
              {"penguins", "body_mass_g", NULL, "mean", "penguins_mean"},
              {"quine", "Days", "poisson", NULL, "quine"},
              {"nmes1988", "visits", "poisson", NULL, "nmes1988"}};
  for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
    char csv[PATH_MAX_LEN], ref_path[PATH_MAX_LEN], missing[64];
    snprintf(csv, sizeof csv, "%s", tu_src_path("tests/data/tables/x"));
    snprintf(csv + strlen(csv) - 1, sizeof csv - strlen(csv) + 1, "%s.csv", runs[i].csv);
    snprintf(ref_path, sizeof ref_path, "tests/data/tables/%s_glmnet.json", runs[i].ref);
    snprintf(missing, sizeof missing, "data.missing=%s",
             runs[i].missing ? runs[i].missing : "error");
    const char *args[MAX_ARGS + 1] = {"--data",       csv,        "--target",
                                      runs[i].target, "--output", T.out,
                                      "--quiet",      "--set",    "output.render=none"};
    size_t n = 9;
    if (runs[i].family) args[n++] = "--family", args[n++] = runs[i].family;
    if (runs[i].missing) args[n++] = "--set", args[n++] = missing;
    args[n] = NULL;
    run_program(NULL, args);
    assert_success(runs[i].ref);
    cJSON *r = load_report(T.out), *ref = tu_load_json(tu_src_path(ref_path));
    const cJSON *data = member(r, "data"), *names = cJSON_GetObjectItem(ref, "feature_names");
    size_t p = (size_t)cJSON_GetArraySize(names);
    ck_assert_uint_eq(count(data, "n_samples"), (size_t)cJSON_GetObjectItem(ref, "n")->valueint);
    for (size_t j = 0; j < p; j++)
      ck_assert_str_eq(cJSON_GetArrayItem(array(data, "feature_names", p), (int)j)->valuestring,
                       cJSON_GetArrayItem(names, (int)j)->valuestring);
    const cJSON *dropped = member(data, "rows_dropped");
    ck_assert_uint_eq(count(dropped, "missing_target") + count(dropped, "missing_values"),
                      (size_t)cJSON_GetObjectItem(ref, "rows_dropped")->valueint);
    if (runs[i].family && strcmp(runs[i].family, "binomial") == 0)
      for (int c = 0; c < 2; c++)
        ck_assert_str_eq(cJSON_GetArrayItem(array(data, "classes", 2), c)->valuestring,
                         cJSON_GetArrayItem(cJSON_GetObjectItem(ref, "classes"), c)->valuestring);
    cJSON_Delete(ref);
    cJSON_Delete(r);
    if (strcmp(runs[i].ref, "sonar") == 0) check_sonar_labels(csv);
  }
}
END_TEST

/* A header over 1 MiB: WIDE_P features with long names, then y; few rows
 * keep the run short.  Returns the file's size. */
enum { WIDE_P = 1100, WIDE_NAME = 1000, WIDE_ROWS = 12 };

static size_t write_wide_csv(const char *path) {
  size_t cap = (size_t)WIDE_P * (WIDE_NAME + 16) + (size_t)WIDE_ROWS * WIDE_P * 8 + 64, n = 0;
  char *text = malloc(cap);
  ck_assert_ptr_nonnull(text);
  for (int j = 0; j < WIDE_P; j++) { /* names differ in their first bytes */
    n += (size_t)snprintf(text + n, cap - n, "f%04d_", j);
    memset(text + n, 'x', WIDE_NAME - 6);
    n += WIDE_NAME - 6;
    text[n++] = ',';
  }
  n += (size_t)snprintf(text + n, cap - n, "y\n");
  for (int i = 0; i < WIDE_ROWS; i++) {
    for (int j = 0; j < WIDE_P; j++)
      n += (size_t)snprintf(text + n, cap - n, "%d,", (i * 7 + j * 3) % 11);
    n += (size_t)snprintf(text + n, cap - n, "%d\n", i % 5 + (i * 7) % 11);
  }
  write_bytes(path, text, n);
  free(text);
  return n;
}

/* A model trained with data.max_line_bytes raised records it, so predict
 * reads data as wide as the training data; a model without the key (as
 * written before it existed) is read under the default 1 MiB limit, which
 * --max-line-bytes raises. */
START_TEST(predict_reads_data_as_wide_as_the_training_data) {
  write_wide_csv(T.data);
  write_config(T.config, "{'data': {'train': '@DATA@', 'max_line_bytes': 2097152}, "
                         "'cv': {'folds': 3}, 'path': {'n_alphas': 5}, "
                         "'output': {'dir': '@OUT@', 'plots': false}}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success("wide run");
  char model[PATH_MAX_LEN], preds[PATH_MAX_LEN];
  join(model, sizeof model, T.out, "model.json");
  join(preds, sizeof preds, T.dir, "p.csv");
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--output", preds, "--quiet",
              (const char *)NULL);
  assert_success("predict on the wide data");
  size_t len;
  char *out = read_file(preds, &len);
  ck_assert_uint_eq(count_lines(out), WIDE_ROWS + 1);
  free(out);
  /* the same model as an older regpath wrote it */
  char *text = read_file(model, &len), *key = strstr(text, "\"max_line_bytes\"");
  ck_assert_ptr_nonnull(key);
  char *line = key, *after = strchr(key, '\n') + 1;
  while (line > text && line[-1] != '\n') line--;
  memmove(line, after, strlen(after) + 1);
  write_file(model, text);
  free(text);
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--output", preds, "--quiet",
              (const char *)NULL);
  ck_assert_int_eq(R.code, 3);
  ck_assert_msg(strstr(R.err, ":1: line longer than 1048576 bytes"), "stderr: %s", R.err);
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--output", preds, "--quiet",
              "--max-line-bytes", "1200000", (const char *)NULL);
  assert_success("predict with --max-line-bytes");
  run_regpath(NULL, "predict", "--model", model, "--data", T.data, "--max-line-bytes", "15",
              (const char *)NULL);
  ck_assert_int_eq(R.code, 2);
  ck_assert_msg(strstr(R.err, "--max-line-bytes: expected an integer >= 16, got 15"), "stderr: %s",
                R.err);
}
END_TEST

/* Split diabetes.csv: rows [from, to) of the data (0-based, header kept). */
static void write_diabetes_rows(const char *path, size_t from, size_t to) {
  FILE *in = fopen(diabetes, "r"), *out = fopen(path, "w");
  ck_assert(in && out);
  char line[1024];
  for (size_t i = 0; fgets(line, sizeof line, in); i++)
    if (i == 0 || (i - 1 >= from && i - 1 < to)) fputs(line, out);
  fclose(in);
  ck_assert_int_eq(fclose(out), 0);
}

/* Test scores in the report against mse, mae and r2 computed here from the
 * selected coefficients and the test rows. */
START_TEST(test_set_scores_match_a_direct_computation) {
  char train[PATH_MAX_LEN], test[PATH_MAX_LEN];
  join(train, sizeof train, T.dir, "train.csv");
  join(test, sizeof test, T.dir, "test.csv");
  write_diabetes_rows(train, 100, 442);
  write_diabetes_rows(test, 0, 100);
  write_config(T.config, "{'data': {'train': 'train.csv', 'test': 'test.csv'}," OUT_DIR "}");
  run_regpath(NULL, "--config", T.config, (const char *)NULL);
  assert_success("run with a test set");
  ck_assert_msg(strstr(R.out, "test set (100 rows)"), "summary: %s", R.out);
  cJSON *r = load_report(T.out);
  const cJSON *sel = member(r, "selected"), *coef = member(sel, "coef"), *t = member(r, "test");
  ck_assert_uint_eq(count(t, "n_samples"), 100);
  const char *names[] = {"age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"};
  FILE *in = fopen(test, "r");
  char row[1024];
  double y[100], yhat[100], mean = 0.0;
  ck_assert_ptr_nonnull(fgets(row, sizeof row, in));
  for (size_t i = 0; i < 100; i++) {
    ck_assert_ptr_nonnull(fgets(row, sizeof row, in));
    char *p = row;
    yhat[i] = number(sel, "intercept");
    for (size_t j = 0; j < 10; j++) yhat[i] += number(coef, names[j]) * strtod(p, &p), p++;
    y[i] = strtod(p, NULL);
    mean += y[i] / 100.0;
  }
  fclose(in);
  double sse = 0.0, sae = 0.0, sst = 0.0;
  for (size_t i = 0; i < 100; i++) {
    sse += (y[i] - yhat[i]) * (y[i] - yhat[i]);
    sae += fabs(y[i] - yhat[i]);
    sst += (y[i] - mean) * (y[i] - mean);
  }
  const cJSON *scores = member(t, "selected");
  ck_assert_double_eq_tol(number(scores, "mse"), sse / 100.0, 1e-10 * sse / 100.0);
  ck_assert_double_eq_tol(number(scores, "mae"), sae / 100.0, 1e-10 * sae / 100.0);
  ck_assert_double_eq_tol(number(scores, "r2"), 1.0 - sse / sst, 1e-10);
  const cJSON *curve = cJSON_GetArrayItem(member(t, "fits"), 0);
  ck_assert_double_eq(at(member(curve, "mse"), count(sel, "index")), number(scores, "mse"));
  cJSON_Delete(r);
}
END_TEST

/* The summary names the rule, both CV points with error and nonzeros, the
 * selected coefficients by magnitude, and the files. */
START_TEST(summary_reports_the_choice_and_the_files) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, (const char *)NULL);
  assert_success("cv run");
  cJSON *r = load_report(T.out);
  const cJSON *cv = member(cJSON_GetArrayItem(member(r, "fits"), 0), "cv");
  char alpha_min[32], alpha_1se[32];
  snprintf(alpha_min, sizeof alpha_min, "%.6g", number(cv, "alpha_min"));
  snprintf(alpha_1se, sizeof alpha_1se, "%.6g", number(cv, "alpha_1se"));
  ck_assert_msg(strstr(R.out, "rule 1se") && strstr(R.out, " min ") && strstr(R.out, " 1se "),
                "summary: %s", R.out);
  ck_assert_msg(strstr(R.out, alpha_min) && strstr(R.out, alpha_1se), "alphas in: %s", R.out);
  ck_assert_msg(strstr(R.out, "* lasso"), "selected row marked: %s", R.out);
  const char *s5 = strstr(R.out, "\n  s5 "), *bmi = strstr(R.out, "\n  bmi ");
  ck_assert_msg(s5 && bmi && s5 < bmi, "coefficients by magnitude: %s", R.out);
  ck_assert_msg(strstr(R.out, "model.json") && strstr(R.out, "cv.dat"), "files: %s", R.out);
  cJSON_Delete(r);
}
END_TEST

/* The summary's first line names the target and where it is: a CSV with the
 * target first (data.target) says "column 1 of 4", the default the last. */
START_TEST(summary_names_the_target) {
  write_file(T.data, "y,a,b,c\n3,1,2,0\n5,2,1,1\n4,3,5,0\n8,4,4,1\n7,5,3,0\n9,6,7,1\n"
                     "6,7,2,0\n10,8,6,1\n");
  write_config(T.config, "{'data': {'train': '@DATA@', 'target': 'y'}, 'cv': {'folds': 2},"
                         " 'output': {'dir': '@OUT@', 'render': 'none'}}");
  run_regpath(NULL, "--config", T.config, (const char *)NULL);
  assert_success("target first");
  ck_assert_msg(strstr(R.out, ", target y (column 1 of 4), n = 8, p = 3,") &&
                    strchr(R.out, '\n') > strstr(R.out, "target y"),
                "first line: %s", R.out);
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, (const char *)NULL);
  assert_success("target last");
  ck_assert_msg(strstr(R.out, ", target progression (last column), n = 442,"), "first line: %s",
                R.out);
}
END_TEST

/* Names sharing a long prefix (24 characters, past the 12 the side-by-side
 * table once cut them at) print whole, each on its own line, in every table
 * of a compare run. */
START_TEST(summary_never_cuts_names_into_duplicates) {
  const char *names[] = {"worst_concavity_of_the_cell_nuclei", "worst_concavity_of_the_cell_shape",
                         "worst_concavity_of_the_cell_edges"};
  FILE *f = fopen(T.data, "w");
  ck_assert_ptr_nonnull(f);
  fprintf(f, "%s,%s,%s,y\n", names[0], names[1], names[2]);
  unsigned long state = 99;
  for (int i = 0; i < 60; i++) {
    double x[3];
    for (int j = 0; j < 3; j++) {
      x[j] = next_uniform(&state);
    }
    fprintf(f, "%.6f,%.6f,%.6f,%.6f\n", x[0], x[1], x[2], 2 * x[0] - x[1] + 0.5 * x[2]);
  }
  ck_assert_int_eq(fclose(f), 0);
  write_config(T.config, "{'data': {'train': '@DATA@'}, 'model': {'penalty': 'compare'},"
                         " 'cv': {'folds': 3}, 'output': {'dir': '@OUT@', 'render': 'none'}}");
  run_regpath(NULL, "--config", T.config, (const char *)NULL);
  assert_success_at_grid_edge("compare run");
  const char *table = strstr(R.out, "coefficients side by side");
  ck_assert_msg(table != NULL, "no side-by-side table: %s", R.out);
  for (int j = 0; j < 3; j++) {
    char line[96];
    snprintf(line, sizeof line, "\n  %s ", names[j]);
    ck_assert_msg(strstr(table, line), "%s not whole in: %s", names[j], table);
  }
}
END_TEST

/* A CV minimum at an edge of the grid is warned, on stderr and in
 * report.warnings: ridge on the diabetes data at the grid's smallest alpha
 * (and not once path.alpha_min_ratio 1e-8 lets the curve turn up inside
 * the grid); a target of pure noise at alpha_max. */
START_TEST(a_cv_minimum_at_the_grid_edge_is_warned) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--quiet", "--set", "model.l1_ratio=0", "--set",
              "path.extend=false", (const char *)NULL);
  assert_success_at_grid_edge("ridge");
  const char *want = "l1_ratio 0: the best CV mse is at the grid's smallest alpha (4.516), so the "
                     "curve may still be falling; lower path.alpha_min_ratio (now 0.0001)";
  ck_assert_msg(strstr(R.err, want), "stderr: %s", R.err);
  cJSON *r = load_report(T.out);
  const cJSON *w = cJSON_GetArrayItem(member(r, "warnings"), 0);
  ck_assert_msg(cJSON_IsString(w) && strstr(w->valuestring, want), "report.warnings");
  cJSON_Delete(r);
  run_regpath(NULL, "--config", T.config, "--quiet", "--set", "model.l1_ratio=0", "--set",
              "path.extend=false", "--set", "path.alpha_min_ratio=1e-8", (const char *)NULL);
  assert_success("ridge on a longer grid");
  run_regpath(NULL, "--config", T.config, "--quiet", "--set", "model.l1_ratio=0", "--set",
              "path.extend_max=5", (const char *)NULL);
  ck_assert_int_eq(R.code, 0);
  ck_assert_msg(strstr(R.err, "regpath: warning: l1_ratio 0: the best CV mse is still at the "
                              "smallest alpha (") &&
                    strstr(R.err, ") after extending the grid by 5 points; raise "
                                  "path.extend_max or lower path.alpha_min_ratio (now 0.0001)"),
                "stderr: %s", R.err);

  FILE *f = fopen(T.data, "w");
  ck_assert_ptr_nonnull(f);
  fputs("a,b,y\n", f);
  unsigned long state = 7;
  for (int i = 0; i < 90; i++) {
    double v[3];
    for (int j = 0; j < 3; j++) {
      v[j] = next_uniform(&state);
    }
    fprintf(f, "%.6f,%.6f,%.6f\n", v[0], v[1], v[2]);
  }
  ck_assert_int_eq(fclose(f), 0);
  write_config(T.config, "{'data': {'train': '@DATA@'}, 'cv': {'folds': 5},"
                         " 'output': {'dir': '@OUT@', 'render': 'none'}}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  ck_assert_int_eq(R.code, 0);
  ck_assert_msg(strstr(R.err, "regpath: warning: l1_ratio 1: the best CV mse is at alpha_max (") &&
                    strstr(R.err, "no feature improves on the intercept alone"),
                "stderr: %s", R.err);
}
END_TEST

/* The fit's alphas on the generated grid, extended or not: alpha_k =
 * alpha_max * ratio^(k / (N - 1)), k = 0..K-1, for a grid of N points. */
static void assert_generated_grid(const cJSON *fit, double ratio, size_t N) {
  const cJSON *alphas = member(member(fit, "path"), "alphas");
  double alpha_max = number(fit, "alpha_max");
  for (int k = 0; k < cJSON_GetArraySize(alphas); k++) {
    double want = alpha_max * pow(ratio, (double)k / (double)(N - 1));
    ck_assert_msg(fabs(at(alphas, (size_t)k) - want) <= 1e-12 * want,
                  "alphas[%d] = %.17g, not %.17g", k, at(alphas, (size_t)k), want);
  }
}

/* path.extend: ridge on the diabetes data has its CV minimum at the last
 * of glmnet's 100 alphas.  The grid goes on at the same log spacing until
 * the curve has turned up: its minimum 10 points (a tenth of the grid)
 * before the end, and nowhere in the first 99 points; the 1se choice is
 * inside.  The first 100 points are those of the run without the extension,
 * and the whole curve that of a run on the extended grid given as
 * path.alphas (no generated grid, no early stop). */
START_TEST(an_edge_minimum_extends_the_grid) {
  char given[PATH_MAX_LEN];
  join(given, sizeof given, T.dir, "given");
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--quiet", "--set", "model.l1_ratio=0", "--set",
              "path.extend=false", "--output", given, (const char *)NULL);
  cJSON *plain = load_report(given);
  run_regpath(NULL, "--config", T.config, "--set", "model.l1_ratio=0", (const char *)NULL);
  assert_success("ridge, extended");
  char note[128];
  cJSON *r = load_report(T.out);
  const cJSON *fit = cJSON_GetArrayItem(member(r, "fits"), 0), *cv = member(fit, "cv");
  const cJSON *fit0 = cJSON_GetArrayItem(member(plain, "fits"), 0);
  size_t K = check_path(member(fit, "path"), 10), added = count(fit, "grid_extended");
  ck_assert_uint_gt(added, 0);
  ck_assert_uint_eq(K, 100 + added);
  ck_assert_uint_eq(count(fit0, "grid_extended"), 0);
  snprintf(note, sizeof note,
           "\n  ridge: CV minimum at the grid's end (4.516); extended by %zu points", added);
  ck_assert_msg(strstr(R.out, note), "no %s in: %s", note, R.out);
  assert_generated_grid(fit, 1e-4, 100);
  size_t lo = count(cv, "index_min"), se = count(cv, "index_1se");
  ck_assert_uint_eq(K - 1 - lo, 10);
  const cJSON *mean = member(cv, "mean");
  for (size_t k = 0; k < K; k++)
    ck_assert_msg(k == lo || at(mean, k) > at(mean, lo), "mean[%zu] <= the minimum", k);
  ck_assert_uint_gt(lo, 99);
  ck_assert_msg(se > 0 && se < lo, "1se at %zu", se);
  ck_assert_double_eq(number(member(r, "selected"), "alpha"),
                      at(member(member(fit, "path"), "alphas"), se));
  static const char *const same[] = {"intercept", "dual_gap", "coef"};
  for (size_t i = 0; i < 3; i++)
    for (int k = 0; k < 100; k++)
      ck_assert(cJSON_Compare(cJSON_GetArrayItem(member(member(fit, "path"), same[i]), k),
                              cJSON_GetArrayItem(member(member(fit0, "path"), same[i]), k), 1));
  for (int k = 0; k < 100; k++)
    ck_assert_double_eq(at(mean, (size_t)k), at(member(member(fit0, "cv"), "mean"), (size_t)k));
  char set[PATH_MAX_LEN * 4] = "path.alphas=[";
  for (size_t k = 0; k < K; k++) /* %.17g: cJSON prints 15 digits when they are nearly exact */
    snprintf(set + strlen(set), sizeof set - strlen(set), "%s%.17g", k ? "," : "",
             at(member(member(fit, "path"), "alphas"), k));
  strcat(set, "]");
  run_regpath(NULL, "--config", T.config, "--quiet", "--set", "model.l1_ratio=0", "--set", set,
              "--output", given, (const char *)NULL);
  assert_success("ridge on the extended grid, given");
  cJSON *g = load_report(given);
  const cJSON *gcv = member(cJSON_GetArrayItem(member(g, "fits"), 0), "cv");
  for (size_t k = 0; k < K; k++)
    ck_assert_msg(at(member(gcv, "mean"), k) == at(mean, k),
                  "mean[%zu]: %.17g on the given grid, %.17g", k, at(member(gcv, "mean"), k),
                  at(mean, k));
  ck_assert(cJSON_Compare(member(gcv, "std_error"), member(cv, "std_error"), 1));
  ck_assert_uint_eq(count(gcv, "index_min"), lo);
  cJSON_Delete(g);
  cJSON_Delete(plain);
  cJSON_Delete(r);
}
END_TEST

/* penalty "compare" fits l1_ratio 1, 0.5 and 0 on shared folds: each fit must
 * equal the run with that l1_ratio alone, number for number. */
START_TEST(compare_fits_equal_the_single_runs) {
  char cfg[PATH_MAX_LEN * 2], out[PATH_MAX_LEN];
  write_config(T.config, "{'data': {'train': '@DIABETES@'}, 'model': {'penalty': 'compare'},"
                         " 'output': {'dir': '@OUT@', 'render': 'none'}}");
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  assert_success_at_grid_edge("compare run");
  cJSON *all = load_report(T.out);
  write_config(T.config,
               "{'data': {'train': '@DIABETES@'}, 'output': {'dir': '@OUT@', 'render': 'none'}}");
  const cJSON *fits = array(all, "fits", 3);
  ck_assert_uint_eq((size_t)cJSON_GetArraySize(member(all, "comparison")), 3);
  const char *ratios[] = {"1", "0.5", "0"};
  for (int i = 0; i < 3; i++) {
    join(out, sizeof out, T.dir, ratios[i]);
    snprintf(cfg, sizeof cfg, "model.l1_ratio=%s", ratios[i]);
    run_regpath(NULL, "--config", T.config, "--quiet", "--set", cfg, "--output", out,
                (const char *)NULL);
    assert_success_at_grid_edge("single run");
    cJSON *one = load_report(out);
    const cJSON *fit = cJSON_GetArrayItem(member(one, "fits"), 0);
    ck_assert_msg(cJSON_Compare(fit, cJSON_GetArrayItem(fits, i), 1), "fit %s differs", ratios[i]);
    ck_assert(cJSON_Compare(member(one, "fold_ids"), member(all, "fold_ids"), 1));
    cJSON_Delete(one);
  }
  cJSON_Delete(all);
}
END_TEST

/* Bit-identical results whatever the BLAS thread count (2100 x 500: two row
 * blocks, each large enough for OpenBLAS to thread its dsyrk; without the
 * program's one-thread setting this test fails). */
START_TEST(report_is_identical_for_one_and_two_blas_threads) {
  FILE *f = fopen(T.data, "w");
  ck_assert_ptr_nonnull(f);
  for (int j = 0; j < 500; j++) fprintf(f, "x%d,", j);
  fputs("y\n", f);
  unsigned long state = 12345;
  for (int i = 0; i < 2100; i++) {
    double y = 0.0;
    for (int j = 0; j < 500; j++) {
      double x = next_uniform(&state);
      if (j % 17 == 0) y += x;
      fprintf(f, "%.6f,", x);
    }
    fprintf(f, "%.6f\n", y + 0.1 * ((double)(i % 7) - 3.0));
  }
  ck_assert_int_eq(fclose(f), 0);
  write_config(T.config, "{'data': {'train': '@DATA@'}, 'cv': {'folds': 3},"
                         " 'output': {'dir': '@OUT@', 'plots': false}}");
  char *reports[2];
  const char *threads[] = {"1", "2"};
  for (int t = 0; t < 2; t++) {
    setenv("OPENBLAS_NUM_THREADS", threads[t], 1);
    run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
    assert_success("run");
    reports[t] = without_timing(T.report);
  }
  unsetenv("OPENBLAS_NUM_THREADS");
  ck_assert_msg(strcmp(reports[0], reports[1]) == 0, "reports differ between 1 and 2 BLAS threads");
  free(reports[0]);
  free(reports[1]);
}
END_TEST

/* A CSV of n rows of p uniform features x0..x{p-1} and a target y from
 * every 17th of them; with `labels`, y is 1 where that sum is positive. */
static void write_uniform_data(const char *path, int n, int p, int labels) {
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  for (int j = 0; j < p; j++) fprintf(f, "x%d,", j);
  fputs("y\n", f);
  unsigned long state = 54321;
  for (int i = 0; i < n; i++) {
    double y = 0.0;
    for (int j = 0; j < p; j++) {
      double x = next_uniform(&state);
      if (j % 17 == 0) y += x;
      fprintf(f, "%.6f,", x);
    }
    y += 0.1 * ((double)(i % 7) - 3.0);
    if (labels)
      fprintf(f, "%d\n", y > 0.0);
    else
      fprintf(f, "%.6f\n", y);
  }
  ck_assert_int_eq(fclose(f), 0);
}

/* Bit-identical reports whatever the number of threads fitting the folds
 * (OMP_NUM_THREADS 1 and 2, 10 folds): gaussian on the naive route (100 x
 * 600, wide), gaussian on the covariance route (300 x 40) and binomial. */
START_TEST(report_is_identical_for_one_and_two_fold_threads) {
  static const struct {
    int n, p, labels;
    const char *family;
  } cases[] = {{100, 600, 0, "gaussian"}, {300, 40, 0, "gaussian"}, {300, 40, 1, "binomial"}};
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    write_uniform_data(T.data, cases[c].n, cases[c].p, cases[c].labels);
    char json[512];
    snprintf(json, sizeof json,
             "{'data': {'train': '@DATA@'}, 'model': {'family': '%s'},"
             " 'cv': {'folds': 10}, 'output': {'dir': '@OUT@', 'plots': false}}",
             cases[c].family);
    write_config(T.config, json);
    char *reports[2];
    const char *threads[] = {"1", "2"};
    for (int t = 0; t < 2; t++) {
      setenv("OMP_NUM_THREADS", threads[t], 1);
      run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
      assert_success("run");
      reports[t] = without_timing(T.report);
    }
    unsetenv("OMP_NUM_THREADS");
    ck_assert_msg(strcmp(reports[0], reports[1]) == 0,
                  "%s %d x %d: reports differ between 1 and 2 "
                  "fold threads",
                  cases[c].family, cases[c].n, cases[c].p);
    free(reports[0]);
    free(reports[1]);
  }
}
END_TEST

/* path.max_iter reached: a warning and exit 0; with --strict, exit 4 and
 * nothing written (an earlier report stays). */
START_TEST(strict_turns_non_convergence_into_an_error) {
  write_config(T.config, CV_CONFIG);
  run_regpath(NULL, "--config", T.config, "--quiet", "--set", "path.max_iter=2",
              (const char *)NULL);
  ck_assert_int_eq(R.code, 0);
  ck_assert_msg(strstr(R.err, "regpath: warning: l1_ratio 1:") && strstr(R.err, "path.max_iter"),
                "stderr: %s", R.err);
  write_file(T.report, "OLD REPORT\n");
  run_regpath(NULL, "--config", T.config, "--quiet", "--strict", "--set", "path.max_iter=2",
              (const char *)NULL);
  ck_assert_int_eq(R.code, 4);
  ck_assert_msg(strstr(R.err, "regpath: error: --strict"), "stderr: %s", R.err);
  size_t len;
  char *old = read_file(T.report, &len);
  ck_assert_str_eq(old, "OLD REPORT\n");
  free(old);
  assert_no_dotfiles(T.out);
  run_regpath(NULL, "--config", T.config, "--quiet", "--strict", (const char *)NULL);
  assert_success("--strict on a converging run");
}
END_TEST

/* A full disk (simulated by a 20 kB file-size limit): exit 5, one line, and
 * the earlier report untouched with no staging files left. */
START_TEST(disk_full_leaves_the_earlier_report) {
  write_config(T.config, CV_CONFIG);
  make_dir(T.out);
  write_file(T.report, "OLD REPORT\n");
  file_size_limit = 20000;
  run_regpath(NULL, "--config", T.config, "--quiet", (const char *)NULL);
  file_size_limit = 0;
  ck_assert_msg(R.code == 5, "exit %d (signal %d): %s", R.code, R.signal, R.err);
  ck_assert_msg(strstr(R.err, "regpath: error: ") && strstr(R.err, "cannot write"), "stderr: %s",
                R.err);
  ck_assert_uint_eq(count_lines(R.err), 1);
  size_t len;
  char *old = read_file(T.report, &len);
  ck_assert_str_eq(old, "OLD REPORT\n");
  free(old);
  assert_no_dotfiles(T.out);
  assert_no_dotfiles(T.dir);
}
END_TEST

/* A signal that reaches a started program before its exec ends that child
 * alone (tu_fork).  Were Check's SIGINT handler still in place there, it would
 * kill this process's whole group: with CK_FORK=no, make and the CI script. */
START_TEST(a_signal_before_exec_ends_only_the_child) {
  pid_t pid = tu_fork();
  ck_assert(pid >= 0);
  if (pid == 0) {
    raise(SIGINT);
    _exit(0);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) continue;
  ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT, "child status %d", status);
}
END_TEST

/* SIGINT or SIGTERM at any moment leaves either the earlier report or a
 * complete new one, and no staging folder. */
START_TEST(interrupt_leaves_old_or_complete_report) {
  write_config(T.config, "{'data': {'train': '@DIABETES@'}, 'model': {'penalty': 'compare'},"
                         " 'output': {'dir': '@OUT@', 'render': 'none'}}");
  const int signals[] = {SIGINT, SIGTERM, SIGINT, SIGTERM};
  const useconds_t delays[] = {20000, 60000, 150000, 300000};
  for (size_t t = 0; t < 4; t++) {
    make_dir(T.out);
    write_file(T.report, "OLD REPORT\n");
    fflush(stdout);
    pid_t pid = tu_fork();
    ck_assert(pid >= 0);
    if (pid == 0) {
      int null = open("/dev/null", O_WRONLY);
      dup2(null, 1);
      dup2(null, 2);
      execl(program(), program(), "--config", T.config, "--quiet", (char *)NULL);
      _exit(127);
    }
    usleep(delays[t]);
    kill(pid, signals[t]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) continue;
    size_t len;
    char *text = read_file(T.report, &len);
    if (strcmp(text, "OLD REPORT\n") != 0) {
      cJSON *r = cJSON_Parse(text);
      ck_assert_msg(r != NULL, "interrupted run left a broken report");
      cJSON_Delete(r);
    }
    free(text);
    assert_no_dotfiles(T.out);
    assert_no_dotfiles(T.dir);
  }
}
END_TEST

/* ------------------------------------------------------------ text from the data */

/* Header names that are not plain text, as the CSV holds them, as JSON holds
 * them (each invalid UTF-8 sequence as one U+FFFD per maximal subpart,
 * controls kept and escaped by the JSON), and as a terminal shows them
 * (controls as U+FFFD too): Latin-1 from a spreadsheet, escape sequences
 * that retitle (OSC ... BEL) or clear (CSI 2 J) the terminal, a raw 0x9B (a
 * one-byte CSI on some terminals), C1 as UTF-8, a cut sequence, an overlong
 * one, a surrogate, a code point above U+10FFFF.  Columns: a constant
 * (which warns), the ten diabetes features, the target; bmi, bp, s3 and s5,
 * which the lasso keeps, are in the summary's coefficient list. */
static const struct {
  const char *raw, *json, *shown;
} HOSTILE[12] = {
    {"k\x1b[2J", "k\x1b[2J", "k" FFFD "[2J"},
    {"caf\xe9", "caf" FFFD, "caf" FFFD},
    {"\x1b]0;pwned\x07", "\x1b]0;pwned\x07", FFFD "]0;pwned" FFFD},
    {"x\x9by", "x" FFFD "y", "x" FFFD "y"},
    {"\xe2\x82 bp", FFFD " bp", FFFD " bp"},
    {"\xc2\x9b", "\xc2\x9b", FFFD},
    {"\xc0\xaf", FFFD FFFD, FFFD FFFD},
    {"s3\x1b[2J", "s3\x1b[2J", "s3" FFFD "[2J"},
    {"\xed\xa0\x80", FFFD FFFD FFFD, FFFD FFFD FFFD},
    {"caf\xc3\xa9 s5", "caf\xc3\xa9 s5", "caf\xc3\xa9 s5"},
    {"\xf4\x90\x80\x80\xe2\x82\xac", FFFD FFFD FFFD FFFD "\xe2\x82\xac",
     FFFD FFFD FFFD FFFD "\xe2\x82\xac"},
    {"y\x1b[31m\xe9", "y\x1b[31m" FFFD, "y" FFFD "[31m" FFFD},
};

/* diabetes.csv under the HOSTILE header (each name in quotes: some hold
 * ';'), with the constant first column holding 7. */
static void write_hostile_diabetes(const char *path) {
  char *src = read_file(diabetes, NULL), *save = NULL, *line;
  ck_assert_msg(src != NULL, "cannot read %s", diabetes);
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f != NULL, "cannot create %s", path);
  for (size_t j = 0; j < 12; j++) fprintf(f, "%s\"%s\"", j ? "," : "", HOSTILE[j].raw);
  fputc('\n', f);
  strtok_r(src, "\n", &save); /* diabetes' own header */
  while ((line = strtok_r(NULL, "\n", &save)) != NULL) fprintf(f, "7,%s\n", line);
  ck_assert_int_eq(fclose(f), 0);
  free(src);
}

/* Is `text` valid UTF-8 with no control character but \t and \n?  The
 * message shows the offset, never the text (it would act on the terminal). */
static void assert_terminal_safe(const char *what, const char *text, size_t len) {
  size_t bad = tu_utf8_check(text, len, 1);
  ck_assert_msg(bad == len, "%s: byte %zu of %zu (0x%02x) is not text for a terminal", what, bad,
                len, bad < len ? (unsigned char)text[bad] : 0);
}

static void assert_output_file_terminal_safe(const char *name) {
  char path[PATH_MAX_LEN];
  size_t len = 0;
  join(path, sizeof path, T.out, name);
  char *text = read_file(path, &len);
  ck_assert_msg(text != NULL, "no %s", path);
  size_t bad = tu_utf8_check(text, len, 1);
  free(text);
  ck_assert_msg(bad == len, "%s: byte %zu of %zu is not text for a terminal", path, bad, len);
}

/* The lines after `heading` up to a blank line all have one length in
 * characters (code points): names padded by characters, not bytes, keep the
 * numbers after them in one column. */
static void assert_block_aligned(const char *out, const char *heading) {
  const char *p = strstr(out, heading);
  ck_assert_msg(p != NULL, "no \"%s\" in the summary", heading);
  size_t first = 0, lines = 0;
  for (p = strchr(p, '\n') + 1; *p && *p != '\n'; p++, lines++) {
    size_t chars = 0;
    for (; *p && *p != '\n'; p++) chars += ((unsigned char)*p & 0xC0) != 0x80;
    if (lines == 0) first = chars;
    ck_assert_msg(chars == first, "\"%s\" line %zu has %zu characters, line 0 %zu", heading, lines,
                  chars, first);
  }
  ck_assert_msg(lines >= 4, "\"%s\": %zu lines", heading, lines);
}

/* The `key` string of `obj` is `want` (compared without printing either). */
static void assert_text(const cJSON *obj, const char *key, const char *want, const char *what) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
  ck_assert_msg(cJSON_IsString(v) && strcmp(v->valuestring, want) == 0, "%s: %s", what, key);
}

/* `names` are the HOSTILE features as JSON holds them. */
static void assert_names(const cJSON *names, const char *what) {
  ck_assert_int_eq(cJSON_GetArraySize(names), 11);
  for (size_t j = 0; j < 11; j++) {
    const cJSON *v = cJSON_GetArrayItem(names, (int)j);
    ck_assert_msg(cJSON_IsString(v) && strcmp(v->valuestring, HOSTILE[j].json) == 0,
                  "%s: feature %zu is not as expected", what, j);
  }
}

/* A run on a file with the HOSTILE header, under a file name with Latin-1
 * and ESC [ 2 J: report.json, model.json and the plot files are valid UTF-8
 * without raw controls (which JSON escapes); stdout and stderr show every
 * name with U+FFFD for what is not text, the summary still aligned; and
 * predict on the same file finds every feature by its cleaned name. */
START_TEST(names_that_are_not_text_are_cleaned_everywhere) {
  char data[PATH_MAX_LEN], model[PATH_MAX_LEN];
  join(data, sizeof data, T.dir,
       "donn\xe9"
       "es\x1b[2J.csv");
  join(model, sizeof model, T.out, "model.json");
  write_hostile_diabetes(data);
  write_config(T.config, "{'cv': {'folds': 5}, 'output': {'dir': '@OUT@', 'render': 'none'}}");
  run_regpath(NULL, "--config", T.config, "--data", data, (const char *)NULL);
  ck_assert_msg(R.code == 0, "exit %d", R.code);
  assert_terminal_safe("stdout", R.out, strlen(R.out));
  assert_terminal_safe("stderr", R.err, strlen(R.err));
  ck_assert_msg(strstr(R.out, "donn" FFFD "es" FFFD "[2J.csv, target ") &&
                    strstr(R.out, "(last column), n = 442, p = 11"),
                "file name");
  ck_assert_msg(strstr(R.out, "\n  " FFFD " bp ") && strstr(R.out, "\n  caf\xc3\xa9 s5 "),
                "names in the summary");
  assert_block_aligned(R.out, "selected coefficients");
  assert_block_aligned(R.out, "features in order of entry");
  ck_assert_msg(strcmp(R.err, "regpath: warning: column \"k" FFFD "[2J\" is constant: left out "
                              "(coefficient 0)\n") == 0,
                "the warning");
  static const char *const files[] = {"report.json", "model.json", "path.dat",
                                      "path.gp",     "cv.dat",     "cv.gp"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
    assert_output_file_terminal_safe(files[i]);

  cJSON *r = load_report(T.out);
  const cJSON *d = member(r, "data"), *coef = member(member(r, "selected"), "coef");
  assert_names(member(d, "feature_names"), "report");
  for (size_t j = 0; j < 11; j++)
    ck_assert_msg(cJSON_GetObjectItemCaseSensitive(coef, HOSTILE[j].json), "coef key %zu", j);
  assert_text(d, "target", HOSTILE[11].json, "report");
  join(data, sizeof data, T.dir, "donn" FFFD "es\x1b[2J.csv"); /* as the report echoes it */
  assert_text(member(member(r, "config"), "data"), "train", data, "report");
  join(data, sizeof data, T.dir,
       "donn\xe9"
       "es\x1b[2J.csv");
  cJSON_Delete(r);
  cJSON *m = tu_load_json(model);
  assert_names(member(m, "feature_names"), "model");
  assert_text(m, "target", HOSTILE[11].json, "model");
  cJSON_Delete(m);

  run_regpath(NULL, "predict", "--model", model, "--data", data, (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict: exit %d", R.code);
  assert_terminal_safe("predict stdout", R.out, strlen(R.out));
  assert_terminal_safe("predict stderr", R.err, strlen(R.err));
  ck_assert_msg(strncmp(R.out, HOSTILE[11].shown, strlen(HOSTILE[11].shown)) == 0 &&
                    strncmp(R.out + strlen(HOSTILE[11].shown), ",prediction\n", 12) == 0,
                "predict: header");
  ck_assert_uint_eq(count_lines(R.out), 443);
  ck_assert_msg(strncmp(R.err, "mse ", 4) == 0, "predict: no scores");

  run_regpath(NULL, "--config", T.config, "--data", data, "--report", "-", (const char *)NULL);
  ck_assert_msg(R.code == 0, "--report -: exit %d", R.code);
  assert_terminal_safe("--report - stdout", R.out, strlen(R.out));
  r = cJSON_Parse(R.out);
  ck_assert_msg(r != NULL, "--report - is not JSON");
  assert_names(member(member(r, "data"), "feature_names"), "--report -");
  cJSON_Delete(r);
}
END_TEST

/* Extreme but valid shapes: no NaN or null anywhere in the report. */
START_TEST(extreme_but_valid_data_give_finite_reports) {
  static const char *const csvs[] = {
      /* one feature */
      "x,y\n1,2\n2,4.1\n3,5.9\n4,8.2\n5,9.9\n6,12.1\n",
      /* nearly collinear columns */
      "a,b,y\n1,1.000000000001,2\n2,2.000000000001,4.2\n3,3.000000000002,5.8\n4,4,8.1\n5,5."
      "000000000001,10.2\n6,6,11.9\n",
      /* as many rows as folds */
      "a,b,y\n1,0,1\n0,1,2\n1,1,3.5\n",
      /* a single nonzero feature value */
      "a,b,y\n0,1,1\n0,2,2\n0,3,3.1\n5,4,4\n0,5,5.2\n0,6,5.9\n",
  };
  static const char *const folds[] = {"3", "3", "3", "2"};
  for (size_t c = 0; c < sizeof csvs / sizeof csvs[0]; c++) {
    write_file(T.data, csvs[c]);
    write_config(T.config,
                 "{'data': {'train': '@DATA@'}, 'output': {'dir': '@OUT@', 'render': 'none'}}");
    char set[64];
    snprintf(set, sizeof set, "cv.folds=%s", folds[c]);
    run_regpath(NULL, "--config", T.config, "--quiet", "--set", set, (const char *)NULL);
    ck_assert_msg(R.code == 0, "case %zu: exit %d: %s", c, R.code, R.err);
    cJSON *r = load_report(T.out); /* NaN would print as null, inf too */
    const cJSON *fit = cJSON_GetArrayItem(member(r, "fits"), 0), *item;
    const char *arrays[] = {"alphas", "intercept", "dev_ratio", "dual_gap"};
    for (size_t a = 0; a < 4; a++)
      cJSON_ArrayForEach(item, member(member(fit, "path"), arrays[a]))
          ck_assert_msg(cJSON_IsNumber(item), "case %zu: path.%s has a non-number", c, arrays[a]);
    const cJSON *row;
    cJSON_ArrayForEach(row, member(member(fit, "path"), "coef")) cJSON_ArrayForEach(item, row)
        ck_assert_msg(cJSON_IsNumber(item), "case %zu: coef", c);
    cJSON_ArrayForEach(item, member(member(fit, "cv"), "mean"))
        ck_assert_msg(cJSON_IsNumber(item), "case %zu: cv.mean", c);
    cJSON_ArrayForEach(item, member(member(r, "selected"), "coef"))
        ck_assert_msg(cJSON_IsNumber(item), "case %zu: selected.coef", c);
    cJSON_Delete(r);
  }
}
END_TEST

/* ------------------------------------------------------------ sparse data (issue 19) */

/* The CSV file `csv` (a header, then numbers only, the target last) as the
 * svmlight file `svm`: each row's target as its label (a 0/1 target as
 * -1/+1 when `plus_minus`), then its nonzero cells as index:value, written
 * as the CSV writes them, so that both files read as the same doubles.
 * Every `qid_every`-th row (0: none) carries a qid, which regpath ignores. */
static void write_as_svmlight(const char *csv, const char *svm, int plus_minus, size_t qid_every) {
  char *src = read_file(csv, NULL), *save = NULL, *line;
  ck_assert_msg(src != NULL, "cannot read %s", csv);
  FILE *f = fopen(svm, "w");
  ck_assert_msg(f != NULL, "cannot create %s", svm);
  strtok_r(src, "\n", &save); /* the header */
  for (size_t row = 1; (line = strtok_r(NULL, "\n", &save)) != NULL; row++) {
    char *cells[64];
    size_t n = 0;
    for (char *c = line; n < 64; c++) {
      cells[n++] = c;
      if (!(c = strchr(c, ','))) break;
      *c = '\0';
    }
    const char *label = cells[n - 1];
    if (plus_minus) label = strtod(label, NULL) == 1.0 ? "1" : "-1";
    fputs(label, f);
    if (qid_every && row % qid_every == 0) fputs(" qid:7", f);
    for (size_t j = 0; j + 1 < n; j++)
      if (strtod(cells[j], NULL) != 0.0) fprintf(f, " %zu:%s", j + 1, cells[j]);
    fputc('\n', f);
  }
  ck_assert_int_eq(fclose(f), 0);
  free(src);
}

/* Is `key` one of the NULL-terminated `skip`? */
static int skipped(const char *key, const char *const *skip) {
  for (size_t i = 0; key && skip[i]; i++)
    if (strcmp(key, skip[i]) == 0) return 1;
  return 0;
}

/* Every number of JSON `a` against `b`, walked in parallel (members in
 * order, so objects keyed by feature names compare whatever the names):
 * |x - y| <= tol max(|x|, |y|, 1e-12), booleans equal, the same shape.
 * Strings are not compared (names, labels, messages); members named in
 * `skip` are left out.  Returns the largest relative difference. */
static double compare_numbers(const cJSON *a, const cJSON *b, double tol, const char *const *skip,
                              const char *where) {
  double worst = 0.0;
  ck_assert_msg((a->type & 0xFF) == (b->type & 0xFF), "%s: %s: not the same type", where,
                a->string ? a->string : "item");
  if (cJSON_IsNumber(a)) {
    double x = a->valuedouble, y = b->valuedouble, scale = fmax(fmax(fabs(x), fabs(y)), 1e-12);
    ck_assert_msg(fabs(x - y) <= tol * scale, "%s: %s: %.17g vs %.17g", where,
                  a->string ? a->string : "item", x, y);
    return fabs(x - y) / scale;
  }
  if (cJSON_IsBool(a))
    ck_assert_msg(cJSON_IsTrue(a) == cJSON_IsTrue(b), "%s: %s differs", where, a->string);
  if (!cJSON_IsArray(a) && !cJSON_IsObject(a)) return 0.0;
  ck_assert_msg(cJSON_GetArraySize(a) == cJSON_GetArraySize(b), "%s: %s: %d items vs %d", where,
                a->string ? a->string : "item", cJSON_GetArraySize(a), cJSON_GetArraySize(b));
  for (const cJSON *u = a->child, *v = b->child; u && v; u = u->next, v = v->next) {
    if (skipped(u->string, skip)) continue;
    worst = fmax(worst, compare_numbers(u, v, tol, skip, where));
  }
  return worst;
}

/* Run regpath on `data` (absolute) into folder `out` under `dir`, with
 * --set `a` and `b` (NULL: none), and assert success with nothing on stderr
 * but `stderr_want`. */
static void run_on(const char *data, const char *out, const char *a, const char *b,
                   const char *stderr_want) {
  const char *args[MAX_ARGS + 1] = {"--data",    data,    "--output",           out,
                                    "--quiet",   "--set", "output.render=none", "--set",
                                    "cv.folds=5"};
  size_t n = 9;
  if (a) args[n++] = "--set", args[n++] = a;
  if (b) args[n++] = "--set", args[n++] = b;
  args[n] = NULL;
  run_program(NULL, args);
  ck_assert_msg(R.code == 0, "%s: exit %d: %s", data, R.code, R.err);
  ck_assert_msg(strcmp(R.err, stderr_want ? stderr_want : "") == 0, "%s: stderr: %s", data, R.err);
}

/* The bodies (all but the first line) of two files are the same bytes. */
static void assert_same_body(const char *path_a, const char *path_b) {
  char *a = read_file(path_a, NULL), *b = read_file(path_b, NULL);
  ck_assert_msg(a && b, "cannot read %s or %s", path_a, path_b);
  ck_assert_msg(strchr(a, '\n') && strchr(b, '\n') && !strcmp(strchr(a, '\n'), strchr(b, '\n')),
                "%s and %s differ after their headers", path_a, path_b);
  free(a);
  free(b);
}

/* The same data read as a CSV table and as an svmlight file, both held
 * sparse, give the same report: the two files become the same compressed
 * columns, so the fits run the same sums (to 1e-10; in fact bit for bit).
 * Diabetes (gaussian) with a test_fraction split, qid lines and cv.keep;
 * breast cancer (binomial) with its 0/1 target written as -1/+1, which
 * reads as the same two classes in sorted order. */
START_TEST(svmlight_and_csv_give_the_same_report) {
  char svm[PATH_MAX_LEN], out_csv[PATH_MAX_LEN], out_svm[PATH_MAX_LEN], a[PATH_MAX_LEN],
      b[PATH_MAX_LEN], warning[PATH_MAX_LEN + 128];
  join(svm, sizeof svm, T.dir, "diabetes.svm");
  join(out_csv, sizeof out_csv, T.dir, "out_csv");
  join(out_svm, sizeof out_svm, T.dir, "out_svm");
  write_as_svmlight(diabetes, svm, 0, 4);
  run_on(diabetes, out_csv, "data.storage=sparse", "data.test_fraction=0.2", NULL);
  snprintf(warning, sizeof warning,
           "regpath: warning: data.train: qid on 110 lines ignored (regpath fits no ranking)\n");
  run_on(svm, out_svm, "data.storage=sparse", "data.test_fraction=0.2", warning);
  cJSON *rc = load_report(out_csv), *rs = load_report(out_svm);
  static const char *const skip[] = {"config", "timing", "files", "warnings", NULL};
  compare_numbers(rc, rs, 1e-10, skip, "diabetes csv vs svmlight");
  const cJSON *d = member(rs, "data");
  ck_assert_str_eq(string(d, "format"), "svmlight");
  ck_assert_str_eq(string(d, "storage"), "sparse");
  ck_assert_str_eq(string(member(rc, "data"), "storage"), "sparse");
  ck_assert_uint_eq(count(d, "nnz"), count(member(rc, "data"), "nnz"));
  ck_assert_str_eq(string(d, "target"), "y");
  ck_assert_str_eq(cJSON_GetArrayItem(array(d, "feature_names", 10), 9)->valuestring, "f10");
  ck_assert_str_eq(string(member(rs, "test"), "format"), "svmlight");
  ck_assert_uint_eq(count(member(rs, "test"), "n_samples"), 89);
  cJSON_Delete(rc);
  cJSON_Delete(rs);

  /* cv.keep: the same out-of-fold predictions, rows numbered alike */
  run_on(diabetes, out_csv, "data.storage=sparse", "cv.keep=true", NULL);
  run_on(svm, out_svm, "data.storage=sparse", "cv.keep=true", warning);
  join(a, sizeof a, out_csv, "cv_predictions.csv");
  join(b, sizeof b, out_svm, "cv_predictions.csv");
  assert_same_body(a, b);

  char bc_svm[PATH_MAX_LEN], breast[PATH_MAX_LEN];
  snprintf(breast, sizeof breast, "%s", tu_src_path("configs/data/breast_cancer.csv"));
  join(bc_svm, sizeof bc_svm, T.dir, "breast_cancer.svmlight");
  write_as_svmlight(breast, bc_svm, 1, 0);
  run_on(breast, out_csv, "data.storage=sparse", "model.family=binomial", NULL);
  run_on(bc_svm, out_svm, "data.storage=sparse", "model.family=binomial", NULL);
  rc = load_report(out_csv);
  rs = load_report(out_svm);
  static const char *const skip_classes[] = {"config",  "timing",         "files",
                                             "classes", "positive_class", NULL};
  compare_numbers(rc, rs, 1e-10, skip_classes, "breast cancer csv vs svmlight");
  const cJSON *classes = array(member(rs, "data"), "classes", 2);
  ck_assert_msg(at(classes, 0) == -1.0 && at(classes, 1) == 1.0, "classes of -1/+1 labels");
  cJSON_Delete(rc);
  cJSON_Delete(rs);
}
END_TEST

/* The same CSV held dense and sparse.  The fits differ where the solvers
 * do: a sparse X is never centred, so binomial (and gaussian off the
 * covariance route) fit the intercept as one more coordinate of IRLS
 * (lib/sparse.h), where a dense X is centred first.  Both converge to the
 * same optimum, so at a tight path.tol (1e-14) the reports agree to
 * 1e-6 (breast cancer: about 3e-10 on this machine), not to the 1e-10 of
 * identical sums.  Diabetes' gaussian fits take the covariance route
 * either way (p = 10), from statistics summed alike.  Iteration counts,
 * gaps and the warnings they raise are the solvers' own and not compared. */
START_TEST(dense_and_sparse_storage_agree) {
  static const char *const skip[] = {"config",   "timing",   "files",     "n_iter",
                                     "dual_gap", "warnings", "converged", NULL};
  char out_dense[PATH_MAX_LEN], out_sparse[PATH_MAX_LEN], breast[PATH_MAX_LEN];
  join(out_dense, sizeof out_dense, T.dir, "dense");
  join(out_sparse, sizeof out_sparse, T.dir, "sparse");
  snprintf(breast, sizeof breast, "%s", tu_src_path("configs/data/breast_cancer.csv"));
  const char *data[] = {diabetes, breast},
             *family[] = {"model.family=gaussian", "model.family=binomial"};
  for (size_t i = 0; i < 2; i++) {
    const char *args[] = {"--data",
                          data[i],
                          "--quiet",
                          "--set",
                          "output.render=none",
                          "--set",
                          "cv.folds=5",
                          "--set",
                          "path.tol=1e-14",
                          "--set",
                          family[i],
                          "--set",
                          "data.storage=dense",
                          "--output",
                          out_dense,
                          NULL};
    run_program(NULL, args); /* warnings allowed: the solvers' own (see above) */
    ck_assert_msg(R.code == 0, "dense: exit %d: %s", R.code, R.err);
    args[12] = "data.storage=sparse";
    args[14] = out_sparse;
    run_program(NULL, args);
    ck_assert_msg(R.code == 0, "sparse: exit %d: %s", R.code, R.err);
    cJSON *rd = load_report(out_dense), *rs = load_report(out_sparse);
    ck_assert_str_eq(string(member(rd, "data"), "storage"), "dense");
    ck_assert_str_eq(string(member(rs, "data"), "storage"), "sparse");
    double worst = compare_numbers(rd, rs, 1e-6, skip, data[i]);
    printf("agreement: dense vs sparse storage on %s: %.2g relative\n", data[i], worst);
    cJSON_Delete(rd);
    cJSON_Delete(rs);
  }
}
END_TEST

/* predict on an svmlight file gives what it gives on the same CSV: a model
 * trained on svmlight (read as such, its features f1..fp) and a model
 * trained on the CSV, given the svmlight file (its name says so), write the
 * same predictions; an index past the model's p is one error line, exit 3,
 * and no output file. */
START_TEST(predict_on_svmlight_equals_predict_on_csv) {
  char svm[PATH_MAX_LEN], out_csv[PATH_MAX_LEN], out_svm[PATH_MAX_LEN], model[PATH_MAX_LEN],
      p_csv[PATH_MAX_LEN], p_svm[PATH_MAX_LEN], p_mixed[PATH_MAX_LEN], bad[PATH_MAX_LEN];
  join(svm, sizeof svm, T.dir, "diabetes.svm");
  join(out_csv, sizeof out_csv, T.dir, "out_csv");
  join(out_svm, sizeof out_svm, T.dir, "out_svm");
  join(p_csv, sizeof p_csv, T.dir, "p_csv.csv");
  join(p_svm, sizeof p_svm, T.dir, "p_svm.csv");
  join(p_mixed, sizeof p_mixed, T.dir, "p_mixed.csv");
  write_as_svmlight(diabetes, svm, 0, 0);
  run_on(diabetes, out_csv, NULL, NULL, NULL);
  run_on(svm, out_svm, NULL, NULL, NULL);

  join(model, sizeof model, out_csv, "model.json");
  run_regpath(NULL, "predict", "--model", model, "--data", diabetes, "--output", p_csv,
              (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict csv: exit %d: %s", R.code, R.err);
  char scores[256];
  first_line(R.out, scores, sizeof scores);
  run_regpath(NULL, "predict", "--model", model, "--data", svm, "--output", p_mixed,
              (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict svmlight with a CSV model: exit %d: %s", R.code, R.err);
  ck_assert_str_eq(R.out, strcat(scores, "\n"));
  char *x = read_file(p_csv, NULL), *y = read_file(p_mixed, NULL);
  ck_assert_msg(x && y && strcmp(x, y) == 0, "a CSV model's predictions on svmlight data differ");
  free(x);
  free(y);

  join(model, sizeof model, out_svm, "model.json");
  cJSON *m = tu_load_json(model);
  ck_assert_str_eq(string(m, "data_format"), "svmlight");
  ck_assert_uint_eq(count(m, "n_features"), 10);
  cJSON_Delete(m);
  run_regpath(NULL, "predict", "--model", model, "--data", svm, "--output", p_svm,
              (const char *)NULL);
  ck_assert_msg(R.code == 0, "predict svmlight: exit %d: %s", R.code, R.err);
  ck_assert_str_eq(R.out, scores);
  x = read_file(p_svm, NULL);
  ck_assert_msg(x && strncmp(x, "y,prediction\n", 13) == 0, "header: %.40s", x ? x : "");
  free(x);
  assert_same_body(p_csv, p_svm);

  join(bad, sizeof bad, T.dir, "new.svm");
  write_file(bad, "151 1:59 2:2\n75 3:1 11:4\n");
  join(p_svm, sizeof p_svm, T.dir, "p_bad.csv");
  run_regpath(NULL, "predict", "--model", model, "--data", bad, "--output", p_svm,
              (const char *)NULL);
  ck_assert_int_eq(R.code, 3);
  char want[PATH_MAX_LEN + 200];
  snprintf(want, sizeof want,
           "regpath: error: %s:2:8: feature index 11, but the training data has only 10 "
           "features: remove the features the model was not trained on\n",
           bad);
  ck_assert_str_eq(R.err, want);
  ck_assert_msg(!file_exists(p_svm), "a failed predict wrote %s", p_svm);
}
END_TEST

/* data.test as svmlight is read with the training p: an index beyond it is
 * the test file's error at its line and column, and nothing is written. */
START_TEST(svmlight_test_file_beyond_the_training_p_fails_cleanly) {
  char train[PATH_MAX_LEN], test[PATH_MAX_LEN];
  join(train, sizeof train, T.dir, "train.svm");
  join(test, sizeof test, T.dir, "test.svm");
  write_file(train, "1 1:1 2:3\n2 2:1\n3 1:2 3:1\n4 3:2\n5 1:1 2:1 3:1\n6 2:2\n");
  write_file(test, "1 1:1\n2 2:1 5:3\n");
  const bad_case c = {"svm_test_beyond_p",
                      "{'data': {'train': '@DIR@/train.svm', 'test': '@DIR@/test.svm'}, "
                      "'cv': {'folds': 2}, " OUT_DIR "}",
                      NULL,
                      {NULL},
                      3,
                      "@DIR@/test.svm:2:7: feature index 5, but the training data has only 3 "
                      "features: remove the features the model was not trained on",
                      WHOLE_LINE};
  write_config(T.config, c.config);
  run_regpath(NULL, "--config", T.config, (const char *)NULL);
  check_failure(&c, "first run");
  ck_assert_msg(!file_exists(T.out), "a failed run made %s", T.out);
  make_dir(T.out);
  write_file(T.report, OLD_REPORT);
  run_regpath(NULL, "--config", T.config, (const char *)NULL);
  check_failure(&c, "second run, earlier report");
  assert_file_is(T.report, OLD_REPORT, c.name);
}
END_TEST

/* data.n_features fixes p above the file's largest index: the columns past
 * it are all zero, constant, left out; more than 10 constant columns are
 * one warning line, not one each. */
START_TEST(n_features_fixes_p) {
  char train[PATH_MAX_LEN];
  join(train, sizeof train, T.dir, "small.svm.gz");
  /* not gzip inside: the bytes decide, as for a CSV; y = 2 f1 + f3 + noise */
  write_file(train, "2.1 1:1 2:3\n0.1 2:1\n4.9 1:2 3:1\n2.2 3:2\n2.8 1:1 2:1 3:1\n-0.1 2:2\n"
                    "6.1 1:3\n2.9 2:1 3:3\n");
  const char *args[] = {"--data",
                        train,
                        "--output",
                        T.out,
                        "--quiet",
                        "--set",
                        "output.render=none",
                        "--set",
                        "cv.fold_ids=[1,2,1,2,1,2,1,2]",
                        "--set",
                        "data.n_features=5",
                        NULL};
  run_program(NULL, args);
  ck_assert_msg(R.code == 0, "exit %d: %s", R.code, R.err);
  ck_assert_msg(strstr(R.err, "regpath: warning: column \"f4\" is constant: left out "
                              "(coefficient 0)\nregpath: warning: column \"f5\" is constant: left "
                              "out (coefficient 0)\n"),
                "stderr: %s", R.err);
  cJSON *r = load_report(T.out);
  ck_assert_uint_eq(count(member(r, "data"), "n_features"), 5);
  ck_assert_uint_eq(count(member(r, "data"), "nnz"), 13);
  ck_assert_uint_eq(count(member(member(r, "config"), "data"), "n_features"), 5);
  cJSON_Delete(r);
  args[10] = "data.n_features=20";
  run_program(NULL, args);
  ck_assert_msg(R.code == 0, "exit %d: %s", R.code, R.err);
  ck_assert_msg(strstr(R.err, "regpath: warning: 17 of 20 columns are constant (\"f4\", \"f5\", "
                              "\"f6\", ...): left out (coefficient 0)\n") &&
                    !strstr(R.err, "column \"f"),
                "stderr: %s", R.err);
}
END_TEST

/* A test case of the suite, each test in a fresh folder (setup), with room
 * for the guard's own timeout. */
static TCase *cli_case(Suite *s, const char *name) {
  TCase *tc = tcase_create(name);
  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_set_timeout(tc, 2.0 * guard_seconds() + 30.0);
  suite_add_tcase(s, tc);
  return tc;
}

int main(void) {
  Suite *s = suite_create("cli");

  TCase *bad = cli_case(s, "bad_input");
  tcase_add_loop_test(bad, bad_input_fails_cleanly, 0, N_BAD_CASES);

  TCase *good = cli_case(s, "good_runs");
  tcase_add_test(good, cv_run_writes_a_complete_report);
  tcase_add_test(good, quiet_prints_nothing_and_replaces_the_report);
  tcase_add_test(good, set_overrides_the_config);
  tcase_add_test(good, limits_hold_along_the_path);
  tcase_add_test(good, relaxed_lasso_adds_its_blends);
  tcase_add_test(good, data_and_output_shortcuts);
  tcase_add_test(good, data_target_and_family_without_a_config);
  tcase_add_test(good, relative_paths_follow_the_config_file);
  tcase_add_test(good, bom_and_crlf_are_accepted);
  tcase_add_test(good, fold_ids_from_a_column);
  tcase_add_test(good, same_config_same_report);
  tcase_add_test(good, constant_feature_warns_once);
  tcase_add_test(good, several_l1_ratios_and_rule_min);
  tcase_add_test(good, close_l1_ratios_get_files_of_their_own);
  tcase_add_test(good, help_lists_the_exit_codes);
  tcase_add_test(good, version_prints_the_version);

  TCase *outputs = cli_case(s, "outputs");
  tcase_add_test(outputs, a_run_leaves_none_of_an_earlier_runs_files);
  tcase_add_test(outputs, run_writes_model_plots_and_images_named_in_the_report);
  tcase_add_test(outputs, render_none_writes_scripts_but_no_images);
  tcase_add_test(outputs, report_to_stdout_prints_only_the_report);
  tcase_add_test(outputs, summary_reports_the_choice_and_the_files);
  tcase_add_test(outputs, summary_names_the_target);
  tcase_add_test(outputs, summary_never_cuts_names_into_duplicates);
  tcase_add_test(outputs, a_cv_minimum_at_the_grid_edge_is_warned);
  tcase_add_test(outputs, an_edge_minimum_extends_the_grid);
  tcase_add_test(outputs, coef_and_predict_at_any_alpha);
  tcase_add_test(outputs, cv_keep_predictions_reproduce_the_cv_curve);
  tcase_add_test(outputs, repeated_cv_pools_the_draws);
  tcase_add_test(outputs, compare_fits_equal_the_single_runs);
  tcase_add_test(outputs, extreme_but_valid_data_give_finite_reports);
  tcase_add_test(outputs, names_that_are_not_text_are_cleaned_everywhere);

  TCase *predict = cli_case(s, "predict and tables");
  tcase_add_test(predict, predict_reproduces_the_fitted_values);
  tcase_add_test(predict, predict_past_one_window_is_the_whole_files_and_all_or_nothing);
  tcase_add_test(predict, predict_svmlight_past_one_window_is_the_whole_files);
  tcase_add_test(predict, row_names_column_is_never_a_feature);
  tcase_add_test(predict, binomial_labels_and_predictions);
  tcase_add_test(predict, multinomial_labels_and_predictions);
  tcase_add_test(predict, predict_names_a_missing_feature_and_writes_nothing);
  tcase_add_test(predict, predict_reads_raw_tables);
  tcase_add_test(predict, test_file_offsets_enter_the_test_scores);
  tcase_add_test(predict, columns_outside_the_features_are_not_read);
  tcase_add_test(predict, predict_reads_data_as_wide_as_the_training_data);
  tcase_add_test(predict, test_set_scores_match_a_direct_computation);

  TCase *sparse = cli_case(s, "sparse data");
  tcase_add_test(sparse, svmlight_and_csv_give_the_same_report);
  tcase_add_test(sparse, dense_and_sparse_storage_agree);
  tcase_add_test(sparse, predict_on_svmlight_equals_predict_on_csv);
  tcase_add_test(sparse, svmlight_test_file_beyond_the_training_p_fails_cleanly);
  tcase_add_test(sparse, n_features_fixes_p);

  TCase *threads = cli_case(s, "threads and faults");
  tcase_add_test(threads, report_is_identical_for_one_and_two_blas_threads);
  tcase_add_test(threads, report_is_identical_for_one_and_two_fold_threads);
  tcase_add_test(threads, strict_turns_non_convergence_into_an_error);
  tcase_add_test(threads, disk_full_leaves_the_earlier_report);
  tcase_add_test(threads, a_signal_before_exec_ends_only_the_child);
  tcase_add_test(threads, interrupt_leaves_old_or_complete_report);

  /* the six R tables end to end: make check and the sanitizer build run
   * it; valgrind leaves it out (tests/valgrind.sh), as check_tables takes
   * the same data through the library under valgrind */
  TCase *r_tables = cli_case(s, "R tables");
  tcase_set_tags(r_tables, "slow");
  tcase_add_test(r_tables, r_tables_run_with_target_family_and_missing_only);

  return tu_run(s);
}

/* check_plots.c: gnuplot data files and scripts (lib/plots.c, lib/plot_*.c,
 * regpath/plots.h), rendered with the real gnuplot, including a CSV header
 * written to inject commands into the scripts. */
#define _XOPEN_SOURCE 700 /* realpath */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "regpath.h"
#include "regpath/plots.h"
#include "render.h"
#include "summary.h"
#include "testutil.h"

/* ---------------------------------------------------------------- helpers */

/* A fresh temporary folder (static buffer reused by each call). */
static const char *temp_dir(void) {
  static char dir[64];
  snprintf(dir, sizeof dir, "/tmp/regpath-plots-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(dir));
  return dir;
}

/* Remove a folder of plain files (what these tests write). */
static void remove_dir(const char *dir) {
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  struct dirent *e;
  char path[4096];
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
    ck_assert_int_eq(unlink(path), 0);
  }
  closedir(d);
  ck_assert_int_eq(rmdir(dir), 0);
}

static void write_file(const char *dir, const char *name, const char *text) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  FILE *f = fopen(path, "wb");
  ck_assert_msg(f != NULL, "cannot write %s", path);
  ck_assert_uint_eq(fwrite(text, 1, strlen(text), f), strlen(text));
  ck_assert_int_eq(fclose(f), 0);
}

static char *read_in(const char *dir, const char *name, size_t *len) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  struct stat st;
  if (stat(path, &st) != 0) return NULL;
  if (len) *len = (size_t)st.st_size;
  return tu_read_file(path);
}

/* Run the job of the config text `json`. */
static rp_run_result *run_json(const char *json) {
  rp_config *cfg;
  rp_error err;
  const char *path = tu_write_temp("config.json", json);
  ck_assert_msg(rp_config_load(path, NULL, 0, &cfg, &err) == RP_OK, "config: %s", err.message);
  rp_run_result *res;
  ck_assert_msg(rp_run(cfg, NULL, NULL, &res, &err) == RP_OK, "run: %s", err.message);
  rp_config_free(cfg);
  /* tu_write_temp's folder */
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  ck_assert_int_eq(unlink(dir), 0);
  *strrchr(dir, '/') = '\0';
  ck_assert_int_eq(rmdir(dir), 0);
  return res;
}

/* The job on CSV file `csv` with l1_ratio `l1` (a JSON value). */
static rp_run_result *run_on(const char *csv, const char *l1) {
  char json[8192];
  snprintf(json, sizeof json, "{\"data\": {\"train\": \"%s\"}, \"model\": {\"l1_ratio\": %s}}", csv,
           l1);
  return run_json(json);
}

static const char *diabetes(void) {
  static char path[4096];
  ck_assert_ptr_nonnull(realpath(tu_src_path("configs/data/diabetes.csv"), path));
  return path;
}

/* A CSV of the diabetes rows under a new header: `names` for the ten
 * features (RFC 4180 quoted), then "progression". */
static void write_diabetes_renamed(const char *path, const char *const *names) {
  char *text = tu_read_file(diabetes());
  ck_assert_ptr_nonnull(text);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  for (size_t j = 0; j < 10; j++) {
    fputc('"', f);
    for (const char *c = names[j]; *c; c++) {
      if (*c == '"') fputc('"', f);
      fputc(*c, f);
    }
    fputs("\",", f);
  }
  fputs("progression", f);
  fputs(strchr(text, '\n'), f);
  ck_assert_int_eq(fclose(f), 0);
  free(text);
}

/* A synthetic CSV with p = 30 features: n = 200 rows of correlated normal
 * columns (x_j = z_j + 0.5 z_{j-1}), y = X b + noise with eight nonzero b_j
 * of mixed sign and size.  names[j] (RFC 4180 quoted) head the columns. */
#define SYN_P 30
static void write_synthetic(const char *path, const char *const names[SYN_P]) {
  const size_t n = 200;
  const double b[SYN_P] = {6, -5, 4.5, -4, 3, 2.5, -2, 1.5};
  gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
  gsl_rng_set(r, 42);
  FILE *f = fopen(path, "wb");
  ck_assert_ptr_nonnull(f);
  for (size_t j = 0; j < SYN_P; j++) {
    fputc('"', f);
    for (const char *c = names[j]; *c; c++) {
      if (*c == '"') fputc('"', f);
      fputc(*c, f);
    }
    fputs("\",", f);
  }
  fputs("y\n", f);
  for (size_t i = 0; i < n; i++) {
    double z[SYN_P], x, y = 0, prev = 0;
    for (size_t j = 0; j < SYN_P; j++) z[j] = gsl_ran_gaussian(r, 1.0);
    for (size_t j = 0; j < SYN_P; j++) {
      x = z[j] + 0.5 * prev;
      prev = z[j];
      /* Columns on different scales, as real data are. */
      x *= 1.0 + (double)(j % 4);
      y += b[j] * x / (1.0 + (double)(j % 4));
      fprintf(f, "%.17g,", x);
    }
    fprintf(f, "%.17g\n", y + gsl_ran_gaussian(r, 3.0));
  }
  ck_assert_int_eq(fclose(f), 0);
  gsl_rng_free(r);
}

static const char *const synthetic_names[SYN_P] = {"age at the first visit, in completed years",
                                                   "income (log)",
                                                   "years of schooling",
                                                   "household size",
                                                   "distance_km",
                                                   "rent share",
                                                   "savings",
                                                   "credit score",
                                                   "tenure",
                                                   "num_children",
                                                   "commute minutes",
                                                   "urban",
                                                   "employer size",
                                                   "overtime hours",
                                                   "pension",
                                                   "car owner",
                                                   "debt ratio",
                                                   "health index",
                                                   "region north",
                                                   "region south",
                                                   "region east",
                                                   "region west",
                                                   "married",
                                                   "union member",
                                                   "part time",
                                                   "self employed",
                                                   "public sector",
                                                   "second job",
                                                   "internet use",
                                                   "volunteer"};

static rp_run_result *run_synthetic(const char *const names[SYN_P]) {
  const char *dir = temp_dir();
  char csv[4096];
  snprintf(csv, sizeof csv, "%s/synthetic.csv", dir);
  write_synthetic(csv, names);
  rp_run_result *res = run_on(csv, "1");
  ck_assert_int_eq(unlink(csv), 0);
  ck_assert_int_eq(rmdir(dir), 0);
  return res;
}

typedef char *(*fit_text_fn)(const rp_run_result *, size_t);

/* Write fit f's file of `kind`/`ext` made by `make` into dir. */
static void write_fit_file(const char *dir, const rp_run_result *res, size_t f, const char *kind,
                           const char *ext, fit_text_fn make) {
  char name[128];
  rp_plot_file_name(res, f, kind, ext, name, sizeof name);
  char *text = make(res, f);
  ck_assert_ptr_nonnull(text);
  write_file(dir, name, text);
  free(text);
}

/* Every data file and script of a run into dir. */
static void write_all(const char *dir, const rp_run_result *res) {
  for (size_t f = 0; f < res->n_fits; f++) {
    write_fit_file(dir, res, f, "path", "dat", rp_plot_path_data);
    write_fit_file(dir, res, f, "cv", "dat", rp_plot_cv_data);
    write_fit_file(dir, res, f, "path", "gp", rp_plot_path_script);
    write_fit_file(dir, res, f, "cv", "gp", rp_plot_cv_script);
  }
  char *text = rp_plot_compare_script(res);
  ck_assert_ptr_nonnull(text);
  write_file(dir, "compare.gp", text);
  free(text);
}

/* The program's renderer (app/render.c), as the program calls it. */
static rp_status render(const char *gnuplot_path, const char *dir, const char *script,
                        const char *fmt, rp_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s", gnuplot_path);
  return render_gnuplot(path, dir, script, NULL, fmt, err);
}

static const char *gnuplot(void) {
  static char path[4096];
  ck_assert_msg(render_find_gnuplot(path, sizeof path), "gnuplot is not on PATH");
  return path;
}

/* Render `script` in dir as `fmt` and check the picture <base>.<fmt>. */
static void render_and_check(const char *dir, const char *script, const char *fmt) {
  rp_error err;
  rp_error_clear(&err);
  rp_status st = render(gnuplot(), dir, script, fmt, &err);
  ck_assert_msg(st == RP_OK, "%s (%s): %s", script, fmt, err.message);
  char name[256];
  snprintf(name, sizeof name, "%.*s.%s", (int)(strrchr(script, '.') - script), script, fmt);
  size_t len = 0;
  char *pic = read_in(dir, name, &len);
  ck_assert_msg(pic != NULL, "%s not written", name);
  ck_assert_msg(len > 1000, "%s has only %zu bytes", name, len);
  if (!strcmp(fmt, "png"))
    ck_assert_msg(!memcmp(pic, "\x89PNG\r\n\x1a\n", 8), "%s is not a PNG", name);
  else
    ck_assert_msg(strstr(pic, "<svg") != NULL && strstr(pic, "</svg>") != NULL, "%s is not an SVG",
                  name);
  free(pic);
}

/* Run gnuplot on `script` in dir directly and return what it wrote on
 * stderr (malloc'd), so that warnings, not only failures, are caught. */
static char *gnuplot_stderr(const char *dir, const char *script, const char *fmt) {
  char log[] = "/tmp/regpath-plots-stderr-XXXXXX";
  int fd = mkstemp(log);
  ck_assert_int_ge(fd, 0);
  char fmt_arg[32];
  snprintf(fmt_arg, sizeof fmt_arg, "fmt='%s'", fmt);
  const char *gp = gnuplot();
  pid_t pid = tu_fork();
  ck_assert_int_ge(pid, 0);
  if (pid == 0) {
    dup2(fd, 2);
    if (chdir(dir) != 0) _exit(126);
    execl(gp, "gnuplot", "-e", fmt_arg, script, (char *)NULL);
    _exit(127);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0) ck_assert_int_eq(errno, EINTR);
  close(fd);
  ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "gnuplot %s failed", script);
  char *text = tu_read_file(log);
  ck_assert_ptr_nonnull(text);
  ck_assert_int_eq(unlink(log), 0);
  return text;
}

/* Render every script of a run written by write_all, in both formats, and
 * check that gnuplot had nothing to say. */
static void render_all(const char *dir, const rp_run_result *res) {
  static const char *const fmts[] = {"png", "svg"};
  for (size_t i = 0; i < 2; i++) {
    for (size_t f = 0; f < res->n_fits; f++) {
      char name[128];
      rp_plot_file_name(res, f, "path", "gp", name, sizeof name);
      render_and_check(dir, name, fmts[i]);
      rp_plot_file_name(res, f, "cv", "gp", name, sizeof name);
      render_and_check(dir, name, fmts[i]);
    }
    render_and_check(dir, "compare.gp", fmts[i]);
  }
}

static void expect_quiet_gnuplot(const char *dir, const rp_run_result *res) {
  static const char *const fmts[] = {"png", "svg"};
  for (size_t i = 0; i < 2; i++) {
    char name[128];
    for (size_t f = 0; f < res->n_fits; f++) {
      static const char *const kinds[] = {"path", "cv"};
      for (size_t k = 0; k < 2; k++) {
        rp_plot_file_name(res, f, kinds[k], "gp", name, sizeof name);
        char *text = gnuplot_stderr(dir, name, fmts[i]);
        ck_assert_msg(text[0] == '\0', "gnuplot %s (%s) said: %s", name, fmts[i], text);
        free(text);
      }
    }
    char *text = gnuplot_stderr(dir, "compare.gp", fmts[i]);
    ck_assert_msg(text[0] == '\0', "gnuplot compare.gp (%s) said: %s", fmts[i], text);
    free(text);
  }
}

/* Lines of a text (the text is modified); *n lines, no trailing empty one. */
static char **split_lines(char *text, size_t *n) {
  size_t cap = 16;
  char **lines = malloc(cap * sizeof *lines);
  ck_assert_ptr_nonnull(lines);
  *n = 0;
  char *s = text;
  ck_assert_msg(*s && s[strlen(s) - 1] == '\n', "text does not end in a newline");
  while (*s) {
    char *nl = strchr(s, '\n');
    *nl = '\0';
    if (*n == cap) {
      cap *= 2;
      lines = realloc(lines, cap * sizeof *lines);
      ck_assert_ptr_nonnull(lines);
    }
    lines[(*n)++] = s;
    s = nl + 1;
  }
  return lines;
}

/* Parse one data row of `ncol` numbers into v; fails on anything else. */
static void parse_row(const char *line, double *v, size_t ncol) {
  const char *s = line;
  for (size_t c = 0; c < ncol; c++) {
    char *end;
    v[c] = strtod(s, &end);
    ck_assert_msg(end != s, "column %zu of \"%.60s\" is not a number", c + 1, line);
    ck_assert_msg(*end == (c + 1 < ncol ? ' ' : '\0'), "bad separator in \"%.60s\"", line);
    s = end;
  }
}

/* "%.17g" of x, for finding numbers in scripts. */
static const char *num(double x) {
  static char buf[4][40];
  static int i;
  i = (i + 1) % 4;
  snprintf(buf[i], sizeof buf[i], "%.17g", x);
  return buf[i];
}

static void expect_in(const char *text, const char *part) {
  ck_assert_msg(strstr(text, part) != NULL, "script lacks \"%s\"", part);
}

/* A name as plot_text.c must write it (an independent oracle): names longer
 * than 40 characters (UTF-8 code points) cut to 37 and "...", then each run
 * of characters other than ' as a single-quoted string, each ' as "'", all
 * joined with " . ". */
static void gp_literal(const char *name, char *buf, size_t size) {
  char shown[512];
  size_t chars = 0, k = 0, n = 0;
  for (const char *c = name; *c; c++) chars += ((unsigned char)*c & 0xC0) != 0x80;
  for (const char *c = name; *c && n + 4 < sizeof shown; c++) {
    if (((unsigned char)*c & 0xC0) != 0x80 && chars > 40 && k++ == 37) break;
    shown[n++] = *c;
  }
  shown[n] = '\0';
  if (chars > 40) strcat(shown, "...");
  buf[0] = '\0';
  for (const char *c = shown; *c;) {
    if (buf[0]) strncat(buf, " . ", size - strlen(buf) - 1);
    if (*c == '\'') {
      strncat(buf, "\"'\"", size - strlen(buf) - 1);
      c++;
    } else {
      size_t run = strcspn(c, "'");
      strncat(buf, "'", size - strlen(buf) - 1);
      strncat(buf, c, run < size - strlen(buf) - 1 ? run : size - strlen(buf) - 1);
      strncat(buf, "'", size - strlen(buf) - 1);
      c += run;
    }
  }
  if (!buf[0]) snprintf(buf, size, "''");
}

/* A hand-made run of one lasso fit (no fitting) for the many-feature path
 * script: p features "f1".."fp" over n_alphas alphas 10^(1 - k/10).  With
 * s_j = (-1)^j (j + 1) / (7 p) (sevenths: numbers with no short decimal
 * form) and t = k - j % n_alphas + 1, feature j is
 *   j % 3 == 0 (or every j with `all_zero`): zero all along the path;
 *   j % 5 == 1: 0 while t < 1, then s_j 3t / (1 + t^2), largest at t = 1
 *               and shrinking after (its largest |coef| is not its last);
 *   otherwise:  0 while t < 1, then s_j t / n_alphas. */
typedef struct {
  rp_run_result res;
  rp_path path;
  rp_cv cv;
  rp_path *paths[1];
  rp_cv *cvs[1];
} hand_run;

static double hand_coef(size_t p, size_t n_alphas, size_t k, size_t j, int all_zero) {
  if (all_zero || j % 3 == 0) return 0;
  double t = (double)k - (double)(j % n_alphas) + 1;
  if (t < 1) return 0;
  double s = (j % 2 ? -1.0 : 1.0) * (double)(j + 1) / (7.0 * (double)p);
  return j % 5 == 1 ? s * 3 * t / (1 + t * t) : s * t / (double)n_alphas;
}

/* alpha_min, alpha_1se and the selected alpha at grid points imin, i1se,
 * isel. */
static void hand_set_marks(hand_run *h, size_t imin, size_t i1se, size_t isel) {
  h->cv.index_min = imin;
  h->cv.index_1se = i1se;
  h->cv.alpha_min = h->path.alphas[imin];
  h->cv.alpha_1se = h->path.alphas[i1se];
  h->res.selected_fit = 0;
  h->res.selected_index = isel;
}

static hand_run *hand_run_new(size_t p, size_t n_alphas, int all_zero) {
  hand_run *h = calloc(1, sizeof *h);
  ck_assert_ptr_nonnull(h);
  rp_path *path = &h->path;
  path->p = p;
  path->n_alphas = n_alphas;
  path->l1_ratio = 1;
  path->alphas = malloc(n_alphas * sizeof *path->alphas);
  path->dev_ratio = malloc(n_alphas * sizeof *path->dev_ratio);
  path->df = calloc(n_alphas, sizeof *path->df);
  path->coef = malloc(n_alphas * p * sizeof *path->coef);
  h->res.feature_names = malloc(p * sizeof *h->res.feature_names);
  ck_assert(path->alphas && path->dev_ratio && path->df && path->coef && h->res.feature_names);
  for (size_t k = 0; k < n_alphas; k++) {
    path->alphas[k] = pow(10, 1 - (double)k / 10);
    path->dev_ratio[k] = (double)k / (double)n_alphas;
    for (size_t j = 0; j < p; j++) {
      double c = hand_coef(p, n_alphas, k, j, all_zero);
      path->coef[k * p + j] = c;
      path->df[k] += c != 0;
    }
  }
  for (size_t j = 0; j < p; j++) {
    char name[32];
    snprintf(name, sizeof name, "f%zu", j + 1);
    h->res.feature_names[j] = strdup(name);
    ck_assert_ptr_nonnull(h->res.feature_names[j]);
  }
  /* CV over the same grid: 1se at a third, min at half, and the selection
   * at the last alpha, so that the labelled are the largest at the end. */
  h->cv.n_alphas = n_alphas;
  h->cv.n_folds = 10;
  h->cv.alphas = path->alphas;
  h->cv.mean = calloc(n_alphas, sizeof *h->cv.mean);
  h->cv.std_error = calloc(n_alphas, sizeof *h->cv.std_error);
  ck_assert(h->cv.mean && h->cv.std_error);
  for (size_t k = 0; k < n_alphas; k++) {
    h->cv.mean[k] = 1 + fabs((double)k - (double)(n_alphas / 2));
    h->cv.std_error[k] = 0.5;
  }
  hand_set_marks(h, n_alphas / 2, n_alphas / 3, n_alphas - 1);
  h->paths[0] = path;
  h->cvs[0] = &h->cv;
  h->res.n_features = p;
  h->res.n_fits = 1;
  h->res.paths = h->paths;
  h->res.cvs = h->cvs;
  return h;
}

static void hand_run_free(hand_run *h) {
  for (size_t j = 0; j < h->path.p; j++) free(h->res.feature_names[j]);
  free(h->res.feature_names);
  free(h->path.alphas);
  free(h->path.dev_ratio);
  free(h->path.df);
  free(h->path.coef);
  free(h->cv.mean);
  free(h->cv.std_error);
  free(h);
}

/* The cap on grey paths (plot_path.c's MAX_GREY) and the labelled count. */
#define GREY_CAP 500
#define LABELLED 10

/* What the many-feature path script must draw, worked out independently of
 * plot_path.c: the labelled features (the LABELLED largest |coef| at the
 * selected alpha, nonzero there, ties to the lower index) by rank; the grey ones
 * (neither labelled nor zero all along, the GREY_CAP largest by max |coef|,
 * ties to the lower index) in index order; the rest of the nonzero ones
 * (cut); and how many are zero all along. */
typedef struct {
  size_t labelled[LABELLED], m;
  size_t *grey, g;
  size_t *cut, c;
  size_t zero;
} drawn_set;

static double max_abs(const rp_path *path, size_t j) {
  double top = 0;
  for (size_t k = 0; k < path->n_alphas; k++) top = fmax(top, fabs(path->coef[k * path->p + j]));
  return top;
}

/* 1 when i outranks j by value v: larger, or equal and a lower index. */
static size_t outranks(double vi, size_t i, double vj, size_t j) {
  return vi > vj || (vi == vj && i < j);
}

static drawn_set expected_drawing(const rp_path *path, size_t at) {
  size_t p = path->p, last = at;
  drawn_set d = {.grey = malloc(p * sizeof(size_t)), .cut = malloc(p * sizeof(size_t))};
  ck_assert(d.grey && d.cut);
  double *end = malloc(p * sizeof *end), *top = malloc(p * sizeof *top);
  ck_assert(end && top);
  for (size_t j = 0; j < p; j++) {
    end[j] = fabs(path->coef[last * p + j]);
    top[j] = max_abs(path, j);
  }
  /* rank by |end|: the number of features that outrank j */
  for (size_t j = 0; j < p; j++) {
    if (end[j] == 0) continue;
    size_t rank = 0;
    for (size_t i = 0; i < p; i++) rank += outranks(end[i], i, end[j], j);
    if (rank < LABELLED) {
      d.labelled[rank] = j;
      d.m++;
    }
  }
  int *is_labelled = calloc(p, sizeof *is_labelled);
  ck_assert_ptr_nonnull(is_labelled);
  for (size_t r = 0; r < d.m; r++) is_labelled[d.labelled[r]] = 1;
  /* rank by max |coef| among the unlabelled nonzero */
  for (size_t j = 0; j < p; j++) {
    if (top[j] == 0) {
      d.zero++;
      continue;
    }
    if (is_labelled[j]) continue;
    size_t rank = 0;
    for (size_t i = 0; i < p; i++)
      if (!is_labelled[i] && top[i] != 0) rank += outranks(top[i], i, top[j], j);
    if (rank < GREY_CAP)
      d.grey[d.g++] = j;
    else
      d.cut[d.c++] = j;
  }
  free(is_labelled);
  free(end);
  free(top);
  return d;
}

static void drawn_set_free(drawn_set *d) {
  free(d->grey);
  free(d->cut);
}

/* The lines of datablock `name` of a script ("$name << EOD" to "EOD"), as a
 * malloc'd copy split into lines; *n lines. */
static char **datablock_lines(const char *script, const char *name, size_t *n, char **copy) {
  char open[64];
  snprintf(open, sizeof open, "$%s << EOD\n", name);
  const char *start = strstr(script, open);
  ck_assert_msg(start != NULL, "script has no datablock %s", name);
  start += strlen(open);
  const char *end = strstr(start, "\nEOD\n");
  ck_assert_msg(end != NULL || strncmp(start, "EOD\n", 4) == 0, "datablock %s is not closed", name);
  size_t len = end ? (size_t)(end - start) + 1 : 0;
  *copy = malloc(len + 1);
  ck_assert_ptr_nonnull(*copy);
  memcpy(*copy, start, len);
  (*copy)[len] = '\0';
  if (!len) {
    *n = 0;
    return NULL;
  }
  return split_lines(*copy, n);
}

/* Check that lines[*at...] hold feature j's path: "# column <j+5> of
 * path.dat", then "log10(alpha_k) coef_kj" for every k, exactly; moves *at
 * past them. */
static void expect_block(const rp_path *path, char **lines, size_t n, size_t *at, size_t j) {
  char head[64];
  snprintf(head, sizeof head, "# column %zu of path.dat", j + 5);
  ck_assert_msg(*at < n && !strcmp(lines[*at], head), "expected \"%s\", got \"%s\"", head,
                *at < n ? lines[*at] : "(end)");
  ++*at;
  for (size_t k = 0; k < path->n_alphas; k++, ++*at) {
    ck_assert_msg(*at < n, "feature %zu: block ends at alpha %zu", j, k);
    double v[2];
    parse_row(lines[*at], v, 2);
    ck_assert_msg(v[0] == log10(path->alphas[k]), "feature %zu alpha %zu: x", j, k);
    ck_assert_msg(v[1] == path->coef[k * path->p + j], "feature %zu alpha %zu: %s != %s", j, k,
                  lines[*at], num(path->coef[k * path->p + j]));
  }
}

/* `count` blank lines at lines[*at...], moving past them. */
static void expect_blank(char **lines, size_t n, size_t *at, size_t count) {
  for (size_t i = 0; i < count; i++, ++*at)
    ck_assert_msg(*at < n && lines[*at][0] == '\0', "line %zu of the datablock is not blank", *at);
}

/* The elements of the script's plot command (continued lines joined), as
 * a count; fails when there is no plot command. */
static size_t plot_elements(const char *script) {
  const char *plot = strstr(script, "\nplot ");
  ck_assert_ptr_nonnull(plot);
  size_t n = 1;
  for (const char *s = plot + 1; *s && *s != '\n'; s++) {
    if (!strncmp(s, ", \\\n", 4)) {
      n++;
      s += 3; /* onto the continued line */
    }
  }
  return n;
}

static size_t count_of(const char *text, const char *part) {
  size_t n = 0;
  for (const char *s = strstr(text, part); s; s = strstr(s + 1, part)) n++;
  return n;
}

/* ------------------------------------------------------------------ tests */

START_TEST(file_names_carry_the_l1_ratio_only_with_several_fits) {
  rp_run_result *one = run_on(diabetes(), "1");
  rp_run_result *three = run_on(diabetes(), "[1, 0.5, 0]");
  char name[64];
  rp_plot_file_name(one, 0, "path", "dat", name, sizeof name);
  ck_assert_str_eq(name, "path.dat");
  rp_plot_file_name(one, 0, "cv", "gp", name, sizeof name);
  ck_assert_str_eq(name, "cv.gp");
  rp_plot_file_name(three, 0, "path", "png", name, sizeof name);
  ck_assert_str_eq(name, "path_l1-1.png");
  rp_plot_file_name(three, 1, "path", "dat", name, sizeof name);
  ck_assert_str_eq(name, "path_l1-0.5.dat");
  rp_plot_file_name(three, 2, "cv", "svg", name, sizeof name);
  ck_assert_str_eq(name, "cv_l1-0.svg");
  rp_run_free(one);
  rp_run_free(three);
}
END_TEST

START_TEST(path_data_reads_back_to_the_runs_arrays_exactly) {
  rp_run_result *res = run_on(diabetes(), "[1, 0.5]");
  for (size_t f = 0; f < res->n_fits; f++) {
    const rp_path *path = res->paths[f];
    size_t p = path->p, ncol = 4 + p, n;
    char *text = rp_plot_path_data(res, f);
    ck_assert_ptr_nonnull(text);
    char **lines = split_lines(text, &n);
    ck_assert_uint_eq(n, path->n_alphas + 1);
    ck_assert_str_eq(lines[0],
                     "# alpha log10_alpha df dev_ratio \"age\" \"sex\" \"bmi\" \"bp\" \"s1\" "
                     "\"s2\" \"s3\" \"s4\" \"s5\" \"s6\"");
    double *v = malloc(ncol * sizeof *v);
    for (size_t k = 0; k < path->n_alphas; k++) {
      const char *line = lines[k + 1];
      ck_assert_msg(line[0] != '\0' && line[0] != '#', "row %zu is blank or a comment", k);
      parse_row(line, v, ncol);
      ck_assert(v[0] == path->alphas[k]);
      ck_assert(v[1] == log10(path->alphas[k]));
      ck_assert(v[2] == (double)path->df[k]);
      ck_assert(v[3] == path->dev_ratio[k]);
      for (size_t j = 0; j < p; j++)
        ck_assert_msg(v[4 + j] == path->coef[k * p + j], "fit %zu row %zu feature %zu", f, k, j);
    }
    free(v);
    free(lines);
    free(text);
  }
  rp_run_free(res);
}
END_TEST

START_TEST(cv_data_reads_back_to_the_runs_arrays_exactly) {
  rp_run_result *res = run_on(diabetes(), "[1, 0]");
  for (size_t f = 0; f < res->n_fits; f++) {
    const rp_cv *cv = res->cvs[f];
    size_t n;
    char *text = rp_plot_cv_data(res, f);
    ck_assert_ptr_nonnull(text);
    char **lines = split_lines(text, &n);
    ck_assert_uint_eq(n, cv->n_alphas + 1);
    ck_assert_str_eq(lines[0], "# alpha log10_alpha mean std_error mean-se mean+se df");
    for (size_t k = 0; k < cv->n_alphas; k++) {
      double v[7];
      ck_assert(lines[k + 1][0] != '\0' && lines[k + 1][0] != '#');
      parse_row(lines[k + 1], v, 7);
      ck_assert(v[0] == cv->alphas[k]);
      ck_assert(v[1] == log10(cv->alphas[k]));
      ck_assert(v[2] == cv->mean[k]);
      ck_assert(v[3] == cv->std_error[k]);
      ck_assert(v[4] == cv->mean[k] - cv->std_error[k]);
      ck_assert(v[5] == cv->mean[k] + cv->std_error[k]);
      ck_assert(v[6] == (double)res->paths[f]->df[k]);
    }
    free(lines);
    free(text);
  }
  rp_run_free(res);
}
END_TEST

START_TEST(scripts_read_their_data_and_mark_alpha_min_and_1se) {
  rp_run_result *res = run_on(diabetes(), "1");
  const rp_cv *cv = res->cvs[0];
  ck_assert(cv->alpha_min != cv->alpha_1se);
  char *path = rp_plot_path_script(res, 0), *cvs = rp_plot_cv_script(res, 0);
  ck_assert_ptr_nonnull(path);
  ck_assert_ptr_nonnull(cvs);
  const char *both[] = {path, cvs};
  for (size_t i = 0; i < 2; i++) {
    expect_in(both[i], "if (!exists(\"fmt\")) fmt = \"png\"");
    expect_in(both[i], "set terminal pngcairo size 1000,650");
    expect_in(both[i], "set terminal svg size 1000,650 dynamic");
    expect_in(both[i], "set xlabel 'log10(alpha)'");
    expect_in(both[i], "set link x2");
    char line[256];
    snprintf(line, sizeof line, "set arrow from first %s, graph 0 to first %s, graph 1",
             num(log10(cv->alpha_min)), num(log10(cv->alpha_min)));
    expect_in(both[i], line);
    snprintf(line, sizeof line, "set arrow from first %s, graph 0 to first %s, graph 1",
             num(log10(cv->alpha_1se)), num(log10(cv->alpha_1se)));
    expect_in(both[i], line);
    snprintf(line, sizeof line, "set label 'min' at first %s", num(log10(cv->alpha_min)));
    expect_in(both[i], line);
    /* The 1se rule selected alpha_1se: its label says so, its line is solid. */
    ck_assert_uint_eq(res->selected_index, cv->index_1se);
    snprintf(line, sizeof line, "set label '1se (selected)' at first %s",
             num(log10(cv->alpha_1se)));
    expect_in(both[i], line);
    snprintf(line, sizeof line, "set arrow from first %s, graph 0 to first %s, graph 1 nohead dt 1",
             num(log10(cv->alpha_1se)), num(log10(cv->alpha_1se)));
    expect_in(both[i], line);
  }
  expect_in(path, "set output \"path.\" . fmt");
  expect_in(path, "'path.dat' using 2:(column(5))");
  expect_in(path, "'path.dat' using 2:(column(14))");
  expect_in(path, "set title 'Lasso path (l1_ratio = 1), 10 features'");
  expect_in(path, "set ylabel 'coefficient (original scale)'");
  expect_in(path, "set key outside right");
  expect_in(path, "title 'bmi'");
  expect_in(cvs, "set output \"cv.\" . fmt");
  expect_in(cvs, "'cv.dat' using 2:3:5:6 with yerrorbars");
  /* df at the largest alpha opens the top axis. */
  char tic[128];
  snprintf(tic, sizeof tic, "set x2tics out nomirror ('%zu' %s", res->paths[0]->df[0],
           num(log10(cv->alphas[0])));
  expect_in(cvs, tic);
  free(path);
  free(cvs);
  rp_run_free(res);
}
END_TEST

START_TEST(compare_script_names_each_fits_cv_file_and_penalty) {
  rp_run_result *res = run_on(diabetes(), "[1, 0.5, 0]");
  char *text = rp_plot_compare_script(res);
  ck_assert_ptr_nonnull(text);
  expect_in(text, "set output \"compare.\" . fmt");
  expect_in(text, "fs transparent solid 0.2");
  expect_in(text, "'cv_l1-1.dat' using 2:5:6 with filledcurves");
  expect_in(text, "'cv_l1-0.5.dat' using 2:5:6 with filledcurves");
  expect_in(text, "'cv_l1-0.dat' using 2:5:6 with filledcurves");
  expect_in(text, "title 'lasso (l1_ratio 1)'");
  expect_in(text, "title 'elastic net (l1_ratio 0.5)'");
  expect_in(text, "title 'ridge (l1_ratio 0)'");
  for (size_t f = 0; f < 3; f++) {
    char mark[128];
    snprintf(mark, sizeof mark, "using 2:($0 == %zu ? $3 : NaN) with points",
             res->cvs[f]->index_min);
    expect_in(text, mark);
  }
  free(text);
  rp_run_free(res);
}
END_TEST

/* The labelled features of fit 0's path script, as feature indices in the
 * order of its $labelled datablock (colour rank), into idx; returns how
 * many.  Each must also be named by a label at the right edge. */
static size_t labelled_in_script(const char *text, const char *const *names, size_t *idx) {
  size_t n, m = 0;
  char *copy, **lines = datablock_lines(text, "labelled", &n, &copy);
  for (size_t l = 0; l < n; l++) {
    size_t col;
    if (sscanf(lines[l], "# column %zu of", &col) != 1) continue;
    ck_assert_uint_lt(m, LABELLED);
    idx[m] = col - 5;
    char lit[600], label[640];
    gp_literal(names[idx[m]], lit, sizeof lit);
    snprintf(label, sizeof label, "set label %s at graph 1.015", lit);
    ck_assert_msg(count_of(text, label) == 1, "%s is not labelled once", names[idx[m]]);
    m++;
  }
  free(lines);
  free(copy);
  ck_assert_uint_eq(count_of(text, " at graph 1.015, first "), m);
  return m;
}

/* The selected model's nonzero features, up to LABELLED, largest |coef|
 * first (ties: the lower index), into idx; returns how many. */
static size_t selected_nonzero(const rp_path *path, size_t at, size_t *idx) {
  size_t p = path->p, m = 0;
  const double *b = path->coef + at * p;
  for (size_t j = 0; j < p; j++) {
    if (b[j] == 0) continue;
    size_t rank = 0;
    for (size_t i = 0; i < p; i++) rank += b[i] != 0 && outranks(fabs(b[i]), i, fabs(b[j]), j);
    if (rank < LABELLED) {
      idx[rank] = j;
      m++;
    }
  }
  return m;
}

/* Labels go to the selected model's nonzero features, largest first, not
 * to the largest at the end of the path: on a fitted run (the 1se model of
 * the synthetic data) and on hand-made paths selected where fewer than ten
 * are nonzero. */
START_TEST(labels_name_the_selected_models_nonzero_features_largest_first) {
  rp_run_result *res = run_synthetic(synthetic_names);
  const rp_path *path = res->paths[0];
  ck_assert_uint_eq(path->p, SYN_P);
  size_t want[LABELLED], got[LABELLED];
  size_t m = selected_nonzero(path, res->selected_index, want);
  ck_assert_uint_gt(m, 0);
  char *text = rp_plot_path_script(res, 0);
  ck_assert_ptr_nonnull(text);
  expect_in(text, "set key off");
  ck_assert_uint_eq(labelled_in_script(text, synthetic_names, got), m);
  for (size_t r = 0; r < m; r++)
    ck_assert_msg(got[r] == want[r], "rank %zu: %s labelled, expected %s", r,
                  synthetic_names[got[r]], synthetic_names[want[r]]);
  char footer[96];
  snprintf(footer, sizeof footer, "set label '%zu other features", SYN_P - m);
  expect_in(text, footer);
  free(text);
  rp_run_free(res);

  /* Hand-made (feature j enters at grid point j % 20 unless j % 3 == 0):
   * selected at grid points 1 and 0 six and three features are nonzero. */
  hand_run *h = hand_run_new(100, 20, 0);
  static const size_t at[] = {1, 0, 19}, count[] = {6, 3, LABELLED};
  for (size_t c = 0; c < 3; c++) {
    hand_set_marks(h, 10, 6, at[c]);
    m = selected_nonzero(&h->path, at[c], want);
    ck_assert_uint_eq(m, count[c]);
    text = rp_plot_path_script(&h->res, 0);
    ck_assert_ptr_nonnull(text);
    ck_assert_uint_eq(labelled_in_script(text, (const char *const *)h->res.feature_names, got), m);
    for (size_t r = 0; r < m; r++) ck_assert_uint_eq(got[r], want[r]);
    free(text);
  }
  hand_run_free(h);
}
END_TEST

/* The path script of many features reads its data a number of times that
 * does not grow with p: no `plot for` over the columns (which reads the
 * whole file once per feature), at most MAX_LABELLED + 2 plot elements. */
START_TEST(many_feature_path_script_reads_its_data_a_bounded_number_of_times) {
  static const size_t ps[] = {100, 3000};
  for (size_t i = 0; i < 2; i++) {
    hand_run *h = hand_run_new(ps[i], 20, 0);
    char *text = rp_plot_path_script(&h->res, 0);
    ck_assert_ptr_nonnull(text);
    ck_assert_msg(strstr(text, "for [") == NULL, "p = %zu: the script iterates", ps[i]);
    size_t n = plot_elements(text);
    ck_assert_msg(n <= LABELLED + 2, "p = %zu: %zu plot elements", ps[i], n);
    ck_assert_uint_le(count_of(text, "'path.dat'"), n);
    free(text);
    hand_run_free(h);
  }
}
END_TEST

START_TEST(path_datablocks_hold_exactly_the_drawn_paths) {
  hand_run *h = hand_run_new(3000, 20, 0);
  const rp_path *path = &h->path;
  drawn_set d = expected_drawing(path, h->res.selected_index);
  ck_assert_uint_eq(d.m, LABELLED);
  ck_assert_uint_eq(d.zero, 1000);
  ck_assert_uint_eq(d.g, GREY_CAP);
  char *text = rp_plot_path_script(&h->res, 0);
  ck_assert_ptr_nonnull(text);
  /* The labelled, by rank, two blank lines apart (one data set each), each
   * drawn from its own index in its rank's colour. */
  size_t n, at = 0;
  char *copy, **lines = datablock_lines(text, "labelled", &n, &copy);
  for (size_t r = 0; r < d.m; r++) {
    if (r) expect_blank(lines, n, &at, 2);
    expect_block(path, lines, n, &at, d.labelled[r]);
    static const char *const colors[] = {"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                         "#8c564b", "#e377c2", "#000000", "#bcbd22", "#17becf"};
    char element[128];
    snprintf(element, sizeof element, "$labelled index %zu using 1:2 with lines lw 2 lc rgb '%s'",
             r, colors[r]);
    expect_in(text, element);
  }
  ck_assert_uint_eq(at, n);
  free(lines);
  free(copy);
  /* The grey, in index order, one blank line apart, drawn by one element. */
  at = 0;
  lines = datablock_lines(text, "grey", &n, &copy);
  for (size_t i = 0; i < d.g; i++) {
    if (i) expect_blank(lines, n, &at, 1);
    expect_block(path, lines, n, &at, d.grey[i]);
  }
  ck_assert_uint_eq(at, n);
  expect_in(text, "$grey using 1:2 with lines lw 1 lc rgb '#c4c4c4' notitle");
  free(lines);
  free(copy);
  free(text);
  drawn_set_free(&d);
  hand_run_free(h);
}
END_TEST

/* Features zero all along the path are not drawn but counted in the footer,
 * as are those cut by the cap, whose range is shaded. */
START_TEST(all_zero_and_cut_features_are_counted_and_the_cut_shaded) {
  hand_run *h = hand_run_new(3000, 20, 0);
  const rp_path *path = &h->path;
  drawn_set d = expected_drawing(path, h->res.selected_index);
  char *text = rp_plot_path_script(&h->res, 0);
  ck_assert_ptr_nonnull(text);
  expect_in(text,
            "set label '2990 other features not labelled, 500 in grey; not drawn: 1000 all-zero, "
            "1490 smaller (range shaded)' at screen 0.5, screen 0.02");
  ck_assert_uint_eq(d.c, 1490);
  /* No all-zero feature in any datablock. */
  for (size_t j = 0; j < path->p; j += 3) {
    char head[64];
    snprintf(head, sizeof head, "# column %zu of path.dat\n", j + 5);
    ck_assert_msg(strstr(text, head) == NULL, "all-zero feature %zu is drawn", j);
  }
  /* The band: per alpha, the least and the greatest coefficient of the cut. */
  size_t n;
  char *copy, **lines = datablock_lines(text, "band", &n, &copy);
  ck_assert_uint_eq(n, path->n_alphas);
  for (size_t k = 0; k < n; k++) {
    double v[3], lo = HUGE_VAL, hi = -HUGE_VAL;
    for (size_t i = 0; i < d.c; i++) {
      lo = fmin(lo, path->coef[k * path->p + d.cut[i]]);
      hi = fmax(hi, path->coef[k * path->p + d.cut[i]]);
    }
    parse_row(lines[k], v, 3);
    ck_assert(v[0] == log10(path->alphas[k]));
    ck_assert_msg(v[1] == lo && v[2] == hi, "alpha %zu: band %s, expected %s %s", k, lines[k],
                  num(lo), num(hi));
  }
  expect_in(text, "plot $band using 1:2:3 with filledcurves");
  free(lines);
  free(copy);
  free(text);
  drawn_set_free(&d);
  hand_run_free(h);

  /* Below the cap: nothing cut, no band. */
  h = hand_run_new(600, 20, 0);
  text = rp_plot_path_script(&h->res, 0);
  ck_assert_ptr_nonnull(text);
  expect_in(text,
            "set label '590 other features not labelled, 390 in grey; not drawn: 200 all-zero'");
  ck_assert_ptr_null(strstr(text, "$band"));
  free(text);
  hand_run_free(h);

  /* All zero: nothing to draw but the zero axis. */
  h = hand_run_new(300, 20, 1);
  text = rp_plot_path_script(&h->res, 0);
  ck_assert_ptr_nonnull(text);
  expect_in(text,
            "set label '300 other features not labelled, 0 in grey; not drawn: 300 all-zero'");
  expect_in(text, "\nplot NaN notitle\n");
  free(text);
  hand_run_free(h);
}
END_TEST

/* At most GREY_CAP grey paths whatever p, all of them below it. */
START_TEST(grey_paths_are_capped) {
  static const size_t ps[] = {600, 1500, 3000, 9000};
  for (size_t i = 0; i < 4; i++) {
    size_t p = ps[i], unlabelled_nonzero = p - (p + 2) / 3 - LABELLED;
    hand_run *h = hand_run_new(p, 20, 0);
    char *text = rp_plot_path_script(&h->res, 0);
    ck_assert_ptr_nonnull(text);
    size_t n;
    char *copy, **lines = datablock_lines(text, "grey", &n, &copy);
    size_t blocks = 0;
    for (size_t l = 0; l < n; l++) blocks += !strncmp(lines[l], "# column ", 9);
    size_t want = unlabelled_nonzero < GREY_CAP ? unlabelled_nonzero : GREY_CAP;
    ck_assert_msg(blocks == want, "p = %zu: %zu grey paths, expected %zu", p, blocks, want);
    free(lines);
    free(copy);
    free(text);
    hand_run_free(h);
  }
}
END_TEST

/* The two numbers of "set <what> [a:b]" in a script. */
static void script_range(const char *text, const char *what, double *a, double *b) {
  char key[32];
  snprintf(key, sizeof key, "set %s [", what);
  const char *s = strstr(text, key);
  ck_assert_msg(s != NULL, "script has no %s", key);
  ck_assert_int_eq(sscanf(s + strlen(key), "%lf:%lf]", a, b), 2);
}

/* A hand-made path of 20 features over 40 alphas whose coefficients stay
 * within +-1 down to grid point 20 and then grow to 8000 (feature 0) and
 * -4000 (feature 1): a small-alpha tail like Sonar's and breast cancer's. */
static hand_run *huge_tail_run(void) {
  hand_run *h = hand_run_new(20, 40, 0);
  rp_path *path = &h->path;
  for (size_t k = 0; k < 40; k++) {
    path->df[k] = 0;
    for (size_t j = 0; j < 20; j++) {
      double c = (j % 2 ? -1.0 : 1.0) * (double)(j + 1) / 20.0 * fmin((double)k, 20) / 20.0;
      double tail = k > 20 ? pow((double)(k - 20), 3) * 8000 / 6859 : 0;
      if (j == 0) c += tail;
      if (j == 1) c -= tail / 2;
      path->coef[k * 20 + j] = c;
      path->df[k] += c != 0;
    }
  }
  hand_set_marks(h, 12, 8, 8);
  return h;
}

/* The y range is set by the coefficients from alpha_max to a few grid
 * points past alpha_min, read from the script: the cut is where its shaded
 * rectangle starts; a note says that the tail is clipped; every label is
 * joined to a point inside the range.  Without a tail, the whole path. */
START_TEST(path_y_range_leaves_the_cv_relevant_coefficients_visible) {
  hand_run *h = huge_tail_run();
  const rp_path *path = &h->path;
  char *text = rp_plot_path_script(&h->res, 0);
  ck_assert_ptr_nonnull(text);
  double ylo, yhi, xcut;
  script_range(text, "yrange", &ylo, &yhi);
  const char *rect = strstr(text, "set object 1 rect from first ");
  ck_assert_msg(rect != NULL, "no shaded tail");
  ck_assert_int_eq(sscanf(rect + strlen("set object 1 rect from first "), "%lf", &xcut), 1);
  size_t cut = 0;
  while (cut < path->n_alphas && log10(path->alphas[cut]) != xcut) cut++;
  ck_assert_msg(cut < path->n_alphas, "the cut %g is no grid point", xcut);
  ck_assert_uint_ge(cut, h->cv.index_min);     /* alpha_min and the selected are in */
  ck_assert_uint_le(cut, h->cv.index_min + 8); /* "a few" points past it     */
  double rlo = 0, rhi = 0, tail = 0;
  for (size_t k = 0; k < path->n_alphas; k++)
    for (size_t j = 0; j < path->p; j++) {
      double c = path->coef[k * path->p + j];
      if (k <= cut) {
        ck_assert_msg(c >= ylo && c <= yhi, "coef %zu at %zu (%g) outside [%g, %g]", j, k, c, ylo,
                      yhi);
        rlo = fmin(rlo, c);
        rhi = fmax(rhi, c);
      } else {
        tail = fmax(tail, fabs(c));
      }
    }
  ck_assert_msg(tail > fmax(fabs(ylo), fabs(yhi)), "the tail is not clipped");
  ck_assert_msg(yhi - ylo <= 1.5 * (rhi - rlo), "y range [%g, %g] for coefficients in [%g, %g]",
                ylo, yhi, rlo, rhi);
  expect_in(text, "paths clipped past log10(alpha) = ");
  /* every label's line starts inside the plot */
  for (const char *s = strstr(text, "\nset arrow from first "); s;
       s = strstr(s + 1, "\nset arrow from first ")) {
    double x, y;
    if (!strstr(s, " to graph 1.012") || strchr(s + 1, '\n') < strstr(s, " to graph 1.012"))
      continue;
    ck_assert_int_eq(sscanf(s, "\nset arrow from first %lf, first %lf", &x, &y), 2);
    ck_assert_msg(y >= ylo && y <= yhi, "a label points at %g, outside [%g, %g]", y, ylo, yhi);
    ck_assert_msg(x <= log10(path->alphas[0]) && x >= log10(path->alphas[39]), "x %g", x);
  }
  free(text);
  hand_run_free(h);

  /* Diabetes: no tail to speak of, the whole path as before. */
  rp_run_result *res = run_on(diabetes(), "1");
  path = res->paths[0];
  text = rp_plot_path_script(res, 0);
  ck_assert_ptr_nonnull(text);
  script_range(text, "yrange", &ylo, &yhi);
  for (size_t i = 0; i < path->n_alphas * path->p; i++)
    ck_assert(path->coef[i] >= ylo && path->coef[i] <= yhi);
  ck_assert_ptr_null(strstr(text, "set object 1 rect"));
  ck_assert_ptr_null(strstr(text, "clipped"));
  free(text);
  rp_run_free(res);
}
END_TEST

/* A label at the top of a plot, read back from a script. */
typedef struct {
  char text[64];
  double from, to; /* extent as fractions of the plot width */
  double dy;       /* offset in text lines below the top    */
} top_label;

/* Every "set label '...' at first X, graph 1 ..." of a script: position as
 * a fraction of the x range, extent from a character width of 0.02 of the
 * plot (an upper bound: 7.5-8.5 px a character on a plot area of at least
 * 450 px) and the half-character offset; returns how many. */
static size_t top_labels(const char *text, top_label *lab, size_t cap) {
  double hi, lo;
  script_range(text, "xrange", &hi, &lo);
  size_t n = 0;
  for (const char *s = strstr(text, "\nset label '"); s; s = strstr(s + 1, "\nset label '")) {
    top_label l;
    double x, dx;
    char side[8];
    if (sscanf(s, "\nset label '%63[^']' at first %lf, graph 1 %7s offset %lf,%lf", l.text, &x,
               side, &dx, &l.dy) != 5)
      continue;
    ck_assert_uint_lt(n, cap);
    double at = (hi - x) / (hi - lo), w = 0.02 * (double)strlen(l.text);
    ck_assert_msg(!strcmp(side, "left") == (dx > 0), "%s: offset away from its side", l.text);
    l.from = !strcmp(side, "left") ? at + 0.01 : at - 0.01 - w;
    l.to = l.from + w;
    ck_assert_msg(l.from >= 0 && l.to <= 1, "%s leaves the plot: [%g, %g]", l.text, l.from, l.to);
    lab[n++] = l;
  }
  return n;
}

static void expect_no_overlap(const char *text, const char *what) {
  top_label lab[8];
  size_t n = top_labels(text, lab, 8);
  for (size_t i = 0; i < n; i++)
    for (size_t j = i + 1; j < n; j++) {
      int apart_x = lab[i].to <= lab[j].from || lab[j].to <= lab[i].from;
      int apart_y = fabs(lab[i].dy - lab[j].dy) >= 1;
      ck_assert_msg(apart_x || apart_y, "%s: '%s' [%g, %g] row %g overlaps '%s' [%g, %g] row %g",
                    what, lab[i].text, lab[i].from, lab[i].to, lab[i].dy, lab[j].text, lab[j].from,
                    lab[j].to, lab[j].dy);
    }
}

/* The min, 1se and selected labels of `text`, as the count of labels and
 * whether each of the three is named. */
static void expect_marks(const char *text, size_t n_labels, const char *what) {
  top_label lab[8];
  size_t n = top_labels(text, lab, 8);
  ck_assert_msg(n == n_labels, "%s: %zu labels at the top, expected %zu", what, n, n_labels);
  int min = 0, one_se = 0, sel = 0;
  for (size_t i = 0; i < n; i++) {
    min += strstr(lab[i].text, "min") != NULL;
    one_se += strstr(lab[i].text, "1se") != NULL;
    sel += strstr(lab[i].text, "selected") != NULL;
  }
  ck_assert_msg(min == 1 && one_se == 1 && sel == 1, "%s: min %d, 1se %d, selected %d", what, min,
                one_se, sel);
}

/* min, 1se and the selected alpha close together (adjacent grid points, at
 * either end and in the middle) or coinciding: never two labels on top of
 * each other, each named once, on the path and the CV script. */
START_TEST(mark_labels_never_overlap) {
  static const struct {
    size_t imin, i1se, isel, n_labels;
  } cases[] = {
      {39, 38, 37, 3}, {2, 1, 0, 3},    {20, 19, 18, 3}, {20, 19, 21, 3}, {39, 30, 39, 2},
      {39, 39, 38, 2}, {39, 38, 38, 2}, {0, 0, 0, 1},    {39, 39, 39, 1}, {20, 20, 20, 1},
      {21, 20, 20, 2}, {1, 0, 0, 2},    {39, 0, 20, 3},
  };
  for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
    hand_run *h = hand_run_new(30, 40, 0);
    hand_set_marks(h, cases[c].imin, cases[c].i1se, cases[c].isel);
    fit_text_fn makers[] = {rp_plot_path_script, rp_plot_cv_script};
    for (size_t m = 0; m < 2; m++) {
      char *text = makers[m](&h->res, 0);
      ck_assert_ptr_nonnull(text);
      char what[64];
      snprintf(what, sizeof what, "case %zu, %s script", c, m ? "cv" : "path");
      expect_marks(text, cases[c].n_labels, what);
      expect_no_overlap(text, what);
      /* the selected alpha's solid line */
      char line[160];
      double xs = log10(h->path.alphas[cases[c].isel]);
      snprintf(line, sizeof line,
               "set arrow from first %s, graph 0 to first %s, graph 1 nohead dt 1", num(xs),
               num(xs));
      ck_assert_msg(count_of(text, line) == 1, "%s: no selected line", what);
      free(text);
    }
    hand_run_free(h);
  }
}
END_TEST

/* The selected alpha is marked on the chosen fit's plots only, and the
 * compare plot marks it too; on diabetes, the 1se lasso wins. */
START_TEST(selected_alpha_is_marked_on_the_chosen_fits_plots) {
  rp_run_result *res = run_on(diabetes(), "[1, 0.5, 0]");
  for (size_t f = 0; f < res->n_fits; f++) {
    char *path = rp_plot_path_script(res, f), *cv = rp_plot_cv_script(res, f);
    ck_assert(path && cv);
    size_t want = f == res->selected_fit;
    ck_assert_uint_eq(count_of(path, "selected)'") + count_of(path, "'selected'"), want);
    ck_assert_uint_eq(count_of(cv, "selected)'") + count_of(cv, "'selected'"), want);
    ck_assert_uint_eq(count_of(path, "nohead dt 1 "), want);
    ck_assert_uint_eq(count_of(cv, "nohead dt 1 "), want);
    free(path);
    free(cv);
  }
  char *text = rp_plot_compare_script(res);
  ck_assert_ptr_nonnull(text);
  char line[160];
  double xs = log10(res->cvs[res->selected_fit]->alphas[res->selected_index]);
  snprintf(line, sizeof line, "set arrow from first %s, graph 0 to first %s, graph 1", num(xs),
           num(xs));
  expect_in(text, line);
  expect_in(text, "set label 'chosen (l1_ratio ");
  free(text);
  rp_run_free(res);
}
END_TEST

/* output.log_base "e": x is the natural log of alpha everywhere (ranges,
 * lines, top axis, the path's datablocks, the data files' alpha column);
 * the default writes today's scripts exactly. */
START_TEST(log_base_e_writes_natural_logs) {
  rp_run_result *res = run_on(diabetes(), "[1, 0]");
  rp_run_result *many = run_synthetic(synthetic_names);
  const rp_plot_options e = {RP_LOG_BASE_E}, ten = {RP_LOG_BASE_10};
  for (size_t f = 0; f < 2; f++) {
    const rp_cv *cv = res->cvs[f];
    char *cvs = rp_plot_cv_script_opt(res, f, &e), *path = rp_plot_path_script_opt(res, f, &e);
    ck_assert(cvs && path);
    char *both[] = {cvs, path};
    for (size_t i = 0; i < 2; i++) {
      double hi, lo;
      script_range(both[i], "xrange", &hi, &lo);
      ck_assert(hi == log(cv->alphas[0]) && lo == log(cv->alphas[cv->n_alphas - 1]));
      expect_in(both[i], "set xlabel 'log(alpha)'");
      char line[160];
      snprintf(line, sizeof line, "set arrow from first %s, graph 0", num(log(cv->alpha_min)));
      expect_in(both[i], line);
      snprintf(line, sizeof line, "set x2tics out nomirror ('%zu' %s", res->paths[f]->df[0],
               num(log(cv->alphas[0])));
      expect_in(both[i], line);
      ck_assert_ptr_null(strstr(both[i], "log10"));
    }
    expect_in(cvs, "using (log($1)):3:5:6 with yerrorbars");
    expect_in(path, "using (log($1)):(column(5))");
    free(cvs);
    free(path);
    /* the default options are today's scripts */
    char *a = rp_plot_cv_script(res, f), *b = rp_plot_cv_script_opt(res, f, &ten);
    ck_assert_str_eq(a, b);
    free(a);
    free(b);
  }
  char *cmp = rp_plot_compare_script_opt(res, &e);
  ck_assert_ptr_nonnull(cmp);
  expect_in(cmp, "set xlabel 'log(alpha)'");
  expect_in(cmp, "'cv_l1-0.dat' using (log($1)):5:6 with filledcurves");
  free(cmp);
  char *path = rp_plot_path_script_opt(many, 0, &e);
  ck_assert_ptr_nonnull(path);
  size_t n;
  char *copy, **lines = datablock_lines(path, "labelled", &n, &copy);
  double v[2];
  parse_row(lines[1], v, 2);
  ck_assert(v[0] == log(many->paths[0]->alphas[0]));
  free(lines);
  free(copy);
  free(path);
  rp_run_free(res);
  rp_run_free(many);
}
END_TEST

/* gnuplot reads the new scripts without a word: natural logs, a clipped
 * tail, labels on several rows. */
START_TEST(new_scripts_render_quietly) {
  hand_run *h = huge_tail_run();
  char dir[64];
  snprintf(dir, sizeof dir, "%s", temp_dir());
  write_fit_file(dir, &h->res, 0, "path", "dat", rp_plot_path_data);
  write_fit_file(dir, &h->res, 0, "cv", "dat", rp_plot_cv_data);
  const rp_plot_options e = {RP_LOG_BASE_E};
  for (size_t i = 0; i < 2; i++) {
    char *path = rp_plot_path_script_opt(&h->res, 0, i ? &e : NULL);
    char *cv = rp_plot_cv_script_opt(&h->res, 0, i ? &e : NULL);
    ck_assert(path && cv);
    write_file(dir, "path.gp", path);
    write_file(dir, "cv.gp", cv);
    free(path);
    free(cv);
    static const char *const scripts[] = {"path.gp", "cv.gp"}, *const fmts[] = {"png", "svg"};
    for (size_t s = 0; s < 2; s++)
      for (size_t k = 0; k < 2; k++) {
        char *said = gnuplot_stderr(dir, scripts[s], fmts[k]);
        ck_assert_msg(said[0] == '\0', "%s (%s): gnuplot said: %s", scripts[s], fmts[k], said);
        free(said);
      }
  }
  char *svg = read_in(dir, "path.svg", NULL);
  ck_assert_ptr_nonnull(svg);
  expect_in(svg, "paths clipped past log(alpha) = ");
  free(svg);
  remove_dir(dir);
  hand_run_free(h);
}
END_TEST

/* Polylines (M commands) of the SVG paths stroked in `color`. */
static size_t svg_polylines(const char *svg, const char *color) {
  char open[64];
  snprintf(open, sizeof open, "<path stroke='%s'", color);
  size_t n = 0;
  for (const char *s = strstr(svg, open); s; s = strstr(s + 1, open)) {
    const char *d = strstr(s, "d='");
    ck_assert_ptr_nonnull(d);
    for (d += 3; *d && *d != '\''; d++) n += *d == 'M';
  }
  return n;
}

/* gnuplot draws the capped grey paths (#c4c4c4 in the SVG) and the band,
 * and has nothing to say, also with every path zero and with one alpha. */
START_TEST(many_feature_path_renders_only_the_drawn_paths) {
  hand_run *h = hand_run_new(3000, 20, 0);
  char dir[64];
  snprintf(dir, sizeof dir, "%s", temp_dir());
  write_fit_file(dir, &h->res, 0, "path", "dat", rp_plot_path_data);
  write_fit_file(dir, &h->res, 0, "path", "gp", rp_plot_path_script);
  render_and_check(dir, "path.gp", "png");
  char *said = gnuplot_stderr(dir, "path.gp", "svg");
  ck_assert_msg(said[0] == '\0', "gnuplot said: %s", said);
  free(said);
  char *svg = read_in(dir, "path.svg", NULL);
  ck_assert_ptr_nonnull(svg);
  ck_assert_uint_eq(svg_polylines(svg, "rgb(196, 196, 196)"), GREY_CAP);
  expect_in(svg, "<polygon fill = 'rgb(224, 224, 224)'");
  expect_in(svg, "1000 all-zero, 1490 smaller (range shaded)");
  free(svg);
  remove_dir(dir);
  hand_run_free(h);

  hand_run *odd[] = {hand_run_new(300, 20, 1), hand_run_new(3000, 1, 0)};
  for (size_t i = 0; i < 2; i++) {
    snprintf(dir, sizeof dir, "%s", temp_dir());
    write_fit_file(dir, &odd[i]->res, 0, "path", "dat", rp_plot_path_data);
    write_fit_file(dir, &odd[i]->res, 0, "path", "gp", rp_plot_path_script);
    static const char *const fmts[] = {"png", "svg"};
    for (size_t k = 0; k < 2; k++) {
      said = gnuplot_stderr(dir, "path.gp", fmts[k]);
      ck_assert_msg(said[0] == '\0', "case %zu (%s): gnuplot said: %s", i, fmts[k], said);
      free(said);
    }
    remove_dir(dir);
    hand_run_free(odd[i]);
  }
}
END_TEST

START_TEST(one_fit_renders_to_png_and_svg) {
  rp_run_result *res = run_on(diabetes(), "1");
  const char *dir = temp_dir();
  write_all(dir, res);
  render_all(dir, res);
  remove_dir(dir);
  rp_run_free(res);
}
END_TEST

START_TEST(three_fits_render_to_png_and_svg) {
  rp_run_result *res = run_on(diabetes(), "[1, 0.5, 0]");
  const char *dir = temp_dir();
  write_all(dir, res);
  render_all(dir, res);
  remove_dir(dir);
  rp_run_free(res);
}
END_TEST

/* Also on degenerate grids: one alpha (x range padded), and alphas so large
 * that every coefficient is 0 (flat paths, y range padded). */
START_TEST(gnuplot_gives_no_warnings_on_any_script) {
  rp_run_result *three = run_on(diabetes(), "[1, 0.5, 0]");
  rp_run_result *many = run_synthetic(synthetic_names);
  char json[8192];
  snprintf(json, sizeof json, "{\"data\": {\"train\": \"%s\"}, \"path\": {\"alphas\": [5]}}",
           diabetes());
  rp_run_result *single = run_json(json);
  snprintf(json, sizeof json,
           "{\"data\": {\"train\": \"%s\"}, \"path\": {\"alphas\": [1e6, 1e5, 1e4]}}", diabetes());
  rp_run_result *zero = run_json(json);
  ck_assert_uint_eq(single->paths[0]->n_alphas, 1);
  ck_assert_uint_eq(zero->paths[0]->df[2], 0);
  const rp_run_result *runs[] = {three, many, single, zero};
  for (size_t r = 0; r < 4; r++) {
    char dir[64];
    snprintf(dir, sizeof dir, "%s", temp_dir());
    write_all(dir, runs[r]);
    expect_quiet_gnuplot(dir, runs[r]);
    remove_dir(dir);
  }
  rp_run_free(three);
  rp_run_free(many);
  rp_run_free(single);
  rp_run_free(zero);
}
END_TEST

/* Names that would run commands, or break out of a string, if they were
 * pasted into a script unquoted or in double quotes.  A command that ran
 * would create pwned-<n> in gnuplot's working folder, the output folder. */
static const char *const hostile[10] = {"a\" ; system(\"touch pwned-1\") ; \"",
                                        "b' ; system('touch pwned-2') ; '",
                                        "c `touch pwned-3`",
                                        "d @x $y \\101 \\n end\\",
                                        "größe",
                                        "with, a comma",
                                        "it's",
                                        "back\\slash\\",
                                        "e'' ; print \"x\" ; #",
                                        "f{_^&~}<b> üüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüüü"};

static void expect_no_mark(const char *dir) {
  for (int i = 1; i <= 3; i++) {
    char path[256];
    snprintf(path, sizeof path, "%s/pwned-%d", dir, i);
    ck_assert_msg(access(path, F_OK) != 0, "%s was created: the script ran a command", path);
    snprintf(path, sizeof path, "pwned-%d", i);
    ck_assert_msg(access(path, F_OK) != 0, "%s was created: the script ran a command", path);
  }
}

START_TEST(feature_names_cannot_inject_gnuplot_commands) {
  char dir[64];
  snprintf(dir, sizeof dir, "%s", temp_dir());
  char csv[4096];
  snprintf(csv, sizeof csv, "%s/hostile.csv", dir);
  write_diabetes_renamed(csv, hostile);
  rp_run_result *res = run_on(csv, "[1, 0]");
  ck_assert_int_eq(unlink(csv), 0);
  for (size_t j = 0; j < 10; j++) ck_assert_str_eq(res->feature_names[j], hostile[j]);

  write_all(dir, res);
  /* Each name is a literal in the key titles (quotes as "'" joined on). */
  for (size_t f = 0; f < res->n_fits; f++) {
    char *text = rp_plot_path_script(res, f);
    ck_assert_ptr_nonnull(text);
    for (size_t j = 0; j < 10; j++) {
      char lit[600], title[640];
      gp_literal(hostile[j], lit, sizeof lit);
      snprintf(title, sizeof title, "title %s", lit);
      const char *at = strstr(text, title);
      ck_assert_msg(at != NULL, "script lacks %s", title);
      /* and the literal is the whole title: the clause ends right after it */
      ck_assert_msg(at[strlen(title)] == ',' || at[strlen(title)] == '\n', "%s", title);
    }
    free(text);
  }
  /* The data file's comment line names them C-style in double quotes. */
  char *data = read_in(dir, "path_l1-1.dat", NULL);
  ck_assert_ptr_nonnull(data);
  expect_in(data, " \"a\\\" ; system(\\\"touch pwned-1\\\") ; \\\"\" ");
  expect_in(data, " \"back\\\\slash\\\\\" ");
  free(data);

  expect_no_mark(dir);
  render_all(dir, res);
  expect_quiet_gnuplot(dir, res);
  expect_no_mark(dir);

  /* The names come out as text, as they are (XML-escaped in SVG). */
  char *svg = read_in(dir, "path_l1-1.svg", NULL);
  ck_assert_ptr_nonnull(svg);
  expect_in(svg, "a\" ; system(\"touch pwned-1\") ; \"");
  expect_in(svg, "größe");
  expect_in(svg, "it's");
  expect_in(svg, "back\\slash\\");
  expect_in(svg, "d @x $y \\101 \\n end\\");
  expect_in(svg, "f{_^&amp;~}&lt;b> üüüüüüüüüüüüüüüüüüüüüüüüüü...");
  free(svg);
  remove_dir(dir);
  rp_run_free(res);
}
END_TEST

START_TEST(labelled_names_cannot_inject_either) {
  /* The hostile names on the largest coefficients, which get labels. */
  const char *names[SYN_P];
  for (size_t j = 0; j < SYN_P; j++) names[j] = j < 8 ? hostile[j] : synthetic_names[j];
  rp_run_result *res = run_synthetic(names);
  char *text = rp_plot_path_script(res, 0);
  ck_assert_ptr_nonnull(text);
  /* Those of them among the ten largest at the selected alpha are labelled. */
  const rp_path *path = res->paths[0];
  size_t last = res->selected_index, labelled = 0;
  for (size_t j = 0; j < 8; j++) {
    size_t larger = 0;
    for (size_t i = 0; i < SYN_P; i++)
      larger += fabs(path->coef[last * SYN_P + i]) > fabs(path->coef[last * SYN_P + j]);
    if (larger >= 10) continue;
    char lit[600], label[640];
    gp_literal(hostile[j], lit, sizeof lit);
    snprintf(label, sizeof label, "set label %s at graph 1.015", lit);
    expect_in(text, label);
    labelled++;
  }
  ck_assert_uint_ge(labelled, 6);
  free(text);
  char dir[64];
  snprintf(dir, sizeof dir, "%s", temp_dir());
  write_all(dir, res);
  expect_quiet_gnuplot(dir, res);
  expect_no_mark(dir);
  remove_dir(dir);
  rp_run_free(res);
}
END_TEST

START_TEST(missing_script_is_an_io_error_with_gnuplots_message) {
  const char *dir = temp_dir();
  rp_error err;
  rp_error_clear(&err);
  ck_assert_int_eq(render(gnuplot(), dir, "nope.gp", "png", &err), RP_EIO);
  ck_assert_int_eq(err.status, RP_EIO);
  ck_assert_msg(strncmp(err.message, "gnuplot failed on nope.gp: ", 27) == 0, "%s", err.message);
  ck_assert_msg(strlen(err.message) > 27, "no reason given: %s", err.message);
  ck_assert_ptr_null(strchr(err.message, '\n'));
  ck_assert_int_eq(rmdir(dir), 0);
}
END_TEST

START_TEST(script_error_is_reported_with_its_first_line) {
  const char *dir = temp_dir();
  write_file(dir, "bad.gp", "set output 'x.png'\nthis is not gnuplot\n");
  rp_error err;
  ck_assert_int_eq(render(gnuplot(), dir, "bad.gp", "png", &err), RP_EIO);
  ck_assert_msg(strstr(err.message, "gnuplot failed on bad.gp: ") == err.message, "%s",
                err.message);
  ck_assert_msg(strstr(err.message, "line 2") != NULL, "%s", err.message);
  remove_dir(dir);
}
END_TEST

START_TEST(render_reports_a_missing_program_or_folder) {
  const char *dir = temp_dir();
  write_file(dir, "ok.gp", "print 1\n");
  rp_error err;
  ck_assert_int_eq(render("/nonexistent/gnuplot", dir, "ok.gp", "png", &err), RP_EIO);
  expect_in(err.message, "gnuplot failed on ok.gp: cannot execute gnuplot");
  ck_assert_int_eq(render(gnuplot(), "/nonexistent-dir", "ok.gp", "png", &err), RP_EIO);
  expect_in(err.message, "cannot enter the output folder");
  ck_assert_int_eq(render(gnuplot(), dir, "ok.gp", "pdf", &err), RP_EINVAL);
  ck_assert_int_eq(render(gnuplot(), dir, "ok.gp", "png", &err), RP_OK);
  remove_dir(dir);
}
END_TEST

START_TEST(find_gnuplot_takes_the_first_executable_file_on_path) {
  char *saved = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
  char dir[64];
  snprintf(dir, sizeof dir, "%s", temp_dir());
  char sub[128], bin[128], fake[160];
  snprintf(sub, sizeof sub, "%s/a", dir); /* a folder named gnuplot */
  snprintf(bin, sizeof bin, "%s/b", dir); /* a file not executable  */
  ck_assert_int_eq(mkdir(sub, 0700), 0);
  ck_assert_int_eq(mkdir(bin, 0700), 0);
  snprintf(fake, sizeof fake, "%s/gnuplot", sub);
  ck_assert_int_eq(mkdir(fake, 0700), 0);
  snprintf(fake, sizeof fake, "%s/gnuplot", bin);
  write_file(bin, "gnuplot", "#!/bin/sh\n");
  ck_assert_int_eq(chmod(fake, 0600), 0);

  char found[4096], path[512];
  snprintf(path, sizeof path, "%s:%s:%s", sub, bin, bin);
  ck_assert_int_eq(setenv("PATH", path, 1), 0);
  ck_assert_int_eq(render_find_gnuplot(found, sizeof found), 0);
  ck_assert_str_eq(found, "");
  ck_assert_int_eq(chmod(fake, 0700), 0);
  ck_assert_int_eq(render_find_gnuplot(found, sizeof found), 1);
  ck_assert_str_eq(found, fake);
  snprintf(path, sizeof path, "%s::/usr/bin", sub);
  ck_assert_int_eq(setenv("PATH", path, 1), 0);
  /* Too small a buffer is "not found", never a cut path. */
  ck_assert_int_eq(render_find_gnuplot(found, 5), 0);

  ck_assert_int_eq(unlink(fake), 0);
  ck_assert_int_eq(rmdir(bin), 0);
  snprintf(fake, sizeof fake, "%s/gnuplot", sub);
  ck_assert_int_eq(rmdir(fake), 0);
  ck_assert_int_eq(rmdir(sub), 0);
  ck_assert_int_eq(rmdir(dir), 0);
  if (saved) setenv("PATH", saved, 1);
  free(saved);
}
END_TEST

/* ------------------------------------------------------ multinomial fits */

/* A 3-class CSV of N_MN rows: features x1..x4 uniform in [-1, 1] from a
 * fixed LCG, class "high" when x1 leads, "low" when x2 does, "mid" when x3
 * plus noise does (x4 is noise); so each class has coefficients of its
 * own.  Classes read in sorted order: high, low, mid. */
#define N_MN 120
static void write_three_classes(const char *path) {
  static const char *const label[3] = {"high", "low", "mid"};
  FILE *f = fopen(path, "w");
  ck_assert_ptr_nonnull(f);
  fputs("x1,x2,x3,x4,y\n", f);
  unsigned long state = 12345;
  for (int i = 0; i < N_MN; i++) {
    double x[5];
    for (int j = 0; j < 5; j++) {
      state = state * 6364136223846793005UL + 1442695040888963407UL;
      x[j] = 2.0 * (double)(state >> 11) / 9007199254740992.0 - 1.0;
    }
    double score[3] = {2 * x[0], 2 * x[1], 1.5 * x[2] + 0.8 * x[4]};
    int c = i % 3; /* every class has rows whatever the scores */
    if (i >= 9) c = score[0] >= score[1] && score[0] >= score[2] ? 0 : score[1] >= score[2] ? 1 : 2;
    fprintf(f, "%.6f,%.6f,%.6f,%.6f,%s\n", x[0], x[1], x[2], x[3], label[c]);
  }
  ck_assert_int_eq(fclose(f), 0);
}

/* The multinomial run on write_three_classes' data in dir; its config into
 * *cfg when cfg is not NULL (the caller frees it). */
static rp_run_result *run_three_classes(const char *dir, rp_config **cfg) {
  char csv[4096], json[8192];
  snprintf(csv, sizeof csv, "%s/three.csv", dir);
  write_three_classes(csv);
  snprintf(json, sizeof json,
           "{\"data\": {\"train\": \"%s\", \"target\": \"y\"}, \"model\": {\"family\": "
           "\"multinomial\"}, \"cv\": {\"folds\": 3, \"seed\": 1}}",
           csv);
  const char *path = tu_write_temp("config.json", json);
  rp_config *c;
  rp_error err;
  ck_assert_msg(rp_config_load(path, NULL, 0, &c, &err) == RP_OK, "config: %s", err.message);
  rp_run_result *res;
  ck_assert_msg(rp_run(c, NULL, NULL, &res, &err) == RP_OK, "run: %s", err.message);
  ck_assert_int_eq(unlink(path), 0);
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s", path);
  *strrchr(tmp, '/') = '\0';
  ck_assert_int_eq(rmdir(tmp), 0);
  ck_assert_int_eq(unlink(csv), 0);
  if (cfg)
    *cfg = c;
  else
    rp_config_free(c);
  ck_assert_uint_eq(res->paths[0]->n_classes, 3);
  return res;
}

static const char *const MN_CLASS[3] = {"high", "low", "mid"};

/* path.dat of a multinomial fit: the header, then per class a "# class"
 * line and a row per alpha whose coefficients are the class's, exactly
 * (the oracle: coef[(k K + c) p + j] of the path), df the class's nonzero
 * coefficients; two blank lines between classes, so that `index c` is
 * class c. */
START_TEST(multinomial_path_data_holds_a_block_per_class) {
  const char *dir = temp_dir();
  rp_run_result *res = run_three_classes(dir, NULL);
  const rp_path *path = res->paths[0];
  size_t p = path->p, K = 3, ncol = 4 + p, n, at = 1;
  char *text = rp_plot_path_data(res, 0);
  ck_assert_ptr_nonnull(text);
  char **lines = split_lines(text, &n);
  ck_assert_uint_eq(n, 1 + K * (1 + path->n_alphas) + 2 * (K - 1));
  ck_assert_str_eq(lines[0], "# alpha log10_alpha df dev_ratio \"x1\" \"x2\" \"x3\" \"x4\"");
  double v[8];
  size_t nonzero_somewhere[3] = {0};
  for (size_t c = 0; c < K; c++) {
    if (c) {
      ck_assert_str_eq(lines[at++], "");
      ck_assert_str_eq(lines[at++], "");
    }
    char head[64];
    snprintf(head, sizeof head, "# class \"%s\"", MN_CLASS[c]);
    ck_assert_str_eq(lines[at++], head);
    for (size_t k = 0; k < path->n_alphas; k++) {
      parse_row(lines[at++], v, ncol);
      ck_assert(v[0] == path->alphas[k]);
      ck_assert(v[3] == path->dev_ratio[k]);
      size_t df = 0;
      for (size_t j = 0; j < p; j++) {
        double b = path->coef[(k * K + c) * p + j];
        ck_assert_msg(v[4 + j] == b, "class %zu row %zu feature %zu", c, k, j);
        df += b != 0;
      }
      ck_assert_msg(v[2] == (double)df, "class %zu row %zu: df %g, not %zu", c, k, v[2], df);
      nonzero_somewhere[c] += df;
    }
  }
  /* The classes differ: a block of one class's numbers repeated would not. */
  for (size_t c = 0; c < K; c++) ck_assert_uint_gt(nonzero_somewhere[c], 0);
  /* A feature enters (the summary's entry order) where any class has it. */
  for (size_t j = 0; j < p; j++) {
    size_t k = 0;
    while (k < path->n_alphas && path->coef[(k * K) * p + j] == 0 &&
           path->coef[(k * K + 1) * p + j] == 0 && path->coef[(k * K + 2) * p + j] == 0)
      k++;
    ck_assert_uint_eq(rp_path_entry_index(path, j), k);
  }
  free(lines);
  free(text);
  rp_run_free(res);
  rmdir(dir);
}
END_TEST

/* The path script of a multinomial fit: a stacked multiplot of K panels,
 * each titled with its class (quoted as every name from the data is), each
 * plotting its own block of path.dat, with the alpha marks re-set per
 * panel; and gnuplot renders it, to PNG and SVG, without a word. */
START_TEST(multinomial_path_script_has_a_panel_per_class) {
  const char *dir = temp_dir();
  rp_run_result *res = run_three_classes(dir, NULL);
  size_t K = 3, p = res->paths[0]->p;
  char *script = rp_plot_path_script(res, 0);
  ck_assert_ptr_nonnull(script);
  expect_in(script, "set multiplot layout 3,1\n");
  expect_in(script, "set terminal pngcairo size 1000,1350 ");
  ck_assert_uint_eq(count_of(script, "set title "), K);
  ck_assert_uint_eq(count_of(script, "\nplot "), K);
  ck_assert_uint_eq(count_of(script, "1se"), K); /* one alpha_1se label per panel */
  const char *prev = script;
  for (size_t c = 0; c < K; c++) {
    char title[128], quoted[64], uses[64];
    gp_literal(MN_CLASS[c], quoted, sizeof quoted);
    snprintf(title, sizeof title, "set title 'Lasso path (l1_ratio = 1), 4 features: class ' . %s",
             quoted);
    const char *at = strstr(script, title);
    ck_assert_msg(at && at > prev, "no panel titled %s after the previous one", MN_CLASS[c]);
    snprintf(uses, sizeof uses, "'path.dat' index %zu using", c);
    ck_assert_uint_eq(count_of(script, uses), p);
    prev = at;
  }
  expect_in(prev, "\nunset multiplot\n");
  write_all(dir, res);
  render_and_check(dir, "path.gp", "png");
  render_and_check(dir, "path.gp", "svg");
  expect_quiet_gnuplot(dir, res);
  free(script);
  rp_run_free(res);
  remove_dir(dir);
}
END_TEST

/* The summary of a multinomial run: a column per class, named in order;
 * a row per feature nonzero in any class, ordered by its largest |coef| over
 * the classes, each number the path's own at the selected point; then the
 * intercepts. */
START_TEST(multinomial_summary_prints_a_feature_by_class_table) {
  const char *dir = temp_dir();
  rp_config *cfg;
  rp_run_result *res = run_three_classes(dir, &cfg);
  const rp_path *path = res->paths[res->selected_fit];
  size_t p = path->p, K = 3, k = res->selected_index;
  const double *coef = path->coef + k * K * p;
  char *out = NULL;
  size_t len = 0;
  FILE *f = open_memstream(&out, &len);
  ck_assert_ptr_nonnull(f);
  summary_print(f, cfg, res, NULL, 0);
  ck_assert_int_eq(fclose(f), 0);

  /* The oracle: features nonzero in any class, by largest |coef|. */
  size_t order[4], n = 0;
  double largest[4];
  for (size_t j = 0; j < p; j++) {
    largest[j] = 0;
    for (size_t c = 0; c < K; c++) largest[j] = fmax(largest[j], fabs(coef[c * p + j]));
    if (largest[j] == 0) continue;
    size_t i = n++;
    while (i > 0 && largest[order[i - 1]] < largest[j]) order[i] = order[i - 1], i--;
    order[i] = j;
  }
  ck_assert_uint_ge(n, 2);
  char want[160];
  snprintf(want, sizeof want,
           "\nselected coefficients (%zu of %zu nonzero in any class, original scale, by largest "
           "magnitude):\n",
           n, p);
  const char *table = strstr(out, want);
  ck_assert_msg(table != NULL, "no \"%s\" in:\n%s", want, out);
  table += strlen(want);
  char head[128];
  snprintf(head, sizeof head, "  %-11s %14s %14s %14s\n", "", "high", "low", "mid");
  ck_assert_msg(!strncmp(table, head, strlen(head)), "class columns: %s", table);
  const char *line = table + strlen(head);
  for (size_t i = 0; i <= n; i++) {
    char row[256];
    int w =
        snprintf(row, sizeof row, "  %-11s", i < n ? res->feature_names[order[i]] : "(intercept)");
    for (size_t c = 0; c < K; c++)
      w += snprintf(row + w, sizeof row - (size_t)w, " %14.6g",
                    i < n ? coef[c * p + order[i]] : path->intercept[k * K + c]);
    snprintf(row + w, sizeof row - (size_t)w, "\n");
    ck_assert_msg(!strncmp(line, row, strlen(row)), "row %zu: want \"%s\" in:\n%s", i, row, table);
    line += strlen(row);
  }
  ck_assert_msg(*line == '\n', "the table ends after the intercepts:\n%s", table);
  free(out);
  rp_config_free(cfg);
  rp_run_free(res);
  rmdir(dir);
}
END_TEST

int main(void) {
  Suite *s = suite_create("plots");
  TCase *data = tcase_create("data and scripts");
  tcase_add_test(data, file_names_carry_the_l1_ratio_only_with_several_fits);
  tcase_add_test(data, path_data_reads_back_to_the_runs_arrays_exactly);
  tcase_add_test(data, cv_data_reads_back_to_the_runs_arrays_exactly);
  tcase_add_test(data, scripts_read_their_data_and_mark_alpha_min_and_1se);
  tcase_add_test(data, compare_script_names_each_fits_cv_file_and_penalty);
  tcase_add_test(data, labels_name_the_selected_models_nonzero_features_largest_first);
  tcase_add_test(data, many_feature_path_script_reads_its_data_a_bounded_number_of_times);
  tcase_add_test(data, path_datablocks_hold_exactly_the_drawn_paths);
  tcase_add_test(data, all_zero_and_cut_features_are_counted_and_the_cut_shaded);
  tcase_add_test(data, grey_paths_are_capped);
  tcase_add_test(data, path_y_range_leaves_the_cv_relevant_coefficients_visible);
  tcase_add_test(data, mark_labels_never_overlap);
  tcase_add_test(data, selected_alpha_is_marked_on_the_chosen_fits_plots);
  tcase_add_test(data, log_base_e_writes_natural_logs);
  tcase_add_test(data, multinomial_path_data_holds_a_block_per_class);
  tcase_add_test(data, multinomial_summary_prints_a_feature_by_class_table);
  tcase_set_timeout(data, 60);
  suite_add_tcase(s, data);
  TCase *render = tcase_create("rendering with gnuplot");
  tcase_add_test(render, one_fit_renders_to_png_and_svg);
  tcase_add_test(render, three_fits_render_to_png_and_svg);
  tcase_add_test(render, gnuplot_gives_no_warnings_on_any_script);
  tcase_add_test(render, feature_names_cannot_inject_gnuplot_commands);
  tcase_add_test(render, labelled_names_cannot_inject_either);
  tcase_add_test(render, many_feature_path_renders_only_the_drawn_paths);
  tcase_add_test(render, new_scripts_render_quietly);
  tcase_add_test(render, multinomial_path_script_has_a_panel_per_class);
  tcase_add_test(render, missing_script_is_an_io_error_with_gnuplots_message);
  tcase_add_test(render, script_error_is_reported_with_its_first_line);
  tcase_add_test(render, render_reports_a_missing_program_or_folder);
  tcase_add_test(render, find_gnuplot_takes_the_first_executable_file_on_path);
  tcase_set_timeout(render, 300);
  suite_add_tcase(s, render);
  return tu_run(s);
}

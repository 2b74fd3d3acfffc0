/* regpath: the command-line program.  It parses the command line, loads the
 * config, runs the job through libregpath and maps statuses to exit codes. */
#define _POSIX_C_SOURCE 200809L
#include "build-config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include <unistd.h>

#include "cli.h"
#include "coef.h"
#include "comm.h"
#include "regpath.h"
#include "predict.h"
#include "render.h"
#include "signals.h"
#include "summary.h"

static const char usage_text[] =
    "usage: regpath --config FILE [options]\n"
    "       regpath --data FILE [--target NAME] [--family NAME] [options]\n"
    "       regpath predict --model model.json --data FILE [--output FILE] [--quiet]\n"
    "                       [--alpha A | --at min|1se|selected]\n"
    "                       [--max-line-bytes N] [--unseen zero]\n"
    "                       [--format csv|svmlight]\n"
    "       regpath coef --model model.json [--alpha A | --at min|1se|selected]\n"
    "                    [--json]\n"
    "\n"
    "Fit the lasso / elastic-net / ridge path of a linear model over a grid of\n"
    "strengths, choose the strength by k-fold cross-validation, and write\n"
    "<output.dir>/report.json.\n"
    "\n"
    "options:\n"
    "  -c, --config FILE    the JSON config (see README.md); without it, --data\n"
    "                       and the defaults, every path relative to here\n"
    "  -s, --set KEY=VALUE  override a config key with a JSON value, e.g.\n"
    "                       --set cv.folds=5 (repeatable)\n"
    "  -d, --data FILE      shortcut for --set data.train=FILE (a CSV file, or\n"
    "                       svmlight when its name ends in .svm, .svmlight or\n"
    "                       .libsvm, with or without .gz: data.format)\n"
    "  -t, --target NAME    shortcut for --set data.target=NAME\n"
    "  -f, --family NAME    shortcut for --set model.family=NAME\n"
    "  -o, --output DIR     shortcut for --set output.dir=DIR\n"
    "  -r, --report -       write report.json to stdout instead of the output\n"
    "                       folder (and nothing else to stdout)\n"
    "  -q, --quiet          print nothing on success\n"
    "      --no-progress    no progress bar (it is shown only when stderr is a\n"
    "                       terminal)\n"
    "      --strict         exit 4, writing nothing, when any fit reached\n"
    "                       path.max_iter without converging\n"
    "  -h, --help           this help\n"
    "  -V, --version        the version\n"
    "\n"
    "exit codes:\n"
    "  0  success\n"
    "  1  internal error\n"
    "  2  usage or config error\n"
    "  3  data error (unreadable or invalid CSV or svmlight file, unusable\n"
    "     columns)\n"
    "  4  numerical failure\n"
    "  5  I/O error (cannot write the output)\n"
    "  6  out of memory\n";

typedef struct {
  const char *config;
  int quiet;
  int report_to_stdout;
  int progress;
  int strict;             /* non-convergence is an error (exit 4), after the output is written */
  int has_data;           /* --data given: the run may go without a config file */
  const char **overrides; /* "key=value" strings */
  size_t n_overrides;
  char **owned; /* overrides built from shortcuts */
  size_t n_owned;
} cli;

/* Add "key=value" (copied when `owned`) to the overrides. */
static int add_override(cli *c, const char *key, const char *value) {
  size_t len = strlen(key) + strlen(value) + 2;
  char *s = malloc(len);
  const char **grown = realloc(c->overrides, (c->n_overrides + 1) * sizeof *grown);
  char **owned = realloc(c->owned, (c->n_owned + 1) * sizeof *owned);
  if (grown) c->overrides = grown;
  if (owned) c->owned = owned;
  if (!s || !grown || !owned) {
    free(s);
    return 0;
  }
  snprintf(s, len, "%s%s", key, value);
  c->owned[c->n_owned++] = s;
  c->overrides[c->n_overrides++] = s;
  return 1;
}

/* "key=" and `text` as a JSON string, for the shortcut options. */
static int add_string_override(cli *c, const char *key, const char *text) {
  cJSON *str = cJSON_CreateString(text);
  char *json = str ? cJSON_PrintUnformatted(str) : NULL;
  int ok = json && add_override(c, key, json);
  cJSON_Delete(str);
  free(json);
  return ok;
}

/* A path given on the command line is relative to the current folder (not
 * to the config's, as paths inside the config are): it becomes an absolute
 * JSON string for the override. */
static int add_path_override(cli *c, const char *key, const char *path) {
  char cwd[4096], full[8192];
  if (path[0] != '/' && getcwd(cwd, sizeof cwd)) {
    snprintf(full, sizeof full, "%s/%s", cwd, path);
    path = full;
  }
  return add_string_override(c, key, path);
}

static void cli_free(cli *c) {
  for (size_t k = 0; k < c->n_owned; k++) free(c->owned[k]);
  free(c->owned);
  free(c->overrides);
}

/* Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, cli *c) {
  static const struct option longopts[] = {{"config", required_argument, NULL, 'c'},
                                           {"set", required_argument, NULL, 's'},
                                           {"data", required_argument, NULL, 'd'},
                                           {"output", required_argument, NULL, 'o'},
                                           {"quiet", no_argument, NULL, 'q'},
                                           {"help", no_argument, NULL, 'h'},
                                           {"version", no_argument, NULL, 'V'},
                                           {"report", required_argument, NULL, 'r'},
                                           {"no-progress", no_argument, NULL, 'P'},
                                           {"strict", no_argument, NULL, 'S'},
                                           {"target", required_argument, NULL, 't'},
                                           {"family", required_argument, NULL, 'f'},
                                           {NULL, 0, NULL, 0}};
  int opt, ok = 1;
  opterr = 0;
  c->progress = isatty(STDERR_FILENO);
  while (ok && (opt = getopt_long(argc, argv, ":c:s:d:o:r:t:f:qhV", longopts, NULL)) != -1) {
    switch (opt) {
      case 'c': c->config = optarg; break;
      case 's': ok = add_override(c, "", optarg); break;
      case 'd':
        c->has_data = 1;
        ok = add_path_override(c, "data.train=", optarg);
        break;
      case 't': ok = add_string_override(c, "data.target=", optarg); break;
      case 'f': ok = add_string_override(c, "model.family=", optarg); break;
      case 'o': ok = add_path_override(c, "output.dir=", optarg); break;
      case 'q': c->quiet = 1; break;
      case 'P': c->progress = 0; break;
      case 'S': c->strict = 1; break;
      case 'r':
        if (strcmp(optarg, "-") != 0)
          return cli_usage_error("--report takes '-' (stdout), got ", optarg, "regpath --help");
        c->report_to_stdout = 1;
        break;
      case 'h': fputs(usage_text, stdout); return EXIT_OK;
      case 'V': printf("regpath %s\n", PACKAGE_VERSION); return EXIT_OK;
      case ':':
        return cli_usage_error("missing value for option ", argv[optind - 1], "regpath --help");
      default: return cli_usage_error("unknown option ", argv[optind - 1], "regpath --help");
    }
  }
  if (!ok) return EXIT_NOMEM;
  if (optind < argc) return cli_usage_error("unexpected argument ", argv[optind], "regpath --help");
  if (!c->config && !c->has_data)
    return cli_usage_error("--config FILE or --data FILE is required", NULL, "regpath --help");
  return -1;
}

/* The image format output.render asks for, given whether gnuplot is on
 * PATH (its path into `gnuplot`): "png", "svg" or NULL, with a note when
 * "auto" finds none.  Checked before fitting, so that a missing gnuplot
 * costs no fit. */
static rp_status image_format(const rp_config *cfg, char *gnuplot, size_t size, const char **fmt,
                              char *note, size_t note_size, rp_error *err) {
  *fmt = NULL;
  if (!cfg->plots || cfg->render == RP_RENDER_NONE) return RP_OK;
  int found = render_find_gnuplot(gnuplot, size);
  if (cfg->render == RP_RENDER_AUTO) {
    if (found)
      *fmt = "png";
    else
      snprintf(note, note_size,
               "gnuplot is not on PATH: plots not rendered (the .gp scripts are written)");
    return RP_OK;
  }
  if (!found)
    return rp_error_set(err, RP_ECONFIG,
                        "output.render: \"%s\" needs gnuplot, which is not on PATH",
                        cfg->render == RP_RENDER_PNG ? "png" : "svg");
  *fmt = cfg->render == RP_RENDER_PNG ? "png" : "svg";
  return RP_OK;
}

/* The staging folder, made before fitting: an output folder that cannot be
 * written costs no fit, and what killed runs left there is cleaned up. */
static rp_status open_output(const rp_config *cfg, rp_output **out, rp_error *err) {
  rp_status st = rp_output_open(cfg->output_dir, out, err);
  if (st != RP_OK) return st;
  rp_output_watch(*out, signals_caught());
  signals_set_staging(rp_output_staging(*out));
  return RP_OK;
}

/* --report -: the report on stdout, and nothing else there. */
static rp_status print_report(const rp_config *cfg, const rp_run_result *res, rp_error *err) {
  char *text = rp_report_json(cfg, res, NULL);
  rp_status st = text ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory for the report");
  if (text && (fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF || fflush(stdout) != 0))
    st = rp_error_set(err, RP_EIO, "cannot write the report to stdout: %s", strerror(errno));
  free(text);
  return st;
}

/* Every file into the staging folder (images rendered and checked), the
 * report to stdout when asked, and only then the swap: whatever fails
 * first, or a signal before the swap, leaves the output folder as it was. */
static rp_status write_output(const cli *c, const rp_config *cfg, const rp_run_result *res,
                              rp_output *out, char *gnuplot, const char *fmt, rp_error *err) {
  rp_output_options opt = {!c->report_to_stdout, fmt, fmt ? render_gnuplot : NULL, gnuplot};
  signals_enter(SIGNALS_WRITE);
  rp_status st = rp_output_add_run(out, cfg, res, &opt, err);
  if (st == RP_OK && c->report_to_stdout) st = print_report(cfg, res, err);
  signals_enter(SIGNALS_COMMIT);
  if (st == RP_OK) st = rp_output_commit(out, err);
  return st;
}

/* The config file with the overrides, or without a file (--data and the
 * defaults) the overrides alone, paths relative to the current folder. */
static rp_status load_config(const cli *c, rp_config **cfg, rp_error *err) {
  if (c->config) return rp_config_load(c->config, c->overrides, c->n_overrides, cfg, err);
  return rp_config_parse("{}", NULL, ".", c->overrides, c->n_overrides, cfg, err);
}

/* The summary on stdout, with the names of the files written. */
static void print_summary(const rp_config *cfg, const rp_run_result *res, const rp_output *out) {
  size_t n = rp_output_count(out);
  const char **names = malloc((n ? n : 1) * sizeof *names);
  for (size_t i = 0; names && i < n; i++) names[i] = rp_output_name(out, i);
  summary_print(stdout, cfg, res, names, names ? n : 0);
  free(names);
}

/* With comm (regpath-mpi), every process runs the job on its rows and
 * only rank 0 (root) writes; the processes agree on every failure
 * (rp_comm_agree), so they all stop with rank 0's one message and exit
 * code. */
static int run(const cli *c, const rp_comm *comm, int root) {
  rp_error err;
  rp_error_clear(&err);
  rp_config *cfg = NULL;
  rp_run_result *res = NULL;
  rp_output *out = NULL;
  progress_bar bar;
  char gnuplot[4096], note[256] = "";
  const char *fmt = NULL;
  rp_status st = load_config(c, &cfg, &err);
  if (st == RP_OK) st = image_format(cfg, gnuplot, sizeof gnuplot, &fmt, note, sizeof note, &err);
  if (st == RP_OK && root) st = open_output(cfg, &out, &err);
  st = rp_comm_agree(comm, st, &err);
  int progress = root && c->progress;
  if (progress) progress_start(&bar);
  if (st == RP_OK) st = rp_run_comm(cfg, comm, progress ? progress_update : NULL, &bar, &res, &err);
  if (progress) progress_end(&bar);
  for (size_t k = 0; res && k < res->n_warnings; k++) cli_say("warning", res->warnings[k]);
  /* Checked before writing: a failed run leaves the folder as it was, so
   * that make does not take a new report for an up-to-date target. */
  if (st == RP_OK && c->strict && !rp_run_converged(res))
    st = rp_error_set(&err, RP_ENUMERIC,
                      "--strict: some fits reached path.max_iter without "
                      "converging (see the warnings above); nothing written");
  if (st == RP_OK && root) st = write_output(c, cfg, res, out, gnuplot, fmt, &err);
  st = rp_comm_agree(comm, st, &err);
  if (st != RP_OK || *signals_caught()) {
    rp_output_free(out); /* the staging folder goes before the program does */
    out = NULL;
  }
  signals_exit_if_caught();
  if (st == RP_OK && note[0] && !c->quiet) cli_say("note", note);
  if (st == RP_OK && root && !c->quiet && !c->report_to_stdout) print_summary(cfg, res, out);
  rp_output_free(out);
  rp_run_free(res);
  rp_config_free(cfg);
  return st == RP_OK ? EXIT_OK : cli_fail(&err); /* silent but on rank 0 */
}

#ifdef HAVE_OPENBLAS
void openblas_set_num_threads(int n); /* OpenBLAS's own API (its cblas.h clashes with GSL's) */
#endif

/* OpenBLAS starts a pool of threads as it loads, before main, unless
 * OPENBLAS_NUM_THREADS is 1, and each pool thread maps a 128 MiB work
 * buffer.  Under an address-space limit (ulimit -v) that allocation fails
 * and is retried forever, and the program's exit waits on that thread.
 * The program runs its BLAS on one thread anyway (below), so it starts
 * itself again with the variable set; if it cannot, it goes on as it is. */
static void restart_without_blas_threads(char **argv) {
#ifdef HAVE_OPENBLAS
  const char *threads = getenv("OPENBLAS_NUM_THREADS");
  char self[4096];
  if (threads && strcmp(threads, "1") == 0) return;
  ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
  if (len <= 0 || (size_t)len >= sizeof self - 1 || setenv("OPENBLAS_NUM_THREADS", "1", 1) != 0)
    return;
  self[len] = '\0';
  execv(self, argv);
#else
  (void)argv;
#endif
}

/* glibc raises its mmap threshold to the size of each large block freed
 * (up to 32 MiB); past it, large blocks come from the heap, where freed
 * memory stays with the process.  The fold solvers allocate and free arrays
 * of megabytes in turn, so the peak RSS grew past what was ever in use at
 * once: 149 MiB, and 129 MiB with the threshold held at glibc's initial
 * 128 KiB, on the path and 10-fold CV of the sparse 20000 x 20000 binomial
 * set (0.1% nonzeros), in the same time.  Setting it holds it. */
static void return_freed_memory(void) {
#if defined(__GLIBC__) && defined(M_MMAP_THRESHOLD)
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
}

int main(int argc, char **argv) {
  restart_without_blas_threads(argv);
  return_freed_memory();
  gsl_set_error_handler_off(); /* GSL reports through return codes, never aborts */
#ifdef HAVE_OPENBLAS
  /* A threaded dsyrk sums in an order that depends on the thread count; one
   * BLAS thread makes every result bit-identical on any machine. */
  openblas_set_num_threads(1);
#endif
  /* Past a file-size limit (ulimit -f) a write should fail with EFBIG, and
   * a write to a closed pipe (--report - | head) with EPIPE, to be reported
   * and cleaned up, rather than kill the program mid-file. */
  signal(SIGXFSZ, SIG_IGN);
  signal(SIGPIPE, SIG_IGN);
  signals_install();
  int root;
  const rp_comm *comm = app_comm_start(&argc, &argv, &root);
  if (!root) { /* rank 0 alone reports and writes */
    cli_silence();
    if (!freopen("/dev/null", "w", stdout)) return app_comm_end(EXIT_IO);
  }
  int subcommand = argc > 1 && (strcmp(argv[1], "predict") == 0 || strcmp(argv[1], "coef") == 0);
  if (subcommand && comm)
    return app_comm_end(cli_usage_error("predict and coef are regpath's, not ", app_comm_program(),
                                        "regpath --help"));
  if (subcommand && argv[1][0] == 'p') return rp_predict_main(argc - 1, argv + 1);
  if (subcommand) return rp_coef_main(argc - 1, argv + 1);
  cli c = {0};
  int code = parse_args(argc, argv, &c);
  if (code < 0) code = run(&c, comm, root);
  cli_free(&c);
  return app_comm_end(code);
}

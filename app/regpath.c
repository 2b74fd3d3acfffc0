/* regpath: the command-line program.  It parses the command line, loads the
 * config, runs the job through libregpath and maps statuses to exit codes. */
#define _POSIX_C_SOURCE 200809L
#include "config.h"

#include <cjson/cJSON.h>
#include <getopt.h>
#include <gsl/gsl_errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "cli.h"
#include "regpath.h"
#include "predict.h"
#include "summary.h"

static const char usage_text[] =
    "usage: regpath --config FILE [options]\n"
    "       regpath predict --model model.json --data FILE [--output FILE] [--quiet]\n"
    "                       [--max-line-bytes N]\n"
    "\n"
    "Fit the lasso / elastic-net / ridge path of a linear model over a grid of\n"
    "strengths, choose the strength by k-fold cross-validation, and write\n"
    "<output.dir>/report.json.\n"
    "\n"
    "options:\n"
    "  -c, --config FILE    the JSON config (required; see README.md)\n"
    "  -s, --set KEY=VALUE  override a config key with a JSON value, e.g.\n"
    "                       --set cv.folds=5 (repeatable)\n"
    "  -d, --data FILE      shortcut for --set data.train=FILE\n"
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
    "  3  data error (unreadable or invalid CSV, unusable columns)\n"
    "  4  numerical failure\n"
    "  5  I/O error (cannot write the output)\n"
    "  6  out of memory\n";

typedef struct {
  const char *config;
  int quiet;
  int report_to_stdout;
  int progress;
  int strict; /* non-convergence is an error (exit 4), after the output is written */
  const char **overrides; /* "key=value" strings */
  size_t n_overrides;
  char **owned;           /* overrides built from shortcuts */
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

/* A path given on the command line is relative to the current folder (not
 * to the config's, as paths inside the config are): it becomes an absolute
 * JSON string for the override. */
static int add_path_override(cli *c, const char *key, const char *path) {
  char cwd[4096], full[8192];
  if (path[0] != '/' && getcwd(cwd, sizeof cwd)) {
    snprintf(full, sizeof full, "%s/%s", cwd, path);
    path = full;
  }
  cJSON *str = cJSON_CreateString(path);
  char *json = str ? cJSON_PrintUnformatted(str) : NULL;
  int ok = json && add_override(c, key, json);
  cJSON_Delete(str);
  free(json);
  return ok;
}

static void cli_free(cli *c) {
  for (size_t k = 0; k < c->n_owned; k++) free(c->owned[k]);
  free(c->owned);
  free(c->overrides);
}

/* Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, cli *c) {
  static const struct option longopts[] = {
      {"config", required_argument, NULL, 'c'}, {"set", required_argument, NULL, 's'},
      {"data", required_argument, NULL, 'd'},   {"output", required_argument, NULL, 'o'},
      {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},      {"report", required_argument, NULL, 'r'},
      {"no-progress", no_argument, NULL, 'P'},  {"strict", no_argument, NULL, 'S'},
      {NULL, 0, NULL, 0}};
  int opt, ok = 1;
  opterr = 0;
  c->progress = isatty(STDERR_FILENO);
  while (ok && (opt = getopt_long(argc, argv, ":c:s:d:o:r:qhV", longopts, NULL)) != -1) {
    switch (opt) {
      case 'c': c->config = optarg; break;
      case 's': ok = add_override(c, "", optarg); break;
      case 'd': ok = add_path_override(c, "data.train=", optarg); break;
      case 'o': ok = add_path_override(c, "output.dir=", optarg); break;
      case 'q': c->quiet = 1; break;
      case 'P': c->progress = 0; break;
      case 'S': c->strict = 1; break;
      case 'r':
        if (strcmp(optarg, "-") != 0) return cli_usage_error("--report takes '-' (stdout), got ", optarg, "regpath --help");
        c->report_to_stdout = 1;
        break;
      case 'h': fputs(usage_text, stdout); return EXIT_OK;
      case 'V': printf("regpath %s\n", PACKAGE_VERSION); return EXIT_OK;
      case ':': return cli_usage_error("missing value for option ", argv[optind - 1], "regpath --help");
      default: return cli_usage_error("unknown option ", argv[optind - 1], "regpath --help");
    }
  }
  if (!ok) return EXIT_NOMEM;
  if (optind < argc) return cli_usage_error("unexpected argument ", argv[optind], "regpath --help");
  if (!c->config) return cli_usage_error("--config FILE is required", NULL, "regpath --help");
  return -1;
}

/* SIGINT and SIGTERM end the program at once, except while the output is
 * being written: then the signal waits until the folder holds either the
 * old files or all the new ones.  A handler rather than a signal mask,
 * because the mask of this thread does not cover BLAS worker threads, which
 * the kernel may pick to deliver a process-directed signal. */
static volatile sig_atomic_t writing, pending_signal;

static void on_signal(int sig) {
  if (writing) {
    pending_signal = sig;
    return;
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

static rp_status write_output(const cli *c, const rp_config *cfg, const rp_run_result *res,
                              rp_written *written, rp_error *err) {
  writing = 1;
  rp_status st = rp_write_outputs(cfg, res, !c->report_to_stdout, written, err);
  writing = 0;
  if (pending_signal) on_signal(pending_signal);
  return st;
}

/* --report -: the report on stdout, and nothing else there. */
static rp_status print_report(const rp_config *cfg, const rp_run_result *res, rp_error *err) {
  char *text = rp_report_json(cfg, res, NULL);
  rp_status st = text ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory for the report");
  if (text && (fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF || fflush(stdout) != 0))
    st = rp_error_set(err, RP_EIO, "cannot write the report to stdout");
  free(text);
  return st;
}

static int run(const cli *c) {
  rp_error err;
  rp_error_clear(&err);
  rp_config *cfg = NULL;
  rp_run_result *res = NULL;
  progress_bar bar;
  rp_status st = rp_config_load(c->config, c->overrides, c->n_overrides, &cfg, &err);
  progress_start(&bar);
  if (st == RP_OK) st = rp_run(cfg, c->progress ? progress_update : NULL, &bar, &res, &err);
  progress_end(&bar);
  for (size_t k = 0; res && k < res->n_warnings; k++)
    fprintf(stderr, "regpath: warning: %s\n", res->warnings[k]);
  /* Checked before writing: a failed run leaves the folder as it was, so
   * that make does not take a new report for an up-to-date target. */
  if (st == RP_OK && c->strict && !rp_run_converged(res))
    st = rp_error_set(&err, RP_ENUMERIC, "--strict: some fits reached path.max_iter without "
                                         "converging (see the warnings above); nothing written");
  rp_written written = {NULL, 0, ""};
  if (st == RP_OK) st = write_output(c, cfg, res, &written, &err);
  if (st == RP_OK && c->report_to_stdout) st = print_report(cfg, res, &err);
  if (st == RP_OK && written.note[0] && !c->quiet) fprintf(stderr, "regpath: note: %s\n", written.note);
  if (st == RP_OK && !c->quiet && !c->report_to_stdout)
    summary_print(stdout, cfg, res, (const char *const *)written.names, written.n);
  rp_written_free(&written);
  rp_run_free(res);
  rp_config_free(cfg);
  return st == RP_OK ? EXIT_OK : cli_fail(&err);
}

#ifdef HAVE_OPENBLAS
void openblas_set_num_threads(int n); /* OpenBLAS's own API (its cblas.h clashes with GSL's) */
#endif

int main(int argc, char **argv) {
  gsl_set_error_handler_off(); /* GSL reports through return codes, never aborts */
#ifdef HAVE_OPENBLAS
  /* A threaded dsyrk sums in an order that depends on the thread count; one
   * BLAS thread makes every result bit-identical on any machine. */
  openblas_set_num_threads(1);
#endif
  /* Past a file-size limit (ulimit -f) a write should fail with EFBIG, to be
   * reported and cleaned up, rather than kill the program mid-file. */
  signal(SIGXFSZ, SIG_IGN);
  signal(SIGINT, on_signal);
  signal(SIGTERM, on_signal);
  if (argc > 1 && strcmp(argv[1], "predict") == 0) return rp_predict_main(argc - 1, argv + 1);
  cli c = {0};
  int code = parse_args(argc, argv, &c);
  if (code < 0) code = run(&c);
  cli_free(&c);
  return code;
}

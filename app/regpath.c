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

#include "regpath.h"
#include "summary.h"

/* Exit codes: one per kind of failure, listed in --help and the README. */
enum {
  EXIT_OK = 0,
  EXIT_INTERNAL = 1,
  EXIT_USAGE = 2, /* bad command line or config */
  EXIT_DATA = 3,
  EXIT_NUMERIC = 4,
  EXIT_IO = 5,
  EXIT_NOMEM = 6
};

static const char usage_text[] =
    "usage: regpath --config FILE [options]\n"
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
  const char **overrides; /* "key=value" strings */
  size_t n_overrides;
  char **owned;           /* overrides built from shortcuts */
  size_t n_owned;
} cli;

static int exit_code(rp_status st) {
  switch (st) {
    case RP_OK: return EXIT_OK;
    case RP_EINVAL:
    case RP_ECONFIG: return EXIT_USAGE;
    case RP_EDATA: return EXIT_DATA;
    case RP_ENUMERIC: return EXIT_NUMERIC;
    case RP_EIO: return EXIT_IO;
    case RP_ENOMEM: return EXIT_NOMEM;
  }
  return EXIT_INTERNAL;
}

static int fail(const rp_error *err) {
  char line[RP_ERROR_MESSAGE_MAX + RP_ERROR_FILE_MAX + 64];
  rp_error_format(err, line, sizeof line);
  fprintf(stderr, "regpath: error: %s\n", line);
  return exit_code(err->status);
}

static int usage_error(const char *what, const char *arg) {
  fprintf(stderr, "regpath: error: %s%s (see regpath --help)\n", what, arg ? arg : "");
  return EXIT_USAGE;
}

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
      {"no-progress", no_argument, NULL, 'P'},  {NULL, 0, NULL, 0}};
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
      case 'r':
        if (strcmp(optarg, "-") != 0) return usage_error("--report takes '-' (stdout), got ", optarg);
        c->report_to_stdout = 1;
        break;
      case 'h': fputs(usage_text, stdout); return EXIT_OK;
      case 'V': printf("regpath %s\n", PACKAGE_VERSION); return EXIT_OK;
      case ':': return usage_error("missing value for option ", argv[optind - 1]);
      default: return usage_error("unknown option ", argv[optind - 1]);
    }
  }
  if (!ok) return EXIT_NOMEM;
  if (optind < argc) return usage_error("unexpected argument ", argv[optind]);
  if (!c->config) return usage_error("--config FILE is required", NULL);
  return -1;
}

/* Write the output with SIGINT/SIGTERM held back, so an interrupt leaves
 * either the old files or all the new ones. */
static rp_status write_output(const cli *c, const rp_config *cfg, const rp_run_result *res,
                              rp_error *err) {
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigprocmask(SIG_BLOCK, &block, &old);
  rp_status st = RP_OK;
  if (c->report_to_stdout) {
    char *text = rp_report_json(cfg, res);
    if (!text) st = rp_error_set(err, RP_ENOMEM, "out of memory for the report");
    if (text && (fputs(text, stdout) == EOF || fputc('\n', stdout) == EOF || fflush(stdout) != 0))
      st = rp_error_set(err, RP_EIO, "cannot write the report to stdout");
    free(text);
  } else {
    st = rp_report_write(cfg, res, cfg->output_dir, err);
  }
  sigprocmask(SIG_SETMASK, &old, NULL);
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
  if (st == RP_OK) st = write_output(c, cfg, res, &err);
  const char *files[] = {"report.json"};
  if (st == RP_OK && !c->quiet && !c->report_to_stdout) summary_print(stdout, cfg, res, files, 1);
  rp_run_free(res);
  rp_config_free(cfg);
  return st == RP_OK ? EXIT_OK : fail(&err);
}

int main(int argc, char **argv) {
  gsl_set_error_handler_off(); /* GSL reports through return codes, never aborts */
  cli c = {0};
  int code = parse_args(argc, argv, &c);
  if (code < 0) code = run(&c);
  cli_free(&c);
  return code;
}

/* coef.c: `regpath coef`, a saved model's coefficients (see coef.h and
 * usage_text). */
#define _POSIX_C_SOURCE 200809L
#include "coef.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "regpath.h"

static const char usage_text[] =
    "usage: regpath coef --model FILE [--alpha A | --at min|1se|selected] [--json]\n"
    "\n"
    "Print the coefficients of a model.json written by regpath, on the original\n"
    "scale: the selected model's, or those at another alpha of its path (as\n"
    "glmnet's coef(fit, s = A)).\n"
    "\n"
    "options:\n"
    "  -m, --model FILE    the model (model.json)\n"
    "  --alpha A           at alpha A > 0: exact at a grid point, linear in alpha\n"
    "                      between two, the nearest end outside the grid\n"
    "  --at POINT          at the CV's min or 1se point, or the selected one (the\n"
    "                      default)\n"
    "  --json              JSON {\"alpha\", \"l1_ratio\", \"intercept\", \"coef\":\n"
    "                      {feature: value}} instead of CSV (multinomial:\n"
    "                      \"intercept\": [one per class], \"coef\": [{feature:\n"
    "                      value} per class], in the model's classes order)\n"
    "  -h, --help          this help\n"
    "\n"
    "The CSV has a header \"feature,coef\", then \"(intercept)\" and every feature\n"
    "in the model's order.  A multinomial model's has one column per class,\n"
    "\"feature,coef_<class>,...\" in the model's classes order.\n"
    "\n"
    "exit codes: 0 success, 2 usage, 3 data error (the model), 5 I/O error,\n"
    "6 out of memory.\n";

#define HELP "regpath coef --help"

typedef struct {
  const char *model;
  int json;
  cli_point point;
} options;

enum { OPT_ALPHA = 256, OPT_AT, OPT_JSON }; /* long options without a short form */

/* Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, options *o) {
  static const struct option longopts[] = {
      {"model", required_argument, NULL, 'm'}, {"alpha", required_argument, NULL, OPT_ALPHA},
      {"at", required_argument, NULL, OPT_AT}, {"json", no_argument, NULL, OPT_JSON},
      {"help", no_argument, NULL, 'h'},        {NULL, 0, NULL, 0}};
  int opt, code;
  optind = 1; /* the main program may have scanned its own options */
  opterr = 0;
  while ((opt = getopt_long(argc, argv, ":m:h", longopts, NULL)) != -1) {
    switch (opt) {
      case 'm': o->model = optarg; break;
      case OPT_JSON: o->json = 1; break;
      case OPT_ALPHA:
      case OPT_AT:
        code = cli_point_option(opt == OPT_ALPHA ? "--alpha" : "--at", optarg, &o->point, HELP);
        if (code >= 0) return code;
        break;
      case 'h': fputs(usage_text, stdout); return EXIT_OK;
      case ':': return cli_usage_error("missing value for option ", argv[optind - 1], HELP);
      default: return cli_usage_error("unknown option ", argv[optind - 1], HELP);
    }
  }
  if (optind < argc) return cli_usage_error("unexpected argument ", argv[optind], HELP);
  if (!o->model) return cli_usage_error("--model FILE is required", NULL, HELP);
  return -1;
}

/* A multinomial model's: "feature,coef_<class>..." (rp_classes_name),
 * "(intercept),b0_1,...,b0_K", then "name,b_1j,...,b_Kj" per feature. */
static void print_classes_csv(FILE *f, const rp_model *m) {
  size_t K = m->classes.n, p = m->n_features;
  fputs("feature", f);
  for (size_t c = 0; c < K; c++) fputc(',', f), cli_put_class_cell(f, &m->classes, c, "coef_");
  fputs("\n(intercept)", f);
  for (size_t c = 0; c < K; c++) fprintf(f, ",%.17g", m->intercepts[c]);
  for (size_t j = 0; j < p; j++) {
    fputc('\n', f), cli_put_csv_cell(f, m->feature_names[j]);
    for (size_t c = 0; c < K; c++) fprintf(f, ",%.17g", m->coef[c * p + j]);
  }
  fputc('\n', f);
}

/* "feature,coef", "(intercept),b0", then "name,b_j" per feature. */
static void print_csv(FILE *f, const rp_model *m) {
  if (m->family == RP_FAMILY_MULTINOMIAL) {
    print_classes_csv(f, m);
    return;
  }
  fprintf(f, "feature,coef\n(intercept),%.17g\n", m->intercept);
  for (size_t j = 0; j < m->n_features; j++) {
    cli_put_csv_cell(f, m->feature_names[j]);
    fprintf(f, ",%.17g\n", m->coef[j]);
  }
}

static rp_status print_json(FILE *f, const rp_model *m, rp_error *err) {
  char *text = rp_model_coef_json(m);
  if (!text) return rp_error_set(err, RP_ENOMEM, "out of memory for the coefficients");
  fprintf(f, "%s\n", text);
  free(text);
  return RP_OK;
}

static int run(const options *o) {
  rp_error err;
  rp_error_clear(&err);
  rp_model *m = NULL;
  rp_status st = rp_model_read(o->model, &m, &err);
  if (st == RP_OK) st = cli_point_apply(&o->point, m, &err);
  if (st == RP_OK && o->json) st = print_json(stdout, m, &err);
  if (st == RP_OK && !o->json) print_csv(stdout, m);
  if (st == RP_OK && fflush(stdout) != 0)
    st = rp_error_set(&err, RP_EIO, "cannot write the coefficients to stdout");
  rp_model_free(m);
  return st == RP_OK ? EXIT_OK : cli_fail(&err);
}

int rp_coef_main(int argc, char **argv) {
  options o = {NULL, 0, {0, 0.0, RP_MODEL_AT_SELECTED}};
  int code = parse_args(argc, argv, &o);
  return code < 0 ? run(&o) : code;
}

/* predict.c: `regpath predict`, the predictions of a saved model for the rows
 * of a CSV file (see predict.h and usage_text). */
#define _POSIX_C_SOURCE 200809L
#include "predict.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "regpath.h"
#include "text.h"

static const char usage_text[] =
    "usage: regpath predict --model FILE --data FILE [--output FILE] [--quiet]\n"
    "                       [--max-line-bytes N]\n"
    "\n"
    "Predict the target of every row of a CSV file with a model.json written\n"
    "by regpath.  Columns are matched to the model's features by name; other\n"
    "columns are ignored.\n"
    "\n"
    "options:\n"
    "  -m, --model FILE    the model (model.json)\n"
    "  -d, --data FILE     the CSV file\n"
    "  -o, --output FILE   write the predictions to FILE (all or nothing)\n"
    "                      instead of stdout; '-' is stdout\n"
    "  -q, --quiet         do not print the accuracy\n"
    "  --max-line-bytes N  the longest CSV record of the data, in bytes (>= 16);\n"
    "                      default: the larger of 1 MiB and the model's\n"
    "                      max_line_bytes (the training's data.max_line_bytes)\n"
    "  -h, --help          this help\n"
    "\n"
    "The predictions are CSV with one row per data row: a column \"prediction\"\n"
    "(the mean: for binomial the probability of the model's second class, for\n"
    "poisson the expected count), after the target's own column when the data\n"
    "hold it, and for binomial a column \"class\" (the second class when the\n"
    "probability is above 1/2).  Then the accuracy,\n"
    "  mse V  mae V  r2 V  (n = N)                 gaussian\n"
    "  deviance V  accuracy V  auc V  (n = N)      binomial\n"
    "  deviance V  mse V  mae V  (n = N)           poisson\n"
    "goes to stderr when the predictions went to stdout, else to stdout.\n"
    "\n"
    "exit codes: 0 success, 2 usage, 3 data error (model or CSV), 4 numerical\n"
    "failure, 5 I/O error, 6 out of memory.\n";

typedef struct {
  const char *model, *data;
  const char *output; /* NULL = stdout */
  int quiet;
  size_t max_line;    /* --max-line-bytes; 0 = from the model */
} options;

enum { OPT_MAX_LINE = 256 }; /* long options without a short form */

/* --max-line-bytes N: decimal digits only, at least RP_CSV_MIN_MAX_LINE. */
static int parse_max_line(const char *arg, size_t *out) {
  char *end;
  errno = 0;
  unsigned long long v = strtoull(arg, &end, 10);
  if (arg[0] < '0' || arg[0] > '9' || *end || errno == ERANGE || v > SIZE_MAX ||
      v < RP_CSV_MIN_MAX_LINE)
    return 0;
  *out = (size_t)v;
  return 1;
}

static int bad_max_line(const char *arg) {
  char what[80];
  snprintf(what, sizeof what, "--max-line-bytes: expected an integer >= %zu, got ",
           RP_CSV_MIN_MAX_LINE);
  return cli_usage_error(what, arg, "regpath predict --help");
}

/* Returns -1 to go on, else the exit code. */
static int parse_args(int argc, char **argv, options *o) {
  static const struct option longopts[] = {
      {"model", required_argument, NULL, 'm'}, {"data", required_argument, NULL, 'd'},
      {"output", required_argument, NULL, 'o'}, {"quiet", no_argument, NULL, 'q'},
      {"max-line-bytes", required_argument, NULL, OPT_MAX_LINE},
      {"help", no_argument, NULL, 'h'},         {NULL, 0, NULL, 0}};
  int opt;
  optind = 1; /* the main program may have scanned its own options */
  opterr = 0;
  while ((opt = getopt_long(argc, argv, ":m:d:o:qh", longopts, NULL)) != -1) {
    switch (opt) {
      case 'm': o->model = optarg; break;
      case 'd': o->data = optarg; break;
      case 'o': o->output = strcmp(optarg, "-") == 0 ? NULL : optarg; break;
      case 'q': o->quiet = 1; break;
      case OPT_MAX_LINE:
        if (!parse_max_line(optarg, &o->max_line)) return bad_max_line(optarg);
        break;
      case 'h': fputs(usage_text, stdout); return EXIT_OK;
      case ':': return cli_usage_error("missing value for option ", argv[optind - 1], "regpath predict --help");
      default: return cli_usage_error("unknown option ", argv[optind - 1], "regpath predict --help");
    }
  }
  if (optind < argc) return cli_usage_error("unexpected argument ", argv[optind], "regpath predict --help");
  if (!o->model) return cli_usage_error("--model FILE is required", NULL, "regpath predict --help");
  if (!o->data) return cli_usage_error("--data FILE is required", NULL, "regpath predict --help");
  if (o->output && (!*o->output || o->output[strlen(o->output) - 1] == '/'))
    return cli_usage_error("--output must name a file, got ", o->output, "regpath predict --help");
  return -1;
}

/* A CSV header cell, as text for one line (lib/text.h: a line end or an
 * escape sequence from the model would break the CSV or reach the terminal
 * with the predictions on stdout), quoted (RFC 4180) when it holds anything
 * the reader could take for a delimiter or a quote. */
static void put_name(FILE *f, const char *name) {
  int quote = name[strcspn(name, ",;\"")] != '\0';
  if (quote) fputc('"', f);
  for (rp_text_cursor c = rp_text_start(name, strlen(name), RP_TEXT_LINE); rp_text_next(&c);) {
    if (c.cp == '"') fputc('"', f);
    fwrite(c.piece, 1, c.n, f);
  }
  if (quote) fputc('"', f);
}

/* The predictions as CSV text, one row per data row: the target when the
 * table has it (index `target` >= 0), then "prediction" (the mean: the
 * probability of the second class for binomial, the expected count for
 * poisson), and for binomial "class", the more probable class value (the
 * second when the probability is above 1/2, as glmnet's predict). */
static rp_status predictions_csv(const rp_table *t, long target, const rp_model *m,
                                 const double *eta, char **text, size_t *len, rp_error *err) {
  FILE *f = open_memstream(text, len);
  if (!f) return rp_error_set(err, RP_ENOMEM, "out of memory for the predictions");
  const double *y = target >= 0 ? rp_table_column(t, (size_t)target) : NULL;
  int binomial = m->family == RP_FAMILY_BINOMIAL;
  if (y) put_name(f, m->target);
  fputs(y ? ",prediction" : "prediction", f);
  fputs(binomial ? ",class\n" : "\n", f);
  for (size_t i = 0; i < t->n_rows; i++) {
    double mu = rp_family_mean(m->family, eta[i]);
    if (y) fprintf(f, "%.17g,", y[i]);
    fprintf(f, "%.17g", mu);
    if (binomial) fprintf(f, ",%.17g", m->classes[mu > 0.5]);
    fputc('\n', f);
  }
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) {
    free(*text);
    *text = NULL;
    return rp_error_set(err, RP_ENOMEM, "out of memory for the predictions");
  }
  return RP_OK;
}

/* Write `text` to the file `output` all or nothing (rp_write_file, with
 * SIGINT, SIGTERM and SIGHUP held back meanwhile), or to stdout when
 * `output` is NULL. */
static rp_status write_predictions(const char *output, const char *text, size_t len,
                                   rp_error *err) {
  if (!output) {
    if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0)
      return rp_error_set(err, RP_EIO, "cannot write the predictions to stdout: %s",
                          strerror(errno));
    return RP_OK;
  }
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGINT);
  sigaddset(&block, SIGTERM);
  sigaddset(&block, SIGHUP);
  sigprocmask(SIG_BLOCK, &block, &old);
  rp_status st = rp_write_file(output, text, len, err);
  sigprocmask(SIG_SETMASK, &old, NULL);
  return st;
}

/* The scores of the predictions when the data hold the target, one line
 * with 6 significant digits: "mse V  mae V  r2 V  (n = N)" for gaussian,
 * "deviance V  accuracy V  auc V" for binomial, "deviance V  mse V  mae V"
 * for poisson (rp_test_scores).  Binomial targets are read through the
 * model's classes; a value that is neither is an error naming its row. */
static rp_status print_metrics(FILE *f, const rp_model *m, const double *y, const double *eta,
                               size_t n, const char *source, rp_error *err) {
  double *y01 = malloc(n * sizeof *y01);
  rp_scored *work = malloc(n * sizeof *work);
  rp_status st = y01 && work ? RP_OK : rp_error_set(err, RP_ENOMEM, "out of memory");
  size_t bad = n;
  if (st == RP_OK && m->family == RP_FAMILY_BINOMIAL) bad = rp_binomial_labels(m->classes, y, n, y01);
  else if (st == RP_OK) memcpy(y01, y, n * sizeof *y01);
  if (bad < n)
    st = rp_error_set_at(err, RP_EDATA, source, (long)bad + 2, 0, "target \"%s\": value %g is "
                         "neither class of the model (%g, %g)", m->target, y[bad], m->classes[0],
                         m->classes[1]);
  if (st == RP_OK) {
    rp_scores sc = rp_test_scores(m->family, y01, eta, n, work);
    const char *names[3];
    double values[3];
    rp_scores_named(m->family, &sc, names, values);
    fprintf(f, "%s %.6g  %s %.6g  %s %.6g  (n = %zu)\n", names[0], values[0], names[1], values[1],
            names[2], values[2], n);
  }
  free(y01);
  free(work);
  return st;
}

/* The column named "" (R's write.csv row names) is never a feature: its
 * cells, often text, are read past. */
static const char *const row_names_column[] = {""};
static const rp_column_type row_names_type[] = {RP_COLUMN_SKIP};

/* The data may be as wide as the training data, whose limit the model
 * keeps; never below the default, which a narrower model does not lower. */
static rp_csv_options data_limit(const options *o, const rp_model *m) {
  rp_csv_options csv = {.max_line = o->max_line, .type_names = row_names_column,
                        .types = row_names_type, .n_types = 1};
  if (!csv.max_line)
    csv.max_line = m->max_line > RP_CSV_DEFAULT_MAX_LINE ? m->max_line : RP_CSV_DEFAULT_MAX_LINE;
  return csv;
}

static int run(const options *o) {
  rp_error err;
  rp_error_clear(&err);
  rp_model *m = NULL;
  rp_table *t = NULL;
  double *yhat = NULL;
  char *text = NULL;
  size_t len = 0;
  long target = -1;
  rp_status st = rp_model_read(o->model, &m, &err);
  rp_csv_options csv = {.max_line = 0};
  if (st == RP_OK) csv = data_limit(o, m);
  if (st == RP_OK) st = rp_table_read_csv(o->data, &csv, &t, &err);
  if (st == RP_OK && !(yhat = malloc(t->n_rows * sizeof *yhat)))
    st = rp_error_set(&err, RP_ENOMEM, "out of memory for %zu predictions", t->n_rows);
  if (st == RP_OK) st = rp_model_predict(m, t, o->data, yhat, &err);
  if (st == RP_OK) target = rp_table_find(t, m->target);
  if (st == RP_OK) st = predictions_csv(t, target, m, yhat, &text, &len, &err);
  if (st == RP_OK) st = write_predictions(o->output, text, len, &err);
  if (st == RP_OK && target >= 0 && !o->quiet)
    st = print_metrics(o->output ? stdout : stderr, m, rp_table_column(t, (size_t)target), yhat,
                       t->n_rows, o->data, &err);
  free(text);
  free(yhat);
  rp_table_free(t);
  rp_model_free(m);
  return st == RP_OK ? EXIT_OK : cli_fail(&err);
}

int rp_predict_main(int argc, char **argv) {
  options o = {NULL, NULL, NULL, 0, 0};
  int code = parse_args(argc, argv, &o);
  return code < 0 ? run(&o) : code;
}

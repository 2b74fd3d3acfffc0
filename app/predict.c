/* predict.c: `regpath predict`, the predictions of a saved model for the rows
 * of a CSV or svmlight file (see predict.h and usage_text). */
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
#include "regpath.h"
#include "signals.h"

static const char usage_text[] =
    "usage: regpath predict --model FILE --data FILE [--output FILE] [--quiet]\n"
    "                       [--alpha A | --at min|1se|selected]\n"
    "                       [--max-line-bytes N] [--unseen zero]\n"
    "                       [--format csv|svmlight]\n"
    "\n"
    "Predict the target of every row of a CSV file with a model.json written\n"
    "by regpath.  Columns are matched to the model's features by name; other\n"
    "columns are ignored (never parsed).  Categorical columns are encoded and\n"
    "missing values imputed as in training.  An svmlight file (a model trained\n"
    "on one, or a name ending in .svm, .svmlight, .libsvm, with or without .gz)\n"
    "is read with index j as the model's j-th feature, at most its p.\n"
    "\n"
    "options:\n"
    "  -m, --model FILE    the model (model.json)\n"
    "  -d, --data FILE     the CSV file\n"
    "  -o, --output FILE   write the predictions to FILE (all or nothing)\n"
    "                      instead of stdout; '-' is stdout\n"
    "  -q, --quiet         do not print the accuracy\n"
    "  --alpha A           predict at alpha A > 0 of the selected fit's path:\n"
    "                      glmnet's predict(fit, s = A), exact at a grid point,\n"
    "                      linear in alpha between two, the nearest end outside\n"
    "  --at POINT          predict at the CV's min or 1se point of that path, or\n"
    "                      at the selected one (the default)\n"
    "  --max-line-bytes N  the longest CSV record of the data, in bytes (>= 16);\n"
    "                      default: the larger of 1 MiB and the model's\n"
    "                      max_line_bytes (the training's data.max_line_bytes)\n"
    "  --unseen zero       a level of a categorical column not seen in training\n"
    "                      gets all-zero dummies (one warning with the count)\n"
    "                      instead of being an error\n"
    "  --format FORMAT     read the data as csv or svmlight, whatever its name\n"
    "                      and the model's data_format say\n"
    "  -h, --help          this help\n"
    "\n"
    "The predictions are CSV with one row per data row: the id column when the\n"
    "data hold it, the target's own column (its cells as written) when they hold\n"
    "it, a column \"prediction\" (the mean: for binomial the probability of the\n"
    "model's second class, for poisson the expected count; empty for a row with\n"
    "a missing value the model does not impute, counted on stderr), and for\n"
    "binomial a column \"class\" (the label of the second class when the\n"
    "probability is above 1/2).  For multinomial, instead of \"prediction\", a\n"
    "column \"prob_<class>\" per class in the model's classes order (the\n"
    "probabilities, summing to 1), then \"class\" (the most probable class, the\n"
    "first of a tie).  From an svmlight file: the label as the target column,\n"
    "then the same.  Then the accuracy,\n"
    "  mse V  mae V  r2 V  (n = N)                 gaussian\n"
    "  deviance V  accuracy V  auc V  (n = N)      binomial\n"
    "  deviance V  mse V  mae V  (n = N)           poisson\n"
    "  deviance V  accuracy V  mse V  (n = N)      multinomial\n"
    "goes to stderr when the predictions went to stdout, else to stdout.\n"
    "\n"
    "exit codes: 0 success, 2 usage, 3 data error (model, CSV or svmlight), 4\n"
    "numerical failure, 5 I/O error, 6 out of memory.\n";

typedef struct {
  const char *model, *data;
  const char *output; /* NULL = stdout */
  int quiet;
  size_t max_line; /* --max-line-bytes; 0 = from the model */
  int unseen_zero; /* --unseen zero */
  cli_point point; /* --alpha or --at */
  int format;      /* --format: -1 = from the data's name and the model */
} options;

/* long options without a short form */
enum { OPT_MAX_LINE = 256, OPT_UNSEEN, OPT_ALPHA, OPT_AT, OPT_FORMAT };

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
      {"model", required_argument, NULL, 'm'},
      {"data", required_argument, NULL, 'd'},
      {"output", required_argument, NULL, 'o'},
      {"quiet", no_argument, NULL, 'q'},
      {"max-line-bytes", required_argument, NULL, OPT_MAX_LINE},
      {"unseen", required_argument, NULL, OPT_UNSEEN},
      {"alpha", required_argument, NULL, OPT_ALPHA},
      {"at", required_argument, NULL, OPT_AT},
      {"format", required_argument, NULL, OPT_FORMAT},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  int opt, code;
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
      case OPT_UNSEEN:
        if (strcmp(optarg, "zero") != 0 && strcmp(optarg, "error") != 0)
          return cli_usage_error("--unseen: expected zero or error, got ", optarg,
                                 "regpath predict --help");
        o->unseen_zero = strcmp(optarg, "zero") == 0;
        break;
      case OPT_FORMAT:
        if (strcmp(optarg, "csv") != 0 && strcmp(optarg, "svmlight") != 0)
          return cli_usage_error("--format: expected csv or svmlight, got ", optarg,
                                 "regpath predict --help");
        o->format = strcmp(optarg, "svmlight") == 0 ? RP_FORMAT_SVMLIGHT : RP_FORMAT_CSV;
        break;
      case OPT_ALPHA:
      case OPT_AT:
        code = cli_point_option(opt == OPT_ALPHA ? "--alpha" : "--at", optarg, &o->point,
                                "regpath predict --help");
        if (code >= 0) return code;
        break;
      case 'h': fputs(usage_text, stdout); return EXIT_OK;
      case ':':
        return cli_usage_error("missing value for option ", argv[optind - 1],
                               "regpath predict --help");
      default:
        return cli_usage_error("unknown option ", argv[optind - 1], "regpath predict --help");
    }
  }
  if (optind < argc)
    return cli_usage_error("unexpected argument ", argv[optind], "regpath predict --help");
  if (!o->model) return cli_usage_error("--model FILE is required", NULL, "regpath predict --help");
  if (!o->data) return cli_usage_error("--data FILE is required", NULL, "regpath predict --help");
  if (o->output && (!*o->output || o->output[strlen(o->output) - 1] == '/'))
    return cli_usage_error("--output must name a file, got ", o->output, "regpath predict --help");
  return -1;
}

/* Cell i of a text column (read as TEXT), or "" when missing. */
static const char *cell_text(const rp_table *t, long col, size_t i) {
  double v = rp_table_column(t, (size_t)col)[i];
  return isnan(v) ? "" : t->columns[col].levels[(size_t)v];
}

/* The class label (text) of class c. */
static void put_class(FILE *f, const rp_model *m, int c) {
  if (m->classes.labels)
    cli_put_csv_cell(f, m->classes.labels[c]);
  else
    fprintf(f, "%.17g", m->classes.values[c]);
}

/* A multinomial row's end: the K class probabilities (the softmax of its K
 * predictors, eta[c n + i]) and the most probable class, the first of a
 * tie as an argmax takes it; empty cells where the row has no prediction.
 * `work` holds 2K. */
static void put_probabilities(FILE *f, const rp_model *m, const double *eta, size_t n, size_t i,
                              double *work) {
  size_t K = m->classes.n, best = 0;
  double *row = work, *prob = work + K;
  for (size_t c = 0; c < K; c++) row[c] = eta[c * n + i];
  if (isnan(row[0])) {
    for (size_t c = 0; c < K; c++) fputc(',', f);
    fputc('\n', f);
    return;
  }
  rp_multinomial_probabilities(row, K, prob);
  for (size_t c = 0; c < K; c++) {
    fprintf(f, "%.17g,", prob[c]);
    if (prob[c] > prob[best]) best = c;
  }
  cli_put_class_cell(f, &m->classes, best, "");
  fputc('\n', f);
}

/* The end of predictions row i (of n; class c's predictor of a multinomial
 * model at eta[c n + i]): the mean (empty where eta is NaN), and for
 * binomial the class; a multinomial model's put_probabilities (`work`
 * holds 2K there). */
static void put_prediction(FILE *f, const rp_model *m, const double *eta, size_t n, size_t i,
                           double *work) {
  if (m->family == RP_FAMILY_MULTINOMIAL) {
    put_probabilities(f, m, eta, n, i, work);
    return;
  }
  double mu = rp_family_mean(m->family, eta[i]);
  if (!isnan(eta[i])) fprintf(f, "%.17g", mu);
  if (m->family == RP_FAMILY_BINOMIAL) fputc(',', f);
  if (m->family == RP_FAMILY_BINOMIAL && !isnan(eta[i])) put_class(f, m, mu > 0.5);
  fputc('\n', f);
}

/* The header's end: "prediction", and "class" for binomial; for
 * multinomial "prob_<class>" per class (its name as rp_classes_name gives
 * it), then "class". */
static void put_prediction_header(FILE *f, const rp_model *m) {
  if (m->family != RP_FAMILY_MULTINOMIAL) {
    fputs(m->family == RP_FAMILY_BINOMIAL ? "prediction,class\n" : "prediction\n", f);
    return;
  }
  for (size_t c = 0; c < m->classes.n; c++)
    cli_put_class_cell(f, &m->classes, c, "prob_"), fputc(',', f);
  fputs("class\n", f);
}

/* Room for put_prediction's work (2K for a multinomial model), or NULL. */
static double *prediction_work(const rp_model *m) {
  return malloc((m->family == RP_FAMILY_MULTINOMIAL ? 2 * m->classes.n : 1) * sizeof(double));
}

/* The target of row i as a number (binomial, multinomial: its class 0..K-1):
 * 1 when it is one, 0 when the cell is missing, -1 when it is neither. */
static int target_value(const rp_model *m, const char *text, double *y) {
  if (!*text) return 0;
  if (rp_family_has_classes(m->family)) {
    int c = rp_model_class_of(m, text);
    *y = c;
    return c < 0 ? -1 : 1;
  }
  char *end;
  *y = strtod(text, &end);
  return end != text && !*end && isfinite(*y) ? 1 : -1;
}

/* "mse V  mae V  r2 V  (n = N)" (the family's scores: rp_test_scores, or
 * rp_multinomial_test_scores) of the n targets y and linear predictors eta
 * (multinomial: class c's from eta + c n); nothing when n is 0.  `work`
 * holds n. */
static void put_scores(FILE *f, const rp_model *m, const double *y, const double *eta, size_t n,
                       rp_scored *work) {
  if (n == 0) return;
  rp_scores sc = m->family == RP_FAMILY_MULTINOMIAL
                     ? rp_multinomial_test_scores(y, eta, n, m->classes.n)
                     : rp_test_scores(m->family, y, eta, n, work);
  const char *names[3];
  double values[3];
  rp_scores_named(m->family, &sc, names, values);
  fprintf(f, "%s %.6g  %s %.6g  %s %.6g  (n = %zu)\n", names[0], values[0], names[1], values[1],
          names[2], values[2], n);
}

/* The model's classes for a message: "a", "b", "c" (labels) or 1, 2, 3
 * (values), cut short with ", ..." to fit `size` (>= 8) bytes. */
static void class_list(const rp_model *m, char *buf, size_t size) {
  const char *q = m->classes.labels ? "\"" : "";
  size_t len = 0;
  buf[0] = '\0';
  for (size_t c = 0; c < m->classes.n; c++) {
    char name[128];
    rp_classes_name(&m->classes, c, name, sizeof name);
    int w = snprintf(buf + len, size - len, "%s%s%s%s", c ? ", " : "", q, name, q);
    if (w < 0 || len + (size_t)w + 6 > size) {
      snprintf(buf + len, size - len, ", ...");
      return;
    }
    len += (size_t)w;
  }
}

/* The error for row i's target `text`, which is not a number (binomial:
 * neither class; multinomial: no class of the model). */
static rp_status bad_target(const rp_model *m, const char *text, size_t i, const char *source,
                            rp_error *err) {
  char classes[256];
  long line = (long)i + 2;
  if (m->family == RP_FAMILY_MULTINOMIAL) {
    class_list(m, classes, sizeof classes);
    return rp_error_set_at(err, RP_EDATA, source, line, 0,
                           m->classes.labels
                               ? "target \"%s\": value \"%s\" is not a class of the model (%s)"
                               : "target \"%s\": value %s is not a class of the model (%s)",
                           m->target, text, classes);
  }
  if (m->family != RP_FAMILY_BINOMIAL)
    return rp_error_set_at(err, RP_EDATA, source, line, 0,
                           "target \"%s\": value \"%s\" is not a number", m->target, text);
  if (m->classes.labels)
    return rp_error_set_at(err, RP_EDATA, source, line, 0,
                           "target \"%s\": value \"%s\" is "
                           "neither class of the model (\"%s\", \"%s\")",
                           m->target, text, m->classes.labels[0], m->classes.labels[1]);
  return rp_error_set_at(err, RP_EDATA, source, line, 0,
                         "target \"%s\": value %s is neither class of the model (%g, %g)",
                         m->target, text, m->classes.values[0], m->classes.values[1]);
}

/* One line each on stderr: rows with an unseen level (--unseen zero), rows
 * left without a prediction. */
static void say_counts(const rp_model *m, size_t n, size_t n_unseen, size_t n_missing) {
  static const char *const policy[] = {"error", "drop", "mean"};
  char line[256];
  if (n_unseen) {
    snprintf(line, sizeof line,
             "%zu of %zu rows have a level not seen in training: predicted with "
             "all-zero dummies (--unseen zero)",
             n_unseen, n);
    cli_say("warning", line);
  }
  if (n_missing) {
    snprintf(line, sizeof line,
             "%zu of %zu rows have a missing feature value: their prediction is "
             "empty (the model's data.missing is \"%s\")",
             n_missing, n, policy[rp_model_missing(m)]);
    cli_say("warning", line);
  }
}

/* The data may be as wide as the training data, whose limit the model
 * keeps; never below the default, which a narrower model does not lower. */
static size_t data_limit(const options *o, const rp_model *m) {
  if (o->max_line) return o->max_line;
  return m->max_line > RP_CSV_DEFAULT_MAX_LINE ? m->max_line : RP_CSV_DEFAULT_MAX_LINE;
}

/* ------------------------------------------------------------ the output */

/* Where the predictions go, all or nothing: a staged file beside --output,
 * renamed over it once the last row is written; for stdout a temporary
 * file, copied out once the last row is written.  Either way an error in a
 * late row, or a signal, leaves no partial output. */
typedef struct {
  rp_staged_file *staged;
  FILE *f;
} sink;

static rp_status sink_open(const char *output, sink *s, rp_error *err) {
  s->staged = NULL;
  if (output) {
    rp_status st = rp_staged_open(output, &s->staged, err);
    s->f = st == RP_OK ? rp_staged_stream(s->staged) : NULL;
    return st;
  }
  if (!(s->f = tmpfile()))
    return rp_error_set(err, RP_EIO, "cannot make a temporary file for the predictions: %s",
                        strerror(errno));
  return RP_OK;
}

/* The temporary file f's bytes onto stdout. */
static rp_status copy_to_stdout(FILE *f, rp_error *err) {
  char buf[1 << 16];
  size_t got;
  int bad = fflush(f) != 0 || ferror(f) || fseek(f, 0, SEEK_SET) != 0;
  while (!bad && (got = fread(buf, 1, sizeof buf, f)) > 0) bad = fwrite(buf, 1, got, stdout) != got;
  if (bad || ferror(f) || fflush(stdout) != 0)
    return rp_error_set(err, RP_EIO, "cannot write the predictions to stdout: %s", strerror(errno));
  return RP_OK;
}

/* The sink closed after the writes ended with st: when st is RP_OK and no
 * signal came, its file renamed over --output or copied to stdout; else
 * dropped.  st, or the close's error. */
static rp_status sink_close(sink *s, rp_status st, rp_error *err) {
  if (st == RP_OK && *signals_caught()) st = rp_error_set(err, RP_EIO, "interrupted");
  if (s->staged) {
    if (st == RP_OK) return rp_staged_commit(s->staged, err);
    rp_staged_discard(s->staged);
  } else if (s->f) {
    if (st == RP_OK) st = copy_to_stdout(s->f, err);
    fclose(s->f);
  }
  return st;
}

/* ------------------------------------------------------------ svmlight data */

/* x as the shortest decimal that reads back as x: a label as it was most
 * likely written (5.6, not 5.5999999999999996). */
static void number_text(double x, char buf[32]) {
  for (int digits = 15; digits <= 17; digits++) {
    snprintf(buf, 32, "%.*g", digits, x);
    if (strtod(buf, NULL) == x) return;
  }
}

/* The svmlight labels as targets (binomial, multinomial: each one's class,
 * 0..K-1), into y (NULL: only checked); a label that is no class is an
 * error naming its row (the file's rows numbered from row0 + 1), found
 * before its window is written. */
static rp_status label_targets(const rp_model *m, const double *labels, size_t n, size_t row0,
                               const char *source, double *y, rp_error *err) {
  char classes[256];
  for (size_t i = 0; i < n; i++) {
    char text[32];
    double yi = labels[i];
    if (rp_family_has_classes(m->family)) {
      number_text(labels[i], text);
      int c = rp_model_class_of(m, text);
      if (c < 0 && m->family == RP_FAMILY_MULTINOMIAL) {
        class_list(m, classes, sizeof classes);
        return rp_error_set_at(err, RP_EDATA, source, 0, 0,
                               "label %s of row %zu is not a class of the model (%s)", text,
                               row0 + i + 1, classes);
      }
      if (c < 0)
        return rp_error_set_at(err, RP_EDATA, source, 0, 0,
                               "label %s of row %zu is neither class of the model (%g, %g)", text,
                               row0 + i + 1, m->classes.values[0], m->classes.values[1]);
      yi = c;
    }
    if (y) y[i] = yi;
  }
  return RP_OK;
}

/* The header of an svmlight file's predictions as CSV: the model's target
 * name for the label, then put_prediction_header's. */
static void svmlight_header(FILE *f, const rp_model *m) {
  cli_put_csv_cell(f, m->target);
  fputc(',', f);
  put_prediction_header(f, m);
}

/* n rows of predictions: each label, then the prediction as put_prediction
 * writes it. */
static void svmlight_rows(FILE *f, const rp_model *m, const double *labels, const double *eta,
                          size_t n, double *work) {
  for (size_t i = 0; i < n; i++) {
    char label[32];
    number_text(labels[i], label);
    fputs(label, f);
    fputc(',', f);
    put_prediction(f, m, eta, n, i, work);
  }
}

/* One warning line for the lines of `data` whose qid: was ignored. */
static void say_qid(const char *data, size_t n_qid) {
  char line[4400];
  if (!n_qid) return;
  snprintf(line, sizeof line, "%.4096s: qid on %zu line%s ignored (regpath fits no ranking)", data,
           n_qid, n_qid == 1 ? "" : "s");
  cli_say("warning", line);
}

/* How --data is read: --format, else svmlight when its name says so or the
 * model was trained on svmlight (its features are then f1..fp), else CSV. */
static rp_data_format data_format(const options *o, const rp_model *m) {
  if (o->format >= 0) return (rp_data_format)o->format;
  if (rp_data_format_of_name(o->data) == RP_FORMAT_SVMLIGHT) return RP_FORMAT_SVMLIGHT;
  return m->data_format;
}

/* ------------------------------------------------------------ CSV data */

/* The predictions of CSV data, written a window of rows at a time
 * (rp_model_predict_file), so that memory holds one window's rows.  When
 * the data hold the target, the scored rows' targets and K predictors
 * (8 (K + 1) bytes a row) are kept for the scores printed once the
 * predictions are written (put_scores: "mse V  mae V  r2 V  (n = N)" for
 * gaussian, "deviance V  accuracy V  auc V" for binomial, "deviance V  mse V
 * mae V" for poisson, "deviance V  accuracy V  mse V" for multinomial). */
typedef struct {
  const options *o;
  const rp_model *m;
  FILE *f;
  double *work;     /* put_prediction's */
  size_t n_rows;    /* the rows written */
  double *y, *e;    /* the scored rows' targets, and their K predictors each */
  size_t used, cap; /* scored rows; room for */
} csv_writer;

/* Room in w for `more` scored rows. */
static rp_status keep_room(csv_writer *w, size_t more, rp_error *err) {
  size_t K = rp_model_n_predictors(w->m), cap = w->cap ? w->cap : 1024;
  while (cap < w->used + more) cap *= 2;
  if (cap == w->cap) return RP_OK;
  double *y = realloc(w->y, cap * sizeof *y);
  if (y) w->y = y;
  double *e = y ? realloc(w->e, cap * K * sizeof *e) : NULL;
  if (!e) return rp_error_set(err, RP_ENOMEM, "out of memory for %zu scored rows", cap);
  w->e = e, w->cap = cap;
  return RP_OK;
}

/* The targets of a window's rows that have a target and a prediction, with
 * their predictors (class c's of row i at eta[c n + i]), kept.  A target
 * that is not a number (binomial, multinomial: no class of the model) is
 * an error naming its row, found before the window is written. */
static rp_status keep_targets(csv_writer *w, const rp_table *t, long target, const double *eta,
                              rp_error *err) {
  size_t n = t->n_rows, K = rp_model_n_predictors(w->m);
  rp_status st = keep_room(w, n, err);
  if (st != RP_OK) return st;
  for (size_t i = 0; i < n; i++) {
    const char *text = cell_text(t, target, i);
    int got = target_value(w->m, text, &w->y[w->used]);
    if (got < 0) return bad_target(w->m, text, i, w->o->data, err);
    if (got == 0 || isnan(eta[i])) continue;
    for (size_t c = 0; c < K; c++) w->e[w->used * K + c] = eta[c * n + i];
    w->used++;
  }
  return RP_OK;
}

/* A window's predictions: one CSV row per data row, the id (when the data
 * have one) and the target (when they hold it) as their cells were
 * written, then put_prediction's cells; the header before the first. */
static rp_status write_window(void *ctx, const rp_table *t, const double *eta, rp_error *err) {
  csv_writer *w = ctx;
  FILE *f = w->f;
  long id = rp_model_id_column(w->m, t), target = rp_table_find(t, w->m->target);
  if (*signals_caught()) return rp_error_set(err, RP_EIO, "interrupted");
  rp_status st = target >= 0 && !w->o->quiet ? keep_targets(w, t, target, eta, err) : RP_OK;
  if (st == RP_OK && w->n_rows == 0) {
    if (id >= 0) cli_put_csv_cell(f, t->names[id]), fputc(',', f);
    if (target >= 0) cli_put_csv_cell(f, w->m->target), fputc(',', f);
    put_prediction_header(f, w->m);
  }
  for (size_t i = 0; st == RP_OK && i < t->n_rows; i++) {
    if (id >= 0) cli_put_csv_cell(f, cell_text(t, id, i)), fputc(',', f);
    if (target >= 0) cli_put_csv_cell(f, cell_text(t, target, i)), fputc(',', f);
    put_prediction(f, w->m, eta, t->n_rows, i, w->work);
  }
  w->n_rows += t->n_rows;
  if (st == RP_OK && ferror(f))
    st = rp_error_set(err, RP_EIO, "cannot write the predictions: %s", strerror(errno));
  return st;
}

/* The kept rows' scores, on `f`; nothing when no row was scored. */
static rp_status put_kept_scores(csv_writer *w, FILE *f, rp_error *err) {
  size_t n = w->used, K = rp_model_n_predictors(w->m);
  rp_scored *work = malloc((n ? n : 1) * sizeof *work);
  double *e = K > 1 ? malloc(n * K * sizeof *e) : w->e; /* class c's from e + c n */
  if (!work || !e) {
    free(work);
    if (e != w->e) free(e);
    return rp_error_set(err, RP_ENOMEM, "out of memory for the scores of %zu rows", n);
  }
  for (size_t u = 0; K > 1 && u < n; u++)
    for (size_t c = 0; c < K; c++) e[c * n + u] = w->e[u * K + c];
  put_scores(f, w->m, w->y, e, n, work);
  if (e != w->e) free(e);
  free(work);
  return RP_OK;
}

/* A window of svmlight predictions, written as CSV (the header before the
 * first): every line has a label, so (unless --quiet) each row's target and
 * predictors are kept for the scores, as keep_targets keeps a CSV row's. */
static rp_status write_svmlight_window(void *ctx, const double *labels, const double *eta, size_t n,
                                       size_t first_row, rp_error *err) {
  csv_writer *w = ctx;
  size_t K = rp_model_n_predictors(w->m);
  if (*signals_caught()) return rp_error_set(err, RP_EIO, "interrupted");
  int keep = !w->o->quiet;
  rp_status st = keep ? keep_room(w, n, err) : RP_OK;
  if (st == RP_OK)
    st = label_targets(w->m, labels, n, first_row, w->o->data, keep ? w->y + w->used : NULL, err);
  if (st != RP_OK) return st;
  for (size_t i = 0; keep && i < n; i++)
    for (size_t c = 0; c < K; c++) w->e[(w->used + i) * K + c] = eta[c * n + i];
  w->used += keep ? n : 0;
  if (w->n_rows == 0) svmlight_header(w->f, w->m);
  svmlight_rows(w->f, w->m, labels, eta, n, w->work);
  w->n_rows += n;
  if (ferror(w->f))
    return rp_error_set(err, RP_EIO, "cannot write the predictions: %s", strerror(errno));
  return RP_OK;
}

/* The predictions of the --data file, a window at a time, into w's file
 * (*n_qid: an svmlight file's lines with a qid: token). */
static rp_status predict_windows(const options *o, csv_writer *w, size_t *n_unseen,
                                 size_t *n_missing, size_t *n_qid, rp_error *err) {
  size_t limit = data_limit(o, w->m);
  if (data_format(o, w->m) == RP_FORMAT_SVMLIGHT)
    return rp_model_predict_svmlight_file(w->m, o->data, limit, 0, write_svmlight_window, w, n_qid,
                                          err);
  return rp_model_predict_file(w->m, o->data, limit, 0, o->unseen_zero, write_window, w, n_unseen,
                               n_missing, err);
}

static int run(const options *o) {
  rp_error err;
  rp_error_clear(&err);
  rp_model *m = NULL;
  sink out = {NULL, NULL};
  csv_writer w = {o, NULL, NULL, NULL, 0, NULL, NULL, 0, 0};
  size_t n_unseen = 0, n_missing = 0, n_qid = 0;
  signals_enter(SIGNALS_WRITE); /* a signal stops the writes and drops them */
  rp_status st = rp_model_read(o->model, &m, &err);
  if (st == RP_OK) st = cli_point_apply(&o->point, m, &err);
  if (st == RP_OK && !(w.work = prediction_work(m)))
    st = rp_error_set(&err, RP_ENOMEM, "out of memory");
  if (st == RP_OK) st = sink_open(o->output, &out, &err);
  w.m = m, w.f = out.f;
  if (st == RP_OK) st = predict_windows(o, &w, &n_unseen, &n_missing, &n_qid, &err);
  st = sink_close(&out, st, &err);
  signals_exit_if_caught();
  if (st == RP_OK) say_counts(m, w.n_rows, n_unseen, n_missing);
  if (st == RP_OK) say_qid(o->data, n_qid);
  if (st == RP_OK && w.used) st = put_kept_scores(&w, o->output ? stdout : stderr, &err);
  free(w.work), free(w.y), free(w.e);
  rp_model_free(m);
  return st == RP_OK ? EXIT_OK : cli_fail(&err);
}

int rp_predict_main(int argc, char **argv) {
  options o = {NULL, NULL, NULL, 0, 0, 0, {0, 0.0, RP_MODEL_AT_SELECTED}, -1};
  int code = parse_args(argc, argv, &o);
  return code < 0 ? run(&o) : code;
}

/* check_svmlight.c: the svmlight / libsvm reader (lib/svmlight.c): the
 * compressed columns of small files written out by hand, of a long file
 * against a dense copy of what was written, and every malformed line with
 * its position and message. */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <libgen.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "regpath/svmlight.h"
#include "testutil.h"

/* ---------------------------------------------------------------- helpers */

static void remove_temp(const char *path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  ck_assert_int_eq(unlink(path), 0);
  ck_assert_int_eq(rmdir(dirname(dir)), 0);
}

/* `text` written gzip-compressed to a temporary file whose name does not
 * say so (the magic bytes decide).  Returns the path (static). */
static const char *write_gzip(const char *text) {
  static char path[4096];
  snprintf(path, sizeof path, "%s", tu_write_temp("data.txt", ""));
  gzFile gz = gzopen(path, "wb");
  ck_assert_ptr_nonnull(gz);
  ck_assert_int_eq(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
  ck_assert_int_eq(gzclose(gz), Z_OK);
  return path;
}

/* Writes `text` (plain, or gzip when `gzip`), reads it, removes the file. */
static rp_status read_text(const char *text, int gzip, size_t n_features, size_t max_line,
                           rp_svmlight *s, rp_error *err) {
  char path[4096];
  snprintf(path, sizeof path, "%s", gzip ? write_gzip(text) : tu_write_temp("in.svm", text));
  rp_error_clear(err);
  memset(s, 0xA5, sizeof *s); /* the reader must zero it */
  rp_status st = rp_svmlight_read(path, n_features, max_line, s, err);
  remove_temp(path);
  return st;
}

static void read_ok(const char *text, int gzip, size_t n_features, size_t max_line,
                    rp_svmlight *s) {
  rp_error err;
  rp_status st = read_text(text, gzip, n_features, max_line, s, &err);
  ck_assert_msg(st == RP_OK, "unexpected error %d at %ld:%ld: %s", (int)st, err.line, err.column,
                err.message);
}

static void assert_zeroed(const rp_svmlight *s) {
  ck_assert_ptr_null(s->col_start);
  ck_assert_ptr_null(s->row_index);
  ck_assert_ptr_null(s->values);
  ck_assert_ptr_null(s->y);
  ck_assert_uint_eq(s->n + s->p + s->max_index + s->n_qid, 0);
}

/* Reads `text` with n_features and max_line and expects a data error at
 * line:column whose one-line message holds `part`, and *out left zeroed. */
static void expect_error_with(const char *text, size_t n_features, size_t max_line, long line,
                              long column, const char *part) {
  rp_svmlight s;
  rp_error err;
  rp_status st = read_text(text, 0, n_features, max_line, &s, &err);
  ck_assert_msg(st == RP_EDATA, "\"%s\": status %d (%s)", text, (int)st, err.message);
  ck_assert_int_eq(err.status, RP_EDATA);
  ck_assert_msg(strstr(err.message, part) != NULL, "\"%s\" lacks \"%s\"", err.message, part);
  ck_assert_msg(err.line == line && err.column == column, "\"%s\": at %ld:%ld, not %ld:%ld", text,
                err.line, err.column, line, column);
  ck_assert_ptr_null(strchr(err.message, '\n'));
  ck_assert_str_eq(basename(err.file), "in.svm");
  assert_zeroed(&s);
}

static void expect_error(const char *text, long line, long column, const char *part) {
  expect_error_with(text, 0, 0, line, column, part);
}

/* The arrays of *s are exactly these. */
static void assert_columns(const rp_svmlight *s, const size_t *col_start, const uint32_t *rows,
                           const double *values, const double *y) {
  for (size_t j = 0; j <= s->p; j++) ck_assert_uint_eq(s->col_start[j], col_start[j]);
  for (size_t k = 0; k < s->col_start[s->p]; k++) {
    ck_assert_uint_eq(s->row_index[k], rows[k]);
    ck_assert_double_eq(s->values[k], values[k]);
  }
  for (size_t i = 0; i < s->n; i++) ck_assert_double_eq(s->y[i], y[i]);
}

/* ---------------------------------------------------------- a good file */

/* Comments, blank lines, CRLF, tabs, qid, a row without features, explicit
 * zeros (4:0, 4:-0) and a last line without its line end. */
static const char GOOD[] = "# written by hand\n"
                           "1.5 qid:3 1:2 3:-1 # first row\n"
                           "\r\n"
                           "-2\t2:0.5\t4:0\r\n"
                           "   # only a comment\n"
                           "+3 qid:3 1:4 2:1e-3\n"
                           "0\n"
                           "7 3:2.5 4:-0";

/* By hand: column 1 has rows 0 and 2, column 2 rows 1 and 2, column 3
 * rows 0 and 4, column 4 only zeros. */
static const size_t GOOD_START[] = {0, 2, 4, 6, 6};
static const uint32_t GOOD_ROWS[] = {0, 2, 1, 2, 0, 4};
static const double GOOD_VALUES[] = {2, 4, 0.5, 1e-3, -1, 2.5};
static const double GOOD_Y[] = {1.5, -2, 3, 0, 7};

/* GOOD read with p columns, whose starts are col_start (p + 1). */
static void assert_good(const rp_svmlight *s, size_t p, const size_t *col_start) {
  ck_assert_uint_eq(s->n, 5);
  ck_assert_uint_eq(s->p, p);
  ck_assert_uint_eq(s->max_index, 4);
  ck_assert_uint_eq(s->n_qid, 2);
  assert_columns(s, col_start, GOOD_ROWS, GOOD_VALUES, GOOD_Y);
}

START_TEST(good_file_reads_into_exact_columns) {
  rp_svmlight s;
  read_ok(GOOD, 0, 0, 0, &s);
  assert_good(&s, 4, GOOD_START); /* column 4 holds only explicit zeros, yet counts */
  rp_svmlight_free(&s);
  assert_zeroed(&s);
}
END_TEST

START_TEST(gzip_file_reads_as_the_plain_one) {
  rp_svmlight s;
  read_ok(GOOD, 1, 0, 0, &s);
  assert_good(&s, 4, GOOD_START);
  rp_svmlight_free(&s);
}
END_TEST

START_TEST(n_features_above_the_largest_index_pads_empty_columns) {
  static const size_t start[] = {0, 2, 4, 6, 6, 6, 6};
  rp_svmlight s;
  read_ok(GOOD, 0, 6, 0, &s);
  assert_good(&s, 6, start);
  rp_svmlight_free(&s);
}
END_TEST

START_TEST(n_features_equal_to_the_largest_index_is_accepted) {
  rp_svmlight s;
  read_ok(GOOD, 0, 4, 0, &s);
  assert_good(&s, 4, GOOD_START);
  rp_svmlight_free(&s);
}
END_TEST

START_TEST(rows_without_features_give_no_columns) {
  rp_svmlight s;
  read_ok("1\n2 # none\n-3\n", 0, 0, 0, &s);
  ck_assert_uint_eq(s.n, 3);
  ck_assert_uint_eq(s.p, 0);
  ck_assert_uint_eq(s.max_index, 0);
  ck_assert_uint_eq(s.col_start[0], 0);
  ck_assert_double_eq(s.y[2], -3.0);
  rp_svmlight_free(&s);
}
END_TEST

/* ------------------------------------------------------- a long file */

enum { LONG_ROWS = 3000, LONG_P = 7 };

/* Feature j (1-based) of row i: absent (NAN) when (i + j) % 3 == 0, else a
 * whole number in [-5, 5], zero (written, dropped) one time in eleven. */
static double long_value(size_t i, size_t j) {
  if ((i + j) % 3 == 0) return NAN;
  return (double)((i * 7 + j) % 11) - 5.0;
}

/* The rows as text, with comments, CRLF and blank lines here and there, and
 * no line end after the last. */
static char *long_text(void) {
  char *text = malloc((size_t)LONG_ROWS * 80);
  size_t n = 0;
  for (size_t i = 0; i < LONG_ROWS; i++) {
    if (i % 13 == 5) n += (size_t)sprintf(text + n, "\n");
    n += (size_t)sprintf(text + n, "%g", 0.5 * (double)i - 3.0);
    for (size_t j = 1; j <= LONG_P; j++)
      if (!isnan(long_value(i, j))) n += (size_t)sprintf(text + n, " %zu:%g", j, long_value(i, j));
    if (i % 10 == 0) n += (size_t)sprintf(text + n, " #c");
    if (i + 1 < LONG_ROWS) n += (size_t)sprintf(text + n, i % 7 ? "\n" : "\r\n");
  }
  return text;
}

/* Columns straight from long_value, column by column: no sort involved. */
static void assert_long(const rp_svmlight *s) {
  ck_assert_uint_eq(s->n, LONG_ROWS);
  ck_assert_uint_eq(s->p, LONG_P);
  ck_assert_uint_eq(s->max_index, LONG_P);
  ck_assert_uint_eq(s->n_qid, 0);
  size_t k = 0;
  for (size_t j = 1; j <= LONG_P; j++) {
    ck_assert_uint_eq(s->col_start[j - 1], k);
    for (size_t i = 0; i < LONG_ROWS; i++) {
      double v = long_value(i, j);
      if (isnan(v) || v == 0.0) continue;
      ck_assert_uint_eq(s->row_index[k], i);
      ck_assert_double_eq(s->values[k], v);
      k++;
    }
  }
  ck_assert_uint_eq(s->col_start[LONG_P], k);
  for (size_t i = 0; i < LONG_ROWS; i++) ck_assert_double_eq(s->y[i], 0.5 * (double)i - 3.0);
}

/* A 64-byte limit makes the reader refill its buffer hundreds of times,
 * with lines cut at every place by the block boundary. */
START_TEST(long_file_streams_through_a_small_buffer) {
  char *text = long_text();
  for (int gzip = 0; gzip <= 1; gzip++) {
    rp_svmlight s;
    read_ok(text, gzip, 0, 64, &s);
    assert_long(&s);
    rp_svmlight_free(&s);
  }
  free(text);
}
END_TEST

/* ------------------------------------------------------------- windows */

/* The long file read in consecutive windows of `width` bytes (the last
 * running to the end) gives every row once, in order, each window's
 * columns as the whole read's rows; and each window's scan counts its rows
 * and finds its largest index, summing to the whole file's. */
static void assert_windows(const char *path, long long size, long long width) {
  size_t row = 0, scanned = 0, largest = 0;
  for (long long start = 0; start < size; start += width) {
    long long end = start + width < size ? start + width : size + 1;
    rp_svmlight s;
    rp_error err;
    size_t rows, max_index;
    ck_assert_int_eq(rp_svmlight_read_window(path, LONG_P, 64, start, end, &s, &err), RP_OK);
    ck_assert_int_eq(rp_svmlight_scan_window(path, 64, start, end, &rows, &max_index, &err), RP_OK);
    ck_assert_uint_eq(rows, s.n);
    ck_assert_uint_eq(max_index, s.max_index);
    scanned += rows, largest = max_index > largest ? max_index : largest;
    for (size_t j = 1; j <= LONG_P; j++)
      for (size_t k = s.col_start[j - 1]; k < s.col_start[j]; k++)
        ck_assert_double_eq(s.values[k], long_value(row + s.row_index[k], j));
    for (size_t i = 0; i < s.n; i++) ck_assert_double_eq(s.y[i], 0.5 * (double)(row + i) - 3.0);
    row += s.n;
    rp_svmlight_free(&s);
  }
  ck_assert_uint_eq(row, LONG_ROWS);
  ck_assert_uint_eq(scanned, LONG_ROWS);
  ck_assert_uint_eq(largest, LONG_P);
}

START_TEST(windows_read_each_line_once) {
  char *text = long_text(), path[4096];
  snprintf(path, sizeof path, "%s", tu_write_temp("in.svm", text));
  long long size = (long long)strlen(text);
  const long long widths[] = {37, 64, 1000, size};
  for (size_t w = 0; w < sizeof widths / sizeof *widths; w++) assert_windows(path, size, widths[w]);
  remove_temp(path);
  free(text);
}
END_TEST

/* Text damaged at a few bytes by a fixed generator: a byte replaced by one
 * of the format's own (digits, colon, blank, line end, '#', sign, 'e',
 * junk). */
static void damage(char *text, size_t len, unsigned long long *seed, int hits) {
  static const char bytes[] = "0123456789::  \t\n\n#+-e.x";
  for (int h = 0; h < hits && len > 0; h++) {
    *seed = *seed * 6364136223846793005ULL + 1442695040888963407ULL;
    size_t at = (size_t)(*seed >> 33) % len;
    text[at] = bytes[(*seed >> 20) % (sizeof bytes - 1)];
  }
}

/* A file read in windows of 41 bytes reads as the whole file does: the
 * same rows in order when it is good, else the same first error (status,
 * line, column and message) from the window that holds it; and a scan of
 * the windows never fails where the read does not.  Over 400 damaged
 * copies of the long text's first 2,000 bytes. */
START_TEST(windows_report_the_whole_files_first_error) {
  char *text = long_text();
  text[2000] = '\0';
  unsigned long long seed = 7;
  int failed = 0;
  for (int copy = 0; copy < 400; copy++) {
    char bad[2001];
    memcpy(bad, text, 2001);
    damage(bad, 2000, &seed, 1 + copy % 4);
    const char *path = tu_write_temp("in.svm", bad);
    long long size = (long long)strlen(bad);
    rp_svmlight whole, part;
    rp_error whole_err, err;
    rp_status want = rp_svmlight_read_window(path, 0, 64, 0, 0, &whole, &whole_err);
    rp_status got = RP_OK;
    size_t rows = 0, scanned = 0, n, max_index;
    for (long long start = 0; got == RP_OK && start < size; start += 41) {
      long long end = start + 41 < size ? start + 41 : size + 1;
      got = rp_svmlight_read_window(path, 0, 64, start, end, &part, &err);
      if (got == RP_OK && want == RP_OK) ck_assert_uint_le(rows + part.n, whole.n);
      for (size_t i = 0; got == RP_OK && want == RP_OK && i < part.n; i++)
        ck_assert_double_eq(part.y[i], whole.y[rows + i]);
      rows += part.n;
      rp_svmlight_free(&part);
      if (got == RP_OK)
        ck_assert_int_eq(rp_svmlight_scan_window(path, 64, start, end, &n, &max_index, &err),
                         RP_OK);
      scanned += got == RP_OK ? n : 0;
    }
    ck_assert_msg(got == want, "copy %d: %d in windows, %d whole", copy, got, want);
    if (want == RP_OK) {
      ck_assert_uint_eq(rows, whole.n);
      ck_assert_uint_eq(scanned, whole.n);
    } else {
      failed++;
      ck_assert_msg(err.line == whole_err.line && err.column == whole_err.column &&
                        strcmp(err.message, whole_err.message) == 0,
                    "copy %d: %ld:%ld %s in windows, %ld:%ld %s whole", copy, err.line, err.column,
                    err.message, whole_err.line, whole_err.column, whole_err.message);
    }
    rp_svmlight_free(&whole);
    remove_temp(path);
  }
  ck_assert_msg(failed > 100 && failed < 400, "%d of 400 damaged copies failed", failed);
  free(text);
}
END_TEST

/* A scan of a whole file, plain or gzip: GOOD's rows (a line of only a
 * comment or blanks is none) and largest index, its qid: tokens no index;
 * a window of a gzip file starts at 0; a window of a later line's error is
 * named at the file's line. */
START_TEST(scan_counts_rows_and_finds_the_largest_index) {
  for (int gzip = 0; gzip <= 1; gzip++) {
    char path[4096];
    snprintf(path, sizeof path, "%s", gzip ? write_gzip(GOOD) : tu_write_temp("in.svm", GOOD));
    size_t rows = 9, max_index = 9;
    rp_error err;
    ck_assert_int_eq(rp_svmlight_scan_window(path, 0, 0, 0, &rows, &max_index, &err), RP_OK);
    ck_assert_uint_eq(rows, 5);
    ck_assert_uint_eq(max_index, 4);
    ck_assert_int_eq(rp_svmlight_scan_window(path, 0, 5, 0, &rows, &max_index, &err), RP_OK);
    ck_assert_int_eq(rp_svmlight_scan_window(path, 0, 5, 40, &rows, &max_index, &err),
                     gzip ? RP_EDATA : RP_OK);
    remove_temp(path);
  }
  const char *path = tu_write_temp("in.svm", "1 1:1\n2 2:2\n3 3:3 7:1 # a long comment\n4 4:4\n");
  rp_svmlight s;
  rp_error err;
  ck_assert_int_eq(rp_svmlight_read_window(path, 3, 0, 14, 0, &s, &err), RP_EDATA);
  ck_assert_int_eq(err.line, 3); /* 7:1 above n_features 3, in the window from byte 14 */
  ck_assert_int_eq(err.column, 7);
  remove_temp(path);
}
END_TEST

/* ----------------------------------------------------------- line limit */

/* The limit counts the line end (its CR too), as the CSV reader's does. */
START_TEST(line_of_exactly_max_line_bytes_is_accepted) {
  rp_svmlight s;
  read_ok("1 1:1 2:1 3:1.5\n", 0, 0, 16, &s); /* 15 bytes and LF */
  ck_assert_double_eq(s.values[2], 1.5);
  rp_svmlight_free(&s);
  read_ok("1 1:1\n1 1:1 2:1 3:1.25", 0, 0, 16, &s); /* a last line of 16 without LF */
  ck_assert_double_eq(s.values[3], 1.25);
  rp_svmlight_free(&s);
}
END_TEST

START_TEST(line_longer_than_max_line_is_an_error_naming_it) {
  expect_error_with("1 1:1\n1 1:1 2:1 3:1.25\n", 0, 16, 2, 0, "line longer than 16 bytes");
  expect_error_with("1 1:1\n1 1:1 2:1 3:1.5\r\n", 0, 16, 2, 0, "line longer than 16 bytes");
  expect_error_with("1 1:1\n\n1 1:1 2:1 3:1.255", 0, 16, 3, 0, "data.max_line_bytes");
}
END_TEST

/* ------------------------------------------------------- malformed lines */

START_TEST(feature_without_value_is_an_error) {
  expect_error("1 1:2\n2 1:1 12:\n", 2, 7, "\"12:\" has no value after the colon");
}
END_TEST

START_TEST(feature_without_index_is_an_error) {
  expect_error("1 :3\n", 1, 3, "\":3\" has no index before the colon");
}
END_TEST

START_TEST(index_zero_is_an_error) { expect_error("1 0:1\n", 1, 3, "indices are 1-based"); }
END_TEST

START_TEST(index_that_is_not_a_positive_integer_is_an_error) {
  expect_error("1 a:1\n", 1, 3, "feature index \"a\" is not a positive integer");
  expect_error("1 1:1 1.5:2\n", 1, 7, "feature index \"1.5\" is not a positive integer");
  expect_error("1 +2:1\n", 1, 3, "feature index \"+2\" is not a positive integer");
  expect_error("1 -2:1\n", 1, 3, "feature index \"-2\" is not a positive integer");
}
END_TEST

START_TEST(index_too_large_to_count_is_an_error) {
  expect_error("1 99999999999999999999999:1\n", 1, 3, "is too large");
}
END_TEST

START_TEST(decreasing_index_is_an_error) {
  expect_error("1 3:1 2:1\n", 1, 7, "feature index 2 after 3: indices must increase");
}
END_TEST

START_TEST(repeated_index_is_an_error) {
  expect_error("1 2:1 2:3\n", 1, 7, "feature index 2 repeated");
}
END_TEST

START_TEST(non_finite_value_is_an_error) {
  expect_error("1 3:nan\n", 1, 3, "not a finite number \"nan\" as the value of feature 3");
  expect_error("1 3:inf\n", 1, 3, "not a finite number \"inf\"");
  expect_error("1 3:-Infinity\n", 1, 3, "not a finite number \"-Infinity\"");
  expect_error("1 3:1e999\n", 1, 3, "not a finite number \"1e999\"");
}
END_TEST

START_TEST(value_with_trailing_junk_is_an_error) {
  expect_error("1 3:1.5x\n", 1, 3, "non-numeric value \"1.5x\" of feature 3");
  expect_error("1 3:1.5:2\n", 1, 3, "non-numeric value \"1.5:2\" of feature 3");
  expect_error("1 3:0x10\n", 1, 3, "non-numeric value \"0x10\"");
}
END_TEST

START_TEST(missing_label_is_an_error) {
  expect_error("1 1:1\n1:2 3:4\n", 2, 1, "missing label: the line starts with \"1:2\"");
  expect_error("  qid:1 1:2\n", 1, 3, "missing label");
}
END_TEST

START_TEST(non_numeric_label_is_an_error) {
  expect_error("abc 1:2\n", 1, 1, "non-numeric label \"abc\"");
  expect_error("1,5 1:2\n", 1, 1, "non-numeric label \"1,5\"");
}
END_TEST

START_TEST(non_finite_label_is_an_error) {
  expect_error("nan 1:2\n", 1, 1, "not a finite number \"nan\" as the label");
  expect_error("\t-1e999 1:2\n", 1, 2, "not a finite number \"-1e999\" as the label");
}
END_TEST

START_TEST(token_without_colon_after_the_label_is_an_error) {
  expect_error("1 2 3:4\n", 1, 3, "\"2\" has no colon");
}
END_TEST

START_TEST(index_above_n_features_is_an_error) {
  expect_error_with("1 1:1\n2 2:1 4:1\n", 3, 0, 2, 7, "the training data has only 3 features");
}
END_TEST

START_TEST(malformed_qid_is_an_error) {
  expect_error("1 qid:x 1:2\n", 1, 3, "\"qid:x\" is not qid:<non-negative integer>");
  expect_error("1 qid: 1:2\n", 1, 3, "is not qid:");
  expect_error("1 qid:-1 1:2\n", 1, 3, "is not qid:");
  expect_error("1 1:2 qid:3\n", 1, 7, "\"qid:3\" must come right after the label");
  expect_error("1 qid:1 qid:2 1:2\n", 1, 9, "must come right after the label");
}
END_TEST

START_TEST(empty_file_has_no_data_rows) { expect_error("", 0, 0, "no data rows"); }
END_TEST

START_TEST(file_of_comments_and_blank_lines_has_no_data_rows) {
  expect_error("# c\n\n  \t\n# d\r\n", 0, 0, "no data rows");
}
END_TEST

/* Skipped lines, CRLF and leading blanks still count for the position. */
START_TEST(position_counts_physical_lines_and_bytes) {
  expect_error("# head\r\n\r\n1 1:1 # ok\r\n\t2 1:x\r\n", 4, 4, "non-numeric value \"x\"");
}
END_TEST

START_TEST(long_token_is_shown_cut) {
  char text[256];
  snprintf(text, sizeof text, "1 1:%0100d\n", 7);
  text[10] = 'y'; /* a non-digit among the 100 */
  rp_svmlight s;
  rp_error err;
  ck_assert_int_eq(read_text(text, 0, 0, 0, &s, &err), RP_EDATA);
  ck_assert_ptr_nonnull(strstr(err.message, "non-numeric value \"000000y000"));
  ck_assert_uint_lt(strlen(err.message), 150);
}
END_TEST

/* -------------------------------------------------------------- the rest */

START_TEST(truncated_gzip_is_a_data_error) {
  char path[4096];
  snprintf(path, sizeof path, "%s", write_gzip(GOOD));
  ck_assert_int_eq(truncate(path, 20), 0);
  rp_svmlight s;
  rp_error err;
  ck_assert_int_eq(rp_svmlight_read(path, 0, 0, &s, &err), RP_EDATA);
  ck_assert_ptr_nonnull(strstr(err.message, "gzip file"));
  assert_zeroed(&s);
  remove_temp(path);
}
END_TEST

START_TEST(missing_file_is_io_error) {
  rp_svmlight s;
  rp_error err;
  ck_assert_int_eq(rp_svmlight_read("/nonexistent/x.svm", 0, 0, &s, &err), RP_EIO);
  ck_assert_str_eq(err.file, "/nonexistent/x.svm");
  assert_zeroed(&s);
}
END_TEST

START_TEST(null_arguments_are_invalid_and_free_is_harmless) {
  rp_svmlight s = {0};
  rp_error err;
  ck_assert_int_eq(rp_svmlight_read(NULL, 0, 0, &s, &err), RP_EINVAL);
  ck_assert_int_eq(rp_svmlight_read("x.svm", 0, 0, NULL, &err), RP_EINVAL);
  ck_assert_int_eq(rp_svmlight_read(NULL, 0, 0, &s, NULL), RP_EINVAL);
  rp_svmlight_free(&s);
  rp_svmlight_free(NULL);
  assert_zeroed(&s);
}
END_TEST

static Suite *svmlight_suite(void) {
  Suite *s = suite_create("svmlight");
  TCase *tc = tcase_create("svmlight");
  tcase_add_test(tc, good_file_reads_into_exact_columns);
  tcase_add_test(tc, gzip_file_reads_as_the_plain_one);
  tcase_add_test(tc, n_features_above_the_largest_index_pads_empty_columns);
  tcase_add_test(tc, n_features_equal_to_the_largest_index_is_accepted);
  tcase_add_test(tc, rows_without_features_give_no_columns);
  tcase_add_test(tc, long_file_streams_through_a_small_buffer);
  tcase_add_test(tc, windows_read_each_line_once);
  tcase_add_test(tc, scan_counts_rows_and_finds_the_largest_index);
  tcase_add_test(tc, windows_report_the_whole_files_first_error);
  tcase_add_test(tc, line_of_exactly_max_line_bytes_is_accepted);
  tcase_add_test(tc, line_longer_than_max_line_is_an_error_naming_it);
  tcase_add_test(tc, feature_without_value_is_an_error);
  tcase_add_test(tc, feature_without_index_is_an_error);
  tcase_add_test(tc, index_zero_is_an_error);
  tcase_add_test(tc, index_that_is_not_a_positive_integer_is_an_error);
  tcase_add_test(tc, index_too_large_to_count_is_an_error);
  tcase_add_test(tc, decreasing_index_is_an_error);
  tcase_add_test(tc, repeated_index_is_an_error);
  tcase_add_test(tc, non_finite_value_is_an_error);
  tcase_add_test(tc, value_with_trailing_junk_is_an_error);
  tcase_add_test(tc, missing_label_is_an_error);
  tcase_add_test(tc, non_numeric_label_is_an_error);
  tcase_add_test(tc, non_finite_label_is_an_error);
  tcase_add_test(tc, token_without_colon_after_the_label_is_an_error);
  tcase_add_test(tc, index_above_n_features_is_an_error);
  tcase_add_test(tc, malformed_qid_is_an_error);
  tcase_add_test(tc, empty_file_has_no_data_rows);
  tcase_add_test(tc, file_of_comments_and_blank_lines_has_no_data_rows);
  tcase_add_test(tc, position_counts_physical_lines_and_bytes);
  tcase_add_test(tc, long_token_is_shown_cut);
  tcase_add_test(tc, truncated_gzip_is_a_data_error);
  tcase_add_test(tc, missing_file_is_io_error);
  tcase_add_test(tc, null_arguments_are_invalid_and_free_is_harmless);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(svmlight_suite()); }

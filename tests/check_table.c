/* check_table.c: the CSV reader (lib/table.c, lib/csv_*.c, regpath/table.h). */
#define _POSIX_C_SOURCE 200809L
#include <check.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <unistd.h>
#include <zlib.h>

#include "regpath/table.h"
#include "csv_input.h"
#include "testutil.h"

/* ---------------------------------------------------------------- helpers */

/* Writes `text` to a temporary file, reads it with `opt`, removes the file. */
static rp_status read_text(const char *text, const rp_csv_options *opt, rp_table **t,
                           rp_error *err) {
  char path[4096], dir[4096];
  snprintf(path, sizeof path, "%s", tu_write_temp("in.csv", text));
  snprintf(dir, sizeof dir, "%s", path);
  rp_error_clear(err);
  *t = (rp_table *)(void *)&dir; /* must be reset to NULL on error */
  rp_status st = rp_table_read_csv(path, opt, t, err);
  ck_assert_int_eq(unlink(path), 0);
  ck_assert_int_eq(rmdir(dirname(dir)), 0);
  return st;
}

static rp_table *read_ok(const char *text) {
  rp_table *t;
  rp_error err;
  rp_status st = read_text(text, NULL, &t, &err);
  ck_assert_msg(st == RP_OK, "unexpected error %d: %s", (int)st, err.message);
  ck_assert_ptr_nonnull(t);
  return t;
}

/* Reads `text`, expects a data error at line:column whose message contains
 * `part` (and `part2` unless NULL). */
static void expect_error(const char *text, const rp_csv_options *opt, long line, long column,
                         const char *part, const char *part2) {
  rp_table *t;
  rp_error err;
  rp_status st = read_text(text, opt, &t, &err);
  ck_assert_int_eq(st, RP_EDATA);
  ck_assert_int_eq(err.status, RP_EDATA);
  ck_assert_ptr_null(t);
  ck_assert_msg(strstr(err.message, part) != NULL, "\"%s\" lacks \"%s\"", err.message, part);
  if (part2)
    ck_assert_msg(strstr(err.message, part2) != NULL, "\"%s\" lacks \"%s\"", err.message, part2);
  ck_assert_int_eq(err.line, line);
  ck_assert_int_eq(err.column, column);
  ck_assert_ptr_null(strchr(err.message, '\n'));
}

static void check_names(const rp_table *t, const char *const *names, size_t n) {
  ck_assert_uint_eq(t->n_cols, n);
  for (size_t j = 0; j < n; j++) ck_assert_str_eq(t->names[j], names[j]);
}

/* Value at row i, column j, through the documented column-major layout. */
static double at(const rp_table *t, size_t i, size_t j) { return t->values[j * t->n_rows + i]; }

/* ---------------------------------------------------------------- dialect */

START_TEST(reads_comma_delimited) {
  rp_table *t = read_ok("a,b,c\n1,2,3\n4,5,6\n");
  const char *names[] = {"a", "b", "c"};
  check_names(t, names, 3);
  ck_assert_uint_eq(t->n_rows, 2);
  ck_assert_double_eq(at(t, 0, 0), 1.0);
  ck_assert_double_eq(at(t, 1, 2), 6.0);
  rp_table_free(t);
}
END_TEST

START_TEST(reads_semicolon_delimited) {
  rp_table *t = read_ok("a;b\n1.5;2\n3;4.25\n");
  const char *names[] = {"a", "b"};
  check_names(t, names, 2);
  ck_assert_double_eq(at(t, 0, 0), 1.5);
  ck_assert_double_eq(at(t, 1, 1), 4.25);
  rp_table_free(t);
}
END_TEST

START_TEST(reads_tab_delimited) {
  rp_table *t = read_ok("a\tb c\n1\t 2 \n");
  const char *names[] = {"a", "b c"};
  check_names(t, names, 2);
  ck_assert_double_eq(at(t, 0, 1), 2.0);
  rp_table_free(t);
}
END_TEST

START_TEST(detects_delimiter_outside_quotes_only) {
  rp_table *t = read_ok("\"a;b\",c\n1,2\n");
  const char *names[] = {"a;b", "c"};
  check_names(t, names, 2);
  rp_table_free(t);
}
END_TEST

START_TEST(takes_first_delimiter_found) {
  rp_table *t = read_ok("a;b,c;d\n1;2;3\n");
  const char *names[] = {"a", "b,c", "d"};
  check_names(t, names, 3);
  rp_table_free(t);
}
END_TEST

START_TEST(reads_quoted_name_with_comma) {
  rp_table *t = read_ok("\"x, y\",z\n1,2\n");
  const char *names[] = {"x, y", "z"};
  check_names(t, names, 2);
  rp_table_free(t);
}
END_TEST

START_TEST(reads_quoted_name_with_doubled_quotes) {
  rp_table *t = read_ok("\"say \"\"hi\"\"\",\"\"\"\"\n1,2\n");
  const char *names[] = {"say \"hi\"", "\""};
  check_names(t, names, 2);
  rp_table_free(t);
}
END_TEST

START_TEST(keeps_blanks_inside_quotes_and_trims_outside) {
  rp_table *t = read_ok("  a b  , \" c \" ,d\n1,2,3\n");
  const char *names[] = {"a b", " c ", "d"};
  check_names(t, names, 3);
  rp_table_free(t);
}
END_TEST

START_TEST(strips_utf8_bom) {
  rp_table *t = read_ok("\xEF\xBB\xBF"
                        "a,b\n1,2\n");
  const char *names[] = {"a", "b"};
  check_names(t, names, 2);
  ck_assert_int_eq(rp_table_find(t, "a"), 0);
  rp_table_free(t);
}
END_TEST

START_TEST(accepts_crlf_line_ends) {
  rp_table *t = read_ok("a,b\r\n1,2\r\n3,4\r\n");
  const char *names[] = {"a", "b"};
  check_names(t, names, 2);
  ck_assert_uint_eq(t->n_rows, 2);
  ck_assert_double_eq(at(t, 1, 1), 4.0);
  rp_table_free(t);
}
END_TEST

START_TEST(accepts_last_line_without_newline) {
  rp_table *t = read_ok("a,b\n1,2\n3,4");
  ck_assert_uint_eq(t->n_rows, 2);
  ck_assert_double_eq(at(t, 1, 1), 4.0);
  rp_table_free(t);
}
END_TEST

START_TEST(ignores_trailing_blank_lines) {
  rp_table *t = read_ok("a,b\n1,2\n\n\r\n\n");
  ck_assert_uint_eq(t->n_rows, 1);
  rp_table_free(t);
}
END_TEST

START_TEST(reads_one_column_file) {
  rp_table *t = read_ok("y\n1\n2\n3\n");
  const char *names[] = {"y"};
  check_names(t, names, 1);
  ck_assert_uint_eq(t->n_rows, 3);
  ck_assert_double_eq(at(t, 2, 0), 3.0);
  rp_table_free(t);
}
END_TEST

/* ------------------------------------------------------------------ values */

START_TEST(parses_exponents_signs_and_blanks) {
  rp_table *t = read_ok("v\n1e3\n-2.5E-2\n+4\n  7 \n\t.5\t\n-0\n1.\n");
  const double want[] = {1e3, -2.5e-2, 4.0, 7.0, 0.5, -0.0, 1.0};
  ck_assert_uint_eq(t->n_rows, 7);
  for (size_t i = 0; i < 7; i++) ck_assert_double_eq(at(t, i, 0), want[i]);
  ck_assert(signbit(at(t, 5, 0)));
  rp_table_free(t);
}
END_TEST

/* x written in printf conversion `conv` ('+' for %+f) at precision prec. */
static void write_number(char *cell, size_t size, char conv, int prec, double x) {
  switch (conv) {
    case 'f': snprintf(cell, size, "%.*f", prec, x); break;
    case '+': snprintf(cell, size, "%+.*f", prec, x); break;
    case 'e': snprintf(cell, size, "%.*e", prec, x); break;
    case 'E': snprintf(cell, size, "%.*E", prec, x); break;
    default: snprintf(cell, size, "%.*g", prec, x);
  }
}

/* Every value, whichever way it is written, is strtod's (the correctly
 * rounded double), bit for bit: short decimals (which the reader converts
 * by itself), long ones, large and small exponents, leading zeros. */
START_TEST(reads_every_number_as_strtod_does) {
  static const char convs[] = {'f', 'f', 'g', 'g', 'g', 'g', 'e', 'E', '+', 'f'};
  static const int precs[] = {1, 4, 10, 15, 16, 17, 3, 14, 9, 22};
  enum { N_FORMATS = sizeof precs / sizeof *precs, ROWS = 4000 };
  size_t cap = 64 + (size_t)ROWS * N_FORMATS * 48, len = 0;
  char *text = malloc(cap), cell[64];
  double want[ROWS][N_FORMATS];
  ck_assert_ptr_nonnull(text);
  for (size_t f = 0; f < N_FORMATS; f++)
    len += (size_t)snprintf(text + len, cap - len, f ? ",c%zu" : "c%zu", f);
  text[len++] = '\n';
  unsigned long long state = 88172645463325252ULL;
  for (size_t i = 0; i < ROWS; i++) {
    for (size_t f = 0; f < N_FORMATS; f++) {
      state ^= state << 13, state ^= state >> 7, state ^= state << 17; /* xorshift64 */
      double mantissa = (double)(state >> 11) / 9007199254740992.0 - 0.5;
      double x = ldexp(mantissa, (int)(state % 97) - 48);
      write_number(cell, sizeof cell, convs[f], precs[f], i % 7 == 3 ? 1e21 * x : x);
      want[i][f] = strtod(cell, NULL);
      len += (size_t)snprintf(text + len, cap - len, f ? ",%s" : "%s", cell);
    }
    text[len++] = '\n';
  }
  text[len] = '\0';
  rp_table *t = read_ok(text);
  free(text);
  ck_assert_uint_eq(t->n_rows, ROWS);
  for (size_t i = 0; i < ROWS; i++)
    for (size_t f = 0; f < N_FORMATS; f++)
      ck_assert_msg(memcmp(&want[i][f], &t->values[f * ROWS + i], sizeof(double)) == 0,
                    "row %zu, format %zu: %.17g, strtod %.17g", i, f, t->values[f * ROWS + i],
                    want[i][f]);
  rp_table_free(t);
}
END_TEST

START_TEST(accepts_underflow_to_denormal_or_zero) {
  rp_table *t = read_ok("v\n4e-320\n1e-400\n");
  ck_assert(at(t, 0, 0) > 0.0 && at(t, 0, 0) < 1e-300);
  ck_assert_double_eq(at(t, 1, 0), 0.0);
  rp_table_free(t);
}
END_TEST

START_TEST(accepts_quoted_numbers) {
  rp_table *t = read_ok("a,b\n\"1.5\", \" 2 \"\n");
  ck_assert_double_eq(at(t, 0, 0), 1.5);
  ck_assert_double_eq(at(t, 0, 1), 2.0);
  rp_table_free(t);
}
END_TEST

START_TEST(stores_columns_contiguously) {
  rp_table *t = read_ok("a,b,c\n1,2,3\n4,5,6\n7,8,9\n");
  const double want[] = {1, 4, 7, 2, 5, 8, 3, 6, 9};
  ck_assert_uint_eq(t->n_rows, 3);
  for (size_t k = 0; k < 9; k++) ck_assert_double_eq(t->values[k], want[k]);
  ck_assert_ptr_eq(rp_table_column(t, 1), t->values + 3);
  ck_assert_double_eq(rp_table_column(t, 2)[0], 3.0);
  rp_table_free(t);
}
END_TEST

/* Enough rows to force several capacity doublings of a multi-column table. */
START_TEST(keeps_values_in_place_across_growth) {
  size_t n = 20000, len = 0, cap = 64 + n * 40;
  char *text = malloc(cap);
  ck_assert_ptr_nonnull(text);
  len += (size_t)snprintf(text, cap, "i,neg,half\n");
  for (size_t i = 0; i < n; i++)
    len += (size_t)snprintf(text + len, cap - len, "%zu,-%zu,%zu.5\n", i, i, i);
  rp_table *t = read_ok(text);
  free(text);
  ck_assert_uint_eq(t->n_rows, n);
  for (size_t i = 0; i < n; i++) {
    ck_assert_double_eq(at(t, i, 0), (double)i);
    ck_assert_double_eq(at(t, i, 1), -(double)i);
    ck_assert_double_eq(at(t, i, 2), (double)i + 0.5);
  }
  rp_table_free(t);
}
END_TEST

/* --------------------------------------------------------------- accessors */

START_TEST(find_returns_index_or_minus_one) {
  rp_table *t = read_ok("age,bmi,Bmi\n1,2,3\n");
  ck_assert_int_eq(rp_table_find(t, "bmi"), 1);
  ck_assert_int_eq(rp_table_find(t, "Bmi"), 2);
  ck_assert_int_eq(rp_table_find(t, "BMI"), -1);
  ck_assert_int_eq(rp_table_find(t, "bm"), -1);
  rp_table_free(t);
}
END_TEST

/* Names are compared as regpath writes them (invalid UTF-8 as U+FFFD), so
 * that the cleaned names of a model.json find the Latin-1 columns they came
 * from; the table itself keeps the bytes of the file. */
START_TEST(find_compares_names_as_written) {
  rp_table *t = read_ok("caf\xe9,x\x9by,y\n1,2,3\n");
  ck_assert_int_eq(rp_table_find(t, "caf\xe9"), 0);
  ck_assert_int_eq(rp_table_find(t, "caf\xef\xbf\xbd"), 0);
  ck_assert_int_eq(rp_table_find(t, "x\xef\xbf\xbdy"), 1);
  ck_assert_int_eq(rp_table_find(t, "caf"), -1);
  ck_assert_int_eq(rp_table_find(t, "cafe"), -1);
  ck_assert_int_eq(rp_table_find(t, "xy"), -1);
  ck_assert_str_eq(t->names[0], "caf\xe9");
  rp_table_free(t);
}
END_TEST

START_TEST(column_out_of_range_is_null) {
  rp_table *t = read_ok("a,b\n1,2\n");
  ck_assert_ptr_nonnull(rp_table_column(t, 1));
  ck_assert_ptr_null(rp_table_column(t, 2));
  rp_table_free(t);
}
END_TEST

START_TEST(free_null_is_harmless) {
  rp_table_free(NULL);
  ck_assert_int_eq(rp_table_find(NULL, "a"), -1);
}
END_TEST

/* ------------------------------------------------------------- cell errors */

START_TEST(rejects_non_numeric_with_line_and_column) {
  expect_error("a,bmi\n1,2\n3,abc\n", NULL, 3, 3, "non-numeric cell \"abc\"", "column \"bmi\"");
}
END_TEST

START_TEST(rejects_empty_cell_with_line_and_column) {
  expect_error("a,bmi,c\n1,2,3\n4,,6\n", NULL, 3, 3, "empty cell", "column \"bmi\"");
}
END_TEST

START_TEST(rejects_blank_cell_as_empty) {
  expect_error("a;bmi\n1;   \n", NULL, 2, 3, "empty cell", "column \"bmi\"");
}
END_TEST

START_TEST(rejects_empty_last_cell) {
  expect_error("a,bmi\n1,\n", NULL, 2, 3, "empty cell", "column \"bmi\"");
}
END_TEST

START_TEST(rejects_nan_with_line_and_column) {
  expect_error("a,bmi\n1,2\n3, nan\n", NULL, 3, 3, "not a finite number", "column \"bmi\"");
}
END_TEST

START_TEST(rejects_every_spelling_of_nan_and_inf) {
  const char *bad[] = {"NaN", "nan", "inf", "-inf", "Inf", "Infinity", "-INFINITY", "nan(1)"};
  for (size_t k = 0; k < sizeof bad / sizeof *bad; k++) {
    char text[64];
    snprintf(text, sizeof text, "x,y\n1,%s\n", bad[k]);
    expect_error(text, NULL, 2, 3, "not a finite number", "column \"y\"");
  }
}
END_TEST

START_TEST(rejects_overflow_to_infinity) {
  expect_error("x,y\n1,1e999\n", NULL, 2, 3, "not a finite number \"1e999\"", "column \"y\"");
  expect_error("x,y\n-1e400,1\n", NULL, 2, 1, "not a finite number", "column \"x\"");
}
END_TEST

START_TEST(rejects_hexadecimal) {
  expect_error("x\n0x10\n", NULL, 2, 1, "non-numeric cell \"0x10\"", "column \"x\"");
}
END_TEST

START_TEST(rejects_trailing_junk_after_number) {
  expect_error("x,y\n1,2kg\n", NULL, 2, 3, "non-numeric cell \"2kg\"", "column \"y\"");
  expect_error("x,y\n1,2 3\n", NULL, 2, 3, "non-numeric cell \"2 3\"", NULL);
}
END_TEST

START_TEST(rejects_stray_carriage_return) {
  expect_error("x,y\n1\r,2\n", NULL, 2, 1, "non-numeric cell", "column \"x\"");
}
END_TEST

/* -------------------------------------------------------------- row errors */

START_TEST(rejects_row_with_too_few_cells) {
  expect_error("a,b,c,d\n1,2,3,4\n1,2,3\n", NULL, 3, 6, "row has 3 cells, header has 4", NULL);
}
END_TEST

START_TEST(rejects_row_with_too_many_cells) {
  expect_error("a,b\n1,2\n1,2,3,4\n", NULL, 3, 5, "row has 4 cells, header has 2", NULL);
}
END_TEST

START_TEST(rejects_empty_line_between_rows) {
  expect_error("a,b\n1,2\n\n3,4\n", NULL, 3, 0, "empty line", NULL);
  expect_error("a,b\r\n1,2\r\n\r\n\r\n3,4\r\n", NULL, 3, 0, "empty line", NULL);
}
END_TEST

START_TEST(rejects_empty_line_in_one_column_file) {
  expect_error("y\n1\n\n2\n", NULL, 3, 0, "empty line", NULL);
}
END_TEST

START_TEST(counts_columns_after_crlf_and_bom_the_same) {
  expect_error("\xEF\xBB\xBF"
               "a,,b\r\n",
               NULL, 1, 3, "empty column name in column 2", NULL);
  expect_error("a,b\r\n1,x\r\n", NULL, 2, 3, "non-numeric cell \"x\"", NULL);
}
END_TEST

/* ---------------------------------------------------------- quoting errors */

START_TEST(rejects_unterminated_quote_in_header) {
  expect_error("a,\"b\n1,2\n", NULL, 1, 3, "unterminated quoted field", "column 2");
}
END_TEST

START_TEST(rejects_unterminated_quote_in_cell) {
  expect_error("a,bmi\n1,\"2\n", NULL, 2, 3, "unterminated quoted field", "column \"bmi\"");
}
END_TEST

START_TEST(rejects_text_after_closing_quote) {
  expect_error("\"a\"b,c\n1,2\n", NULL, 1, 1, "text after closing quote", NULL);
}
END_TEST

START_TEST(rejects_quote_inside_unquoted_field) {
  expect_error("a,b\"c\n1,2\n", NULL, 1, 3, "quote inside unquoted field", NULL);
}
END_TEST

/* ------------------------------------------- line ends inside quotes */

/* RFC 4180: a quoted field may hold line ends, which stay in the value. */
START_TEST(reads_line_end_inside_quoted_header_name) {
  rp_table *t = read_ok("a,\"b\nc\",d\n1,2,3\n");
  const char *names[] = {"a", "b\nc", "d"};
  check_names(t, names, 3);
  ck_assert_int_eq(rp_table_find(t, "b\nc"), 1);
  ck_assert_uint_eq(t->n_rows, 1);
  ck_assert_double_eq(at(t, 0, 2), 3.0);
  rp_table_free(t);
}
END_TEST

START_TEST(keeps_crlf_inside_quotes) {
  rp_table *t = read_ok("\"x\r\ny\";z\r\n1;2\r\n");
  const char *names[] = {"x\r\ny", "z"};
  check_names(t, names, 2);
  ck_assert_double_eq(at(t, 0, 1), 2.0);
  rp_table_free(t);
}
END_TEST

/* The header takes lines 1-3; the rows after it keep their physical line
 * numbers in errors. */
START_TEST(reads_record_spanning_three_lines_then_normal_lines) {
  static const char header[] = "id,\"first\nsecond, \"\"quoted\"\"\nthird\",z\n";
  char text[256];
  snprintf(text, sizeof text, "%s1,2,3\n4,5,6\n", header);
  rp_table *t = read_ok(text);
  const char *names[] = {"id", "first\nsecond, \"quoted\"\nthird", "z"};
  check_names(t, names, 3);
  ck_assert_uint_eq(t->n_rows, 2);
  const double want[] = {1, 4, 2, 5, 3, 6};
  for (size_t k = 0; k < 6; k++) ck_assert_double_eq(t->values[k], want[k]);
  rp_table_free(t);
  snprintf(text, sizeof text, "%s1,2,3\n4,5,6\n7,oops,9\n", header);
  expect_error(text, NULL, 6, 3, "non-numeric cell \"oops\"", NULL);
  snprintf(text, sizeof text, "%s1,2,3\n4,5\n", header);
  expect_error(text, NULL, 5, 4, "row has 2 cells, header has 3", NULL);
}
END_TEST

/* A header problem after a name with a line end is on a later line, at its
 * column within that line. */
START_TEST(points_into_the_continued_line_of_a_header) {
  expect_error("\"a\nb\",,c\n1,2,3\n", NULL, 2, 4, "empty column name in column 2", NULL);
  expect_error("a,\"x\ny\",a\n1,2,3\n", NULL, 2, 4, "duplicate column name \"a\" (also column 1)",
               NULL);
  expect_error("a,\"x\ny\"z,c\n1,2,3\n", NULL, 1, 3, "text after closing quote", NULL);
}
END_TEST

START_TEST(rejects_line_end_in_a_numeric_cell) {
  expect_error("a,b\n1,\"2\n3\"\n", NULL, 2, 3,
               "non-numeric cell \"2\xef\xbf\xbd"
               "3\" in column \"b\"",
               "(its quotes hold a line end)");
  expect_error("a,b\n1,2\n\"\r\n\",4\n", NULL, 3, 1, "non-numeric cell", "line end");
  expect_error("a\n1,\"x\ny\"\n", NULL, 2, 3, "row has 2 cells, header has 1", NULL);
}
END_TEST

/* The file ends inside quotes: the error names the opening quote, which
 * lies after the cell's leading blanks. */
START_TEST(rejects_unterminated_quote_at_end_of_file_at_its_opening) {
  expect_error("a,b\n1,2\n3,  \"4\n5,6\n", NULL, 3, 5, "unterminated quoted field", "column \"b\"");
  expect_error("a, \"b\n1,2\n", NULL, 1, 4, "unterminated quoted field", "column 2");
}
END_TEST

/* data.max_line_bytes bounds a whole record, however many lines it has. */
START_TEST(max_line_bounds_a_multi_line_record) {
  rp_csv_options opt = {.max_line = 32};
  rp_table *t;
  rp_error err;
  /* 32 bytes over three lines, each far shorter than the limit */
  static const char exact[] = "a,\"bbbbbbbbbb\ncccccccccc\nddddd\"\n1,2\n";
  ck_assert_int_eq(read_text(exact, &opt, &t, &err), RP_OK);
  ck_assert_str_eq(t->names[1], "bbbbbbbbbb\ncccccccccc\nddddd");
  rp_table_free(t);
  expect_error("a,\"bbbbbbbbbb\ncccccccccc\ndddddd\"\n1,2\n", &opt, 1, 0,
               "record longer than 32 bytes", NULL);
  /* a quote never closed: the limit stops the read at the quote's place */
  expect_error("a,b\n1,2\n3,\"4\n5,6\n7,8\n9,10\n11,12\n13,14\n15,16\n17,18\n", &opt, 3, 3,
               "record longer than 32 bytes: the quoted field opened here", NULL);
}
END_TEST

/* The mark is dropped before reading, so line 1 may still be max_line long. */
START_TEST(bom_does_not_count_toward_the_line_limit) {
  rp_csv_options opt = {.max_line = 16};
  rp_table *t;
  rp_error err;
  ck_assert_int_eq(read_text("\xEF\xBB\xBF"
                             "abcdefg,hijklmn\n1,2\n",
                             &opt, &t, &err),
                   RP_OK);
  ck_assert_str_eq(t->names[0], "abcdefg");
  rp_table_free(t);
}
END_TEST

/* ------------------------------------------------------------ header errors */

START_TEST(rejects_duplicate_column_name) {
  expect_error("a,x,x\n1,2,3\n", NULL, 1, 5, "duplicate column name \"x\" (also column 2)", NULL);
}
END_TEST

START_TEST(reports_first_duplicate_met_left_to_right) {
  expect_error("z,b,a,b,z\n1,2,3,4,5\n", NULL, 1, 7, "duplicate column name \"b\" (also column 2)",
               NULL);
}
END_TEST

START_TEST(rejects_duplicate_after_unquoting) {
  expect_error("x,\"x\"\n1,2\n", NULL, 1, 3, "duplicate column name \"x\"", NULL);
}
END_TEST

/* Both are written "caf\uFFFD": a model could not tell them apart. */
START_TEST(rejects_names_equal_once_cleaned) {
  expect_error("caf\xe9,caf\xe8,y\n1,2,3\n", NULL, 1, 6,
               "duplicate column name \"caf\xef\xbf\xbd\" (also column 1, the same name once "
               "invalid UTF-8 is replaced by U+FFFD)",
               NULL);
}
END_TEST

START_TEST(rejects_empty_column_name) {
  expect_error("a,b,,d\n1,2,3,4\n", NULL, 1, 5, "empty column name in column 3", NULL);
  expect_error("a,\"\"\n1,2\n", NULL, 1, 3, "empty column name in column 2", NULL);
  expect_error("a,b,\n1,2,3\n", NULL, 1, 5, "empty column name in column 3", NULL);
}
END_TEST

START_TEST(rejects_header_only) {
  expect_error("a,b\n", NULL, 1, 0, "no data rows (header only)", NULL);
  expect_error("a,b", NULL, 1, 0, "no data rows (header only)", NULL);
  expect_error("a,b\n\n\n", NULL, 1, 0, "no data rows (header only)", NULL);
}
END_TEST

START_TEST(rejects_empty_file) {
  expect_error("", NULL, 0, 0, "empty file", NULL);
  expect_error("\xEF\xBB\xBF", NULL, 0, 0, "empty file", NULL);
  expect_error("\n\r\n\n", NULL, 0, 0, "empty file", NULL);
}
END_TEST

START_TEST(rejects_empty_header_line) {
  expect_error("\na,b\n1,2\n", NULL, 1, 0, "empty header line", NULL);
}
END_TEST

/* -------------------------------------------------------------- line limit */

START_TEST(rejects_line_longer_than_max_line) {
  rp_csv_options opt = {.max_line = 64};
  char text[256];
  snprintf(text, sizeof text, "a,b\n1,2\n1,%070d\n3,4\n", 5);
  expect_error(text, &opt, 3, 0, "line longer than 64 bytes", NULL);
}
END_TEST

START_TEST(accepts_line_of_exactly_max_line) {
  rp_csv_options opt = {.max_line = 64};
  rp_table *t;
  rp_error err;
  char text[256];
  /* "1," + 61 digits + "\n" = 64 bytes; then a last line of 64 bytes */
  snprintf(text, sizeof text, "a,b\n1,%061d\n1,%062d", 7, 8);
  ck_assert_int_eq(read_text(text, &opt, &t, &err), RP_OK);
  ck_assert_double_eq(at(t, 1, 1), 8.0);
  rp_table_free(t);
  snprintf(text, sizeof text, "a,b\n1,%062d\n", 7);
  expect_error(text, &opt, 2, 0, "line longer than 64 bytes", NULL);
  snprintf(text, sizeof text, "a,b\n1,%063d", 7);
  expect_error(text, &opt, 2, 0, "line longer than 64 bytes", NULL);
}
END_TEST

START_TEST(rejects_long_header_with_small_max_line) {
  rp_csv_options opt = {.max_line = 8};
  expect_error("abc,def,ghi\n1,2,3\n", &opt, 1, 0, "line longer than 8 bytes", NULL);
}
END_TEST

START_TEST(default_limit_is_one_mebibyte) {
  size_t n = RP_CSV_DEFAULT_MAX_LINE + 16;
  char *text = malloc(n + 8);
  ck_assert_ptr_nonnull(text);
  memcpy(text, "a\n", 2);
  memset(text + 2, '1', n);
  memcpy(text + 2 + n, "\n", 2);
  expect_error(text, NULL, 2, 0, "line longer than 1048576 bytes", NULL);
  free(text);
}
END_TEST

/* --------------------------------------------------------------- io errors */

START_TEST(missing_file_is_io_error) {
  rp_table *t = (rp_table *)(void *)&t;
  rp_error err;
  rp_error_clear(&err);
  rp_status st = rp_table_read_csv("/nonexistent/regpath/none.csv", NULL, &t, &err);
  ck_assert_int_eq(st, RP_EIO);
  ck_assert_ptr_null(t);
  ck_assert_ptr_nonnull(strstr(err.message, "cannot open"));
  ck_assert_ptr_nonnull(strstr(err.message, "No such file"));
  ck_assert_str_eq(err.file, "/nonexistent/regpath/none.csv");
}
END_TEST

START_TEST(directory_is_io_error) {
  rp_table *t = (rp_table *)(void *)&t;
  rp_error err;
  rp_error_clear(&err);
  ck_assert_int_eq(rp_table_read_csv("/tmp", NULL, &t, &err), RP_EIO);
  ck_assert_ptr_null(t);
  ck_assert_ptr_nonnull(strstr(err.message, "is a directory"));
}
END_TEST

START_TEST(device_is_io_error) {
  rp_table *t = NULL;
  rp_error err;
  rp_error_clear(&err);
  ck_assert_int_eq(rp_table_read_csv("/dev/null", NULL, &t, &err), RP_EIO);
  ck_assert_ptr_nonnull(strstr(err.message, "not a regular file"));
}
END_TEST

START_TEST(null_arguments_are_invalid) {
  rp_table *t = NULL;
  rp_error err;
  ck_assert_int_eq(rp_table_read_csv(NULL, NULL, &t, &err), RP_EINVAL);
  ck_assert_int_eq(rp_table_read_csv("x.csv", NULL, NULL, &err), RP_EINVAL);
  ck_assert_int_eq(rp_table_read_csv(NULL, NULL, &t, NULL), RP_EINVAL);
}
END_TEST

START_TEST(formats_error_as_file_line_column) {
  char path[4096], buf[1024], want[4200];
  rp_table *t = NULL;
  rp_error err;
  rp_error_clear(&err);
  snprintf(path, sizeof path, "%s", tu_write_temp("f.csv", "a,bmi\n1,abc\n"));
  ck_assert_int_eq(rp_table_read_csv(path, NULL, &t, &err), RP_EDATA);
  rp_error_format(&err, buf, sizeof buf);
  snprintf(want, sizeof want, "%s:2:3: non-numeric cell \"abc\" in column \"bmi\"", path);
  ck_assert_str_eq(buf, want);
  unlink(path);
  rmdir(dirname(path));
}
END_TEST

/* ------------------------------------------------------------------- suite */

/* Found by the CSV fuzzer: a NUL byte cut a name short.  It is an error
 * with its position, in the header and in the data. */
START_TEST(rejects_nul_byte_with_line_and_column) {
  static const char header[] = "age,sex,\0bp\n1,2,3\n", data[] = "a,b\n1,\0\n";
  const char *texts[] = {header, data};
  size_t lens[] = {sizeof header - 1, sizeof data - 1};
  long lines[] = {1, 2}, cols[] = {9, 3};
  for (size_t k = 0; k < 2; k++) {
    const char *path = tu_write_temp("nul.csv", "");
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(texts[k], 1, lens[k], f), lens[k]);
    ck_assert_int_eq(fclose(f), 0);
    rp_table *t;
    rp_error err;
    ck_assert_int_eq(rp_table_read_csv(path, NULL, &t, &err), RP_EDATA);
    ck_assert_ptr_null(t);
    ck_assert_ptr_nonnull(strstr(err.message, "NUL byte"));
    ck_assert_int_eq(err.line, lines[k]);
    ck_assert_int_eq(err.column, cols[k]);
  }
}
END_TEST

/* Found by the fuzzing work: a cell cut at 40 bytes for the message must not
 * end inside a UTF-8 character. */
START_TEST(message_cuts_a_long_cell_at_a_character_boundary) {
  const char *path =
      tu_write_temp("u.csv", "a,b\n1,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\xc3\xa9\n");
  rp_table *t;
  rp_error err;
  ck_assert_int_eq(rp_table_read_csv(path, NULL, &t, &err), RP_EDATA);
  const char *quote = strchr(err.message, '"'), *end = strchr(quote + 1, '"');
  ck_assert_uint_eq((size_t)(end - quote - 1), 39); /* 39 'a', not 39 'a' + half of the e-acute */
}
END_TEST

/* A message quotes the name of a column: its escape sequence (ESC [ 2 J
 * clears a terminal), a raw 0x9B (a one-byte CSI on some terminals) and
 * other control characters (BEL) come out as U+FFFD, so that the message
 * is text for one terminal line wherever a program shows it. */
START_TEST(message_shows_a_name_as_text_for_a_terminal) {
  expect_error("a,\"b\x1b[2J\x9b\x07\",y\n1,x,3\n", NULL, 2, 3,
               "in column \"b\xef\xbf\xbd[2J\xef\xbf\xbd\xef\xbf\xbd\"", NULL);
}
END_TEST

/* ------------------------------------------------------------ typed columns */

static const char *const NA_DEFAULT[] = {"", "NA", "NaN", "nan", "N/A", "NULL", "null"};

/* Options reading every column as `type`, with the default tokens. */
static rp_csv_options typed(rp_column_type type) {
  return (rp_csv_options){.default_type = type, .na_values = NA_DEFAULT, .n_na_values = 7};
}

static rp_table *read_opt_ok(const char *text, const rp_csv_options *opt) {
  rp_table *t;
  rp_error err;
  rp_status st = read_text(text, opt, &t, &err);
  ck_assert_msg(st == RP_OK, "unexpected error %d: %s:%ld:%ld: %s", (int)st, err.file, err.line,
                err.column, err.message);
  ck_assert_ptr_nonnull(t);
  ck_assert_ptr_nonnull(t->columns);
  return t;
}

static void check_levels(const rp_table *t, size_t j, const char *const *levels, size_t n) {
  ck_assert_int_eq(t->columns[j].type, RP_COLUMN_TEXT);
  ck_assert_uint_eq(t->columns[j].n_levels, n);
  for (size_t k = 0; k < n; k++) ck_assert_str_eq(t->columns[j].levels[k], levels[k]);
}

/* Column j is want[0 .. n-1], NaN where a cell is missing. */
static void check_values(const rp_table *t, size_t j, const double *want, size_t n) {
  ck_assert_uint_eq(t->n_rows, n);
  for (size_t i = 0; i < n; i++) {
    if (isnan(want[i]))
      ck_assert_msg(isnan(at(t, i, j)), "row %zu: %g, expected NaN", i, at(t, i, j));
    else
      ck_assert_double_eq(at(t, i, j), want[i]);
  }
}

START_TEST(default_tokens_are_the_documented_seven) {
  size_t n = 0;
  const char *const *na = rp_csv_default_na_values(&n);
  ck_assert_uint_eq(n, 7);
  for (size_t k = 0; k < n; k++) ck_assert_str_eq(na[k], NA_DEFAULT[k]);
}
END_TEST

START_TEST(number_reads_true_and_false_in_any_case_as_one_and_zero) {
  rp_table *t = read_ok("a,b\nTRUE,1\nfalse,2\n tRuE ,3\n\"FALSE\",4\n");
  ck_assert_int_eq(t->columns[0].type, RP_COLUMN_NUMBER);
  ck_assert_double_eq(at(t, 0, 0), 1.0);
  ck_assert_double_eq(at(t, 1, 0), 0.0);
  ck_assert_double_eq(at(t, 2, 0), 1.0);
  ck_assert_double_eq(at(t, 3, 0), 0.0);
  rp_table_free(t);
  expect_error("a\nTRUEx\n", NULL, 2, 1, "non-numeric cell \"TRUEx\" in column \"a\"", NULL);
}
END_TEST

START_TEST(number_rejects_text_naming_line_column_and_name) {
  rp_csv_options o = typed(RP_COLUMN_NUMBER);
  expect_error("a,b\n1,2\n3, abc\n", &o, 3, 3, "non-numeric cell \"abc\" in column \"b\"", NULL);
}
END_TEST

START_TEST(zeroed_options_have_no_missing_tokens) {
  rp_csv_options o = {.max_line = 0};
  expect_error("a,b\n1,NA\n", &o, 2, 3, "non-numeric cell \"NA\"", NULL);
  expect_error("a,b\n1,\n", &o, 2, 3, "empty cell in column \"b\"", NULL);
}
END_TEST

START_TEST(missing_tokens_are_nan_and_counted_with_the_first_place) {
  rp_csv_options o = typed(RP_COLUMN_NUMBER);
  rp_table *t = read_opt_ok("a,b\n1,NA\n,2\n3, NaN \n4,null\n", &o);
  ck_assert_uint_eq(t->columns[0].n_missing, 1);
  ck_assert_int_eq(t->columns[0].missing_line, 3);
  ck_assert_int_eq(t->columns[0].missing_column, 1);
  ck_assert_str_eq(t->columns[0].missing_token, "");
  ck_assert_uint_eq(t->columns[1].n_missing, 3);
  ck_assert_int_eq(t->columns[1].missing_line, 2);
  ck_assert_int_eq(t->columns[1].missing_column, 3);
  ck_assert_str_eq(t->columns[1].missing_token, "NA");
  ck_assert(isnan(at(t, 1, 0)) && isnan(at(t, 0, 1)) && isnan(at(t, 2, 1)) && isnan(at(t, 3, 1)));
  ck_assert_double_eq(at(t, 1, 1), 2.0);
  rp_table_free(t);
}
END_TEST

START_TEST(column_without_missing_cells_says_so) {
  rp_csv_options o = typed(RP_COLUMN_AUTO);
  rp_table *t = read_opt_ok("a\n1\n", &o);
  ck_assert_uint_eq(t->columns[0].n_missing, 0);
  ck_assert_int_eq(t->columns[0].missing_line, 0);
  ck_assert_int_eq(t->columns[0].missing_column, 0);
  ck_assert_ptr_null(t->columns[0].missing_token);
  rp_table_free(t);
}
END_TEST

/* The first missing cell of a record that quoted line ends spread over
 * lines 2-3, after a byte-order mark and CRLF line ends: its own physical
 * line and the byte after its delimiter. */
START_TEST(missing_position_is_the_physical_line_and_byte) {
  rp_column_type types[] = {RP_COLUMN_TEXT};
  const char *names[] = {"a"};
  rp_csv_options o = typed(RP_COLUMN_NUMBER);
  o.type_names = names;
  o.types = types;
  o.n_types = 1;
  rp_table *t = read_opt_ok("\xEF\xBB\xBF"
                            "a,b\r\n\"x\r\ny\",1\r\nz,  NA\r\n",
                            &o);
  ck_assert_uint_eq(t->n_rows, 2);
  ck_assert_uint_eq(t->columns[1].n_missing, 1);
  ck_assert_int_eq(t->columns[1].missing_line, 4);
  ck_assert_int_eq(t->columns[1].missing_column, 3);
  ck_assert_str_eq(t->columns[1].missing_token, "NA");
  rp_table_free(t);
  t = read_opt_ok("a,b\n\"x\nNA\",1\n\"\nq\",NA\n",
                  &o); /* a cell's text is not a token: it is quoted */
  ck_assert_uint_eq(t->columns[0].n_missing, 0);
  ck_assert_int_eq(t->columns[1].missing_line, 5);
  ck_assert_int_eq(t->columns[1].missing_column, 4);
  rp_table_free(t);
}
END_TEST

START_TEST(quoted_token_is_missing_but_not_with_blanks_inside) {
  rp_csv_options o = typed(RP_COLUMN_NUMBER);
  rp_table *t = read_opt_ok("a\n\"NA\"\n\"\"\n1\n", &o);
  ck_assert_uint_eq(t->columns[0].n_missing, 2);
  ck_assert_str_eq(t->columns[0].missing_token, "NA");
  rp_table_free(t);
  expect_error("a\n\" NA\"\n", &o, 2, 1, "non-numeric cell \"NA\"", NULL);
}
END_TEST

/* A token that looks like a number must win over the number. */
START_TEST(numeric_token_is_missing) {
  const char *na[] = {"-999", "0"};
  rp_csv_options o = {.na_values = na, .n_na_values = 2};
  rp_table *t = read_opt_ok("a,b\n-999,1\n-998,0\n", &o);
  ck_assert(isnan(at(t, 0, 0)));
  ck_assert_double_eq(at(t, 1, 0), -998.0);
  ck_assert_double_eq(at(t, 0, 1), 1.0);
  ck_assert(isnan(at(t, 1, 1)));
  ck_assert_uint_eq(t->columns[0].n_missing, 1);
  ck_assert_str_eq(t->columns[0].missing_token, "-999");
  rp_table_free(t);
}
END_TEST

START_TEST(auto_of_numbers_is_number) {
  rp_csv_options o = typed(RP_COLUMN_AUTO);
  rp_table *t = read_opt_ok("a,b\n1.5,TRUE\nNA,false\n-2e3,1\n", &o);
  ck_assert_int_eq(t->columns[0].type, RP_COLUMN_NUMBER);
  ck_assert_int_eq(t->columns[1].type, RP_COLUMN_NUMBER);
  ck_assert_uint_eq(t->columns[0].n_levels, 0);
  const double a[] = {1.5, NAN, -2000.0}, b[] = {1.0, 0.0, 1.0};
  check_values(t, 0, a, 3);
  check_values(t, 1, b, 3);
  rp_table_free(t);
}
END_TEST

/* "007" and "5.60" were read as numbers before "abc" turned the column:
 * their levels are the cells as written, and TRUE too is a level then. */
START_TEST(auto_turned_text_keeps_every_cell_as_written) {
  rp_csv_options o = typed(RP_COLUMN_AUTO);
  rp_table *t = read_opt_ok("a,b\n007,1\n5.60,2\nNA,3\n1e2,4\nTRUE,5\nabc,6\n7,7\n007,8\n", &o);
  const char *levels[] = {"007", "1e2", "5.60", "7", "TRUE", "abc"};
  check_levels(t, 0, levels, 6);
  const double want[] = {0, 2, NAN, 1, 4, 5, 3, 0};
  check_values(t, 0, want, 8);
  ck_assert_uint_eq(t->columns[0].n_missing, 1);
  ck_assert_int_eq(t->columns[0].missing_line, 4);
  ck_assert_int_eq(t->columns[1].type, RP_COLUMN_NUMBER);
  ck_assert_double_eq(at(t, 7, 1), 8.0);
  rp_table_free(t);
}
END_TEST

/* The second read of the rows before the turn goes through a small record
 * buffer and several columns that turn at different rows. */
START_TEST(auto_turns_late_in_several_columns) {
  char *text = malloc(64 * 1024);
  size_t n = 0;
  n += (size_t)sprintf(text + n, "a,b,c\n");
  for (int i = 0; i < 2000; i++)
    n += (size_t)sprintf(text + n, "%d,%s,%d.50\n", i, i == 1500 ? "x" : "1", i % 3);
  n += (size_t)sprintf(text + n, "z,2,y\n");
  rp_csv_options o = typed(RP_COLUMN_AUTO);
  o.max_line = 32;
  rp_table *t = read_opt_ok(text, &o);
  free(text);
  ck_assert_uint_eq(t->n_rows, 2001);
  ck_assert_uint_eq(t->columns[0].n_levels, 2001); /* "0" .. "1999" and "z" */
  ck_assert_str_eq(t->columns[0].levels[0], "0");
  ck_assert_str_eq(t->columns[0].levels[1], "1");
  ck_assert_str_eq(t->columns[0].levels[2], "10");
  ck_assert_double_eq(at(t, 10, 0), 2.0);
  const char *b[] = {"1", "2", "x"};
  check_levels(t, 1, b, 3);
  ck_assert_double_eq(at(t, 1500, 1), 2.0);
  const char *c[] = {"0.50", "1.50", "2.50", "y"};
  check_levels(t, 2, c, 4);
  ck_assert(at(t, 5, 2) == 2.0 && at(t, 2000, 2) == 3.0);
  rp_table_free(t);
}
END_TEST

START_TEST(text_levels_are_in_byte_order_with_utf8) {
  rp_csv_options o = typed(RP_COLUMN_TEXT);
  rp_table *t = read_opt_ok("s\nb\na\n\xc3\xa9t\xc3\xa9\nZ\na\n\xe2\x82\xac\nNA\nab\n", &o);
  const char *levels[] = {"Z", "a", "ab", "b", "\xc3\xa9t\xc3\xa9", "\xe2\x82\xac"};
  check_levels(t, 0, levels, 6);
  const double want[] = {3, 1, 4, 0, 1, 5, NAN, 2};
  check_values(t, 0, want, 8);
  rp_table_free(t);
}
END_TEST

START_TEST(text_keeps_true_numbers_and_quoted_blanks_as_written) {
  rp_csv_options o = typed(RP_COLUMN_TEXT);
  rp_table *t = read_opt_ok("s\nTRUE\ntrue\n  1.0 \n\" a \"\n 1.0\n", &o);
  const char *levels[] = {" a ", "1.0", "TRUE", "true"};
  check_levels(t, 0, levels, 4);
  ck_assert_double_eq(at(t, 2, 0), 1.0);
  ck_assert_double_eq(at(t, 4, 0), 1.0);
  rp_table_free(t);
}
END_TEST

START_TEST(text_column_of_only_missing_cells_has_no_levels) {
  rp_csv_options o = typed(RP_COLUMN_TEXT);
  rp_table *t = read_opt_ok("s,n\nNA,1\n,2\n", &o);
  ck_assert_int_eq(t->columns[0].type, RP_COLUMN_TEXT);
  ck_assert_uint_eq(t->columns[0].n_levels, 0);
  ck_assert_uint_eq(t->columns[0].n_missing, 2);
  rp_table_free(t);
}
END_TEST

START_TEST(skip_never_parses_or_checks_cells) {
  const char *names[] = {"junk"};
  rp_column_type types[] = {RP_COLUMN_SKIP};
  rp_csv_options o = {.type_names = names, .types = types, .n_types = 1};
  rp_table *t = read_opt_ok("junk,x\nabc,1\n,2\ninf,3\n1e999,4\n\"a,\"\"b\nc\",5\nNA,6\n", &o);
  ck_assert_uint_eq(t->n_rows, 6);
  ck_assert_int_eq(t->columns[0].type, RP_COLUMN_SKIP);
  ck_assert_uint_eq(t->columns[0].n_missing, 0);
  ck_assert_uint_eq(t->columns[0].n_levels, 0);
  for (size_t i = 0; i < 6; i++) {
    ck_assert(isnan(at(t, i, 0)));
    ck_assert_double_eq(at(t, i, 1), (double)(i + 1));
  }
  rp_table_free(t);
  /* The record structure still counts. */
  expect_error("junk,x\nabc\n", &o, 2, 4, "row has 1 cells, header has 2", NULL);
}
END_TEST

START_TEST(types_by_name_override_the_default_and_unknown_names_are_no_error) {
  const char *names[] = {"nope", "b", "c"};
  rp_column_type types[] = {RP_COLUMN_TEXT, RP_COLUMN_TEXT, RP_COLUMN_NUMBER};
  rp_csv_options o = typed(RP_COLUMN_AUTO);
  o.type_names = names;
  o.types = types;
  o.n_types = 3;
  rp_table *t = read_opt_ok("a,b,c\nx,1,2\n", &o);
  ck_assert_int_eq(t->columns[0].type, RP_COLUMN_TEXT); /* AUTO, turned */
  const char *b[] = {"1"};
  check_levels(t, 1, b, 1);
  ck_assert_int_eq(t->columns[2].type, RP_COLUMN_NUMBER);
  rp_table_free(t);
  expect_error("a,b,c\nx,1,y\n", &o, 2, 5, "non-numeric cell \"y\" in column \"c\"", NULL);
}
END_TEST

START_TEST(unknown_type_or_null_list_is_invalid) {
  rp_table *t;
  rp_error err;
  rp_csv_options o = {.default_type = (rp_column_type)7};
  ck_assert_int_eq(read_text("a\n1\n", &o, &t, &err), RP_EINVAL);
  ck_assert_ptr_null(t);
  o = (rp_csv_options){.n_na_values = 2};
  ck_assert_int_eq(read_text("a\n1\n", &o, &t, &err), RP_EINVAL);
}
END_TEST

/* R's write.csv writes "" over its row names. */
START_TEST(first_column_may_have_the_empty_name) {
  const char *names[] = {""};
  rp_column_type types[] = {RP_COLUMN_TEXT};
  rp_csv_options o = {.type_names = names, .types = types, .n_types = 1};
  rp_table *t = read_opt_ok("\"\",\"a\"\n\"Mazda RX4\",1\n\"Valiant\",2\n", &o);
  ck_assert_str_eq(t->names[0], "");
  ck_assert_int_eq(rp_table_find(t, ""), 0);
  ck_assert_int_eq(rp_table_find(t, "a"), 1);
  const char *levels[] = {"Mazda RX4", "Valiant"};
  check_levels(t, 0, levels, 2);
  rp_table_free(t);
  t = read_ok(",a\n1,2\n"); /* unquoted, and numbers by default */
  ck_assert_str_eq(t->names[0], "");
  ck_assert_double_eq(at(t, 0, 0), 1.0);
  rp_table_free(t);
  expect_error(",a,\n1,2,3\n", NULL, 1, 4, "empty column name in column 3", NULL);
  expect_error(",,a\n1,2,3\n", NULL, 1, 2, "empty column name in column 2", NULL);
}
END_TEST

/* ------------------------------------------------------------------- gzip */

/* `text` written gzip-compressed to a temporary file with a name that does
 * not say so: the magic bytes decide.  Returns the path (static). */
static const char *write_gzip(const char *text) {
  static char path[4096];
  snprintf(path, sizeof path, "%s", tu_write_temp("data.txt", ""));
  gzFile gz = gzopen(path, "wb");
  ck_assert_ptr_nonnull(gz);
  ck_assert_int_eq(gzwrite(gz, text, (unsigned)strlen(text)), (int)strlen(text));
  ck_assert_int_eq(gzclose(gz), Z_OK);
  return path;
}

static void remove_temp(const char *path) {
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  ck_assert_int_eq(unlink(path), 0);
  ck_assert_int_eq(rmdir(dirname(dir)), 0);
}

/* A file long enough to take several buffers, with every column type. */
static char *mixed_text(void) {
  char *text = malloc(1 << 20);
  size_t n = (size_t)sprintf(text, ",num,txt,flag\n");
  for (int i = 0; i < 20000; i++)
    n += (size_t)sprintf(text + n, "\"%d\",%.17g,%s,%s\n", i, i * 0.1 - 3.7,
                         i % 7 == 0 ? "NA"
                         : i % 2    ? "odd"
                                    : "even",
                         i % 3 ? "TRUE" : "false");
  return text;
}

/* A file shared out by windows of bytes (rp_csv_options' window): for
 * every cut point c, the windows [0, c) and [c, size) hold every row once,
 * in order, and each names its lines by the file's own numbers once the
 * caller counts the lines before it (rp_csv_window_lines, checked against
 * the line of its first row). */
START_TEST(two_windows_hold_every_row_once) {
  const char *text = "a,b\n1,10\n22,200\n333,3000\n4,4\n55555,5\n6,66\n7,7\n";
  rp_table *whole = read_ok(text);
  size_t size = strlen(text), n = whole->n_rows;
  char path[4096];
  snprintf(path, sizeof path, "%s", tu_write_temp("in.csv", text));
  for (size_t c = 0; c <= size; c++) {
    rp_table *part[2];
    rp_error err;
    size_t rows = 0;
    long long cut[3] = {0, (long long)c, (long long)size};
    for (int w = 0; w < 2; w++) {
      rp_csv_options opt = {0};
      opt.window_start = cut[w];
      opt.window_end = cut[w + 1] > cut[w] ? cut[w + 1] : cut[w] + 1;
      rp_status st = rp_table_read_csv(path, &opt, &part[w], &err);
      if (st != RP_OK) { /* a window with no row: header only */
        ck_assert_msg(strstr(err.message, "header") != NULL, "cut %zu: %s", c, err.message);
        part[w] = NULL;
        continue;
      }
      for (size_t i = 0; i < part[w]->n_rows; i++, rows++)
        for (size_t j = 0; j < 2; j++)
          ck_assert_double_eq(rp_table_column(part[w], j)[i], rp_table_column(whole, j)[rows]);
      long before;
      ck_assert_int_eq(rp_csv_window_lines(path, cut[w], &before, &err), RP_OK);
      ck_assert_int_eq(before, (long)(rows - part[w]->n_rows) + 1); /* header + rows before */
    }
    ck_assert_uint_eq(rows, n);
    rp_table_free(part[0]);
    rp_table_free(part[1]);
  }
  rp_table_free(whole);
  char dir[4096];
  snprintf(dir, sizeof dir, "%s", path);
  ck_assert_int_eq(unlink(path), 0);
  ck_assert_int_eq(rmdir(dirname(dir)), 0);
}
END_TEST

START_TEST(gzip_file_reads_as_the_plain_one) {
  char *text = mixed_text();
  rp_csv_options o = typed(RP_COLUMN_AUTO);
  rp_table *plain = read_opt_ok(text, &o), *gz;
  rp_error err;
  const char *path = write_gzip(text);
  free(text);
  ck_assert_int_eq(rp_table_read_csv(path, &o, &gz, &err), RP_OK);
  remove_temp(path);
  ck_assert_uint_eq(gz->n_rows, plain->n_rows);
  ck_assert_uint_eq(gz->n_cols, plain->n_cols);
  ck_assert_int_eq(
      memcmp(gz->values, plain->values, plain->n_rows * plain->n_cols * sizeof(double)), 0);
  for (size_t j = 0; j < plain->n_cols; j++) {
    ck_assert_str_eq(gz->names[j], plain->names[j]);
    ck_assert_int_eq(gz->columns[j].type, plain->columns[j].type);
    ck_assert_uint_eq(gz->columns[j].n_levels, plain->columns[j].n_levels);
    ck_assert_uint_eq(gz->columns[j].n_missing, plain->columns[j].n_missing);
    for (size_t k = 0; k < plain->columns[j].n_levels; k++)
      ck_assert_str_eq(gz->columns[j].levels[k], plain->columns[j].levels[k]);
  }
  ck_assert_int_eq(plain->columns[2].type, RP_COLUMN_TEXT);
  ck_assert_uint_eq(plain->columns[2].n_missing, 2858);
  rp_table_free(plain);
  rp_table_free(gz);
}
END_TEST

/* The gzip file cut short, and with bytes of its deflate data changed. */
START_TEST(truncated_or_corrupt_gzip_is_a_data_error_naming_the_file) {
  char *text = mixed_text();
  const char *path = write_gzip(text);
  free(text);
  char *bytes = malloc(1 << 20);
  FILE *f = fopen(path, "rb");
  size_t size = fread(bytes, 1, 1 << 20, f);
  fclose(f);
  for (int corrupt = 0; corrupt < 2; corrupt++) {
    f = fopen(path, "wb");
    if (corrupt) {
      memset(bytes + size / 2, 0xA5, 64);
      ck_assert_uint_eq(fwrite(bytes, 1, size, f), size);
    } else {
      ck_assert_uint_eq(fwrite(bytes, 1, size / 2, f), size / 2);
    }
    fclose(f);
    rp_table *t = (rp_table *)(void *)bytes;
    rp_error err;
    rp_error_clear(&err);
    ck_assert_int_eq(rp_table_read_csv(path, NULL, &t, &err), RP_EDATA);
    ck_assert_ptr_null(t);
    ck_assert_str_eq(err.file, path);
    ck_assert_msg(strstr(err.message, corrupt ? "corrupt gzip file" : "truncated gzip file"), "%s",
                  err.message);
    ck_assert_ptr_nonnull(strstr(err.message, "download it again"));
  }
  free(bytes);
  remove_temp(path);
}
END_TEST

/* ------------------------------------------------------------- exactness */

static uint64_t xorshift(uint64_t *s) {
  *s ^= *s << 13;
  *s ^= *s >> 7;
  *s ^= *s << 17;
  return *s;
}

/* Random decimals of 1 to 22 digits, a point anywhere, an exponent or not:
 * each value read must be strtod's, bit for bit. */
START_TEST(random_decimals_read_exactly_as_strtod) {
  enum { N = 20000 };
  char *text = malloc(N * 40 + 8), *cells[N];
  uint64_t seed = 0x9E3779B97F4A7C15u;
  size_t n = (size_t)sprintf(text, "x\n");
  for (int k = 0; k < N; k++) {
    cells[k] = text + n;
    int digits = 1 + (int)(xorshift(&seed) % 22),
        point = (int)(xorshift(&seed) % (uint64_t)(digits + 1));
    if (xorshift(&seed) % 2) text[n++] = '-';
    for (int i = 0; i < digits; i++) {
      if (i == point && i > 0) text[n++] = '.';
      text[n++] = (char)('0' + xorshift(&seed) % 10);
    }
    if (xorshift(&seed) % 3 == 0)
      n += (size_t)sprintf(text + n, "e%d", (int)(xorshift(&seed) % 80) - 40);
    text[n++] = '\n';
  }
  text[n] = '\0';
  rp_table *t = read_ok(text);
  ck_assert_uint_eq(t->n_rows, N);
  for (int k = 0; k < N; k++) {
    double want = strtod(cells[k], NULL), got = at(t, (size_t)k, 0);
    ck_assert_msg(memcmp(&want, &got, sizeof want) == 0, "%.30s: %.17g, strtod %.17g", cells[k],
                  got, want);
  }
  rp_table_free(t);
  free(text);
}
END_TEST

static Suite *table_suite(void) {
  Suite *s = suite_create("table");
  TCase *tc = tcase_create("csv");
  tcase_set_timeout(tc, 60);
  tcase_add_test(tc, reads_comma_delimited);
  tcase_add_test(tc, rejects_nul_byte_with_line_and_column);
  tcase_add_test(tc, message_cuts_a_long_cell_at_a_character_boundary);
  tcase_add_test(tc, message_shows_a_name_as_text_for_a_terminal);
  tcase_add_test(tc, reads_semicolon_delimited);
  tcase_add_test(tc, reads_tab_delimited);
  tcase_add_test(tc, detects_delimiter_outside_quotes_only);
  tcase_add_test(tc, takes_first_delimiter_found);
  tcase_add_test(tc, reads_quoted_name_with_comma);
  tcase_add_test(tc, reads_quoted_name_with_doubled_quotes);
  tcase_add_test(tc, keeps_blanks_inside_quotes_and_trims_outside);
  tcase_add_test(tc, strips_utf8_bom);
  tcase_add_test(tc, accepts_crlf_line_ends);
  tcase_add_test(tc, accepts_last_line_without_newline);
  tcase_add_test(tc, ignores_trailing_blank_lines);
  tcase_add_test(tc, reads_one_column_file);
  tcase_add_test(tc, parses_exponents_signs_and_blanks);
  tcase_add_test(tc, reads_every_number_as_strtod_does);
  tcase_add_test(tc, accepts_underflow_to_denormal_or_zero);
  tcase_add_test(tc, accepts_quoted_numbers);
  tcase_add_test(tc, stores_columns_contiguously);
  tcase_add_test(tc, keeps_values_in_place_across_growth);
  tcase_add_test(tc, find_returns_index_or_minus_one);
  tcase_add_test(tc, find_compares_names_as_written);
  tcase_add_test(tc, column_out_of_range_is_null);
  tcase_add_test(tc, free_null_is_harmless);
  tcase_add_test(tc, rejects_non_numeric_with_line_and_column);
  tcase_add_test(tc, rejects_empty_cell_with_line_and_column);
  tcase_add_test(tc, rejects_blank_cell_as_empty);
  tcase_add_test(tc, rejects_empty_last_cell);
  tcase_add_test(tc, rejects_nan_with_line_and_column);
  tcase_add_test(tc, rejects_every_spelling_of_nan_and_inf);
  tcase_add_test(tc, rejects_overflow_to_infinity);
  tcase_add_test(tc, rejects_hexadecimal);
  tcase_add_test(tc, rejects_trailing_junk_after_number);
  tcase_add_test(tc, rejects_stray_carriage_return);
  tcase_add_test(tc, rejects_row_with_too_few_cells);
  tcase_add_test(tc, rejects_row_with_too_many_cells);
  tcase_add_test(tc, rejects_empty_line_between_rows);
  tcase_add_test(tc, rejects_empty_line_in_one_column_file);
  tcase_add_test(tc, counts_columns_after_crlf_and_bom_the_same);
  tcase_add_test(tc, rejects_unterminated_quote_in_header);
  tcase_add_test(tc, rejects_unterminated_quote_in_cell);
  tcase_add_test(tc, rejects_text_after_closing_quote);
  tcase_add_test(tc, rejects_quote_inside_unquoted_field);
  tcase_add_test(tc, reads_line_end_inside_quoted_header_name);
  tcase_add_test(tc, keeps_crlf_inside_quotes);
  tcase_add_test(tc, reads_record_spanning_three_lines_then_normal_lines);
  tcase_add_test(tc, points_into_the_continued_line_of_a_header);
  tcase_add_test(tc, rejects_line_end_in_a_numeric_cell);
  tcase_add_test(tc, rejects_unterminated_quote_at_end_of_file_at_its_opening);
  tcase_add_test(tc, max_line_bounds_a_multi_line_record);
  tcase_add_test(tc, bom_does_not_count_toward_the_line_limit);
  tcase_add_test(tc, rejects_duplicate_column_name);
  tcase_add_test(tc, reports_first_duplicate_met_left_to_right);
  tcase_add_test(tc, rejects_duplicate_after_unquoting);
  tcase_add_test(tc, rejects_names_equal_once_cleaned);
  tcase_add_test(tc, rejects_empty_column_name);
  tcase_add_test(tc, rejects_header_only);
  tcase_add_test(tc, rejects_empty_file);
  tcase_add_test(tc, rejects_empty_header_line);
  tcase_add_test(tc, rejects_line_longer_than_max_line);
  tcase_add_test(tc, accepts_line_of_exactly_max_line);
  tcase_add_test(tc, rejects_long_header_with_small_max_line);
  tcase_add_test(tc, default_limit_is_one_mebibyte);
  tcase_add_test(tc, missing_file_is_io_error);
  tcase_add_test(tc, directory_is_io_error);
  tcase_add_test(tc, device_is_io_error);
  tcase_add_test(tc, null_arguments_are_invalid);
  tcase_add_test(tc, formats_error_as_file_line_column);
  tcase_add_test(tc, default_tokens_are_the_documented_seven);
  tcase_add_test(tc, number_reads_true_and_false_in_any_case_as_one_and_zero);
  tcase_add_test(tc, number_rejects_text_naming_line_column_and_name);
  tcase_add_test(tc, zeroed_options_have_no_missing_tokens);
  tcase_add_test(tc, missing_tokens_are_nan_and_counted_with_the_first_place);
  tcase_add_test(tc, column_without_missing_cells_says_so);
  tcase_add_test(tc, missing_position_is_the_physical_line_and_byte);
  tcase_add_test(tc, quoted_token_is_missing_but_not_with_blanks_inside);
  tcase_add_test(tc, numeric_token_is_missing);
  tcase_add_test(tc, auto_of_numbers_is_number);
  tcase_add_test(tc, auto_turned_text_keeps_every_cell_as_written);
  tcase_add_test(tc, auto_turns_late_in_several_columns);
  tcase_add_test(tc, text_levels_are_in_byte_order_with_utf8);
  tcase_add_test(tc, text_keeps_true_numbers_and_quoted_blanks_as_written);
  tcase_add_test(tc, text_column_of_only_missing_cells_has_no_levels);
  tcase_add_test(tc, skip_never_parses_or_checks_cells);
  tcase_add_test(tc, types_by_name_override_the_default_and_unknown_names_are_no_error);
  tcase_add_test(tc, unknown_type_or_null_list_is_invalid);
  tcase_add_test(tc, first_column_may_have_the_empty_name);
  tcase_add_test(tc, gzip_file_reads_as_the_plain_one);
  tcase_add_test(tc, two_windows_hold_every_row_once);
  tcase_add_test(tc, truncated_or_corrupt_gzip_is_a_data_error_naming_the_file);
  tcase_add_test(tc, random_decimals_read_exactly_as_strtod);
  suite_add_tcase(s, tc);
  return s;
}

int main(void) { return tu_run(table_suite()); }

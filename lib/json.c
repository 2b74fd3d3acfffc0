/* json.c: exact JSON numbers (see json.h). */
#include "json.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

size_t rp_format_number(double x, char buf[RP_NUMBER_MAX]) {
  int len = snprintf(buf, RP_NUMBER_MAX, "null");
  for (int digits = 15; isfinite(x) && digits <= 17; digits++) {
    len = snprintf(buf, RP_NUMBER_MAX, "%.*g", digits, x);
    if (strtod(buf, NULL) == x) break;
  }
  return (size_t)len;
}

cJSON *rp_json_number(double x) {
  char buf[RP_NUMBER_MAX];
  rp_format_number(x, buf);
  return cJSON_CreateRaw(buf);
}

int rp_json_add(cJSON *obj, const char *key, cJSON *item) {
  if (item && cJSON_AddItemToObject(obj, key, item)) return 1;
  cJSON_Delete(item);
  return 0;
}

int rp_json_add_number(cJSON *obj, const char *key, double x) {
  return rp_json_add(obj, key, rp_json_number(x));
}

cJSON *rp_json_named_numbers(char *const *names, const double *v, size_t n) {
  cJSON *o = cJSON_CreateObject();
  for (size_t j = 0; o && j < n; j++)
    if (!rp_json_add_number(o, names[j], v[j])) cJSON_Delete(o), o = NULL;
  return o;
}

void rp_text_position(const char *text, const char *at, long *line, long *column) {
  const char *line_start = text;
  *line = 1;
  for (const char *p = text; p < at; p++)
    if (*p == '\n') {
      (*line)++;
      line_start = p + 1;
    }
  *column = (long)(at - line_start) + 1;
}

/* An array of numbers as one item that points at them, printed by
 * rp_json_write as cJSON_Print lays out an array of numbers, with
 * rp_format_number's texts.  An item per number costs about 100 bytes; a
 * raw item keeps the array's text in the tree while the file is written
 * (24 MB in the report of 100 alphas x 20000 coefficients).  The type is
 * raw with cJSON_IsReference, so cJSON_Delete frees neither the numbers
 * nor the pointer to them, and no other item has that type: cJSON makes
 * references only of strings, arrays and objects.  Other cJSON functions
 * (Print, Duplicate, Compare) would read the pointer as text: none is
 * called on a tree that holds one. */
enum { NUMBERS_VIEW = cJSON_Raw | cJSON_IsReference };

/* A view of n numbers at v, doubles or (ints 1) ints. */
static cJSON *view(const void *v, size_t n, int ints) {
  cJSON *a = cJSON_CreateNull();
  if (!a) return NULL;
  a->type = NUMBERS_VIEW;
  a->valuestring = (char *)(uintptr_t)v; /* read back as const double * or const int * */
  a->valuedouble = (double)n;            /* exact below 2^53 */
  a->valueint = ints;
  return a;
}

cJSON *rp_json_numbers_view(const double *v, size_t n) { return view(v, n, 0); }

cJSON *rp_json_ints_view(const int *v, size_t n) { return view(v, n, 1); }

/* ------------------------------------------------------------ writing */

enum { WRITE_BUFFER = 16384 };

typedef struct {
  rp_json_put put;
  void *ctx;
  int ok;
  size_t len;
  char buf[WRITE_BUFFER];
} writer;

static void flush(writer *w) {
  if (w->ok && w->len) w->ok = w->put(w->ctx, w->buf, w->len);
  w->len = 0;
}

static void put(writer *w, const char *s, size_t n) {
  while (n > 0 && w->ok) {
    if (w->len == WRITE_BUFFER) flush(w);
    size_t k = n < WRITE_BUFFER - w->len ? n : WRITE_BUFFER - w->len;
    memcpy(w->buf + w->len, s, k);
    w->len += k;
    s += k;
    n -= k;
  }
}

static void put_text(writer *w, const char *s) { put(w, s, strlen(s)); }

static void put_tabs(writer *w, size_t depth) {
  while (depth-- > 0) put(w, "\t", 1);
}

/* cJSON's escapes (quote, backslash, C0 as \b \f \n \r \t or \u00xx),
 * then what cJSON leaves raw made safe: invalid UTF-8 as U+FFFD, DEL and
 * C1 as \u007f..\u009f (see rp_json_print). */
static void put_string(writer *w, const char *s) {
  static const char *const SHORT = "\b\f\n\r\t\"\\", *const LETTER = "bfnrt\"\\";
  put(w, "\"", 1);
  for (rp_text_cursor c = rp_text_start(s ? s : "", s ? strlen(s) : 0, RP_TEXT_UTF8);
       rp_text_next(&c);) {
    char escape[8];
    const char *hit = c.cp > 0 && c.cp < 0x7F ? strchr(SHORT, (int)c.cp) : NULL;
    if (hit)
      put(w, (char[2]){'\\', LETTER[hit - SHORT]}, 2);
    else if (c.cp < 0x20 || (c.cp >= 0x7F && rp_text_is_control(c.cp)))
      put(w, escape, (size_t)snprintf(escape, sizeof escape, "\\u%04lx", c.cp));
    else
      put(w, c.piece, c.n);
  }
  put(w, "\"", 1);
}

static void put_numbers(writer *w, const cJSON *item) {
  const double *v = (const double *)(uintptr_t)item->valuestring;
  const int *k = (const int *)(uintptr_t)item->valuestring;
  char text[RP_NUMBER_MAX];
  put(w, "[", 1);
  for (size_t i = 0, n = (size_t)item->valuedouble; i < n; i++) {
    if (i > 0) put(w, ", ", 2);
    if (item->valueint)
      put(w, text, (size_t)snprintf(text, sizeof text, "%d", k[i]));
    else
      put(w, text, rp_format_number(v[i], text));
  }
  put(w, "]", 1);
}

/* A number, true, false or null exactly as cJSON prints it. */
static void put_scalar(writer *w, const cJSON *item) {
  char *text = cJSON_PrintUnformatted(item);
  if (!text) w->ok = 0;
  if (text) put_text(w, text);
  free(text);
}

static void put_value(writer *w, const cJSON *item, size_t depth);

/* cJSON_Print's layout: an object's members one per line, indented by
 * tabs; an array's elements on one line, after ", ". */
static void put_object(writer *w, const cJSON *item, size_t depth) {
  put(w, "{\n", 2);
  for (const cJSON *c = item->child; c && w->ok; c = c->next) {
    put_tabs(w, depth + 1);
    put_string(w, c->string);
    put(w, ":\t", 2);
    put_value(w, c, depth + 1);
    if (c->next) put(w, ",", 1);
    put(w, "\n", 1);
  }
  put_tabs(w, depth);
  put(w, "}", 1);
}

static void put_array(writer *w, const cJSON *item, size_t depth) {
  put(w, "[", 1);
  for (const cJSON *c = item->child; c && w->ok; c = c->next) {
    put_value(w, c, depth + 1);
    if (c->next) put(w, ", ", 2);
  }
  put(w, "]", 1);
}

static void put_value(writer *w, const cJSON *item, size_t depth) {
  if (item->type == NUMBERS_VIEW)
    put_numbers(w, item);
  else if (cJSON_IsRaw(item))
    put_text(w, item->valuestring ? item->valuestring : "");
  else if (cJSON_IsString(item))
    put_string(w, item->valuestring);
  else if (cJSON_IsObject(item))
    put_object(w, item, depth);
  else if (cJSON_IsArray(item))
    put_array(w, item, depth);
  else
    put_scalar(w, item);
}

int rp_json_write(const cJSON *item, rp_json_put put_fn, void *ctx) {
  writer *w = item ? malloc(sizeof *w) : NULL;
  if (!w) return 0;
  *w = (writer){put_fn, ctx, 1, 0, {0}};
  put_value(w, item, 0);
  flush(w);
  int ok = w->ok;
  free(w);
  return ok;
}

/* ------------------------------------------------------------ into memory */

typedef struct {
  char *text;
  size_t len, cap;
} growing;

static int grow(void *ctx, const char *s, size_t n) {
  growing *g = ctx;
  if (g->len + n + 1 > g->cap) {
    size_t cap = 2 * (g->len + n + 1);
    char *bigger = realloc(g->text, cap);
    if (!bigger) return 0;
    g->text = bigger;
    g->cap = cap;
  }
  memcpy(g->text + g->len, s, n);
  g->len += n;
  g->text[g->len] = '\0';
  return 1;
}

char *rp_json_print(const cJSON *item) {
  growing g = {NULL, 0, 0};
  if (!rp_json_write(item, grow, &g)) {
    free(g.text);
    return NULL;
  }
  return g.text;
}

cJSON *rp_json_numbers(const double *v, size_t n) {
  cJSON *view = rp_json_numbers_view(v, n);
  char *text = rp_json_print(view);
  cJSON *a = text ? cJSON_CreateRaw(text) : NULL;
  cJSON_Delete(view);
  free(text);
  return a;
}

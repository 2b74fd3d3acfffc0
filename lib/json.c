/* json.c: exact JSON numbers (see json.h). */
#include "json.h"

#include <math.h>
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

int rp_json_add_number(cJSON *obj, const char *key, double x) {
  cJSON *item = rp_json_number(x);
  if (!item || !cJSON_AddItemToObject(obj, key, item)) {
    cJSON_Delete(item);
    return 0;
  }
  return 1;
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

/* One raw item with the array's text, laid out as cJSON_Print lays out an
 * array of numbers.  An item per number would cost about 100 bytes each:
 * 100 MB for a report of 100 alphas x 10000 coefficients. */
cJSON *rp_json_numbers(const double *v, size_t n) {
  char *text = malloc(3 + n * (RP_NUMBER_MAX + 2)), *end = text;
  if (!text) return NULL;
  *end++ = '[';
  for (size_t i = 0; i < n; i++) {
    if (i > 0) *end++ = ',', *end++ = ' ';
    end += rp_format_number(v[i], end);
  }
  *end++ = ']';
  *end = '\0';
  cJSON *a = cJSON_CreateRaw(text);
  free(text);
  return a;
}

/* JSON text (len bytes) as rp_json_print writes it, into out (NULL: only
 * measured); returns its length. */
static size_t clean_json(const char *text, size_t len, char *out) {
  size_t n = 0;
  for (rp_text_cursor c = rp_text_start(text, len, RP_TEXT_UTF8); rp_text_next(&c);) {
    char escape[8];
    const char *piece = c.piece;
    size_t k = c.n;
    if (c.cp >= 0x7F && rp_text_is_control(c.cp)) { /* C0 is cJSON's, in strings and layout */
      k = (size_t)snprintf(escape, sizeof escape, "\\u%04lx", c.cp);
      piece = escape;
    }
    if (out) memcpy(out + n, piece, k);
    n += k;
  }
  return n;
}

char *rp_json_print(const cJSON *item) {
  char *text = cJSON_Print(item);
  if (!text) return NULL;
  size_t len = strlen(text);
  const char *p = text;
  while (*p && (unsigned char)*p < 0x7F) p++;
  if (!*p) return text; /* ASCII: the usual case, and nothing to change */
  size_t n = clean_json(text, len, NULL);
  char *clean = malloc(n + 1);
  if (clean) clean[clean_json(text, len, clean)] = '\0';
  free(text);
  return clean;
}

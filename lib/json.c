/* json.c: exact JSON numbers (see json.h). */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

cJSON *rp_json_number(double x) {
  if (!isfinite(x)) return cJSON_CreateNull();
  char buf[40];
  for (int digits = 15; digits <= 17; digits++) {
    snprintf(buf, sizeof buf, "%.*g", digits, x);
    if (strtod(buf, NULL) == x) break;
  }
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

cJSON *rp_json_numbers(const double *v, size_t n) {
  cJSON *a = cJSON_CreateArray();
  int ok = a != NULL;
  for (size_t i = 0; ok && i < n; i++) {
    cJSON *x = rp_json_number(v[i]);
    ok = x && cJSON_AddItemToArray(a, x);
    if (!ok) cJSON_Delete(x);
  }
  if (!ok) cJSON_Delete(a);
  return ok ? a : NULL;
}

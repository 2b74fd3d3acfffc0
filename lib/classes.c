/* classes.c: a classification target's classes (regpath/classes.h). */
#define _POSIX_C_SOURCE 200809L
#include "regpath/classes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "json.h"
#include "text.h"

int rp_classes_find(const rp_classes *c, const char *text) {
  if (c->labels) {
    for (size_t k = 0; k < c->n; k++)
      if (strcmp(text, c->labels[k]) == 0) return (int)k;
    return -1;
  }
  char *end;
  double x = strtod(text, &end);
  if (strcasecmp(text, "true") == 0 || strcasecmp(text, "false") == 0) /* read as 1/0 */
    x = strcasecmp(text, "true") == 0;
  else if (end == text || *end)
    return -1;
  for (size_t k = 0; k < c->n; k++)
    if (x == c->values[k]) return (int)k;
  return -1;
}

void rp_classes_name(const rp_classes *c, size_t k, char *buf, size_t size) {
  if (k >= c->n) {
    snprintf(buf, size, "%zu", k);
    return;
  }
  if (c->labels) {
    rp_text_clean(c->labels[k], strlen(c->labels[k]), RP_TEXT_LINE, buf, size);
    return;
  }
  char number[RP_NUMBER_MAX];
  rp_format_number(c->values[k], number);
  snprintf(buf, size, "%s", number);
}

int rp_classes_copy(rp_classes *dst, const rp_classes *src) {
  *dst = (rp_classes){0};
  if (!src->n) return 1;
  dst->n = src->n;
  dst->values = malloc(src->n * sizeof *dst->values);
  int ok = dst->values != NULL;
  if (ok) memcpy(dst->values, src->values, src->n * sizeof *dst->values);
  if (ok && src->labels) ok = (dst->labels = calloc(src->n, sizeof *dst->labels)) != NULL;
  for (size_t k = 0; ok && src->labels && k < src->n; k++)
    ok = (dst->labels[k] = strdup(src->labels[k])) != NULL;
  if (!ok) rp_classes_free(dst);
  return ok;
}

void rp_classes_free(rp_classes *c) {
  for (size_t k = 0; c->labels && k < c->n; k++) free(c->labels[k]);
  free(c->labels);
  free(c->values);
  *c = (rp_classes){0};
}

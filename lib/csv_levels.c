/* csv_levels.c: the distinct texts of a text column (see csv_levels.h). */
#include "csv_levels.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Open addressing with linear probing, at most half full: slot holds id + 1
 * (0 = empty) and the text's hash, so most probes compare no text. */
typedef struct {
  uint64_t hash;
  size_t id1;
} slot;

struct rp_csv_levels {
  char **text;   /* by id */
  size_t *len;   /* by id */
  size_t n, cap; /* ids in use, and room in text/len */
  slot *slots;
  size_t n_slots; /* a power of two */
};

/* FNV-1a, 64 bits: short cells, and no adversary to defend against. */
static uint64_t hash_text(const char *s, size_t len) {
  uint64_t h = 0xcbf29ce484222325u;
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 0x100000001b3u;
  return h;
}

rp_csv_levels *rp_csv_levels_new(void) {
  rp_csv_levels *l = calloc(1, sizeof *l);
  if (!l) return NULL;
  l->n_slots = 64;
  l->slots = calloc(l->n_slots, sizeof *l->slots);
  if (!l->slots) {
    free(l);
    return NULL;
  }
  return l;
}

static int grow_slots(rp_csv_levels *l) {
  size_t n = 2 * l->n_slots;
  if (n > SIZE_MAX / sizeof(slot)) return 0;
  slot *s = calloc(n, sizeof *s);
  if (!s) return 0;
  for (size_t i = 0; i < l->n_slots; i++) {
    if (!l->slots[i].id1) continue;
    size_t k = (size_t)l->slots[i].hash & (n - 1);
    while (s[k].id1) k = (k + 1) & (n - 1);
    s[k] = l->slots[i];
  }
  free(l->slots);
  l->slots = s;
  l->n_slots = n;
  return 1;
}

static int grow_texts(rp_csv_levels *l) {
  size_t cap = l->cap ? 2 * l->cap : 16;
  if (cap > SIZE_MAX / sizeof(char *)) return 0;
  char **text = realloc(l->text, cap * sizeof *text);
  if (!text) return 0;
  l->text = text;
  size_t *len = realloc(l->len, cap * sizeof *len);
  if (!len) return 0;
  l->len = len;
  l->cap = cap;
  return 1;
}

long rp_csv_levels_intern(rp_csv_levels *l, const char *s, size_t len) {
  uint64_t h = hash_text(s, len);
  size_t mask = l->n_slots - 1, k = (size_t)h & mask;
  for (; l->slots[k].id1; k = (k + 1) & mask) {
    size_t id = l->slots[k].id1 - 1;
    if (l->slots[k].hash == h && l->len[id] == len && memcmp(l->text[id], s, len) == 0)
      return (long)id;
  }
  if (2 * (l->n + 1) > l->n_slots) { /* grow first: the probe above needs an empty slot */
    if (!grow_slots(l)) return -1;
    for (mask = l->n_slots - 1, k = (size_t)h & mask; l->slots[k].id1;) k = (k + 1) & mask;
  }
  if (l->n == l->cap && !grow_texts(l)) return -1;
  char *copy = malloc(len + 1);
  if (!copy) return -1;
  memcpy(copy, s, len);
  copy[len] = '\0';
  l->text[l->n] = copy;
  l->len[l->n] = len;
  l->slots[k] = (slot){h, ++l->n};
  return (long)(l->n - 1);
}

static int compare_texts(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int rp_csv_levels_finish(rp_csv_levels *l, char ***levels, size_t *n, size_t **rank) {
  size_t count = l->n;
  char **sorted = malloc((count ? count : 1) * sizeof *sorted);
  size_t *r = malloc((count ? count : 1) * sizeof *r);
  if (!sorted || !r) {
    free(sorted);
    free(r);
    return 0;
  }
  if (count) memcpy(sorted, l->text, count * sizeof *sorted); /* l->text is NULL when empty */
  qsort(sorted, count, sizeof *sorted, compare_texts);
  /* The texts are distinct, so each one's rank is found by binary search. */
  for (size_t id = 0; id < count; id++) {
    char **hit = bsearch(&l->text[id], sorted, count, sizeof *sorted, compare_texts);
    r[id] = (size_t)(hit - sorted);
  }
  l->n = 0; /* the strings now belong to the caller */
  *levels = sorted;
  *n = count;
  *rank = r;
  return 1;
}

void rp_csv_levels_free(rp_csv_levels *l) {
  if (!l) return;
  for (size_t i = 0; i < l->n; i++) free(l->text[i]);
  free(l->text);
  free(l->len);
  free(l->slots);
  free(l);
}

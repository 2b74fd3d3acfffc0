/* regpath/classes.h: the classes of a binomial or multinomial target, in
 * the order the fits read them: class k is y = k (binomial: 0 and 1, the
 * second the positive class; multinomial: 0..K-1, in sorted order). */
#ifndef REGPATH_CLASSES_H
#define REGPATH_CLASSES_H

#include <stddef.h>

#include "regpath/api.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  size_t n;       /* the classes: 2 (binomial), K >= 3 (multinomial), 0 (none)  */
  double *values; /* n: the target values read as 0..n-1 (a text target: 0..n-1) */
  char **labels;  /* n: a text target's labels read as 0..n-1, or NULL (numbers) */
} rp_classes;

/* The class of a target cell's text: the label it equals, or for numeric
 * classes the value it parses to ("true"/"false" read as 1/0); -1 when it
 * is none of them. */
RP_API int rp_classes_find(const rp_classes *c, const char *text);

/* Class k's name for a line of text: its label (control characters made
 * visible) or its value as the shortest exact number, into buf (size bytes;
 * truncated to fit); for a k past the classes (a run or path whose classes
 * are not named), k itself. */
RP_API void rp_classes_name(const rp_classes *c, size_t k, char *buf, size_t size);

/* A deep copy into *dst; 0 when out of memory (*dst is then empty). */
RP_API int rp_classes_copy(rp_classes *dst, const rp_classes *src);

/* Free what c holds and empty it. */
RP_API void rp_classes_free(rp_classes *c);

#ifdef __cplusplus
}
#endif

#endif /* REGPATH_CLASSES_H */

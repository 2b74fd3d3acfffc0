/* csv_levels.h (private): the distinct texts of a text column, for
 * lib/table.c.
 *
 * While a file is read, each cell's text is interned: it gets the id of its
 * first appearance (0, 1, 2, ...), found through a hash table so that a
 * column of a million rows costs a million lookups, not a scan each.  At
 * the end the texts are sorted in byte order (strcmp) and each id mapped to
 * its rank, which is what the table stores.
 */
#ifndef REGPATH_CSV_LEVELS_H
#define REGPATH_CSV_LEVELS_H

#include <stddef.h>

typedef struct rp_csv_levels rp_csv_levels;

/* An empty set; NULL when out of memory. */
rp_csv_levels *rp_csv_levels_new(void);

/* The id of the text s (len bytes, no NUL inside), adding it when it is new;
 * -1 when out of memory. */
long rp_csv_levels_intern(rp_csv_levels *l, const char *s, size_t len);

/* The texts in byte order (*levels, *n of them; the caller owns the array
 * and its strings, and the set no longer does) and rank[id] for each id
 * (*rank, owned by the caller).  Returns 0 when out of memory (the set is
 * unchanged then). */
int rp_csv_levels_finish(rp_csv_levels *l, char ***levels, size_t *n, size_t **rank);

/* Frees the set and the texts it still owns; NULL is harmless. */
void rp_csv_levels_free(rp_csv_levels *l);

#endif

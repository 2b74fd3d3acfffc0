/* csv_number.h (private): the text of a CSV cell as a number, exactly as
 * strtod reads it (the correctly rounded double), for lib/table.c. */
#ifndef REGPATH_CSV_NUMBER_H
#define REGPATH_CSV_NUMBER_H

#include <stddef.h>

typedef enum { RP_NUM_OK, RP_NUM_EMPTY, RP_NUM_NOT_NUMBER, RP_NUM_NOT_FINITE } rp_num_result;

/* The longest prefix of s (len bytes) that is a decimal
 * [sign] digits [. digits] [e [sign] digits] which this fast path converts
 * exactly, its value in *v; 0 when the prefix is not one it can convert
 * (strtod then decides).  Never reads past len. */
size_t rp_csv_short_decimal(const char *s, size_t len, double *v);

/* The whole of s (len bytes, blanks already trimmed) as a finite decimal
 * number: hexadecimal, "nan", "inf" and leading control characters are not
 * numbers here, although strtod takes them. */
rp_num_result rp_csv_parse_number(const char *s, size_t len, double *v);

/* TRUE or FALSE in any case: 1 with *v = 1 or 0; else 0. */
int rp_csv_boolean(const char *s, size_t len, double *v);

#endif

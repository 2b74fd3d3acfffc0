/* csv_number.c: the text of a CSV cell as a number (see csv_number.h). */
#define _POSIX_C_SOURCE 200809L
#include "csv_number.h"

#include <ctype.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* 2^53: every integer up to it is a double exactly. */
#define EXACT_INTEGER_MAX ((uint64_t)1 << 53)

static int is_digit(char c) { return (unsigned char)(c - '0') < 10; }

/* Eight ASCII digits at once (SWAR, as simdjson and fast_float read them):
 * w holds 8 bytes in memory order, so this needs a little-endian machine;
 * elsewhere the digits go one by one. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define EIGHT_AT_ONCE 1
static int eight_digits(uint64_t w) {
  return !(((w + 0x4646464646464646u) | (w - 0x3030303030303030u)) & 0x8080808080808080u);
}

/* Their value: pairs, then fours, then the eight, each step one multiply. */
static uint64_t eight_value(uint64_t w) {
  w -= 0x3030303030303030u;
  w = w * 10 + (w >> 8);
  return (uint32_t)((((w & 0x000000FF000000FFu) * 0x000F424000000064u) +
                     (((w >> 16) & 0x000000FF000000FFu) * 0x0000271000000001u)) >>
                    32);
}
#else
#define EIGHT_AT_ONCE 0
#endif

/* Digits from p on, appended to *m (which may wrap: the caller counts the
 * significant digits and only trusts *m up to 19 of them). */
static inline const char *take_digits(const char *p, const char *end, uint64_t *m) {
  uint64_t x = *m;
#if EIGHT_AT_ONCE
  while (end - p >= 8) {
    uint64_t w;
    memcpy(&w, p, 8);
    if (!eight_digits(w)) break;
    x = x * 100000000u + eight_value(w);
    p += 8;
  }
#endif
  for (; p < end && is_digit(*p); p++) x = x * 10 + (uint64_t)(*p - '0');
  *m = x;
  return p;
}

/* Digits of [from, to) that count: all but the zeros before the first other
 * digit (the point is skipped). */
static size_t significant(const char *from, const char *to) {
  while (from < to && (*from == '0' || *from == '.')) from++;
  size_t n = 0;
  for (; from < to; from++) n += (size_t)is_digit(*from);
  return n;
}

/* "e" [sign] 1 to 3 digits at *p: moves *p past it and returns 1 with the
 * exponent in *e; 0 for a malformed or longer exponent, which strtod then
 * takes or refuses. */
static int take_exponent(const char **p, const char *end, int *e) {
  const char *q = *p + 1;
  int minus = q < end && *q == '-', value = 0, count = 0;
  if (q < end && (*q == '-' || *q == '+')) q++;
  for (; q < end && is_digit(*q) && count < 4; q++, count++) value = 10 * value + (*q - '0');
  if (count == 0 || count == 4) return 0;
  *e = minus ? -value : value;
  *p = q;
  return 1;
}

/* Clinger's fast path: an integer m <= 2^53 and a decimal exponent k within
 * +-22 give m * 10^k, where m and 10^|k| are both doubles exactly, so one
 * correctly rounded multiplication or division gives the correctly rounded
 * value: strtod's own result, without its big-number arithmetic (most of
 * the time of reading a typical CSV file). */
size_t rp_csv_short_decimal(const char *s, size_t len, double *v) {
  static const double powers[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                  1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                  1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  const char *p = s, *end = s + len;
  int negative = p < end && *p == '-', k = 0;
  if (p < end && (*p == '-' || *p == '+')) p++;
  const char *first = p;
  uint64_t m = 0;
  p = take_digits(p, end, &m);
  size_t digits = (size_t)(p - first);
  if (p < end && *p == '.') {
    const char *point = p;
    p = take_digits(p + 1, end, &m);
    k = -(int)(p - point - 1);
    digits += (size_t)(p - point - 1);
    if (p - point - 1 > 400) return 0; /* k would leave the range of an int */
  }
  if (digits == 0 || (digits > 19 && significant(first, p) > 19)) return 0;
  int e = 0;
  if (p < end && (*p == 'e' || *p == 'E') && !take_exponent(&p, end, &e)) return 0;
  k += e;
  if (m > EXACT_INTEGER_MAX || k < -22 || k > 22) return 0;
  double x = (double)m;
  x = k < 0 ? x / powers[-k] : x * powers[k];
  *v = negative ? -x : x;
  return (size_t)(p - s);
}

/* strtod alone would accept hexadecimal and skip leading newlines or form
 * feeds, so those are refused first; an overflow comes back as HUGE_VAL and
 * fails the finiteness test, while an underflow to a denormal or zero is a
 * legitimate tiny value. */
rp_num_result rp_csv_parse_number(const char *s, size_t len, double *v) {
  char *end;
  if (len == 0) return RP_NUM_EMPTY;
  if (rp_csv_short_decimal(s, len, v) == len) return RP_NUM_OK;
  if (isspace((unsigned char)s[0]) || memchr(s, 'x', len) || memchr(s, 'X', len))
    return RP_NUM_NOT_NUMBER;
  *v = strtod(s, &end);
  if (end != s + len) return RP_NUM_NOT_NUMBER;
  if (!isfinite(*v)) return RP_NUM_NOT_FINITE;
  return RP_NUM_OK;
}

int rp_csv_boolean(const char *s, size_t len, double *v) {
  if (len == 4 && strncasecmp(s, "true", 4) == 0) {
    *v = 1.0;
    return 1;
  }
  if (len == 5 && strncasecmp(s, "false", 5) == 0) {
    *v = 0.0;
    return 1;
  }
  return 0;
}

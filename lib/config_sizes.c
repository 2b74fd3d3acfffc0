/* config_sizes.c: every list of a config's text counted against its cap
 * before cJSON parses it. */
#include "config_parse.h"

#include <stdio.h>
#include <string.h>

/* ------------------------------------------------------------ sizes, before the tree
 *
 * cJSON spends about 80 bytes on each value it parses: 10M alphas took
 * 950 MB before a setter saw them.  So the lists are counted on the text
 * first, which needs no memory, and a list over its cap fails at once.  The
 * count only steps over the text: anything that is not JSON stops it, and
 * cJSON then reports where. */

typedef struct {
  const char *p, *end;
} cursor;

#define NEST_MAX 1000 /* cJSON's own limit (CJSON_NESTING_LIMIT) */

static int is_blank(char ch) { return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n'; }

static void skip_blanks(cursor *s) {
  while (s->p < s->end && is_blank(*s->p)) s->p++;
}

static int looking_at(const cursor *s, char ch) { return s->p < s->end && *s->p == ch; }

/* Past a string literal, s->p at its opening quote.  Its text (escapes as
 * written) goes into name, cut to size, when name is not NULL. */
static void skip_string(cursor *s, char *name, size_t size) {
  const char *start = ++s->p;
  for (; s->p < s->end && *s->p != '"'; s->p++)
    if (*s->p == '\\' && s->p + 1 < s->end) s->p++;
  if (name) {
    size_t n = (size_t)(s->p - start) < size ? (size_t)(s->p - start) : size - 1;
    memcpy(name, start, n);
    name[n] = '\0';
  }
  if (s->p < s->end) s->p++;
}

/* Past `"name":`; 0 when the text is not that. */
static int skip_name(cursor *s, char *name, size_t size) {
  skip_blanks(s);
  if (!looking_at(s, '"')) return 0;
  skip_string(s, name, size);
  skip_blanks(s);
  return looking_at(s, ':') ? (s->p++, 1) : 0;
}

/* Past one value; returns how many values it holds, nested ones included (0
 * for a string, a number or a literal). */
static size_t skip_value(cursor *s, int depth) {
  skip_blanks(s);
  if (looking_at(s, '"')) {
    skip_string(s, NULL, 0);
    return 0;
  }
  if (!looking_at(s, '[') && !looking_at(s, '{')) {
    while (s->p < s->end && !is_blank(*s->p) && !strchr(",:[]{}\"", *s->p)) s->p++;
    return 0;
  }
  int object = *s->p++ == '{';
  char close = object ? '}' : ']';
  size_t n = 0;
  while (depth < NEST_MAX) {
    skip_blanks(s);
    if (looking_at(s, close)) {
      s->p++;
      return n;
    }
    if (object && !skip_name(s, NULL, 0)) break;
    n += 1 + skip_value(s, depth + 1);
    skip_blanks(s);
    if (looking_at(s, ','))
      s->p++;
    else if (!looking_at(s, close))
      break;
  }
  s->p = s->end; /* not JSON, or nested too deep: cJSON says so */
  return n;
}

/* `n` values (or keys) under `dotted` ("" for the top level), against the
 * cap of that key; an unknown name over the cap is reported as unknown. */
static rp_status check_size(rp_error *err, const char *dotted, size_t n, const char *unit) {
  const list_cap *cap = rp_cfg_key_cap(dotted);
  if (n <= cap->max) return RP_OK;
  if (dotted[0] && !rp_cfg_is_section(dotted) && !rp_cfg_find_setter(dotted))
    return rp_cfg_unknown_key(err, dotted);
  return rp_cfg_too_many(err, dotted, cap, unit, n);
}

/* The object at s->p: the top level (prefix "") or a section, whose members
 * are keys.  Each member's size is checked, then their number. */
static rp_status scan_object(cursor *s, const char *prefix, rp_error *err) {
  size_t members = 0;
  rp_status st = RP_OK;
  for (s->p++; st == RP_OK; s->p++) { /* past the '{', then past each ',' */
    char name[KEY_MAX], dotted[2 * KEY_MAX];
    if (!skip_name(s, name, sizeof name)) break; /* the end, or not JSON */
    members++;
    snprintf(dotted, sizeof dotted, "%s%s%s", prefix, prefix[0] ? "." : "", name);
    skip_blanks(s);
    if (!prefix[0] && looking_at(s, '{'))
      st = scan_object(s, dotted, err);
    else
      st = check_size(err, dotted, skip_value(s, 2), "values");
    skip_blanks(s);
    if (!looking_at(s, ',')) break;
  }
  skip_blanks(s);
  if (looking_at(s, '}')) s->p++;
  return st != RP_OK ? st : check_size(err, prefix, members, "keys");
}

/* Every list of the config text against its cap, before cJSON parses it. */
rp_status rp_cfg_check_sizes(const char *text, size_t len, rp_error *err) {
  cursor s = {text, text + len};
  skip_blanks(&s);
  if (looking_at(&s, '{')) return scan_object(&s, "", err);
  return check_size(err, "", skip_value(&s, 0), "values");
}

rp_status rp_cfg_check_value_size(rp_error *err, const char *dotted, const char *text) {
  cursor s = {text, text + strlen(text)};
  return check_size(err, dotted, skip_value(&s, 2), "values");
}

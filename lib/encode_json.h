/* encode_json.h (private): a recipe as model.json's keys (README.md,
 * "model.json"), and back; the report's data section shows its levels and
 * imputation values the same way. */
#ifndef REGPATH_ENCODE_JSON_H
#define REGPATH_ENCODE_JSON_H

#include <cjson/cJSON.h>

#include "encode.h"
#include "regpath/classes.h"

/* ["a", "b", ...], or NULL when out of memory. */
cJSON *rp_json_strings(const char *const *v, size_t n);

/* "classes": the labels, or the values, in the order read as 0..n-1; and
 * with two classes "positive_class", the second (read as 1).  Into obj; 0
 * when out of memory. */
int rp_json_add_classes(cJSON *obj, const rp_classes *c);

/* model.json's "classes" back into *c: n >= 2 distinct strings (labels;
 * values 0..n-1) or distinct finite numbers.  Returns 1, 0 when the item is
 * not such an array, -1 when out of memory. */
int rp_classes_from_json(const cJSON *item, rp_classes *c);

/* {column: [levels]} of the categorical sources. */
cJSON *rp_recipe_levels_json(const rp_recipe *r);

/* {feature: imputation value}, or JSON null without imputation. */
cJSON *rp_recipe_impute_json(const rp_recipe *r);

/* Add id, exclude, columns, categorical, drop_first, missing, impute,
 * na_values, weights and offset to `root`; 0 when out of memory. */
int rp_recipe_to_json(const rp_recipe *r, cJSON *root);

/* The recipe of a model.json (`root`) whose feature_names (p) are given: a
 * model without those keys (written before them) reads as numeric columns
 * named like its features, missing values an error, the default tokens.
 * Errors: RP_EDATA naming the key and the model file `path`, RP_ENOMEM. */
rp_status rp_recipe_from_json(const cJSON *root, char *const *features, size_t p, const char *path,
                              rp_recipe **out, rp_error *err);

#endif

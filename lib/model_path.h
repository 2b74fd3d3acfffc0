/* model_path.h (private): the selected fit's whole path in a model
 * (regpath/model.h), written to and read from model.json. */
#ifndef REGPATH_MODEL_PATH_H
#define REGPATH_MODEL_PATH_H

#include <cjson/cJSON.h>

#include "regpath/cv.h"
#include "regpath/model.h"
#include "regpath/path.h"

/* Copy `path` (whose p is m->n_features) and its CV's points into m, the
 * run's choice at index `selected`; 0 when out of memory. */
int rp_model_path_copy(rp_model *m, const rp_path *path, const rp_cv *cv, size_t selected);

/* Add "path", the indices and alpha_min/alpha_1se to root (nothing for a
 * model without a path); 0 when out of memory. */
int rp_model_path_to_json(const rp_model *m, cJSON *root);

/* Read them back from root, where they are optional (a model written
 * before they were kept has n_path 0).  Errors: RP_EDATA naming the field
 * and the model file `file`; RP_ENOMEM. */
rp_status rp_model_path_from_json(rp_model *m, const cJSON *root, const char *file, rp_error *err);

void rp_model_path_free(rp_model *m);

/* model.json's "intercept" of m: a number, or a multinomial model's [K
 * numbers]; NULL when out of memory (lib/model.c). */
cJSON *rp_model_intercept_json(const rp_model *m);

/* model.json's "coef" of m: {feature name: b_j}, or a multinomial model's
 * [{feature name: b_cj} per class]; NULL when out of memory. */
cJSON *rp_model_coef_tree(const rp_model *m);

#endif

/* coef_json.h (private): coefficients as report.json and model.json both
 * write them, one linear predictor or a multinomial fit's K (rp_path's
 * layout: intercept[k K + c], coef[(k K + c) p + j]). */
#ifndef REGPATH_COEF_JSON_H
#define REGPATH_COEF_JSON_H

#include <cjson/cJSON.h>
#include <stddef.h>

/* One point's intercept: b0[0] as a number, or with K > 1 the array of the
 * K classes' b0; NULL when out of memory. */
cJSON *rp_coef_intercept_json(const double *b0, size_t K);

/* One point's coefficients: {names_j: b_j} of the p in `coef`, or with
 * K > 1 an array of one such object per class (class c's from coef + c p);
 * NULL when out of memory. */
cJSON *rp_coef_named_json(char *const *names, const double *coef, size_t K, size_t p);

/* A path's "intercept" and "coef" of n points into obj: [b0 per point] and
 * [[b_1..b_p] per point], or with K > 1 [[K b0] per point] and [[[b_1..b_p]
 * per class] per point].  The rows are views of the arrays (json.h,
 * rp_json_numbers_view), which must outlive obj.  0 when out of memory. */
int rp_coef_path_json(cJSON *obj, const double *intercept, const double *coef, size_t n, size_t K,
                      size_t p);

#endif

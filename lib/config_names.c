/* config_names.c: the names a config accepts for each enum, in the order
 * of the C enum they map to, shared by the readers (config_keys.c) and the
 * writer (config_json.c). */
#define _POSIX_C_SOURCE 200809L /* strncasecmp */
#include "config_parse.h"

#include <string.h>
#include <strings.h>

const char *const rp_cfg_family_names[4] = {"gaussian", "binomial", "poisson", "multinomial"};
const char *const rp_cfg_convention_names[2] = {"standard", "glmnet"};
const char *const rp_cfg_rule_names[2] = {"1se", "min"};
const char *const rp_cfg_fold_grid_names[2] = {"full", "own"};
const char *const rp_cfg_categorical_names[3] = {"auto", "list", "none"};
const char *const rp_cfg_missing_names[3] = {"error", "drop", "mean"};
const char *const rp_cfg_alpha_unit_names[2] = {"regpath", "sklearn"};
const char *const rp_cfg_render_names[4] = {"auto", "png", "svg", "none"};
const char *const rp_cfg_log_base_names[2] = {"10", "e"};
const char *const rp_cfg_format_names[2] = {"csv", "svmlight"};
const char *const rp_cfg_storage_names[3] = {"auto", "dense", "sparse"};

const char *rp_cfg_name_of(const char *const *names, size_t n, int value) {
  return value >= 0 && (size_t)value < n ? names[value] : "?";
}

const char *rp_data_format_name(rp_data_format format) {
  return rp_cfg_name_of(rp_cfg_format_names, COUNT(rp_cfg_format_names), (int)format);
}

/* Does `name` end in `suffix`, compared without regard to ASCII case? */
static int ends_with(const char *name, size_t len, const char *suffix) {
  size_t n = strlen(suffix);
  return len >= n && strncasecmp(name + len - n, suffix, n) == 0;
}

/* The names svmlight files go by: LIBSVM's data sets use .svm and .libsvm
 * (and plain .txt, which says nothing, so it stays CSV). */
rp_data_format rp_data_format_of_name(const char *path) {
  static const char *const svmlight[] = {".svm", ".svmlight", ".libsvm"};
  size_t len = path ? strlen(path) : 0;
  if (ends_with(path, len, ".gz")) len -= 3;
  for (size_t i = 0; i < COUNT(svmlight); i++)
    if (ends_with(path, len, svmlight[i])) return RP_FORMAT_SVMLIGHT;
  return RP_FORMAT_CSV;
}

/* config_names.c: the names a config accepts for each enum, in the order
 * of the C enum they map to, shared by the readers (config_keys.c) and the
 * writer (config_json.c). */
#include "config_parse.h"

const char *const rp_cfg_family_names[3] = {"gaussian", "binomial", "poisson"};
const char *const rp_cfg_convention_names[2] = {"standard", "glmnet"};
const char *const rp_cfg_rule_names[2] = {"1se", "min"};
const char *const rp_cfg_fold_grid_names[2] = {"full", "own"};
const char *const rp_cfg_categorical_names[3] = {"auto", "list", "none"};
const char *const rp_cfg_missing_names[3] = {"error", "drop", "mean"};
const char *const rp_cfg_alpha_unit_names[2] = {"regpath", "sklearn"};
const char *const rp_cfg_render_names[4] = {"auto", "png", "svg", "none"};
const char *const rp_cfg_log_base_names[2] = {"10", "e"};

const char *rp_cfg_name_of(const char *const *names, size_t n, int value) {
  return value >= 0 && (size_t)value < n ? names[value] : "?";
}

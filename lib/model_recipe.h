/* model_recipe.h (private): what model.c and model_predict.c share. */
#ifndef REGPATH_MODEL_RECIPE_H
#define REGPATH_MODEL_RECIPE_H

#include "regpath/model.h"

/* Does the model's recipe give its feature names?  A model whose names were
 * changed by hand (or built without a recipe) reads its features as numeric
 * columns of those names. */
int rp_model_recipe_fits(const rp_model *m);

#endif

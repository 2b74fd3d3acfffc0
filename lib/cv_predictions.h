/* cv_predictions.h (private): cv.keep's out-of-fold predictions as CSV. */
#ifndef REGPATH_CV_PREDICTIONS_H
#define REGPATH_CV_PREDICTIONS_H

#include "regpath/run.h"

/* The selected fit's out-of-fold predictions (its rp_cv.preval), one line
 * per training row in file order (with cv.repeats, per draw and row, and a
 * column "repeat" from 1): the id (when the data has one), "row"
 * (the data row of data.train, from 1), "fold", the target as fitted
 * (binomial: 1 for the class read as 1; multinomial: the class number),
 * "weight" (with data.weights), then the prediction of the fold that held
 * the row out, as the mean (the probability of the class read as 1, the
 * expected count; multinomial: a column "<name>_<class>" of each class's
 * probability): at alpha_min and alpha_1se ("alpha_min", "alpha_1se"), or
 * with `whole_path` at every alpha of the grid ("s0", "s1", ..., as glmnet
 * names fit.preval's columns).
 * malloc'd text, NULL when out of memory. */
char *rp_cv_predictions_csv(const rp_run_result *res, int whole_path);

#endif

/* coef.h: `regpath coef`, the coefficients of a saved model (model.json) at
 * its selected alpha or at any other of its path. */
#ifndef REGPATH_APP_COEF_H
#define REGPATH_APP_COEF_H

/* Run `regpath coef` with its own arguments (argv[0] is "coef") and
 * return the exit code. */
int rp_coef_main(int argc, char **argv);

#endif

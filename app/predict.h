/* predict.h: `regpath predict`, the predictions of a saved model (model.json)
 * for the rows of a CSV file. */
#ifndef REGPATH_APP_PREDICT_H
#define REGPATH_APP_PREDICT_H

/* Run `regpath predict` with its own arguments (argv[0] is "predict") and
 * return the exit code, the same codes as the main program: 0 success,
 * 2 usage, 3 data, 4 numerical failure, 5 I/O, 6 out of memory.
 * Uses getopt_long (resets optind), prints to stdout and stderr. */
int rp_predict_main(int argc, char **argv);

#endif

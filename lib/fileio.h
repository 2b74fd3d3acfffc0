/* fileio.h (private): all-or-nothing output.
 *
 * Every file of a run is first written in full into a private staging folder
 * inside the output folder (".regpath-staging-XXXXXX"), under its final name,
 * so that derived files (plots rendered from staged scripts and data) can be
 * made there too.  Only when all were written are they renamed into the
 * output folder (rename(2) is atomic within one file system).  A failure or
 * an abandoned output removes the staging folder, so an earlier report stays
 * untouched.  (The program blocks SIGINT/SIGTERM around open..commit, so an
 * interrupt takes effect only once the folder holds the old files or all the
 * new ones.)
 */
#ifndef REGPATH_FILEIO_H
#define REGPATH_FILEIO_H

#include <stddef.h>

#include "regpath/error.h"

typedef struct rp_output rp_output;

/* Start writing into folder `dir` (created with its parents if missing). */
rp_status rp_output_open(const char *dir, rp_output **out, rp_error *err);

/* Write `len` bytes as file `name` (a plain name, no '/') of the output. */
rp_status rp_output_add(rp_output *o, const char *name, const char *data, size_t len,
                        rp_error *err);

/* Record a file that something else (gnuplot) wrote into the staging folder. */
rp_status rp_output_adopt(rp_output *o, const char *name, rp_error *err);

/* The staging folder, where added files are until the commit. */
const char *rp_output_staging(const rp_output *o);

/* The number of files added, and the name of file i. */
size_t rp_output_count(const rp_output *o);
const char *rp_output_name(const rp_output *o, size_t i);

/* Rename every added file into place. */
rp_status rp_output_commit(rp_output *o, rp_error *err);

/* Remove what was not committed and free; NULL is harmless. */
void rp_output_free(rp_output *o);

/* Read the whole file `path` into *text (malloc'd, NUL-terminated; caller
 * frees) and its length into *len.  `what` names it in messages ("cannot
 * read config: ...").  A file of more than `max` bytes is not read: the call
 * succeeds with *text NULL, and the caller says what to do (a regular file is
 * measured before reading; a pipe is read until it passes max).  SIZE_MAX:
 * no limit.  Errors: RP_EIO, RP_ENOMEM. */
rp_status rp_read_file(const char *path, const char *what, size_t max, char **text, size_t *len,
                       rp_error *err);

#endif

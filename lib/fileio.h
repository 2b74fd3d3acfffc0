/* fileio.h (private): making folders and reading a whole file; replacing one
 * file at once is public (regpath/fileio.h). */
#ifndef REGPATH_FILEIO_H
#define REGPATH_FILEIO_H

#include <stddef.h>

#include "regpath/error.h"
#include "regpath/fileio.h"

/* mkdir -p: folder `dir` and its parents.  Errors: RP_EIO, RP_ENOMEM. */
rp_status rp_make_dirs(const char *dir, rp_error *err);

/* Read the whole file `path` into *text (malloc'd, NUL-terminated; caller
 * frees) and its length into *len.  `what` names it in messages ("cannot
 * read config: ...").  A file of more than `max` bytes is not read: the call
 * succeeds with *text NULL, and the caller says what to do (a regular file is
 * measured before reading; a pipe is read until it passes max).  SIZE_MAX:
 * no limit.  Errors: RP_EIO, RP_ENOMEM. */
rp_status rp_read_file(const char *path, const char *what, size_t max, char **text, size_t *len,
                       rp_error *err);

#endif

/* regpath/fileio.h: replacing one file at once (predictions, a model.json).
 * (A whole output folder is replaced by regpath/output.h.) */
#ifndef REGPATH_PUBLIC_FILEIO_H
#define REGPATH_PUBLIC_FILEIO_H

#include <stddef.h>

#include "regpath/api.h"
#include "regpath/error.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Write `len` bytes as file `path`, all or nothing: into a temporary file
 * beside it (.<name>.regpath-XXXXXX), fsync'ed, then renamed over `path`
 * (atomic within one file system); the folder is created if missing.  On
 * error `path` is as it was.  Errors: RP_EIO, RP_ENOMEM. */
RP_API rp_status rp_write_file(const char *path, const char *data, size_t len, rp_error *err);

#ifdef __cplusplus
}
#endif
#endif

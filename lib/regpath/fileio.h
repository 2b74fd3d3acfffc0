/* regpath/fileio.h: replacing one file at once (predictions, a model.json),
 * whole or a part at a time.
 * (A whole output folder is replaced by regpath/output.h.) */
#ifndef REGPATH_PUBLIC_FILEIO_H
#define REGPATH_PUBLIC_FILEIO_H

#include <stddef.h>
#include <stdio.h>

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

/* A file written all or nothing a part at a time (rp_write_file is one
 * part): rp_staged_open makes the temporary file beside `path` (and the
 * folder when missing); write to rp_staged_stream; rp_staged_commit
 * flushes, fsyncs and renames it over `path`; rp_staged_discard removes it
 * and leaves `path` as it was.  Commit and discard free the handle.
 * Errors: RP_EIO (naming `path`), RP_ENOMEM. */
typedef struct rp_staged_file rp_staged_file;
RP_API rp_status rp_staged_open(const char *path, rp_staged_file **out, rp_error *err);
RP_API FILE *rp_staged_stream(const rp_staged_file *s);
RP_API rp_status rp_staged_commit(rp_staged_file *s, rp_error *err);
RP_API void rp_staged_discard(rp_staged_file *s);

#ifdef __cplusplus
}
#endif
#endif

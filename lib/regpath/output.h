/* regpath/output.h: an output folder replaced as a whole.
 *
 * A run's files appear in its output folder all at once or not at all:
 *
 *   rp_output_open    checks the folder, removes what killed runs left (see
 *                     below), and makes a staging folder beside it,
 *                     <parent>/.<name>.regpath-XXXXXX, on the same file
 *                     system, locked (flock) for as long as the run lives.
 *   rp_output_add     writes a file into the staging folder (written in full
 *                     and fsync'ed, its size checked);
 *   rp_output_adopt   records a file something else made there (an image);
 *   rp_output_commit  links the folder's own files (those regpath did not
 *                     write, see rp_output_is_ours) into the staging folder,
 *                     then swaps the two folders with one
 *                     renameat2(RENAME_EXCHANGE), and removes the old
 *                     contents, now under the staging name;
 *   rp_output_free    removes the staging folder when nothing was committed.
 *
 * So whatever fails before the swap, the folder keeps its earlier files byte
 * for byte; after it, the folder holds exactly the new run's files and the
 * files that were there and are not regpath's.  A regpath file of an
 * earlier run that this run does not write (path_l1-0.5.dat from a run with
 * more l1_ratio values) goes with the old contents.
 *
 * The folder must be one regpath can swap: not a mount point, not the
 * current folder, holding no subfolders and nothing but files and symbolic
 * links (rp_output_open says which entry is in the way).  A symbolic link
 * to a folder is followed, and the folder it points to is swapped.
 *
 * A run killed by SIGKILL leaves its staging folder behind; the next
 * rp_output_open on the same folder finds it unlocked and removes it (only
 * regpath's files and links to files the output folder still holds: a file
 * that exists nowhere else is left where it is).  A staging folder whose
 * run is alive is locked and left alone.
 *
 * Where the file system cannot exchange two folders (NFS, for one), the
 * swap is two renames: the old folder to <parent>/.<name>.regpath-XXXXXX-old,
 * then the staging folder into place.  Between the two the folder is
 * missing, never mixed; the next rp_output_open puts a folder left at -old
 * back when the output folder is missing.
 */
#ifndef REGPATH_OUTPUT_H
#define REGPATH_OUTPUT_H

#include <signal.h>
#include <stddef.h>

#include "regpath/api.h"
#include "regpath/config.h"
#include "regpath/error.h"
#include "regpath/run.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct rp_output rp_output;

/* Start a new version of folder `dir` (its parents are created if missing;
 * the folder itself appears at the commit).  Errors: RP_EIO (cannot create
 * or lock the staging folder; `dir` is not a folder, is a mount point, is
 * the current folder, or holds an entry regpath cannot carry over), RP_ENOMEM. */
RP_API rp_status rp_output_open(const char *dir, rp_output **out, rp_error *err);

/* Stop writing as soon as *flag is nonzero: every later rp_output_add, and
 * a write in progress at its next chunk, fails with RP_EIO ("interrupted").
 * For a program's SIGINT handler.  `flag` may be NULL (the default). */
RP_API void rp_output_watch(rp_output *o, const volatile sig_atomic_t *flag);

/* Write `len` bytes as file `name` (a plain name, no '/', not yet added).
 * Errors: RP_EIO, RP_EINVAL (a bad or repeated name), RP_ENOMEM. */
RP_API rp_status rp_output_add(rp_output *o, const char *name, const char *data, size_t len,
                               rp_error *err);

/* Record file `name`, which something else wrote into the staging folder,
 * as one of the run's files.  Errors: RP_EIO (it is not there, or not a
 * regular file), RP_EINVAL, RP_ENOMEM. */
RP_API rp_status rp_output_adopt(rp_output *o, const char *name, rp_error *err);

/* The staging folder's path, where added files are until the commit. */
RP_API const char *rp_output_staging(const rp_output *o);

/* The output folder's path (symbolic links resolved). */
RP_API const char *rp_output_dir(const rp_output *o);

/* The number of files added or adopted, and the name of file i. */
RP_API size_t rp_output_count(const rp_output *o);
RP_API const char *rp_output_name(const rp_output *o, size_t i);

/* Put the staging folder in place of the output folder (see the top).
 * Errors: RP_EIO; then the output folder is as it was. */
RP_API rp_status rp_output_commit(rp_output *o, rp_error *err);

/* Remove the staging folder unless committed, release the lock, free.
 * NULL is harmless. */
RP_API void rp_output_free(rp_output *o);

/* 1 when `name` is a file name regpath writes into an output folder
 * (report.json, model.json, path*.dat, cv_l1-0.5.png, compare.gp, ...). */
RP_API int rp_output_is_ours(const char *name);

/* ---------------------------------------------------------------- a run's files */

/* Makes image file `image` (format "png" or "svg") from gnuplot script
 * `script`, both plain names inside folder `folder`.  The library starts no
 * programs: the caller supplies this (the regpath program runs gnuplot). */
typedef rp_status (*rp_render_fn)(void *ctx, const char *folder, const char *script,
                                  const char *image, const char *format, rp_error *err);

typedef struct {
  int with_report;          /* report.json into the folder (0: the caller prints it)  */
  const char *image_format; /* "png", "svg", or NULL for no images                     */
  rp_render_fn render;      /* NULL: no images                                          */
  void *render_ctx;
} rp_output_options;

/* Add every file of a run to output `out` (see the top of this file):
 * report.json when opt->with_report, model.json, and with output.plots each
 * fit's plot data and gnuplot scripts (and compare.gp with several fits),
 * each script rendered by opt->render and the image checked whole (a PNG
 * chunk by chunk, an SVG to its closing tag) before it is added.  Nothing
 * is in the output folder before rp_output_commit.  Errors: RP_EIO (cannot
 * write; a renderer's error; an image not whole), RP_ENOMEM. */
RP_API rp_status rp_output_add_run(rp_output *out, const rp_config *cfg, const rp_run_result *res,
                                   const rp_output_options *opt, rp_error *err);

/* What rp_write_outputs wrote: file names in the output folder, and a note
 * for people (e.g. that plots were not rendered), or "". */
typedef struct {
  char **names;
  size_t n;
  char note[256];
} rp_written;

/* rp_output_open(cfg->output_dir), rp_output_add_run without images, and
 * rp_output_commit: every file of a run (report.json when `with_report`)
 * replaces the folder's earlier files all at once, or, on error, none does.
 * With output.plots and output.render other than "none", written->note says
 * that the scripts were not rendered.  `written` may be NULL; else free it
 * with rp_written_free.  Errors: as rp_output_open, rp_output_add_run and
 * rp_output_commit. */
RP_API rp_status rp_write_outputs(const rp_config *cfg, const rp_run_result *res, int with_report,
                                  rp_written *written, rp_error *err);

RP_API void rp_written_free(rp_written *written);

#ifdef __cplusplus
}
#endif
#endif

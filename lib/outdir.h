/* outdir.h (private): a file of the output folder written in pieces, so
 * that a long text (report.json, model.json) is never held whole. */
#ifndef REGPATH_OUTDIR_H
#define REGPATH_OUTDIR_H

#include <stddef.h>

#include "regpath/output.h"

/* Takes the next piece of the file: returns 0 when the file cannot take it
 * (the error is the output's; the filler just stops). */
typedef int (*rp_output_put)(void *ctx, const char *data, size_t len);

/* Sends a file's text, from src, to put in pieces: returns 0 when put
 * stopped it or memory ran out. */
typedef int (*rp_output_fill)(const void *src, rp_output_put put, void *ctx);

/* rp_output_add, with the text made piece by piece by fill(src, ...).
 * Errors: those of rp_output_add, and RP_ENOMEM when fill runs out of
 * memory. */
rp_status rp_output_add_filled(rp_output *o, const char *name, rp_output_fill fill, const void *src,
                               rp_error *err);

#endif

/* render.h: gnuplot, run by the program on a plot script (the library
 * starts no programs; it calls render_gnuplot through rp_output_options). */
#ifndef REGPATH_APP_RENDER_H
#define REGPATH_APP_RENDER_H

#include <stddef.h>

#include "regpath.h"

/* gnuplot's path, found on PATH, into buf; 0 when there is none. */
int render_find_gnuplot(char *buf, size_t size);

/* An rp_render_fn: run `gnuplot -e "fmt='<format>'" <script>` in `folder`
 * (fork and exec, no shell), `ctx` being gnuplot's path.  gnuplot is
 * registered with signals.h, so a signal kills it; its stderr gives the
 * message when it fails.  The script names its own image; the caller
 * checks the image.  Errors: RP_EIO. */
rp_status render_gnuplot(void *ctx, const char *folder, const char *script, const char *image,
                         const char *format, rp_error *err);

#endif

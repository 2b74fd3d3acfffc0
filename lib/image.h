/* image.h (private): is a rendered plot whole? */
#ifndef REGPATH_IMAGE_H
#define REGPATH_IMAGE_H

#include "regpath/error.h"

/* Check that file `name` in folder `dir_fd` is a whole image of `format`:
 * "png": the signature, then chunks whose lengths and CRCs agree, IHDR
 * first, at least one IDAT, IEND last and ending the file;
 * "svg": an <svg element that is closed (</svg> ends the file).
 * `path` names the file in messages.  Errors: RP_EIO. */
rp_status rp_image_check(int dir_fd, const char *name, const char *format, const char *path,
                         rp_error *err);

#endif

/* image.c: is a rendered plot whole? (see image.h)
 *
 * gnuplot exits 0 after a short write (a full disk): the only sign of it
 * is a file that ends early.  A PNG is checked chunk by chunk (ISO/IEC
 * 15948: length, type, data, CRC-32 of type and data), an SVG by its
 * closing tag. */
#define _POSIX_C_SOURCE 200809L
#include "image.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMAGE_MAX (256u << 20) /* larger than any plot gnuplot draws here */

/* The file's bytes (malloc'd) and length, or NULL with errno set. */
static unsigned char *slurp(int dir_fd, const char *name, size_t *len) {
  int fd = openat(dir_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  struct stat sb;
  if (fd < 0) return NULL;
  unsigned char *buf = NULL;
  if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) && (uintmax_t)sb.st_size <= IMAGE_MAX &&
      (buf = malloc((size_t)sb.st_size + 1))) {
    size_t got = 0, want = (size_t)sb.st_size;
    ssize_t r = 1;
    while (got < want && (r = read(fd, buf + got, want - got)) != 0)
      if (r > 0)
        got += (size_t)r;
      else if (errno != EINTR)
        break;
    *len = got;
  } else if (!errno) {
    errno = EFBIG; /* not a regular file, or too large to be a plot */
  }
  close(fd);
  return buf;
}

/* CRC-32 (the polynomial 0xEDB88320 of PNG and zlib), bit by bit: a plot
 * is at most a few hundred kilobytes. */
static uint32_t crc32_of(const unsigned char *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return c ^ 0xFFFFFFFFu;
}

static uint32_t be32(const unsigned char *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* NULL when whole, else what is wrong. */
static const char *png_problem(const unsigned char *b, size_t len) {
  static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  if (len < 8 || memcmp(b, signature, 8) != 0) return "not a PNG file";
  int idat = 0;
  for (size_t at = 8; at + 12 <= len;) {
    uint32_t n = be32(b + at);
    if (n > len - at - 12) break;
    const unsigned char *type = b + at + 4;
    if (crc32_of(type, 4 + (size_t)n) != be32(type + 4 + n)) return "a PNG chunk fails its CRC";
    if (at == 8 && memcmp(type, "IHDR", 4) != 0) return "the PNG does not start with IHDR";
    idat |= !memcmp(type, "IDAT", 4);
    at += 12 + (size_t)n;
    if (!memcmp(type, "IEND", 4)) return at == len && idat ? NULL : "the PNG has no image data";
  }
  return "the PNG ends early (no IEND chunk)";
}

static const char *svg_problem(const unsigned char *b, size_t len) {
  const char *s = (const char *)b;
  while (len > 0 && strchr(" \t\r\n", s[len - 1])) len--;
  if (len < 6 || memcmp(s + len - 6, "</svg>", 6) != 0) return "the SVG ends early (no </svg>)";
  for (size_t i = 0; i + 4 <= len; i++)
    if (!memcmp(s + i, "<svg", 4)) return NULL;
  return "not an SVG file";
}

rp_status rp_image_check(int dir_fd, const char *name, const char *format, const char *path,
                         rp_error *err) {
  size_t len = 0;
  errno = 0;
  unsigned char *b = slurp(dir_fd, name, &len);
  if (!b)
    return rp_error_set_at(err, RP_EIO, path, 0, 0, "plot not written: %s",
                           errno ? strerror(errno) : "not a file");
  const char *problem = strcmp(format, "svg") == 0 ? svg_problem(b, len) : png_problem(b, len);
  free(b);
  if (!problem) return RP_OK;
  return rp_error_set_at(err, RP_EIO, path, 0, 0,
                         "plot not written whole: %s (%zu bytes; is the "
                         "disk full?)",
                         problem, len);
}

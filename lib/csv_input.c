/* csv_input.c: the bytes of a CSV file, plain or gzip-compressed (see
 * csv_input.h). */
#define _POSIX_C_SOURCE 200809L
#include "csv_input.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* zlib's own input buffer: large reads cost fewer system calls, and 256 KiB
 * is still small next to the record buffer. */
#define GZ_BUFFER ((unsigned)1 << 18)

static rp_status io_error(const rp_csv_input *in, rp_error *err, const char *what) {
  return rp_error_set_at(err, RP_EIO, in->path, 0, 0, "%s: %s", what, strerror(errno));
}

/* Is the file gzip?  Peeks at two bytes and goes back to the start. */
static rp_status is_gzip(rp_csv_input *in, int *gzip, rp_error *err) {
  unsigned char magic[2];
  size_t n = fread(magic, 1, 2, in->f);
  if (ferror(in->f)) return io_error(in, err, "read error");
  *gzip = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
  if (fseek(in->f, 0, SEEK_SET) != 0) return io_error(in, err, "read error");
  return RP_OK;
}

/* The uncompressed size that gzip's trailer (ISIZE, the last 4 bytes,
 * little-endian) gives: only that of the last member, and modulo 2^32, so
 * when it is below the compressed size it is taken for unknown (0).  Only
 * an estimate: the reader grows past it when it is wrong. */
static double gzip_size(rp_csv_input *in) {
  unsigned char b[4];
  double isize = 0.0;
  if (in->size >= 18 && fseek(in->f, -4, SEEK_END) == 0 && fread(b, 1, 4, in->f) == 4)
    isize = (double)((uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
                     (uint32_t)b[3] << 24);
  clearerr(in->f);
  return isize >= in->size ? isize : 0.0;
}

/* zlib reads from its own copy of the descriptor, which gzclose closes. */
static rp_status open_gzip(rp_csv_input *in, rp_error *err) {
  in->size = gzip_size(in);
  int fd = dup(fileno(in->f));
  if (fd < 0) return io_error(in, err, "cannot open");
  fclose(in->f);
  in->f = NULL;
  gzFile gz = lseek(fd, 0, SEEK_SET) == 0 ? gzdopen(fd, "rb") : NULL;
  if (!gz) {
    close(fd);
    return io_error(in, err, "cannot open");
  }
  gzbuffer(gz, GZ_BUFFER);
  in->gz = gz;
  return RP_OK;
}

/* stat first: fopen succeeds on a directory and would block on a FIFO. */
rp_status rp_csv_input_open(rp_csv_input *in, const char *path, rp_error *err) {
  struct stat sb;
  *in = (rp_csv_input){.path = path};
  if (stat(path, &sb) != 0) return io_error(in, err, "cannot open");
  if (S_ISDIR(sb.st_mode)) return rp_error_set_at(err, RP_EIO, path, 0, 0, "is a directory");
  if (!S_ISREG(sb.st_mode)) return rp_error_set_at(err, RP_EIO, path, 0, 0, "not a regular file");
  in->size = (double)sb.st_size;
  in->f = fopen(path, "rb");
  if (!in->f) return io_error(in, err, "cannot open");
  int gzip = 0;
  rp_status st = is_gzip(in, &gzip, err);
  if (st == RP_OK && gzip) st = open_gzip(in, err);
  return st;
}

/* zlib reports a stream that stops short (Z_BUF_ERROR, "unexpected end of
 * file") only through gzerror, with the bytes before it as a normal read. */
static rp_status read_gzip(rp_csv_input *in, char *buf, size_t n, size_t *got, rp_error *err) {
  unsigned want = n > UINT_MAX ? UINT_MAX : (unsigned)n;
  int r = gzread((gzFile)in->gz, buf, want), code = Z_OK;
  const char *why = gzerror((gzFile)in->gz, &code);
  /* zlib prefixes the name it opened, here "<fd:N>": the message has ours. */
  const char *colon = strstr(why, ": ");
  if (strncmp(why, "<fd:", 4) == 0 && colon) why = colon + 2;
  if (code == Z_ERRNO) return io_error(in, err, "read error");
  if (code == Z_BUF_ERROR)
    return rp_error_set_at(err, RP_EDATA, in->path, 0, 0,
                           "truncated gzip file (the compressed data stop before their "
                           "end): copy or download it again");
  if (code != Z_OK || r < 0)
    return rp_error_set_at(err, code == Z_MEM_ERROR ? RP_ENOMEM : RP_EDATA, in->path, 0, 0,
                           "corrupt gzip file (%s): copy or download it again", why);
  *got = (size_t)r;
  return RP_OK;
}

/* Up to n bytes of the file as they come, inflated when it is gzip. */
static rp_status read_bytes(rp_csv_input *in, char *buf, size_t n, size_t *got, rp_error *err) {
  if (in->gz) return read_gzip(in, buf, n, got, err);
  *got = fread(buf, 1, n, in->f);
  return ferror(in->f) ? io_error(in, err, "read error") : RP_OK;
}

static rp_status enter_window(rp_csv_input *in, rp_error *err);

rp_status rp_csv_input_window(rp_csv_input *in, long long start, long long end, int header,
                              rp_error *err) {
  if (in->gz && start > 0)
    return rp_error_set_at(err, RP_EDATA, in->path, 0, 0,
                           "a gzip file cannot be split among processes (it can only be read "
                           "from its start): give the rows as shards, one file per process or "
                           "more");
  in->start = start;
  in->end = end;
  if (in->size > (double)(end - start)) in->size = (double)(end - start); /* the window's rows */
  return header ? RP_OK : enter_window(in, err); /* no header line to read first */
}

/* After the header line (if any): on to the first line that starts at or
 * after `start` (the one that straddles it belongs to the window before); a
 * gzip file's window starts at 0, right after the header. */
static rp_status enter_window(rp_csv_input *in, rp_error *err) {
  in->phase = 1;
  if (in->gz) { /* back to the header's end (zlib inflates it again): the read went past it */
    if (gzseek((gzFile)in->gz, (z_off_t)in->pos, SEEK_SET) != (z_off_t)in->pos)
      return io_error(in, err, "read error");
  } else if (in->start > in->pos) {
    int c = 0;
    if (fseek(in->f, (long)(in->start - 1), SEEK_SET) != 0) return io_error(in, err, "read error");
    in->pos = in->start - 1;
    while ((c = getc(in->f)) != EOF && (in->pos++, c != '\n')) continue;
    if (ferror(in->f)) return io_error(in, err, "read error");
  } else if (fseek(in->f, (long)in->pos, SEEK_SET) != 0) {
    return io_error(in, err, "read error");
  }
  if (in->pos >= in->end) in->phase = 2;
  return RP_OK;
}

/* The header line, then the window's lines: the last is the one holding
 * byte end - 1, through its line feed. */
static rp_status read_window(rp_csv_input *in, char *buf, size_t n, size_t *got, rp_error *err) {
  size_t m = 0;
  rp_status st = in->phase == 2 ? RP_OK : read_bytes(in, buf, n, &m, err);
  if (st != RP_OK) return st;
  if (m == 0) {
    in->eof = 1;
    return RP_OK;
  }
  const char *nl = NULL;
  if (in->phase == 0) {
    nl = memchr(buf, '\n', m);
  } else if (in->pos + (long long)m >= in->end) {
    size_t from = in->end - 1 > in->pos ? (size_t)(in->end - 1 - in->pos) : 0;
    nl = memchr(buf + from, '\n', m - from);
  }
  if (nl) m = (size_t)(nl - buf) + 1;
  in->pos += (long long)m;
  *got = m;
  if (nl && in->phase == 1) in->phase = 2;
  return nl && in->phase == 0 ? enter_window(in, err) : RP_OK;
}

/* The line feeds in the input's first `upto` bytes (all of them, when
 * fewer), added to *lines. */
static rp_status count_feeds(rp_csv_input *in, long long upto, long *lines, rp_error *err) {
  char buf[1 << 16];
  rp_status st = RP_OK;
  for (long long seen = 0; st == RP_OK && seen < upto;) {
    size_t want = upto - seen < (long long)sizeof buf ? (size_t)(upto - seen) : sizeof buf, got;
    st = rp_csv_input_read(in, buf, want, &got, err);
    if (got == 0) break;
    for (const char *c = buf; (c = memchr(c, '\n', (size_t)(buf + got - c))); c++) ++*lines;
    seen += (long long)got;
  }
  return st;
}

rp_status rp_csv_window_lines(const char *path, long long start, long *lines, rp_error *err) {
  rp_csv_input in;
  rp_status st = rp_csv_input_open(&in, path, err);
  *lines = 0;
  if (st == RP_OK)
    st = count_feeds(&in, start > 0 ? start - 1 : 0, lines, err); /* before start - 1 */
  rp_csv_input_close(&in);
  ++*lines; /* the one that ends the line straddling start (or the header) */
  return st;
}

rp_status rp_csv_window_error(const char *path, long long start, int header, rp_status st,
                              rp_error *err) {
  long lines;
  if (st == RP_OK || !err || err->line <= header || strcmp(err->file, path) != 0) return st;
  if (!header && start == 0) return st; /* its lines are the file's */
  if (rp_csv_window_lines(path, start, &lines, NULL) == RP_OK) err->line += lines - header;
  return st;
}

rp_status rp_csv_count_lines(const char *path, long *lines, rp_error *err) {
  rp_csv_input in;
  rp_status st = rp_csv_input_open(&in, path, err);
  *lines = in.gz ? -1 : 0;
  if (st == RP_OK && !in.gz) st = count_feeds(&in, LLONG_MAX, lines, err);
  rp_csv_input_close(&in);
  return st;
}

rp_status rp_csv_input_read(rp_csv_input *in, char *buf, size_t n, size_t *got, rp_error *err) {
  *got = 0;
  if (in->eof || n == 0) return RP_OK;
  if (in->end > 0) return read_window(in, buf, n, got, err);
  rp_status st = read_bytes(in, buf, n, got, err);
  if (st != RP_OK) return st;
  if (*got < n) in->eof = in->gz ? *got == 0 : feof(in->f); /* gzip may return short reads */
  return RP_OK;
}

void rp_csv_input_close(rp_csv_input *in) {
  if (in->gz) gzclose((gzFile)in->gz);
  if (in->f) fclose(in->f);
  in->gz = NULL;
  in->f = NULL;
}

/* outdir.c: an output folder replaced as a whole (see regpath/output.h).
 *
 * Every file operation goes through descriptors of the parent folder, the
 * output folder and the staging folder (the *at calls), so that a folder
 * renamed under us is never confused with another one by path. */
#define _GNU_SOURCE /* renameat2, RENAME_EXCHANGE, RENAME_NOREPLACE */
#include "build-config.h"
#include "outdir.h"
#include "regpath/output.h"

#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STAGING_TAG ".regpath-" /* .<name>.regpath-XXXXXX */
#define OLD_SUFFIX "-old"       /* the old folder, in the two-rename swap */
#define WRITE_CHUNK (1 << 20)   /* bytes per write(2): the watch flag is read between */
#define LOCK_WAIT_MS 30000      /* how long to wait for another run's open to finish */

struct rp_output {
  char *dir;          /* the output folder, symbolic links resolved     */
  char *parent;       /* the folder that holds it                       */
  char *name;         /* its last component                             */
  char *staging;      /* parent/staging_name                            */
  char *staging_name; /* ".<name>.regpath-XXXXXX"                       */
  int parent_fd, staging_fd;
  char **names; /* the run's files, in the order added */
  size_t n, cap;
  int committed;
  const volatile sig_atomic_t *watch;
};

/* ------------------------------------------------------------ small helpers */

static rp_status io_error(rp_error *err, const char *path, const char *what) {
  return rp_error_set_at(err, RP_EIO, path, 0, 0, "%s: %s", what, strerror(errno));
}

static rp_status no_memory(rp_error *err) { return rp_error_set(err, RP_ENOMEM, "out of memory"); }

static char *join(const char *dir, const char *name) {
  size_t len = strlen(dir) + strlen(name) + 2;
  char *s = malloc(len);
  if (s) snprintf(s, len, "%s/%s", dir, name);
  return s;
}

static int interrupted(const rp_output *o) { return o->watch && *o->watch; }

static int has_suffix(const char *s, const char *suffix) {
  size_t n = strlen(s), k = strlen(suffix);
  return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ------------------------------------------------------------ regpath's names */

static int one_of(const char *s, size_t len, const char *const *words) {
  for (; *words; words++)
    if (strlen(*words) == len && strncmp(s, *words, len) == 0) return 1;
  return 0;
}

/* report.json, model.json, compare.{gp,png,svg}, and {path,cv}[_l1-<number>]
 * .{dat,gp,png,svg}: the names output.c writes (with rp_plot_file_name). */
/* Are the characters [c, end) a number's, as rp_format_number writes it? */
static int is_number_text(const char *c, const char *end) {
  if (c >= end) return 0;
  for (; c < end; c++)
    if (!strchr("0123456789.e+-", *c)) return 0;
  return 1;
}

int rp_output_is_ours(const char *name) {
  static const char *const plot_exts[] = {"dat", "gp", "png", "svg", NULL};
  static const char *const image_exts[] = {"gp", "png", "svg", NULL};
  static const char *const files[] = {"report.json", "model.json", "cv_predictions.csv",
                                      "cv_predictions_path.csv"};
  for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
    if (!strcmp(name, files[i])) return 1;
  const char *dot = strrchr(name, '.');
  if (!dot) return 0;
  size_t base = (size_t)(dot - name), ext = strlen(dot + 1);
  if (base == 7 && !strncmp(name, "compare", 7)) return one_of(dot + 1, ext, image_exts);
  if (!one_of(dot + 1, ext, plot_exts)) return 0;
  size_t kind = !strncmp(name, "path", 4) ? 4 : !strncmp(name, "cv", 2) ? 2 : 0;
  if (!kind) return 0;
  if (base == kind) return 1;
  if (base <= kind + 4 || strncmp(name + kind, "_l1-", 4) != 0) return 0;
  const char *c = name + kind + 4, *gamma = strstr(c, "_gamma-"); /* a relaxed blend's */
  const char *end = gamma && gamma < dot ? gamma : dot;
  return is_number_text(c, end) && (end == dot || is_number_text(end + 7, dot));
}

/* Earlier versions staged a run inside the output folder, in
 * .regpath-staging-XXXXXX; one left there by a killed run is regpath's. */
static int is_old_staging(const char *name, const struct stat *sb) {
  return S_ISDIR(sb->st_mode) && !strncmp(name, ".regpath-staging-", 17);
}

/* ------------------------------------------------------------ folder walks */

/* Call fn(ctx, dir_fd, entry name, its lstat) for every entry of the folder
 * open at `fd` until fn returns nonzero; returns that, or -1 when the folder
 * cannot be read (errno set).  `fd` stays open. */
typedef int (*entry_fn)(void *ctx, int dir_fd, const char *name, const struct stat *sb);

static int each_entry(int fd, entry_fn fn, void *ctx) {
  int copy = dup(fd);
  DIR *d = copy >= 0 ? fdopendir(copy) : NULL;
  if (!d) {
    if (copy >= 0) close(copy);
    return -1;
  }
  rewinddir(d);
  int stop = 0;
  struct dirent *e;
  while (!stop && (e = readdir(d))) {
    struct stat sb;
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (fstatat(fd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) continue; /* gone meanwhile */
    stop = fn(ctx, fd, e->d_name, &sb);
  }
  closedir(d);
  return stop;
}

/* Remove an entry that is not a folder: everything in a staging folder is
 * its run's (its files, and links it made to the output folder's own
 * files). */
static int remove_entry(void *ctx, int dir_fd, const char *name, const struct stat *sb) {
  (void)ctx;
  if (!S_ISDIR(sb->st_mode)) unlinkat(dir_fd, name, 0);
  return 0;
}

static int open_dir_at(int at, const char *name) {
  return openat(at, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* Does entry `name` of an old or abandoned folder go?  What regpath wrote
 * does.  The output folder's own files were carried into the new one as
 * hard links, so a file with another link goes too, and a symbolic link
 * whose copy the output folder (`out_fd`, or -1) holds; a file that exists
 * nowhere else (its other link removed since) stays. */
static int disposable(int out_fd, const char *name, const struct stat *sb) {
  struct stat copy;
  if (!S_ISREG(sb->st_mode) && !S_ISLNK(sb->st_mode)) return 0;
  if (rp_output_is_ours(name)) return 1;
  if (S_ISREG(sb->st_mode)) return sb->st_nlink > 1;
  return out_fd >= 0 && fstatat(out_fd, name, &copy, AT_SYMLINK_NOFOLLOW) == 0;
}

/* Emptying an old or abandoned folder (`ctx`: the output folder's fd, or
 * -1): disposable entries, and staging folders of earlier versions. */
static int discard_entry(void *ctx, int dir_fd, const char *name, const struct stat *sb) {
  int out_fd = *(const int *)ctx;
  if (is_old_staging(name, sb)) {
    int fd = open_dir_at(dir_fd, name);
    if (fd >= 0) {
      each_entry(fd, remove_entry, NULL);
      close(fd);
    }
    unlinkat(dir_fd, name, AT_REMOVEDIR);
  } else if (disposable(out_fd, name, sb)) {
    unlinkat(dir_fd, name, 0);
  }
  return 0;
}

/* Empty folder `name` of the parent as discard_entry says, and remove it
 * when nothing is left. */
static void discard_folder(int parent_fd, const char *name, int out_fd) {
  int fd = open_dir_at(parent_fd, name);
  if (fd < 0) return;
  each_entry(fd, discard_entry, &out_fd);
  close(fd);
  unlinkat(parent_fd, name, AT_REMOVEDIR);
}

/* ------------------------------------------------------------ opening */

/* dir -> o->dir (symbolic links resolved), o->parent, o->name; the parent
 * is created when missing. */
static rp_status locate(rp_output *o, const char *dir, rp_error *err) {
  char *copy = strdup(dir);
  if (!copy) return no_memory(err);
  size_t len = strlen(copy);
  while (len > 1 && copy[len - 1] == '/') copy[--len] = '\0';
  struct stat sb;
  if (lstat(copy, &sb) == 0 && S_ISLNK(sb.st_mode)) {
    char *target = realpath(copy, NULL);
    if (!target) {
      rp_status st = io_error(err, dir, "cannot follow the symbolic link");
      free(copy);
      return st;
    }
    free(copy);
    copy = target;
  }
  char *slash = strrchr(copy, '/');
  const char *name = slash ? slash + 1 : copy;
  if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
    free(copy);
    return rp_error_set_at(err, RP_EIO, dir, 0, 0,
                           "the output folder must be named by a path "
                           "that ends in a folder name (not /, . or ..)");
  }
  o->name = strdup(name);
  if (slash) *slash = '\0';
  const char *parent = slash ? (slash == copy ? "/" : copy) : ".";
  rp_status st = o->name ? rp_make_dirs(parent, err) : no_memory(err);
  if (st == RP_OK && !(o->parent = realpath(parent, NULL)))
    st = io_error(err, parent, "cannot resolve folder");
  if (st == RP_OK && !(o->dir = join(o->parent, o->name))) st = no_memory(err);
  free(copy);
  return st;
}

typedef struct {
  const char *dir;
  rp_error *err;
  rp_status st;
} scan_ctx;

/* What the output folder may hold: files and symbolic links, and
 * regpath's names only as files or links. */
static int check_entry(void *ctx, int dir_fd, const char *name, const struct stat *sb) {
  (void)dir_fd;
  scan_ctx *c = ctx;
  if (S_ISREG(sb->st_mode) || S_ISLNK(sb->st_mode) || is_old_staging(name, sb)) return 0;
  char *path = join(c->dir, name);
  if (rp_output_is_ours(name))
    c->st = rp_error_set_at(c->err, RP_EIO, path ? path : c->dir, 0, 0,
                            "is in the way: regpath "
                            "writes a file of that name; move it elsewhere");
  else
    c->st = rp_error_set_at(c->err, RP_EIO, c->dir, 0, 0,
                            "holds %s \"%s\" that regpath did not "
                            "write; regpath replaces its output folder as a whole: give it a "
                            "folder of its own (output.dir)",
                            S_ISDIR(sb->st_mode) ? "the folder" : "the special file", name);
  free(path);
  return 1;
}

/* The output folder, when it exists, must be one that can be swapped. */
static rp_status check_folder(const rp_output *o, rp_error *err) {
  struct stat sb, parent, cwd;
  if (fstatat(o->parent_fd, o->name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? RP_OK : io_error(err, o->dir, "cannot write");
  if (!S_ISDIR(sb.st_mode)) return rp_error_set_at(err, RP_EIO, o->dir, 0, 0, "not a folder");
  if (fstat(o->parent_fd, &parent) == 0 && parent.st_dev != sb.st_dev)
    return rp_error_set_at(err, RP_EIO, o->dir, 0, 0,
                           "is a mount point; regpath replaces its "
                           "output folder as a whole: use a folder inside it");
  if (stat(".", &cwd) == 0 && cwd.st_dev == sb.st_dev && cwd.st_ino == sb.st_ino)
    return rp_error_set_at(
        err, RP_EIO, o->dir, 0, 0,
        "is the current folder; regpath replaces its "
        "output folder as a whole: use a folder of its own, such as regpath-out");
  int fd = open_dir_at(o->parent_fd, o->name);
  if (fd < 0) return io_error(err, o->dir, "cannot read");
  scan_ctx c = {o->dir, err, RP_OK};
  int r = each_entry(fd, check_entry, &c);
  close(fd);
  return r < 0 ? io_error(err, o->dir, "cannot read") : c.st;
}

/* flock with a bounded wait; 1 when locked, 0 when the file system has no
 * locks (then nothing that needs the lock is done), -1 on a timeout. */
static int lock_within(int fd, int wait_ms) {
  for (int waited = 0;; waited += 10) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return 1;
    if (errno != EWOULDBLOCK && errno != EINTR) return 0;
    if (waited >= wait_ms) return -1;
    struct timespec ts = {0, 10 * 1000 * 1000};
    nanosleep(&ts, NULL);
  }
}

typedef struct {
  const rp_output *o;
  char prefix[NAME_MAX + sizeof STAGING_TAG + 1]; /* ".<name>.regpath-" */
} stale_ctx;

/* A staging (or old) folder of this output folder whose run is gone:
 * restore an -old folder when the output folder is missing, else empty it. */
static int recover_entry(void *ctx, int parent_fd, const char *name, const struct stat *sb) {
  const stale_ctx *c = ctx;
  if (!S_ISDIR(sb->st_mode) || strncmp(name, c->prefix, strlen(c->prefix)) != 0) return 0;
  int fd = open_dir_at(parent_fd, name);
  if (fd < 0) return 0;
  if (lock_within(fd, 0) != 1) { /* alive, or no locks to tell: leave it */
    close(fd);
    return 0;
  }
  struct stat out;
  if (has_suffix(name, OLD_SUFFIX) &&
      fstatat(parent_fd, c->o->name, &out, AT_SYMLINK_NOFOLLOW) != 0) {
    renameat(parent_fd, name, parent_fd, c->o->name);
  } else {
    int out_fd = open_dir_at(parent_fd, c->o->name);
    discard_folder(parent_fd, name, out_fd);
    if (out_fd >= 0) close(out_fd);
  }
  close(fd);
  return 0;
}

/* A new folder parent/.<name>.regpath-XXXXXX, made by mkdir (so the umask
 * applies as to any new folder), in o->staging_name. */
static rp_status make_staging(rp_output *o, rp_error *err) {
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
  size_t len = strlen(o->name) + sizeof STAGING_TAG + 8;
  if (!(o->staging_name = malloc(len))) return no_memory(err);
  struct timespec now;
  clock_gettime(CLOCK_REALTIME, &now);
  unsigned long long seed = (unsigned long long)now.tv_nsec ^ ((unsigned long long)getpid() << 20);
  for (int attempt = 0; attempt < 100; attempt++) {
    char suffix[7];
    for (int k = 0; k < 6; k++, seed = seed * 6364136223846793005ULL + 1442695040888963407ULL)
      suffix[k] = digits[(seed >> 33) % (sizeof digits - 1)];
    suffix[6] = '\0';
    snprintf(o->staging_name, len, ".%s%s%s", o->name, STAGING_TAG, suffix);
    if (mkdirat(o->parent_fd, o->staging_name, 0777) == 0) break;
    if (errno != EEXIST) return io_error(err, o->dir, "cannot write beside the output folder");
  }
  if (!(o->staging = join(o->parent, o->staging_name))) return no_memory(err);
  if ((o->staging_fd = open_dir_at(o->parent_fd, o->staging_name)) < 0)
    return io_error(err, o->staging, "cannot open");
  lock_within(o->staging_fd, 0);
  struct stat old; /* the new folder keeps the old one's permissions */
  if (fstatat(o->parent_fd, o->name, &old, 0) == 0) fchmod(o->staging_fd, old.st_mode & 07777);
  return RP_OK;
}

/* Under the parent's lock (so that no other run's cleanup takes the new
 * staging folder for a dead one before it is locked): clean up after
 * killed runs, then make this run's staging folder. */
static rp_status start_staging(rp_output *o, rp_error *err) {
  int locked = lock_within(o->parent_fd, LOCK_WAIT_MS);
  if (locked < 0)
    return rp_error_set_at(err, RP_EIO, o->parent, 0, 0,
                           "another regpath run has kept this folder "
                           "locked for %d s; try again",
                           LOCK_WAIT_MS / 1000);
  if (locked) {
    stale_ctx c = {.o = o};
    snprintf(c.prefix, sizeof c.prefix, ".%s%s", o->name, STAGING_TAG);
    each_entry(o->parent_fd, recover_entry, &c);
  }
  rp_status st = make_staging(o, err);
  if (locked) flock(o->parent_fd, LOCK_UN);
  return st;
}

rp_status rp_output_open(const char *dir, rp_output **out, rp_error *err) {
  *out = NULL;
  rp_output *o = calloc(1, sizeof *o);
  if (!o) return no_memory(err);
  o->parent_fd = o->staging_fd = -1;
  rp_status st = locate(o, dir, err);
  if (st == RP_OK && (o->parent_fd = open(o->parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
    st = io_error(err, o->parent, "cannot open");
  if (st == RP_OK) st = check_folder(o, err);
  if (st == RP_OK) st = start_staging(o, err);
  if (st != RP_OK) {
    rp_output_free(o);
    return st;
  }
  *out = o;
  return RP_OK;
}

void rp_output_watch(rp_output *o, const volatile sig_atomic_t *flag) { o->watch = flag; }

const char *rp_output_staging(const rp_output *o) { return o->staging; }

const char *rp_output_dir(const rp_output *o) { return o->dir; }

size_t rp_output_count(const rp_output *o) { return o->n; }

const char *rp_output_name(const rp_output *o, size_t i) { return o->names[i]; }

/* ------------------------------------------------------------ the files */

static rp_status record_name(rp_output *o, const char *name, rp_error *err) {
  if (!*name || strchr(name, '/') || !strcmp(name, ".") || !strcmp(name, ".."))
    return rp_error_set(err, RP_EINVAL, "bad output file name \"%s\"", name);
  for (size_t k = 0; k < o->n; k++)
    if (!strcmp(o->names[k], name))
      return rp_error_set(err, RP_EINVAL, "output file \"%s\" written twice", name);
  if (o->n == o->cap) {
    size_t cap = o->cap ? 2 * o->cap : 16;
    char **grown = realloc(o->names, cap * sizeof *grown);
    if (!grown) return no_memory(err);
    o->names = grown;
    o->cap = cap;
  }
  if (!(o->names[o->n] = strdup(name))) return no_memory(err);
  o->n++;
  return RP_OK;
}

/* Write all of data to fd in chunks, stopping when the watch flag rises. */
static rp_status write_all(const rp_output *o, int fd, const char *data, size_t len,
                           const char *path, rp_error *err) {
  while (len > 0) {
    if (interrupted(o)) return rp_error_set_at(err, RP_EIO, path, 0, 0, "interrupted");
    ssize_t w = write(fd, data, len < WRITE_CHUNK ? len : WRITE_CHUNK);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return io_error(err, path, "cannot write");
    data += w;
    len -= (size_t)w;
  }
  return RP_OK;
}

/* Flushed to the disk, and as long as it should be. */
static rp_status settle(int fd, off_t len, const char *path, rp_error *err) {
  struct stat sb;
  if (fsync(fd) != 0 && errno != EINVAL) return io_error(err, path, "cannot write");
  if (fstat(fd, &sb) != 0) return io_error(err, path, "cannot write");
  if (len >= 0 && sb.st_size != len)
    return rp_error_set_at(err, RP_EIO, path, 0, 0, "cannot write: %lld of %lld bytes on disk",
                           (long long)sb.st_size, (long long)len);
  return RP_OK;
}

/* A file being filled: where its pieces go, how long it is, the first
 * error. */
typedef struct {
  const rp_output *o;
  int fd;
  const char *path;
  off_t len;
  rp_error *err;
  rp_status st;
} filling;

static int put_piece(void *ctx, const char *data, size_t len) {
  filling *f = ctx;
  if (f->st == RP_OK) f->st = write_all(f->o, f->fd, data, len, f->path, f->err);
  f->len += (off_t)len;
  return f->st == RP_OK;
}

rp_status rp_output_add_filled(rp_output *o, const char *name, rp_output_fill fill, const void *src,
                               rp_error *err) {
  rp_status st = record_name(o, name, err);
  if (st != RP_OK) return st;
  char *final = join(o->dir, name);
  if (!final) return no_memory(err);
  int fd = openat(o->staging_fd, name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  filling f = {.o = o, .fd = fd, .path = final, .len = 0, .err = err, .st = RP_OK};
  if (f.fd < 0)
    f.st = io_error(err, final, "cannot write");
  else if (!fill(src, put_piece, &f) && f.st == RP_OK)
    f.st = no_memory(err);
  if (f.st == RP_OK) f.st = settle(f.fd, f.len, final, err);
  if (f.fd >= 0 && close(f.fd) != 0 && f.st == RP_OK) f.st = io_error(err, final, "cannot write");
  free(final);
  return f.st;
}

typedef struct {
  const char *data;
  size_t len;
} bytes;

static int fill_bytes(const void *src, rp_output_put put, void *ctx) {
  const bytes *b = src;
  return put(ctx, b->data, b->len);
}

rp_status rp_output_add(rp_output *o, const char *name, const char *data, size_t len,
                        rp_error *err) {
  const bytes b = {data, len};
  return rp_output_add_filled(o, name, fill_bytes, &b, err);
}

rp_status rp_output_adopt(rp_output *o, const char *name, rp_error *err) {
  rp_status st = record_name(o, name, err);
  if (st != RP_OK) return st;
  char *final = join(o->dir, name);
  if (!final) return no_memory(err);
  int fd = openat(o->staging_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  struct stat sb;
  if (fd < 0 || fstat(fd, &sb) != 0)
    st = io_error(err, final, "was not written");
  else if (!S_ISREG(sb.st_mode))
    st = rp_error_set_at(err, RP_EIO, final, 0, 0, "was not written as a file");
  else
    st = settle(fd, -1, final, err);
  if (fd >= 0) close(fd);
  free(final);
  return st;
}

/* ------------------------------------------------------------ the swap */

typedef struct {
  rp_output *o;
  rp_error *err;
  rp_status st;
} carry_ctx;

/* A file of the output folder that is not regpath's goes into the staging
 * folder too: a hard link (the same file), or a copy of a symbolic link. */
static int carry_entry(void *ctx, int dir_fd, const char *name, const struct stat *sb) {
  carry_ctx *c = ctx;
  if (rp_output_is_ours(name) && (S_ISREG(sb->st_mode) || S_ISLNK(sb->st_mode))) return 0;
  if (is_old_staging(name, sb)) return 0;
  int ok = 0;
  if (S_ISREG(sb->st_mode)) {
    ok = linkat(dir_fd, name, c->o->staging_fd, name, 0) == 0;
  } else if (S_ISLNK(sb->st_mode)) {
    char target[PATH_MAX];
    ssize_t len = readlinkat(dir_fd, name, target, sizeof target - 1);
    if (len >= 0) target[len] = '\0';
    ok = len >= 0 && symlinkat(target, c->o->staging_fd, name) == 0;
  } else {
    errno = EISDIR;
  }
  if (ok) return 0;
  char *path = join(c->o->dir, name);
  c->st =
      io_error(c->err, path ? path : c->o->dir, "cannot keep this file in the new output folder");
  free(path);
  return 1;
}

static rp_status carry_over(rp_output *o, int out_fd, rp_error *err) {
  carry_ctx c = {o, err, RP_OK};
  if (each_entry(out_fd, carry_entry, &c) < 0) return io_error(err, o->dir, "cannot read");
  return c.st;
}

/* Where renameat2 cannot exchange folders: the old one aside (its name
 * ends in -old, for the next run to put back should this one die), the new
 * one in.  *old_name gets the name the old folder has afterwards. */
static rp_status swap_by_renames(rp_output *o, char **old_name, rp_error *err) {
  size_t len = strlen(o->staging_name) + sizeof OLD_SUFFIX;
  if (!(*old_name = malloc(len))) return no_memory(err);
  snprintf(*old_name, len, "%s%s", o->staging_name, OLD_SUFFIX);
  if (renameat(o->parent_fd, o->name, o->parent_fd, *old_name) != 0)
    return io_error(err, o->dir, "cannot replace the output folder");
  if (renameat(o->parent_fd, o->staging_name, o->parent_fd, o->name) == 0) return RP_OK;
  rp_status st = io_error(err, o->dir, "cannot replace the output folder");
  renameat(o->parent_fd, *old_name, o->parent_fd, o->name);
  return st;
}

/* One atomic exchange of the staging folder and the output folder (or a
 * plain rename when there is none yet).  *old_name: where the old contents
 * are afterwards (malloc'd), or NULL when there were none. */
static rp_status swap(rp_output *o, int exists, char **old_name, rp_error *err) {
  *old_name = NULL;
#ifdef HAVE_RENAMEAT2
  unsigned flags = exists ? RENAME_EXCHANGE : RENAME_NOREPLACE;
  if (renameat2(o->parent_fd, o->staging_name, o->parent_fd, o->name, flags) == 0)
    return exists && !(*old_name = strdup(o->staging_name)) ? no_memory(err) : RP_OK;
  if (errno != EINVAL && errno != ENOSYS && errno != EOPNOTSUPP)
    return io_error(err, o->dir, "cannot replace the output folder");
#endif
  if (exists) return swap_by_renames(o, old_name, err);
  if (renameat(o->parent_fd, o->staging_name, o->parent_fd, o->name) != 0)
    return io_error(err, o->dir, "cannot create the output folder");
  return RP_OK;
}

rp_status rp_output_commit(rp_output *o, rp_error *err) {
  if (fsync(o->staging_fd) != 0 && errno != EINVAL)
    return io_error(err, o->staging, "cannot write");
  int out_fd = open_dir_at(o->parent_fd, o->name);
  if (out_fd < 0 && errno != ENOENT) return io_error(err, o->dir, "cannot read");
  rp_status st = out_fd >= 0 ? carry_over(o, out_fd, err) : RP_OK;
  if (st == RP_OK && interrupted(o)) st = rp_error_set_at(err, RP_EIO, o->dir, 0, 0, "interrupted");
  char *old_name = NULL;
  if (st == RP_OK) st = swap(o, out_fd >= 0, &old_name, err);
  if (st == RP_OK) {
    o->committed = 1;
    fsync(o->parent_fd); /* the swap is done either way: a failure here changes nothing */
    if (old_name) discard_folder(o->parent_fd, old_name, o->staging_fd);
  }
  free(old_name);
  if (out_fd >= 0) close(out_fd);
  return st;
}

void rp_output_free(rp_output *o) {
  if (!o) return;
  if (o->staging_fd >= 0 && !o->committed) {
    each_entry(o->staging_fd, remove_entry, NULL);
    unlinkat(o->parent_fd, o->staging_name, AT_REMOVEDIR);
  }
  if (o->staging_fd >= 0) close(o->staging_fd);
  if (o->parent_fd >= 0) close(o->parent_fd);
  for (size_t k = 0; k < o->n; k++) free(o->names[k]);
  free(o->names);
  free(o->staging);
  free(o->staging_name);
  free(o->dir);
  free(o->parent);
  free(o->name);
  free(o);
}

/* check_output.c: the output folder replaced as a whole (regpath/output.h)
 * and the check that a rendered image is whole (lib/image.h).
 *
 * Each test builds a folder in a fresh temporary parent, runs the
 * transaction on it, and reads the result back with plain system calls:
 * names, contents, inodes (a user's file must be the same file afterwards),
 * permissions, and what is left beside the folder. */
#define _GNU_SOURCE
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image.h"
#include "json.h"
#include "outdir.h"
#include "regpath/fileio.h"
#include "regpath/output.h"
#include "testutil.h"

/* ------------------------------------------------------------ helpers */

static char parent[64], out[128];

/* A fresh parent folder; `out` is parent/out (not created). */
static void fresh(void) {
  snprintf(parent, sizeof parent, "/tmp/regpath-output-XXXXXX");
  ck_assert_ptr_nonnull(mkdtemp(parent));
  snprintf(out, sizeof out, "%s/out", parent);
}

/* "dir/name", in one of four buffers taken in turn (so that at() may take
 * an at() as its folder). */
static const char *at(const char *dir, const char *name) {
  static char buf[4][512];
  static int k;
  char path[512];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  k = (k + 1) % 4;
  memcpy(buf[k], path, sizeof path);
  return buf[k];
}

static void put(const char *path, const char *text) {
  FILE *f = fopen(path, "w");
  ck_assert_msg(f != NULL, "%s: %s", path, strerror(errno));
  fputs(text, f);
  ck_assert_int_eq(fclose(f), 0);
}

static void expect_text(const char *path, const char *text) {
  char *got = tu_read_file(path);
  ck_assert_msg(got != NULL, "%s is missing", path);
  ck_assert_str_eq(got, text);
  free(got);
}

/* A fresh parent holding out/report.json, "old report". */
static void old_folder(void) {
  fresh();
  ck_assert_int_eq(mkdir(out, 0777), 0);
  put(at(out, "report.json"), "old report");
}

static int exists(const char *path) {
  struct stat sb;
  return lstat(path, &sb) == 0;
}

/* The number of entries in `dir` whose names start with `prefix`. */
static int count_prefixed(const char *dir, const char *prefix) {
  DIR *d = opendir(dir);
  ck_assert_ptr_nonnull(d);
  int n = 0;
  for (struct dirent *e; (e = readdir(d));) n += !strncmp(e->d_name, prefix, strlen(prefix));
  closedir(d);
  return n;
}

static rp_output *open_ok(const char *dir) {
  rp_output *o = NULL;
  rp_error err;
  rp_status st = rp_output_open(dir, &o, &err);
  ck_assert_msg(st == RP_OK, "rp_output_open(%s): %s", dir, err.message);
  return o;
}

static void add_ok(rp_output *o, const char *name, const char *text) {
  rp_error err;
  rp_status st = rp_output_add(o, name, text, strlen(text), &err);
  ck_assert_msg(st == RP_OK, "rp_output_add(%s): %s", name, err.message);
}

static void commit_ok(rp_output *o) {
  rp_error err;
  rp_status st = rp_output_commit(o, &err);
  ck_assert_msg(st == RP_OK, "rp_output_commit: %s", err.message);
}

/* rp_output_open(dir) fails with RP_EIO and a message containing `what`. */
static void expect_refused(const char *dir, const char *what) {
  rp_output *o = NULL;
  rp_error err;
  ck_assert_int_eq(rp_output_open(dir, &o, &err), RP_EIO);
  ck_assert_ptr_null(o);
  ck_assert_msg(strstr(err.message, what) || strstr(err.file, what),
                "message \"%s: %s\" lacks \"%s\"", err.file, err.message, what);
  ck_assert_int_eq(count_prefixed(parent, ".out.regpath-"), 0);
}

static void remove_tree(const char *dir) {
  char cmd[600];
  snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
  ck_assert_int_eq(system(cmd), 0);
}

/* ------------------------------------------------------------ names */

START_TEST(regpaths_names_and_only_those_are_ours) {
  static const char *const ours[] = {"report.json",
                                     "model.json",
                                     "path.dat",
                                     "path.gp",
                                     "path.png",
                                     "path.svg",
                                     "cv.dat",
                                     "cv.png",
                                     "compare.gp",
                                     "compare.png",
                                     "compare.svg",
                                     "cv_l1-0.4.png",
                                     "path_l1-0.5.dat",
                                     "path_l1-1e-05.gp",
                                     "cv_l1-0.1234567.dat",
                                     "path_l1-1.svg",
                                     "path_l1-1_gamma-0.25.dat",
                                     "cv_l1-0.5_gamma-0.png"};
  static const char *const theirs[] = {
      "notes.txt",           "report.json.bak",   "model.json~",          "path.csv",
      "compare.dat",         "pathx.dat",         "cv_l1-.png",           "path_l1-a.dat",
      "path_l1-0.5",         "cv_l1-0.4.png.tmp", ".report.json",         "path_notes.dat",
      "model.txt",           "path_l1-0.5.txt",   "path_l1-1_gamma-.dat", "path_l1-1_gamma-x.dat",
      "path_l1-_gamma-0.dat"};
  for (size_t k = 0; k < sizeof ours / sizeof *ours; k++)
    ck_assert_msg(rp_output_is_ours(ours[k]), "%s should be regpath's", ours[k]);
  for (size_t k = 0; k < sizeof theirs / sizeof *theirs; k++)
    ck_assert_msg(!rp_output_is_ours(theirs[k]), "%s should be the user's", theirs[k]);
}
END_TEST

START_TEST(names_must_be_plain_and_new) {
  fresh();
  rp_output *o = open_ok(out);
  rp_error err;
  ck_assert_int_eq(rp_output_add(o, "a/b", "x", 1, &err), RP_EINVAL);
  ck_assert_int_eq(rp_output_add(o, "", "x", 1, &err), RP_EINVAL);
  ck_assert_int_eq(rp_output_add(o, "..", "x", 1, &err), RP_EINVAL);
  add_ok(o, "report.json", "{}");
  ck_assert_int_eq(rp_output_add(o, "report.json", "{}", 2, &err), RP_EINVAL);
  ck_assert_ptr_nonnull(strstr(err.message, "twice"));
  ck_assert_int_eq(rp_output_adopt(o, "missing.png", &err), RP_EIO);
  rp_output_free(o);
  remove_tree(parent);
}
END_TEST

/* ------------------------------------------------------------ the swap */

START_TEST(the_folder_is_replaced_at_once_and_keeps_the_users_files) {
  old_folder();
  ck_assert_int_eq(chmod(out, 0750), 0);
  put(at(out, "path_l1-0.5.dat"), "an earlier run's file");
  put(at(out, "notes.txt"), "mine");
  ck_assert_int_eq(symlink("notes.txt", at(out, "notes-link")), 0);
  struct stat before;
  ck_assert_int_eq(stat(at(out, "notes.txt"), &before), 0);

  rp_output *o = open_ok(out);
  add_ok(o, "report.json", "new report");
  add_ok(o, "model.json", "new model");
  /* Nothing shows before the commit; the staging folder is beside it. */
  expect_text(at(out, "report.json"), "old report");
  ck_assert(!exists(at(out, "model.json")));
  ck_assert_int_eq(count_prefixed(parent, ".out.regpath-"), 1);
  ck_assert_int_eq(count_prefixed(out, ".regpath"), 0);
  commit_ok(o);
  rp_output_free(o);

  expect_text(at(out, "report.json"), "new report");
  expect_text(at(out, "model.json"), "new model");
  ck_assert_msg(!exists(at(out, "path_l1-0.5.dat")), "an earlier run's file stayed");
  struct stat after;
  ck_assert_int_eq(stat(at(out, "notes.txt"), &after), 0);
  ck_assert_msg(after.st_ino == before.st_ino && after.st_nlink == 1,
                "the user's file is not the same file, or has a stray link");
  char target[64] = "";
  ck_assert_int_eq((int)readlink(at(out, "notes-link"), target, sizeof target), 9);
  ck_assert_str_eq(target, "notes.txt");
  struct stat dir;
  ck_assert_int_eq(stat(out, &dir), 0);
  ck_assert_int_eq(dir.st_mode & 07777, 0750);
  ck_assert_int_eq(count_prefixed(parent, ".out.regpath-"), 0);
  remove_tree(parent);
}
END_TEST

START_TEST(an_abandoned_output_changes_nothing) {
  old_folder();
  rp_output *o = open_ok(out);
  add_ok(o, "report.json", "new report");
  rp_output_free(o);
  expect_text(at(out, "report.json"), "old report");
  ck_assert_int_eq(count_prefixed(parent, ".out.regpath-"), 0);
  /* A folder that did not exist is not created either. */
  char missing[160];
  snprintf(missing, sizeof missing, "%s/a/b/new", parent);
  o = open_ok(missing);
  add_ok(o, "model.json", "m");
  rp_output_free(o);
  ck_assert(!exists(missing));
  remove_tree(parent);
}
END_TEST

START_TEST(a_raised_watch_flag_stops_writes_and_the_commit) {
  old_folder();
  volatile sig_atomic_t flag = 0;
  rp_output *o = open_ok(out);
  rp_output_watch(o, &flag);
  add_ok(o, "model.json", "m");
  flag = SIGTERM;
  rp_error err;
  ck_assert_int_eq(rp_output_add(o, "report.json", "new", 3, &err), RP_EIO);
  ck_assert_str_eq(err.message, "interrupted");
  ck_assert_int_eq(rp_output_commit(o, &err), RP_EIO);
  rp_output_free(o);
  expect_text(at(out, "report.json"), "old report");
  ck_assert(!exists(at(out, "model.json")));
  remove_tree(parent);
}
END_TEST

START_TEST(a_link_to_a_folder_is_followed) {
  fresh();
  char real[160];
  snprintf(real, sizeof real, "%s/real", parent);
  ck_assert_int_eq(mkdir(real, 0777), 0);
  ck_assert_int_eq(symlink("real", out), 0);
  rp_output *o = open_ok(out);
  add_ok(o, "model.json", "m");
  commit_ok(o);
  rp_output_free(o);
  struct stat sb;
  ck_assert_int_eq(lstat(out, &sb), 0);
  ck_assert_msg(S_ISLNK(sb.st_mode), "the link was replaced");
  expect_text(at(real, "model.json"), "m");
  remove_tree(parent);
}
END_TEST

START_TEST(a_folder_that_cannot_be_swapped_is_refused_before_any_work) {
  fresh();
  put(out, "a file");
  expect_refused(out, "not a folder");
  ck_assert_int_eq(unlink(out), 0);
  ck_assert_int_eq(mkdir(out, 0777), 0);
  ck_assert_int_eq(mkdir(at(out, "model.json"), 0777), 0);
  expect_refused(out, "model.json");
  ck_assert_int_eq(rmdir(at(out, "model.json")), 0);
  ck_assert_int_eq(mkdir(at(out, "data"), 0777), 0);
  expect_refused(out, "holds the folder \"data\"");
  ck_assert_int_eq(rmdir(at(out, "data")), 0);
  char cwd[4096];
  ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
  ck_assert_int_eq(chdir(out), 0);
  expect_refused(out, "is the current folder");
  expect_refused(".", "must be named");
  ck_assert_int_eq(chdir(cwd), 0);
  remove_tree(parent);
}
END_TEST

/* ------------------------------------------------------------ what killed runs left */

START_TEST(a_killed_runs_staging_goes_but_a_live_ones_stays) {
  fresh();
  ck_assert_int_eq(mkdir(out, 0777), 0);
  put(at(out, "notes.txt"), "mine");
  char dead[160], live[160];
  snprintf(dead, sizeof dead, "%s/.out.regpath-dead01", parent);
  snprintf(live, sizeof live, "%s/.out.regpath-live01", parent);
  ck_assert_int_eq(mkdir(dead, 0777), 0);
  ck_assert_int_eq(mkdir(live, 0777), 0);
  put(at(dead, "report.json"), "half a report");
  ck_assert_int_eq(link(at(out, "notes.txt"), at(dead, "notes.txt")), 0);
  put(at(dead, "only-copy.txt"), "exists nowhere else");
  put(at(live, "report.json"), "a live run's");
  int live_fd = open(live, O_RDONLY | O_DIRECTORY);
  ck_assert_int_eq(flock(live_fd, LOCK_EX), 0);

  rp_output *o = open_ok(out);
  rp_output_free(o);
  ck_assert_msg(!exists(at(dead, "report.json")) && !exists(at(dead, "notes.txt")),
                "the dead run's files stayed");
  expect_text(at(dead, "only-copy.txt"), "exists nowhere else");
  expect_text(at(out, "notes.txt"), "mine");
  expect_text(at(live, "report.json"), "a live run's");
  close(live_fd);

  ck_assert_int_eq(unlink(at(dead, "only-copy.txt")), 0);
  o = open_ok(out); /* now the dead folder is empty, and the live one dead */
  rp_output_free(o);
  ck_assert(!exists(dead));
  ck_assert(!exists(live));
  remove_tree(parent);
}
END_TEST

START_TEST(an_old_folder_set_aside_comes_back_when_the_folder_is_missing) {
  fresh();
  char old[160];
  snprintf(old, sizeof old, "%s/.out.regpath-abc123-old", parent);
  ck_assert_int_eq(mkdir(old, 0777), 0);
  put(at(old, "report.json"), "the earlier report");
  rp_output *o = open_ok(out);
  rp_output_free(o);
  expect_text(at(out, "report.json"), "the earlier report");
  ck_assert(!exists(old));
  remove_tree(parent);
}
END_TEST

START_TEST(staging_inside_the_folder_of_earlier_versions_goes) {
  fresh();
  ck_assert_int_eq(mkdir(out, 0777), 0);
  ck_assert_int_eq(mkdir(at(out, ".regpath-staging-Ab12Cd"), 0777), 0);
  put(at(at(out, ".regpath-staging-Ab12Cd"), "report.json"), "half");
  rp_output *o = open_ok(out);
  add_ok(o, "model.json", "m");
  commit_ok(o);
  rp_output_free(o);
  ck_assert(!exists(at(out, ".regpath-staging-Ab12Cd")));
  expect_text(at(out, "model.json"), "m");
  remove_tree(parent);
}
END_TEST

/* ------------------------------------------------------------ images */

/* A 1 x 1 PNG (IHDR, IDAT, IEND, their CRCs as zlib computes them). */
static const unsigned char tiny_png[70] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78,
    0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f, 0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47,
    0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

static rp_status check_bytes(const void *bytes, size_t len, const char *format) {
  fresh();
  int dir = open(parent, O_RDONLY | O_DIRECTORY);
  int fd = openat(dir, "image", O_WRONLY | O_CREAT | O_TRUNC, 0644);
  ck_assert_int_eq((int)write(fd, bytes, len), (int)len);
  close(fd);
  rp_error err;
  rp_status st = rp_image_check(dir, "image", format, "image", &err);
  if (st != RP_OK)
    ck_assert_msg(strstr(err.message, "plot not written") != NULL, "%s", err.message);
  close(dir);
  remove_tree(parent);
  return st;
}

START_TEST(a_png_must_be_whole) {
  ck_assert_int_eq(check_bytes(tiny_png, sizeof tiny_png, "png"), RP_OK);
  for (size_t len = 0; len < sizeof tiny_png; len += 3)
    ck_assert_msg(check_bytes(tiny_png, len, "png") == RP_EIO, "cut at %zu bytes passed", len);
  unsigned char b[sizeof tiny_png + 4];
  memcpy(b, tiny_png, sizeof tiny_png);
  b[45] ^= 1; /* a bit of the image data */
  ck_assert_int_eq(check_bytes(b, sizeof tiny_png, "png"), RP_EIO);
  memcpy(b, tiny_png, sizeof tiny_png);
  memcpy(b + sizeof tiny_png, "junk", 4); /* something after IEND */
  ck_assert_int_eq(check_bytes(b, sizeof b, "png"), RP_EIO);
}
END_TEST

START_TEST(an_svg_must_be_closed) {
  static const char svg[] =
      "<?xml version=\"1.0\"?>\n<svg width=\"10\" height=\"10\">\n<g/>\n</svg>\n\n";
  ck_assert_int_eq(check_bytes(svg, strlen(svg), "svg"), RP_OK);
  ck_assert_int_eq(check_bytes(svg, strlen(svg) - 4, "svg"), RP_EIO);
  ck_assert_int_eq(check_bytes("</svg>", 6, "svg"), RP_EIO);
  ck_assert_int_eq(check_bytes("", 0, "svg"), RP_EIO);
}
END_TEST

/* ------------------------------------------------------------ JSON text */

/* Every kind of item cJSON prints, nested both ways, with empty containers
 * at depth and keys that need escapes. */
static cJSON *every_kind(void) {
  cJSON *root = cJSON_CreateObject(), *list = cJSON_CreateArray(), *inner = cJSON_CreateObject();
  cJSON_AddNumberToObject(root, "int", 42);
  cJSON_AddNumberToObject(root, "fraction", -0.1);
  cJSON_AddNumberToObject(root, "big", 1e300);
  cJSON_AddNumberToObject(root, "not finite", NAN);
  cJSON_AddStringToObject(root, "quote\"and\\tab\t", "line\nfeed\r\b\f\x01 \x1f end");
  cJSON_AddStringToObject(root, "empty", "");
  cJSON_AddTrueToObject(root, "yes");
  cJSON_AddFalseToObject(root, "no");
  cJSON_AddNullToObject(root, "nothing");
  cJSON_AddRawToObject(root, "raw", "[1, 2.5]");
  cJSON_AddItemToObject(root, "empty object", cJSON_CreateObject());
  cJSON_AddItemToObject(root, "empty array", cJSON_CreateArray());
  cJSON_AddItemToObject(inner, "deeper", cJSON_CreateObject());
  cJSON_AddItemToObject(inner, "numbers", cJSON_CreateIntArray((const int[]){3, -4, 5}, 3));
  cJSON_AddItemToArray(list, inner);
  cJSON_AddItemToArray(list, cJSON_CreateString("x"));
  cJSON_AddItemToArray(list, cJSON_CreateArray());
  cJSON_AddItemToArray(list, cJSON_CreateObject());
  cJSON_AddItemToObject(root, "list", list);
  return root;
}

/* The oracle is cJSON's own printer, on ASCII text (where nothing needs the
 * cleaning that cJSON does not do). */
START_TEST(json_text_is_cjsons_layout_to_the_byte) {
  cJSON *root = every_kind();
  char *want = cJSON_Print(root), *got = rp_json_print(root);
  ck_assert_str_eq(got, want);
  free(want);
  free(got);
  cJSON *alone = cJSON_CreateString("top");
  want = cJSON_Print(alone);
  got = rp_json_print(alone);
  ck_assert_str_eq(got, want);
  free(want);
  free(got);
  cJSON_Delete(alone);
  cJSON_Delete(root);
}
END_TEST

START_TEST(strings_are_made_safe_to_write) {
  cJSON *s = cJSON_CreateString("a\x7f"
                                "b\xc2\x85"
                                "c\xff"
                                "d\xc3\xa9");
  char *got = rp_json_print(s);
  ck_assert_str_eq(got, "\"a\\u007fb\\u0085c\xef\xbf\xbd"
                        "d\xc3\xa9\"");
  free(got);
  cJSON_Delete(s);
}
END_TEST

/* A view of numbers prints as cJSON prints an array of their texts, and
 * reads back as the same doubles; the view holds no text of its own. */
START_TEST(a_view_of_numbers_prints_its_source) {
  double v[6] = {0.1, -2.0, 1.0 / 3.0, 5e-324, 1.7976931348623157e308, 0.0};
  cJSON *root = cJSON_CreateObject(), *want = cJSON_CreateObject();
  cJSON *wanted = cJSON_AddArrayToObject(want, "v");
  for (size_t i = 0; i < 6; i++) {
    char text[RP_NUMBER_MAX];
    rp_format_number(v[i], text);
    cJSON_AddItemToArray(wanted, cJSON_CreateRaw(text));
  }
  cJSON_AddItemToObject(root, "v", rp_json_numbers_view(v, 6));
  ck_assert_ptr_null(cJSON_GetObjectItem(root, "v")->child);
  char *got = rp_json_print(root), *expect = cJSON_Print(want);
  ck_assert_str_eq(got, expect);
  cJSON *back = cJSON_Parse(got);
  for (size_t i = 0; i < 6; i++)
    ck_assert(cJSON_GetArrayItem(cJSON_GetObjectItem(back, "v"), (int)i)->valuedouble == v[i]);
  cJSON *texts = cJSON_CreateObject();
  cJSON_AddItemToObject(texts, "v", rp_json_numbers(v, 6)); /* the copying kind */
  char *copy = rp_json_print(texts);
  ck_assert_str_eq(copy, got);
  free(copy);
  cJSON_Delete(texts);
  free(got);
  free(expect);
  cJSON_Delete(back);
  cJSON_Delete(want);
  cJSON_Delete(root);
}
END_TEST

/* A put that takes the text in small pieces gets all of it; one that
 * refuses stops the writer. */
typedef struct {
  char text[4096];
  size_t len, limit;
} pieces;

static int take(void *ctx, const char *data, size_t len) {
  pieces *p = ctx;
  if (p->len + len > p->limit) return 0;
  memcpy(p->text + p->len, data, len);
  p->len += len;
  return 1;
}

START_TEST(a_refused_piece_stops_the_writer) {
  cJSON *root = every_kind();
  char *whole = rp_json_print(root);
  pieces all = {.limit = sizeof all.text}, cut = {.limit = 10};
  ck_assert_int_eq(rp_json_write(root, take, &all), 1);
  ck_assert_int_eq((int)all.len, (int)strlen(whole));
  ck_assert_int_eq(memcmp(all.text, whole, all.len), 0);
  ck_assert_int_eq(rp_json_write(root, take, &cut), 0);
  ck_assert_int_eq(rp_json_write(NULL, take, &all), 0);
  free(whole);
  cJSON_Delete(root);
}
END_TEST

/* A file filled in pieces is written whole; a filler that fails leaves an
 * error, and the commit is never reached. */
static int count_to(const void *src, rp_output_put send, void *ctx) {
  char line[32];
  for (int i = 0; i < *(const int *)src; i++)
    if (!send(ctx, line, (size_t)snprintf(line, sizeof line, "%d\n", i))) return 0;
  return *(const int *)src >= 0;
}

START_TEST(a_file_filled_in_pieces_is_whole) {
  fresh();
  rp_output *o = NULL;
  rp_error err;
  const int n = 100000, fail = -1;
  ck_assert_int_eq(rp_output_open(out, &o, &err), RP_OK);
  ck_assert_int_eq(rp_output_add_filled(o, "count.txt", count_to, &n, &err), RP_OK);
  ck_assert_int_eq(rp_output_add_filled(o, "broken.txt", count_to, &fail, &err), RP_ENOMEM);
  rp_output_free(o);
  ck_assert_int_eq(access(out, F_OK), -1); /* nothing committed */
  ck_assert_int_eq(rp_output_open(out, &o, &err), RP_OK);
  ck_assert_int_eq(rp_output_add_filled(o, "count.txt", count_to, &n, &err), RP_OK);
  ck_assert_int_eq(rp_output_commit(o, &err), RP_OK);
  rp_output_free(o);
  char *got = tu_read_file(at(out, "count.txt"));
  size_t k = 0;
  for (int i = 0; i < n; i++) {
    char line[32];
    int len = snprintf(line, sizeof line, "%d\n", i);
    ck_assert_int_eq(strncmp(got + k, line, (size_t)len), 0);
    k += (size_t)len;
  }
  ck_assert_int_eq((int)strlen(got), (int)k);
  free(got);
  remove_tree(parent);
}
END_TEST

/* ------------------------------------------------------------ one file staged */

/* A file written a part at a time is all or nothing: discarded, the old
 * file stays and no temporary is left; committed, it is replaced whole;
 * its missing folder is made. */
START_TEST(a_staged_file_replaces_the_old_one_only_when_committed) {
  rp_staged_file *s;
  rp_error err;
  fresh();
  const char *file = at(parent, "preds.csv");
  put(file, "old\n");
  ck_assert_int_eq(rp_staged_open(file, &s, &err), RP_OK);
  fputs("half of the", rp_staged_stream(s));
  ck_assert_int_eq(count_prefixed(parent, ".preds.csv.regpath-"), 1);
  rp_staged_discard(s);
  expect_text(file, "old\n");
  ck_assert_int_eq(count_prefixed(parent, "."), 2); /* . and .. */
  ck_assert_int_eq(rp_staged_open(file, &s, &err), RP_OK);
  fputs("new, ", rp_staged_stream(s));
  fputs("whole\n", rp_staged_stream(s));
  expect_text(file, "old\n");
  ck_assert_int_eq(rp_staged_commit(s, &err), RP_OK);
  expect_text(file, "new, whole\n");
  ck_assert_int_eq(count_prefixed(parent, "."), 2);
  const char *deep = at(at(parent, "a/b"), "p.csv");
  ck_assert_int_eq(rp_staged_open(deep, &s, &err), RP_OK);
  ck_assert_int_eq(rp_staged_commit(s, &err), RP_OK);
  expect_text(deep, "");
  ck_assert_int_eq(rp_staged_open(at(file, "x"), &s, &err), RP_EIO); /* preds.csv is no folder */
  ck_assert_ptr_null(s);
  ck_assert_msg(strstr(err.message, "not a folder"), "%s", err.message);
  remove_tree(parent);
}
END_TEST

int main(void) {
  Suite *s = suite_create("output");
  TCase *names = tcase_create("names");
  tcase_add_test(names, regpaths_names_and_only_those_are_ours);
  tcase_add_test(names, names_must_be_plain_and_new);
  suite_add_tcase(s, names);
  TCase *swap = tcase_create("the swap");
  tcase_add_test(swap, the_folder_is_replaced_at_once_and_keeps_the_users_files);
  tcase_add_test(swap, an_abandoned_output_changes_nothing);
  tcase_add_test(swap, a_raised_watch_flag_stops_writes_and_the_commit);
  tcase_add_test(swap, a_link_to_a_folder_is_followed);
  tcase_add_test(swap, a_folder_that_cannot_be_swapped_is_refused_before_any_work);
  tcase_add_test(swap, a_staged_file_replaces_the_old_one_only_when_committed);
  suite_add_tcase(s, swap);
  TCase *left = tcase_create("what killed runs left");
  tcase_add_test(left, a_killed_runs_staging_goes_but_a_live_ones_stays);
  tcase_add_test(left, an_old_folder_set_aside_comes_back_when_the_folder_is_missing);
  tcase_add_test(left, staging_inside_the_folder_of_earlier_versions_goes);
  suite_add_tcase(s, left);
  TCase *images = tcase_create("images");
  tcase_add_test(images, a_png_must_be_whole);
  tcase_add_test(images, an_svg_must_be_closed);
  suite_add_tcase(s, images);
  TCase *json = tcase_create("json text");
  tcase_add_test(json, json_text_is_cjsons_layout_to_the_byte);
  tcase_add_test(json, strings_are_made_safe_to_write);
  tcase_add_test(json, a_view_of_numbers_prints_its_source);
  tcase_add_test(json, a_refused_piece_stops_the_writer);
  tcase_add_test(json, a_file_filled_in_pieces_is_whole);
  suite_add_tcase(s, json);
  return tu_run(s);
}

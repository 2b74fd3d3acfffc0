/* harness.h: the fuzz harnesses of the CSV reader and the config reader.
 *
 * Each harness runs one input through the library and checks what the
 * library promises about the outcome (regpath/table.h, regpath/config.h,
 * regpath/error.h).  The same functions are driven by libFuzzer (run.sh
 * builds fuzz_csv and fuzz_config with clang -fsanitize=fuzzer and
 * -DRP_FUZZ_LIBFUZZER) and by replay.c, which `make check` runs over the
 * committed corpus and regression inputs.  Memory errors, leaks and undefined
 * behaviour are the sanitizers' (or valgrind's) to catch; the harnesses check
 * the rest.
 */
#ifndef REGPATH_FUZZ_HARNESS_H
#define REGPATH_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* The CSV reader on `data` (written to a scratch file, since
 * rp_table_read_csv takes a path).  0 when every invariant holds; otherwise 1,
 * after one line on stderr per broken invariant. */
int fuzz_csv_one(const uint8_t *data, size_t size);

/* The config reader on `data`: the bytes before the first NUL are the JSON
 * text, and each further NUL-separated piece (up to FUZZ_MAX_OVERRIDES) is a
 * "--set section.key=value" override.  Returns like fuzz_csv_one. */
int fuzz_config_one(const uint8_t *data, size_t size);
#define FUZZ_MAX_OVERRIDES 8

/* A scratch file name for this process, "<dir>/regpath-fuzz-<pid>-<suffix>",
 * in /dev/shm when it is writable (a tmpfs: no disk traffic per input), else
 * in $TMPDIR or /tmp.  The file is removed at exit.  NULL when the name does
 * not fit.  `suffix` must be a string constant. */
const char *fuzz_scratch_path(const char *suffix);

/* Replace the file `path` with `size` bytes of `data`; 0 on success. */
int fuzz_write_file(const char *path, const uint8_t *data, size_t size);

/* printf to stderr, prefixed with "<harness>: invariant broken: " and ended
 * with a newline; returns 1 so that checks read `return fuzz_fail(...)`. */
int fuzz_fail(const char *harness, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Is the open bug `id` listed in $FUZZ_KNOWN_BUGS (comma-separated)?  The
 * harnesses skip the invariant such a bug breaks, so that a long fuzzing run
 * can look past a bug that is reported but not fixed yet (README.md).  Never
 * set by `make check`: there every invariant counts. */
int fuzz_known_bug(const char *id);

#ifdef RP_FUZZ_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif

#endif

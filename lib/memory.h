/* memory.h (private): how much more memory the process may take, and the
 * BLAS library's per-thread work buffer.
 *
 * A run is sized before it starts (cv.c: how many folds at once, or an
 * "out of memory" naming the estimate), so that it fails with RP_ENOMEM
 * instead of part way through, and never reaches the one allocation that
 * does not fail cleanly: OpenBLAS retries a failed work-buffer allocation
 * forever.  rp_blas_thread_ready makes that buffer exist, or reports that
 * it cannot, before a thread's first BLAS call. */
#ifndef REGPATH_MEMORY_H
#define REGPATH_MEMORY_H

#include <stddef.h>

#include "regpath/error.h"

typedef struct {
  size_t address; /* address space left under ulimit -v (RLIMIT_AS)          */
  size_t memory;  /* memory left: available RAM and swap, a cgroup's limit,
                     ulimit -d (RLIMIT_DATA)                                   */
  const char *address_limit, *memory_limit; /* what set each, for messages     */
} rp_headroom;

/* What the process may still allocate; SIZE_MAX where nothing is known to
 * limit it. */
rp_headroom rp_memory_headroom(void);

/* RP_OK when `bytes` more (a double, so that no size product overflows)
 * fit in what is left, both as memory and as address space; else
 * RP_ENOMEM: "out of memory: <what> needs about <bytes>, and <left> is
 * left (<limit>)", the allocation never tried. */
rp_status rp_memory_check(double bytes, const char *what, rp_error *err);

/* Address space a thread's first BLAS call maps for its work buffer (0
 * when the BLAS has none, or this thread has it already). */
size_t rp_blas_buffer_bytes(void);

/* The size of a memory page (4096 when the system does not say). */
size_t rp_page_bytes(void);

/* Address space of the stack of each thread OpenMP starts. */
size_t rp_thread_stack_bytes(void);

/* Give the calling thread its BLAS work buffer now: allocate that much
 * first, and when it cannot be had fail with RP_ENOMEM (the BLAS itself
 * would retry forever); else free it and make the BLAS take it.  Quick
 * after the first call on a thread.  Two threads must not run it at once
 * (cv.c runs it in a critical section), nor allocate meanwhile. */
rp_status rp_blas_thread_ready(rp_error *err);

/* "1.5 GiB", "800 MiB", "12 KiB" into buf. */
void rp_memory_format(double bytes, char *buf, size_t size);

#endif

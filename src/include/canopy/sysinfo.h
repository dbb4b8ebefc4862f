/*
 * What sysinfo() reports: memory and event counters.  Shared with user space.
 * Counters are totals since boot over all harts.
 */
#ifndef CANOPY_SYSINFO_H
#define CANOPY_SYSINFO_H

#include <stdint.h>

struct sysinfo {
	uint64_t free_pages;    /* pages in the page allocator's free lists */
	uint64_t total_pages;   /* pages the allocator manages */
	uint64_t nproc;         /* process slots in use */
	uint64_t ncpu;          /* harts running the kernel */
	uint64_t satp_writes;   /* address-space switches */
	uint64_t sfences;       /* sfence.vma executed */
	uint64_t page_faults;   /* page faults taken (user and in-kernel copies) */
	uint64_t cow_copies;    /* copy-on-write pages copied */
	uint64_t design;        /* DESIGN_* bits (canopy/layout.h) */
	uint64_t superpages;    /* 2 MiB superpages mapped by page faults */
	uint64_t cached_pages;  /* pages in the page cache (files mapped or run) */
	uint64_t available_pages; /* free, and cached pages nothing maps (given back on demand) */
};

/* sysinfo(buf, layout): what buf receives */
#define SYSINFO_CANOPY  0       /* struct sysinfo above */
#define SYSINFO_XV6     1       /* the syscall lab's { uint64 freemem (bytes); uint64 nproc; } */

/* selftest() operations: checks only the kernel can make, reported to tests. */
#define SELFTEST_KSTACK_GUARD  1   /* 1 if reading the guard page below our kernel stack faults */
#define SELFTEST_KSTACK_LIVE   2   /* 1 if reading our own kernel stack faults (expect 0) */
#define SELFTEST_SUM_OFF       3   /* 1 if sstatus.SUM is clear inside a system call */
#define SELFTEST_USER_DEREF    4   /* 1 if a plain kernel load of a user address faults (arg: address) */
#define SELFTEST_MY_SYSCALLS   5   /* system calls this process has made, this one included */
#define SELFTEST_PANIC         6   /* make a wild kernel access; honoured only when the
				      kernel command line has allow_panic_test */
#define SELFTEST_FS_COMMITS    7   /* file-system transactions committed (that wrote blocks) */
#define SELFTEST_FS_OPS        8   /* file-system operations begun */
#define SELFTEST_DISK_INFLIGHT 9   /* most disk requests that were in flight at once */
#define SELFTEST_COPY_USER    10   /* one user-to-user copy in a single SUM window; arg points
				      at struct selftest_copy; 0, or -1 (also: no such window
				      in this design) */
#define SELFTEST_TRAPS_IN_COPY 11  /* traps taken inside a SUM window, since boot */
#define SELFTEST_SUM_IN_TRAP  12   /* of those, traps whose handler found SUM still on (want 0) */
#define SELFTEST_SET_ASIDE    13   /* set free pages aside, untouched, until at most arg are
				      free; they come back when this process exits.  Returns
				      the pages set aside (tests of memory exhaustion on big
				      machines use it to run in constant time).  They belong
				      to no process: the OOM killer does not count them, so
				      a test's children, not the test, are the ones it picks */
#define SELFTEST_DROP_CACHES  14   /* give back every cached file page nothing maps (as
				      memory pressure would); returns how many */
#define SELFTEST_DEBUG_CHECK  15   /* break a rule a DEBUG kernel checks (arg: DEBUG_CHECK_*),
				      which panics; honoured only by a DEBUG kernel booted
				      with allow_panic_test, else -1 */

/* The rules SELFTEST_DEBUG_CHECK can break. */
#define DEBUG_CHECK_SLEEP_SPINLOCK      1   /* sleep() holding a second spinlock */
#define DEBUG_CHECK_SLEEPLOCK_SPINLOCK  2   /* take a (free) sleep lock holding a spinlock */
#define DEBUG_CHECK_SLEEPLOCK_INTR_OFF  3   /* take a (free) sleep lock with interrupts off */
#define DEBUG_CHECK_RELEASE_NOT_HELD    4   /* release a spinlock another hart holds */
#define DEBUG_CHECK_DOUBLE_ACQUIRE      5   /* take a spinlock this hart holds */
#define DEBUG_CHECK_UB_OVERFLOW         6   /* signed integer overflow */
#define DEBUG_CHECK_UB_BOUNDS           7   /* an array index out of bounds */
#define DEBUG_CHECK_UB_SHIFT            8   /* a shift by the width of the type */
#define DEBUG_CHECK_SUM_LEFT_ON         9   /* a system call returns with user access (SUM) on */

struct selftest_copy {
	uint64_t dst, src, n;
};

#define POWEROFF_OK     0
#define POWEROFF_FAIL   1
#define POWEROFF_PANIC  2

#endif

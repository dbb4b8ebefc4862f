/*
 * The rules for touching user memory from the kernel.  This header is the
 * only way in.
 *
 *  1. A user range [addr, addr+n) is acceptable only if it lies wholly in
 *     0..USER_TOP; the check cannot overflow (user_range_ok).
 *  2. The shared-kernel design (default) dereferences the user pointer
 *     directly, with sstatus.SUM set only for the duration of one copy,
 *     or of one batch of copies (uaccess_batch_begin).  Everywhere else
 *     SUM is clear, so a stray dereference faults.
 *     The classic design (KPTI=1) walks the process's page table instead.
 *  3. A fault inside a copy first goes to the page-fault handler (lazy and
 *     copy-on-write pages are resolved and the copy resumes); if it cannot
 *     be resolved the copy stops and reports -1.  Never a panic.
 *  4. Copies move whole ranges: one SUM window per call, not per byte.
 *     On QEMU before 8.1 each SUM change flushes the TLB (about 2.5 us
 *     plus the refills after it; docs/qemu.md), so a call made of many
 *     small copies batches them.
 *
 * All functions act on the current process's address space.
 */
#ifndef VM_UACCESS_H
#define VM_UACCESS_H

#include "lib/types.h"
#include <canopy/layout.h>

static inline bool
user_range_ok(uint64 addr, uint64 n)
{
	/* written so that addr + n cannot wrap */
	return n <= USER_TOP && addr <= USER_TOP - n;
}

/* 0 on success, -1 if the range is bad or a fault could not be resolved. */
int copyin(void *dst, uint64 usrc, size_t n);
int copyout(uint64 udst, const void *src, size_t n);

/*
 * Copy a NUL-terminated string of at most max bytes (NUL included).
 * Returns its length, or -1 on a bad address, a fault, or no NUL in time.
 */
long copyinstr(char *dst, uint64 usrc, size_t max);

/*
 * Make the user range present with the access a copy needs, faulting pages
 * in as the process's own access would, so that the copy itself takes no
 * fault: before a copy that must run under a spinlock (a pipe's retry),
 * where a fault could not wait for memory or the disk; or before a small
 * copy likely to meet a copy-on-write page (wait's status), where a fault
 * inside the SUM window costs two more TLB flushes on QEMU.  -1 if a page
 * cannot be had: the copy would fail too.  Implemented with the fault
 * policy (fault.c).
 */
int user_prefault(uint64 addr, uint64 n, bool write);

/*
 * A batch: the copies above, made between uaccess_batch_begin() and
 * uaccess_batch_end(), share one SUM window (exec's argument vector, a
 * pointer and a string per argument).  Inside a batch run only copies and
 * plain kernel code: nothing that may sleep outside a copy's own fault,
 * which would carry SUM on into another process's kernel code.
 */
#if CONFIG_KPTI
static inline bool uaccess_batch_begin(void) { return false; }
static inline void uaccess_batch_end(bool outer) { (void)outer; }
#else
bool uaccess_batch_begin(void);         /* true if a window was open already */
void uaccess_batch_end(bool outer);     /* pass what begin returned */

/* Self-test: one user-to-user copy in a single SUM window (uaccess_direct.c). */
int uaccess_selftest_copy(uint64 udst, uint64 usrc, size_t n);
#endif

/* Either-space helpers for code that serves both kernel and user buffers. */
static inline int
copy_to(bool user, uint64 dst, const void *src, size_t n)
{
	extern void *memcpy(void *, const void *, size_t);
	if (user)
		return copyout(dst, src, n);
	memcpy((void *)dst, src, n);
	return 0;
}

static inline int
copy_from(bool user, void *dst, uint64 src, size_t n)
{
	extern void *memcpy(void *, const void *, size_t);
	if (user)
		return copyin(dst, src, n);
	memcpy(dst, (const void *)src, n);
	return 0;
}

#endif

/*
 * Fault injection, for DEBUG kernels: a boot argument makes a share of
 * page allocations, disk requests or buffer-cache allocations fail, so
 * that the paths which handle those failures run (see faultinject.c for
 * the syntax).  In other kernels fault_inject() is a constant false.
 */
#ifndef DEBUG_FAULTINJECT_H
#define DEBUG_FAULTINJECT_H

#include "lib/types.h"

enum fault_kind {
	FAULT_PAGE,     /* kalloc() returns NULL */
	FAULT_DISK,     /* a virtio-blk request completes with an I/O error, unsent */
	FAULT_BUF,      /* a buffer-cache miss finds no buffer */
	NFAULT
};

#ifdef DEBUG
bool fault_inject(enum fault_kind kind);
void fault_report(void);
#else
static inline bool
fault_inject(enum fault_kind kind)
{
	(void)kind;
	return false;
}

static inline void
fault_report(void)
{
}
#endif

#endif

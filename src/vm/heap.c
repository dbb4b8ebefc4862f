/*
 * The heap: [heap_start, brk), growing up from the end of the program
 * towards USER_HEAP_LIMIT (the stack's guard page).  A request that would
 * leave that range fails with -1 and changes nothing.
 *
 * Growing is lazy or eager, by request (sbrk's mode) or by the design's
 * default (CONFIG_LAZY):
 *  - lazy only moves the break: vm_fault() maps a zeroed page at the first
 *    touch, so sbrk(1 GiB) costs nothing until used, and memory is
 *    overcommitted (a touch that finds no free page goes to the OOM
 *    killer: vm/oom.c);
 *  - eager maps zeroed pages at once and fails with -1 up front if the
 *    free pages are not there (stock xv6's sbrk).
 * Shrinking unmaps and releases whatever lies above the new break, either
 * way, after the TLB flush it owes (vm/tlb.c).
 */
#include "vm/heap.h"
#include "vm/kalloc.h"
#include "vm/tlb.h"
#include "vm/uvm.h"
#include "sched/proc.h"

/* Map zeroed pages over [old, new) rounded out to pages; -1 if memory is short. */
static int
grow_eager(struct proc *p, uint64 old, uint64 new)
{
	uint64 start = ROUNDUP(old, PGSIZE), end = ROUNDUP(new, PGSIZE);

	if ((end - start) / PGSIZE > kalloc_free_pages() ||
	    uvm_alloc(p->pagetable, start, end, UPERM_R | UPERM_W) < 0)
		return -1;
	p->rss += (end - start) / PGSIZE;
	return 0;
}

static void
shrink(struct proc *p, uint64 old, uint64 new)
{
	struct tlb_batch b;

	tlb_batch_begin(&b, p->pagetable);
	p->rss -= uvm_dealloc(p->pagetable, ROUNDUP(new, PGSIZE), ROUNDUP(old, PGSIZE), &b);
	tlb_batch_end(&b);
}

/*
 * Move p's break by n bytes (p is the running process); mode is one of
 * SBRK_DEFAULT, SBRK_EAGER, SBRK_LAZY.  Returns the old break, or -1 if
 * the new one would lie below heap_start or above USER_HEAP_LIMIT, the
 * mode is unknown, or (eager) memory is short.
 */
long
heap_sbrk(struct proc *p, long n, int mode)
{
	uint64 old = p->brk;
	uint64 new = old + n;

	if (mode != SBRK_DEFAULT && mode != SBRK_EAGER && mode != SBRK_LAZY)
		return -1;
	if (mode == SBRK_DEFAULT)
		mode = CONFIG_LAZY ? SBRK_LAZY : SBRK_EAGER;
	/* both written so that nothing can wrap */
	if (n > 0 && (uint64)n > USER_HEAP_LIMIT - old)
		return -1;
	if (n < 0 && 0 - (uint64)n > old - p->heap_start)
		return -1;
	if (n > 0 && mode == SBRK_EAGER && grow_eager(p, old, new) < 0)
		return -1;
	if (n < 0)
		shrink(p, old, new);
	p->brk = new;
	return (long)old;
}

/*
 * The heap: [heap_start, brk), growing up from the end of the program
 * towards USER_HEAP_LIMIT (the stack's guard page).  A request that would
 * leave that range fails with -1 and changes nothing.
 *
 * With CONFIG_LAZY, growing only moves the break: vm_fault() maps a zeroed
 * page at the first touch, so sbrk(1 GiB) costs nothing until used, and
 * memory is overcommitted (a touch that finds no free page kills the
 * toucher; see vm/fault.c).  Without it, growing maps zeroed pages at once
 * and fails with -1 up front if the free pages are not there.  Shrinking
 * unmaps and releases whatever lies above the new break, either way.
 */
#include "vm/heap.h"
#include "vm/kalloc.h"
#include "vm/tlb.h"
#include "vm/uvm.h"
#include "sched/proc.h"

/*
 * Move p's break by n bytes (p is the running process).  Returns the old
 * break, or -1 if the new one would lie below heap_start or above
 * USER_HEAP_LIMIT, or (eager heap only) memory is short.
 */
long
heap_sbrk(struct proc *p, long n)
{
	uint64 old = p->brk;
	uint64 new = old + n;

	/* both written so that nothing can wrap */
	if (n > 0 && (uint64)n > USER_HEAP_LIMIT - old)
		return -1;
	if (n < 0 && 0 - (uint64)n > old - p->heap_start)
		return -1;
	if (n > 0 && !CONFIG_LAZY) {
		uint64 start = ROUNDUP(old, PGSIZE), end = ROUNDUP(new, PGSIZE);
		if ((end - start) / PGSIZE > kalloc_free_pages() ||
		    uvm_alloc(p->pagetable, start, end, UPERM_R | UPERM_W) < 0)
			return -1;
		p->rss += (end - start) / PGSIZE;
	} else if (n < 0) {
		struct tlb_batch b;
		tlb_batch_begin(&b, p->pagetable);
		p->rss -= uvm_dealloc(p->pagetable, ROUNDUP(new, PGSIZE), ROUNDUP(old, PGSIZE), &b);
		tlb_batch_end(&b);
	}
	p->brk = new;
	return (long)old;
}

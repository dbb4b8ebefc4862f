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
 * way, after the TLB flush it owes (vm/tlb.c).  The heap is a region of
 * the address space (vm/mm.h) whose end follows the break, rounded up to a
 * page: the page holding the break belongs to it whole.  It never grows
 * over another region (a mapping).
 */
#include "vm/heap.h"
#include "vm/kalloc.h"
#include "vm/mm.h"
#include "vm/tlb.h"
#include "vm/uvm.h"
#include "vm/vmobj.h"
#include "sched/proc.h"

/* Map zeroed pages over [start, end) (page-aligned); -1 if memory is short. */
static int
grow_eager(struct mm *mm, uint64 start, uint64 end)
{
	uint64 need = (end - start) / PGSIZE;

	if (need > kalloc_free_pages())
		vmobj_reclaim();        /* cached pages nothing maps come back first */
	if (need > kalloc_free_pages() || uvm_alloc(mm, start, end, PROT_READ | PROT_WRITE) < 0)
		return -1;
	mm_rss_add(mm, (long)((end - start) / PGSIZE));
	return 0;
}

/*
 * Move p's break by n bytes (p is the running process); mode is one of
 * SBRK_DEFAULT, SBRK_EAGER, SBRK_LAZY.  Returns the old break, or -1 if
 * the new one would lie below the heap's start, above USER_HEAP_LIMIT or
 * over another region (a mapping), the mode is unknown, or (eager) memory
 * is short.
 */
long
heap_sbrk(struct proc *p, long n, int mode)
{
	struct mm *mm = p->mm;
	struct region *heap = mm_heap(mm);
	uint64 old = mm->brk;
	uint64 new = old + n;

	if (!heap || (mode != SBRK_DEFAULT && mode != SBRK_EAGER && mode != SBRK_LAZY))
		return -1;
	if (mode == SBRK_DEFAULT)
		mode = CONFIG_LAZY ? SBRK_LAZY : SBRK_EAGER;
	/* both written so that nothing can wrap */
	if (n > 0 && (uint64)n > USER_HEAP_LIMIT - old)
		return -1;
	if (n < 0 && 0 - (uint64)n > old - mm->heap_start)
		return -1;
	uint64 old_end = heap->end, new_end = ROUNDUP(new, PGSIZE);
	if (new_end > old_end) {
		if (!mm_range_free(mm, old_end, new_end, heap))
			return -1;
		if (mode == SBRK_EAGER && grow_eager(mm, old_end, new_end) < 0)
			return -1;
	} else if (new_end < old_end) {
		struct tlb_batch b;
		tlb_batch_begin(&b, mm->pagetable);
		int r = mm_unmap_pages(mm, new_end, old_end, &b);
		tlb_batch_end(&b);
		if (r < 0)
			return -1;      /* no page for the table a superpage's split needs */
	}
	heap->end = new_end;
	mm->brk = new;
	return (long)old;
}

/*
 * The heap: [heap_start, brk), growing up from the end of the program
 * towards USER_HEAP_LIMIT (the stack's guard page).  A request that would
 * leave that range fails with -1 and changes nothing.
 */
#include "vm/heap.h"
#include "vm/uvm.h"
#include "sched/proc.h"

long
heap_sbrk(struct proc *p, long n)
{
	uint64 old = p->brk;
	uint64 new = old + n;

	if (n > 0 && (n > (long)(USER_HEAP_LIMIT - old)))
		return -1;
	if (n < 0 && 0 - (uint64)n > old - p->heap_start)
		return -1;
	if (n > 0) {
		if (uvm_alloc(p->pagetable, ROUNDUP(old, PGSIZE), ROUNDUP(new, PGSIZE),
			      UPERM_R | UPERM_W) < 0)
			return -1;
	} else if (n < 0) {
		uvm_dealloc(p->pagetable, ROUNDUP(new, PGSIZE), ROUNDUP(old, PGSIZE));
	}
	p->brk = new;
	return (long)old;
}

/*
 * The page-fault policy.  Called for a page fault raised by a user
 * instruction and for one raised inside a kernel copy of user memory
 * (from the exception-table path in trap.c), so both are treated alike.
 *
 * Every user page is mapped eagerly, so there is nothing to provide on a
 * fault: each one is refused, and the caller kills the process or fails
 * the copy.
 */
#include "vm/fault.h"
#include "sched/proc.h"

int
vm_fault(struct proc *p, uint64 va, uint64 scause)
{
	(void)p;
	(void)va;
	(void)scause;
	push_off();
	mycpu()->n_page_faults++;
	pop_off();
	return -1;
}

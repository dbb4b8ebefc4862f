/*
 * The page-fault policy.  Called for a page fault raised by a user
 * instruction (user_trap) and for one raised inside a kernel copy of user
 * memory (kernel_trap, through the exception table), so both are treated
 * alike: what a user instruction may touch, a copy on its behalf may touch.
 *
 * A fault is resolved when:
 *  - the address lies in the heap, [heap_start, brk) rounded up to a page,
 *    and no page is mapped there (the heap grew lazily: vm/heap.c): a
 *    zeroed page is mapped read-write;
 *  - it is a store to a page marked PTE_COW (CONFIG_COW): the page is
 *    copied, or just made writable again if we hold its last reference.
 * Everything else is refused: text, rodata and the vDSO stay read-only,
 * the stack (eager) and its guard page are never created here, and an
 * instruction fetch never creates a page.
 *
 * Runs in the faulting process's own thread, possibly with interrupts off
 * and a spinlock held (a fault inside copyout under the pipe lock), so it
 * never sleeps: kalloc() either has a page or it does not.  It follows the
 * TLB rule (vm/tlb.c): granting needs no flush; a copy-on-write copy moves
 * the entry to another page, so the old translation is flushed here and
 * marked on other harts before the shared page's reference is dropped.
 *
 * Out of memory: pages are promised by sbrk and fork without being
 * reserved (overcommit).  A fault that cannot get a page returns
 * VM_FAULT_NOMEM with the entry unchanged; vm_fault_user() and
 * vm_fault_copy(), the entry points for user faults and for faults in
 * kernel copies, then ask vm/oom.c who dies.
 */
#include "vm/fault.h"
#include "vm/kalloc.h"
#include "vm/kmem.h"
#include "vm/oom.h"
#include "vm/pagetable.h"
#include "vm/tlb.h"
#include "vm/uvm.h"
#include "sched/proc.h"
#include "sched/trap.h"
#include "lib/riscv.h"
#include "lib/string.h"

/* Bump one of this hart's event counters (struct cpu), summed by sysinfo. */
#define COUNT(field) do { push_off(); mycpu()->field++; pop_off(); } while (0)

/* Does the entry already allow the access that faulted? */
static bool
access_allowed(pte_t pte, uint64 scause)
{
	switch (scause) {
	case EXC_LOAD_PAGE:  return pte & PTE_R;
	case EXC_STORE_PAGE: return pte & PTE_W;
	case EXC_INST_PAGE:  return pte & PTE_X;
	}
	return false;
}

/* In a page of the heap?  The page holding the break belongs to it whole, as when eager. */
static bool
in_heap(struct proc *p, uint64 va)
{
	return va >= p->heap_start && va < ROUNDUP(p->brk, PGSIZE);
}

/* Map a zeroed read-write page at the heap page holding va. */
static int
lazy_map(struct proc *p, uint64 va)
{
	void *page = kzalloc();
	if (!page)
		return VM_FAULT_NOMEM;
	pte_t *pte = pt_walk(p->pagetable, ROUNDDOWN(va, PGSIZE), 0, true);
	if (!pte) {
		kfree(page);
		return VM_FAULT_NOMEM;
	}
	/* the zeroes are stored before the entry that makes them reachable */
	__atomic_store_n(pte, pte_make(kva2pa(page), uvm_pte_flags(UPERM_R | UPERM_W)),
			 __ATOMIC_RELEASE);
	__atomic_store_n(&p->rss, p->rss + 1, __ATOMIC_RELAXED);
	return VM_FAULT_OK;
}

/*
 * A store to a copy-on-write page.  If this mapping holds the page's last
 * reference, nobody else can see it: make it writable in place.
 * Otherwise copy it and drop our reference to the shared one.  When two
 * sharers break at once on two harts, both may copy (each sees the other's
 * reference); the last kfree() frees the original.  Never both in place.
 */
static int
cow_break(struct proc *p, uint64 va, pte_t *pte)
{
	pte_t old = *pte;
	void *shared = pa2kva(pte_pa(old));
	uint64 keep = (old & (PTE_PERM_MASK | PTE_A)) | PTE_W;

	if (page_refcount(shared) == 1) {
		__atomic_store_n(pte, pte_make(pte_pa(old), keep | (old & PTE_D)), __ATOMIC_RELEASE);
		return VM_FAULT_OK;
	}
	void *copy = kalloc();
	if (!copy)
		return VM_FAULT_NOMEM;
	memcpy(copy, shared, PGSIZE);
	struct tlb_batch b;
	tlb_batch_begin(&b, p->pagetable);
	__atomic_store_n(pte, pte_make(kva2pa(copy), keep), __ATOMIC_RELEASE);
	tlb_batch_taken(&b, ROUNDDOWN(va, PGSIZE));     /* the entry left the shared page */
	tlb_batch_release(&b, shared);
	tlb_batch_end(&b);
	COUNT(n_cow_copies);
	return VM_FAULT_OK;
}

/*
 * Resolve a page fault of the running process p at user address va
 * (scause: a load, store or instruction page fault).  VM_FAULT_OK if the
 * access may be retried, VM_FAULT_BAD if p may not access va that way,
 * VM_FAULT_NOMEM if it may but no page is free.
 */
int
vm_fault(struct proc *p, uint64 va, uint64 scause)
{
	COUNT(n_page_faults);
	if (va >= USER_TOP)
		return VM_FAULT_BAD;

	pte_t *pte = pt_walk(p->pagetable, va, 0, false);
	if (pte && (*pte & PTE_V)) {
		if (!(*pte & PTE_U))
			return VM_FAULT_BAD;
		if (access_allowed(*pte, scause)) {
			/* granted already: this hart held the old entry (tlb.c, rule 2) */
			tlb_flush_page(ROUNDDOWN(va, PGSIZE));
			return VM_FAULT_OK;
		}
		if (CONFIG_COW && scause == EXC_STORE_PAGE && (*pte & PTE_COW))
			return cow_break(p, va, pte);
		return VM_FAULT_BAD;
	}
	if (scause != EXC_INST_PAGE && in_heap(p, va))
		return lazy_map(p, va);
	return VM_FAULT_BAD;
}

/*
 * A page fault of p's own instruction at pc, touching va.  Resolved (the
 * instruction runs again), or out of memory with someone else chosen to
 * die (p waits a tick for memory, then the instruction runs again and may
 * fault again), or p is killed with its one-line message.
 */
void
vm_fault_user(struct proc *p, uint64 va, uint64 scause, uint64 pc)
{
	int r = vm_fault(p, va, scause);

	if (r == VM_FAULT_OK)
		return;
	if (r == VM_FAULT_NOMEM && oom_choose(p) == OOM_WAIT)
		oom_wait();
	else
		proc_kill_fault(p, r == VM_FAULT_NOMEM ? "out of memory" : trap_cause_name(scause),
				va, pc);
}

/*
 * A fault inside a kernel copy of user memory, on behalf of p (trap.c for
 * the direct design, uaccess_walk.c for KPTI).  True if the copy may retry
 * the access, false if it must fail.  Out of memory: vm/oom.c picks who
 * dies; if not p, p waits for memory and retries, provided the copy may
 * sleep (may_sleep: it holds no spinlock) and holds no vm_lock
 * (copy_nowait), else the copy fails and p lives.
 */
bool
vm_fault_copy(struct proc *p, uint64 va, uint64 scause, bool may_sleep)
{
	int r;

	while ((r = vm_fault(p, va, scause)) == VM_FAULT_NOMEM) {
		if (oom_choose(p) == OOM_DIE) {
			proc_kill_fault(p, "out of memory in a system call", va, p->tf->epc);
			return false;
		}
		if (!may_sleep || p->copy_nowait > 0 || !oom_wait())
			return false;
	}
	return r == VM_FAULT_OK;
}

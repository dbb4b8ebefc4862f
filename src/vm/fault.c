/*
 * The page-fault policy.  Called for a page fault raised by a user
 * instruction (user_trap) and for one raised inside a kernel copy of user
 * memory (kernel_trap, through the exception table), so both are treated
 * alike: what a user instruction may touch, a copy on its behalf may touch.
 *
 * The decision comes from the region holding the address (vm/mm.h): no
 * region, or a region whose permissions refuse the access, and the fault
 * is refused.  Otherwise:
 *  - no page mapped there: map one (fault_in): a zeroed page of the
 *    process's own for a private anonymous region (heap, stack, anonymous
 *    mmap), the object's page for a shared or file-backed one (vm/vmobj.c),
 *    copy-on-write if the region is private and writable;
 *  - a store to a present page without W where the region allows it (one
 *    marked PTE_COW, or one mprotect made read-only and writable again):
 *    copy it, or make it writable again if we hold its last reference
 *    (cow_break); a page of a shared region just gets W back;
 *  - the entry allows the access already: a stale translation on this
 *    hart (tlb.c, rule 2): flush that page.
 * Text, rodata and the vDSO stay read-only because their regions are, and
 * the stack's guard page lies in no region.
 *
 * Runs in the faulting process's own thread, possibly with interrupts off
 * and a spinlock held (a fault inside copyout under the pipe lock), so it
 * never sleeps then: kalloc() either has a page or it does not, and a file
 * page not in the cache makes the copy fail (may_sleep false).  It follows
 * the TLB rule (vm/tlb.c): granting needs no flush; a copy-on-write copy
 * moves the entry to another page, so the old translation is flushed here
 * and marked on other harts before the shared page's reference is dropped.
 *
 * Out of memory: pages are promised by sbrk and fork without being
 * reserved (overcommit).  A fault that cannot get a page returns
 * VM_FAULT_NOMEM with the entry unchanged; vm_fault_user() and
 * vm_fault_copy(), the entry points for user faults and for faults in
 * kernel copies, try again while pages are free, then ask vm/oom.c who
 * dies.
 */
#include "vm/fault.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/oom.h"
#include "vm/mm.h"
#include "vm/page.h"
#include "vm/pagetable.h"
#include "vm/superpage.h"
#include "vm/vmobj.h"
#include "vm/uaccess.h"
#include "vm/tlb.h"
#include "vm/uvm.h"
#include "sched/proc.h"
#include "sched/trap.h"
#include "sched/signal.h"
#include <asm/siginfo.h>
#include "lib/riscv.h"
#include "lib/string.h"


#define VM_FAULT_OK      0      /* resolved: retry the access */
#define VM_FAULT_BAD    -1      /* no access allowed there: kill, or fail the copy */
#define VM_FAULT_NOMEM  -2      /* allowed, but no free page: out of memory */

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

/* Does the region let the access that faulted happen at all? */
static bool
region_allows(const struct region *r, uint64 scause)
{
	switch (scause) {
	case EXC_LOAD_PAGE:  return r->prot & (PROT_READ | PROT_WRITE);
	case EXC_STORE_PAGE: return r->prot & PROT_WRITE;
	case EXC_INST_PAGE:  return r->prot & PROT_EXEC;
	}
	return false;
}

/* Point the empty level-0 entry pte of mm at page, with flags (U included). */
static void
set_leaf(struct mm *mm, pte_t *pte, void *page, uint64 flags)
{
	pt_set(pte, pte_make(kva2pa(page), flags));    /* release: the contents first */
	mm_rss_add(mm, 1);
}

/* Install page at va with the given entry flags (U included): -1 if no table. */
static int
install(struct mm *mm, uint64 va, void *page, uint64 flags)
{
	pte_t *pte = pt_walk(mm->pagetable, va, 0, true);

	if (!pte)
		return -1;
	set_leaf(mm, pte, page, flags);
	return 0;
}

#define AROUND_PAGES    16      /* a fault in order maps up to this many pages */
#define AROUND_MIN_FREE 4096    /* ... while at least this many pages are free */

/*
 * Fault-around for private anonymous memory filled in order: a fault on
 * the page right after a mapped one maps the pages after it too, zeroed,
 * up to AROUND_PAGES in all (within the region and the 2 MiB range,
 * stopping at the first page already there), while memory is plentiful.
 * Where no superpage fits (the unaligned ends of a heap, or no free 2 MiB
 * block) a program filling its memory in order traps once per 16 pages
 * instead of once per page.  One that touches its memory sparsely never
 * has the page below its fault mapped, and gets exactly what it touches;
 * so does a single touch.  The pages belong to the process like any other
 * (counted in rss, freed at exit).  va was just installed as a 4 KiB
 * page, so its level-0 table exists and, va not being the first page of
 * its 2 MiB, holds the page below too.
 */
static void
fault_around(struct mm *mm, struct region *r, uint64 va, uint64 flags)
{
	if (va < r->start + PGSIZE || va % LEVEL_SIZE(1) == 0)
		return;
	pte_t *pte = pt_walk(mm->pagetable, va, 0, false);
	if (!(pte[-1] & PTE_V))
		return;                 /* the page below is not there */
	for (int i = 1; i < AROUND_PAGES; i++) {
		uint64 next = va + (uint64)i * PGSIZE;
		if (next >= r->end || next % LEVEL_SIZE(1) == 0 || (pte[i] & PTE_V) ||
		    kalloc_free_pages() < AROUND_MIN_FREE)
			return;
		void *page = kzalloc();
		if (!page)
			return;
		set_leaf(mm, &pte[i], page, flags);
	}
}

/*
 * Map the missing page at va (page-aligned) of region r.  Private
 * anonymous regions get a zeroed page of their own (and, filled in
 * order, the pages after it: fault_around).  A region backed by
 * an object maps the object's page: as it is if the region is shared;
 * if private, read-only and copy-on-write (a store copies it at once).
 */
static int
fault_in(struct mm *mm, struct region *r, uint64 va, uint64 scause, bool may_sleep)
{
	uint64 flags = uvm_pte_flags(r->prot);
	void *page;

	if (!r->obj) {
		int huge = superpage_fault(mm, r, va, flags);
		if (huge != SUPERPAGE_NO)
			return huge == SUPERPAGE_MAPPED ? VM_FAULT_OK : VM_FAULT_NOMEM;
		if (!(page = kzalloc()))
			return VM_FAULT_NOMEM;
	} else {
		int got = vmobj_page(r->obj, r->pgoff + (va - r->start) / PGSIZE, may_sleep, &page);
		if (got == VMOBJ_NOMEM)
			return VM_FAULT_NOMEM;
		if (got != VMOBJ_OK)
			return VM_FAULT_BAD;
		if (!(r->flags & REGION_SHARED) && (flags & PTE_W)) {
			if (scause == EXC_STORE_PAGE) {
				void *copy = kalloc();
				if (!copy) {
					page_put(page);
					return VM_FAULT_NOMEM;
				}
				memcpy(copy, page, PGSIZE);
				page_put(page);
				page = copy;
				CPU_COUNT(n_cow_copies);
			} else {
				flags = (flags & ~PTE_W) | PTE_COW;
			}
		}
	}
	if (install(mm, va, page, flags) < 0) {
		page_put(page);
		return VM_FAULT_NOMEM;
	}
	if (!r->obj)
		fault_around(mm, r, va, flags);
	return VM_FAULT_OK;
}

/*
 * A store to a copy-on-write page.  If this mapping holds the page's last
 * reference, nobody else can see it: make it writable in place.
 * Otherwise copy it and drop our reference to the shared one.  When two
 * sharers break at once on two harts, both may copy (each sees the other's
 * reference); the last page_put() frees the original.  Never both in place.
 * A page in an object's cache always has another reference (the cache's).
 */
static int
cow_break(struct proc *p, uint64 va, pte_t *pte)
{
	pte_t old = *pte;
	void *shared = pa2kva(pte_pa(old));
	uint64 keep = (old & (PTE_PERM_MASK | PTE_A)) | PTE_W;

	pt_check_live(pte);
	if (page_refcount(shared) == 1) {
		__atomic_store_n(pte, pte_make(pte_pa(old), keep | (old & PTE_D)), __ATOMIC_RELEASE);
		return VM_FAULT_OK;
	}
	void *copy = kalloc();
	if (!copy)
		return VM_FAULT_NOMEM;
	memcpy(copy, shared, PGSIZE);
	struct tlb_batch b;
	tlb_batch_begin(&b, p->mm->pagetable);
	__atomic_store_n(pte, pte_make(kva2pa(copy), keep), __ATOMIC_RELEASE);
	tlb_batch_taken(&b, ROUNDDOWN(va, PGSIZE));     /* the entry left the shared page */
	tlb_batch_release(&b, shared);
	tlb_batch_end(&b);
	CPU_COUNT(n_cow_copies);
	return VM_FAULT_OK;
}

/*
 * A store to a copy-on-write superpage.  Ours alone: writable in place,
 * whole.  Shared (a fork): split into small mappings of the same block,
 * all still copy-on-write, and copy only the 4 KiB page written, as Linux
 * does with a huge page; the rest stays shared until written.
 */
static int
cow_break_super(struct proc *p, uint64 va, pte_t *pte)
{
	pte_t old = *pte;

	pt_check_live(pte);
	if (page_refcount(pa2kva(pte_pa(old))) == 1) {
		uint64 keep = (old & (PTE_PERM_MASK | PTE_A | PTE_D)) | PTE_W;
		__atomic_store_n(pte, pte_make(pte_pa(old), keep), __ATOMIC_RELEASE);
		return VM_FAULT_OK;
	}
	struct tlb_batch b;
	tlb_batch_begin(&b, p->mm->pagetable);
	int split = pt_split(p->mm->pagetable, va, &b);
	tlb_batch_end(&b);
	if (split < 0)
		return VM_FAULT_NOMEM;
	return cow_break(p, va, pt_walk(p->mm->pagetable, va, 0, false));
}

/*
 * Resolve a page fault of the running process p at user address va
 * (scause: a load, store or instruction page fault), by what the region
 * holding va allows.  may_sleep: the fault may wait for the disk (no
 * spinlock held).  VM_FAULT_OK if the access may be retried, VM_FAULT_BAD
 * if p may not access va that way (or the page would need the disk and
 * may_sleep is false), VM_FAULT_NOMEM if it may but no page is free.
 */
static int
vm_fault(struct proc *p, uint64 va, uint64 scause, bool may_sleep)
{
	CPU_COUNT(n_page_faults);
	if (va >= USER_TOP)
		return VM_FAULT_BAD;
	struct region *r = mm_find(p->mm, va);
	if (!r || !region_allows(r, scause))
		return VM_FAULT_BAD;

	struct pt_slot s = pt_lookup(p->mm->pagetable, va);
	if (s.pte) {
		pte_t *pte = s.pte;
		if (!(*pte & PTE_U))
			return VM_FAULT_BAD;
		if (access_allowed(*pte, scause)) {
			/* granted already: this hart held the old entry (tlb.c, rule 2) */
			tlb_flush_page(ROUNDDOWN(va, PGSIZE));
			return VM_FAULT_OK;
		}
		if (scause != EXC_STORE_PAGE)
			return VM_FAULT_BAD;
		if (r->flags & REGION_SHARED) {
			/* mprotect took W and gave it back: a shared page is never copied */
			pt_check_live(pte);
			__atomic_or_fetch(pte, PTE_W | PTE_D, __ATOMIC_RELEASE);
			return VM_FAULT_OK;
		}
		/* copy-on-write, or W taken by mprotect from a page that may be shared */
		if (s.level == 0)
			return cow_break(p, va, pte);
		return cow_break_super(p, va, pte);
	}
	return fault_in(p->mm, r, ROUNDDOWN(va, PGSIZE), scause, may_sleep);
}

/*
 * vm_fault, tried again (twice at most) while it finds no page but pages
 * are free: kalloc() fails only when none is, so some were freed since (or,
 * in a DEBUG kernel, the failure was injected).  Only a shortage that
 * holds reaches the out-of-memory policy, which may kill a process.
 */
static int
fault_confirmed(struct proc *p, uint64 va, uint64 scause, bool may_sleep)
{
	int r = vm_fault(p, va, scause, may_sleep);

	for (int i = 0; i < 2 && r == VM_FAULT_NOMEM && kalloc_free_pages() > 0; i++)
		r = vm_fault(p, va, scause, may_sleep);
	return r;
}

/*
 * A page fault of p's own instruction at pc, touching va.  Resolved (the
 * instruction runs again), or out of memory with someone else chosen to
 * die (p waits a tick for memory, then the instruction runs again and may
 * fault again), or a refused access: SIGSEGV (SIGBUS for a file page
 * past the file's end) to p's handler if it has one (sched/signal.c),
 * else p is killed with its one-line message, as it is out of memory.
 */
void
vm_fault_user(struct proc *p, uint64 va, uint64 scause, uint64 pc)
{
	int r = fault_confirmed(p, va, scause, true);

	if (r == VM_FAULT_OK)
		return;
	if (r == VM_FAULT_NOMEM) {
		if (oom_choose(p) == OOM_WAIT)
			oom_wait();
		else
			proc_kill_fault(p, "out of memory", va, pc);
		return;
	}
	struct region *reg = va < USER_TOP ? mm_find(p->mm, va) : NULL;
	bool past_file = reg && reg->obj && region_allows(reg, scause) &&
			 !pt_lookup(p->mm->pagetable, va).pte;
	int sig = past_file ? SIGBUS : SIGSEGV;
	int code = past_file ? BUS_ADRERR : reg ? SEGV_ACCERR : SEGV_MAPERR;
	if (!signal_fault(p, sig, code, va))
		proc_kill_fault(p, trap_cause_name(scause), va, pc);
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

	while ((r = fault_confirmed(p, va, scause, may_sleep && p->copy_nowait == 0)) ==
	       VM_FAULT_NOMEM) {
		if (oom_choose(p) == OOM_DIE) {
			proc_kill_fault(p, "out of memory in a system call", va, p->tf->epc);
			return false;
		}
		if (!may_sleep || p->copy_nowait > 0 || !oom_wait())
			return false;
	}
	return r == VM_FAULT_OK;
}

/* See vm/uaccess.h: make [addr, addr+n) present for a copy under a spinlock. */
int
user_prefault(uint64 addr, uint64 n, bool write)
{
	struct proc *p = myproc();
	uint64 need = PTE_V | PTE_U | (write ? PTE_W : PTE_R);

	if (!user_range_ok(addr, n))
		return -1;
	for (uint64 va = ROUNDDOWN(addr, PGSIZE); va < addr + n; va += PGSIZE) {
		struct pt_slot s = pt_lookup(p->mm->pagetable, va);
		if (s.pte && (*s.pte & need) == need)
			continue;
		if (!vm_fault_copy(p, va, write ? EXC_STORE_PAGE : EXC_LOAD_PAGE, true))
			return -1;
	}
	return 0;
}

/*
 * Map every page of region r of mm now, as read faults would (exec: a
 * program's pages from the page cache, so that it takes no page later
 * than exec: stock xv6 programs count their free memory).  -1 if memory
 * or the file fails.
 */
int
vm_populate(struct mm *mm, struct region *r)
{
	for (uint64 va = r->start; va < r->end; va += PGSIZE)
		if (fault_in(mm, r, va, EXC_LOAD_PAGE, true) != VM_FAULT_OK)
			return -1;
	return 0;
}

/*
 * Loading page tables into satp, counted so tests can see when it happens.
 * With KPTI the kernel stays on kernel_root and only the trampoline loads
 * user tables (vm/kpti.c), so a user root given here is ignored.
 *
 * A hart keeps the last table it loaded until it needs another one, even
 * while idle.  So that such a table can be freed by its process meanwhile,
 * the hart holds a page reference on the loaded root: freeing the process's
 * address space empties the user half, but the root page (whose kernel half
 * is all this hart still uses) lives until the hart moves on.
 */
#include "vm/aspace.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/pte.h"
#include "sched/cpu.h"
#include "sync/spinlock.h"
#include "debug/kprintf.h"
#include "lib/riscv.h"
#include "lib/string.h"

void
as_sfence(void)
{
	asm volatile("sfence.vma zero, zero" ::: "memory");
	mycpu()->n_sfences++;
}

/* Load root (if it is not loaded); flush after, unless parking. */
static void
load_root(pagetable_t root, bool flush)
{
	push_off();
	struct cpu *c = mycpu();
	pagetable_t old = c->loaded_root;
	if (old != root) {
#if defined(DEBUG) && !CONFIG_KPTI
		/* exec's new root (mm_create, not loadable) has no kernel half */
		if (memcmp(&root[KERNEL_HALF_FIRST], &kernel_root[KERNEL_HALF_FIRST],
			   (PT_ENTRIES - KERNEL_HALF_FIRST) * sizeof(pte_t)) != 0)
			panic("load_root: %p lacks the kernel half", root);
#endif
		page_get(root);
		csr_write(satp, MAKE_SATP(kva2pa(root)));
		if (flush) {
			as_sfence();
			c->tlb_stale = false;   /* that flush covered it */
		} else {
			/* whatever this hart caches of the old user half is owed a flush */
			__atomic_store_n(&c->tlb_stale, true, __ATOMIC_RELEASE);
		}
		c->loaded_root = root;
		c->n_satp_writes++;
		if (old)
			page_put(old);
	}
	pop_off();
}

void
as_activate(pagetable_t root)
{
#if CONFIG_KPTI
	if (root != kernel_root)
		return;
#endif
	load_root(root, true);
}

void
as_activate_kernel(void)
{
	as_activate(kernel_root);
}

/*
 * The scheduler lets go of the table it last ran (a dead process's, or
 * one it idled on): load the kernel's without a flush.  The kernel's
 * table maps no user address, and this hart touches none until it runs a
 * process: as_activate() of a user table flushes, and so does
 * tlb_sync_hart() before a process runs on the kernel's (vm/tlb.c, rule 4).
 * On QEMU this is one flush (the satp write) instead of two.
 */
void
as_park(void)
{
	load_root(kernel_root, false);
}

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
#include "vm/kmem.h"
#include "sched/cpu.h"
#include "sched/spinlock.h"
#include "lib/riscv.h"

void
as_sfence(void)
{
	asm volatile("sfence.vma zero, zero" ::: "memory");
	mycpu()->n_sfences++;
}

void
as_activate(pagetable_t root)
{
#if CONFIG_KPTI
	if (root != kernel_root)
		return;
#endif
	push_off();
	struct cpu *c = mycpu();
	pagetable_t old = c->loaded_root;
	if (old != root) {
		page_get(root);
		csr_write(satp, MAKE_SATP(kva2pa(root)));
		as_sfence();
		c->tlb_stale = false;   /* that flush covered it */
		c->loaded_root = root;
		c->n_satp_writes++;
		if (old)
			kfree(old);
	}
	pop_off();
}

void
as_activate_kernel(void)
{
	as_activate(kernel_root);
}

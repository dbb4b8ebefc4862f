/*
 * TLB maintenance for user tables edited in place.
 *
 * Giving a permission (a lazy page mapped, a copy-on-write page made
 * writable) needs no flush on this QEMU: a TLB miss or a permission miss
 * makes it walk the table again, so the fault path never flushes.  Taking
 * one away (fork marking pages copy-on-write, sbrk unmapping, pgaccess
 * clearing A) does need one, on this hart and on any other hart that may
 * still hold translations of the table:
 *
 *  - this hart: one sfence.vma, at the end of the whole edit;
 *  - other harts: a hart keeps the last table it loaded (aspace.c), so if
 *    the process runs there again satp is not written and nothing flushes.
 *    Those harts are marked stale instead and flush in tlb_sync_hart() when
 *    the scheduler next runs a process there.  A marked hart cannot be
 *    using the table meanwhile: processes are single-threaded, and this one
 *    is running here.
 */
#include "vm/tlb.h"
#include "vm/aspace.h"
#include "sched/cpu.h"
#include "sched/spinlock.h"

/*
 * The running process has removed permissions from root (its own, loaded
 * table): flush this hart, and make every other hart that still has root
 * loaded flush before it runs a process again.
 */
void
tlb_user_changed(pagetable_t root)
{
	push_off();
	struct cpu *me = mycpu();
	for (int i = 0; i < ncpu; i++) {
		struct cpu *c = &cpus[i];
		if (c != me && __atomic_load_n(&c->loaded_root, __ATOMIC_RELAXED) == root)
			__atomic_store_n(&c->tlb_stale, true, __ATOMIC_RELEASE);
	}
	as_sfence();
	pop_off();
}

/* Called by the scheduler after loading a process's table, interrupts off. */
void
tlb_sync_hart(void)
{
	struct cpu *c = mycpu();

	if (__atomic_load_n(&c->tlb_stale, __ATOMIC_ACQUIRE)) {
		c->tlb_stale = false;
		as_sfence();
	}
}

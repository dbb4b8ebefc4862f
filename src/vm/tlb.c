/*
 * The TLB rule: who flushes what when a user page table changes.  It
 * assumes only what the RISC-V privileged spec lets a hart do, not what
 * QEMU happens to do.
 *
 *  1. While a table is in a hart's satp the hart may cache any of its
 *     entries (leaf or not, valid or not, speculatively too) and use them
 *     until that hart runs sfence.vma.  Each hart has its own TLB: a flush
 *     on one does nothing to another.  A satp write is followed by a full
 *     sfence.vma (as_activate), so a hart that loads another table starts
 *     clean.
 *
 *  2. Granting (a mapping where there was none, W for a copy-on-write page
 *     now ours alone) needs no flush.  A hart that still holds the old entry
 *     faults again; vm_fault() sees the entry already allows the access and
 *     flushes that page on that hart (tlb_flush_page).
 *
 *  3. Taking away (unmapping, moving an entry to another page, removing a
 *     permission, clearing A) must reach every hart that may hold the old
 *     translation, this one included, before anything can use the old page
 *     through it.  A page whose mapping went away is released only after
 *     the flush (struct tlb_batch):
 *      - this hart: sfence.vma, of the one page or of everything, in
 *        tlb_batch_end(), before the pages are released;
 *      - another hart with the table loaded is not using it: a process has
 *        one thread, and it is here making the change (a vfork child
 *        borrowing its parent's table runs while the parent sleeps, so
 *        one thread at a time all the same: vm/mm.h).  A hart keeps a
 *        table loaded while it runs the table's process or sits idle in the
 *        scheduler, which touches no user memory.  So instead of an IPI it
 *        is marked stale, and tlb_sync_hart() flushes it before it runs the
 *        process on that table again (the same bargain as Linux's lazy-TLB
 *        harts).  Running any other process means a satp write: a flush.
 *
 *  4. Tables freed whole (exit, exec's old table) belong to a process that
 *     will never run on them again.  Their root page is freed only when no
 *     hart has it loaded (a hart holds a reference on its loaded root), and
 *     a hart flushes before it next runs a process, so a recycled root
 *     never meets old entries.  An exiting process frees its tables on its
 *     own hart with its root still loaded (no flush before, which would
 *     make the teardown refill the TLB): from then on that hart touches no
 *     user address until it runs a process.  The scheduler then parks on
 *     the kernel's table (as_park) with no sfence: that table maps no user
 *     address, and the hart is marked stale, so the flush comes when a
 *     process next runs there (as_activate, or tlb_sync_hart on the
 *     kernel's table).  Exec frees its old image the same way: its
 *     commit moves the new user half into the loaded root and marks every
 *     hart with that root loaded, itself included (tlb_taken_all_deferred);
 *     the hart frees the old image, touching no user address, then pays
 *     its own mark (tlb_sync_hart) before the new image runs.  If the
 *     process leaves the hart meanwhile (a timer switch, a sleep in the
 *     teardown) and finishes elsewhere, the mark makes this hart flush
 *     before it runs that root again, even without a satp write.
 *
 * With KPTI the trampoline flushes on every trap in and out, so a user
 * table is only in satp in user mode and the marks never match.
 *
 * Cost on QEMU: any sfence.vma flushes the whole TLB (about 2.5 us plus a
 * refill per page touched after), so an edit is one batch with one flush,
 * never one per page; a mark costs nothing until its hart runs the process.
 */
#include "vm/tlb.h"
#include "vm/aspace.h"
#include "vm/kalloc.h"
#include "sched/cpu.h"
#include "sync/spinlock.h"

void
tlb_batch_begin(struct tlb_batch *b, pagetable_t root)
{
	b->root = root;
	b->va = 0;
	b->ntaken = 0;
	b->npages = 0;
}

void
tlb_batch_taken(struct tlb_batch *b, uint64 va)
{
	b->va = va;
	b->ntaken++;
}

/* Mark every other hart that has root loaded: it flushes before it runs root's process. */
static void
mark_other_harts(pagetable_t root)
{
	struct cpu *me = mycpu();

	for (int i = 0; i < ncpu; i++) {
		struct cpu *c = &cpus[i];
		if (c != me && __atomic_load_n(&c->loaded_root, __ATOMIC_ACQUIRE) == root)
			__atomic_store_n(&c->tlb_stale, true, __ATOMIC_RELEASE);
	}
}

/* Flush for what was taken so far, then drop the held references. */
static void
flush_and_release(struct tlb_batch *b)
{
	if (b->ntaken > 0) {
		push_off();
		struct cpu *me = mycpu();
		mark_other_harts(b->root);
		if (me->loaded_root == b->root) {
			if (b->ntaken == 1)
				tlb_flush_page(b->va);
			else
				as_sfence();
		}
		pop_off();
		b->ntaken = 0;
	}
	for (int i = 0; i < b->npages; i++)
		page_put(b->pages[i]);
	b->npages = 0;
}

/* Drop a reference to page once the flush for its mapping is done. */
void
tlb_batch_release(struct tlb_batch *b, void *page)
{
	if (b->npages == TLB_BATCH_PAGES)
		flush_and_release(b);
	b->pages[b->npages++] = page;
}

void
tlb_batch_end(struct tlb_batch *b)
{
	flush_and_release(b);
}

/*
 * Exec's commit took the whole user half of root away (mm_take_root):
 * mark every hart that has root loaded, this one too.  This hart frees
 * the old image first and pays its own mark after (tlb_sync_hart), as an
 * exiting process does (rule 4).  Should the process leave it before that
 * (a timer switch, a sleep) and run here again later on the same loaded
 * root, the scheduler pays the mark instead.
 */
void
tlb_taken_all_deferred(pagetable_t root)
{
	push_off();
	mark_other_harts(root);
	if (mycpu()->loaded_root == root)       /* never with KPTI: the trampoline flushes */
		__atomic_store_n(&mycpu()->tlb_stale, true, __ATOMIC_RELEASE);
	pop_off();
}

void
tlb_flush_page(uint64 va)
{
	asm volatile("sfence.vma %0, zero" :: "r"(va) : "memory");
	push_off();
	mycpu()->n_sfences++;
	pop_off();
}

/*
 * Flush this hart if it is marked stale: the scheduler, after loading a
 * process's table, and exec, once it has freed its old image.
 */
void
tlb_sync_hart(void)
{
	push_off();
	struct cpu *c = mycpu();
	if (__atomic_load_n(&c->tlb_stale, __ATOMIC_ACQUIRE)) {
		c->tlb_stale = false;
		as_sfence();
	}
	pop_off();
}

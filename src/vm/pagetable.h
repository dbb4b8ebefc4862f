/*
 * Walking and editing page tables; shared by kernel and user address spaces.
 *
 * The pointer rule: a pointer into a user table (a pte_t * from a walk, a
 * table's address) is good only until the next thing that may change the
 * table's shape: a copy to or from user memory (it may fault, and the
 * fault may split a superpage or collapse a range into one, freeing the
 * level-0 table: vm/fault.c), a sleep, or a lock drop that lets the owner
 * run.  A walker that must report across such a step keeps entry values,
 * not pointers, and looks the entry up again after it (vm/pgaccess.c);
 * an outside reader that walks while copying out holds mm->readers, which
 * keeps unlinked tables alive (vm/vmprint.c).  Allocating is not such a
 * step: kalloc() never sleeps or faults, and what its reclaim frees are
 * page-cache pages no table maps (vmobj_reclaim takes only pages with one
 * reference, the cache's): a table changes shape only on its owner's own
 * path (its faults, unmapping, exec, exit).  This holds while a process
 * has one thread; with threads, a second thread of the same mm can fault
 * at any moment, and walks will need the mm's lock.  DEBUG kernels check
 * every walk and store against a page freed meanwhile: a table's page
 * carries PG_TABLE from pt_alloc_table() until page_put() frees it
 * (pt_check_live).
 */
#ifndef VM_PAGETABLE_H
#define VM_PAGETABLE_H

#include "vm/pte.h"
#include "vm/page.h"
#include "vm/kernel_layout.h"

/* Where a lookup ended: the leaf entry and the level it sits at. */
struct pt_slot {
	pte_t *pte;     /* NULL when nothing maps the address */
	int level;
};

pte_t *pt_walk(pagetable_t root, uint64 va, int level, bool alloc);
struct pt_slot pt_lookup(pagetable_t root, uint64 va);
int pt_map(pagetable_t root, uint64 va, uint64 pa, int level, uint64 flags);
struct tlb_batch;
uint64 pt_unmap(pagetable_t root, uint64 va, uint64 npages, struct tlb_batch *b);
int pt_split(pagetable_t root, uint64 va, struct tlb_batch *b);
void pt_free_user_half(pagetable_t root);
void pt_swap_user_halves(pagetable_t a, pagetable_t b);

/*
 * Which entries of a table are in use, so that walks over user tables
 * (fork, exec, exit: several per process) visit only those: a small
 * process has five nearly empty tables, and looking at every entry cost
 * 2,300 loads per walk.  Bit g of the table page's pt_used (struct page)
 * is set when any of entries 8g..8g+7 may be non-zero.
 *
 * Invariant: an entry goes from zero to non-zero only through pt_set(),
 * which marks its group first (or pt_swap_user_halves, which moves the
 * marks with the entries).  pt_used is reset only on a zeroed table
 * (pt_alloc_table); clearing an entry leaves its bit, and a walk finds
 * the entry zero.  A table is edited only by its own process (or by the
 * fork that builds it), so the mark needs no atomic.  DEBUG kernels check
 * the invariant in every walk that relies on it (pt_walk_marks).
 */
pagetable_t pt_alloc_table(void);

#ifdef DEBUG
void pt_check_used(const pte_t *t, uint64 used, int end);
void pt_check_live(const pte_t *pte);
#else
static inline void pt_check_used(const pte_t *t, uint64 used, int end) { (void)t; (void)used; (void)end; }
static inline void pt_check_live(const pte_t *pte) { (void)pte; }
#endif

static inline uint64 *
pt_used(const pte_t *table)
{
	return &page_at(kva2pa(table))->pt_used;
}

/* Store the non-zero entry v at pte, after marking its group in use. */
static inline void
pt_set(pte_t *pte, pte_t v)
{
	uint64 off = (uint64)pte & (PGSIZE - 1);

	pt_check_live(pte);
	*pt_used((pte_t *)((uint64)pte - off)) |= 1UL << (off / (8 * sizeof(pte_t)));
	__atomic_store_n(pte, v, __ATOMIC_RELEASE);   /* what v points to is ready first */
}

/*
 * The first non-zero entry of table t at or after index i, or end, where
 * used is the table's *pt_used (read once by the walk).  The caller still
 * checks PTE_V.
 */
static inline int
pt_next_used(const pte_t *t, uint64 used, int i, int end)
{
	while (i < end) {
		uint64 rest = used >> (i / 8);
		if (rest == 0)
			return end;
		if ((rest & 0xff) == 0)
			i = (i & ~7) + 64;      /* eight empty groups */
		else if ((rest & 1) == 0)
			i = (i & ~7) + 8;
		else if (t[i])
			return i;
		else
			i++;
	}
	return end;
}


/* Table t's marks, read once for a walk over entries below end (checked in DEBUG kernels). */
static inline uint64
pt_walk_marks(const pte_t *t, int end)
{
	uint64 used = *pt_used(t);

	pt_check_live(t);
	pt_check_used(t, used, end);
	return used;
}

#endif

/*
 * Where superpages go: the policy for 2 MiB pages of private anonymous
 * memory, at a fault (superpage_fault) and for eager allocation
 * (superpage_slot).  The mechanics live with their layers: 2 MiB blocks
 * in the allocator (kalloc_huge, huge_split: vm/kalloc.c), splitting a
 * superpage's entry into 512 (pt_split: vm/pagetable.c), and copy-on-write
 * of a shared one (cow_break_super: vm/fault.c).
 */
#include "vm/superpage.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/mm.h"
#include "vm/page.h"
#include "vm/pagetable.h"
#include "vm/tlb.h"
#include "sched/cpu.h"
#include "sync/spinlock.h"
#include "lib/string.h"

#define COLLAPSE_MAX    16      /* small pages a superpage may take over */

/*
 * The superpage policy, for private anonymous memory (heap, anonymous
 * mmap), in a 2 MiB-aligned range that lies wholly in the region: a
 * superpage where the range is being filled in order.  A fault on the
 * range's first page while nothing is mapped there maps one at once; a
 * fault on the page next to one already there, while the range holds at
 * most COLLAPSE_MAX pages, all ours alone and writable, replaces them
 * with one (their contents copied in, the rest zero); any other fault
 * maps a 4 KiB page.  So a program that touches one byte of a large heap
 * pays for one page, not 2 MiB (zeroing 2 MiB costs about 0.5 ms on this
 * QEMU), one that touches it sparsely does not find its memory multiplied
 * by 512, and one that fills it in order gets superpages with one fault
 * each.  No free 2 MiB block, or anything shared or copy-on-write in the
 * range: 4 KiB pages, silently.
 */
int
superpage_fault(struct mm *mm, struct region *r, uint64 va, uint64 flags)
{
	uint64 base = ROUNDDOWN(va, LEVEL_SIZE(1));

	if (base < r->start || base + LEVEL_SIZE(1) > r->end || !(flags & PTE_W))
		return SUPERPAGE_NO;
	pte_t *l1 = pt_walk(mm->pagetable, base, 1, true);
	if (!l1)
		return SUPERPAGE_NOMEM;
	if (pte_is_leaf(*l1))
		return SUPERPAGE_NO;
	if (!(*l1 & PTE_V)) {
		/* nothing here yet: a superpage only if this is the range's first page */
		char *huge = va == base ? kalloc_huge() : NULL;
		if (!huge)
			return SUPERPAGE_NO;
		memset(huge, 0, LEVEL_SIZE(1));
		pt_set(l1, pte_make(kva2pa(huge), flags));
		mm_rss_add(mm, HUGE_PAGES);
		CPU_COUNT(n_superpages);
		return SUPERPAGE_MAPPED;
	}
	pagetable_t t = pa2kva(pte_pa(*l1));
	int at = VPN(va, 0), n = 0;
	if (!(at > 0 && (t[at - 1] & PTE_V)) && !(at < PT_ENTRIES - 1 && (t[at + 1] & PTE_V)))
		return SUPERPAGE_NO;            /* not next to a page already there */
	for (int i = 0; i < PT_ENTRIES; i++) {
		if (!(t[i] & PTE_V))
			continue;
		if (++n > COLLAPSE_MAX || !(t[i] & PTE_W) || (t[i] & PTE_COW) ||
		    page_refcount(pa2kva(pte_pa(t[i]))) != 1)
			return SUPERPAGE_NO;
	}
	char *huge = kalloc_huge();
	if (!huge)
		return SUPERPAGE_NO;
	struct tlb_batch b;
	tlb_batch_begin(&b, mm->pagetable);
	for (int i = 0; i < PT_ENTRIES; i++) {
		if (t[i] & PTE_V) {
			memcpy(huge + i * PGSIZE, pa2kva(pte_pa(t[i])), PGSIZE);
			tlb_batch_taken(&b, base + (uint64)i * PGSIZE);
			tlb_batch_release(&b, pa2kva(pte_pa(t[i])));
		} else {
			memset(huge + i * PGSIZE, 0, PGSIZE);
		}
	}
	/* the new contents before the entry that makes them reachable */
	pt_set(l1, pte_make(kva2pa(huge), flags));
	tlb_batch_taken(&b, base);
	mm_table_unlinked(mm, t, &b);   /* the small pages' table */
	tlb_batch_end(&b);
	mm_rss_add(mm, HUGE_PAGES - n);
	CPU_COUNT(n_superpages);
	return SUPERPAGE_MAPPED;
}

/*
 * May a superpage go at va (2 MiB-aligned)?  Yes if nothing maps any of
 * its range: no level-0 table there, or an empty one, which is freed
 * (through b: a hart may still cache the entry that led to it).
 */
bool
superpage_slot(struct mm *mm, uint64 va, struct tlb_batch *b)
{
	pte_t *l1 = pt_walk(mm->pagetable, va, 1, true);

	if (!l1 || pte_is_leaf(*l1))
		return false;
	if (!(*l1 & PTE_V))
		return true;
	pagetable_t t = pa2kva(pte_pa(*l1));
	uint64 used = pt_walk_marks(t, PT_ENTRIES);
	for (int i = 0; (i = pt_next_used(t, used, i, PT_ENTRIES)) < PT_ENTRIES; i++)
		if (t[i] & PTE_V)
			return false;
	*l1 = 0;
	tlb_batch_taken(b, va);
	mm_table_unlinked(mm, t, b);
	return true;
}

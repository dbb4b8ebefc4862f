/*
 * Page-table mechanics: find the entry for an address, install and remove
 * mappings, tear down the user half of a table.  Policy (which permissions,
 * when to share) belongs to the callers in kvm.c and uvm.c.
 *
 * Intermediate tables are zeroed pages.  An intermediate entry has only V
 * set: Sv39 requires A, D and U clear on non-leaf entries.  Entries become
 * non-zero only through pt_set(), which keeps each table's record of the
 * entries in use (vm/pagetable.h).
 */
#include "vm/pagetable.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/tlb.h"
#include "vm/page.h"
#include "debug/kprintf.h"

/* A zeroed table, with no entry in use. */
pagetable_t
pt_alloc_table(void)
{
	pagetable_t t = kzalloc();

	if (t) {
		*pt_used(t) = 0;
		page_at(kva2pa(t))->flags |= PG_TABLE;  /* cleared when the page is freed */
	}
	return t;
}

#ifdef DEBUG
/* The pt_used invariant: every entry of t below end outside a marked group is zero. */
void
pt_check_used(const pte_t *t, uint64 used, int end)
{
	for (int i = 0; i < end; i++)
		if (t[i] && !(used >> (i / 8) & 1))
			panic("pt_check_used: entry %d of table %p is set but not marked", i, t);
}

/* The rule above: pte lies in a page that is a table now, not one freed meanwhile. */
void
pt_check_live(const pte_t *pte)
{
	struct page *pg = page_of((void *)ROUNDDOWN((uint64)pte, PGSIZE));

	if (!(pg->flags & PG_TABLE) || pg->refs == 0)
		panic("pt_check_live: entry %p is in page %p, which is no page table now (flags %x)",
		      pte, (void *)ROUNDDOWN((uint64)pte, PGSIZE), pg->flags);
}
#endif

/*
 * Return the entry at `level` that translates va, descending from the
 * root.  With alloc, missing tables on the way are created (NULL if out of
 * memory); without, NULL if one is missing.  Panics if a leaf (huge page)
 * lies above the requested level.
 */
pte_t *
pt_walk(pagetable_t table, uint64 va, int level, bool alloc)
{
	for (int l = PT_LEVELS - 1; l > level; l--) {
		pte_t *pte = &table[VPN(va, l)];
		pt_check_live(pte);
		if (*pte & PTE_V) {
			if (pte_is_leaf(*pte))
				panic("pt_walk: %p lies in a level-%d leaf", (void *)va, l);
			table = pa2kva(pte_pa(*pte));
		} else {
			if (!alloc)
				return NULL;
			pagetable_t next = pt_alloc_table();
			if (!next)
				return NULL;
			/* zeroed before it is reachable: vmprint may walk it from another hart */
			pt_set(pte, pte_make(kva2pa(next), 0));
			table = next;
		}
	}
	return &table[VPN(va, level)];
}

/* The valid leaf mapping va, at whatever level, or {NULL, -1}. */
struct pt_slot
pt_lookup(pagetable_t table, uint64 va)
{
	for (int l = PT_LEVELS - 1; l >= 0; l--) {
		pte_t *pte = &table[VPN(va, l)];
		pt_check_live(pte);
		if (!(*pte & PTE_V))
			break;
		if (pte_is_leaf(*pte))
			return (struct pt_slot){ pte, l };
		table = pa2kva(pte_pa(*pte));
	}
	return (struct pt_slot){ NULL, -1 };
}

/* Map one page of the size of `level` at va.  -1 if out of memory. */
int
pt_map(pagetable_t root, uint64 va, uint64 pa, int level, uint64 flags)
{
	pte_t *pte = pt_walk(root, va, level, true);

	if (!pte)
		return -1;
	if (*pte & PTE_V)
		panic("pt_map: %p already mapped", (void *)va);
	pt_set(pte, pte_make(pa, flags));
	return 0;
}

/*
 * Remove the mappings of npages pages from va; holes are skipped.  A
 * superpage must lie wholly inside the range (split it first: pt_split).
 * Each mapping's page reference is dropped through the batch b, after the
 * TLB flush it owes (vm/tlb.c).  Returns how many pages were mapped.
 */
uint64
pt_unmap(pagetable_t root, uint64 va, uint64 npages, struct tlb_batch *b)
{
	uint64 removed = 0, end = va + npages * PGSIZE;

	for (uint64 a = va; a < end;) {
		uint64 next_2m = ROUNDDOWN(a, LEVEL_SIZE(1)) + LEVEL_SIZE(1);
		pte_t *l1 = pt_walk(root, a, 1, false);
		if (!l1 || !(*l1 & PTE_V)) {
			a = next_2m;    /* nothing in these 2 MiB */
			continue;
		}
		if (pte_is_leaf(*l1)) {
			if (a % LEVEL_SIZE(1) || next_2m > end)
				panic("pt_unmap: %p cuts a superpage", (void *)a);
			pte_t old = *l1;
			*l1 = 0;
			tlb_batch_taken(b, a);
			tlb_batch_release(b, pa2kva(pte_pa(old)));
			removed += HUGE_PAGES;
			a = next_2m;
			continue;
		}
		/* the rest of this level-0 table's part of the range, in one pass */
		pagetable_t t = pa2kva(pte_pa(*l1));
		uint64 stop = next_2m < end ? next_2m : end;
		int last = (int)VPN(stop - 1, 0) + 1;
		uint64 used = pt_walk_marks(t, PT_ENTRIES);
		for (int i = (int)VPN(a, 0); (i = pt_next_used(t, used, i, last)) < last; i++) {
			pte_t old = t[i];
			if (!(old & PTE_V))
				continue;
			t[i] = 0;
			tlb_batch_taken(b, ROUNDDOWN(a, LEVEL_SIZE(1)) + (uint64)i * PGSIZE);
			tlb_batch_release(b, pa2kva(pte_pa(old)));
			removed++;
		}
		a = stop;
	}
	return removed;
}

/*
 * If a superpage maps va, make it 4 KiB mappings of the same pages with
 * the same flags, under a new level-0 table.  An unshared superpage
 * becomes ordinary pages (each then freed alone); a shared one (fork's
 * copy-on-write) keeps its block, each small mapping holding a reference
 * on it.  0 (also when there was no superpage), or -1 without memory for
 * the table.  The change is flushed through b: a stale superpage entry
 * must not outlive its leaf.
 */
int
pt_split(pagetable_t root, uint64 va, struct tlb_batch *b)
{
	pte_t *l1 = pt_walk(root, va, 1, false);

	if (!l1 || !(*l1 & PTE_V) || !pte_is_leaf(*l1))
		return 0;
	pagetable_t table = pt_alloc_table();
	if (!table)
		return -1;
	pte_t leaf = *l1;
	void *head = pa2kva(pte_pa(leaf));
	if (page_refcount(head) == 1)
		huge_split(head);
	else
		for (uint32 i = 1; i < HUGE_PAGES; i++)
			page_get(head);
	for (int i = 0; i < PT_ENTRIES; i++)
		table[i] = pte_make(pte_pa(leaf) + (uint64)i * PGSIZE, leaf & PTE_FLAG_MASK & ~PTE_V);
	*pt_used(table) = ~0UL;         /* every entry */
	pt_set(l1, pte_make(kva2pa(table), 0));
	tlb_batch_taken(b, ROUNDDOWN(va, LEVEL_SIZE(1)));
	return 0;
}

static void
free_table(pagetable_t table, int level)
{
	/* no entry is cleared: nothing reaches the table any more */
	uint64 used = pt_walk_marks(table, PT_ENTRIES);
	for (int i = 0; (i = pt_next_used(table, used, i, PT_ENTRIES)) < PT_ENTRIES; i++) {
		pte_t pte = table[i];
		if (!(pte & PTE_V))
			continue;
		if (pte_is_leaf(pte)) {
			if (level > 1)
				panic("free_table: a 1 GiB user page");
			page_put(pa2kva(pte_pa(pte)));     /* a page, or a superpage's one reference */
		} else {
			free_table(pa2kva(pte_pa(pte)), level - 1);
		}
	}
	page_put(table);
}

/*
 * Exchange the user halves (entries 0..255) of roots a and b, and their
 * marks in pt_used.  The caller flushes as the TLB rule says: for a hart,
 * every entry of the loaded one may have changed.
 */
void
pt_swap_user_halves(pagetable_t a, pagetable_t b)
{
	uint64 ua = pt_walk_marks(a, KERNEL_HALF_FIRST), ub = pt_walk_marks(b, KERNEL_HALF_FIRST);
	uint64 user = (1UL << (KERNEL_HALF_FIRST / 8)) - 1;
	uint64 groups = (ua | ub) & user;

	for (int g = 0; groups >> g; g++) {
		if (!(groups >> g & 1))
			continue;
		for (int i = 8 * g; i < 8 * g + 8; i++) {
			pte_t t = a[i];
			__atomic_store_n(&a[i], b[i], __ATOMIC_RELAXED);
			__atomic_store_n(&b[i], t, __ATOMIC_RELAXED);
		}
	}
	*pt_used(a) = (ua & ~user) | (ub & user);
	*pt_used(b) = (ub & ~user) | (ua & user);
}

/*
 * Release every page and table of the user half (root entries 0..255),
 * then the root itself.  The kernel half is only pointed at, never freed.
 * Its process must never run on root again (vm/tlb.c, rule 4): nothing is
 * flushed here.  A hart that still has root loaded keeps the root page
 * (and the kernel half, all it uses) alive through its own reference.
 */
void
pt_free_user_half(pagetable_t root)
{
	uint64 used = pt_walk_marks(root, KERNEL_HALF_FIRST);
	for (int i = 0; (i = pt_next_used(root, used, i, KERNEL_HALF_FIRST)) < KERNEL_HALF_FIRST; i++) {
		pte_t pte = root[i];
		if (!(pte & PTE_V))
			continue;
		if (pte_is_leaf(pte))
			panic("pt_free_user_half: user huge page");
		root[i] = 0;    /* unhook first: a hart may still have root loaded */
		free_table(pa2kva(pte_pa(pte)), PT_LEVELS - 2);
	}
	page_put(root);
}

/* Walking and editing page tables; shared by kernel and user address spaces. */
#ifndef VM_PAGETABLE_H
#define VM_PAGETABLE_H

#include "vm/pte.h"

/* Where a lookup ended: the leaf entry and the level it sits at. */
struct pt_slot {
	pte_t *pte;     /* NULL when nothing maps the address */
	int level;
};

pte_t *pt_walk(pagetable_t root, uint64 va, int level, bool alloc);
struct pt_slot pt_lookup(pagetable_t root, uint64 va);
int pt_map(pagetable_t root, uint64 va, uint64 pa, int level, uint64 flags);
int pt_map_range(pagetable_t root, uint64 va, uint64 pa, uint64 size, uint64 flags);
struct tlb_batch;
uint64 pt_unmap(pagetable_t root, uint64 va, uint64 npages, struct tlb_batch *b);
int pt_split(pagetable_t root, uint64 va, struct tlb_batch *b);
void pt_free_user_half(pagetable_t root);

/*
 * The first entry of table t at or after index i that is not zero, or end:
 * a walk over a user table, whose entries are mostly zero, skips them
 * eight at a time (a full table is 512 loads and branches otherwise, on
 * every fork, exec and exit).  The caller still checks PTE_V.
 */
static inline int
pt_next_used(const pte_t *t, int i, int end)
{
	for (; i < end; i++) {
		if (i % 8 == 0 && i + 8 <= end &&
		    (t[i] | t[i + 1] | t[i + 2] | t[i + 3] | t[i + 4] | t[i + 5] | t[i + 6] | t[i + 7]) == 0) {
			i += 7;
			continue;
		}
		if (t[i])
			return i;
	}
	return end;
}

#endif

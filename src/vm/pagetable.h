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

#endif

/*
 * Keeping TLBs honest: the rule for changing a user page table that a hart
 * may have cached (written out in vm/tlb.c), and the batch that carries
 * an edit out under it.
 *
 *	struct tlb_batch b;
 *	tlb_batch_begin(&b, root);
 *	... take mappings or permissions away: tlb_batch_taken(&b, va) for
 *	    each; pages whose reference goes with the mapping are handed to
 *	    tlb_batch_release(&b, page) instead of page_put() ...
 *	tlb_batch_end(&b);      flush as the rule says, then release the pages
 */
#ifndef VM_TLB_H
#define VM_TLB_H

#include "lib/types.h"

#define TLB_BATCH_PAGES 64

struct tlb_batch {
	pagetable_t root;       /* the table being edited */
	uint64 va;              /* the one page taken away, if only one */
	uint64 ntaken;          /* translations (or permissions) taken away */
	int npages;
	void *pages[TLB_BATCH_PAGES];   /* references released after the flush */
};

void tlb_batch_begin(struct tlb_batch *b, pagetable_t root);
void tlb_batch_taken(struct tlb_batch *b, uint64 va);
void tlb_batch_release(struct tlb_batch *b, void *page);
void tlb_batch_end(struct tlb_batch *b);

void tlb_taken_all_deferred(pagetable_t root);  /* exec: all of root taken, harts marked */

void tlb_flush_page(uint64 va);         /* this hart only: a stale entry for va */
void tlb_sync_hart(void);               /* flush if this hart is marked stale */

#endif

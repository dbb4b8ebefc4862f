/*
 * The physical page allocator.  Pages are named by their direct-map
 * address.  Every allocated page carries a reference count: kalloc() hands
 * it out at 1, page_get() adds a sharer, page_put() drops one and returns the
 * page to the free lists when the last reference goes.  A superpage
 * (kalloc_huge) counts its references on its first page: page_get, page_put
 * and page_refcount of any of its pages act on the whole.
 */
#ifndef VM_KALLOC_H
#define VM_KALLOC_H

#include "lib/types.h"

void kalloc_init(uint64 image_start_pa, uint64 image_end_pa);
void *kalloc(void);             /* contents undefined; NULL when out of memory */
void *kzalloc(void);            /* zero-filled */
void *kalloc_huge(void);        /* a 2 MiB superpage, unzeroed; NULL if no free block */
void huge_split(void *head);    /* an unshared superpage becomes HUGE_PAGES pages */
void page_put(void *page);
void page_get(void *page);
uint32 page_refcount(void *page);
uint64 kalloc_free_pages(void);
void kalloc_set_reclaim(uint64 (*fn)(void));
uint64 kalloc_total_pages(void);
#ifdef DEBUG
void kalloc_check(void);        /* panics unless the free count matches the lists */
#endif

#define KALLOC_NO_CHAIN 0xffffffffu
uint64 kalloc_set_aside(uint64 keep, uint32 *chain);    /* a test aid: see kalloc.c */
void kalloc_give_back(uint32 *chain);

#endif

/*
 * What the kernel knows about each physical page of RAM: one struct page
 * per page, in an array carved out of RAM at boot (vm/page.c).  The
 * allocator owns the fields of a free page; an allocated page's refs
 * counts its references; a page in the page cache (vm/vmobj.c) also
 * records its object and index, and reuses next/prev for the object's
 * list of pages.  A superpage is one block of HUGE_PAGES pages whose
 * references are all counted on its first page (PG_HEAD), wherever in the
 * block a mapping points: the others (PG_TAIL) lead to it.
 */
#ifndef VM_PAGE_H
#define VM_PAGE_H

#include "lib/types.h"
#include <canopy/layout.h>

#define PAGE_NIL        0xffffffffu     /* no page: the end of a list */

#define PG_BUDDY        0x1     /* first page of a free block on a buddy list */
#define PG_CACHED       0x2     /* in the page cache: obj and index are set */
#define PG_HEAD         0x4     /* first page of an allocated superpage (order HUGE_ORDER) */
#define PG_TAIL         0x8     /* another page of one: next holds its head's number */
#define PG_TABLE        0x10    /* a page table (pt_alloc_table), until it is freed */

#define HUGE_ORDER      9       /* a superpage: 2 MiB, a level-1 leaf */
#define HUGE_PAGES      (1u << HUGE_ORDER)

struct vmobj;

struct page {
	uint32 refs;
	uint32 next, prev;      /* links of the list the page is on, as page numbers */
	uint8 order;            /* of the block this page heads */
	uint8 flags;
	union {
		struct vmobj *obj;      /* PG_CACHED: the object and page index it caches */
		uint64 pt_used;         /* a page table: its groups of entries in use (vm/pagetable.h) */
	};
	uint32 index;
	uint32 hnext;           /* PG_CACHED: the next page of its hash chain */
};

extern struct page *pages;
extern uint64 pages_base;       /* the physical address pages[0] describes */

struct page *page_of(void *page);       /* from a direct-map address */
struct page *page_of_pa(uint64 pa);     /* checked: panics unless pa is a page of RAM */
bool page_is_ram(uint64 pa);
void page_array_init(uint64 image_start, uint64 image_end, void (*give)(uint64 pa, uint64 end));
uint32 pfn_of(uint64 pa);               /* index in pages[] */
uint64 pa_of(uint32 pfn);

/* page_of() without its check, for hot paths given a page of RAM. */
static inline struct page *
page_at(uint64 pa)
{
	return &pages[(pa - pages_base) >> PGSHIFT];
}

#endif

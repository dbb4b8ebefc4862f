/*
 * What the kernel knows about each physical page of RAM: one struct page
 * per page, in an array carved out of RAM at boot (vm/kalloc.c).  The
 * allocator owns the fields of a free page; an allocated page's refs
 * counts its references; a page in the page cache (vm/vmobj.c) also
 * records its object and index, and reuses next/prev for the object's
 * list of pages.
 */
#ifndef VM_PAGE_H
#define VM_PAGE_H

#include "lib/types.h"

#define PAGE_NIL        0xffffffffu     /* no page: the end of a list */

#define PG_BUDDY        0x1     /* first page of a free block on a buddy list */
#define PG_CACHED       0x2     /* in the page cache: obj and index are set */

struct vmobj;

struct page {
	uint32 refs;
	uint32 next, prev;      /* links of the list the page is on, as page numbers */
	uint8 order;            /* of the block this page heads */
	uint8 flags;
	struct vmobj *obj;      /* PG_CACHED: the object and page index it caches */
	uint32 index;
	uint32 hnext;           /* PG_CACHED: the next page of its hash chain */
};

extern struct page *pages;

struct page *page_of(void *page);       /* from a direct-map address */
uint32 pfn_of(uint64 pa);               /* index in pages[] */
uint64 pa_of(uint32 pfn);

#endif

/*
 * Memory objects: what a shared or file-backed region maps.  An object
 * holds pages by index (its page cache), each page there once however
 * many processes map it.  Two kinds: a shared anonymous object (the pages
 * of a MAP_SHARED|MAP_ANONYMOUS mapping, zero-filled at first touch) and a
 * file (an inode: pages read from the file at first touch, written back by
 * msync, munmap and exit).
 */
#ifndef VM_VMOBJ_H
#define VM_VMOBJ_H

#include "lib/types.h"

struct inode;

enum vmobj_kind { VMOBJ_ANON, VMOBJ_FILE };

struct vmobj {
	int refs;               /* regions mapping it (and a file's open mmap users) */
	uint8 kind;
	struct inode *ip;       /* VMOBJ_FILE: the file (a reference is held; opaque: vm/pager.h) */
	uint64 npages;          /* pages in its cache */
	uint32 first;           /* its cached pages, linked through struct page */
};

#define VMOBJ_OK         0
#define VMOBJ_NOMEM     -1
#define VMOBJ_IO        -2      /* the file could not be read */
#define VMOBJ_WOULD_SLEEP -3    /* the page must come from the disk, and we may not sleep */

void vmobj_init(void);
struct vmobj *vmobj_anon(void);
void vmobj_get(struct vmobj *o);
void vmobj_put(struct vmobj *o);
void vmobj_writer(struct vmobj *o, bool more);
int vmobj_page(struct vmobj *o, uint64 index, bool may_sleep, void **page);
void vmobj_describe(struct vmobj *o, uint64 pgoff, char *out, int size);

struct vmobj *vmobj_file(struct inode *ip);
struct vmobj *vmobj_file_cached(struct inode *ip);
void vmobj_collect(void);
struct inode *vmobj_file_unlinked(struct inode *ip);
void vmobj_file_written(struct inode *ip, uint64 off, const void *data, uint64 n);
void vmobj_file_truncated(struct inode *ip, uint64 size);
uint64 vmobj_reclaim(void);
int vmobj_write_back(struct vmobj *o, void *const page[], const uint64 index[], int n);
uint64 vmobj_cached_pages(void);
uint64 vmobj_reclaimable(void);

#endif

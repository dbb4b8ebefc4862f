/*
 * A process's address space: its page table and its regions, the one
 * description of what may be mapped where, with which permissions, and
 * what backs it.  vm_fault() decides from the region; fork copies the
 * regions, exec builds new ones, exit drops them.
 *
 * Invariants:
 *  - regions are page-aligned, non-empty (the heap excepted: it may be
 *    empty), do not overlap, and are sorted by start;
 *  - a user page is mapped only inside a region, with at most the
 *    region's permissions (less while it is shared copy-on-write);
 *  - rss is the number of pages mapped, the two vDSO pages aside;
 *  - only the owner's thread changes an mm; exec and exit replace or free
 *    it under the process's vm_lock (readers from outside hold it too);
 *  - users > 1 only while a vfork child borrows its parent's mm (Linux's
 *    CLONE_VM|CLONE_VFORK): the parent sleeps until the child execs or
 *    exits, so one thread at a time runs on it all the same; the last
 *    user to leave frees it;
 *  - a page-table page the owner takes out of its table in place (a
 *    superpage taking a range over) is freed only when no outside reader
 *    walks the table (readers == 0), else kept on `unlinked` until then.
 */
#ifndef VM_MM_H
#define VM_MM_H

#include "lib/types.h"
#include <canopy/layout.h>
#include <canopy/mman.h>

struct vmobj;
struct tlb_batch;

enum region_kind {
	REGION_TEXT,            /* program code */
	REGION_RODATA,          /* program read-only data */
	REGION_DATA,            /* program data and bss */
	REGION_HEAP,            /* [heap_start, brk) rounded up to a page */
	REGION_STACK,
	REGION_VDSO,
	REGION_MMAP,
};

#define REGION_SHARED   0x1     /* pages are shared with other mappings, never copied */
#define REGION_WRITER   0x2     /* maps a file opened for writing: keeps it from exec (ETXTBSY) */

struct region {
	uint64 start, end;      /* [start, end), page-aligned */
	uint8 prot;             /* PROT_READ | PROT_WRITE | PROT_EXEC */
	uint8 flags;            /* REGION_SHARED, REGION_WRITER */
	uint8 kind;             /* enum region_kind */
	struct vmobj *obj;      /* what backs it; NULL: zero-filled private pages */
	uint64 pgoff;           /* the page of obj that start maps */
};

#define MM_MAX_REGIONS  80

struct mm {
	pagetable_t pagetable;
	uint64 rss;                     /* changed only by mm_rss_add; read racily (oom.c) */
	int readers;                    /* outside walkers of the table now (vmprint) */
	void *unlinked;                 /* tables taken out while walkers were in: freed later */
	uint64 heap_start, brk;         /* the heap region is [heap_start, ROUNDUP(brk)) */
	int users;                      /* processes on it (atomic): mm_borrow, mm_leave */
	bool loadable;                  /* its root has the kernel half: it may go in satp */
	int nregions;
	struct region regions[MM_MAX_REGIONS];
};

/*
 * Count delta pages more (or fewer) mapped in mm.  Only mm's owner (or the
 * fork building it) changes rss, so a plain sum suffices; the store is
 * atomic for the racy readers (vm/oom.c, procinfo).
 */
static inline void
mm_rss_add(struct mm *mm, long delta)
{
	__atomic_store_n(&mm->rss, mm->rss + (uint64)delta, __ATOMIC_RELAXED);
}

struct vdso_proc;

struct mm *mm_create(struct vdso_proc *proc_page, bool loadable);
void mm_destroy(struct mm *mm);
void mm_take_root(struct mm *new, struct mm *old);
void mm_borrow(struct mm *mm);
bool mm_shared(struct mm *mm);
bool mm_leave(struct mm *mm);
int mm_copy(struct mm *parent, struct mm *child);

struct region *mm_find(struct mm *mm, uint64 va);
struct region *mm_heap(struct mm *mm);
int mm_add(struct mm *mm, const struct region *r);
bool mm_range_free(struct mm *mm, uint64 start, uint64 end, const struct region *ignore);
int mm_unmap(struct mm *mm, uint64 start, uint64 end, struct tlb_batch *b);
int mm_unmap_pages(struct mm *mm, uint64 start, uint64 end, struct tlb_batch *b);
void mm_table_unlinked(struct mm *mm, pagetable_t table, struct tlb_batch *b);
void mm_reader_enter(struct mm *mm);
void mm_reader_exit(struct mm *mm);
const char *region_kind_name(int kind);

#endif

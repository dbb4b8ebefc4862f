/*
 * Address spaces (vm/mm.h): creating one, copying it for fork, freeing it,
 * and keeping its list of regions.  An mm is one page: the table's root
 * pointer, the heap's bounds, and up to MM_MAX_REGIONS regions in order.
 */
#include "vm/mm.h"
#include "vm/vdso.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/pagetable.h"
#include "vm/tlb.h"
#include "vm/uvm.h"
#include "vm/vmobj.h"
#include "debug/kprintf.h"
#include "lib/string.h"

STATIC_ASSERT(sizeof(struct mm) <= PGSIZE);

static const char *kind_names[] = {
	[REGION_TEXT] = "text", [REGION_RODATA] = "rodata", [REGION_DATA] = "data",
	[REGION_HEAP] = "heap", [REGION_STACK] = "stack", [REGION_VDSO] = "vdso",
	[REGION_MMAP] = "mmap",
};

const char *
region_kind_name(int kind)
{
	return kind >= 0 && kind < (int)NELEM(kind_names) ? kind_names[kind] : "?";
}

/*
 * A new address space: the two vDSO pages, no other region.  Its root has
 * the kernel half only if loadable; one that is not (exec's) can be used
 * only through mm_take_root.
 */
struct mm *
mm_create(struct vdso_proc *proc_page, bool loadable)
{
	struct mm *mm = kalloc();

	if (!mm)
		return NULL;
	/* the regions past nregions are never read: zero only the header */
	memset(mm, 0, __builtin_offsetof(struct mm, regions));
	mm->users = 1;
	mm->loadable = loadable;
	if (!(mm->pagetable = uvm_create(proc_page, loadable))) {
		page_put(mm);
		return NULL;
	}
	struct region vdso = { VDSO_PROC, VDSO_DATA + PGSIZE, PROT_READ, 0, REGION_VDSO, NULL, 0 };
	mm_add(mm, &vdso);
	return mm;
}

/* Free the tables kept on mm->unlinked (no reader can be in them now). */
static void
free_unlinked(struct mm *mm, struct tlb_batch *b)
{
	while (mm->unlinked) {
		void *t = mm->unlinked;
		mm->unlinked = *(void **)t;
		if (b)
			tlb_batch_release(b, t);
		else
			page_put(t);
	}
}

/*
 * The owner took table out of its page table (its entry already points
 * elsewhere).  Free it through b, unless an outside reader (vmprint, under
 * the process's vm_lock) may be walking it: then keep it until none is.
 * The fence pairs with mm_reader_enter: either the reader counted itself
 * before we look, or it reads the entry after it changed.
 */
void
mm_table_unlinked(struct mm *mm, pagetable_t table, struct tlb_batch *b)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (__atomic_load_n(&mm->readers, __ATOMIC_SEQ_CST) == 0) {
		free_unlinked(mm, b);
		tlb_batch_release(b, table);
	} else {
		*(void **)table = mm->unlinked;         /* a zero-free link: V clear */
		mm->unlinked = table;
	}
}

/* An outside reader starts walking mm's table (holding its process's vm_lock). */
void
mm_reader_enter(struct mm *mm)
{
	__atomic_fetch_add(&mm->readers, 1, __ATOMIC_SEQ_CST);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void
mm_reader_exit(struct mm *mm)
{
	__atomic_fetch_sub(&mm->readers, 1, __ATOMIC_SEQ_CST);
}

/*
 * Exec's commit: the new address space takes over the root page of the
 * old, which this hart has loaded, and the old gets the new's (their user
 * halves change places).  So satp stays as it is: one sfence where loading
 * the new root would be a satp write and an sfence, a TLB flush each on
 * QEMU.  Other harts are marked now; this hart flushes (tlb_sync_hart)
 * after it has freed the old image, as an exit does (vm/tlb.c, rule 4):
 * until then it touches no user address.
 */
void
mm_take_root(struct mm *new, struct mm *old)
{
	pagetable_t loaded = old->pagetable;

	pt_swap_user_halves(loaded, new->pagetable);
	old->pagetable = new->pagetable;
	new->pagetable = loaded;
	old->loadable = false;
	new->loadable = true;
	tlb_taken_all_deferred(loaded);
}

/* A vfork child runs on mm too (vm/mm.h: users). */
void
mm_borrow(struct mm *mm)
{
	__atomic_fetch_add(&mm->users, 1, __ATOMIC_RELAXED);
}

/* Does another process run on mm (a vfork child, or the parent it borrowed it from)? */
bool
mm_shared(struct mm *mm)
{
	return __atomic_load_n(&mm->users, __ATOMIC_ACQUIRE) > 1;
}

/* A process leaves mm: true if it was the last, which must free it. */
bool
mm_leave(struct mm *mm)
{
	return __atomic_sub_fetch(&mm->users, 1, __ATOMIC_ACQ_REL) == 0;
}

/* Let go of what region r holds: its object and, if it has one, its write count. */
static void
region_release(struct region *r)
{
	if (r->flags & REGION_WRITER)
		vmobj_writer(r->obj, false);
	if (r->obj)
		vmobj_put(r->obj);
}

/* Free the table, every page it maps and the regions' hold on their objects and files. */
void
mm_destroy(struct mm *mm)
{
	free_unlinked(mm, NULL);
	uvm_destroy(mm->pagetable);
	for (int i = 0; i < mm->nregions; i++)
		region_release(&mm->regions[i]);
	page_put(mm);
#ifdef DEBUG
	kalloc_check();
#endif
}

/* The region holding va, or NULL.  Regions are sorted: a binary search. */
struct region *
mm_find(struct mm *mm, uint64 va)
{
	int lo = 0, hi = mm->nregions - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		struct region *r = &mm->regions[mid];
		if (va < r->start)
			hi = mid - 1;
		else if (va >= r->end)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

struct region *
mm_heap(struct mm *mm)
{
	for (int i = 0; i < mm->nregions; i++)
		if (mm->regions[i].kind == REGION_HEAP)
			return &mm->regions[i];
	return NULL;
}

/* Does [start, end) overlap no region (but `ignore`)? */
bool
mm_range_free(struct mm *mm, uint64 start, uint64 end, const struct region *ignore)
{
	for (int i = 0; i < mm->nregions; i++) {
		struct region *r = &mm->regions[i];
		if (r != ignore && r->start < end && start < r->end)
			return false;
	}
	return true;
}

/*
 * Add a region (taking a reference on its object, if any).  -1 if the
 * list is full or it overlaps another region.
 */
int
mm_add(struct mm *mm, const struct region *r)
{
	int at = 0;

	if (mm->nregions == MM_MAX_REGIONS || !mm_range_free(mm, r->start, r->end, NULL))
		return -1;
	while (at < mm->nregions && mm->regions[at].start < r->start)
		at++;
	memmove(&mm->regions[at + 1], &mm->regions[at],
		(mm->nregions - at) * sizeof(struct region));
	mm->regions[at] = *r;
	mm->nregions++;
	if (r->obj)
		vmobj_get(r->obj);
	if (r->flags & REGION_WRITER)
		vmobj_writer(r->obj, true);
	return 0;
}

static void
remove_at(struct mm *mm, int at)
{
	region_release(&mm->regions[at]);
	memmove(&mm->regions[at], &mm->regions[at + 1],
		(mm->nregions - at - 1) * sizeof(struct region));
	mm->nregions--;
}

/*
 * Unmap the pages of [start, end) (page-aligned) from the table, their
 * references released through b.  A superpage the range cuts through is
 * split first (vm/pagetable.c); -1, with nothing unmapped, if there is no
 * memory for that.
 */
int
mm_unmap_pages(struct mm *mm, uint64 start, uint64 end, struct tlb_batch *b)
{
	if (end <= start)
		return 0;
	if ((start % LEVEL_SIZE(1) && pt_split(mm->pagetable, start, b) < 0) ||
	    (end % LEVEL_SIZE(1) && pt_split(mm->pagetable, end - 1, b) < 0))
		return -1;
	mm_rss_add(mm, -(long)uvm_dealloc(mm->pagetable, start, end, b));
	return 0;
}

/*
 * Remove [start, end) (page-aligned) from the address space: its pages
 * are unmapped (released through b) and the regions that overlap it are
 * cut, split or dropped.  Only REGION_MMAP regions may be touched: -1 (and
 * nothing changed) if the range overlaps any other, or a split would need
 * a region more than the list holds (or a page table, for a superpage).
 */
int
mm_unmap(struct mm *mm, uint64 start, uint64 end, struct tlb_batch *b)
{
	int splits = 0;

	for (int i = 0; i < mm->nregions; i++) {
		struct region *r = &mm->regions[i];
		if (r->end <= start || r->start >= end)
			continue;
		if (r->kind != REGION_MMAP)
			return -1;
		splits += r->start < start && r->end > end;
	}
	if (mm->nregions + splits > MM_MAX_REGIONS || mm_unmap_pages(mm, start, end, b) < 0)
		return -1;
	for (int i = 0; i < mm->nregions; i++) {
		struct region *r = &mm->regions[i];
		if (r->end <= start || r->start >= end)
			continue;
		if (r->start < start && r->end > end) {         /* a hole in the middle */
			struct region upper = *r;
			upper.pgoff += (end - r->start) / PGSIZE;
			upper.start = end;
			r->end = start;
			mm_add(mm, &upper);
		} else if (r->start < start) {                  /* keep the lower part */
			r->end = start;
		} else if (r->end > end) {                      /* keep the upper part */
			r->pgoff += (end - r->start) / PGSIZE;
			r->start = end;
		} else {
			remove_at(mm, i--);
		}
	}
	return 0;
}

/*
 * Give child (new, from mm_create) parent's regions and pages for fork:
 * pages of shared regions are shared, private ones shared copy-on-write
 * (CONFIG_COW) or copied.  parent must be the running process's: entries
 * that lose W are flushed before this returns.  -1 if out of memory; the
 * caller then destroys child.
 */
int
mm_copy(struct mm *parent, struct mm *child)
{
	child->heap_start = parent->heap_start;
	child->brk = parent->brk;
	for (int i = 0; i < parent->nregions; i++)
		if (parent->regions[i].kind != REGION_VDSO && mm_add(child, &parent->regions[i]) < 0)
			return -1;
	if (uvm_fork(parent, child) < 0)
		return -1;
	struct region *code = mm_find(parent, LINUX_VDSO);
	if (code && code->kind == REGION_VDSO && vdso_map_linux(child) < 0)
		return -1;
	mm_rss_add(child, (long)parent->rss);
	return 0;
}

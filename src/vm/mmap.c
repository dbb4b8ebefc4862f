/*
 * mmap, munmap and msync, and the write-back of shared file mappings.
 *
 * mmap(addr, len, prot, flags, fd, off) adds a region (vm/mm.h) and maps
 * nothing: pages arrive at the first touch (vm/fault.c), zero-filled, or
 * from the file's pages in the page cache (vm/vmobj.c).  MAP_SHARED file
 * pages are the cache's own pages, the same in every process that maps
 * the file; MAP_PRIVATE ones are copied at the first write.  Anonymous
 * shared memory is an object of its own, shared across fork.
 *
 * What a shared file mapping writes reaches the file when the mapping
 * goes (munmap, exit, exec) or at msync: the pages whose entries are dirty
 * (D) are written, up to the file's size (a mapping never makes a file
 * longer), a few pages per transaction.
 *
 * Where: MAP_FIXED takes addr as it is (replacing mmap'ed regions there);
 * otherwise addr is a hint, used if that range is free, else the highest
 * free range below the stack's guard page and above the heap is taken, as
 * Linux does.  Checks happen before anything changes: a call that fails
 * returns -errno (Canopy's calls: -1) and leaves the address space as it was.
 */
#include "vm/mm.h"
#include "vm/mmap.h"
#include "vm/kernel_layout.h"
#include "vm/pagetable.h"
#include "vm/tlb.h"
#include "vm/uaccess.h"
#include "vm/vmobj.h"
#include "vm/pager.h"
#include "sched/proc.h"
#include "sched/syscall.h"
#include "lib/string.h"
#include "lib/errno.h"

#define KNOWN_FLAGS     (MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS)
#define PAGES_PER_OP    8       /* pages per write-back (the file pager: one transaction, 32 blocks) */

/* Is [start, start+len) a page-aligned range of user memory a mapping may take? */
static bool
mappable(uint64 start, uint64 len)
{
	return start % PGSIZE == 0 && start >= USER_TEXT_BASE && len <= USER_STACK_GUARD &&
	       start <= USER_STACK_GUARD - len;
}

/*
 * The highest free range of len bytes below the stack's guard page and
 * above every region below it; 0 if none.
 */
static uint64
find_space(struct mm *mm, uint64 len)
{
	uint64 top = USER_STACK_GUARD;

	for (int i = mm->nregions - 1; i >= 0; i--) {
		struct region *r = &mm->regions[i];
		if (r->start >= top)
			continue;
		if (r->end <= top && top - r->end >= len)
			return top - len;
		top = r->start;
		if (r->kind == REGION_HEAP)
			break;          /* nothing goes below the heap */
	}
	return 0;
}

/*
 * Map len bytes at addr (a hint unless MAP_FIXED) with prot and flags
 * (<canopy/mman.h>) from file f at off (MAP_ANONYMOUS: f is NULL).  The
 * address of the new mapping, or -EINVAL: len 0, an unaligned addr
 * (MAP_FIXED) or off, unknown bits, not exactly one of MAP_SHARED and
 * MAP_PRIVATE, a range outside user memory or over a region mmap did not
 * make; -EACCES: PROT_WRITE with PROT_EXEC, a file opened without the
 * access the protection needs, or not a regular file; -ENOMEM: no room.
 */
long
vm_mmap(uint64 addr, uint64 len, int prot, int flags, struct file *f, uint64 off)
{
	struct mm *mm = myproc()->mm;

	if (len == 0 || len > USER_STACK_GUARD || off % PGSIZE || (flags & ~KNOWN_FLAGS) ||
	    !(flags & MAP_SHARED) == !(flags & MAP_PRIVATE) ||
	    (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if ((prot & PROT_WRITE) && (prot & PROT_EXEC))
		return -EACCES;
	len = ROUNDUP(len, PGSIZE);
	if (!(flags & MAP_ANONYMOUS) && off / PGSIZE + len / PGSIZE > 0xffffffffUL)
		return -EINVAL;
	if (flags & MAP_ANONYMOUS)
		off = 0;

	uint64 start;
	if (flags & MAP_FIXED) {
		if (!mappable(addr, len))
			return -EINVAL;
		start = addr;
		for (int i = 0; i < mm->nregions; i++) {
			struct region *r = &mm->regions[i];
			if (r->start < start + len && start < r->end && r->kind != REGION_MMAP)
				return -EINVAL;
		}
	} else if (mappable(ROUNDDOWN(addr, PGSIZE), len) &&
		   mm_range_free(mm, ROUNDDOWN(addr, PGSIZE), ROUNDDOWN(addr, PGSIZE) + len, NULL)) {
		start = ROUNDDOWN(addr, PGSIZE);
	} else if (!(start = find_space(mm, len))) {
		return -ENOMEM;
	}
	if (mm->nregions + 2 > MM_MAX_REGIONS)  /* room for the new one after a split */
		return -ENOMEM;

	struct region r = { start, start + len, (uint8)prot,
			    (flags & MAP_SHARED) ? REGION_SHARED : 0, REGION_MMAP, NULL, off / PGSIZE };
	bool writer = false;
	if (!(flags & MAP_ANONYMOUS))
		r.obj = pager_map_file(f, prot, flags, &writer);  /* NULL also if f cannot back it */
	else if (flags & MAP_SHARED)
		r.obj = vmobj_anon();
	if (writer)
		r.flags |= REGION_WRITER;
	if (!(flags & MAP_ANONYMOUS) || (flags & MAP_SHARED)) {
		if (!r.obj)
			return (flags & MAP_ANONYMOUS) ? -ENOMEM : -EACCES;
	}
	if (flags & MAP_FIXED) {
		mm_sync(mm, start, start + len, false);
		struct tlb_batch b;
		tlb_batch_begin(&b, mm->pagetable);
		int gone = mm_unmap(mm, start, start + len, &b);
		tlb_batch_end(&b);
		if (gone < 0)
			goto fail;
	}
	if (mm_add(mm, &r) < 0)
		goto fail;
	if (r.obj)
		vmobj_put(r.obj);       /* mm_add took the region's own */
	return (long)start;

fail:
	if (r.obj)
		vmobj_put(r.obj);
	return -ENOMEM;
}

/* mmap(addr, len, prot, flags, fd, off): vm_mmap's address, or -1. */
long
sys_mmap(void)
{
	struct file *f = NULL;
	int flags = (int)arg_int(3);

	if (!(flags & MAP_ANONYMOUS) && arg_fd(4, NULL, &f) < 0)
		return -1;
	long r = vm_mmap(arg_addr(0), arg_addr(1), (int)arg_int(2), flags, f, arg_addr(5));
	return r < 0 ? -1 : r;
}

/*
 * Unmap [addr, addr+len): 0, or -EINVAL for an unaligned addr, len 0, or a
 * range over a region mmap did not make, -ENOMEM if a split finds no room.
 */
long
vm_munmap(uint64 addr, uint64 len)
{
	struct mm *mm = myproc()->mm;

	if (len == 0 || addr % PGSIZE || !user_range_ok(addr, len))
		return -EINVAL;
	len = ROUNDUP(len, PGSIZE);
	for (int i = 0; i < mm->nregions; i++) {
		struct region *r = &mm->regions[i];
		if (r->start < addr + len && addr < r->end && r->kind != REGION_MMAP)
			return -EINVAL;
	}
	mm_sync(mm, addr, addr + len, false);
	struct tlb_batch b;
	tlb_batch_begin(&b, mm->pagetable);
	int r = mm_unmap(mm, addr, addr + len, &b);
	tlb_batch_end(&b);
	return r < 0 ? -ENOMEM : 0;
}

/* munmap(addr, len): 0 or -1 (vm_munmap). */
long
sys_munmap(void)
{
	return vm_munmap(arg_addr(0), arg_addr(1)) < 0 ? -1 : 0;
}

/*
 * msync(addr, len, flags): write what shared file mappings in the range
 * changed to their files.  -1 for an unaligned addr, unknown flags, or a
 * range with a page in no region.
 */
long
sys_msync(void)
{
	struct mm *mm = myproc()->mm;
	uint64 addr = arg_addr(0), len = arg_addr(1);
	int flags = (int)arg_int(2);

	if (addr % PGSIZE || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    !user_range_ok(addr, len))
		return -1;
	len = ROUNDUP(len, PGSIZE);
	for (uint64 va = addr; va < addr + len; va += PGSIZE)
		if (!mm_find(mm, va))
			return -1;
	return mm_sync(mm, addr, addr + len, true) < 0 ? -1 : 0;
}

/*
 * Write the dirty pages of region r within [start, end) back to its file;
 * with clear, mark them clean (flushing as the TLB rule says first, so a
 * later write sets D again).  -1 if a write failed.
 */
static int
sync_region(struct mm *mm, struct region *r, uint64 start, uint64 end, bool clear)
{
	void *page[PAGES_PER_OP];
	uint64 index[PAGES_PER_OP];
	int n = 0, result = 0;
	struct tlb_batch b;

	tlb_batch_begin(&b, mm->pagetable);
	for (uint64 va = start; va < end; va += PGSIZE) {
		pte_t *pte = pt_walk(mm->pagetable, va, 0, false);
		if (!pte) {
			va = ROUNDDOWN(va, LEVEL_SIZE(1)) + LEVEL_SIZE(1) - PGSIZE;
			continue;
		}
		if (!(*pte & PTE_V) || !(*pte & PTE_D))
			continue;
		if (clear) {
			pt_check_live(pte);
			__atomic_fetch_and(pte, ~PTE_D, __ATOMIC_RELAXED);
			tlb_batch_taken(&b, va);
		}
		page[n] = pa2kva(pte_pa(*pte));
		index[n++] = r->pgoff + (va - r->start) / PGSIZE;
		if (n == PAGES_PER_OP) {
			tlb_batch_end(&b);
			if (vmobj_write_back(r->obj, page, index, n) < 0)
				result = -1;
			n = 0;
			tlb_batch_begin(&b, mm->pagetable);
		}
	}
	tlb_batch_end(&b);
	if (n > 0 && vmobj_write_back(r->obj, page, index, n) < 0)
		result = -1;
	return result;
}

/*
 * Write back what the shared file mappings of mm within [start, end)
 * changed (all of it for exit and exec: pass 0, USER_TOP).  May sleep.
 */
int
mm_sync(struct mm *mm, uint64 start, uint64 end, bool clear)
{
	might_sleep();
	int result = 0;

	for (int i = 0; i < mm->nregions; i++) {
		struct region *r = &mm->regions[i];
		if (!(r->flags & REGION_SHARED) || !r->obj || r->obj->kind != VMOBJ_FILE ||
		    r->end <= start || r->start >= end)
			continue;
		uint64 s = r->start > start ? r->start : start, e = r->end < end ? r->end : end;
		if (sync_region(mm, r, s, e, clear) < 0)
			result = -1;
	}
	return result;
}

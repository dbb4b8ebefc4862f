/*
 * Linux memory calls, on Canopy's address space (vm/): the heap is the
 * brk area, mmap regions are Canopy's, mprotect is vm/mprotect.c.
 * Differences from Linux: no page is both writable and executable
 * (-EACCES); munmap and MAP_FIXED touch only what mmap made (-EINVAL
 * over the program, heap or stack); mremap cannot move or grow (-ENOMEM).
 */
#include "linux/syscall.h"
#include "linux/uapi.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/procfs.h"
#include <canopy/stat.h>
#include "sched/proc.h"
#include "sched/syscall.h"
#include "vm/heap.h"
#include "vm/mm.h"
#include "vm/mmap.h"
#include "vm/mprotect.h"
#include "vm/uaccess.h"

/* brk(addr): move the break to addr if it can; the break, new or unchanged. */
long
lx_brk(void)
{
	struct proc *p = myproc();
	uint64 want = arg_addr(0), cur = p->mm->brk;

	if (want >= p->mm->heap_start && want != cur)
		heap_sbrk(p, (long)(want - cur), SBRK_DEFAULT);
	return (long)p->mm->brk;
}

/* Flags mmap accepts and has nothing to do for (hints, or what it does anyway) */
#define IGNORED_MAP_FLAGS (MAP_NORESERVE | MAP_STACK | MAP_GROWSDOWN | MAP_POPULATE | \
			   MAP_DENYWRITE | MAP_EXECUTABLE | MAP_LOCKED)

long
lx_mmap(void)
{
	uint64 addr = arg_addr(0), len = arg_addr(1), off = arg_addr(5);
	int prot = (int)arg_int(2), flags = (int)arg_int(3), fd = (int)arg_int(4);
	struct file *f = NULL;

	flags &= ~IGNORED_MAP_FLAGS;
	if (flags & MAP_FIXED_NOREPLACE) {
		if (!mm_range_free(myproc()->mm, addr, addr + ROUNDUP(len, PGSIZE), NULL))
			return -EEXIST;
		flags = (flags & ~MAP_FIXED_NOREPLACE) | MAP_FIXED;
	}
	if ((flags & MAP_SHARED_VALIDATE) == MAP_SHARED_VALIDATE)
		flags &= ~MAP_PRIVATE;  /* MAP_SHARED, with the flags checked (as they are anyway) */
	if (!(flags & MAP_ANONYMOUS)) {
		int r = lx_fd(fd, &f);
		if (r < 0)
			return r;
		if (f->type != FD_INODE || f->ip->type != T_FILE || procfs_inode(f->ip))
			return -ENODEV;
	}
	return vm_mmap(addr, len, prot, flags, f, off);
}

long
lx_msync(void)
{
	uint64 addr = arg_addr(0), len = arg_addr(1);
	int flags = (int)arg_int(2);

	if (addr % PGSIZE || (flags & ~(MS_ASYNC | MS_SYNC | MS_INVALIDATE)) ||
	    ((flags & MS_ASYNC) && (flags & MS_SYNC)) || !user_range_ok(addr, len))
		return -EINVAL;
	len = ROUNDUP(len, PGSIZE);
	for (uint64 va = addr; va < addr + len; va += PGSIZE)
		if (!mm_find(myproc()->mm, va))
			return -ENOMEM;
	return mm_sync(myproc()->mm, addr, addr + len, true) < 0 ? -EIO : 0;
}

long
lx_munmap(void)
{
	return vm_munmap(arg_addr(0), arg_addr(1));
}

long
lx_mprotect(void)
{
	uint64 addr = arg_addr(0), len = arg_addr(1);

	if (addr % PGSIZE || !user_range_ok(addr, len))
		return -EINVAL;
	if (len == 0)
		return 0;
	return mm_protect(myproc()->mm, addr, addr + ROUNDUP(len, PGSIZE), (unsigned)arg_int(2));
}

/* madvise: advice only; the range must be page-aligned and mapped. */
long
lx_madvise(void)
{
	uint64 addr = arg_addr(0), len = arg_addr(1);

	if (addr % PGSIZE || !user_range_ok(addr, len))
		return -EINVAL;
	for (uint64 va = addr; va < addr + len; va = ROUNDDOWN(va, PGSIZE) + PGSIZE)
		if (!mm_find(myproc()->mm, va))
			return -ENOMEM;
	return 0;
}

/* mremap: shrinking and same-size only, in place. */
long
lx_mremap(void)
{
	uint64 addr = arg_addr(0), old = ROUNDUP(arg_addr(1), PGSIZE), new = ROUNDUP(arg_addr(2), PGSIZE);

	if (addr % PGSIZE || new == 0)
		return -EINVAL;
	/* Linux's answer for an old range that is not all mapped (the kernel's half included) */
	if (!user_range_ok(addr, old))
		return -EFAULT;
	for (uint64 va = addr; va < addr + old; va += PGSIZE)
		if (!mm_find(myproc()->mm, va))
			return -EFAULT;
	if (new > old)
		return -ENOMEM;
	if (new < old) {
		long r = vm_munmap(addr + new, old - new);
		if (r < 0)
			return r;
	}
	return (long)addr;
}

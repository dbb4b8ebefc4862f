/*
 * xv6 compatibility: the syscall lab's sysinfo(), from Canopy's sysinfo
 * call.  Canopy's struct sysinfo reports more (canopy/sysinfo.h); it is
 * renamed here while its header is read, so that xv6's struct of the
 * same name can be used beside it.
 */
#define sysinfo canopy_sysinfo
#include <canopy/sysinfo.h>
#undef sysinfo
#include <canopy/layout.h>
#include "kernel/types.h"
#include "kernel/riscv.h"
#include "kernel/sysinfo.h"
#include "user/user.h"

long __sys_sysinfo(struct canopy_sysinfo *);

/*
 * Can the kernel write the n bytes at a (n <= 8, within one page)?  pipe()
 * writes its two descriptors, 8 bytes, through the kernel's checked copy,
 * so it fails for exactly the addresses a system call's copyout refuses
 * (unmapped, read-only, kernel) and lets the fault path provide lazy and
 * copy-on-write pages.  If no descriptor is free, pipe fails whatever the
 * address: then only the range is checked.
 */
static int
writable(uint64 a)
{
	int fds[2];

	if (pipe((int *)a) == 0) {
		int *f = (int *)a;
		close(f[0]);
		close(f[1]);
		return 1;
	}
	if (pipe(fds) < 0)
		return 1;       /* no descriptors left to probe with: trust the range */
	close(fds[0]);
	close(fds[1]);
	return 0;
}

/*
 * Fill *info: free memory in bytes and processes in use.  -1, as on xv6,
 * for a pointer the kernel would refuse: outside the user range (the
 * lab's test passes a kernel address), or to memory the program may not
 * write.
 */
int
sysinfo(struct sysinfo *info)
{
	struct canopy_sysinfo si;
	uint64 a = (uint64)info, last = a + sizeof(*info) - 1;

	if (a >= USER_TOP || USER_TOP - a < sizeof(*info))
		return -1;
	if (!writable(a) || (PGROUNDDOWN(last) != PGROUNDDOWN(a) && !writable(last - 7)))
		return -1;
	if (__sys_sysinfo(&si) < 0)
		return -1;
	info->freemem = si.free_pages * PGSIZE;
	info->nproc = si.nproc;
	return 0;
}

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

long __sys_sysinfo(void *, int);

/*
 * Fill *info: free memory in bytes (cached file pages nothing maps count
 * as free: an allocation gets them back) and processes in use.  The
 * kernel writes xv6's struct itself (SYSINFO_XV6), so a pointer it
 * refuses gives -1, as on xv6.
 */
int
sysinfo(struct sysinfo *info)
{
	return (int)__sys_sysinfo(info, SYSINFO_XV6);
}

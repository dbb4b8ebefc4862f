/*
 * xv6 compatibility: the syscall lab's struct sysinfo.  sysinfo() fills
 * it from Canopy's own sysinfo call (canopy/sysinfo.h, which reports
 * more): true figures, not estimates.
 */
#ifndef XV6_SYSINFO_H
#define XV6_SYSINFO_H

#include "kernel/types.h"

struct sysinfo {
	uint64 freemem;         /* bytes of free memory: the allocator's free pages * PGSIZE */
	uint64 nproc;           /* processes whose slot is in use (zombies included) */
};

#endif

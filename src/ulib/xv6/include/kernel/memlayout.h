/*
 * xv6 compatibility: the memory-layout names user programs use.
 *
 * Canopy differs here: the kernel is not at KERNBASE in a process's view
 * (it is in the upper half, out of user reach), there is no trampoline
 * or trapframe page in user space, and USYSCALL is Canopy's per-process
 * vDSO page (VDSO_PROC), whose first field is the pid as in xv6's
 * struct usyscall.
 */
#ifndef XV6_MEMLAYOUT_H
#define XV6_MEMLAYOUT_H

#include <canopy/layout.h>

#define KERNBASE 0x80000000L
#define PHYSTOP (KERNBASE + 128 * 1024 * 1024)
#define TRAMPOLINE (MAXVA - PGSIZE)
#define TRAPFRAME (TRAMPOLINE - PGSIZE)
#define USYSCALL VDSO_PROC

struct usyscall {
	int pid;
};

#endif

/*
 * xv6 compatibility: the memory-layout names user programs use.
 *
 * The values are stock xv6's, but in a Canopy process nothing of the
 * kernel is at them: the kernel lives in the upper half, out of user
 * reach, and there is no trampoline or trapframe page.  What a program
 * can rely on holds: the four pages below MAXVA (0x3fffffc000 up, where
 * xv6 keeps its trampoline, trapframe and USYSCALL) and KERNBASE fault
 * when touched and make system calls fail (Canopy's USER_TOP lies below
 * them).
 * USYSCALL is Canopy's per-process vDSO page (VDSO_PROC, below those top
 * pages), whose first field is the pid, as in xv6's struct usyscall.
 * PHYSTOP assumes xv6's 128 MiB of RAM; Canopy's free memory is sysinfo's.
 */
#ifndef XV6_MEMLAYOUT_H
#define XV6_MEMLAYOUT_H

#include "kernel/riscv.h"
#include <canopy/layout.h>

/* QEMU virt's devices, as on xv6: only the kernel can reach them */
#define UART0 0x10000000L
#define UART0_IRQ 10
#define VIRTIO0 0x10001000
#define VIRTIO0_IRQ 1
#define PLIC 0x0c000000L

#define KERNBASE 0x80000000L
#define PHYSTOP (KERNBASE + 128 * 1024 * 1024)
#define TRAMPOLINE (MAXVA - PGSIZE)
#define KSTACK(p) (TRAMPOLINE - ((p) + 1) * 2 * PGSIZE)
#define TRAPFRAME (TRAMPOLINE - PGSIZE)
#define USYSCALL VDSO_PROC

struct usyscall {
	int pid;
};

#endif

/*
 * The kernel half of every address space (Sv39 upper half), fixed at boot:
 *
 *   0xffffffff80000000 +  kernel image: kva = pa + KIMAGE_OFFSET
 *                         (text R-X, rodata R--, data/bss RW-)
 *   0xffffffd000000000 +  kernel stacks: one KSTACK_SLOT per process and per
 *                         hart, the slot's lowest page left unmapped as a guard
 *   0xffffffc000000000 +  direct map of RAM and device registers: kva = pa +
 *                         PAGE_OFFSET, RW-, mapped with the largest pages that fit
 *
 * With KPTI (CONFIG_KPTI=1) the top two pages hold the trap entry area:
 *
 *   0xfffffffffffff000    TRAMPOLINE: the page of sched/trampoline.S, R-X,
 *                         at this address in the kernel's table and in
 *                         every user table, so it runs across satp writes
 *   0xffffffffffffe000    TRAPFRAME: the running process's trapframe,
 *                         mapped in user tables only (the kernel uses the
 *                         direct map)
 *
 * Every kernel PTE is global and never user-accessible.  These root-table
 * entries are complete when kvm_init() returns and never change afterwards,
 * which is what lets every process share them.
 */
#ifndef VM_KERNEL_LAYOUT_H
#define VM_KERNEL_LAYOUT_H

#include <canopy/layout.h>

#define PAGE_OFFSET     _UL(0xffffffc000000000)
#define KSTACK_BASE     _UL(0xffffffd000000000)
#define DIRECT_MAP_SIZE (KSTACK_BASE - PAGE_OFFSET)     /* 64 GiB: RAM above is not used */
#define KSTACK_PAGES    4                       /* per slot, the first is the guard */
#define KSTACK_SLOT     (KSTACK_PAGES * PGSIZE)
#define KIMAGE_OFFSET   _UL(0xffffffff00000000)
#define KIMAGE_LOAD_PA  _UL(0x80200000)            /* where QEMU puts the image */
#define TRAMPOLINE      _UL(0xfffffffffffff000)     /* KPTI: trap entry code */
#define TRAPFRAME       (TRAMPOLINE - PGSIZE)       /* KPTI: the user's trapframe */

#ifndef __ASSEMBLER__
#include "lib/types.h"

static inline void *
pa2kva(uint64 pa)
{
	return (void *)(pa + PAGE_OFFSET);
}

/* Physical address of a direct-map or kernel-image address. */
static inline uint64
kva2pa(const void *kva)
{
	uint64 va = (uint64)kva;
	return va >= KIMAGE_OFFSET + _UL(0x80000000) ? va - KIMAGE_OFFSET : va - PAGE_OFFSET;
}

/* Top of the kernel stack in slot i (processes first, then harts). */
static inline uint64
kstack_top(int slot)
{
	return KSTACK_BASE + (uint64)(slot + 1) * KSTACK_SLOT;
}
#endif

#endif

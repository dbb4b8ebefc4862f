/*
 * Canopy's address-space layout, shared by the kernel and user programs.
 *
 * Sv39 gives 39-bit virtual addresses.  The lower half (0 .. 2^38) belongs
 * to the running process; the upper half (0xffffffc000000000 ..) is the
 * kernel's, identical in every address space and never user-accessible.
 *
 *   (not user memory)     0x3fffffc000 .. 0x4000000000: the four pages xv6 keeps
 *                         for its trampoline and trapframe stay out of reach
 *   USER_TOP ------------ 0x3fffffc000  first address a user pointer may not reach
 *   VDSO_DATA             shared page (ticks, clock), read-only, one for all
 *   VDSO_PROC             per-process page (pid, ppid), read-only
 *   (unmapped)
 *   LINUX_VDSO            Linux programs only: the vDSO image (src/vdso), read+exec
 *   USER_STACK_TOP        initial sp; the stack grows down
 *   ... USER_STACK_PAGES pages of stack (lazy design: exec maps the pages
 *       its arguments take, the rest come at first touch); a Linux
 *       program's stack reaches down to LINUX_STACK_BOTTOM instead ...
 *   USER_STACK_GUARD      one unmapped page: a stack overflow faults here
 *   (free)                the heap may grow up to USER_HEAP_LIMIT
 *   heap start            page-aligned end of the program's data
 *   program               text at USER_TEXT_BASE, then rodata, data, bss
 *   0                     unmapped: a null dereference faults
 */
#ifndef CANOPY_LAYOUT_H
#define CANOPY_LAYOUT_H

/* A constant usable from both C and assembly. */
#ifdef __ASSEMBLER__
#define _UL(x) x
#else
#define _UL(x) x##UL
#endif

#define PGSIZE          4096
#define PGSHIFT         12

#define USER_TOP        _UL(0x3fffffc000)
#define VDSO_DATA       (USER_TOP - 1 * PGSIZE)
#define VDSO_PROC       (USER_TOP - 2 * PGSIZE)
#define USER_STACK_TOP  (USER_TOP - 3 * PGSIZE)
#define USER_STACK_PAGES 8
#define USER_STACK_BOTTOM (USER_STACK_TOP - USER_STACK_PAGES * PGSIZE)
#define USER_STACK_GUARD (USER_STACK_BOTTOM - PGSIZE)
#define USER_HEAP_LIMIT USER_STACK_GUARD
#define USER_TEXT_BASE  _UL(0x10000)

/* Linux programs (src/linux): a stack of 8 MiB (Linux's default limit), pages at first touch */
#define LINUX_STACK_BOTTOM (USER_STACK_TOP - _UL(0x800000))
#define LINUX_PIE_BASE  _UL(0x2aaaaaa000)   /* where a static-PIE image goes: 2/3 up, as Linux */
#define LINUX_VDSO      USER_STACK_TOP      /* the vDSO, one page: AT_SYSINFO_EHDR */

/* Build-time design switches, published in the shared vDSO page. */
#define DESIGN_KPTI     0x1     /* separate kernel page table, walking copyin */
#define DESIGN_LAZY     0x2     /* sbrk maps pages on first touch */
#define DESIGN_COW      0x4     /* fork shares pages copy-on-write */

/* A software bit of a page-table entry (pgpte()): the page is shared copy-on-write, W withheld */
#define CANOPY_PTE_COW  _UL(0x100)

/* sbrk(n, mode): how growing the heap provides its pages (xv6 2025's values) */
#define SBRK_DEFAULT    0       /* the design's way: lazy with DESIGN_LAZY, else eager */
#define SBRK_EAGER      1       /* allocate now; -1 if the memory is not there */
#define SBRK_LAZY       2       /* only move the break: pages come at first touch */

#ifndef __ASSEMBLER__
#include <stdint.h>

/* The page at VDSO_DATA: written only by the kernel, shared by all. */
struct vdso_data {
	volatile uint64_t ticks;        /* timer ticks since boot */
	uint64_t tick_hz;               /* ticks per second */
	uint64_t timebase_hz;           /* frequency of the `time` CSR */
	uint64_t time_at_boot;          /* `time` CSR value when ticks was 0 */
	uint64_t design;                /* DESIGN_* bits of this kernel */
};

/* The page at VDSO_PROC: one per process.  pid first, as xv6's usyscall. */
struct vdso_proc {
	int pid;
	int ppid;
};
#endif

#endif

/*
 * xv6 compatibility: kernel/riscv.h, what user programs take from it: the
 * Sv39 page-table constants and macros, 2 MiB superpages, and the inline
 * helpers that work in user mode (r_sp, r_tp, r_ra, r_time; the time CSR
 * is readable from U-mode on Canopy, at the timebase's rate).
 *
 * The supervisor and machine CSR accessors of stock riscv.h are left out:
 * in a user program they can only raise an illegal-instruction fault.
 */
#ifndef XV6_RISCV_H
#define XV6_RISCV_H

#include "kernel/types.h"

#ifndef __ASSEMBLER__

static inline uint64
r_sp(void)
{
	uint64 x;
	asm volatile("mv %0, sp" : "=r" (x));
	return x;
}

static inline uint64
r_tp(void)
{
	uint64 x;
	asm volatile("mv %0, tp" : "=r" (x));
	return x;
}

static inline uint64
r_ra(void)
{
	uint64 x;
	asm volatile("mv %0, ra" : "=r" (x));
	return x;
}

static inline uint64
r_time(void)
{
	uint64 x;
	asm volatile("rdtime %0" : "=r" (x));
	return x;
}

typedef uint64 pte_t;
typedef uint64 *pagetable_t;    /* 512 PTEs */

#endif

#define PGSIZE 4096             /* bytes per page */
#define PGSHIFT 12              /* bits of offset within a page */
#define SUPERPGSIZE (2 * (1 << 20))     /* bytes per 2 MiB superpage */

#define PGROUNDUP(sz)  (((sz) + PGSIZE - 1) & ~(PGSIZE - 1))
#define PGROUNDDOWN(a) (((a)) & ~(PGSIZE - 1))
#define SUPERPGROUNDUP(sz)  (((sz) + SUPERPGSIZE - 1) & ~(SUPERPGSIZE - 1))
#define SUPERPGROUNDDOWN(a) (((a)) & ~(SUPERPGSIZE - 1))

#define PTE_V (1L << 0)         /* valid */
#define PTE_R (1L << 1)
#define PTE_W (1L << 2)
#define PTE_X (1L << 3)
#define PTE_U (1L << 4)         /* user can access */
#define PTE_G (1L << 5)         /* global (Canopy's kernel half) */
#define PTE_A (1L << 6)         /* accessed */
#define PTE_D (1L << 7)         /* dirty */

/* shift a physical address to the right place for a PTE, and back */
#define PA2PTE(pa) ((((uint64)pa) >> 12) << 10)
#define PTE2PA(pte) (((pte) >> 10) << 12)
#define PTE_FLAGS(pte) ((pte) & 0x3FF)

/* extract the three 9-bit page-table indices from a virtual address */
#define PXMASK 0x1FF
#define PXSHIFT(level) (PGSHIFT + (9 * (level)))
#define PX(level, va) ((((uint64)(va)) >> PXSHIFT(level)) & PXMASK)

/*
 * One beyond the highest possible virtual address: Sv39's lower half.
 * On stock xv6 the top of the user address space; on Canopy user memory
 * ends four pages lower, at USER_TOP.
 */
#define MAXVA (1L << (9 + 9 + 9 + 12 - 1))

#endif

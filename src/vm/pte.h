/*
 * Sv39 page-table entries.  A table is one page of 512 entries; a virtual
 * address picks entry VPN(va, 2) of the root, VPN(va, 1) of the next level
 * and VPN(va, 0) of the last.  An entry with R, W or X set is a leaf: at
 * level 2 it maps 1 GiB, at level 1 2 MiB, at level 0 one page.
 */
#ifndef VM_PTE_H
#define VM_PTE_H

#include "lib/types.h"
#include <canopy/layout.h>

#define PTE_V   (1UL << 0)
#define PTE_R   (1UL << 1)
#define PTE_W   (1UL << 2)
#define PTE_X   (1UL << 3)
#define PTE_U   (1UL << 4)
#define PTE_G   (1UL << 5)
#define PTE_A   (1UL << 6)
#define PTE_D   (1UL << 7)
#define PTE_COW CANOPY_PTE_COW  /* software (RSW): shared copy-on-write, W withheld */

#define PTE_FLAG_MASK 0x3ffUL
#define PTE_PERM_MASK (PTE_R | PTE_W | PTE_X | PTE_U)

/* Kernel mappings: global, accessed and dirty preset, never U. */
#define KPTE_RW  (PTE_R | PTE_W | PTE_G | PTE_A | PTE_D)
#define KPTE_RX  (PTE_R | PTE_X | PTE_G | PTE_A)
#define KPTE_R   (PTE_R | PTE_G | PTE_A)

#define PT_ENTRIES      512
#define PT_LEVELS       3
#define VPN(va, level)  (((uint64)(va) >> (PGSHIFT + 9 * (level))) & 0x1ff)
#define LEVEL_SIZE(level) (1UL << (PGSHIFT + 9 * (level)))
#define KERNEL_HALF_FIRST 256   /* root entries 256..511 are the kernel's */

static inline pte_t
pte_make(uint64 pa, uint64 flags)
{
	return (pa >> PGSHIFT) << 10 | flags | PTE_V;
}

static inline uint64
pte_pa(pte_t pte)
{
	return (pte >> 10) << PGSHIFT;
}

static inline bool
pte_is_leaf(pte_t pte)
{
	return (pte & (PTE_R | PTE_W | PTE_X)) != 0;
}

#endif

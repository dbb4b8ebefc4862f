/*
 * xv6 compatibility: kernel/vm.h.  On stock xv6 (2025) it holds the
 * kernel's sbrk modes, which user programs see through sbrk() (eager)
 * and sbrklazy() (lazy).  Canopy's sbrk system call takes the same modes
 * (canopy/layout.h); its page-table code is the kernel's own (src/vm)
 * and has no user-visible declarations.
 */
#ifndef XV6_VM_H
#define XV6_VM_H

#include <canopy/layout.h>      /* SBRK_EAGER 1, SBRK_LAZY 2 */

#endif

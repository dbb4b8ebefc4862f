/*
 * Switching address spaces: the one place satp is written.
 *
 * With the shared kernel half, the kernel runs on whatever table is loaded;
 * satp changes only when the scheduler runs a process whose table is not
 * the loaded one (or exec replaces the running process's table).
 */
#ifndef VM_ASPACE_H
#define VM_ASPACE_H

#include "lib/types.h"

extern pagetable_t kernel_root;

void as_activate(pagetable_t root);   /* make root the loaded table (skips if it is) */
void as_activate_kernel(void);        /* load the kernel's own root */
void as_sfence(void);                 /* flush this hart's TLB */

#endif

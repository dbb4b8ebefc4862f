/*
 * Switching address spaces: the one place satp is written.
 *
 * With the shared kernel half (default), the kernel runs on whatever table
 * is loaded; satp changes only when the scheduler runs a process whose
 * table is not the loaded one, or parks (exec keeps the loaded root page:
 * mm_take_root).
 *
 * With KPTI (CONFIG_KPTI=1) the kernel always runs on kernel_root: the
 * trampoline loads the user's table on the way out of every trap and the
 * kernel's on the way in (vm/kpti.c), and as_activate() of a user table
 * does nothing.
 */
#ifndef VM_ASPACE_H
#define VM_ASPACE_H

#include "lib/types.h"

extern pagetable_t kernel_root;

void as_activate(pagetable_t root);   /* make root the loaded table (skips if it is) */
void as_activate_kernel(void);        /* load the kernel's own root */
void as_park(void);                   /* the scheduler's: the kernel's root, flush owed (aspace.c) */
void as_sfence(void);                 /* flush this hart's TLB */

#if CONFIG_KPTI
struct proc;
struct trapframe;

void kpti_init(void);                           /* boot: trampoline and entry areas */
struct trapframe *kpti_trapframe(int slot);     /* a slot's trapframe page */
uint64 kpti_prepare_return(struct proc *p);     /* the user satp for the trampoline */
void kpti_count_entry(void);                    /* the trampoline switched to the kernel */
#endif

#endif

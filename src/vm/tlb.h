/*
 * Keeping TLBs honest when a process changes its own page table in place
 * (permissions taken away, pages unmapped, accessed bits cleared).
 */
#ifndef VM_TLB_H
#define VM_TLB_H

#include "lib/types.h"

void tlb_user_changed(pagetable_t root);
void tlb_sync_hart(void);

#endif

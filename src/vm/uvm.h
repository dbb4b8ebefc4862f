/* User address spaces: the lower half of a page table, owned by one process. */
#ifndef VM_UVM_H
#define VM_UVM_H

#include "lib/types.h"
#include <canopy/layout.h>
#include <canopy/mman.h>

/* Permissions are PROT_* (canopy/mman.h) everywhere, as in struct region. */

pagetable_t uvm_create(struct vdso_proc *proc_page, bool loadable);
void uvm_destroy(pagetable_t root);
struct mm;
int uvm_alloc(struct mm *mm, uint64 start, uint64 end, unsigned prot);
struct tlb_batch;
uint64 uvm_dealloc(pagetable_t root, uint64 start, uint64 end, struct tlb_batch *b);
struct mm;
int uvm_fork(struct mm *parent, struct mm *child);
void *uvm_page(pagetable_t root, uint64 va);
pte_t uvm_leaf_pte(pagetable_t root, uint64 va);
uint64 uvm_pte_flags(unsigned prot);     /* PTE_* of a user leaf */

#endif

/* The kernel's page table: built once at boot, shared by every process. */
#ifndef VM_KVM_H
#define VM_KVM_H

#include "lib/types.h"

void kvm_init(void);
void kvm_share(pagetable_t root);
uint64 kvm_kstack(int slot);

#endif

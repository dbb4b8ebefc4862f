/* The page-fault policy: one function for user faults and faults in kernel copies. */
#ifndef VM_FAULT_H
#define VM_FAULT_H

#include "lib/types.h"

struct proc;

/* Resolve a page fault of p at va; 0 if the access may be retried, -1 if not. */
int vm_fault(struct proc *p, uint64 va, uint64 scause);

#endif

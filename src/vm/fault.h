/* The page-fault policy: one function for user faults and faults in kernel copies. */
#ifndef VM_FAULT_H
#define VM_FAULT_H

#include "lib/types.h"

struct proc;

#define VM_FAULT_OK      0      /* resolved: retry the access */
#define VM_FAULT_BAD    -1      /* no access allowed there: kill, or fail the copy */
#define VM_FAULT_NOMEM  -2      /* allowed, but no free page: the caller kills the
				   process with a message (and fails the copy) */

/* Resolve a page fault of p (the running process) at va: one of VM_FAULT_*. */
int vm_fault(struct proc *p, uint64 va, uint64 scause, bool may_sleep);

/* A fault of p's user instruction: resolved, waited out, or p killed. */
void vm_fault_user(struct proc *p, uint64 va, uint64 scause, uint64 pc);

struct mm;
struct region;
int vm_populate(struct mm *mm, struct region *r);

/* The same, inside a kernel copy: true if the copy may retry. */
bool vm_fault_copy(struct proc *p, uint64 va, uint64 scause, bool may_sleep);

#endif

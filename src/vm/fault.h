/*
 * The page-fault policy: one function (vm_fault, in fault.c) for user
 * faults and faults in kernel copies, entered through these.
 */
#ifndef VM_FAULT_H
#define VM_FAULT_H

#include "lib/types.h"

struct proc;

/* A fault of p's user instruction: resolved, waited out, or p killed. */
void vm_fault_user(struct proc *p, uint64 va, uint64 scause, uint64 pc);

struct mm;
struct region;
int vm_populate(struct mm *mm, struct region *r);

/* The same, inside a kernel copy: true if the copy may retry. */
bool vm_fault_copy(struct proc *p, uint64 va, uint64 scause, bool may_sleep);

#endif

/* The program break (sbrk). */
#ifndef VM_HEAP_H
#define VM_HEAP_H

#include "lib/types.h"

struct proc;
long heap_sbrk(struct proc *p, long n);

#endif

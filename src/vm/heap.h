/* The program break (sbrk). */
#ifndef VM_HEAP_H
#define VM_HEAP_H

#include "lib/types.h"
#include <canopy/layout.h>

struct proc;
long heap_sbrk(struct proc *p, long n, int mode);

#endif

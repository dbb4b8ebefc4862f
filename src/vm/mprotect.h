/* mprotect (vm/mprotect.c). */
#ifndef VM_MPROTECT_H
#define VM_MPROTECT_H

#include "lib/types.h"

struct mm;

int mm_protect(struct mm *mm, uint64 start, uint64 end, unsigned prot);

#endif

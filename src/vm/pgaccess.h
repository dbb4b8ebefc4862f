/* pgaccess: which pages were accessed since the last look (the PTE A bit). */
#ifndef VM_PGACCESS_H
#define VM_PGACCESS_H

#include "lib/types.h"

#define PGACCESS_MAX 64

struct proc;
long pgaccess(struct proc *p, uint64 va, long npages, uint64 mask_addr);

#endif

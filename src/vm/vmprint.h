/* Printing a process's page table for people (the vmprint app). */
#ifndef VM_VMPRINT_H
#define VM_VMPRINT_H

#include "lib/types.h"

void kpgtbl_print(void);
long vmprint(int pid, uint64 user_buf, uint64 size);

#endif

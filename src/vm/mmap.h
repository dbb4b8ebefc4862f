/* mmap, munmap, msync (vm/mmap.c). */
#ifndef VM_MMAP_H
#define VM_MMAP_H

#include "lib/types.h"

struct mm;

struct file;
long vm_mmap(uint64 addr, uint64 len, int prot, int flags, struct file *f, uint64 off);
long vm_munmap(uint64 addr, uint64 len);
long sys_mmap(void);
long sys_munmap(void);
long sys_msync(void);
int mm_sync(struct mm *mm, uint64 start, uint64 end, bool clear);

#endif

/* The vDSO pages: read-only data the kernel shares with user space. */
#ifndef VM_VDSO_H
#define VM_VDSO_H

#include "lib/types.h"
#include <canopy/layout.h>

extern struct vdso_data *vdso_data;

void vdso_init(uint64 timebase_hz, uint64 tick_hz, uint64 design);
int vdso_map(pagetable_t root, struct vdso_proc *proc_page);
struct mm;
int vdso_map_linux(struct mm *mm);

#endif

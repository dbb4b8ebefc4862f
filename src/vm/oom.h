/* Out of memory: who dies when a page fault finds no free page (vm/oom.c). */
#ifndef VM_OOM_H
#define VM_OOM_H

#include "lib/types.h"

struct proc;

enum oom_verdict {
	OOM_DIE,        /* the faulter is the victim */
	OOM_WAIT,       /* memory is on its way back: wait, then retry */
};

enum oom_verdict oom_choose(struct proc *faulter);
bool oom_wait(void);

#endif

/*
 * What procinfo() reports: one entry per process slot in use, in slot
 * order.  Shared with user space (ps).
 */
#ifndef CANOPY_PROCINFO_H
#define CANOPY_PROCINFO_H

#include <stdint.h>
#include <canopy/param.h>

/* procinfo.state: the kernel's states, numbered for user space. */
#define PROC_STATE_USED      1   /* being created */
#define PROC_STATE_SLEEPING  2
#define PROC_STATE_RUNNABLE  3
#define PROC_STATE_RUNNING   4
#define PROC_STATE_ZOMBIE    5   /* exited, not yet waited for */

struct procinfo {
	int pid, ppid;                  /* ppid 0: no parent (init) */
	int state;                      /* PROC_STATE_* */
	char name[PROC_NAME_LEN];       /* NUL-terminated */
	uint64_t pages;                 /* user pages mapped (resident set), vDSO aside */
};

#endif

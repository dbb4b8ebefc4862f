/* sigalarm: a periodic user-mode alarm on the CPU time a process uses (sched/alarm.c). */
#ifndef SCHED_ALARM_H
#define SCHED_ALARM_H

#include "lib/types.h"
#include "sched/trapframe.h"

struct proc;

struct alarm {
	uint64 interval;        /* ticks of CPU time between calls; 0: off */
	uint64 handler;         /* user address of the handler */
	uint64 elapsed;         /* ticks used since the last call */
	bool running;           /* in the handler: not started again until sigreturn */
	/* the interrupted registers, for sigreturn: at the top of the kernel
	 * stack slot (proc_init), out of struct proc */
	struct trapframe *saved;
};

void alarm_tick(struct proc *p);
void alarm_enter(struct alarm *a, struct trapframe *tf);

/* On the way back to user mode: enter the handler if it is due. */
static inline void
alarm_deliver(struct alarm *a, struct trapframe *tf)
{
	if (a->interval && !a->running && a->elapsed >= a->interval)
		alarm_enter(a, tf);
}

void alarm_clear(struct proc *p);
long sys_sigalarm(void);
long sys_sigreturn(void);

#endif

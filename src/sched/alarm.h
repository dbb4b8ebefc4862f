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
	struct trapframe saved; /* the interrupted registers, for sigreturn */
};

void alarm_tick(struct proc *p);
void alarm_deliver(struct proc *p);
void alarm_clear(struct proc *p);
long sys_sigalarm(void);
long sys_sigreturn(void);

#endif

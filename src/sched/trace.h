/* System-call tracing (sched/trace.c). */
#ifndef SCHED_TRACE_H
#define SCHED_TRACE_H

#include "lib/types.h"
#include "sched/trapframe.h"

struct proc;

void trace_call(struct proc *p, struct trapframe *tf, uint64 num, long (*handler)(void));
void trace_linux_call(struct proc *p, struct trapframe *tf, uint64 num, long (*handler)(void));
long sys_trace(void);

#endif

/*
 * xv6 compatibility: kernel/proc.h.  Canopy's process structures are the
 * kernel's own (src/sched/proc.h) and not visible to user programs; what
 * a program may learn of processes comes through system calls (getpid,
 * ugetpid, sysinfo's nproc).  The names only.
 */
#ifndef XV6_PROC_H
#define XV6_PROC_H

struct proc;
struct cpu;
struct context;
struct trapframe;

#endif

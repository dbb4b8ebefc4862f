/* System-call dispatch and argument fetching. */
#ifndef SCHED_SYSCALL_H
#define SCHED_SYSCALL_H

#include "lib/types.h"
#include "sched/trapframe.h"

struct file;

void syscall_dispatch(struct trapframe *tf);

/* Arguments of the current system call, by position (a0..a5). */
long arg_int(int n);
uint64 arg_addr(int n);
int arg_str(int n, char *buf, size_t max);   /* length, or -1 */
int arg_fd(int n, int *fd, struct file **f);

#endif

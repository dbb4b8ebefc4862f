/*
 * System-call dispatch: a7 selects the call, a0..a5 carry its arguments,
 * its result goes back in a0.  Handlers take no parameters and fetch what
 * they need with arg_*(), which validate what the user passed.
 */
#include "sched/syscall.h"
#include "sched/proc.h"
#include "sched/sysproc.h"
#include "fs/file.h"
#include "fs/sysfile.h"
#include "fs/syspath.h"
#include "sched/exec.h"
#include "sched/alarm.h"
#include "sched/trace.h"
#include "linux/linux.h"
#include "vm/mmap.h"
#include "vm/uaccess.h"
#include "debug/kprintf.h"
#include "lib/riscv.h"
#include <canopy/syscall.h>

static long (*const handlers[NSYSCALL])(void) = {
	[SYS_fork] = sys_fork,
	[SYS_exit] = sys_exit,
	[SYS_wait] = sys_wait,
	[SYS_pipe] = sys_pipe,
	[SYS_read] = sys_read,
	[SYS_kill] = sys_kill,
	[SYS_exec] = sys_exec,
	[SYS_fstat] = sys_fstat,
	[SYS_dup] = sys_dup,
	[SYS_getpid] = sys_getpid,
	[SYS_sbrk] = sys_sbrk,
	[SYS_sleep] = sys_sleep,
	[SYS_uptime] = sys_uptime,
	[SYS_write] = sys_write,
	[SYS_close] = sys_close,
	[SYS_pgaccess] = sys_pgaccess,
	[SYS_vmprint] = sys_vmprint,
	[SYS_sysinfo] = sys_sysinfo,
	[SYS_poweroff] = sys_poweroff,
	[SYS_bootargs] = sys_bootargs,
	[SYS_selftest] = sys_selftest,
	[SYS_open] = sys_open,
	[SYS_mknod] = sys_mknod,
	[SYS_unlink] = sys_unlink,
	[SYS_link] = sys_link,
	[SYS_mkdir] = sys_mkdir,
	[SYS_chdir] = sys_chdir,
	[SYS_symlink] = sys_symlink,
	[SYS_lseek] = sys_lseek,
	[SYS_trace] = sys_trace,
	[SYS_sigalarm] = sys_sigalarm,
	[SYS_sigreturn] = sys_sigreturn,
	[SYS_pgpte] = sys_pgpte,
	[SYS_kpgtbl] = sys_kpgtbl,
	[SYS_mmap] = sys_mmap,
	[SYS_munmap] = sys_munmap,
	[SYS_msync] = sys_msync,
	[SYS_execve] = sys_execve,
	[SYS_setpgid] = sys_setpgid,
	[SYS_tcsetpgrp] = sys_tcsetpgrp,
	[SYS_procinfo] = sys_procinfo,
};

__hot_path void
syscall_dispatch(struct trapframe *tf)
{
	uint64 num = tf->a7;
	struct proc *p = myproc();
	long (*handler)(void) = num < NSYSCALL ? handlers[num] : NULL;

	if (p->abi == ABI_LINUX) {
		linux_syscall(tf);
	} else {
		p->nsyscalls++;
		if (!handler)
			kprintf("pid %d (%s): unknown system call %lu\n", p->pid, p->name, num);
		if (p->trace_mask && num < 64 && (p->trace_mask >> num & 1))
			trace_call(p, tf, num, handler);
		else
			tf->a0 = handler ? handler() : -1;
	}
#ifdef DEBUG
	/* a user-access batch left open (vm/uaccess.h); the way out clears SUM anyway */
	if (csr_read(sstatus) & SSTATUS_SUM)
		panic("system call %lu returned with user access (sstatus.SUM) on", num);
#endif
}

static uint64
arg_raw(int n)
{
	struct trapframe *tf = myproc()->tf;

	switch (n) {
	case 0: return tf->a0;
	case 1: return tf->a1;
	case 2: return tf->a2;
	case 3: return tf->a3;
	case 4: return tf->a4;
	case 5: return tf->a5;
	}
	panic("arg_raw: argument %d", n);
}

/* An int argument: the low 32 bits, sign-extended, as C passes it. */
long
arg_int(int n)
{
	return (int)arg_raw(n);
}

/* A pointer argument; not checked here: the copy routines check it. */
uint64
arg_addr(int n)
{
	return arg_raw(n);
}

int
arg_str(int n, char *buf, size_t max)
{
	return (int)copyinstr(buf, arg_addr(n), max);
}

/* A file-descriptor argument that names an open file. */
int
arg_fd(int n, int *fdp, struct file **fp)
{
	long fd = arg_int(n);

	if (fd < 0 || fd >= NOFILE)
		return -1;
	struct file *f = myproc()->ofile[fd];
	if (!f)
		return -1;
	if (fdp)
		*fdp = (int)fd;
	if (fp)
		*fp = f;
	return 0;
}

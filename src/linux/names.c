/*
 * The Linux system calls' names by number, for trace: generated from the
 * uapi header's own list (each entry names the kernel function, "sys_"
 * and all; linux_call_name() drops the prefix).
 */
#include "linux/syscall.h"

#define __SYSCALL(nr, call) [nr] = #call,
static const char *const names[LINUX_NSYSCALL] = {
#include <asm-generic/unistd.h>
};
#undef __SYSCALL

#include "linux/uapi.h"

const char *
linux_call_name(uint64 num)
{
	if (num >= LINUX_NSYSCALL || !names[num])
		return NULL;
	const char *n = names[num];
	return n[0] == 's' && n[1] == 'y' && n[2] == 's' && n[3] == '_' ? n + 4 : n;
}

/* How trace prints each call's first arguments (sched/trace.c: d l n x p s) */
static const char *const args[LINUX_NSYSCALL] = {
	[__NR_read] = "dpn", [__NR_write] = "dpn", [__NR_readv] = "dpd", [__NR_writev] = "dpd",
	[__NR_pread64] = "dpnl", [__NR_pwrite64] = "dpnl", [__NR_openat] = "dsxx",
	[__NR_close] = "d", [__NR_lseek] = "dld", [__NR_dup] = "d", [__NR_dup3] = "ddx",
	[__NR_fcntl] = "ddx", [__NR_ioctl] = "dxp", [__NR_pipe2] = "px", [__NR_getdents64] = "dpn",
	[__NR_newfstatat] = "dspx", [__NR_fstat] = "dp", [__NR_statx] = "dsxx",
	[__NR_faccessat] = "dsx", [__NR_fchmodat] = "dsx", [__NR_fchownat] = "dsddx",
	[__NR_readlinkat] = "dspn", [__NR_mkdirat] = "dsx",
	[__NR_unlinkat] = "dsx", [__NR_linkat] = "dsds", [__NR_symlinkat] = "sds",
	[__NR_renameat2] = "dsds", [__NR_chdir] = "s", [__NR_fchdir] = "d", [__NR_getcwd] = "pn",
	[__NR_exit] = "d", [__NR_exit_group] = "d", [__NR_clone] = "xp", [__NR_execve] = "spp",
	[__NR_wait4] = "dpxp", [__NR_kill] = "dd", [__NR_brk] = "p", [__NR_mmap] = "pnxx",
	[__NR_munmap] = "pn", [__NR_mprotect] = "pnx", [__NR_clock_gettime] = "dp",
	[__NR_nanosleep] = "pp", [__NR_getrandom] = "pnx", [__NR_prlimit64] = "ddpp",
	[__NR_ppoll] = "pnpp", [__NR_pselect6] = "dpppp",
};

const char *
linux_call_args(uint64 num)
{
	return num < LINUX_NSYSCALL ? args[num] : NULL;
}

bool
linux_call_exits(uint64 num)
{
	return num == __NR_exit || num == __NR_exit_group;
}

/*
 * Linux system-call dispatch: a7 is Linux's number (the uapi header's
 * __NR_*), a0..a5 the arguments, and the result goes back in a0, a
 * negative errno on failure.  A number with no handler answers -ENOSYS.
 * Every other register is kept, as Linux keeps it.
 *
 * Handlers read their arguments with arg_*() (sched/syscall.h) like
 * Canopy's own, and reach user memory only through vm/uaccess.h, so a bad
 * pointer is -EFAULT, never a fault in the kernel.
 */
#include "linux/linux.h"
#include "linux/syscall.h"
#include "linux/uapi.h"
#include "sched/proc.h"
#include "sched/syscall.h"
#include "sched/trace.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "vm/uaccess.h"
#include <canopy/param.h>

STATIC_ASSERT(LINUX_NSYSCALL == __NR_syscalls);

static long (*const handlers[LINUX_NSYSCALL])(void) = {
	[__NR_read] = lx_read,
	[__NR_write] = lx_write,
	[__NR_readv] = lx_readv,
	[__NR_writev] = lx_writev,
	[__NR_pread64] = lx_pread64,
	[__NR_pwrite64] = lx_pwrite64,
	[__NR_openat] = lx_openat,
	[__NR_close] = lx_close,
	[__NR_lseek] = lx_lseek,
	[__NR_dup] = lx_dup,
	[__NR_dup3] = lx_dup3,
	[__NR_fcntl] = lx_fcntl,
	[__NR_ioctl] = lx_ioctl,
	[__NR_pipe2] = lx_pipe2,
	[__NR_getdents64] = lx_getdents64,
	[__NR_newfstatat] = lx_newfstatat,
	[__NR_fstat] = lx_fstat,
	[__NR_statx] = lx_statx,
	[__NR_faccessat] = lx_faccessat,
	[__NR_faccessat2] = lx_faccessat,
	[__NR_utimensat] = lx_utimensat,
	[__NR_fchmodat] = lx_fchmodat,
	[__NR_fchownat] = lx_fchownat,
	[__NR_fchmod] = lx_fchmod,
	[__NR_fchown] = lx_fchmod,
	[__NR_readlinkat] = lx_readlinkat,
	[__NR_mkdirat] = lx_mkdirat,
	[__NR_unlinkat] = lx_unlinkat,
	[__NR_linkat] = lx_linkat,
	[__NR_symlinkat] = lx_symlinkat,
	[__NR_renameat2] = lx_renameat2,
	[__NR_chdir] = lx_chdir,
	[__NR_fchdir] = lx_fchdir,
	[__NR_getcwd] = lx_getcwd,
	[__NR_umask] = lx_umask,
	[__NR_ftruncate] = lx_ftruncate,
	[__NR_truncate] = lx_truncate,
	[__NR_sync] = lx_sync,
	[__NR_fsync] = lx_fsync,
	[__NR_fdatasync] = lx_fsync,

	[__NR_exit] = lx_exit,
	[__NR_exit_group] = lx_exit,
	[__NR_clone] = lx_clone,
	[__NR_execve] = lx_execve,
	[__NR_wait4] = lx_wait4,
	[__NR_waitid] = lx_waitid,
	[__NR_getpid] = lx_getpid,
	[__NR_getppid] = lx_getppid,
	[__NR_gettid] = lx_gettid,
	[__NR_getuid] = lx_getuid,
	[__NR_geteuid] = lx_getuid,
	[__NR_getgid] = lx_getuid,
	[__NR_getegid] = lx_getuid,
	[__NR_kill] = lx_kill,
	[__NR_tgkill] = lx_tgkill,
	[__NR_set_tid_address] = lx_set_tid_address,
	[__NR_set_robust_list] = lx_set_robust_list,
	[__NR_sched_yield] = lx_sched_yield,
	[__NR_getcpu] = lx_getcpu,
	[__NR_prlimit64] = lx_prlimit64,
	[__NR_getrlimit] = lx_getrlimit,
	[__NR_setrlimit] = lx_setrlimit,
	[__NR_uname] = lx_uname,
	[__NR_sysinfo] = lx_sysinfo,
	[__NR_getrandom] = lx_getrandom,
	[__NR_setpgid] = lx_setpgid,
	[__NR_getpgid] = lx_getpgid,
	[__NR_setsid] = lx_setsid,
	[__NR_getsid] = lx_getsid,

	[__NR_rt_sigaction] = lx_rt_sigaction,
	[__NR_rt_sigprocmask] = lx_rt_sigprocmask,
	[__NR_rt_sigpending] = lx_rt_sigpending,
	[__NR_rt_sigsuspend] = lx_rt_sigsuspend,
	[__NR_rt_sigreturn] = lx_rt_sigreturn,
	[__NR_rt_sigqueueinfo] = lx_rt_sigqueueinfo,
	[__NR_sigaltstack] = lx_sigaltstack,
	[__NR_ppoll] = lx_ppoll,
	[__NR_pselect6] = lx_pselect6,
	[__NR_tkill] = lx_tkill,
	[__NR_getitimer] = lx_getitimer,
	[__NR_setitimer] = lx_setitimer,

	[__NR_brk] = lx_brk,
	[__NR_mmap] = lx_mmap,
	[__NR_munmap] = lx_munmap,
	[__NR_msync] = lx_msync,
	[__NR_mprotect] = lx_mprotect,
	[__NR_madvise] = lx_madvise,
	[__NR_mremap] = lx_mremap,

	[__NR_clock_gettime] = lx_clock_gettime,
	[__NR_clock_getres] = lx_clock_getres,
	[__NR_gettimeofday] = lx_gettimeofday,
	[__NR_nanosleep] = lx_nanosleep,
	[__NR_clock_nanosleep] = lx_clock_nanosleep,
	[__NR_times] = lx_times,
};

void
linux_syscall(struct trapframe *tf)
{
	uint64 num = tf->a7;
	struct proc *p = myproc();
	long (*handler)(void) = num < LINUX_NSYSCALL ? handlers[num] : NULL;

	p->nsyscalls++;
	p->orig_a0 = tf->a0;    /* a call a signal interrupts may be made again (sched/signal.c) */
	if (p->trace_mask)
		trace_linux_call(p, tf, num, handler);
	else
		tf->a0 = handler ? handler() : -ENOSYS;
}

/* The open file fd names: 0, or -EBADF. */
int
lx_fd(int fd, struct file **f)
{
	if (fd < 0 || fd >= NOFILE || !myproc()->ofile[fd])
		return -EBADF;
	*f = myproc()->ofile[fd];
	return 0;
}

/*
 * Where the relative path of an *at call starts: *base is NULL for
 * AT_FDCWD or an absolute path (the current directory, or none needed),
 * else the open directory dirfd.  0, or -EBADF, -ENOTDIR.
 */
int
lx_dirfd(int dirfd, const char *path, struct inode **base)
{
	struct file *f;

	*base = NULL;
	if (dirfd == AT_FDCWD || path[0] == '/')
		return 0;
	if (lx_fd(dirfd, &f) < 0)
		return -EBADF;
	if (f->type != FD_INODE || !f->ip || f->ip->type != T_DIR)
		return -ENOTDIR;
	*base = f->ip;
	return 0;
}

/* Copy a user path (MAXPATH bytes with its NUL) into buf: its length, or -EFAULT, -ENAMETOOLONG. */
long
lx_path(uint64 upath, char *buf)
{
	long n = copyinstr(buf, upath, MAXPATH);
	char c;

	if (n >= 0)
		return n;
	return copyin(&c, upath, 1) < 0 ? -EFAULT : -ENAMETOOLONG;
}

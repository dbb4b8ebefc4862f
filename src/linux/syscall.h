/* The Linux system-call table and the handlers behind it (the files of src/linux). */
#ifndef LINUX_SYSCALL_H
#define LINUX_SYSCALL_H

#include "lib/types.h"

#define LINUX_NSYSCALL  451     /* the uapi header's __NR_syscalls (checked in syscall.c) */

const char *linux_call_name(uint64 num);
const char *linux_call_args(uint64 num);       /* how trace prints them (sched/trace.c), or NULL */
bool linux_call_exits(uint64 num);

/* Helpers the handlers share */
struct file;
struct inode;
int lx_fd(int fd, struct file **f);                      /* 0 or -EBADF */
int lx_dirfd(int dirfd, const char *path, struct inode **base); /* 0 or -errno */
long lx_path(uint64 upath, char *buf);                   /* length or -errno */
uint64 lx_now_ns(void);                                  /* the clocks' time: ns since boot */
long lx_timespec_ns(uint64 uts, uint64 *ns);             /* 0, or -EFAULT, -EINVAL */

/* linux/fs.c */
long lx_read(void);
long lx_write(void);
long lx_readv(void);
long lx_writev(void);
long lx_pread64(void);
long lx_pwrite64(void);
long lx_openat(void);
long lx_close(void);
long lx_lseek(void);
long lx_dup(void);
long lx_dup3(void);
long lx_fcntl(void);
long lx_pipe2(void);
long lx_getdents64(void);
long lx_newfstatat(void);
long lx_fstat(void);
long lx_statx(void);
long lx_faccessat(void);
long lx_utimensat(void);
long lx_fchmodat(void);
long lx_fchownat(void);
long lx_fchmod(void);
long lx_readlinkat(void);
long lx_mkdirat(void);
long lx_unlinkat(void);
long lx_linkat(void);
long lx_symlinkat(void);
long lx_renameat2(void);
long lx_chdir(void);
long lx_fchdir(void);
long lx_getcwd(void);
long lx_umask(void);
long lx_ftruncate(void);
long lx_truncate(void);
long lx_sync(void);
long lx_fsync(void);

/* linux/proc.c */
long lx_exit(void);
long lx_clone(void);
long lx_execve(void);
long lx_wait4(void);
long lx_waitid(void);
long lx_getpid(void);
long lx_getppid(void);
long lx_gettid(void);
long lx_getuid(void);
long lx_set_tid_address(void);
long lx_set_robust_list(void);
long lx_sched_yield(void);
long lx_getcpu(void);
long lx_prlimit64(void);
long lx_getrlimit(void);
long lx_setrlimit(void);
long lx_uname(void);
long lx_sysinfo(void);
long lx_getrandom(void);
long lx_setpgid(void);
long lx_getpgid(void);
long lx_setsid(void);
long lx_getsid(void);
long lx_zero(void);

/* linux/signal.c */
long lx_rt_sigaction(void);
long lx_rt_sigprocmask(void);
long lx_rt_sigpending(void);
long lx_rt_sigsuspend(void);
long lx_rt_sigreturn(void);
long lx_rt_sigqueueinfo(void);
long lx_sigaltstack(void);
long lx_kill(void);
long lx_tgkill(void);
long lx_tkill(void);
long lx_getitimer(void);
long lx_setitimer(void);

/* linux/poll.c */
long lx_ppoll(void);
long lx_pselect6(void);

/* linux/tty.c */
long lx_ioctl(void);

/* linux/mm.c */
long lx_brk(void);
long lx_mmap(void);
long lx_munmap(void);
long lx_msync(void);
long lx_mprotect(void);
long lx_madvise(void);
long lx_mremap(void);

/* linux/time.c */
long lx_clock_gettime(void);
long lx_clock_getres(void);
long lx_gettimeofday(void);
long lx_nanosleep(void);
long lx_clock_nanosleep(void);
long lx_times(void);

#endif

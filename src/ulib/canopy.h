/*
 * Canopy's own user API, beside the C library's POSIX subset (unistd.h,
 * stdio.h, stdlib.h...).  Everything here that starts with u reads the
 * vDSO pages and never traps.
 */
#ifndef CANOPY_H
#define CANOPY_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <canopy/layout.h>
#include <canopy/param.h>
#include <canopy/stat.h>
#include <canopy/fs.h>
#include <canopy/fcntl.h>
#include <canopy/syscall.h>
#include <canopy/sysinfo.h>
#include <canopy/mman.h>
#include <sys/types.h>
#include <canopy/procinfo.h>
#include <time.h>
#include <sys/types.h>

/* picolibc declares these only on POSIX targets it knows */
#ifndef CLOCK_MONOTONIC
#define CLOCK_MONOTONIC ((clockid_t)4)
#endif
int clock_gettime(clockid_t id, struct timespec *ts);

/* The raw system calls (syscalls.S).  Results as the kernel gives them. */
long __sys_null(void);
long __sys_fork(void);
long __sys_exit(int status) __attribute__((noreturn));
long __sys_wait(int *status);
long __sys_pipe(int fds[2]);
long __sys_read(int fd, void *buf, long n);
long __sys_kill(int pid);
long __sys_exec(const char *path, char *const argv[]);
long __sys_execve(const char *path, char *const argv[], char *const envp[]);
long __sys_setpgid(int pid, int pgid);
long __sys_tcsetpgrp(int pgid);
long __sys_fstat(int fd, struct canopy_stat *st);
long __sys_chdir(const char *path);
long __sys_dup(int fd);
long __sys_getpid(void);
long __sys_sbrk(long n, int mode);     /* mode: SBRK_DEFAULT, SBRK_EAGER, SBRK_LAZY */
long __sys_sleep(long ticks);
long __sys_uptime(void);
long __sys_open(const char *path, int flags);
long __sys_write(int fd, const void *buf, long n);
long __sys_mknod(const char *path, int major, int minor);
long __sys_unlink(const char *path);
long __sys_link(const char *old, const char *new);
long __sys_mkdir(const char *path);
long __sys_close(int fd);
long __sys_symlink(const char *target, const char *path);
long __sys_pgaccess(void *base, long npages, uint64_t *mask);
long __sys_vmprint(int pid, char *buf, long size);
long __sys_sysinfo(struct sysinfo *si, int layout);    /* SYSINFO_CANOPY or SYSINFO_XV6 */
long __sys_poweroff(int status) __attribute__((noreturn));
long __sys_bootargs(char *buf, long size);
long __sys_selftest(int op, uint64_t arg);
long __sys_lseek(int fd, long off, int whence);
long __sys_trace(uint64_t mask, int flags);     /* flags: TRACE_ARGS */
long __sys_sigalarm(int ticks, void (*handler)(void));
long __sys_sigreturn(void);
long __sys_pgpte(const void *va);
long __sys_kpgtbl(void);
long __sys_mmap(void *addr, uint64_t len, int prot, int flags, int fd, uint64_t off);
long __sys_munmap(void *addr, uint64_t len);
long __sys_msync(void *addr, uint64_t len, int flags);
long __sys_procinfo(struct procinfo *buf, int max);

/* vDSO: no trap. */
static inline const struct vdso_data *
vdso(void)
{
	return (const struct vdso_data *)VDSO_DATA;
}

static inline int
ugetpid(void)
{
	return ((const volatile struct vdso_proc *)VDSO_PROC)->pid;
}

static inline int
ugetppid(void)
{
	return ((const volatile struct vdso_proc *)VDSO_PROC)->ppid;
}

static inline uint64_t
uuptime(void)
{
	return vdso()->ticks;
}

static inline uint64_t
rdtime(void)
{
	uint64_t t;
	asm volatile("rdtime %0" : "=r"(t));
	return t;
}

/* Nanoseconds since boot, from the time CSR. */
uint64_t uptime_ns(void);

/* Canopy calls with no POSIX counterpart. */
int exec(const char *path, char *const argv[]);
int sleep_ticks(int ticks);
long uptime(void);
int sysinfo(struct sysinfo *si);
long vmprint(int pid, char *buf, long size);
int pgaccess(void *base, int npages, uint64_t *mask);
void poweroff(int status) __attribute__((noreturn));
int bootargs(char *buf, long size);
int selftest(int op, uint64_t arg);
int procinfo(struct procinfo *buf, int max);

/*
 * For programs that write to standard output: when a write there fails
 * (the reader of a pipe has gone, or the disk is full), these report it
 * (saying nothing for a pipe); the program then exits non-zero at once
 * rather than go on writing.
 */
void report_output_error(const char *prog);

/*
 * For the shell's programs (cmdline.c).  get_options reads the options
 * before the first operand: letters of known, alone or together (-lw),
 * setting on[letter]; "--" ends them and a lone "-" is an operand.  On an
 * unknown letter it names it and calls usage_exit(use), which prints
 * "usage: USE" (USE starts with the program's name) and exits with
 * status 2, the status of every usage error.  It returns the index of
 * the first operand.  count_option reads "-n N",
 * "-nN" and "--" and returns the index of the first operand, or -1 (said
 * why) for the caller's usage message.  write_out writes all n bytes to
 * standard output or reports and exits 1.  for_each_file runs fn on each
 * file operand (standard input if none), after a "==> name <==" header
 * when there are several; 1 if one could not be opened or fn said 1.
 * target_path gives, in out
 * (MAXPATH bytes), dst or dst/NAME if dst is a directory (NAME: src's last
 * component); -1 if too long.
 */
void usage_exit(const char *use) __attribute__((noreturn));
int get_options(int argc, char *argv[], const char *known, bool on[128], const char *use);
int count_option(const char *prog, int argc, char *argv[], long *count);
void write_out(const char *prog, const void *p, size_t n);
int for_each_file(const char *prog, int argc, char *argv[], int first, long lines,
		  int (*fn)(int fd, const char *name, long lines));
const char *last_name(const char *path);
int target_path(const char *src, const char *dst, char *out);
bool stdout_ok(const char *prog);      /* false (reported) once stdio's stdout failed */

/*
 * Tracing and alarms (the xv6 syscall and traps labs): trace the calls
 * whose bits are set in mask (TRACE_ARGS decodes their arguments); every
 * `ticks` ticks of CPU time, run handler, which ends with sigreturn().
 */
int trace(uint64_t mask, int flags);
int sigalarm(int ticks, void (*handler)(void));
int sigreturn(void);
uint64_t pgpte(const void *va);         /* the leaf entry mapping va, 0 if none */
void kpgtbl(void);                      /* the kernel's page table, on the console */

/* Memory mappings (canopy/mman.h); mmap returns MAP_FAILED on failure. */
#define MAP_FAILED ((void *)-1)
void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off);
int munmap(void *addr, size_t len);
int msync(void *addr, size_t len, int flags);

/* Files: Canopy's own stat (type T_DIR, T_FILE, T_DEVICE, T_SYMLINK, T_PIPE). */
int fstat_canopy(int fd, struct canopy_stat *st);
int stat_canopy(const char *path, struct canopy_stat *st);    /* follows links */

/* POSIX calls picolibc declares only for other systems. */
struct stat;
int lstat(const char *path, struct stat *st);
int mknod(const char *path, mode_t mode, dev_t dev);

/* The dev argument of mknod() for a device of major and minor numbers. */
#define canopy_makedev(major, minor) ((((major) & 0xff) << 8) | ((minor) & 0xff))
#define canopy_major(dev) (((dev) >> 8) & 0xff)
#define canopy_minor(dev) ((dev) & 0xff)

#endif

/*
 * The C library's system interface (what picolibc leaves to the OS) and
 * the POSIX-style calls Canopy offers, over the raw system calls.
 *
 * Differences from POSIX, kept from xv6: wait() stores the exit status
 * itself (not a WEXITSTATUS-encoded word; a killed process has status -1);
 * kill() ignores the signal number and always kills; a failing call
 * returns -1 with errno set to EINVAL, as the kernel reports no reason.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <unistd.h>
#include <sys/wait.h>
#include <sys/types.h>
#include <fcntl.h>
#include "ulib.h"

extern void __libc_init_array(void);

static long
check(long r)
{
	if (r < 0) {
		errno = EINVAL;
		return -1;
	}
	return r;
}

void
__libc_start(void)
{
	__libc_init_array();
}

void
_exit(int status)
{
	__stdio_flush_all();
	__sys_exit(status);
}

pid_t
fork(void)
{
	__stdio_flush_all();
	return (pid_t)check(__sys_fork());
}

pid_t
wait(int *status)
{
	return (pid_t)check(__sys_wait(status));
}

int
kill(pid_t pid, int sig)
{
	(void)sig;
	return (int)check(__sys_kill(pid));
}

pid_t
getpid(void)
{
	return (pid_t)__sys_getpid();
}

void *
sbrk(ptrdiff_t incr)
{
	long r = __sys_sbrk(incr);
	if (r == -1) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return (void *)r;
}

ssize_t
read(int fd, void *buf, size_t n)
{
	return check(__sys_read(fd, buf, (long)n));
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	return check(__sys_write(fd, buf, (long)n));
}

int
close(int fd)
{
	return (int)check(__sys_close(fd));
}

int
dup(int fd)
{
	return (int)check(__sys_dup(fd));
}

int
pipe(int fds[2])
{
	return (int)check(__sys_pipe(fds));
}

int
exec(const char *path, char *const argv[])
{
	__stdio_flush_all();
	return (int)check(__sys_exec(path, argv));
}

int
execv(const char *path, char *const argv[])
{
	return exec(path, argv);
}

int
sleep_ticks(int ticks)
{
	return (int)check(__sys_sleep(ticks));
}

unsigned int
sleep(unsigned int seconds)
{
	sleep_ticks((int)(seconds * vdso()->tick_hz));
	return 0;
}

int
usleep(useconds_t us)
{
	uint64_t hz = vdso()->tick_hz;
	return sleep_ticks((int)((us * hz + 999999) / 1000000));
}

long
uptime(void)
{
	return __sys_uptime();
}

int
sysinfo(struct sysinfo *si)
{
	return (int)check(__sys_sysinfo(si));
}

long
vmprint(int pid, char *buf, long size)
{
	return check(__sys_vmprint(pid, buf, size));
}

/* The kernel writes 32 bits for up to 32 pages (as the xv6 lab); widen to 64. */
int
pgaccess(void *base, int npages, uint64_t *mask)
{
	int r = (int)check(__sys_pgaccess(base, npages, mask));
	if (r == 0 && npages <= 32)
		*mask &= 0xffffffffUL;
	return r;
}

void
poweroff(int status)
{
	__stdio_flush_all();
	__sys_poweroff(status);
}

int
bootargs(char *buf, long size)
{
	return (int)check(__sys_bootargs(buf, size));
}

int
selftest(int op, uint64_t arg)
{
	return (int)__sys_selftest(op, arg);
}

int
open(const char *path, int flags, ...)
{
	return (int)check(__sys_open(path, flags));
}

int
chdir(const char *path)
{
	return (int)check(__sys_chdir(path));
}

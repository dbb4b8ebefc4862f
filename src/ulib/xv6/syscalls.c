/*
 * xv6 compatibility: the system calls with xv6's signatures, over
 * Canopy's raw stubs (src/ulib/syscalls.S).  Canopy keeps xv6's numbers
 * and return conventions, so most are direct calls.
 */
#include "kernel/types.h"
#include "kernel/stat.h"
#include "kernel/memlayout.h"
#include "kernel/riscv.h"
#include <canopy/layout.h>
#include "user/user.h"
#include <canopy/stat.h>

long __sys_fork(void);
long __sys_exit(int) __attribute__((noreturn));
long __sys_wait(int *);
long __sys_pipe(int *);
long __sys_read(int, void *, long);
long __sys_write(int, const void *, long);
long __sys_close(int);
long __sys_kill(int);
long __sys_exec(const char *, char **);
long __sys_open(const char *, int);
long __sys_mknod(const char *, int, int);
long __sys_unlink(const char *);
long __sys_fstat(int, void *);
long __sys_link(const char *, const char *);
long __sys_mkdir(const char *);
long __sys_chdir(const char *);
long __sys_dup(int);
long __sys_getpid(void);
long __sys_sbrk(long, int);
long __sys_mmap(void *, uint64, int, int, int, uint64);
long __sys_munmap(void *, uint64);
long __sys_sleep(long);
long __sys_uptime(void);
long __sys_pgaccess(void *, long, void *);
long __sys_symlink(const char *, const char *);
long __sys_trace(uint64, int);
long __sys_sigalarm(int, void (*)(void));
long __sys_sigreturn(void);
long __sys_pgpte(const void *);
long __sys_kpgtbl(void);

/* fstat fills Canopy's struct, which must be xv6's struct stat */
_Static_assert(sizeof(struct stat) == sizeof(struct canopy_stat), "struct stat layout");
_Static_assert(__builtin_offsetof(struct stat, size) == __builtin_offsetof(struct canopy_stat, size),
	       "struct stat layout");

/*
 * crt0 calls this before main.  Canopy's exec maps only the stack pages
 * the arguments need and the rest come at first touch; stock xv6 maps the
 * whole stack at exec, and its programs count free memory as if nothing
 * moved when they first use it.  So touch every page below this one, from
 * the bottom up (a fault, then one that maps the rest: fault-around).
 */
void
__libc_start(void)
{
	uint64 sp;

	asm volatile("mv %0, sp" : "=r"(sp));
	for (uint64 a = USER_STACK_BOTTOM; a + PGSIZE <= sp; a += PGSIZE)
		*(volatile char *)a = 0;
}

int fork(void) { return (int)__sys_fork(); }
int exit(int status) { __sys_exit(status); }
int wait(int *status) { return (int)__sys_wait(status); }
int pipe(int *fds) { return (int)__sys_pipe(fds); }
int write(int fd, const void *buf, int n) { return (int)__sys_write(fd, buf, n); }
int read(int fd, void *buf, int n) { return (int)__sys_read(fd, buf, n); }
int close(int fd) { return (int)__sys_close(fd); }
int kill(int pid) { return (int)__sys_kill(pid); }
int exec(const char *path, char **argv) { return (int)__sys_exec(path, argv); }
int open(const char *path, int flags) { return (int)__sys_open(path, flags); }
int mknod(const char *path, short major, short minor) { return (int)__sys_mknod(path, major, minor); }
int unlink(const char *path) { return (int)__sys_unlink(path); }
int fstat(int fd, struct stat *st) { return (int)__sys_fstat(fd, st); }
int link(const char *old, const char *new) { return (int)__sys_link(old, new); }
int mkdir(const char *path) { return (int)__sys_mkdir(path); }
int chdir(const char *path) { return (int)__sys_chdir(path); }
int dup(int fd) { return (int)__sys_dup(fd); }
int getpid(void) { return (int)__sys_getpid(); }
int sleep(int ticks) { return (int)__sys_sleep(ticks); }
int pause(int ticks) { return (int)__sys_sleep(ticks); }
int uptime(void) { return (int)__sys_uptime(); }
int pgaccess(void *base, int len, void *mask) { return (int)__sys_pgaccess(base, len, mask); }
int symlink(char *target, char *path) { return (int)__sys_symlink(target, path); }
int sigreturn(void) { return (int)__sys_sigreturn(); }
void kpgtbl(void) { __sys_kpgtbl(); }

/*
 * The leaf entry as stock xv6 would show it.  Its fork copies, so a page a
 * child may write has W there (the page-table lab's superpage test checks
 * that in a child); Canopy's fork shares the page, W withheld and
 * CANOPY_PTE_COW set until the first write copies it.
 */
uint64
pgpte(void *va)
{
	uint64 pte = (uint64)__sys_pgpte(va);

	if (pte & CANOPY_PTE_COW)
		pte = (pte & ~CANOPY_PTE_COW) | PTE_W;
	return pte;
}

/* The syscall lab's mask is an int: bit i traces call i (xv6's numbers). */
int
trace(int mask)
{
	return (int)__sys_trace((uint)mask, 0);
}

/* handler is called with no arguments; ticks are Canopy's (100 Hz). */
int
sigalarm(int ticks, void (*handler)())
{
	return (int)__sys_sigalarm(ticks, handler);
}

/*
 * The mmap lab's calls, over Canopy's mmap (the same flags and
 * protections; the lab's test passes a file descriptor and offset 0).
 * Failure is (char *)-1, as the lab has it.
 */
void *
mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	return (void *)__sys_mmap(addr, len, prot, flags, fd, (uint64)off);
}

int
munmap(void *addr, size_t len)
{
	return (int)__sys_munmap(addr, len);
}

/*
 * Stock xv6 (2025): sbrk is eager, failing with -1 when the memory is not
 * there; sbrklazy only moves the break.  A shrink past address 0 leaves
 * the break where it is and returns it, as xv6's does.
 */
static char *
xv6_sbrk(int n, int mode)
{
	if (n < 0) {
		long brk = __sys_sbrk(0, mode);
		if ((unsigned long)-(long)n > (unsigned long)brk)
			return (char *)brk;
	}
	return (char *)__sys_sbrk(n, mode);
}

/*
 * Defined (as 1) only in programs whose folder's xv6-api file asks for
 * "sbrk lazy" (SConstruct links options/sbrk_lazy.c into them): programs
 * of the 2020 lazy-allocation lab, which made sbrk itself lazy.
 */
extern const int xv6_sbrk_lazy __attribute__((weak));

char *
sbrk(int n)
{
	return xv6_sbrk(n, &xv6_sbrk_lazy && xv6_sbrk_lazy ? SBRK_LAZY : SBRK_EAGER);
}

char *sbrklazy(int n) { return xv6_sbrk(n, SBRK_LAZY); }

int
ugetpid(void)
{
	return ((volatile struct usyscall *)USYSCALL)->pid;
}

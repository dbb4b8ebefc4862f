/* Raw system-call stubs: __sys_NAME puts SYS_NAME in a7 and traps. */
#include <canopy/syscall.h>

#define SYSCALL(name) \
	.globl __sys_##name; \
	.balign 4; \
	__sys_##name: \
	li a7, SYS_##name; \
	ecall; \
	ret

	.text
SYSCALL(null)
SYSCALL(fork)
SYSCALL(exit)
SYSCALL(wait)
SYSCALL(pipe)
SYSCALL(read)
SYSCALL(kill)
SYSCALL(exec)
SYSCALL(execve)
SYSCALL(setpgid)
SYSCALL(tcsetpgrp)
SYSCALL(fstat)
SYSCALL(chdir)
SYSCALL(dup)
SYSCALL(getpid)
SYSCALL(sbrk)
SYSCALL(sleep)
SYSCALL(uptime)
SYSCALL(open)
SYSCALL(write)
SYSCALL(mknod)
SYSCALL(unlink)
SYSCALL(link)
SYSCALL(mkdir)
SYSCALL(close)
SYSCALL(symlink)
SYSCALL(pgaccess)
SYSCALL(vmprint)
SYSCALL(sysinfo)
SYSCALL(poweroff)
SYSCALL(bootargs)
SYSCALL(selftest)
SYSCALL(lseek)
SYSCALL(trace)
SYSCALL(sigalarm)
SYSCALL(sigreturn)
SYSCALL(pgpte)
SYSCALL(kpgtbl)
SYSCALL(mmap)
SYSCALL(munmap)
SYSCALL(msync)
SYSCALL(procinfo)

/*
 * System-call numbers, shared by the kernel and the user library.
 * 1..21 are stock xv6's numbers, so xv6 programs and tools agree with us.
 */
#ifndef CANOPY_SYSCALL_H
#define CANOPY_SYSCALL_H

#define SYS_null        0   /* answered by the trap entry itself: the floor */
#define SYS_fork        1
#define SYS_exit        2
#define SYS_wait        3
#define SYS_pipe        4
#define SYS_read        5
#define SYS_kill        6
#define SYS_exec        7
#define SYS_fstat       8
#define SYS_chdir       9
#define SYS_dup        10
#define SYS_getpid     11
#define SYS_sbrk       12
#define SYS_sleep      13
#define SYS_uptime     14
#define SYS_open       15
#define SYS_write      16
#define SYS_mknod      17
#define SYS_unlink     18
#define SYS_link       19
#define SYS_mkdir      20
#define SYS_close      21
#define SYS_symlink    22
#define SYS_pgaccess   23
#define SYS_vmprint    24
#define SYS_sysinfo    25
#define SYS_poweroff   26
#define SYS_bootargs   27
#define SYS_selftest   28
#define SYS_lseek      29
#define SYS_trace      30
#define SYS_sigalarm   31
#define SYS_sigreturn  32
#define SYS_pgpte      33
#define SYS_kpgtbl     34
#define SYS_procinfo   35
#define SYS_mmap       36
#define SYS_munmap     37
#define SYS_msync      38
#define SYS_execve     39
#define SYS_setpgid    40
#define SYS_tcsetpgrp  41
#define NSYSCALL       42

/* trace(mask, flags): flags */
#define TRACE_ARGS      0x1     /* decode each call's arguments */

#endif

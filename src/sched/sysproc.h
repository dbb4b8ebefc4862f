/* Process and system system calls. */
#ifndef SCHED_SYSPROC_H
#define SCHED_SYSPROC_H

long sys_fork(void);
long sys_setpgid(void);
long sys_tcsetpgrp(void);
long sys_exit(void);
long sys_wait(void);
long sys_kill(void);
long sys_getpid(void);
long sys_sbrk(void);
long sys_sleep(void);
long sys_uptime(void);
long sys_vmprint(void);
long sys_pgaccess(void);
long sys_sysinfo(void);
long sys_poweroff(void);
long sys_bootargs(void);
long sys_selftest(void);
long sys_pgpte(void);
long sys_kpgtbl(void);
long sys_procinfo(void);

#endif

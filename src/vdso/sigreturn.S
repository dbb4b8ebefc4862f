/*
 * __vdso_rt_sigreturn: where a Linux signal handler returns (its ra, set
 * by sched/signal.c): rt_sigreturn (Linux's number 139, checked in
 * sched/signal.c) restores what the handler interrupted.
 */
	.text
	.balign 4
	.globl __vdso_rt_sigreturn
	.type __vdso_rt_sigreturn, @function
__vdso_rt_sigreturn:
	li	a7, 139
	ecall
	.size __vdso_rt_sigreturn, . - __vdso_rt_sigreturn

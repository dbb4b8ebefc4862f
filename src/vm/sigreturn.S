/*
 * The code at LINUX_SIGRETURN (vm/vdso.c): a Linux signal handler returns
 * here (its ra), and this asks for rt_sigreturn (Linux's number 139,
 * checked in sched/signal.c), which restores what the handler interrupted.
 */
	.section .rodata
	.balign 4
	.globl sigreturn_code, sigreturn_code_end
sigreturn_code:
	li	a7, 139
	ecall
sigreturn_code_end:

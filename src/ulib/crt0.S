/*
 * Program start.  The kernel enters here with sp at the top of the stack,
 * a0 = argc and a1 = argv.  Set gp and tp (the one TLS block, in place),
 * run main and pass its result to exit().  bss is already zero.
 */
	.section .text.start
	.globl _start
_start:
	.option push
	.option norelax
	la	gp, __global_pointer$
	.option pop
	la	tp, __tls_base
	li	s0, 0
	call	__libc_start
	call	main
	call	exit
	unimp

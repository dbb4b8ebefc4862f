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
	mv	s1, a0			/* argc and argv outlive __libc_start */
	mv	s2, a1
	call	__libc_start
	mv	a0, s1
	mv	a1, s2
	call	main
	call	exit
	unimp

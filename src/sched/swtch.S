/*
 * void swtch(struct context *old, struct context *new)
 * Save the callee-saved registers in old, load them from new, return on
 * new's stack.  tp is not touched: it belongs to the hart, not the thread.
 */
	.text
	.globl swtch
	.balign 4
swtch:
	sd	ra, 0(a0)
	sd	sp, 8(a0)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	sd	s\n, (16 + \n * 8)(a0)
	.endr
	ld	ra, 0(a1)
	ld	sp, 8(a1)
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11
	ld	s\n, (16 + \n * 8)(a1)
	.endr
	ret

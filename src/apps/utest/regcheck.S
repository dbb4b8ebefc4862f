/*
 * long reg_check_loop(long iterations): put a known value in every
 * general register but sp, gp, tp and s11 (the counter), then spin,
 * checking all of them (gp and tp too) every time round.  An alarm that
 * interrupts the loop and does not give every register back exactly is
 * caught.  Returns 0, or the number of the first register found changed.
 * The expected values live on the stack; t6 is saved there while it
 * serves as the scratch register of a check, then checked itself.
 */
#define CALLEE  0                       /* ra, s0..s11 */
#define EXP     (13 * 8)                /* expected x0..x31: x<n> at EXP + 8n */
#define TSAVE   (EXP + 32 * 8)          /* t6's value during a check */
#define FRAME   (TSAVE + 16)

	.text
	.globl reg_check_loop
	.balign 4
reg_check_loop:
	addi	sp, sp, -FRAME
	sd	ra, 0(sp)
	sd	s0, 8(sp)
	sd	s1, 16(sp)
	.irp	n, 18,19,20,21,22,23,24,25,26,27
	sd	x\n, (\n - 15) * 8(sp)
	.endr
	mv	s11, a0
	sd	gp, EXP + 3 * 8(sp)
	sd	tp, EXP + 4 * 8(sp)
	.irp	n, 1,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,28,29,30,31
	li	x\n, 0x5a00000000000000 + \n * 0x0000010101010101
	sd	x\n, EXP + \n * 8(sp)
	.endr
1:	sd	x31, TSAVE(sp)
	.irp	n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,28,29,30
	ld	x31, EXP + \n * 8(sp)
	bne	x\n, x31, fail_\n
	.endr
	ld	x10, TSAVE(sp)
	ld	x31, EXP + 31 * 8(sp)
	bne	x10, x31, fail_31
	ld	x10, EXP + 10 * 8(sp)
	addi	s11, s11, -1
	bnez	s11, 1b
	li	a0, 0
	j	9f

	.irp	n, 1,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,28,29,30,31
fail_\n:
	li	a0, \n
	j	9f
	.endr

9:	ld	gp, EXP + 3 * 8(sp)
	ld	tp, EXP + 4 * 8(sp)
	ld	ra, 0(sp)
	ld	s0, 8(sp)
	ld	s1, 16(sp)
	.irp	n, 18,19,20,21,22,23,24,25,26,27
	ld	x\n, (\n - 15) * 8(sp)
	.endr
	addi	sp, sp, FRAME
	ret

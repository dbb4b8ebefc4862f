/*
 * Saving and loading the user's FP registers (sched/fpu.h).  The kernel
 * is built without F and D; these two routines alone assemble for D.
 */
#include "sched/fpu.h"

	.text
	.option push
	.option arch, +d

/* void fpu_save(struct fpstate *st) */
	.globl fpu_save
	.balign 4
fpu_save:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fsd	f\n, FPU_F(\n)(a0)
	.endr
	frcsr	t0
	sw	t0, FPU_FCSR(a0)
	ret

/* void fpu_restore(const struct fpstate *st) */
	.globl fpu_restore
	.balign 4
fpu_restore:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	fld	f\n, FPU_F(\n)(a0)
	.endr
	lw	t0, FPU_FCSR(a0)
	fscsr	t0
	ret

	.option pop

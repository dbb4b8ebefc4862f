/*
 * The trap vector, for traps from user and from kernel mode alike.
 *
 * sscratch tells them apart: while a process runs in user mode it holds
 * the process's trapframe (at the top of its kernel stack); in the kernel
 * it holds 0.  Neither path writes satp or runs sfence.vma: the kernel is
 * mapped in every address space.
 *
 * System call SYS_null (a7 = 0) is answered here before any C code runs,
 * as the floor against which system-call cost is measured.
 *
 * With KPTI the vector is the trampoline (trampoline.S) instead; only the
 * kernel-mode path here is used, entered at kernel_entry_parked.
 */
#include "sched/trapframe.h"
#include "vm/kmem.h"
#include "lib/riscv.h"

.macro SAVE_USER_REG n
	sd	x\n, TF_REG(\n)(sp)
.endm
.macro LOAD_USER_REG n
	ld	x\n, TF_REG(\n)(sp)
.endm

	.section .text
#if !CONFIG_KPTI
	.globl trap_vector
	.balign 4
trap_vector:
	csrrw	sp, sscratch, sp
	beqz	sp, kernel_entry

	/* From user: sp = trapframe, sscratch = user sp. */
	sd	t0, TF_T0(sp)
	csrr	t0, scause
	addi	t0, t0, -EXC_ECALL_U
	bnez	t0, user_entry
	bnez	a7, user_entry
	csrr	t0, sepc
	addi	t0, t0, 4
	csrw	sepc, t0
	li	a0, 0
	ld	t0, TF_T0(sp)
	csrrw	sp, sscratch, sp
	sret

user_entry:
	SAVE_USER_REG 1
	.irp n, 3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	SAVE_USER_REG \n
	.endr
	csrr	t0, sscratch
	sd	t0, TF_SP(sp)
	csrw	sscratch, zero
	csrr	t0, sepc
	sd	t0, TF_EPC(sp)
	ld	tp, TF_KCPU(sp)
	li	s0, 0                   /* ends the frame-pointer chain */
	mv	a0, sp
	call	user_trap
	/* user_trap leaves through user_return_to(); it does not come back */
	unimp

/*
 * void user_return_to(struct trapframe *tf): load the user registers and
 * sret.  The caller has set sscratch, sepc and sstatus.
 */
	.globl user_return_to
	.balign 4
user_return_to:
	mv	sp, a0
	LOAD_USER_REG 1
	.irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	LOAD_USER_REG \n
	.endr
	ld	sp, TF_SP(sp)
	sret

/*
 * From the kernel: sp = 0, sscratch = kernel sp.  Swap back, check the
 * frame will not land in a guard page (kernel stacks are KSTACK_SLOT
 * aligned with the guard as the slot's first page), save the caller-saved
 * registers and turn user access off for the handler; sret restores it.
 */
kernel_entry:
	csrrw	sp, sscratch, sp
	csrw	sscratch, t0
#endif
	/* sp = kernel sp, t0 parked in sscratch */
	.globl kernel_entry_parked
kernel_entry_parked:
	addi	t0, sp, -KF_SIZE
	srli	t0, t0, PGSHIFT
	andi	t0, t0, KSTACK_PAGES - 1
	beqz	t0, kernel_stack_overflow
	csrrw	t0, sscratch, zero

	addi	sp, sp, -KF_SIZE
	sd	ra, KF_RA(sp)
	sd	t0, KF_T0(sp)
	sd	t1, KF_T1(sp)
	sd	t2, KF_T2(sp)
	.irp n, 0,1,2,3,4,5,6,7
	sd	a\n, KF_A(\n)(sp)
	.endr
	sd	t3, KF_T3(sp)
	sd	t4, KF_T4(sp)
	sd	t5, KF_T5(sp)
	sd	t6, KF_T6(sp)
	csrr	t0, sstatus
	sd	t0, KF_STATUS(sp)
	csrr	t1, sepc
	sd	t1, KF_EPC(sp)
	li	t2, SSTATUS_SUM
	and	t2, t0, t2
	beqz	t2, 1f
	csrc	sstatus, t2
1:
	mv	a0, sp
	call	kernel_trap

	ld	t0, KF_STATUS(sp)
	csrw	sstatus, t0
	ld	t1, KF_EPC(sp)
	csrw	sepc, t1
	ld	ra, KF_RA(sp)
	ld	t0, KF_T0(sp)
	ld	t1, KF_T1(sp)
	ld	t2, KF_T2(sp)
	.irp n, 0,1,2,3,4,5,6,7
	ld	a\n, KF_A(\n)(sp)
	.endr
	ld	t3, KF_T3(sp)
	ld	t4, KF_T4(sp)
	ld	t5, KF_T5(sp)
	ld	t6, KF_T6(sp)
	addi	sp, sp, KF_SIZE
	sret

kernel_stack_overflow:
	csrrw	t0, sscratch, zero
	la	sp, overflow_stack_top
	csrr	a0, sepc
	csrr	a1, stval
	call	kernel_stack_overflow_panic
	unimp

	.section .bss
	.balign 16
overflow_stack:
	.space 4096
overflow_stack_top:

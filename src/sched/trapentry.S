/*
 * The trap vector, for traps from user and from kernel mode alike.
 *
 * sscratch always holds this hart's struct cpu.  Its user_tf field tells
 * the two kinds of trap apart: while the hart runs a process in user mode
 * it is the process's trapframe (at the top of its kernel stack), in the
 * kernel it is 0.  Neither path writes satp or runs sfence.vma: the kernel
 * is mapped in every address space.
 *
 * System call SYS_null (a7 = 0) is answered here before any C code runs,
 * as the floor against which system-call cost is measured.
 *
 * Every CSR access ends a QEMU translation block (~25-40 ns, a tenth of a
 * system call), so the way in reads scause, sepc and sscratch once each and
 * the way out (user_return) writes sstatus and sepc only.
 *
 * With KPTI the vector is the trampoline (trampoline.S) instead; only the
 * kernel-mode path here is used, entered at kernel_entry_parked.
 */
#include "sched/trapframe.h"
#include "vm/kernel_layout.h"
#include "lib/riscv.h"

/* Branch to `overflow` if a kframe pushed below sp would land in a guard page. */
.macro KSTACK_CHECK tmp
	addi	\tmp, sp, -KF_SIZE
	srli	\tmp, \tmp, PGSHIFT
	andi	\tmp, \tmp, KSTACK_PAGES - 1
	beqz	\tmp, kernel_stack_overflow
.endm

	.section .text.hot, "ax"     /* the system-call path: see __hot_path */
#if !CONFIG_KPTI
	.globl trap_vector
	.balign 4
trap_vector:
	csrrw	sp, sscratch, sp        /* sp = struct cpu, sscratch = the trapped sp */
	sd	t0, CPU_TRAP_SCRATCH(sp)
	ld	t0, CPU_USER_TF(sp)
	beqz	t0, kernel_entry

	/* From user: t0 = trapframe, the user's t0 in cpu->trap_scratch. */
	sd	t1, TF_REG(6)(t0)
	csrr	t1, scause
	addi	t1, t1, -EXC_ECALL_U
	bnez	t1, user_entry
	bnez	a7, user_entry
	csrr	t1, sepc
	addi	t1, t1, 4
	csrw	sepc, t1
	li	a0, 0
	ld	t1, TF_REG(6)(t0)
	ld	t0, CPU_TRAP_SCRATCH(sp)
	csrrw	sp, sscratch, sp
	sret

user_entry:                     /* t0 = trapframe, t1 = scause - EXC_ECALL_U, sp = cpu */
	sd	x1, TF_REG(1)(t0)
	.irp n, 3,4,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, TF_REG(\n)(t0)
	.endr
	addi	a1, t1, EXC_ECALL_U
	ld	t1, CPU_TRAP_SCRATCH(sp)
	sd	t1, TF_T0(t0)
	csrrw	t1, sscratch, sp        /* the user's sp; sscratch = cpu again */
	sd	t1, TF_SP(t0)
	csrr	t1, sepc
	sd	t1, TF_EPC(t0)
	sd	zero, CPU_USER_TF(sp)   /* in the kernel now */
	mv	tp, sp
	mv	sp, t0                  /* the kernel stack starts below the trapframe */
	mv	a0, t0
	li	s0, 0                   /* ends the frame-pointer chain */
	call	user_trap               /* user_trap(tf, scause) */
	/* user_trap leaves through user_return_to(); it does not come back */
	unimp

/*
 * void user_return_to(struct trapframe *tf): load the user registers and
 * sret.  The caller has set sepc, sstatus (interrupts off) and
 * cpu->user_tf.
 */
	.globl user_return_to
	.balign 4
user_return_to:
	mv	sp, a0
	ld	x1, TF_REG(1)(sp)
	.irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, TF_REG(\n)(sp)
	.endr
	ld	sp, TF_SP(sp)
	sret

/*
 * From the kernel: sp = struct cpu, sscratch = the kernel sp, the kernel's
 * t0 in cpu->trap_scratch (tp = cpu too).  Swap back, check the frame will
 * not land in a guard page (kernel stacks are KSTACK_SLOT aligned with the
 * guard as the slot's first page), save the caller-saved registers and
 * turn user access off for the handler; sret restores it.
 */
kernel_entry:
	csrrw	sp, sscratch, sp
	KSTACK_CHECK t0
	ld	t0, CPU_TRAP_SCRATCH(tp)
#else
	/* From the trampoline: sp = kernel sp, t0 parked in sscratch. */
	.globl kernel_entry_parked
kernel_entry_parked:
	KSTACK_CHECK t0
	csrrw	t0, sscratch, zero
#endif

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

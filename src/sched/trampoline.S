/*
 * The trampoline: trap entry and exit for kernel page-table isolation
 * (KPTI=1, the classic design).  User tables hold no kernel mappings but
 * this page (at TRAMPOLINE, R-X) and the process's trapframe (at
 * TRAPFRAME, RW-), so the code that switches satp must run at the same
 * address in both tables: this page is mapped at TRAMPOLINE in the
 * kernel's table too, and stvec points here in user and kernel mode.
 *
 * The code runs at that alias, not at its link address, so it uses only
 * pc-relative references inside the page and absolute addresses loaded
 * from memory.
 *
 * sscratch: TRAPFRAME while a process runs in user mode, 0 in the kernel.
 * A trap from user mode saves the registers in the trapframe, loads the
 * kernel's satp (then sfence.vma: the TLB may hold user translations the
 * kernel must not see), the kernel stack and tp, and jumps to user_trap()
 * with the trapframe's kernel address and scause.  tramp_return() does the reverse.
 * System call SYS_null (a7 = 0) is answered before satp changes.
 * A trap from kernel mode goes on to kernel_entry_parked in trapentry.S.
 */
#include "sched/trapframe.h"
#include "vm/kernel_layout.h"
#include "lib/riscv.h"

	.section .text.trampoline, "ax"
	.balign 4096
	.globl trampoline
trampoline:
	csrrw	sp, sscratch, sp
	beqz	sp, .Lfrom_kernel

	/* From user: sp = TRAPFRAME, sscratch = user sp. */
	sd	t0, TF_T0(sp)
	csrr	t0, scause
	addi	t0, t0, -EXC_ECALL_U
	bnez	t0, .Lsave
	bnez	a7, .Lsave
	csrr	t0, sepc
	addi	t0, t0, 4
	csrw	sepc, t0
	li	a0, 0
	ld	t0, TF_T0(sp)
	csrrw	sp, sscratch, sp
	sret

.Lsave:
	sd	x1, TF_REG(1)(sp)
	.irp n, 3,4,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	sd	x\n, TF_REG(\n)(sp)
	.endr
	addi	a1, t0, EXC_ECALL_U     /* scause, for user_trap */
	csrrw	t0, sscratch, zero
	sd	t0, TF_SP(sp)
	csrr	t0, sepc
	sd	t0, TF_EPC(sp)
	ld	tp, TF_KCPU(sp)
	ld	t0, TF_KSATP(sp)
	ld	t1, TF_KTRAP(sp)
	ld	a0, TF_KTF(sp)
	ld	sp, TF_KSP(sp)
	csrw	satp, t0
	sfence.vma zero, zero
	li	s0, 0                   /* ends the frame-pointer chain */
	jr	t1                      /* user_trap(tf, scause): it does not come back */

	/* From the kernel: restore sp, park t0 in sscratch, leave the alias. */
.Lfrom_kernel:
	csrrw	sp, sscratch, sp
	csrw	sscratch, t0
	ld	t0, .Lkernel_entry
	jr	t0

/*
 * void tramp_return(uint64 user_satp), called at its TRAMPOLINE alias:
 * switch to the user's table, load the user registers from TRAPFRAME and
 * sret.  The caller has set sscratch (= TRAPFRAME), sepc and sstatus.
 */
	.globl tramp_return
tramp_return:
	csrw	satp, a0
	sfence.vma zero, zero
	csrr	sp, sscratch
	ld	x1, TF_REG(1)(sp)
	.irp n, 3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	ld	x\n, TF_REG(\n)(sp)
	.endr
	ld	sp, TF_SP(sp)
	sret

	.balign 8
.Lkernel_entry:
	.dword	kernel_entry_parked

	.balign 4096            /* nothing else shares the page */

/*
 * Kernel entry, running at the physical load address with paging off.
 *
 * The boot hart builds a throw-away root table (the whole direct map and
 * the gigabyte holding the image at its link address), turns paging on and lands at the high address: stvec points at the
 * high alias of the next instruction, so the first fetch after the satp
 * write faults straight there.  No identity mapping is ever needed.
 * kvm_init() later replaces this table with the real one.
 */
#include "vm/kernel_layout.h"
#include "lib/riscv.h"

#define EARLY_RW  0xe7      /* V R W G A D */
#define PARK_MAX_HARTS 64
#define EARLY_RWX 0xef      /* V R W X G A D */

	.section .text.entry
	.globl _start
_start:
	/* a0 = hart id, a1 = device tree (physical); keep both */
	csrw	sie, zero

	/*
	 * Only the first hart here boots.  OpenSBI v1.1 has been seen to
	 * release a second hart at this address instead of the HSM start
	 * address; such a hart parks until the boot hart hands it its
	 * struct cpu through park_mailbox[hartid] (see start_secondaries).
	 */
	la	t0, boot_claimed
	li	t1, 1
	amoswap.w t1, t1, (t0)
	beqz	t1, claimed
	li	t1, PARK_MAX_HARTS
	bgeu	a0, t1, 7f
	la	t0, park_mailbox
	slli	t1, a0, 3
	add	t0, t0, t1
6:	ld	a1, 0(t0)
	bnez	a1, secondary_entry
	j	6b
7:	wfi
	j	7b

claimed:
	la	t0, early_root

	/* root entries 256..319: pa 0..64 GiB (DIRECT_MAP_SIZE) at PAGE_OFFSET, 1 GiB leaves */
	li	t1, 0
	li	t2, DIRECT_MAP_SIZE >> 30
	li	t3, EARLY_RW
	li	t4, 256 * 8
	add	t4, t0, t4
1:	slli	t5, t1, 28              /* PTE of gigabyte k: (k << 18) << 10 */
	or	t5, t5, t3
	sd	t5, 0(t4)
	addi	t4, t4, 8
	addi	t1, t1, 1
	blt	t1, t2, 1b

	/* the gigabyte holding the image, at its link address */
	la	t1, _start
	srli	t1, t1, 30
	slli	t5, t1, 28
	ori	t5, t5, EARLY_RWX
	la	t1, _start
	li	t2, KIMAGE_OFFSET
	add	t1, t1, t2
	srli	t1, t1, 30
	andi	t1, t1, 511
	slli	t1, t1, 3
	add	t1, t0, t1
	sd	t5, 0(t1)

	srli	t0, t0, 12
	li	t1, SATP_SV39
	or	t0, t0, t1
	la	t1, 2f
	li	t2, KIMAGE_OFFSET
	add	t1, t1, t2
	csrw	stvec, t1
	sfence.vma
	csrw	satp, t0
	.balign 4
2:	sfence.vma

	/* now at the link address */
	la	sp, boot_stack_top
	la	t0, __bss_start
	la	t1, __bss_end
3:	bgeu	t0, t1, 4f
	sd	zero, 0(t0)
	addi	t0, t0, 8
	j	3b
4:	li	s0, 0
	call	kmain
	unimp

/*
 * Secondary harts, started through SBI HSM at this physical address with
 * a0 = hart id, a1 = physical address of their struct cpu, whose first two
 * words hold the satp value and the stack to use.
 */
	.globl secondary_entry
	.balign 4
secondary_entry:
	csrw	sie, zero
	ld	t0, 0(a1)
	ld	sp, 8(a1)
	la	t1, 5f
	li	t2, KIMAGE_OFFSET
	add	t1, t1, t2
	csrw	stvec, t1
	sfence.vma
	csrw	satp, t0
	.balign 4
5:	sfence.vma
	li	t2, KIMAGE_OFFSET
	add	tp, a1, t2
	li	s0, 0
	call	secondary_main
	unimp

/* void run_on_stack(uint64 sp, void (*fn)(void)): never returns. */
	.text
	.globl run_on_stack
	.balign 4
run_on_stack:
	mv	sp, a0
	li	s0, 0
	jr	a1

	.section .data
	.balign 4096
early_root:
	.space 4096
boot_claimed:
	.word 0
	.balign 8
	.globl park_mailbox
park_mailbox:
	.space 8 * PARK_MAX_HARTS

	.section .bss.stack, "aw", @nobits
	.balign KSTACK_SLOT
boot_stack:
	.space KSTACK_SLOT
	.globl boot_stack_top
boot_stack_top:

/*
 * The only kernel instructions that touch user memory.  Each such load or
 * store is listed in __ex_table with its function's fault exit, which
 * returns -1.  The callers in uaccess_direct.c set sstatus.SUM around them.
 */

/* An instruction that may fault, and where to go if it does. */
.macro EX insn:req, fixup:req, ops:vararg
99:	\insn \ops
	.pushsection __ex_table, "a"
	.balign 8
	.dword 99b, \fixup
	.popsection
.endm

	.text

/*
 * long __user_copy(void *dst, const void *src, size_t n)
 * memcpy for ranges where either side may be user memory: words when the
 * two share alignment, bytes otherwise.  Returns 0, or -1 after a fault.
 */
	.globl __user_copy
	.balign 4
__user_copy:
	xor	t0, a0, a1
	andi	t0, t0, 7
	bnez	t0, .Lcopy_bytes
.Lcopy_align:
	andi	t0, a0, 7
	beqz	t0, .Lcopy_words
	beqz	a2, .Lcopy_done
	EX	lbu, .Lcopy_fault, t1, 0(a1)
	EX	sb, .Lcopy_fault, t1, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	.Lcopy_align
.Lcopy_words:
	li	t2, 32
.Lcopy_block:
	bltu	a2, t2, .Lcopy_word
	EX	ld, .Lcopy_fault, t3, 0(a1)
	EX	ld, .Lcopy_fault, t4, 8(a1)
	EX	ld, .Lcopy_fault, t5, 16(a1)
	EX	ld, .Lcopy_fault, t6, 24(a1)
	EX	sd, .Lcopy_fault, t3, 0(a0)
	EX	sd, .Lcopy_fault, t4, 8(a0)
	EX	sd, .Lcopy_fault, t5, 16(a0)
	EX	sd, .Lcopy_fault, t6, 24(a0)
	addi	a0, a0, 32
	addi	a1, a1, 32
	addi	a2, a2, -32
	j	.Lcopy_block
.Lcopy_word:
	li	t2, 8
.Lcopy_word_loop:
	bltu	a2, t2, .Lcopy_bytes
	EX	ld, .Lcopy_fault, t3, 0(a1)
	EX	sd, .Lcopy_fault, t3, 0(a0)
	addi	a0, a0, 8
	addi	a1, a1, 8
	addi	a2, a2, -8
	j	.Lcopy_word_loop
.Lcopy_bytes:
	beqz	a2, .Lcopy_done
	EX	lbu, .Lcopy_fault, t1, 0(a1)
	EX	sb, .Lcopy_fault, t1, 0(a0)
	addi	a0, a0, 1
	addi	a1, a1, 1
	addi	a2, a2, -1
	j	.Lcopy_bytes
.Lcopy_done:
	li	a0, 0
	ret
.Lcopy_fault:
	li	a0, -1
	ret

/*
 * long __user_strncpy(char *dst, const char *usrc, size_t max)
 * Copy bytes up to and including a NUL, at most max of them.  Returns the
 * string's length if the NUL came within max bytes, max if it did not,
 * -1 after a fault.
 */
	.globl __user_strncpy
	.balign 4
__user_strncpy:
	li	t0, 0
.Lstr_loop:
	beq	t0, a2, .Lstr_full
	add	t1, a1, t0
	EX	lbu, .Lstr_fault, t2, 0(t1)
	add	t3, a0, t0
	sb	t2, 0(t3)
	beqz	t2, .Lstr_found
	addi	t0, t0, 1
	j	.Lstr_loop
.Lstr_found:
	mv	a0, t0
	ret
.Lstr_full:
	mv	a0, a2
	ret
.Lstr_fault:
	li	a0, -1
	ret

/*
 * long probe_read(uint64 addr): load 8 bytes, return 0; -1 if it faults.
 * For self-tests that check a mapping is (or is not) there.
 */
	.globl probe_read
	.balign 4
probe_read:
	EX	ld, .Lprobe_fault, t0, 0(a0)
	li	a0, 0
	ret
.Lprobe_fault:
	li	a0, -1
	ret

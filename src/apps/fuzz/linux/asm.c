/*
 * What must be assembly (besides the ecall, ../draw.c's): clone (whose child
 * must not return into C code that expects the parent's stack), a
 * rt_sigreturn whose frame the fuzzer forged, and the signal handlers.
 * Addresses are loaded without linker relaxation: a forged frame may give
 * gp any value, and the landing must find its saved registers anyway.
 */
#include <asm/unistd.h>
#include <stddef.h>
#include <ucontext.h>
#include "lfuzz.h"

#define STR(x) #x
#define XSTR(x) STR(x)

_Static_assert(offsetof(struct call, a) == 8, "asm below: the arguments follow nr");
_Static_assert(offsetof(ucontext_t, uc_sigmask) == 40, "asm below: handler_mask");

long
sys6(long nr, long x0, long x1, long x2, long x3, long x4, long x5)
{
	struct call c = { .nr = (uint64_t)nr, .a = { x0, x1, x2, x3, x4, x5 } };

	return fuzz_ecall(&c);
}

/* Saved by forged_sigreturn, restored at the landing: ra sp gp tp s0-s11 fs0-fs11 fcsr */
uint64_t landing_regs[4 + 12 + 12 + 1];

asm(".text\n"
    ".option push\n"
    ".option norelax\n"

    /* long clone_call(const struct call *c): in the child, on to clone_kid */
    ".globl clone_call\n"
    ".balign 4\n"
    "clone_call:\n"
    "	mv t0, a0\n"
    "	ld a7, 0(t0)\n"
    "	ld a0, 8(t0)\n"
    "	ld a1, 16(t0)\n"
    "	ld a2, 24(t0)\n"
    "	ld a3, 32(t0)\n"
    "	ld a4, 40(t0)\n"
    "	ld a5, 48(t0)\n"
    "	ecall\n"
    "	beqz a0, 1f\n"
    "	ret\n"
    "1:	j clone_kid\n"

    /* long forged_sigreturn(uint64_t frame) */
    ".globl forged_sigreturn\n"
    ".balign 4\n"
    "forged_sigreturn:\n"
    "	lla t0, landing_regs\n"
    "	sd ra, 0(t0)\n"
    "	sd sp, 8(t0)\n"
    "	sd gp, 16(t0)\n"
    "	sd tp, 24(t0)\n"
    "	sd s0, 32(t0)\n	sd s1, 40(t0)\n	sd s2, 48(t0)\n	sd s3, 56(t0)\n"
    "	sd s4, 64(t0)\n	sd s5, 72(t0)\n	sd s6, 80(t0)\n	sd s7, 88(t0)\n"
    "	sd s8, 96(t0)\n	sd s9, 104(t0)\n	sd s10, 112(t0)\n	sd s11, 120(t0)\n"
    "	fsd fs0, 128(t0)\n	fsd fs1, 136(t0)\n	fsd fs2, 144(t0)\n	fsd fs3, 152(t0)\n"
    "	fsd fs4, 160(t0)\n	fsd fs5, 168(t0)\n	fsd fs6, 176(t0)\n	fsd fs7, 184(t0)\n"
    "	fsd fs8, 192(t0)\n	fsd fs9, 200(t0)\n	fsd fs10, 208(t0)\n	fsd fs11, 216(t0)\n"
    "	frcsr t1\n"
    "	sd t1, 224(t0)\n"
    "	mv sp, a0\n"
    "	li a7, " XSTR(__NR_rt_sigreturn) "\n"
    "	ecall\n"
    /* a frame's pc brings the process here; so does a call that returned */
    ".globl sigreturn_landing\n"
    "sigreturn_landing:\n"
    "	lla t0, landing_regs\n"
    "	ld ra, 0(t0)\n"
    "	ld sp, 8(t0)\n"
    "	ld gp, 16(t0)\n"
    "	ld tp, 24(t0)\n"
    "	ld s0, 32(t0)\n	ld s1, 40(t0)\n	ld s2, 48(t0)\n	ld s3, 56(t0)\n"
    "	ld s4, 64(t0)\n	ld s5, 72(t0)\n	ld s6, 80(t0)\n	ld s7, 88(t0)\n"
    "	ld s8, 96(t0)\n	ld s9, 104(t0)\n	ld s10, 112(t0)\n	ld s11, 120(t0)\n"
    "	fld fs0, 128(t0)\n	fld fs1, 136(t0)\n	fld fs2, 144(t0)\n	fld fs3, 152(t0)\n"
    "	fld fs4, 160(t0)\n	fld fs5, 168(t0)\n	fld fs6, 176(t0)\n	fld fs7, 184(t0)\n"
    "	fld fs8, 192(t0)\n	fld fs9, 200(t0)\n	fld fs10, 208(t0)\n	fld fs11, 216(t0)\n"
    "	ld t1, 224(t0)\n"
    "	fscsr t1\n"
    "	ret\n"

    /* handlers: return at once (through the vDSO's rt_sigreturn, in ra) */
    ".globl handler_ret\n"
    ".balign 4\n"
    "handler_ret:\n"
    "	ret\n"
    /* ... or first block every signal in the frame's mask, which rt_sigreturn restores */
    ".globl handler_mask\n"
    ".balign 4\n"
    "handler_mask:\n"
    "	li t0, -1\n"
    "	sd t0, 40(a2)\n"
    "	ret\n"
    ".option pop\n");

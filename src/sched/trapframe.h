/*
 * Register frames saved by the trap entry (trapentry.S).
 *
 * struct trapframe: a process's user registers, at the top of its kernel
 * stack (with KPTI: in a page of its own, mapped at TRAPFRAME in the
 * process's table).  While the process runs in user mode, the hart's
 * cpu->user_tf points at it (with KPTI, sscratch holds TRAPFRAME).
 * struct kframe: what a trap taken in the kernel saves on the current
 * kernel stack (caller-saved registers; C saves the rest).
 */
#ifndef SCHED_TRAPFRAME_H
#define SCHED_TRAPFRAME_H

/* Offsets for the assembly: register xN is at (N-1)*8. */
#define TF_REG(n)     (((n) - 1) * 8)
#define TF_SP         TF_REG(2)
#define TF_T0         TF_REG(5)
#define TF_EPC        248
#define TF_KCPU       256
#define TF_KSATP      264
#define TF_KSP        272
#define TF_KTRAP      280
#define TF_KTF        288
#define TF_SIZE       304

/* Fields of struct cpu (sched/cpu.h) the trap entry uses. */
#define CPU_TRAP_SCRATCH 16
#define CPU_USER_TF      24

#define KF_RA         0
#define KF_T0         8
#define KF_T1         16
#define KF_T2         24
#define KF_A(n)       (32 + (n) * 8)
#define KF_T3         96
#define KF_T4         104
#define KF_T5         112
#define KF_T6         120
#define KF_EPC        128
#define KF_STATUS     136
#define KF_SIZE       144

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct trapframe {
	uint64 ra, sp, gp, tp, t0, t1, t2, s0, s1;
	uint64 a0, a1, a2, a3, a4, a5, a6, a7;
	uint64 s2, s3, s4, s5, s6, s7, s8, s9, s10, s11;
	uint64 t3, t4, t5, t6;
	uint64 epc;             /* user pc to resume at */
	/* KPTI only: what the trampoline needs to reach the kernel */
	uint64 kcpu;            /* kernel tp (struct cpu *) for the next entry */
	uint64 ksatp;           /* the kernel's satp */
	uint64 ksp;             /* top of the process's kernel stack */
	uint64 ktrap;           /* user_trap() */
	uint64 ktf;             /* this trapframe's kernel (direct-map) address */
	uint64 pad;
};

struct kframe {
	uint64 ra, t0, t1, t2;
	uint64 a[8];
	uint64 t3, t4, t5, t6;
	uint64 epc;
	uint64 status;
};

STATIC_ASSERT(__builtin_offsetof(struct trapframe, t0) == TF_T0);
STATIC_ASSERT(__builtin_offsetof(struct trapframe, t6) == TF_REG(31));
STATIC_ASSERT(__builtin_offsetof(struct trapframe, epc) == TF_EPC);
STATIC_ASSERT(__builtin_offsetof(struct trapframe, kcpu) == TF_KCPU);
STATIC_ASSERT(__builtin_offsetof(struct trapframe, ksatp) == TF_KSATP);
STATIC_ASSERT(__builtin_offsetof(struct trapframe, ktf) == TF_KTF);
STATIC_ASSERT(sizeof(struct trapframe) == TF_SIZE);
STATIC_ASSERT(__builtin_offsetof(struct kframe, t3) == KF_T3);
STATIC_ASSERT(__builtin_offsetof(struct kframe, epc) == KF_EPC);
STATIC_ASSERT(sizeof(struct kframe) == KF_SIZE);
#endif

#endif

/*
 * User floating point.  The kernel itself never uses the FP registers
 * (it is built without F and D), so they hold the user's values while the
 * kernel runs on the user's behalf; they are saved only when the hart
 * switches away from a process that uses them, and loaded again before
 * that process next returns to user mode.
 *
 * Rules:
 *  - a process uses FP if its program does (p->fpu_on: Linux images,
 *    built for RV64GC; Canopy's own programs are built without FP and
 *    run with sstatus.FS Off, so an FP instruction faults);
 *  - cpu->fpu_owner is the process whose values are in this hart's FP
 *    registers; it is set only while that process runs here, and cleared
 *    by fpu_switch_out() before the hart switches to another thread, so a
 *    process that moves to another hart always reloads there;
 *  - *p->fpu is current whenever p is not its hart's fpu_owner;
 *    fpu_sync() makes it current for a reader (fork, signal frames).
 */
#ifndef SCHED_FPU_H
#define SCHED_FPU_H

#define FPU_F(n)        ((n) * 8)
#define FPU_FCSR        256

#ifndef __ASSEMBLER__
#include "lib/types.h"

struct fpstate {
	uint64 f[32];
	uint32 fcsr;
	uint32 pad;
	uint64 pad16;           /* keeps the stack slot's frames 16-byte aligned */
};
STATIC_ASSERT(__builtin_offsetof(struct fpstate, fcsr) == FPU_FCSR);

struct proc;

void fpu_save(struct fpstate *st);              /* fpu_regs.S; sstatus.FS must be on */
void fpu_restore(const struct fpstate *st);

void fpu_switch_out(struct proc *p);
uint64 fpu_prepare_return(struct proc *p);      /* the sstatus.FS bits to return with */
void fpu_sync(struct proc *p);
void fpu_reset(struct proc *p, bool on);
void fpu_reload(struct proc *p);
#endif

#endif

/*
 * Per-hart state.  In the kernel, register tp always holds this hart's
 * struct cpu: the trap entry loads it (from sscratch, or with KPTI from
 * the trapframe) on every entry from user mode, and swtch() leaves tp alone, so a kernel thread that
 * migrates sees its new hart's struct.  Read it with interrupts off.
 */
#ifndef SCHED_CPU_H
#define SCHED_CPU_H

#include "lib/types.h"
#include "lib/riscv.h"

struct trapframe;

#include <canopy/param.h>   /* NCPU */

/* Callee-saved registers, saved by swtch(). */
struct context {
	uint64 ra;
	uint64 sp;
	uint64 s[12];
};

struct cpu {
	/* read by the secondary-hart entry before paging is on: keep first */
	uint64 boot_satp;
	uint64 boot_sp;
	/* used by the trap entry (trapentry.S), at fixed offsets: keep third, fourth */
	uint64 trap_scratch;            /* a register parked while the entry starts */
	struct trapframe *user_tf;      /* in user mode: where the entry saves; 0 in the kernel */

	int id;                 /* index in cpus[] */
	int hartid;             /* RISC-V hart id */
	struct proc *proc;      /* process running here, or NULL */
	struct context context; /* the scheduler's, for swtch() */
	int noff;               /* depth of push_off() nesting */
	bool intena;            /* were interrupts on before push_off()? */
	volatile bool idle;     /* waiting in wfi for work */
	pagetable_t loaded_root; /* the table in satp; we hold a reference */
	bool tlb_stale;         /* loaded_root lost permissions elsewhere: flush (vm/tlb.c) */
	struct proc *fpu_owner; /* whose values the FP registers hold (sched/fpu.h) */

	/* event counters, summed by sysinfo() */
	uint64 n_satp_writes;
	uint64 n_sfences;
	uint64 n_page_faults;
	uint64 n_cow_copies;
	uint64 n_superpages;            /* superpages mapped by faults */
	uint64 n_traps_in_copy;         /* kernel traps that interrupted a SUM window */
	uint64 n_sum_in_trap;           /* ... whose handler still had SUM on (a bug) */
};

extern struct cpu cpus[NCPU];
extern int ncpu;

static inline struct cpu *
mycpu(void)
{
	return (struct cpu *)r_tp();
}

/*
 * Bump one of this hart's event counters (struct cpu, summed by sysinfo),
 * with interrupts off so the thread cannot move to another hart midway.
 * The caller includes sync/spinlock.h (push_off).
 */
#define CPU_COUNT(field) do { push_off(); mycpu()->field++; pop_off(); } while (0)

/* The hart id, for messages; safe with interrupts on (may be stale). */
static inline int
cpu_hartid(void)
{
	return mycpu()->hartid;
}

#endif

/*
 * Per-hart state.  In the kernel, register tp always holds this hart's
 * struct cpu: the trap entry loads it from the trapframe on every entry
 * from user mode, and swtch() leaves tp alone, so a kernel thread that
 * migrates sees its new hart's struct.  Read it with interrupts off.
 */
#ifndef SCHED_CPU_H
#define SCHED_CPU_H

#include "lib/types.h"
#include "lib/riscv.h"

#define NCPU 8

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

	int id;                 /* index in cpus[] */
	int hartid;             /* RISC-V hart id */
	struct proc *proc;      /* process running here, or NULL */
	struct context context; /* the scheduler's, for swtch() */
	int noff;               /* depth of push_off() nesting */
	bool intena;            /* were interrupts on before push_off()? */
	volatile bool idle;     /* waiting in wfi for work */
	pagetable_t loaded_root; /* the table in satp; we hold a reference */
	bool tlb_stale;         /* loaded_root lost permissions elsewhere: flush (vm/tlb.c) */

	/* event counters, summed by sysinfo() */
	uint64 n_satp_writes;
	uint64 n_sfences;
	uint64 n_page_faults;
	uint64 n_cow_copies;
};

extern struct cpu cpus[NCPU];
extern int ncpu;

static inline struct cpu *
mycpu(void)
{
	return (struct cpu *)r_tp();
}

/* The hart id, for messages; safe with interrupts on (may be stale). */
static inline int
cpu_hartid(void)
{
	return mycpu()->hartid;
}

#endif

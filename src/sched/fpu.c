/* User floating point: the rules are in sched/fpu.h. */
#include "sched/fpu.h"
#include "sched/proc.h"
#include "sync/spinlock.h"
#include "lib/riscv.h"
#include "lib/string.h"

#define SSTATUS_FS_CLEAN (_UL(2) << 13)

/* Before p's kernel thread leaves this hart (sched): keep p's values. */
void
fpu_switch_out(struct proc *p)
{
	struct cpu *c = mycpu();

	if (c->fpu_owner != p)
		return;
	csr_set(sstatus, SSTATUS_FS_CLEAN);
	fpu_save(p->fpu);
	csr_clear(sstatus, SSTATUS_FS);
	c->fpu_owner = NULL;
}

/*
 * On the way back to user mode of p, which uses FP, interrupts off: load
 * p's values if this hart does not hold them.  Returns the sstatus.FS
 * bits p runs with.
 */
uint64
fpu_prepare_return(struct proc *p)
{
	struct cpu *c = mycpu();

	if (c->fpu_owner != p) {
		csr_set(sstatus, SSTATUS_FS_CLEAN);
		fpu_restore(p->fpu);
		c->fpu_owner = p;
	}
	return SSTATUS_FS_CLEAN;
}

/* Make *p->fpu current (p is the running process). */
void
fpu_sync(struct proc *p)
{
	push_off();
	if (mycpu()->fpu_owner == p) {
		csr_set(sstatus, SSTATUS_FS_CLEAN);
		fpu_save(p->fpu);
	}
	pop_off();
}

/* *p->fpu was changed (rt_sigreturn): the hart loads it before p returns to user mode. */
void
fpu_reload(struct proc *p)
{
	push_off();
	if (mycpu()->fpu_owner == p)
		mycpu()->fpu_owner = NULL;
	pop_off();
}

/* A new program (exec): zeroed registers, FP on or off. */
void
fpu_reset(struct proc *p, bool on)
{
	fpu_reload(p);
	memset(p->fpu, 0, sizeof(*p->fpu));
	p->fpu_on = on;
}

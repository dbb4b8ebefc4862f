/* Spinlocks and the per-hart interrupt-disable nesting they rely on. */
#include "sched/spinlock.h"
#include "sched/cpu.h"
#include "lib/riscv.h"
#include "lib/printf.h"

void
spin_init(struct spinlock *lk, const char *name)
{
	lk->locked = 0;
	lk->name = name;
	lk->owner = NULL;
}

void
spin_lock(struct spinlock *lk)
{
	push_off();
	if (spin_holding(lk))
		panic("spin_lock: %s already held by this hart", lk->name);
	while (__atomic_exchange_n(&lk->locked, 1, __ATOMIC_ACQUIRE))
		;
	lk->owner = mycpu();
}

void
spin_unlock(struct spinlock *lk)
{
	if (!spin_holding(lk))
		panic("spin_unlock: %s not held", lk->name);
	lk->owner = NULL;
	__atomic_store_n(&lk->locked, 0, __ATOMIC_RELEASE);
	pop_off();
}

/* Interrupts must be off. */
bool
spin_holding(struct spinlock *lk)
{
	return lk->locked && lk->owner == mycpu();
}

/*
 * Like intr_off(), but nests: it takes as many pop_off()s to undo.  One CSR
 * access each way (csrrc reads and clears SIE at once): every CSR access
 * ends a QEMU translation block, and a lock costs a pair of these.
 */
void
push_off(void)
{
	bool was_on = (csr_read_clear(sstatus, SSTATUS_SIE) & SSTATUS_SIE) != 0;
	struct cpu *c = mycpu();

	if (c->noff == 0)
		c->intena = was_on;
	c->noff++;
}

void
pop_off(void)
{
	struct cpu *c = mycpu();

#ifdef DEBUG
	if (intr_get())
		panic("pop_off: interrupts on");
#endif
	if (c->noff < 1)
		panic("pop_off: unbalanced");
	c->noff--;
	if (c->noff == 0 && c->intena)
		intr_on();
}

/*
 * Spinlocks and the per-hart interrupt-disable nesting they rely on.
 *
 * Invariants: a lock is held by at most one hart (owner), and is
 * released by the hart that took it; a hart never takes a lock it holds;
 * while a hart holds any spinlock its interrupts are off (push_off).
 * Nothing may sleep while holding a spinlock, except sleep() itself with
 * the one lock it is handed.
 *
 * Every build catches a double acquire and a release by a hart that does
 * not hold the lock.  A DEBUG build also keeps the list of locks each hart
 * holds and checks, wherever a thread may sleep (sleep(), taking a sleep
 * lock, sched()), that it holds none it should not and that interrupts
 * are on; the panic names the lock.
 */
#include "sync/spinlock.h"
#include "sched/cpu.h"
#include "lib/riscv.h"
#include "debug/kprintf.h"

#ifdef DEBUG
#define HELD_MAX (NCPU + 8)     /* spinlocks one hart may hold at once (kalloc_check: all) */

static struct held {
	struct spinlock *lock[HELD_MAX];
	int n;
} held[NCPU];

/* Interrupts are off (the lock is held). */
static void
note_acquired(struct spinlock *lk)
{
	struct held *h = &held[mycpu()->id];

	if (h->n == HELD_MAX)
		panic("spin_lock: %s: hart %d holds %d spinlocks already", lk->name,
		      mycpu()->hartid, h->n);
	h->lock[h->n++] = lk;
}

static void
note_released(struct spinlock *lk)
{
	struct held *h = &held[mycpu()->id];

	for (int i = h->n - 1; i >= 0; i--) {
		if (h->lock[i] == lk) {
			h->lock[i] = h->lock[--h->n];
			return;
		}
	}
	panic("spin_unlock: %s is not on hart %d's list of held locks", lk->name,
	      mycpu()->hartid);
}

/* who (a function) requires lk held by this hart. */
void
lock_assert_held(const struct spinlock *lk, const char *who)
{
	push_off();
	bool held = spin_holding((struct spinlock *)lk);
	pop_off();
	if (!held)
		panic("%s: requires spinlock %s held, and this hart does not hold it", who, lk->name);
}

/*
 * The caller (who, for the message) is about to do something that may
 * sleep: panic if this hart holds any spinlock other than allowed, or
 * interrupts are off (beyond what holding allowed implies).
 */
void
lock_check_may_sleep(const char *who, const struct spinlock *allowed)
{
	push_off();
	struct cpu *c = mycpu();
	struct held *h = &held[c->id];

	for (int i = 0; i < h->n; i++)
		if (h->lock[i] != allowed)
			panic("%s may sleep, but hart %d holds spinlock %s", who, c->hartid,
			      h->lock[i]->name);
	if (c->noff != 1 + (allowed != NULL))
		panic("%s may sleep, but interrupts are off (push_off depth %d)", who,
		      c->noff - 1 - (allowed != NULL));
	if (!allowed && !c->intena)
		panic("%s may sleep, but interrupts are off", who);
	pop_off();
}
#else
static void
note_acquired(struct spinlock *lk)
{
	(void)lk;
}

static void
note_released(struct spinlock *lk)
{
	(void)lk;
}
#endif

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
	note_acquired(lk);
}

void
spin_unlock(struct spinlock *lk)
{
	if (!spin_holding(lk)) {
		struct cpu *owner = __atomic_load_n(&lk->owner, __ATOMIC_RELAXED);
		if (__atomic_load_n(&lk->locked, __ATOMIC_RELAXED) && owner)
			panic("spin_unlock: %s is held by hart %d, not by this one (hart %d)",
			      lk->name, owner->hartid, mycpu()->hartid);
		panic("spin_unlock: %s not held", lk->name);
	}
	note_released(lk);
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

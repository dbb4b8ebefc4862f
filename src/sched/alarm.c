/*
 * sigalarm(ticks, handler) and sigreturn(), the xv6 traps lab's periodic
 * alarm.  After every `ticks` timer ticks of CPU time the process has
 * used (counted on whichever hart runs it, in user mode or in the kernel
 * on its behalf), the next return to user mode enters the handler instead
 * of the interrupted code, with the interrupted registers saved.  The
 * handler ends with sigreturn(), which puts every register back exactly
 * (a0 included: sigreturn returns the saved a0) and resumes.
 *
 * The handler is never entered again while it runs, and the ticks it
 * uses do not count towards the next call.  sigalarm(0, 0) stops the alarm.  A child starts without
 * one, and exec drops it (the handler's address means nothing in the new
 * program).  The handler runs on the interrupted stack, like any call.
 */
#include "sched/alarm.h"
#include "sched/proc.h"
#include "sched/syscall.h"

/* The user registers of a trapframe (not the KPTI fields after epc). */
static void
copy_user_regs(struct trapframe *to, const struct trapframe *from)
{
	uint64 *t = (uint64 *)to;
	const uint64 *f = (const uint64 *)from;

	for (unsigned i = 0; i <= __builtin_offsetof(struct trapframe, epc) / 8; i++)
		t[i] = f[i];
}

/*
 * A timer tick found p running (its own thread, interrupts off).  Time in
 * the handler does not count: a handler slower than the interval must not
 * keep the program itself from ever running again.
 */
void
alarm_tick(struct proc *p)
{
	if (p->alarm.interval && !p->alarm.running)
		p->alarm.elapsed++;
}

/* The alarm is due (alarm_deliver): enter the handler on the way out. */
void
alarm_enter(struct alarm *a, struct trapframe *tf)
{
	a->elapsed = 0;
	a->running = true;
	copy_user_regs(a->saved, tf);
	tf->epc = a->handler;
}

void
alarm_clear(struct proc *p)
{
	p->alarm.interval = 0;
	p->alarm.handler = 0;
	p->alarm.elapsed = 0;
	p->alarm.running = false;
}

/*
 * sigalarm(ticks, handler): 0, or -1 if ticks is negative or the handler
 * is not a user address.  ticks 0 stops the alarm.
 */
long
sys_sigalarm(void)
{
	struct proc *p = myproc();
	long ticks = arg_int(0);
	uint64 handler = arg_addr(1);

	if (ticks < 0 || (ticks > 0 && handler >= USER_TOP))
		return -1;
	p->alarm.interval = (uint64)ticks;
	p->alarm.handler = ticks ? handler : 0;
	p->alarm.elapsed = 0;
	return 0;
}

/* sigreturn(): back to the interrupted code; -1 if not in the handler. */
long
sys_sigreturn(void)
{
	struct proc *p = myproc();

	if (!p->alarm.running)
		return -1;
	copy_user_regs(p->tf, p->alarm.saved);
	p->alarm.running = false;
	return (long)p->tf->a0;     /* the dispatcher stores it back in a0 */
}

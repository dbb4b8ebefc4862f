/*
 * Signals: sending, delivering, the handler's frame and its return.  The
 * rules are in sched/signal.h; the system calls are in linux/signal.c.
 *
 * The frame a handler runs on is Linux's riscv rt_sigframe: a siginfo,
 * then a ucontext whose mcontext holds every user register (pc first)
 * and the FP state; the handler returns to the vDSO's __vdso_rt_sigreturn, whose
 * rt_sigreturn restores that frame.  rt_sigreturn trusts nothing in it:
 * it only sets user registers (a bad pc or sp faults in user mode, where
 * sret always goes: user_return writes sstatus itself) and the signal
 * mask (never SIGKILL or SIGSTOP blocked).
 */
#include "sched/signal.h"
#include "sched/fpu.h"
#include "sched/proc.h"
#include "sched/trapframe.h"
#include "vm/kalloc.h"
#include "vm/uaccess.h"
#include "debug/kprintf.h"
#include "lib/errno.h"
#include "lib/string.h"
#include <asm/siginfo.h>
#include <asm/sigcontext.h>
#include <asm/ucontext.h>
#include <asm/unistd.h>
#include <canopy/layout.h>
#include "vdso_offsets.h"     /* generated: build/vdso */

STATIC_ASSERT(__NR_rt_sigreturn == 139);        /* vdso/sigreturn.S */
STATIC_ASSERT(sizeof(struct sigpage) <= PGSIZE);
/* the trapframe's registers ra..t6 are user_regs_struct's after pc, in order */
STATIC_ASSERT(__builtin_offsetof(struct trapframe, t6) ==
	      __builtin_offsetof(struct user_regs_struct, t6) - sizeof(unsigned long));

struct rt_sigframe {
	struct siginfo info;
	struct ucontext uc;
};


static const struct sig_action default_action = { (uint64)SIG_DFL, 0, 0 };

static bool
default_ignores(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH || sig == SIGCONT;
}

static const struct sig_action *
action(struct proc *p, int sig)
{
	return p->sig ? &p->sig->act[sig] : &default_action;
}

/* Would sig, delivered now, do nothing? */
bool
signal_ignored(struct proc *p, int sig)
{
	const struct sig_action *a = action(p, sig);

	return a->handler == (uint64)SIG_IGN || (a->handler == (uint64)SIG_DFL && default_ignores(sig));
}

/*
 * Will p die of a signal already pending and unblocked (its default
 * action ends the process, and no handler is set)?  Such a signal ends a
 * wait that only a kill may end (vfork's), as on Linux.  Takes p->lock.
 */
bool
signal_fatal_pending(struct proc *p)
{
	bool fatal = false;

	spin_lock(&p->lock);
	uint64 ready = p->sig_pending & ~p->sig_blocked;
	for (int sig = 1; sig <= NSIG_LINUX && !fatal; sig++)
		fatal = (ready & SIGBIT(sig)) && action(p, sig)->handler == (uint64)SIG_DFL &&
			!default_ignores(sig) && !(SIGBIT(sig) & STOP_SIGNALS);
	spin_unlock(&p->lock);
	return fatal;
}

/* p's signal page, made at first need (all defaults); NULL if out of memory.  p's own thread. */
struct sigpage *
signal_page(struct proc *p)
{
	if (!p->sig)
		p->sig = kzalloc();
	return p->sig;
}

/*
 * Send sig to p with details d (NULL: none).  SIGKILL kills; SIGCONT
 * continues a stopped p; an ignored, unblocked signal is dropped; else
 * it becomes pending (the details of the first one pending are kept) and
 * a sleeping p is woken if the signal is not blocked.  0, or -EINVAL.
 */
int
signal_send(struct proc *p, int sig, const struct sig_detail *d)
{
	uint64 bit = SIGBIT(sig);

	if (sig < 1 || sig > NSIG_LINUX)
		return -EINVAL;
	spin_lock(&p->lock);
	if (p->state == UNUSED || p->state == ZOMBIE) {
		spin_unlock(&p->lock);
		return 0;
	}
	if (sig == SIGKILL) {
		proc_mark_killed(p, SIGKILL);
		p->stopped = false;
		spin_unlock(&p->lock);
		return 0;
	}
	if (sig == SIGCONT) {
		p->sig_pending &= ~STOP_SIGNALS;
		if (p->stopped) {
			p->stopped = false;
			p->cont_report = true;
			proc_wake_locked(p);
		}
	}
	if ((bit & STOP_SIGNALS) != 0)
		p->sig_pending &= ~SIGBIT(SIGCONT);
	if (!signal_ignored(p, sig) || (p->sig_blocked & bit)) {
		if (!(p->sig_pending & bit) && p->sig)
			p->sig->detail[sig] = d ? *d : (struct sig_detail){ SI_KERNEL, 0, 0, 0, 0 };
		__atomic_or_fetch(&p->sig_pending, bit, __ATOMIC_RELEASE);
		if (!(p->sig_blocked & bit) && !p->stopped)
			proc_wake_locked(p);
	}
	spin_unlock(&p->lock);
	return 0;
}

/* A synchronous fault's signal: pending now if p handles it (true), else p must die (false). */
bool
signal_fault(struct proc *p, int sig, int code, uint64 addr)
{
	const struct sig_action *a = action(p, sig);
	struct sig_detail d = { code, 0, 0, 0, addr };

	if (a->handler == (uint64)SIG_DFL || a->handler == (uint64)SIG_IGN ||
	    (p->sig_blocked & SIGBIT(sig)))
		return false;
	signal_send(p, sig, &d);
	return true;
}

/*
 * A stop signal's default: stop until SIGCONT or SIGKILL, telling the
 * parent.  p->stopped was set when the signal was taken (signal_deliver),
 * so that a SIGCONT sent meanwhile is not lost, and an exit that orphans
 * p's group meanwhile sees p as stopped (proc.c: hang_up_orphans).
 */
static void
stop(struct proc *p, int sig)
{
	spin_lock(&wait_lock);
	spin_lock(&p->lock);
	if (!p->stopped) {              /* continued (or killed) since */
		spin_unlock(&p->lock);
		spin_unlock(&wait_lock);
		return;
	}
	p->stop_report = sig;
	spin_unlock(&p->lock);
	if (p->parent) {
		struct sig_detail d = { CLD_STOPPED, p->pid, sig, 0, 0 };
		const struct sig_action *pa = action(p->parent, SIGCHLD);
		if (!(pa->flags & SA_NOCLDSTOP))
			signal_send(p->parent, SIGCHLD, &d);
		wakeup(p->parent);
	}
	spin_unlock(&wait_lock);
	spin_lock(&p->lock);
	while (p->stopped && !proc_killed(p))
		sleep(&p->stopped, &p->lock);
	spin_unlock(&p->lock);
}

/* The siginfo a handler of sig receives. */
static void
fill_info(struct siginfo *si, int sig, const struct sig_detail *d)
{
	memset(si, 0, sizeof(*si));
	si->si_signo = sig;
	si->si_code = d->code;
	if (sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGFPE || sig == SIGTRAP) {
		si->si_addr = (void *)d->addr;
	} else if (sig == SIGCHLD) {
		si->si_pid = d->pid;
		si->si_status = d->status;
	} else {
		si->si_pid = d->pid;
		si->si_int = d->status;         /* sigqueue's value, when it came with one */
	}
}

/*
 * Run a's handler for sig on p's way out: push the frame (on the
 * alternate stack if the action asks and p is not on it already) and
 * point the registers at the handler.  -1 if the frame cannot be written.
 */
static int
setup_frame(struct proc *p, struct trapframe *tf, int sig, struct sig_action *a,
	    const struct sig_detail *d, uint64 old_mask)
{
	struct rt_sigframe f;
	struct sigpage *s = p->sig;
	uint64 sp = tf->sp;
	bool have_alt = s && s->altstack_size && !(s->altstack_flags & SS_DISABLE);
	bool on_alt = have_alt && sp - s->altstack_sp <= s->altstack_size;

	if ((a->flags & SA_ONSTACK) && have_alt && !on_alt)
		sp = s->altstack_sp + s->altstack_size;
	sp = ROUNDDOWN(sp - sizeof(f), 16);

	memset(&f.uc, 0, sizeof(f.uc));
	fill_info(&f.info, sig, d);
	if (s) {
		f.uc.uc_stack.ss_sp = (void *)s->altstack_sp;
		f.uc.uc_stack.ss_size = s->altstack_size;
		f.uc.uc_stack.ss_flags = !have_alt ? SS_DISABLE : on_alt ? SS_ONSTACK : 0;
	} else {
		f.uc.uc_stack.ss_flags = SS_DISABLE;
	}
	memcpy(&f.uc.uc_sigmask, &old_mask, sizeof(old_mask));
	f.uc.uc_mcontext.sc_regs.pc = tf->epc;
	memcpy(&f.uc.uc_mcontext.sc_regs.ra, tf, 31 * sizeof(uint64));
	fpu_sync(p);
	memcpy(f.uc.uc_mcontext.sc_fpregs.d.f, p->fpu->f, sizeof(p->fpu->f));
	f.uc.uc_mcontext.sc_fpregs.d.fcsr = p->fpu->fcsr;
	if (copyout(sp, &f, sizeof(f)) < 0)
		return -1;

	tf->epc = a->handler;
	tf->sp = sp;
	tf->ra = LINUX_VDSO + VDSO_SIGRETURN_OFFSET;
	tf->a0 = (uint64)sig;
	tf->a1 = sp + __builtin_offsetof(struct rt_sigframe, info);
	tf->a2 = sp + __builtin_offsetof(struct rt_sigframe, uc);
	p->sig_blocked |= a->mask | ((a->flags & SA_NODEFER) ? 0 : SIGBIT(sig));
	p->sig_blocked &= ~SIG_UNBLOCKABLE;
	if (a->flags & SA_RESETHAND)
		*a = default_action;
	return 0;
}

/*
 * On p's way back to user mode (tf its registers; from_call: after a
 * system call): act on the pending, unblocked signals, in number order,
 * until one runs a handler (its frame pushed) or none is left.  A call
 * that failed with -ERESTARTSYS is made again, unless a handler without
 * SA_RESTART runs first: then it fails with -EINTR.  May not return (a
 * default action that ends p).
 */
void
signal_deliver(struct proc *p, struct trapframe *tf, bool from_call)
{
	bool restart = from_call && (tf->a0 == (uint64)-ERESTARTSYS || tf->a0 == (uint64)-ERESTARTNOHAND);
	uint64 old_mask = p->sig_restore ? p->sig_saved : p->sig_blocked;

	for (;;) {
		spin_lock(&p->lock);
		uint64 ready = p->sig_pending & ~p->sig_blocked;
		if (!ready) {
			spin_unlock(&p->lock);
			break;
		}
		int sig = 1;
		while (!(ready & SIGBIT(sig)))   /* the lowest: no ctz without libgcc's float multilib */
			sig++;
		__atomic_and_fetch(&p->sig_pending, ~SIGBIT(sig), __ATOMIC_RELAXED);
		struct sig_detail d = p->sig ? p->sig->detail[sig] : (struct sig_detail){ SI_KERNEL, 0, 0, 0, 0 };
		struct sig_action *a = p->sig ? &p->sig->act[sig] : NULL;
		uint64 handler = a ? a->handler : (uint64)SIG_DFL;
		if (handler == (uint64)SIG_DFL && (SIGBIT(sig) & STOP_SIGNALS))
			p->stopped = true;      /* from the moment it is taken: see stop() */
		spin_unlock(&p->lock);

		if (handler == (uint64)SIG_IGN || (handler == (uint64)SIG_DFL && default_ignores(sig)))
			continue;
		if (handler == (uint64)SIG_DFL) {
			if (SIGBIT(sig) & STOP_SIGNALS) {
				stop(p, sig);
				if (proc_killed(p))
					proc_exit(-1);
				continue;
			}
			p->termsig = sig;
			proc_exit(-1);
		}
		if (restart) {
			if ((a->flags & SA_RESTART) && tf->a0 == (uint64)-ERESTARTSYS) {
				tf->a0 = p->orig_a0;
				tf->epc -= 4;
			} else {
				tf->a0 = (uint64)-EINTR;
			}
			restart = false;
		}
		p->sig_restore = false;
		if (setup_frame(p, tf, sig, a, &d, old_mask) < 0) {
			kprintf("pid %d (%s): killed: no room for the frame of signal %d at sp %p\n",
				p->pid, p->name, sig, (void *)tf->sp);
			p->termsig = SIGSEGV;
			proc_exit(-1);
		}
		return;
	}
	if (restart) {
		tf->a0 = p->orig_a0;
		tf->epc -= 4;
	}
	if (p->sig_restore) {           /* rt_sigsuspend's mask, with no handler run */
		p->sig_blocked = p->sig_saved;
		p->sig_restore = false;
	}
}

/*
 * rt_sigreturn: restore the registers and mask the frame at tf->sp
 * holds.  Returns the restored a0, so the call's result leaves it as it
 * was; a frame that cannot be read kills p with SIGSEGV.
 */
long
signal_return(struct proc *p, struct trapframe *tf)
{
	struct ucontext uc;
	uint64 mask;

	if (copyin(&uc, tf->sp + __builtin_offsetof(struct rt_sigframe, uc), sizeof(uc)) < 0) {
		kprintf("pid %d (%s): killed: bad signal frame at sp %p\n", p->pid, p->name,
			(void *)tf->sp);
		p->termsig = SIGSEGV;
		proc_exit(-1);
	}
	tf->epc = uc.uc_mcontext.sc_regs.pc;
	memcpy(tf, &uc.uc_mcontext.sc_regs.ra, 31 * sizeof(uint64));
	memcpy(p->fpu->f, uc.uc_mcontext.sc_fpregs.d.f, sizeof(p->fpu->f));
	p->fpu->fcsr = uc.uc_mcontext.sc_fpregs.d.fcsr & 0xff;   /* frm and fflags only */
	fpu_reload(p);
	memcpy(&mask, &uc.uc_sigmask, sizeof(mask));
	p->sig_blocked = mask & ~SIG_UNBLOCKABLE;
	return (long)tf->a0;
}

/* fork: the child has the parent's actions, mask and alternate stack, nothing pending. */
int
signal_fork(struct proc *parent, struct proc *child)
{
	child->sig_blocked = parent->sig_blocked;
	child->sig_pending = 0;
	child->itimer_at = child->itimer_every = 0;     /* timers are not inherited */
	if (!parent->sig)
		return 0;
	if (!(child->sig = kalloc()))
		return -1;
	memcpy(child->sig, parent->sig, sizeof(*parent->sig));
	return 0;
}

/* exec: handled signals go back to their defaults (ignored ones stay ignored); no alternate stack. */
void
signal_exec(struct proc *p)
{
	if (!p->sig)
		return;
	for (int sig = 1; sig <= NSIG_LINUX; sig++)
		if (p->sig->act[sig].handler != (uint64)SIG_IGN)
			p->sig->act[sig] = default_action;
		else
			p->sig->act[sig].flags = p->sig->act[sig].mask = 0;
	p->sig->altstack_sp = p->sig->altstack_size = 0;
	p->sig->altstack_flags = SS_DISABLE;
}

/* The slot is being freed. */
void
signal_free(struct proc *p)
{
	if (p->sig)
		page_put(p->sig);
	p->sig = NULL;
	p->sig_pending = p->sig_blocked = 0;
	p->sig_restore = p->stopped = p->cont_report = false;
	p->stop_report = 0;
}

/*
 * child has exited (status, or killed by child->termsig): SIGCHLD to its
 * parent.  Caller holds wait_lock.  True if the parent does not want the
 * child as a zombie (SIGCHLD ignored, or SA_NOCLDWAIT): init reaps it.
 */
bool
signal_child_exit(struct proc *parent, struct proc *child, int status)
{
	struct sig_detail d = { child->termsig ? CLD_KILLED : CLD_EXITED, child->pid,
				child->termsig ? child->termsig : status & 0xff, 0, 0 };
	const struct sig_action *a = action(parent, SIGCHLD);

	signal_send(parent, SIGCHLD, &d);
	return a->handler == (uint64)SIG_IGN || (a->flags & SA_NOCLDWAIT);
}

/* kill(pid, sig) from sender (a pid, for the siginfo): -ESRCH if there is no such process. */
int
signal_send_pid(int pid, int sig, int sender)
{
	struct proc *p = proc_find(pid);
	struct sig_detail d = { SI_USER, sender, 0, 0, 0 };

	if (!p)
		return -ESRCH;
	return sig == 0 ? 0 : signal_send(p, sig, &d);
}

/* sig to every process of group pgid (the terminal's keys), from the kernel. */
void
signal_group(int pgid, int sig)
{
	struct sig_detail d = { SI_KERNEL, 0, 0, 0, 0 };
	int pids[NPROC], n = proc_live_pids(pids);

	for (int i = 0; i < n; i++) {
		struct proc *p = proc_find(pids[i]);
		if (p && p->pgid == pgid)
			signal_send(p, sig, &d);
	}
}

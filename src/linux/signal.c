/*
 * Linux signal calls, on the signals of sched/signal.c: actions, masks,
 * the pending set, waiting, the alternate stack, rt_sigreturn, sending
 * (kill, tgkill, tkill, rt_sigqueueinfo) and the real-time interval
 * timer behind alarm().  A sigset is one 64-bit word (sigsetsize 8).
 */
#include "linux/syscall.h"
#include "linux/uapi.h"
#include "sched/proc.h"
#include "sched/signal.h"
#include "sched/syscall.h"
#include "sched/trap.h"
#include "vm/uaccess.h"
#include "lib/string.h"

/* Linux's struct sigaction on riscv: no sa_restorer (the uapi header's, without SA_RESTORER). */
STATIC_ASSERT(sizeof(struct sigaction) == 3 * sizeof(uint64));

static bool
valid_signal(int sig)
{
	return sig >= 1 && sig <= NSIG_LINUX;
}

long
lx_rt_sigaction(void)
{
	struct proc *p = myproc();
	int sig = (int)arg_int(0);
	uint64 uact = arg_addr(1), uold = arg_addr(2);
	struct sigaction act, old;

	if (arg_addr(3) != sizeof(uint64) || !valid_signal(sig))
		return -EINVAL;
	if (uact && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (uact && copyin(&act, uact, sizeof(act)) < 0)
		return -EFAULT;
	struct sigpage *s = uact ? signal_page(p) : p->sig;
	if (uact && !s)
		return -ENOMEM;
	memset(&old, 0, sizeof(old));
	if (s) {
		old.sa_handler = (__sighandler_t)s->act[sig].handler;
		old.sa_flags = s->act[sig].flags;
		memcpy(&old.sa_mask, &s->act[sig].mask, sizeof(uint64));
	}
	if (uold && copyout(uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	if (uact) {
		uint64 mask;
		memcpy(&mask, &act.sa_mask, sizeof(mask));
		s->act[sig] = (struct sig_action){ (uint64)act.sa_handler, act.sa_flags,
						   mask & ~SIG_UNBLOCKABLE };
		if (signal_ignored(p, sig)) {   /* pending ones of an ignored signal go */
			spin_lock(&p->lock);
			p->sig_pending &= ~SIGBIT(sig);
			spin_unlock(&p->lock);
		}
	}
	return 0;
}

long
lx_rt_sigprocmask(void)
{
	struct proc *p = myproc();
	int how = (int)arg_int(0);
	uint64 uset = arg_addr(1), uold = arg_addr(2), set, old = p->sig_blocked;

	if (arg_addr(3) != sizeof(uint64))
		return -EINVAL;
	if (uset) {
		if (copyin(&set, uset, sizeof(set)) < 0)
			return -EFAULT;
		if (how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
			return -EINVAL;
	}
	if (uold && copyout(uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	if (uset) {
		uint64 m = how == SIG_BLOCK ? old | set : how == SIG_UNBLOCK ? old & ~set : set;
		p->sig_blocked = m & ~SIG_UNBLOCKABLE;
	}
	return 0;
}

long
lx_rt_sigpending(void)
{
	struct proc *p = myproc();
	uint64 set = p->sig_pending & p->sig_blocked;

	if (arg_addr(1) != sizeof(uint64))
		return -EINVAL;
	return copyout(arg_addr(0), &set, sizeof(set)) < 0 ? -EFAULT : 0;
}

/* Sleep until a signal p does not block is pending (or p is killed). */
static void
wait_for_signal(struct proc *p)
{
	spin_lock(&p->lock);
	while (!proc_interrupted(p))
		sleep(&p->sig_pending, &p->lock);
	spin_unlock(&p->lock);
}

/* rt_sigsuspend(mask): wait with mask for a handler to run; the old mask comes back after it. */
long
lx_rt_sigsuspend(void)
{
	struct proc *p = myproc();
	uint64 mask;

	if (arg_addr(1) != sizeof(uint64))
		return -EINVAL;
	if (copyin(&mask, arg_addr(0), sizeof(mask)) < 0)
		return -EFAULT;
	p->sig_saved = p->sig_blocked;
	p->sig_restore = true;
	p->sig_blocked = mask & ~SIG_UNBLOCKABLE;
	wait_for_signal(p);
	return -EINTR;
}

long
lx_rt_sigreturn(void)
{
	struct proc *p = myproc();

	return signal_return(p, p->tf);
}

long
lx_sigaltstack(void)
{
	struct proc *p = myproc();
	uint64 uss = arg_addr(0), uold = arg_addr(1);
	struct sigpage *s = p->sig;
	stack_t ss, old;
	uint64 sp = p->tf->sp;
	bool on = s && s->altstack_size && sp - s->altstack_sp <= s->altstack_size;

	memset(&old, 0, sizeof(old));
	old.ss_flags = SS_DISABLE;
	if (s && s->altstack_size && !(s->altstack_flags & SS_DISABLE)) {
		old.ss_sp = (void *)s->altstack_sp;
		old.ss_size = s->altstack_size;
		old.ss_flags = on ? SS_ONSTACK : 0;
	}
	if (uss) {
		if (copyin(&ss, uss, sizeof(ss)) < 0)
			return -EFAULT;
		if (on)
			return -EPERM;
		if (ss.ss_flags & ~(SS_DISABLE | SS_AUTODISARM))
			return -EINVAL;
		if (!(ss.ss_flags & SS_DISABLE) && ss.ss_size < MINSIGSTKSZ)
			return -ENOMEM;
		if (!(s = signal_page(p)))
			return -ENOMEM;
	}
	if (uold && copyout(uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	if (uss) {
		bool off = ss.ss_flags & SS_DISABLE;
		s->altstack_sp = off ? 0 : (uint64)ss.ss_sp;
		s->altstack_size = off ? 0 : ss.ss_size;
		s->altstack_flags = off ? SS_DISABLE : 0;
	}
	return 0;
}

/*
 * kill(pid, sig): pid > 0 that process; 0 the caller's process group;
 * -1 every process but init and the caller; < -1 the group -pid.
 */
long
lx_kill(void)
{
	struct proc *self = myproc();
	int pid = (int)arg_int(0), sig = (int)arg_int(1);

	if (sig < 0 || sig > NSIG_LINUX)
		return -EINVAL;
	if (pid > 0)
		return signal_send_pid(pid, sig, self->pid);
	if (pid == INT32_MIN)
		return -ESRCH;
	int group = pid == 0 ? self->pgid : -pid, found = 0;
	int pids[NPROC], n = proc_live_pids(pids);
	for (int i = 0; i < n; i++) {
		struct proc *q = proc_find(pids[i]);
		if (!q || (pid == -1 ? (proc_is_init(q) || q == self) : q->pgid != group))
			continue;
		found++;
		signal_send_pid(pids[i], sig, self->pid);
	}
	return found ? 0 : -ESRCH;
}

/* tgkill(tgid, tid, sig): one thread a process, so tid must be tgid. */
long
lx_tgkill(void)
{
	int tgid = (int)arg_int(0), tid = (int)arg_int(1), sig = (int)arg_int(2);

	if (tgid <= 0 || tid <= 0 || sig < 0 || sig > NSIG_LINUX)
		return -EINVAL;
	if (tgid != tid)
		return -ESRCH;
	return signal_send_pid(tid, sig, myproc()->pid);
}

long
lx_tkill(void)
{
	int tid = (int)arg_int(0), sig = (int)arg_int(1);

	if (tid <= 0 || sig < 0 || sig > NSIG_LINUX)
		return -EINVAL;
	return signal_send_pid(tid, sig, myproc()->pid);
}

/* rt_sigqueueinfo(pid, sig, info): to oneself with any code, to others only as a user send. */
long
lx_rt_sigqueueinfo(void)
{
	int pid = (int)arg_int(0), sig = (int)arg_int(1);
	struct siginfo si;

	if (!valid_signal(sig))
		return -EINVAL;
	if (copyin(&si, arg_addr(2), sizeof(si)) < 0)
		return -EFAULT;
	if (pid != myproc()->pid && (si.si_code >= 0 || si.si_code == SI_TKILL))
		return -EPERM;
	struct proc *p = proc_find(pid);
	if (!p)
		return -ESRCH;
	struct sig_detail d = { si.si_code, myproc()->pid, si.si_int, 0, 0 };
	return signal_send(p, sig, &d);
}

/* The interval timer ITIMER_REAL in ticks (which round up) to and from a struct itimerval. */
static uint64
tv_ticks(const struct __kernel_old_timeval *tv)
{
	uint64 us = (uint64)tv->tv_sec * 1000000 + (uint64)tv->tv_usec, per = 1000000 / tick_hz;

	return (us + per - 1) / per;
}

static void
ticks_tv(uint64 t, struct __kernel_old_timeval *tv)
{
	tv->tv_sec = (long)(t / tick_hz);
	tv->tv_usec = (long)(t % tick_hz * (1000000 / tick_hz));
}

static void
current_itimer(struct proc *p, struct __kernel_old_itimerval *it)
{
	uint64 now = timer_ticks();

	ticks_tv(p->itimer_every, &it->it_interval);
	ticks_tv(p->itimer_at > now ? p->itimer_at - now : (p->itimer_at ? 1 : 0), &it->it_value);
}

long
lx_getitimer(void)
{
	struct __kernel_old_itimerval it;

	if ((int)arg_int(0) != ITIMER_REAL)
		return (int)arg_int(0) == ITIMER_VIRTUAL || (int)arg_int(0) == ITIMER_PROF ? -ENOSYS : -EINVAL;
	current_itimer(myproc(), &it);
	return copyout(arg_addr(1), &it, sizeof(it)) < 0 ? -EFAULT : 0;
}

long
lx_setitimer(void)
{
	struct proc *p = myproc();
	struct __kernel_old_itimerval it, old;
	uint64 unew = arg_addr(1), uold = arg_addr(2);

	if ((int)arg_int(0) != ITIMER_REAL)
		return (int)arg_int(0) == ITIMER_VIRTUAL || (int)arg_int(0) == ITIMER_PROF ? -ENOSYS : -EINVAL;
	if (unew && copyin(&it, unew, sizeof(it)) < 0)
		return -EFAULT;
	if (unew && (it.it_value.tv_sec < 0 || it.it_value.tv_usec < 0 || it.it_value.tv_usec >= 1000000 ||
		     it.it_interval.tv_sec < 0 || it.it_interval.tv_usec < 0 || it.it_interval.tv_usec >= 1000000))
		return -EINVAL;
	current_itimer(p, &old);
	if (uold && copyout(uold, &old, sizeof(old)) < 0)
		return -EFAULT;
	if (unew) {
		uint64 value = tv_ticks(&it.it_value);
		itimer_set(p, value ? timer_ticks() + value : 0, tv_ticks(&it.it_interval));
	}
	return 0;
}

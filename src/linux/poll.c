/*
 * ppoll and pselect6 (and through them glibc's poll, select, pause-free
 * waits).  A descriptor is checked for what it has now, with Linux's
 * rules: a pipe's read end is readable with bytes in it and hung up once
 * no writer is left; its write end is writable with room and in error
 * once no reader is left; the console is readable with a line typed (a
 * byte, in raw mode) and always writable; files and the memory devices
 * are always both.  With none ready the caller sleeps until an event that
 * may make one ready, the deadline or a signal (sched/pollwait.h).
 *
 * Both calls write the time left back to the user's timeout (as Linux
 * does, so that a call restarted after a signal waits only what was left)
 * unless the timeout was zero or cannot be written; a call interrupted by
 * a signal with a handler fails with EINTR, without one it starts again.
 */
#include "linux/syscall.h"
#include "linux/uapi.h"
#include "dev/console.h"
#include "fs/file.h"
#include "fs/pipe.h"
#include "sched/pollwait.h"
#include "sched/proc.h"
#include "sched/signal.h"
#include "sched/syscall.h"
#include "sched/trap.h"
#include "vm/uaccess.h"
#include <asm/poll.h>

#define POLL_MAX        NOFILE  /* descriptors one ppoll takes */
#define NO_DEADLINE     (~0UL)

#define POLLIN_SET      (POLLIN | POLLRDNORM | POLLRDBAND | POLLHUP | POLLERR)
#define POLLOUT_SET     (POLLOUT | POLLWRNORM | POLLWRBAND | POLLERR)
#define POLLEX_SET      POLLPRI

/* Every event open descriptor f has now (POLLNVAL if fd is not open). */
static short
fd_events(int fd)
{
	struct file *f;

	if (lx_fd(fd, &f) < 0)
		return POLLNVAL;
	if (f->type == FD_PIPE) {
		int state = pipe_state(f->pipe);
		short got = 0;
		if (f->readable)
			got |= (short)(((state & PIPE_BYTES) ? POLLIN | POLLRDNORM : 0) |
				       ((state & PIPE_NO_WRITER) ? POLLHUP : 0));
		if (f->writable)
			got |= (short)(((state & PIPE_NO_READER) ? POLLERR : 0) |
				       ((state & PIPE_ROOM) ? POLLOUT | POLLWRNORM : 0));
		return got;
	}
	if (f->type == FD_DEVICE && f->major == CONSOLE)
		return (short)((console_readable() ? POLLIN | POLLRDNORM : 0) | POLLOUT | POLLWRNORM);
	return POLLIN | POLLRDNORM | POLLOUT | POLLWRNORM;
}

/* A timeout: the deadline in now_ns() terms (NO_DEADLINE for none); 0 or -errno. */
static long
deadline_of(uint64 uts, uint64 *deadline, bool *zero)
{
	uint64 ns;

	*deadline = NO_DEADLINE;
	*zero = false;
	if (!uts)
		return 0;
	long r = lx_timespec_ns(uts, &ns);
	if (r < 0)
		return r;
	*zero = ns == 0;
	*deadline = lx_now_ns() + ns;
	return 0;
}

/* The time left to the user's timeout; a call that must end early ends with EINTR then. */
static long
finish(uint64 uts, uint64 deadline, bool zero, long ret)
{
	if (!uts || zero)
		return ret;
	uint64 now = lx_now_ns(), left = deadline > now ? deadline - now : 0;
	struct __kernel_timespec ts = { (long long)(left / 1000000000UL),
					(long long)(left % 1000000000UL) };
	if (copyout(uts, &ts, sizeof(ts)) < 0 && ret == -ERESTARTNOHAND)
		ret = -EINTR;   /* a restart would wait the whole timeout again */
	return ret;
}

/* Block the signals of a user sigset for the call (restored on the way out). */
static long
use_sigmask(uint64 umask, uint64 size)
{
	struct proc *p = myproc();
	uint64 mask;

	if (!umask)
		return 0;
	if (size != sizeof(uint64))
		return -EINVAL;
	if (copyin(&mask, umask, sizeof(mask)) < 0)
		return -EFAULT;
	p->sig_saved = p->sig_blocked;
	p->sig_restore = true;
	p->sig_blocked = mask & ~SIG_UNBLOCKABLE;
	return 0;
}

/*
 * Check with check(ctx) until it finds descriptors ready (its count,
 * or -errno), the deadline passes (0) or a signal comes (-ERESTARTNOHAND).
 */
static long
wait_ready(long (*check)(void *ctx), void *ctx, uint64 deadline)
{
	struct proc *p = myproc();
	struct poll_waiter w;
	long r;

	poll_wait_begin(&w, deadline != NO_DEADLINE);
	for (;;) {
		poll_wait_mark(&w);
		if ((r = check(ctx)) != 0 || lx_now_ns() >= deadline)
			break;
		if (proc_interrupted(p)) {
			r = -ERESTARTNOHAND;
			break;
		}
		poll_wait_sleep(&w);
	}
	poll_wait_end(&w);
	return r;
}

struct ppoll_set {
	struct pollfd fds[POLL_MAX];
	uint64 n;
};

static long
ppoll_check(void *ctx)
{
	struct ppoll_set *s = ctx;
	long ready = 0;

	for (uint64 i = 0; i < s->n; i++) {
		struct pollfd *pf = &s->fds[i];
		short mask = pf->fd < 0 ? 0 : fd_events(pf->fd);
		pf->revents = (short)(mask & (pf->events | POLLERR | POLLHUP | POLLNVAL));
		ready += pf->revents != 0;
	}
	return ready;
}

/* ppoll(fds, nfds, timeout, sigmask, sigsetsize): how many have events, 0 at the timeout. */
long
lx_ppoll(void)
{
	uint64 ufds = arg_addr(0), nfds = arg_addr(1), uts = arg_addr(2), deadline;
	struct ppoll_set s;
	bool zero;
	long r;

	if (nfds > POLL_MAX || nfds > myproc()->nofile)
		return -EINVAL;         /* Linux: more than RLIMIT_NOFILE */
	s.n = nfds;
	if (nfds && copyin(s.fds, ufds, nfds * sizeof(s.fds[0])) < 0)
		return -EFAULT;
	if ((r = deadline_of(uts, &deadline, &zero)) < 0 ||
	    (r = use_sigmask(arg_addr(3), arg_addr(4))) < 0)
		return r;
	r = wait_ready(ppoll_check, &s, deadline);
	if (r >= 0 && nfds && copyout(ufds, s.fds, nfds * sizeof(s.fds[0])) < 0)
		r = -EFAULT;
	return finish(uts, deadline, zero, r);
}

/* The three sets of pselect6, one bit per descriptor (NOFILE <= 64: one word each). */
STATIC_ASSERT(NOFILE <= 64);
struct select_set {
	int nfds;
	uint64 in, out, ex;             /* asked */
	uint64 rin, rout, rex;          /* ready */
};

static long
select_check(void *ctx)
{
	struct select_set *s = ctx;
	long ready = 0;

	s->rin = s->rout = s->rex = 0;
	for (int fd = 0; fd < s->nfds; fd++) {
		uint64 bit = 1UL << fd;
		if (!((s->in | s->out | s->ex) & bit))
			continue;
		short mask = fd_events(fd);
		if (mask & POLLNVAL)
			return -EBADF;
		if ((s->in & bit) && (mask & POLLIN_SET)) {
			s->rin |= bit;
			ready++;
		}
		if ((s->out & bit) && (mask & POLLOUT_SET)) {
			s->rout |= bit;
			ready++;
		}
		if ((s->ex & bit) && (mask & POLLEX_SET)) {
			s->rex |= bit;
			ready++;
		}
	}
	return ready;
}

/*
 * One fd_set of nfds bits at uset (0: none) into *bits.  Bits past
 * NOFILE must be clear: those descriptors cannot be open (EBADF, as
 * Linux says for a descriptor that is not open).
 */
static long
set_in(uint64 uset, int nfds, uint64 *bits)
{
	uint64 word;

	*bits = 0;
	if (!uset)
		return 0;
	for (int at = 0; at < nfds; at += 64) {
		if (copyin(&word, uset + (uint64)at / 8, sizeof(word)) < 0)
			return -EFAULT;
		if (nfds - at < 64)
			word &= (1UL << (nfds - at)) - 1;
		if (at == 0) {
			*bits = word & (NOFILE < 64 ? (1UL << NOFILE) - 1 : ~0UL);
			word &= ~*bits;
		}
		if (word)
			return -EBADF;
	}
	return 0;
}

/* The ready bits back into the user's set: all nfds bits of it written. */
static long
set_out(uint64 uset, int nfds, uint64 bits)
{
	uint64 zero = 0;

	if (!uset)
		return 0;
	for (int at = 0; at < nfds; at += 64) {
		uint64 word = at == 0 ? bits : zero;
		uint64 bytes = nfds - at >= 64 ? 8 : (uint64)(nfds - at + 7) / 8;
		if (copyout(uset + (uint64)at / 8, &word, bytes) < 0)
			return -EFAULT;
	}
	return 0;
}

/*
 * pselect6(nfds, readfds, writefds, exceptfds, timeout, {sigmask, size}):
 * how many bits are set in the three sets on return, 0 at the timeout.
 */
long
lx_pselect6(void)
{
	int nfds = (int)arg_int(0);
	uint64 uin = arg_addr(1), uout = arg_addr(2), uex = arg_addr(3), uts = arg_addr(4);
	uint64 usig = arg_addr(5), deadline;
	struct select_set s = { .nfds = nfds };
	struct { uint64 set, size; } sig = { 0, 0 };
	bool zero;
	long r;

	if (nfds < 0)
		return -EINVAL;
	if ((r = deadline_of(uts, &deadline, &zero)) < 0)
		return r;
	if ((r = set_in(uin, nfds, &s.in)) < 0 || (r = set_in(uout, nfds, &s.out)) < 0 ||
	    (r = set_in(uex, nfds, &s.ex)) < 0)
		return r;
	if (usig && copyin(&sig, usig, sizeof(sig)) < 0)
		return -EFAULT;
	if ((r = use_sigmask(sig.set, sig.size)) < 0)
		return r;
	if (s.nfds > NOFILE)
		s.nfds = NOFILE;
	r = wait_ready(select_check, &s, deadline);
	if (r >= 0 && (set_out(uin, nfds, s.rin) < 0 || set_out(uout, nfds, s.rout) < 0 ||
		       set_out(uex, nfds, s.rex) < 0))
		r = -EFAULT;
	return finish(uts, deadline, zero, r);
}

/*
 * ppoll (and through it glibc's poll, pause and select-free waits).  A
 * descriptor is checked for what it has now: a pipe's bytes, room and
 * writer, the console's typed input; files and the memory devices are
 * always ready.  With none ready the caller checks again each tick (10
 * ms) until one is, the timeout passes or a signal comes: there are no
 * wait queues per file to sleep on.
 */
#include "linux/syscall.h"
#include "linux/uapi.h"
#include "dev/console.h"
#include "fs/file.h"
#include "fs/pipe.h"
#include "sched/proc.h"
#include "sched/signal.h"
#include "sched/syscall.h"
#include "sched/trap.h"
#include "vm/uaccess.h"
#include <asm/poll.h>

#define POLL_MAX        64      /* descriptors one call takes */

/* The events of `events` descriptor fd has now (POLLNVAL if it is not open). */
static short
poll_one(int fd, short events)
{
	struct file *f;
	bool in = true, out = true, hangup = false;

	if (fd < 0)
		return 0;
	if (lx_fd(fd, &f) < 0)
		return POLLNVAL;
	if (f->type == FD_PIPE)
		pipe_poll(f->pipe, &in, &out, &hangup);
	else if (f->type == FD_DEVICE && f->major == CONSOLE)
		in = console_readable();
	short got = (short)((in ? events & (POLLIN | POLLRDNORM) : 0) |
			    (out ? events & (POLLOUT | POLLWRNORM) : 0));
	return (short)(got | (hangup ? POLLHUP : 0));
}

/*
 * ppoll(fds, nfds, timeout, sigmask, sigsetsize): the number of
 * descriptors with events, 0 at the timeout; a signal ends it with
 * -EINTR after a handler, else the call starts again (-ERESTARTNOHAND).
 */
long
lx_ppoll(void)
{
	struct proc *p = myproc();
	uint64 ufds = arg_addr(0), nfds = arg_addr(1), uts = arg_addr(2), umask = arg_addr(3);
	struct pollfd fds[POLL_MAX];
	struct __kernel_timespec ts;
	uint64 deadline = ~0UL, mask;

	if (nfds > POLL_MAX)
		return -EINVAL;
	if (nfds && copyin(fds, ufds, nfds * sizeof(fds[0])) < 0)
		return -EFAULT;
	if (uts) {
		if (copyin(&ts, uts, sizeof(ts)) < 0)
			return -EFAULT;
		if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000)
			return -EINVAL;
		deadline = timer_ticks() + (uint64)ts.tv_sec * tick_hz +
			   ((uint64)ts.tv_nsec * tick_hz + 999999999) / 1000000000;
	}
	if (umask) {
		if (arg_addr(4) != sizeof(uint64))
			return -EINVAL;
		if (copyin(&mask, umask, sizeof(mask)) < 0)
			return -EFAULT;
		p->sig_saved = p->sig_blocked;
		p->sig_restore = true;
		p->sig_blocked = mask & ~SIG_UNBLOCKABLE;
	}
	for (;;) {
		long ready = 0;
		for (uint64 i = 0; i < nfds; i++) {
			fds[i].revents = poll_one(fds[i].fd, fds[i].events);
			ready += fds[i].revents != 0;
		}
		if (ready || timer_ticks() >= deadline) {
			if (nfds && copyout(ufds, fds, nfds * sizeof(fds[0])) < 0)
				return -EFAULT;
			return ready;
		}
		if (proc_interrupted(p) || timer_sleep(1) < 0)
			return -ERESTARTNOHAND;
	}
}

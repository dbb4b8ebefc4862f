/*
 * Linux system calls about processes and the machine.  A process here is
 * one thread (its tid is its pid; a vfork child borrows its parent's memory
 * while the parent sleeps); uids and gids are all 0 (root): the
 * file system has no owners.  Process groups and sessions are not kept
 * yet: every process answers as the leader of its own.
 */
#include "linux/syscall.h"
#include "linux/uapi.h"
#include "sched/exec.h"
#include "sched/proc.h"
#include "sync/spinlock.h"
#include "sched/signal.h"
#include "sched/syscall.h"
#include "sched/trap.h"
#include "vm/kalloc.h"
#include "vm/uaccess.h"
#include "lib/random.h"
#include "lib/string.h"

long
lx_exit(void)
{
	proc_exit((int)arg_int(0) & 0xff);
}

/*
 * clone: the fork shapes only (flags SIGCHLD, possibly with CLONE_VFORK
 * or CLONE_VM|CLONE_VFORK, which glibc's vfork and posix_spawn use: the
 * child runs on its parent's memory, which sleeps until the child execs
 * or exits; a write the child makes, such as posix_spawn's report of a
 * failed exec, is the parent's).  Threads (CLONE_THREAD, CLONE_VM
 * without CLONE_VFORK) are not there yet: -ENOSYS.
 * CLONE_CHILD_CLEARTID is accepted and has nothing to do: with one
 * thread a process, no futex waiter can watch the word.
 */
long
lx_clone(void)
{
	uint64 flags = arg_addr(0), stack = arg_addr(1);
	uint64 known = CSIGNAL | CLONE_VFORK | CLONE_VM | CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID |
		       CLONE_PARENT_SETTID;

	if ((flags & ~known) || ((flags & CLONE_VM) && !(flags & CLONE_VFORK)))
		return -ENOSYS;
	if ((flags & CSIGNAL) != SIGCHLD && (flags & CSIGNAL) != 0)
		return -EINVAL;
	/* clone(flags, stack, parent_tid, tls, child_tid): riscv's argument order */
	int how = ((flags & CLONE_VM) ? CLONE_SHARE_MM : 0) | ((flags & CLONE_VFORK) ? CLONE_WAIT : 0);
	int pid = proc_clone(stack, (flags & CLONE_CHILD_SETTID) ? arg_addr(4) : 0,
			     (flags & CLONE_PARENT_SETTID) ? arg_addr(2) : 0, how);
	return pid < 0 ? -EAGAIN : pid;
}

/* proc_wait's flags for Linux's wait options. */
static int
wait_flags(int options)
{
	return WAIT_LINUX | ((options & WNOHANG) ? WAIT_NOHANG : 0) |
	       ((options & WUNTRACED) ? WAIT_STOPPED : 0) | ((options & WCONTINUED) ? WAIT_CONTINUED : 0);
}

/*
 * waitid(idtype, id, info, options, rusage): wait4 with the result as a
 * siginfo.  WNOWAIT (leave the child waitable) is not there: -EINVAL.
 */
long
lx_waitid(void)
{
	int idtype = (int)arg_int(0), id = (int)arg_int(1), options = (int)arg_int(3);
	int pid, st;
	struct siginfo si;

	if (options & ~(WNOHANG | WEXITED | WSTOPPED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD) ||
	    !(options & (WEXITED | WSTOPPED | WCONTINUED)))
		return -EINVAL;
	if (idtype == P_ALL)
		pid = -1;
	else if (idtype == P_PID && id > 0)
		pid = id;
	else if (idtype == P_PGID && id >= 0)
		pid = id == 0 ? 0 : -id;
	else
		return -EINVAL;
	st = 0;
	int r = proc_wait(pid, 0, &st, wait_flags(options));
	if (r < 0)
		return r;
	memset(&si, 0, sizeof(si));
	if (r > 0) {
		si.si_signo = SIGCHLD;
		si.si_pid = r;
		if ((st & 0x7f) == 0) {
			si.si_code = CLD_EXITED;
			si.si_status = (st >> 8) & 0xff;
		} else if ((st & 0xff) == 0x7f) {
			si.si_code = CLD_STOPPED;
			si.si_status = (st >> 8) & 0xff;
		} else if (st == 0xffff) {
			si.si_code = CLD_CONTINUED;
			si.si_status = SIGCONT;
		} else {
			si.si_code = CLD_KILLED;
			si.si_status = st & 0x7f;
		}
	}
	if (arg_addr(2) && copyout(arg_addr(2), &si, sizeof(si)) < 0)
		return -EFAULT;
	return 0;
}

long
lx_execve(void)
{
	return exec_user(arg_addr(0), arg_addr(1), arg_addr(2), EXEC_ENV | EXEC_LINUX);
}

/* wait4(pid, status, options, rusage): rusage is zeroed (no accounting yet). */
long
lx_wait4(void)
{
	int pid = (int)arg_int(0), options = (int)arg_int(2);
	uint64 ru = arg_addr(3);

	if (options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WALL | __WCLONE | __WNOTHREAD))
		return -EINVAL;
	int r = proc_wait(pid, arg_addr(1), NULL, wait_flags(options));
	if (r > 0 && ru) {
		struct rusage zero;
		memset(&zero, 0, sizeof(zero));
		if (copyout(ru, &zero, sizeof(zero)) < 0)
			return -EFAULT;
	}
	return r;
}

long
lx_getpid(void)
{
	return myproc()->pid;
}

long
lx_getppid(void)
{
	return myproc()->vdso->ppid;
}

long
lx_gettid(void)
{
	return myproc()->pid;
}

long
lx_getuid(void)
{
	return 0;
}

/* A call that has nothing to do here and succeeds. */
long
lx_zero(void)
{
	return 0;
}

/* set_tid_address: one thread, never cleared at exit (no futex waiters yet). */
long
lx_set_tid_address(void)
{
	return myproc()->pid;
}

long
lx_set_robust_list(void)
{
	return arg_addr(1) == 3 * sizeof(uint64) ? 0 : -EINVAL;
}

/* getcpu(cpu, node, cache): the hart the caller runs on now (it may move at once); node 0. */
long
lx_getcpu(void)
{
	push_off();
	unsigned cpu = (unsigned)mycpu()->id, node = 0;
	pop_off();
	if (arg_addr(0) && copyout(arg_addr(0), &cpu, sizeof(cpu)) < 0)
		return -EFAULT;
	if (arg_addr(1) && copyout(arg_addr(1), &node, sizeof(node)) < 0)
		return -EFAULT;
	return 0;
}

long
lx_sched_yield(void)
{
	yield();
	return 0;
}

/*
 * Resource limits.  RLIMIT_NOFILE is the process's own (p->nofile, soft,
 * and p->nofile_max, hard): descriptors are made below the soft limit,
 * and the hard limit may be raised again up to NOFILE, as root may up to
 * Linux's nr_open.  The others are fixed: what the kernel enforces anyway
 * (RLIMIT_STACK is the stack a Linux program gets; exec takes a quarter
 * of it in arguments, sched/exec.h), and a new value that does not raise
 * one is accepted and changes nothing.
 */
static int
limit_of(int resource, struct rlimit *r)
{
	struct proc *p = myproc();
	uint64 inf = RLIM_INFINITY;

	switch (resource) {
	case RLIMIT_STACK:   *r = (struct rlimit){ USER_STACK_TOP - LINUX_STACK_BOTTOM, inf }; break;
	case RLIMIT_NOFILE:  *r = (struct rlimit){ p->nofile, p->nofile_max }; break;
	case RLIMIT_NPROC:   *r = (struct rlimit){ NPROC, NPROC }; break;
	case RLIMIT_CORE:    *r = (struct rlimit){ 0, 0 }; break;
	default:
		if (resource < 0 || resource >= RLIM_NLIMITS)
			return -EINVAL;
		*r = (struct rlimit){ inf, inf };
	}
	return 0;
}

/* Set resource to want (a kernel copy), cur being its present value: 0 or -errno. */
static int
set_limit(int resource, const struct rlimit *cur, const struct rlimit *want)
{
	struct proc *p = myproc();

	if (want->rlim_cur > want->rlim_max)
		return -EINVAL;
	if (resource != RLIMIT_NOFILE)
		return want->rlim_max > cur->rlim_max ? -EPERM : 0;
	if (want->rlim_max > NOFILE)
		return -EPERM;
	p->nofile = (uint8)want->rlim_cur;
	p->nofile_max = (uint8)want->rlim_max;
	return 0;
}

/* prlimit64(pid, resource, new, old): of the caller only; old is the value before new. */
long
lx_prlimit64(void)
{
	int pid = (int)arg_int(0), resource = (int)arg_int(1);
	uint64 unew = arg_addr(2), uold = arg_addr(3);
	struct rlimit cur, want;

	if (pid != 0 && pid != myproc()->pid)
		return proc_find(pid) ? -EPERM : -ESRCH;
	int r = limit_of(resource, &cur);
	if (r < 0)
		return r;
	if (unew) {
		if (copyin(&want, unew, sizeof(want)) < 0)
			return -EFAULT;
		if ((r = set_limit(resource, &cur, &want)) < 0)
			return r;
	}
	if (uold && copyout(uold, &cur, sizeof(cur)) < 0)
		return -EFAULT;
	return 0;
}

long
lx_getrlimit(void)
{
	struct rlimit cur;
	int r = limit_of((int)arg_int(0), &cur);

	if (r < 0)
		return r;
	return copyout(arg_addr(1), &cur, sizeof(cur)) < 0 ? -EFAULT : 0;
}

long
lx_setrlimit(void)
{
	struct rlimit cur, want;
	int resource = (int)arg_int(0), r = limit_of(resource, &cur);

	if (r < 0)
		return r;
	if (copyin(&want, arg_addr(1), sizeof(want)) < 0)
		return -EFAULT;
	return set_limit(resource, &cur, &want);
}

long
lx_uname(void)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strlcpy(u.sysname, "Linux", sizeof(u.sysname));
	strlcpy(u.nodename, "canopy", sizeof(u.nodename));
	strlcpy(u.release, "6.12.0-canopy", sizeof(u.release));
	strlcpy(u.version, "#1 SMP Canopy", sizeof(u.version));
	strlcpy(u.machine, "riscv64", sizeof(u.machine));
	strlcpy(u.domainname, "(none)", sizeof(u.domainname));
	return copyout(arg_addr(0), &u, sizeof(u)) < 0 ? -EFAULT : 0;
}

long
lx_sysinfo(void)
{
	struct sysinfo si;

	memset(&si, 0, sizeof(si));
	si.uptime = (long)(timer_ticks() / tick_hz);
	si.totalram = kalloc_total_pages();
	si.freeram = kalloc_free_pages();
	si.procs = (uint16)proc_count();
	si.mem_unit = PGSIZE;
	return copyout(arg_addr(0), &si, sizeof(si)) < 0 ? -EFAULT : 0;
}

/* getrandom(buf, n, flags): never blocks (lib/random.h). */
long
lx_getrandom(void)
{
	uint64 buf = arg_addr(0), n = arg_addr(1);
	uint32 flags = (uint32)arg_int(2);
	uint8 chunk[256];
	uint64 done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (n > 1 << 25)
		n = 1 << 25;
	while (done < n) {
		uint64 m = n - done < sizeof(chunk) ? n - done : sizeof(chunk);
		random_bytes(chunk, m);
		if (copyout(buf + done, chunk, m) < 0)
			return done ? (long)done : -EFAULT;
		done += m;
	}
	return (long)done;
}

/*
 * Process groups and sessions.  A child starts in its parent's; setpgid
 * moves the caller or a child into a group of the same session, setsid
 * makes the caller the leader of a new session and group.
 */
long
lx_setpgid(void)
{
	return proc_setpgid((int)arg_int(0), (int)arg_int(1));
}

long
lx_getpgid(void)
{
	int pid = (int)arg_int(0);
	struct proc *p = pid == 0 ? myproc() : proc_find(pid);

	return p ? p->pgid : -ESRCH;
}

long
lx_setsid(void)
{
	struct proc *p = myproc();

	if (p->pgid == p->pid || proc_group_in_session(p->pid, -1))
		return -EPERM;          /* already a group leader */
	p->sid = p->pgid = p->pid;
	return p->sid;
}

long
lx_getsid(void)
{
	int pid = (int)arg_int(0);
	struct proc *p = pid == 0 ? myproc() : proc_find(pid);

	return p ? p->sid : -ESRCH;
}

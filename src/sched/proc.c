/*
 * The process table: creating processes (the first one, fork), ending them
 * (exit, kill, wait) and the per-process vDSO page.  Scheduling and
 * sleeping are in sched.c.
 */
#include "sched/proc.h"
#include "lib/errno.h"
#include "lib/signal.h"
#include "sched/signal.h"
#include "sched/fpu.h"
#include "sched/trap.h"
#include "sched/exec.h"
#include "vm/aspace.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/mm.h"
#include "vm/mmap.h"
#include "vm/vmobj.h"
#include "vm/uvm.h"
#include "vm/uaccess.h"
#include "vm/tlb.h"
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/log.h"
#include "dev/console.h"
#include "debug/kprintf.h"
#include "lib/string.h"

struct proc procs[NPROC];
struct spinlock wait_lock;
static struct proc *init_proc;
static int next_pid = 1;
static struct spinlock pid_lock;

void
proc_init(void)
{
	spin_init(&pid_lock, "next_pid");
	spin_init(&wait_lock, "wait");
	for (int i = 0; i < NPROC; i++) {
		spin_init(&procs[i].lock, "proc");
		sleep_init(&procs[i].vm_lock, "proc vm");
		procs[i].set_aside = KALLOC_NO_CHAIN;
		procs[i].slot = i;
		/*
		 * The top of the kernel stack slot holds the switch context,
		 * sigalarm's saved registers, the FP registers and the trapframe (with KPTI that
		 * is in a page of its own: the user's table maps it for the
		 * trampoline); the stack starts below them (proc_kstack_start).
		 * In struct proc they would double the pages the scheduler's
		 * scan of procs[] touches after every TLB flush.
		 */
		uint64 top = kstack_top(i) - sizeof(struct context);
		procs[i].context = (struct context *)top;
		top -= sizeof(struct trapframe);
		procs[i].alarm.saved = (struct trapframe *)top;
		top -= sizeof(struct fpstate);
		procs[i].fpu = (struct fpstate *)top;
#if CONFIG_KPTI
		procs[i].tf = kpti_trapframe(i);
#else
		top -= sizeof(struct trapframe);
		procs[i].tf = (struct trapframe *)top;
#endif
	}
}

/* myproc() off a process's stack: the hart's current process, or NULL. */
struct proc *
myproc_hart(void)
{
	push_off();
	struct proc *p = mycpu()->proc;
	pop_off();
	return p;
}

static int
alloc_pid(void)
{
	spin_lock(&pid_lock);
	int pid = next_pid++;
	spin_unlock(&pid_lock);
	return pid;
}

/* The pid given out last (/proc/loadavg). */
int
proc_last_pid(void)
{
	spin_lock(&pid_lock);
	int pid = next_pid - 1;
	spin_unlock(&pid_lock);
	return pid;
}

static void fork_return(void);

/* Release everything a slot holds; p->lock held or the slot unreachable. */
static void
free_proc(struct proc *p)
{
	if (p->mm)
		mm_destroy(p->mm);
	p->mm = NULL;
	if (p->vdso)
		page_put(p->vdso);
	p->vdso = NULL;
	if (p->cmdline)
		page_put(p->cmdline);
	p->cmdline = NULL;
	p->cmdline_len = 0;
	p->nsyscalls = 0;
	p->trace_mask = 0;
	p->trace_flags = 0;
	alarm_clear(p);
	signal_free(p);
	p->pgid = p->sid = 0;
	p->abi = ABI_CANOPY;
	p->fpu_on = false;
	p->termsig = 0;
	p->wake_pending = false;
	p->pid = 0;
	p->parent = NULL;
	p->vfork_parent = p->vfork_child = NULL;
	p->name[0] = 0;
	p->exe[0] = 0;
	p->chan = NULL;
	p->killed = 0;
	p->xstate = 0;
	p->state = UNUSED;
}

/*
 * Claim an UNUSED slot with a pid, a vDSO page and an address space that
 * holds only the kernel half and the vDSO.  Returns with p->lock held, or
 * NULL if no slot or no memory.
 */
static struct proc *
alloc_proc(void)
{
	struct proc *p;

	for (p = procs; p < &procs[NPROC]; p++) {
		spin_lock(&p->lock);
		if (p->state == UNUSED)
			goto found;
		spin_unlock(&p->lock);
	}
	return NULL;

found:
	p->pid = alloc_pid();
	p->state = USED;
	p->start_ticks = timer_ticks();
	p->vdso = kzalloc();
	if (!p->vdso || !(p->mm = mm_create(p->vdso, true))) {
		free_proc(p);
		spin_unlock(&p->lock);
		return NULL;
	}
	p->vdso->pid = p->pid;
	memset(p->tf, 0, sizeof(*p->tf));
	memset(p->context, 0, sizeof(*p->context));
	p->context->ra = (uint64)fork_return;
	p->context->sp = proc_kstack_start(p);
	return p;
}

/* A new process starts in the kernel here, from the scheduler's swtch(). */
static void
fork_return(void)
{
	static bool first = true;
	struct proc *p = myproc();

	spin_unlock(&p->lock);
	if (first && !proc_is_init(p))
		panic("fork_return: the first process is not init");
	if (first) {
		/* mounting sleeps on the disk, so it happens here, in the first process */
		first = false;
		fs_init();
		p->cwd = fs_root();
		char *argv[] = { "init", NULL };
		if (exec_kernel("/bin/init", false, argv) < 0) {
			/* a damaged disk must not stop the machine: the kernel has its own copy */
			if (fs_mounted())
				kprintf("init: /bin/init cannot run: starting the built-in init\n");
			if (exec_kernel("/bin/init", true, argv) < 0)
				panic("cannot run init");
		}
	}
	if (proc_killed(p))
		proc_exit(-1);  /* killed before it ever ran */
	if (p->set_tid) {
		int tid = p->pid;
		copyout(p->set_tid, &tid, sizeof(tid));         /* a bad address is the program's loss */
		p->set_tid = 0;
	}
	user_return();
}

/* Set up pid 1, which will exec "init" when it first runs. */
void
proc_start_init(void)
{
	struct proc *p = alloc_proc();

	if (!p)
		panic("proc_start_init: no memory");
	init_proc = p;
	p->pgid = p->sid = p->pid;
	strlcpy(p->name, "init", sizeof(p->name));
	/* descriptors 0, 1 and 2 on the console, inherited by everything */
	struct file *console = file_open_device(CONSOLE, true, true);
	if (!console)
		panic("proc_start_init: no file for the console");
	p->ofile[0] = console;
	p->ofile[1] = file_dup(console);
	p->ofile[2] = file_dup(console);
	p->nofile = p->nofile_max = NOFILE;
	p->state = RUNNABLE;
	spin_unlock(&p->lock);
}

int
proc_fork(void)
{
	return proc_clone(0, 0, 0, 0);
}

/*
 * The vfork parent p sleeps until its child lets it go (vfork_done): the
 * child execs or exits.  Only a kill, or a signal that will kill p, ends
 * the wait early, as on Linux; the child then goes on alone (the mm it borrowed stays while it uses it).
 * The child may have run on another hart while p was still here, in the
 * kernel on the same table, and taken entries away: that marked this hart
 * (vm/tlb.c, rule 3), a mark p pays before it goes back to user mode.
 */
static void
vfork_wait(struct proc *p)
{
	spin_lock(&wait_lock);
	while (p->vfork_child && !proc_killed(p) && !signal_fatal_pending(p))
		sleep(&p->vfork_child, &wait_lock);
	if (p->vfork_child) {
		p->vfork_child->vfork_parent = NULL;
		p->vfork_child = NULL;
	}
	spin_unlock(&wait_lock);
	tlb_sync_hart();
}

/* p has left the memory of its vfork parent (exec's commit, exit): the parent goes on. */
static void
vfork_done(struct proc *p)
{
	spin_lock(&wait_lock);
	struct proc *parent = p->vfork_parent;
	if (parent) {
		p->vfork_parent = NULL;
		parent->vfork_child = NULL;
		wakeup(&parent->vfork_child);
	}
	spin_unlock(&wait_lock);
}

/*
 * fork, with Linux clone's options: the child starts with stack pointer
 * sp (if not 0), and stores its pid at set_tid (if not 0) in its own
 * memory as it first returns to user mode (CLONE_CHILD_SETTID); the
 * parent stores it at parent_tid (if not 0: CLONE_PARENT_SETTID) before
 * the child can run.  how: CLONE_SHARE_MM, the child runs on
 * our address space instead of a copy (vm/mm.h: users), CLONE_WAIT, we
 * sleep until the child execs or exits: the two make vfork.  The child's
 * pid, or -1.
 */
int
proc_clone(uint64 sp, uint64 set_tid, uint64 parent_tid, int how)
{
	struct proc *p = myproc();
	struct proc *np = alloc_proc();

	if (!np)
		return -1;
	if (!(how & CLONE_SHARE_MM) && mm_copy(p->mm, np->mm) < 0) {
		free_proc(np);
		spin_unlock(&np->lock);
		return -1;
	}
	np->trace_mask = p->trace_mask;
	np->trace_flags = p->trace_flags;
	if (signal_fork(p, np) < 0) {
		free_proc(np);
		spin_unlock(&np->lock);
		return -1;
	}
	if (how & CLONE_SHARE_MM) {     /* nothing below fails: no undoing the borrow */
		mm_destroy(np->mm);
		np->mm = p->mm;
		mm_borrow(p->mm);
	}
	np->pgid = p->pgid;
	np->sid = p->sid;
	np->abi = p->abi;
	np->fpu_on = p->fpu_on;
	fpu_sync(p);
	*np->fpu = *p->fpu;
	*np->tf = *p->tf;
	np->tf->a0 = 0;         /* fork() returns 0 in the child */
	if (sp)
		np->tf->sp = sp;
	np->set_tid = set_tid;
	for (int fd = 0; fd < NOFILE; fd++)
		np->ofile[fd] = p->ofile[fd] ? file_dup(p->ofile[fd]) : NULL;
	np->cloexec = p->cloexec;
	np->nofile = p->nofile;
	np->nofile_max = p->nofile_max;
	np->cwd = p->cwd ? idup(p->cwd) : NULL;
	/* p runs it: nothing has it open for writing, and the denial cannot fail */
	np->text = p->text && inode_deny_write(p->text) == 0 ? idup(p->text) : NULL;
	strlcpy(np->name, p->name, sizeof(np->name));
	strlcpy(np->exe, p->exe, sizeof(np->exe));
	if ((np->cmdline = p->cmdline))
		page_get(np->cmdline);
	np->cmdline_len = p->cmdline_len;
	int pid = np->pid;
	spin_unlock(&np->lock);
	if (parent_tid)
		copyout(parent_tid, &pid, sizeof(pid));   /* a bad address is the program's loss */

	spin_lock(&wait_lock);
	np->parent = p;
	np->vdso->ppid = p->pid;
	if (how & CLONE_WAIT) {
		np->vfork_parent = p;
		p->vfork_child = np;
	}
	spin_unlock(&wait_lock);

	spin_lock(&np->lock);
	np->state = RUNNABLE;
	spin_unlock(&np->lock);
	sched_kick();
	if (how & CLONE_WAIT)
		vfork_wait(p);
	return pid;
}

/*
 * Is group pgid, without gone (exiting), orphaned (no member has a parent
 * in another group of its session, who could continue it) with a member
 * stopped, or about to stop?  Caller holds wait_lock, so parents stay put.
 */
static bool
orphaned_and_stopped(int pgid, struct proc *gone)
{
	bool stopped = false;

	for (struct proc *c = procs; c < &procs[NPROC]; c++) {
		if (c == gone || c->state == UNUSED || c->state == ZOMBIE || c->pgid != pgid)
			continue;
		struct proc *par = c->parent;
		/* init continues no one (Linux leaves it out too) */
		if (par && par != gone && par != init_proc && par->pgid != pgid && par->sid == c->sid)
			return false;
		/* a stop signal not yet acted on (a child that has not run) counts too */
		stopped |= __atomic_load_n(&c->stopped, __ATOMIC_RELAXED) ||
			   (__atomic_load_n(&c->sig_pending, __ATOMIC_RELAXED) & STOP_SIGNALS);
	}
	return stopped;
}

/*
 * POSIX's rule for a group p's exit orphans (its own, or a child's): if
 * a member is stopped, every member gets SIGHUP, then SIGCONT, since no
 * one is left who could continue them (they would stay stopped for ever).
 */
static void
hang_up_orphans(struct proc *p, int pgid)
{
	if (pgid > 0 && orphaned_and_stopped(pgid, p)) {
		signal_group(pgid, SIGHUP);
		signal_group(pgid, SIGCONT);
	}
}

/* Give p's children to init.  Caller holds wait_lock. */
static void
reparent(struct proc *p)
{
	for (struct proc *c = procs; c < &procs[NPROC]; c++) {
		if (c->parent == p) {
			c->parent = init_proc;
			if (c->vdso)
				c->vdso->ppid = init_proc->pid;
			wakeup(init_proc);
			if (c->pgid != p->pgid && c->sid == p->sid)
				hang_up_orphans(p, c->pgid);
		}
	}
	hang_up_orphans(p, p->pgid);
}

bool
proc_is_init(struct proc *p)
{
	return p == init_proc;
}

/*
 * p now runs the program file text (NULL: a built-in program, or none):
 * it holds a reference and a write denial of it (fs/inode.c), given back
 * here for the program it ran before.
 */
void
proc_set_text(struct proc *p, struct inode *text)
{
	struct inode *old = p->text;

	p->text = text;
	if (old) {
		inode_allow_write(old);
		iput_op(old);
	}
}

/*
 * The one teardown of an address space, for exit (new NULL) and exec's
 * commit (new: the image that replaces it; mm_take_root moves it into the
 * loaded root page).  p is the running process.  Shared file mappings
 * reach their files first; the old mm is unpublished under vm_lock, so
 * that vmprint never walks a table being freed, and its pages stay counted
 * for p while they go (the OOM killer must wait for them, not pick
 * another).  The old table stays loaded here until the scheduler switches
 * away or exec pays its mark (vm/tlb.c, rule 4): nothing in between
 * touches user memory.
 *
 * A vfork child leaving the mm it borrowed (vm/mm.h: users) frees nothing
 * unless its parent has left meanwhile: exec built its image with a root
 * of its own (the borrowed root stays the parent's), loaded here; then the
 * parent goes on (vfork_done).
 */
void
proc_replace_mm(struct proc *p, struct mm *new)
{
	struct mm *old = p->mm;
	bool alone = !mm_shared(old);   /* else a vfork child leaves its parent's */

	if (alone)
		mm_sync(old, 0, USER_TOP, false);
	sleep_lock(&p->vm_lock);
	if (alone)
		__atomic_store_n(&p->leaving_pages, old->rss, __ATOMIC_RELAXED);
	push_off();     /* no switch away while p->mm's root is the one with no kernel half */
	if (new && !new->loadable)
		mm_take_root(new, old);
	__atomic_store_n(&p->mm, new, __ATOMIC_RELEASE);
	if (new)
		as_activate(new->pagetable);    /* the root p had loaded already, unless it was borrowed */
	pop_off();
	sleep_unlock(&p->vm_lock);
	if (mm_leave(old)) {
		if (!alone) {   /* the parent left meanwhile: its memory is ours to free */
			mm_sync(old, 0, USER_TOP, false);
			__atomic_store_n(&p->leaving_pages, old->rss, __ATOMIC_RELAXED);
		}
		mm_destroy(old);
	}
	__atomic_store_n(&p->leaving_pages, 0, __ATOMIC_RELEASE);
	vfork_done(p);
	vmobj_collect();        /* files unlinked while mapped can go now */
}

/* Give back p's user memory (exiting): free the moment it dies, not when reaped. */
static void
release_memory(struct proc *p)
{
	proc_replace_mm(p, NULL);
	kalloc_give_back(&p->set_aside);
}

void
proc_exit(int status)
{
	struct proc *p = myproc();

	if (p == init_proc)
		panic("init exiting with status %d", status);
	/*
	 * Reached with interrupts still off from a trap (a timer interrupt,
	 * or fork_return of a process killed before it ran); exit sleeps, so
	 * they go back on (no spinlock is held here).
	 */
	intr_on();
	itimer_set(p, 0, 0);
	release_memory(p);
	for (int fd = 0; fd < NOFILE; fd++) {
		if (p->ofile[fd]) {
			file_close(p->ofile[fd]);
			p->ofile[fd] = NULL;
		}
	}
	if (p->cwd) {
		iput_op(p->cwd);
		p->cwd = NULL;
	}
	proc_set_text(p, NULL);

	spin_lock(&wait_lock);
	reparent(p);
	struct proc *parent = p->parent;
	if (signal_child_exit(parent, p, status)) {
		p->parent = init_proc;          /* the parent wants no zombie: init reaps it */
		wakeup(init_proc);
	}
	wakeup(parent);
	spin_lock(&p->lock);
	p->xstate = status;
	p->state = ZOMBIE;
	spin_unlock(&wait_lock);

	sched();
	panic("zombie exit");
}

/*
 * Reap zombie child c (wait_lock and c->lock held), storing its status at
 * status_addr first (unless 0).  The store runs with no lock held, so a
 * fault in it may wait for memory; c stays our zombie meanwhile, since
 * only its parent reaps it and only its parent's exit reparents it.
 * Returns c's pid, or -1 if the status cannot be stored (c stays a
 * zombie).  Returns with no lock held.
 */
static int
reap(struct proc *c, uint64 status_addr, int *kstatus, bool linux_status)
{
	assert_held(&wait_lock);
	assert_held(&c->lock);
	int pid = c->pid, xstate = c->xstate;

	if (linux_status)       /* Linux's wait status: the signal, or the exit code's low byte << 8 */
		xstate = c->termsig ? c->termsig : (xstate & 0xff) << 8;

	spin_unlock(&c->lock);
	spin_unlock(&wait_lock);
	/*
	 * The status word is usually on a stack page the fork made
	 * copy-on-write: take that fault before the copy, not inside its
	 * user-access window, where it costs two more TLB flushes on QEMU.
	 */
	if (status_addr && (user_prefault(status_addr, sizeof(xstate), true) < 0 ||
			    copyout(status_addr, &xstate, sizeof(xstate)) < 0))
		return -EFAULT;
	if (kstatus)
		*kstatus = xstate;
	spin_lock(&wait_lock);
	spin_lock(&c->lock);
	free_proc(c);
	spin_unlock(&c->lock);
	spin_unlock(&wait_lock);
	return pid;
}

/* Does child c answer wait's pid: -1 any, > 0 that one, 0 p's group, < -1 group -pid? */
static bool
wait_matches(struct proc *p, struct proc *c, int pid)
{
	if (pid == -1)
		return true;
	if (pid > 0)
		return c->pid == pid;
	return c->pgid == (pid == 0 ? p->pgid : -pid);
}

/*
 * Wait for child pid to exit (any child if pid is -1, one of p's group if
 * 0, of group -pid if below -1); store its status at user address
 * status_addr (unless 0) or into *kstatus (unless NULL).  flags WAIT_*:
 * WAIT_NOHANG returns 0 at once if no child has changed yet; WAIT_LINUX
 * stores Linux's status word (else exit()'s value, as xv6); WAIT_STOPPED
 * and WAIT_CONTINUED report children stopped and continued too.  The
 * child's pid, 0, or -ECHILD (no such child), -EINTR (killed),
 * -ERESTARTSYS (a signal came) or -EFAULT (the child then stays a zombie).
 */
int
proc_wait(int pid, uint64 status_addr, int *kstatus, int flags)
{
	struct proc *p = myproc();

	spin_lock(&wait_lock);
	for (;;) {
		bool have_kids = false;
		for (struct proc *c = procs; c < &procs[NPROC]; c++) {
			if (c->parent != p || !wait_matches(p, c, pid))
				continue;
			spin_lock(&c->lock);
			have_kids = true;
			if (c->state == ZOMBIE)
				return reap(c, status_addr, kstatus, flags & WAIT_LINUX);
			int change = (flags & WAIT_STOPPED) && c->stop_report ? (c->stop_report << 8) | 0x7f :
				     (flags & WAIT_CONTINUED) && c->cont_report ? 0xffff : 0;
			if (change) {
				c->stop_report = 0;
				c->cont_report = false;
				int cpid = c->pid;
				spin_unlock(&c->lock);
				spin_unlock(&wait_lock);
				if (status_addr && copyout(status_addr, &change, sizeof(change)) < 0)
					return -EFAULT;
				if (kstatus)
					*kstatus = change;
				return cpid;
			}
			spin_unlock(&c->lock);
		}
		if (!have_kids || proc_interrupted(p) || (flags & WAIT_NOHANG)) {
			spin_unlock(&wait_lock);
			return !have_kids ? -ECHILD : proc_killed(p) ? -EINTR :
			       proc_interrupted(p) ? -ERESTARTSYS : 0;
		}
		sleep(p, &wait_lock);
	}
}


/* Mark p killed by sig (p->lock held); it exits on its way back to user mode. */
void
proc_mark_killed(struct proc *p, int sig)
{
	assert_held(&p->lock);
	if (!p->termsig)
		p->termsig = sig;
	__atomic_store_n(&p->killed, 1, __ATOMIC_RELEASE);
	proc_wake_locked(p);
}

/*
 * End p's sleep (p->lock held) for a signal or a kill: p's sleep checks
 * why (proc_interrupted).  If p is not asleep it may be on its way to a
 * sleep, past its last look: that sleep returns at once (sched.c, sleep).
 */
void
proc_wake_locked(struct proc *p)
{
	assert_held(&p->lock);
	if (p->state == SLEEPING)
		p->state = RUNNABLE;
	else
		p->wake_pending = true;
}

/*
 * kill(pid).  -1 if there is no such process, or it is init: pid 1 reaps
 * every orphan and keeps the console's shell alive, so nobody may kill
 * it.  A zombie is there until reaped: killing it succeeds and changes
 * nothing, as on xv6 and POSIX systems.
 */
int
proc_kill(int pid)
{
	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		spin_lock(&p->lock);
		if (p->pid == pid && p->state != UNUSED && p != init_proc) {
			if (p->state != ZOMBIE)
				proc_mark_killed(p, SIGKILL);
			spin_unlock(&p->lock);
			sched_kick();
			return 0;
		}
		spin_unlock(&p->lock);
	}
	return -1;
}

/* Kill p (never init), waking it if it sleeps.  Caller holds no p->lock. */
void
proc_kill_proc(struct proc *p)
{
	if (p == init_proc)
		panic("proc_kill_proc: init");
	spin_lock(&p->lock);
	if (p->state != UNUSED && p->state != ZOMBIE)
		proc_mark_killed(p, SIGKILL);
	spin_unlock(&p->lock);
	sched_kick();
}

/*
 * A fault of the running process p we cannot resolve: say so in one line
 * and kill it.  May run inside a kernel trap taken while a lock is held
 * (a copy under the pipe lock, or another process's lock in vmprint), so
 * it marks p killed without taking p->lock: the flag only goes from 0 to
 * 1, and p reads it back (proc_killed) before returning to user mode.
 */
void
proc_kill_fault(struct proc *p, const char *what, uint64 addr, uint64 pc)
{
	kprintf("pid %d (%s): killed: %s at %p, pc %p\n", p->pid, p->name, what,
		(void *)addr, (void *)pc);
	if (!p->termsig)
		p->termsig = strcmp(what, "illegal instruction") == 0 ? SIGILL : SIGSEGV;
	__atomic_store_n(&p->killed, 1, __ATOMIC_RELEASE);
}

uint64
proc_count(void)
{
	uint64 n = 0;

	for (struct proc *p = procs; p < &procs[NPROC]; p++)
		if (p->state != UNUSED)
			n++;
	return n;
}

/* The pids of the live processes now, into pids; how many.  A snapshot: any may end meanwhile. */
int
proc_live_pids(int pids[NPROC])
{
	int n = 0;

	for (struct proc *p = procs; p < &procs[NPROC]; p++)
		if (p->state != UNUSED && p->state != ZOMBIE && p->pid > 0)
			pids[n++] = p->pid;
	return n;
}

/*
 * Move process pid (0: the caller; else the caller or a child of it) into
 * group pgid (0: its own pid's), which must be in the caller's session.
 * 0, or -EINVAL, -ESRCH, -EPERM (a session leader, another session's).
 */
int
proc_setpgid(int pid, int pgid)
{
	struct proc *self = myproc();

	if (pgid < 0)
		return -EINVAL;
	struct proc *p = pid == 0 ? self : proc_find(pid);
	if (!p || (p != self && p->parent != self))
		return -ESRCH;
	if (p->sid != self->sid || p->pid == p->sid)
		return -EPERM;
	if (pgid == 0)
		pgid = p->pid;
	if (pgid != p->pid && !proc_group_in_session(pgid, self->sid))
		return -EPERM;
	p->pgid = pgid;
	return 0;
}

/* Is some live process in group pgid, of session sid (-1: any session)? */
bool
proc_group_in_session(int pgid, int sid)
{
	for (struct proc *p = procs; p < &procs[NPROC]; p++)
		if (p->state != UNUSED && p->state != ZOMBIE && p->pgid == pgid &&
		    (sid == -1 || p->sid == sid))
			return true;
	return false;
}

/* The live process with this pid, or NULL.  For introspection only. */
struct proc *
proc_find(int pid)
{
	for (struct proc *p = procs; p < &procs[NPROC]; p++)
		if (p->pid == pid && p->state != UNUSED && p->state != ZOMBIE)
			return p;
	return NULL;
}

/*
 * p's resident pages, read without p's locks: its mm may be freed as we
 * look (exit), so the number is a hint (for the OOM killer, ps), and a
 * freed mm page still reads as memory (the direct map covers all RAM).
 * While exit frees them, they are still p's (leaving_pages).
 */
uint64
proc_rss(struct proc *p)
{
	struct mm *mm = __atomic_load_n(&p->mm, __ATOMIC_ACQUIRE);

	return mm ? __atomic_load_n(&mm->rss, __ATOMIC_RELAXED)
		  : __atomic_load_n(&p->leaving_pages, __ATOMIC_ACQUIRE);
}

/*
 * ^P on the console: every process's pid, state and name, and for one
 * asleep what it sleeps on and its kernel stack's return addresses (from
 * the frame its switch saved; tools/symbolize names them).  Read without
 * locks, on purpose: it is for a system that is stuck, perhaps on them.
 */
void
proc_dump(void)
{
	static const char *const names[] = {
		[UNUSED] = "unused", [USED] = "used", [SLEEPING] = "sleep",
		[RUNNABLE] = "runble", [RUNNING] = "run", [ZOMBIE] = "zombie",
	};

	kprintf("\n");
	for (struct proc *p = procs; p < &procs[NPROC]; p++) {
		enum procstate s = __atomic_load_n(&p->state, __ATOMIC_RELAXED);
		if (s == UNUSED)
			continue;
		kprintf("%d %s %s%s", p->pid, names[s], p->name, p->killed ? " (killed)" : "");
		if (s != SLEEPING) {
			kprintf("\n");
			continue;
		}
		kprintf(" on %p ", p->chan);
		backtrace(p->context->s[0]);
	}
}

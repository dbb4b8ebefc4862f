/*
 * Processes.  Locking:
 *  - p->lock guards state, chan, xstate and pid, and is held across
 *    swtch() into and out of the process;
 *  - killed only goes from 0 to 1, with an atomic store; it is read
 *    without the lock (proc_killed), so the trap path takes no lock;
 *  - wait_lock guards every p->parent and orders wakeups of waiting parents;
 *    take it before any p->lock;
 *  - vm_lock (a sleep lock) is held to replace or free p->mm (exec, exit)
 *    and by anyone else reading it (vmprint of another pid); p's own
 *    thread changes its mm in place without it;
 *  - the remaining fields are the process's own: only its kernel thread
 *    touches them (or its parent, before it first runs or after it died).
 */
#ifndef SCHED_PROC_H
#define SCHED_PROC_H

#include "lib/types.h"
#include "sync/spinlock.h"
#include "sync/sleeplock.h"
#include "sched/cpu.h"
#include "sched/trapframe.h"
#include "sched/alarm.h"
#include "sched/fpu.h"
#include "vm/kernel_layout.h"
#include <canopy/param.h>
#include <canopy/layout.h>

STATIC_ASSERT(NOFILE <= 64);    /* the cloexec bits of struct proc */

enum procstate { UNUSED, USED, SLEEPING, RUNNABLE, RUNNING, ZOMBIE };

/* Which system calls a process makes: Canopy's (and xv6's), or Linux's (src/linux). */
#define ABI_CANOPY      0
#define ABI_LINUX       1

struct file;
struct inode;

struct proc {
	/* read by the scheduler's and wakeup's scans of every slot: keep first */
	struct spinlock lock;
	enum procstate state;
	int killed;
	void *chan;             /* sleeping on this */
	int xstate;             /* exit status for the parent's wait() */
	int pid;

	int slot;               /* index in procs[]: picks the kernel stack */
	int copy_nowait;        /* >0: a fault in a copy must not sleep (vm_lock held) */
	struct proc *parent;    /* under wait_lock */
	struct proc *vfork_parent;  /* under wait_lock: sleeps until we exec or exit (CLONE_VFORK) */
	struct proc *vfork_child;   /* under wait_lock: the child we sleep for, until it lets us go */
	struct trapframe *tf;   /* top of the kernel stack */
	struct mm *mm;          /* its address space (vm/mm.h); NULL once it has exited */
	uint64 nsyscalls;       /* system calls made, for tests */
	uint64 trace_mask;      /* system calls to trace (sched/trace.c); kept by fork, exec */
	int trace_flags;
	uint32 set_aside;       /* pages a test set aside (kalloc_set_aside), back at exit */
	struct alarm alarm;     /* sigalarm (sched/alarm.c); cleared by fork, exec */
	uint8 abi;              /* ABI_CANOPY or ABI_LINUX: its system calls; set by exec */
	bool fpu_on;            /* its program uses FP (sched/fpu.h) */
	struct fpstate *fpu;    /* its FP registers while off the hart, in its stack slot */
	uint64 sig_pending;     /* signals sent, not yet delivered (sched/signal.h) */
	uint64 sig_blocked;
	uint64 sig_saved;       /* rt_sigsuspend: the mask to restore */
	bool sig_restore;
	bool stopped;           /* by a stop signal, until SIGCONT (under p->lock) */
	bool wake_pending;      /* under p->lock: woken while not asleep; the next sleep returns (sleep) */
	bool cont_report;       /* continued, not yet told to a waiting parent */
	int stop_report;        /* stopped by this signal, not yet told to a waiting parent */
	struct sigpage *sig;    /* actions and details; NULL: all default */
	uint64 orig_a0;         /* a Linux call's first argument, to restart it */
	uint64 itimer_at, itimer_every;   /* ITIMER_REAL: due at this tick, then every so many (0: off) */
	int pgid, sid;          /* process group and session */
	uint64 set_tid;         /* CLONE_CHILD_SETTID: where the new child stores its pid */
	int termsig;            /* the signal that ends it (set before killed), or 0: exit() */
	struct context *context; /* saved by swtch(), at the top of the kernel stack slot */
	struct sleeplock vm_lock;
	uint64 leaving_pages;   /* at exit, the pages of its mm while they are being freed */
	struct vdso_proc *vdso; /* our VDSO_PROC page (kernel address) */
	struct file *ofile[NOFILE];
	uint64 cloexec;         /* bit fd: close ofile[fd] at exec (FD_CLOEXEC) */
	uint8 nofile, nofile_max; /* RLIMIT_NOFILE: new descriptors are below nofile; kept by fork, exec */
	struct inode *cwd;      /* current directory; NULL without a file system */
	struct inode *text;     /* the program file it runs, denied writing; NULL: built in */
	char name[PROC_NAME_LEN];
	int umask;              /* Linux's umask: kept and reported, files have no modes */
	char exe[MAXPATH];      /* its program's absolute path (/proc/self/exe) */
	char *cmdline;          /* a page: its arguments, each NUL-ended (/proc/PID/cmdline); shared by fork, under p->lock */
	uint32 cmdline_len;
	uint64 start_ticks;     /* timer tick of its fork */
};

extern struct proc procs[NPROC];

/*
 * Where p's kernel stack starts: below the frames at the top of its slot
 * (proc_init).  Without KPTI the trap entry starts it below the trapframe.
 */
static inline uint64
proc_kstack_start(struct proc *p)
{
	return CONFIG_KPTI ? (uint64)p->fpu : (uint64)p->tf;
}
extern struct spinlock wait_lock;

struct proc *myproc_hart(void);
void proc_init(void);
void proc_start_init(void);
int proc_fork(void);
int proc_clone(uint64 sp, uint64 set_tid, uint64 parent_tid, int how);
#define CLONE_SHARE_MM  0x1     /* the child runs on our mm until it execs or exits */
#define CLONE_WAIT      0x2     /* we sleep until the child execs or exits */
void proc_exit(int status) __attribute__((noreturn));
int proc_wait(int pid, uint64 status_addr, int *kstatus, int flags);
#define WAIT_NOHANG     0x1
#define WAIT_LINUX      0x2
#define WAIT_STOPPED    0x4     /* report children stopped (WUNTRACED) */
#define WAIT_CONTINUED  0x8     /* ... and continued (WCONTINUED) */

int proc_kill(int pid);
void proc_kill_proc(struct proc *p);
void proc_mark_killed(struct proc *p, int sig);
void proc_wake_locked(struct proc *p);
bool proc_is_init(struct proc *p);
void proc_kill_fault(struct proc *p, const char *what, uint64 addr, uint64 pc);
uint64 proc_count(void);
uint64 proc_rss(struct proc *p);
struct mm;
void proc_replace_mm(struct proc *p, struct mm *new);
void proc_set_text(struct proc *p, struct inode *text);
void proc_dump(void);
struct proc *proc_find(int pid);
int proc_live_pids(int pids[NPROC]);
int proc_last_pid(void);
bool proc_group_in_session(int pgid, int sid);
int proc_setpgid(int pid, int pgid);

void sleep(void *chan, struct spinlock *lk);
void wakeup(void *chan);
void yield(void);
void sched(void);
void scheduler(void) __attribute__((noreturn));

/*
 * The process whose kernel thread is running.  Its kernel stack says so:
 * the stack lies in the process's own slot of the stack area (vm/kernel_layout.h),
 * so this needs no interrupt masking and stays right if the thread moves
 * to another hart.  On a hart's own stack (the scheduler, boot) it is the
 * hart's current process, or NULL.  On the trap path, so kept cheap.
 */
static inline struct proc *
myproc(void)
{
	uint64 slot = (r_sp() - 1 - KSTACK_BASE) / KSTACK_SLOT;

	if (slot < NPROC)
		return &procs[slot];
	return myproc_hart();
}

/* fd's close-on-exec flag (FD_CLOEXEC). */
static inline bool
proc_cloexec(const struct proc *p, int fd)
{
	return (p->cloexec >> fd) & 1;
}

static inline void
proc_set_cloexec(struct proc *p, int fd, bool on)
{
	p->cloexec = (p->cloexec & ~(1UL << fd)) | ((uint64)on << fd);
}

/* Should p's sleep end: killed, or a signal it does not block is pending? */
static inline bool
proc_interrupted(struct proc *p)
{
	return __atomic_load_n(&p->killed, __ATOMIC_ACQUIRE) != 0 ||
	       (__atomic_load_n(&p->sig_pending, __ATOMIC_ACQUIRE) & ~p->sig_blocked) != 0;
}

/* Has p been killed?  The flag only goes from 0 to 1 while p lives. */
static inline bool
proc_killed(struct proc *p)
{
	return __atomic_load_n(&p->killed, __ATOMIC_ACQUIRE) != 0;
}

#endif

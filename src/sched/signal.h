/*
 * Signals, Linux's model, for every process (sched/signal.c).  Numbers,
 * flags and frame layouts are Linux's (lib/signal.h).
 *
 * Rules:
 *  - p->sig_pending (bit sig-1 per signal) changes only under p->lock;
 *    p->sig_blocked only in p's own thread (a sender reads it racily:
 *    the thread checks its pending set itself before it returns to user
 *    mode);
 *  - p->sig (actions, the last pending signal's details, the alternate
 *    stack) is a page allocated at the first rt_sigaction or sigaltstack;
 *    without it every action is the default; only p's thread changes it;
 *  - a signal is delivered only on the way back to user mode
 *    (signal_deliver), one handler frame at a time;
 *  - a sleep that a signal should end checks proc_interrupted() (sched/proc.h)
 *    and fails; the Linux layer turns that failure into -ERESTARTSYS
 *    (restart if the handler has SA_RESTART, else -EINTR) or -EINTR.
 */
#ifndef SCHED_SIGNAL_H
#define SCHED_SIGNAL_H

#include "lib/types.h"
#include "lib/signal.h"

#define NSIG_LINUX      64
#define SIGBIT(sig)     (1UL << ((sig) - 1))
#define STOP_SIGNALS    (SIGBIT(SIGSTOP) | SIGBIT(SIGTSTP) | SIGBIT(SIGTTIN) | SIGBIT(SIGTTOU))
#define SIG_UNBLOCKABLE (SIGBIT(SIGKILL) | SIGBIT(SIGSTOP))

/*
 * The internal result of a system call a signal interrupted, to be
 * restarted unless a handler without SA_RESTART runs (Linux's value; it
 * never reaches user space).
 */
#define ERESTARTSYS     512
#define ERESTARTNOHAND  514     /* restart unless a handler runs (pause, ppoll): then -EINTR */

/* What a pending signal carries into its handler's siginfo. */
struct sig_detail {
	int code;               /* si_code */
	int pid;                /* sender, or the child (SIGCHLD) */
	int status;             /* SIGCHLD: exit code or signal */
	int pad;
	uint64 addr;            /* faults: the address */
};

struct sig_action {
	uint64 handler;         /* SIG_DFL, SIG_IGN or a user address */
	uint64 flags;           /* SA_* */
	uint64 mask;            /* blocked while the handler runs */
};

struct sigpage {
	struct sig_action act[NSIG_LINUX + 1];          /* by signal number */
	struct sig_detail detail[NSIG_LINUX + 1];
	uint64 altstack_sp, altstack_size;
	int altstack_flags;
};

struct proc;
struct trapframe;

int signal_send(struct proc *p, int sig, const struct sig_detail *d);
int signal_send_pid(int pid, int sig, int sender);
void signal_group(int pgid, int sig);
void signal_deliver(struct proc *p, struct trapframe *tf, bool from_call);
bool signal_fault(struct proc *p, int sig, int code, uint64 addr);
long signal_return(struct proc *p, struct trapframe *tf);
struct sigpage *signal_page(struct proc *p);
int signal_fork(struct proc *parent, struct proc *child);
void signal_exec(struct proc *p);
void signal_free(struct proc *p);
bool signal_ignored(struct proc *p, int sig);
bool signal_fatal_pending(struct proc *p);
bool signal_child_exit(struct proc *parent, struct proc *child, int status);

#endif

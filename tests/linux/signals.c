// signals.c: signals under the Linux system-call ABI.
// Covers sigaction handlers run by kill(getpid()) (siginfo, sa_mask,
// SA_RESETHAND, SA_NODEFER), SIG_IGN, sigprocmask and sigpending (standard
// signals merge, real-time signals queue, sigqueue values), SIGKILL cannot
// be caught or blocked, sigsuspend, SIGCHLD (handler, SIG_IGN auto-reap),
// SIGPIPE (default kills, handled gives EPIPE), SIGSEGV (handler with
// si_addr, default kills, on an alternate stack), alarm and setitimer,
// EINTR from read/pause/nanosleep vs SA_RESTART, stop/continue of a child,
// masks/handlers inherited across fork, SIGHUP then SIGCONT for a
// stopped process whose group its parent's exit orphans, and SIGTERM
// racing a child on its way into pause or a pipe read. Not checked: sa_mask
// blocking extra signals in a handler (qemu-user 7.2 ignores it for
// riscv64, so its output could not serve as the reference).
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static volatile sig_atomic_t hits, last_signo, last_code, last_pid_ok;
static volatile sig_atomic_t self_blocked, last_value, last_status;
static void *volatile last_addr;
static sigjmp_buf jb;
static char *altstack;

static void handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    hits++;
    last_signo = sig;
    last_code = si->si_code;
    last_pid_ok = si->si_pid == getpid();
    last_value = si->si_value.sival_int;
    last_status = si->si_status;
    self_blocked = sigismember(&cur, sig);
}

static void fault_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    char here;
    last_signo = sig;
    last_addr = si->si_addr;
    last_code = altstack && &here >= altstack && &here < altstack + SIGSTKSZ * 4;
    siglongjmp(jb, 1);
}

static void on(int sig, void (*fn)(int, siginfo_t *, void *), int flags)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = fn;
    sa.sa_flags = SA_SIGINFO | flags;
    sigemptyset(&sa.sa_mask);
    sigaction(sig, &sa, NULL);
}

static void itimer_ms(int ms)
{
    struct itimerval it = { { 0, 0 }, { ms / 1000, (ms % 1000) * 1000 } };
    setitimer(ITIMER_REAL, &it, NULL);
}

static int status_of(pid_t pid)
{
    int st;
    return waitpid(pid, &st, 0) == pid ? st : -1;
}

static void test_basic(void)
{
    on(SIGUSR1, handler, 0);
    hits = 0;
    check("kill-self", kill(getpid(), SIGUSR1), 0);
    check("handler-ran-before-return", hits, 1);
    check("handler-signo", last_signo, SIGUSR1);
    check("handler-si-code-user", last_code, SI_USER);
    check("handler-si-pid-self", last_pid_ok, 1);
    check("handler-self-blocked", self_blocked, 1);
    sigset_t cur;
    sigprocmask(SIG_BLOCK, NULL, &cur);
    check("mask-restored", sigismember(&cur, SIGUSR1) || sigismember(&cur, SIGUSR2), 0);
    check("raise", raise(SIGUSR1), 0);
    check("raise-ran", hits, 2);
    check("kill-sig-zero", kill(getpid(), 0), 0);

    on(SIGUSR1, handler, SA_NODEFER);
    kill(getpid(), SIGUSR1);
    check("nodefer-not-blocked", self_blocked, 0);

    struct sigaction old;
    on(SIGUSR1, handler, SA_RESETHAND);
    hits = 0;
    kill(getpid(), SIGUSR1);
    sigaction(SIGUSR1, NULL, &old);
    check("resethand-ran", hits, 1);
    check("resethand-now-default", old.sa_handler == SIG_DFL, 1);

    signal(SIGUSR1, SIG_IGN);
    check("ignored-kill-ok", kill(getpid(), SIGUSR1), 0);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = SIG_DFL;
    sigaction(SIGUSR1, &sa, &old);
    check("sigaction-returns-old", old.sa_handler == SIG_IGN, 1);
    check_err("sigaction-sigkill", sigaction(SIGKILL, &sa, NULL), EINVAL);
    check_err("sigaction-sigstop", sigaction(SIGSTOP, &sa, NULL), EINVAL);
    check_err("sigaction-bad-signo", sigaction(0, &sa, NULL), EINVAL);
    check_err("sigaction-too-big", sigaction(65, &sa, NULL), EINVAL);
    check("default-ignored-sigwinch", kill(getpid(), SIGWINCH), 0);
    check("default-ignored-sigurg", kill(getpid(), SIGURG), 0);
}

static void test_masks(void)
{
    sigset_t set, old, pend;
    on(SIGUSR1, handler, 0);
    hits = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    check("sigprocmask-block", sigprocmask(SIG_BLOCK, &set, &old), 0);
    check("old-mask-empty", sigismember(&old, SIGUSR1), 0);
    kill(getpid(), SIGUSR1);
    kill(getpid(), SIGUSR1);
    check("blocked-not-delivered", hits, 0);
    sigpending(&pend);
    check("sigpending-has-usr1", sigismember(&pend, SIGUSR1), 1);
    check("sigpending-not-usr2", sigismember(&pend, SIGUSR2), 0);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    check("unblock-delivers-once", hits, 1);
    sigpending(&pend);
    check("sigpending-cleared", sigismember(&pend, SIGUSR1), 0);

    sigfillset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    sigprocmask(SIG_SETMASK, NULL, &old);
    check("cannot-block-sigkill", sigismember(&old, SIGKILL), 0);
    check("cannot-block-sigstop", sigismember(&old, SIGSTOP), 0);
    sigemptyset(&set);
    sigprocmask(SIG_SETMASK, &set, NULL);
    check_err("sigprocmask-bad-how", sigprocmask(99, &set, NULL), EINVAL);

    // Real-time signals queue, with values.
    on(SIGRTMIN, handler, 0);
    sigaddset(&set, SIGRTMIN);
    sigprocmask(SIG_BLOCK, &set, NULL);
    hits = 0;
    for (int i = 1; i <= 3; i++)
        sigqueue(getpid(), SIGRTMIN, (union sigval){ .sival_int = 40 + i });
    sigprocmask(SIG_UNBLOCK, &set, NULL);
    check("rt-signals-queue", hits, 3);
    check("rt-last-value", last_value, 43);
    check("sigqueue-si-code", last_code, SI_QUEUE);

    // sigsuspend: wait with the signal blocked outside.
    sigemptyset(&set);
    sigaddset(&set, SIGALRM);
    sigprocmask(SIG_BLOCK, &set, NULL);
    on(SIGALRM, handler, 0);
    hits = 0;
    itimer_ms(30);
    sigemptyset(&set);
    check_err("sigsuspend-eintr", sigsuspend(&set), EINTR);
    check("sigsuspend-handler", hits == 1 && last_signo == SIGALRM, 1);
    sigprocmask(SIG_SETMASK, NULL, &old);
    check("sigsuspend-mask-back", sigismember(&old, SIGALRM), 1);
    sigprocmask(SIG_SETMASK, &set, NULL);
}

static void test_children(void)
{
    // SIGCHLD with siginfo.
    sigset_t set, none;
    sigemptyset(&set);
    sigemptyset(&none);
    sigaddset(&set, SIGCHLD);
    sigprocmask(SIG_BLOCK, &set, NULL);
    on(SIGCHLD, handler, 0);
    hits = 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(5);
    while (hits == 0)
        sigsuspend(&none);
    check("sigchld-delivered", last_signo, SIGCHLD);
    check("sigchld-code", last_code, CLD_EXITED);
    check("sigchld-status", last_status, 5);
    status_of(pid);
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    // SIGCHLD ignored: children are reaped automatically.
    signal(SIGCHLD, SIG_IGN);
    fflush(stdout);
    if ((pid = fork()) == 0)
        _exit(0);
    int st;
    check_err("sigchld-ign-autoreap", waitpid(pid, &st, 0), ECHILD);
    signal(SIGCHLD, SIG_DFL);

    // Handlers and masks are inherited; pending signals are not.
    on(SIGUSR1, handler, 0);
    sigaddset(&set, SIGUSR2);
    sigprocmask(SIG_BLOCK, &set, NULL);
    kill(getpid(), SIGUSR2);
    fflush(stdout);
    if ((pid = fork()) == 0) {
        sigset_t m, p;
        sigprocmask(SIG_BLOCK, NULL, &m);
        sigpending(&p);
        hits = 0;
        kill(getpid(), SIGUSR1);
        _exit((sigismember(&m, SIGUSR2) ? 1 : 0) |
              (sigismember(&p, SIGUSR2) ? 0 : 2) | (hits == 1 ? 4 : 0));
    }
    st = status_of(pid);
    check("fork-inherits-mask-handler-not-pending", WEXITSTATUS(st), 7);
    signal(SIGUSR2, SIG_IGN);      // discard our pending SIGUSR2
    signal(SIGUSR2, SIG_DFL);
    sigprocmask(SIG_UNBLOCK, &set, NULL);

    // Default actions seen by the parent.
    fflush(stdout);
    if ((pid = fork()) == 0) {
        signal(SIGUSR1, SIG_DFL);
        kill(getpid(), SIGUSR1);
        _exit(0);
    }
    st = status_of(pid);
    check("default-usr1-kills", WIFSIGNALED(st) ? WTERMSIG(st) : 0, SIGUSR1);

    // Stop and continue.
    fflush(stdout);
    if ((pid = fork()) == 0) {
        for (;;)
            pause();
    }
    kill(pid, SIGSTOP);
    check("waitpid-stopped", waitpid(pid, &st, WUNTRACED) == pid &&
          WIFSTOPPED(st) && WSTOPSIG(st) == SIGSTOP, 1);
    kill(pid, SIGCONT);
    check("waitpid-continued", waitpid(pid, &st, WCONTINUED) == pid &&
          WIFCONTINUED(st), 1);
    kill(pid, SIGKILL);
    st = status_of(pid);
    check("sigkill-child", WIFSIGNALED(st) ? WTERMSIG(st) : 0, SIGKILL);
}

static void test_pipe_segv(void)
{
    int p[2];
    pipe(p);
    close(p[0]);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        write(p[1], "x", 1);
        _exit(0);
    }
    int st = status_of(pid);
    check("sigpipe-default-kills", WIFSIGNALED(st) ? WTERMSIG(st) : 0, SIGPIPE);
    on(SIGPIPE, handler, 0);
    hits = 0;
    check_err("sigpipe-handled-epipe", write(p[1], "x", 1), EPIPE);
    check("sigpipe-handler-ran", hits == 1 && last_signo == SIGPIPE, 1);
    close(p[1]);
    signal(SIGPIPE, SIG_DFL);

    on(SIGSEGV, fault_handler, SA_NODEFER);
    volatile int *bad = (int *)16;
    last_signo = 0;
    if (sigsetjmp(jb, 1) == 0)
        (void)*bad;
    check("sigsegv-handler", last_signo, SIGSEGV);
    check("sigsegv-si-addr", last_addr == (void *)bad, 1);
    check("sigsegv-not-on-altstack", last_code, 0);

    // On an alternate signal stack.
    stack_t ss = { 0 }, old;
    altstack = malloc(SIGSTKSZ * 4);
    ss.ss_sp = altstack;
    ss.ss_size = SIGSTKSZ * 4;
    check("sigaltstack", sigaltstack(&ss, &old), 0);
    check("sigaltstack-old-disabled", old.ss_flags & SS_DISABLE, SS_DISABLE);
    on(SIGSEGV, fault_handler, SA_NODEFER | SA_ONSTACK);
    if (sigsetjmp(jb, 1) == 0)
        (void)*bad;
    check("sigsegv-on-altstack", last_code, 1);
    ss.ss_flags = SS_DISABLE;
    sigaltstack(&ss, NULL);
    signal(SIGSEGV, SIG_DFL);

    fflush(stdout);
    if ((pid = fork()) == 0) {
        (void)*bad;
        _exit(0);
    }
    st = status_of(pid);
    check("sigsegv-default-kills", WIFSIGNALED(st) ? WTERMSIG(st) : 0, SIGSEGV);
}

static void test_timers_eintr(void)
{
    on(SIGALRM, handler, 0);
    check("alarm-none-before", alarm(5), 0);
    unsigned left = alarm(0);
    check("alarm-returns-remaining", left >= 4 && left <= 5, 1);
    hits = 0;
    alarm(1);
    pause();
    check("alarm-delivered", hits == 1 && last_signo == SIGALRM, 1);

    struct itimerval it = { { 0, 0 }, { 10, 0 } }, cur;
    setitimer(ITIMER_REAL, &it, NULL);
    getitimer(ITIMER_REAL, &cur);
    check("getitimer-remaining", cur.it_value.tv_sec <= 10 &&
          (cur.it_value.tv_sec > 0 || cur.it_value.tv_usec > 0), 1);
    itimer_ms(0);
    getitimer(ITIMER_REAL, &cur);
    check("setitimer-disarm", cur.it_value.tv_sec == 0 && cur.it_value.tv_usec == 0, 1);
    check_err("setitimer-bad-which", setitimer(99, &it, NULL), EINVAL);

    // Periodic timer fires repeatedly.
    struct itimerval per = { { 0, 20000 }, { 0, 20000 } };
    hits = 0;
    setitimer(ITIMER_REAL, &per, NULL);
    while (hits < 3)
        pause();
    itimer_ms(0);
    check("itimer-periodic", hits >= 3, 1);

    // Blocking read interrupted: EINTR without SA_RESTART.
    int p[2];
    char c;
    pipe(p);
    hits = 0;
    itimer_ms(50);
    check_err("read-eintr", read(p[0], &c, 1), EINTR);
    check("read-eintr-handler", hits, 1);
    itimer_ms(50);
    check_err("pause-eintr", pause(), EINTR);
    struct timespec req = { 5, 0 }, rem = { 0, 0 };
    itimer_ms(50);
    check_err("nanosleep-eintr", nanosleep(&req, &rem), EINTR);
    check("nanosleep-eintr-remaining", rem.tv_sec <= 5 &&
          (rem.tv_sec > 0 || rem.tv_nsec > 0), 1);

    // With SA_RESTART the read resumes and gets the data written later.
    on(SIGALRM, handler, SA_RESTART);
    hits = 0;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(300000);
        write(p[1], "R", 1);
        _exit(0);
    }
    itimer_ms(50);
    c = 0;
    check("read-sa-restart", read(p[0], &c, 1), 1);
    check("read-sa-restart-data", c, 'R');
    check("read-sa-restart-handler", hits, 1);
    status_of(pid);
    close(p[0]);
    close(p[1]);
    signal(SIGALRM, SIG_DFL);
}

static volatile sig_atomic_t got_hup;
static void on_hup(int sig) { (void)sig; got_hup = 1; }
static void on_alarm_eintr(int sig) { (void)sig; }

// A process stops in a group of its own parent's; the parent exits, which
// orphans the group: the kernel must send it SIGHUP (caught here) and
// SIGCONT, or it stays stopped for ever.
static void test_orphaned_group(void)
{
    int p[2];
    char c = 0;
    struct sigaction sa = { .sa_handler = on_alarm_eintr };   // no SA_RESTART

    check("orphan-pipe", pipe(p), 0);
    pid_t mid = fork();
    if (mid == 0) {
        setpgid(0, 0);
        pid_t g = fork();
        if (g == 0) {
            signal(SIGHUP, on_hup);
            raise(SIGSTOP);
            c = got_hup ? 'h' : 'n';
            write(p[1], &c, 1);
            _exit(0);
        }
        int st;
        waitpid(g, &st, WUNTRACED);
        _exit(0);
    }
    close(p[1]);
    waitpid(mid, NULL, 0);
    sigaction(SIGALRM, &sa, NULL);
    alarm(10);
    check("orphaned-stopped-group-goes-on", read(p[0], &c, 1), 1);
    alarm(0);
    check("orphaned-stopped-group-got-sighup", c, 'h');
    close(p[0]);
}

// A signal sent just as its target goes to sleep must still end the
// sleep: a child sleeps in pause() (ppoll) or a pipe read, and is sent
// SIGTERM after 0 to 7 sched_yields, round after round, so that the signal
// lands at every point of the way into the sleep.  A lost wakeup leaves
// the child asleep and this program hung (the suite's timeout).
static int killed_on_the_way_to_sleep(int rounds, int pipe_read)
{
    int lost = 0;
    for (int i = 0; i < rounds; i++) {
        int p[2];
        if (pipe_read && pipe(p) < 0)
            return -1;
        pid_t pid = fork();
        if (pid == 0) {
            char c;
            if (pipe_read)
                read(p[0], &c, 1);
            else
                pause();
            _exit(0);
        }
        for (int k = 0; k < i % 8; k++)
            sched_yield();
        kill(pid, SIGTERM);
        int st;
        waitpid(pid, &st, 0);
        lost += !WIFSIGNALED(st) || WTERMSIG(st) != SIGTERM;
        if (pipe_read) {
            close(p[0]);
            close(p[1]);
        }
    }
    return lost;
}

static void test_wakeup_races(void)
{
    check("sigterm-racing-pause", killed_on_the_way_to_sleep(2000, 0), 0);
    check("sigterm-racing-pipe-read", killed_on_the_way_to_sleep(300, 1), 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_basic();
    test_masks();
    test_children();
    test_pipe_segv();
    test_timers_eintr();
    test_orphaned_group();
    test_wakeup_races();
    printf("signals: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}

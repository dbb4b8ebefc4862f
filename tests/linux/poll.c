// poll.c: waiting on several descriptors under the Linux system-call ABI.
// Covers poll/ppoll and select/pselect6: the events of pipe ends (bytes,
// room, hang-up, no reader), regular files, descriptors not open, a wait
// ended by another process's write or close, timeouts (never early, the
// time left written back), a signal mask that lets a pending signal in
// (EINTR), and bad arguments. Prints properties only, never times.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static long long now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static short revents1(int fd, short events, int timeout)
{
    struct pollfd p = { fd, events, 0 };
    int n = poll(&p, 1, timeout);
    return n < 0 ? -1 : p.revents;
}

static void test_pipe_events(void)
{
    int p[2];
    pipe(p);
    check("poll-empty-pipe-timeout-0", revents1(p[0], POLLIN, 0), 0);
    check("poll-write-end-room", revents1(p[1], POLLOUT | POLLWRNORM, 0),
          POLLOUT | POLLWRNORM);
    check("poll-read-end-never-pollout", revents1(p[0], POLLOUT, 0), 0);
    check("poll-write-end-never-pollin", revents1(p[1], POLLIN, 0), 0);
    write(p[1], "ab", 2);
    check("poll-bytes-pollin", revents1(p[0], POLLIN | POLLRDNORM, 0),
          POLLIN | POLLRDNORM);
    check("poll-bytes-pollin-only-asked", revents1(p[0], POLLIN, 0), POLLIN);
    close(p[1]);
    check("poll-writer-gone-with-bytes", revents1(p[0], POLLIN, 0), POLLIN | POLLHUP);
    char buf[4];
    read(p[0], buf, sizeof buf);
    check("poll-writer-gone-empty", revents1(p[0], POLLIN, 0), POLLHUP);
    check("poll-hup-even-unasked", revents1(p[0], 0, 0), POLLHUP);
    close(p[0]);

    pipe(p);
    close(p[0]);
    check("poll-reader-gone", revents1(p[1], POLLOUT, 0), POLLOUT | POLLERR);
    close(p[1]);

    // a full pipe has no room
    pipe(p);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    static char big[4096];
    while (write(p[1], big, sizeof big) > 0)
        ;
    check("poll-full-pipe-no-room", revents1(p[1], POLLOUT, 0), 0);
    read(p[0], big, sizeof big);
    check("poll-room-after-read", revents1(p[1], POLLOUT, 0), POLLOUT);
    close(p[0]);
    close(p[1]);
}

static void test_other_fds(void)
{
    int fd = open("pf", O_RDWR | O_CREAT | O_TRUNC, 0644);
    check("poll-file-always-ready", revents1(fd, POLLIN | POLLOUT, 0), POLLIN | POLLOUT);
    close(fd);
    unlink("pf");
    check("poll-closed-fd-nval", revents1(fd, POLLIN, 0), POLLNVAL);

    struct pollfd ps[3] = { { -1, POLLIN, 7 }, { 99, POLLIN, 0 }, { -5, POLLOUT, 0 } };
    check("poll-negative-fds-ignored", poll(ps, 3, 0), 1);
    check("poll-negative-fd-revents-zeroed", ps[0].revents, 0);
    check("poll-unopened-fd-nval", ps[1].revents, POLLNVAL);
    check("poll-no-fds-sleeps-then-0", poll(NULL, 0, 20), 0);
    check_err("poll-bad-array", syscall(SYS_ppoll, 8L, 1L, NULL, NULL, 8L), EFAULT);
}

// A child writes (or closes) after a while; the parent's poll, which has
// no timeout, must be woken by it.
static void test_wakeups(void)
{
    int p[2];
    pipe(p);
    pid_t pid = fork();
    if (pid == 0) {
        usleep(50000);
        write(p[1], "x", 1);
        usleep(50000);
        _exit(0);
    }
    close(p[1]);
    check("poll-woken-by-write", revents1(p[0], POLLIN, -1), POLLIN);
    char c;
    read(p[0], &c, 1);
    check("poll-woken-by-exit", revents1(p[0], POLLIN, -1), POLLHUP);
    waitpid(pid, NULL, 0);
    close(p[0]);

    // select on two pipes: only the one written is reported
    int a[2], b[2];
    pipe(a);
    pipe(b);
    pid = fork();
    if (pid == 0) {
        usleep(30000);
        write(b[1], "y", 1);
        _exit(0);
    }
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(a[0], &rd);
    FD_SET(b[0], &rd);
    int n = select((a[0] > b[0] ? a[0] : b[0]) + 1, &rd, NULL, NULL, NULL);
    check("select-woken-by-write", n, 1);
    check("select-right-bit", FD_ISSET(b[0], &rd) && !FD_ISSET(a[0], &rd), 1);
    waitpid(pid, NULL, 0);
    close(a[0]); close(a[1]); close(b[0]); close(b[1]);
}

static void test_timeouts(void)
{
    int p[2];
    pipe(p);
    long long t0 = now_ms();
    check("poll-timeout-returns-0", revents1(p[0], POLLIN, 100), 0);
    check("poll-timeout-not-early", now_ms() - t0 >= 100, 1);

    // the raw calls write the time left back
    struct pollfd pf = { p[0], POLLIN, 0 };
    struct timespec ts = { 0, 30000000 };
    check("ppoll-raw-timeout", syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8), 0);
    check("ppoll-time-left-written", ts.tv_sec == 0 && ts.tv_nsec == 0, 1);
    write(p[1], "z", 1);
    ts.tv_sec = 5;
    ts.tv_nsec = 0;
    check("ppoll-raw-ready", syscall(SYS_ppoll, &pf, 1, &ts, NULL, 8), 1);
    check("ppoll-time-left-most", ts.tv_sec >= 4 && ts.tv_sec <= 5, 1);

    struct timeval tv = { 0, 30000 };
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[1], &rd);      // the write end is never readable
    t0 = now_ms();
    check("select-timeout-returns-0", select(p[1] + 1, &rd, NULL, NULL, &tv), 0);
    check("select-timeout-not-early", now_ms() - t0 >= 30, 1);
    check("select-timeout-clears-set", FD_ISSET(p[1], &rd), 0);
    check("select-no-fds-sleeps", select(0, NULL, NULL, NULL, &(struct timeval){ 0, 10000 }), 0);
    close(p[0]);
    close(p[1]);
}

static void test_select_sets(void)
{
    int p[2];
    pipe(p);
    fd_set rd, wr, ex;
    FD_ZERO(&rd); FD_ZERO(&wr); FD_ZERO(&ex);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    FD_SET(p[0], &ex);
    struct timeval zero = { 0, 0 };
    check("select-write-end-writable", select(p[1] + 1, &rd, &wr, &ex, &zero), 1);
    check("select-bits", !FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr) && !FD_ISSET(p[0], &ex), 1);
    write(p[1], "q", 1);
    FD_ZERO(&rd); FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    check("select-both-ready-counts-2", select(p[1] + 1, &rd, &wr, NULL, &zero), 2);
    close(p[1]);
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    check("select-eof-is-readable", select(p[0] + 1, &rd, NULL, NULL, &zero), 1);

    FD_ZERO(&rd);
    FD_SET(p[1], &rd);      // closed now
    check_err("select-closed-fd", select(p[1] + 1, &rd, NULL, NULL, &zero), EBADF);
    FD_ZERO(&rd);
    FD_SET(40, &rd);        // never opened
    check_err("select-unopened-fd", select(41, &rd, NULL, NULL, &zero), EBADF);
    check_err("select-negative-nfds", select(-1, NULL, NULL, NULL, &zero), EINVAL);
    struct timeval bad = { 0, -1 };
    check_err("select-bad-timeout", select(0, NULL, NULL, NULL, &bad), EINVAL);
    struct timespec zts = { 0, 0 };
    check_err("select-bad-set-pointer",
              syscall(SYS_pselect6, p[0] + 1, 8L, NULL, NULL, &zts, NULL), EFAULT);
    // bits past nfds are ignored, even for descriptors not open
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    FD_SET(p[0] + 5, &rd);
    check("select-bits-past-nfds-ignored", select(p[0] + 1, &rd, NULL, NULL, &zero), 1);
    close(p[0]);
}

static volatile sig_atomic_t usr1;
static void on_usr1(int sig) { (void)sig; usr1++; }

static void test_sigmask(void)
{
    int p[2];
    pipe(p);
    struct sigaction sa = { 0 };
    sa.sa_handler = on_usr1;
    sigaction(SIGUSR1, &sa, NULL);
    sigset_t block, empty, old;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&empty);
    sigprocmask(SIG_BLOCK, &block, &old);
    kill(getpid(), SIGUSR1);
    struct pollfd pf = { p[0], POLLIN, 0 };
    check("ppoll-blocked-signal-waits", usr1, 0);
    check_err("ppoll-mask-lets-signal-in", ppoll(&pf, 1, NULL, &empty), EINTR);
    check("ppoll-handler-ran-once", usr1, 1);
    sigset_t now;
    sigprocmask(SIG_BLOCK, NULL, &now);
    check("ppoll-mask-restored", sigismember(&now, SIGUSR1), 1);

    kill(getpid(), SIGUSR1);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    check_err("pselect-mask-lets-signal-in", pselect(p[0] + 1, &rd, NULL, NULL, NULL, &empty),
              EINTR);
    check("pselect-handler-ran", usr1, 2);
    struct timespec ts = { 0, 0 };
    kill(getpid(), SIGUSR1);
    check("ppoll-zero-timeout-blocked-pending", ppoll(&pf, 1, &ts, &block), 0);
    check_err("ppoll-bad-sigset-size", syscall(SYS_ppoll, &pf, 1, &ts, &empty, 4), EINVAL);
    sigprocmask(SIG_SETMASK, &old, NULL);
    check("pending-delivered-on-unblock", usr1, 3);
    close(p[0]);
    close(p[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_pipe_events();
    test_other_fds();
    test_wakeups();
    test_timeouts();
    test_select_sets();
    test_sigmask();
    printf("poll: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}

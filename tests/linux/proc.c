// proc.c: processes under the Linux system-call ABI.
// Covers fork (copied memory, shared file offsets, inherited cwd),
// vfork (shared memory), posix_spawn, execve of itself (argv, envp, fds kept or closed
// by FD_CLOEXEC, ignored signals kept, pid kept, ENOENT/ENOEXEC/EACCES),
// exit statuses (exit, _exit, stdio flush), wait4/waitpid/waitid (WNOHANG,
// ECHILD, WIFSIGNALED/WTERMSIG), kill, getpid/getppid relations and
// reparenting, process groups and sessions, pipes (EOF, EPIPE, ESPIPE,
// O_NONBLOCK, O_CLOEXEC, large transfers), uname, getrlimit, sysinfo,
// getrandom and sched_yield. Prints relations only, never raw ids.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/sysinfo.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sched.h>
#include <spawn.h>
#include <time.h>
#include <unistd.h>

extern char **environ;
#include "check.h"

// Fork a child that runs fn and exits with its return value.
static pid_t spawn(int (*fn)(void))
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(fn());
    return pid;
}

// Wait for pid; return its raw status, or -1.
static int reap(pid_t pid)
{
    int status;
    if (waitpid(pid, &status, 0) != pid)
        return -1;
    return status;
}

static int exit_code(pid_t pid)
{
    int st = reap(pid);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

// ---- exec child: runs after execve(argv[0], {.., "exec-child", fd, fd2})
static int exec_child(int argc, char **argv)
{
    char res[16];
    int n = 0;
    int fd = argc > 2 ? atoi(argv[2]) : -1;
    int cfd = argc > 3 ? atoi(argv[3]) : -1;
    const char *v = getenv("CANOPY_T");
    int nenv = 0;
    for (char **e = environ; *e; e++)
        nenv++;
    res[n++] = '0' + (argc == 4);
    res[n++] = '0' + (v && strcmp(v, "hello") == 0);
    res[n++] = '0' + (nenv == 2);
    res[n++] = '0' + (fcntl(cfd, F_GETFD) == -1 && errno == EBADF);
    res[n++] = '0' + (signal(SIGUSR1, SIG_DFL) == SIG_IGN);
    res[n++] = '0' + (signal(SIGUSR2, SIG_DFL) == SIG_DFL);
    pid_t me = getpid();
    res[n++] = '0' + (write(fd, &me, sizeof me) == sizeof me);
    if (write(fd, res, n) != n)
        return 2;
    return 42;
}

// ---- env-count child: exits with the size of its environment
static int env_count(void)
{
    int n = 0;
    for (char **e = environ; *e; e++)
        n++;
    return n;
}

static void on_usr2(int sig) { (void)sig; }

// A vfork child that kills its sleeping parent: the parent dies of it
// (its wait for the child ends), the child goes on and exits.  (Where
// vfork is a fork, the parent waits for the signal in pause.)
static int vfork_kills_parent(void)
{
    pid_t pid = vfork();
    if (pid == 0) {
        kill(getppid(), SIGKILL);
        struct timespec nap = { 0, 20 * 1000 * 1000 };
        nanosleep(&nap, NULL);
        _exit(0);
    }
    for (;;)
        pause();
}

// A vfork child sends its parent a signal that kills by default: the
// parent dies of it at once, without waiting for the child, which waits
// to see itself reparented and then says so through the pipe w.  (A
// parent that waited for the child would hang both: the suite's timeout.)
static int vfork_parent_dies_of_sigterm(int w)
{
    pid_t pid = vfork();
    if (pid == 0) {
        pid_t parent = getppid();
        kill(parent, SIGTERM);
        while (getppid() == parent) {
            struct timespec nap = { 0, 5 * 1000 * 1000 };
            nanosleep(&nap, NULL);
        }
        write(w, "1", 1);
        _exit(0);
    }
    for (;;)
        pause();
}

// vfork inside a vfork child, and a fork there; the statuses add up.
static int vfork_nested(void)
{
    static volatile int seen;
    seen = 0;
    pid_t pid = vfork();
    if (pid == 0) {
        pid_t g = vfork();
        if (g == 0)
            _exit(5);
        int st;
        waitpid(g, &st, 0);
        pid_t f = fork();
        if (f == 0) {
            seen = 100;         // the fork's own copy: nobody else sees it
            _exit(1);
        }
        int st2;
        waitpid(f, &st2, 0);
        _exit(WEXITSTATUS(st) + WEXITSTATUS(st2) + seen);
    }
    return exit_code(pid);
}

// A vfork child unmaps memory its parent has just used: the parent, back
// on its hart (whose TLB held the page), faults on it.
static int vfork_unmaps_parents_memory(void)
{
    size_t len = 16 * 4096;
    volatile char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0);
    for (size_t i = 0; i < len; i += 4096)
        m[i] = 1;
    pid_t pid = vfork();
    if (pid == 0) {
        munmap((void *)m, len);
        _exit(0);
    }
    return m[0] + m[len - 4096] + 40;   // 42 only if the memory is still there
}

// A vfork child maps a fresh page over one its parent has just written,
// again and again: the parent must read the new page (zeros), never the
// old one through its hart's TLB.  On 3 harts the child often finishes
// on another hart before the parent has even gone to sleep.
static int vfork_replaces_parents_page(void)
{
    volatile char *m = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                            -1, 0);
    int stale = 0;
    for (int i = 0; i < 100; i++) {
        m[0] = 1;
        pid_t pid = vfork();
        if (pid == 0) {
            mmap((void *)m, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
                 -1, 0);
            _exit(0);
        }
        stale += m[0] != 0;
        waitpid(pid, NULL, 0);
    }
    return stale;
}

// Many vforks at once on every hart: each child execs a missing program
// or exits at once; every parent gets each status.
static int vfork_storm(void)
{
    for (int w = 0; w < 4; w++) {
        if (fork() == 0) {
            int bad = 0;
            for (int i = 0; i < 60; i++) {
                pid_t pid = vfork();
                if (pid == 0) {
                    if (i % 2) {
                        char *a[] = { "x", NULL };
                        execve("./no-such-program", a, a + 1);
                    }
                    _exit(i % 7);
                }
                bad += exit_code(pid) != i % 7;
            }
            _exit(bad);
        }
    }
    int bad = 0, st;
    for (int w = 0; w < 4; w++)
        bad += wait(&st) < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0;
    return bad;
}

// Kills racing vfork: a family (its own process group) vforks a child
// that fails an exec, execs this program, or sleeps and exits; the test
// kills the whole group a moment later, at a different moment each round.
// Every family must end and be reaped: no hang, no panic.
static int vfork_kill_races(const char *self)
{
    int bad = 0;
    for (int i = 0; i < 60; i++) {
        pid_t fam = fork();
        if (fam == 0) {
            setpgid(0, 0);
            pid_t c = vfork();
            if (c == 0) {
                char *a[] = { (char *)self, "env-count", NULL }, *e[] = { NULL };
                if (i % 3 == 0)
                    execve("./no-such-program", a, e);
                else if (i % 3 == 1)
                    execve(self, a, e);
                struct timespec nap = { 0, 1000 * 1000 };
                nanosleep(&nap, NULL);
                _exit(0);
            }
            waitpid(c, NULL, 0);
            _exit(0);
        }
        setpgid(fam, fam);
        struct timespec wait = { 0, (i % 6) * 300 * 1000 };
        nanosleep(&wait, NULL);
        kill(-fam, SIGKILL);
        int st;
        bad += waitpid(fam, &st, 0) != fam;
    }
    return bad;
}

static void test_vfork_races(const char *self)
{
    pid_t pid = spawn(vfork_kills_parent);
    int st = reap(pid);
    check("vfork-child-kills-parent", WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL, 1);
    int p[2];
    char seen = '?';
    pipe(p);
    fflush(stdout);
    if ((pid = fork()) == 0) {
        close(p[0]);
        vfork_parent_dies_of_sigterm(p[1]);
    }
    close(p[1]);
    st = reap(pid);
    read(p[0], &seen, 1);
    close(p[0]);
    check("vfork-parent-dies-of-sigterm", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, 1);
    check("vfork-parent-dies-without-waiting", seen, '1');
    check("vfork-nested", exit_code(spawn(vfork_nested)), 6);
    check("vfork-storm", exit_code(spawn(vfork_storm)), 0);
    check("vfork-kill-races", vfork_kill_races(self), 0);
    check("vfork-child-replaces-parents-page", exit_code(spawn(vfork_replaces_parents_page)), 0);
    st = reap(spawn(vfork_unmaps_parents_memory));
    check("vfork-child-unmaps-parents-memory", WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV, 1);
}

// posix_spawn (glibc: clone with CLONE_VM|CLONE_VFORK): a program that
// runs, and one that cannot, whose exec error the child hands back
// through the memory it shares with its parent (qemu-user runs the child
// as a fork and loses it: see QEMU_USER_NOT_LINUX in tests/suite_linux.py).
static void test_spawn(const char *self)
{
    pid_t pid = 0;
    char *sargv[] = { (char *)self, "env-count", NULL };
    char *senv[] = { "A=1", "B=2", "C=3", NULL };
    check("posix-spawn-runs", posix_spawn(&pid, self, NULL, NULL, sargv, senv), 0);
    check("posix-spawn-status", exit_code(pid), 3);
    char *nargv[] = { "nope", NULL };
    check("posix-spawn-missing", posix_spawn(&pid, "./no-such-program", NULL, NULL, nargv,
                                             senv), ENOENT);
    check("posix-spawnp-missing", posix_spawnp(&pid, "no-such-program", NULL, NULL, nargv,
                                               senv), ENOENT);
}

static void test_exec(const char *self)
{
    int p[2], cfd;
    pipe(p);
    cfd = open("cx", O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    check("open-cloexec-flag", fcntl(cfd, F_GETFD), FD_CLOEXEC);
    char a2[16], a3[16];
    snprintf(a2, sizeof a2, "%d", p[1]);
    snprintf(a3, sizeof a3, "%d", cfd);
    char *argv[] = { (char *)self, "exec-child", a2, a3, NULL };
    char *envp[] = { "CANOPY_T=hello", "OTHER=1", NULL };
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        signal(SIGUSR1, SIG_IGN);
        signal(SIGUSR2, on_usr2);
        execve(self, argv, envp);
        _exit(99);
    }
    close(p[1]);
    pid_t seen = 0;
    char res[16] = { 0 };
    check("exec-pid-read", read(p[0], &seen, sizeof seen), sizeof seen);
    check("exec-keeps-pid", seen == pid, 1);
    read(p[0], res, sizeof res - 1);
    close(p[0]);
    check("exec-exit-status", exit_code(pid), 42);
    const char *names[] = { "exec-argv", "exec-env-value", "exec-env-count",
                            "exec-cloexec-closed", "exec-sig-ign-kept",
                            "exec-handler-reset", "exec-fd-inherited" };
    for (int i = 0; i < 7; i++)
        check(names[i], res[i], '1');
    close(cfd);
    unlink("cx");

    char *cargv[] = { (char *)self, "env-count", NULL };
    pid = fork();
    if (pid == 0) {
        execve(self, cargv, NULL);      // NULL: an empty environment, as Linux has it
        _exit(99);
    }
    check("execve-null-envp-is-empty", exit_code(pid), 0);

    char *nargv[] = { "x", NULL };
    check_err("execve-missing", execve("nope", nargv, envp), ENOENT);
    int fd = open("junk", O_WRONLY | O_CREAT | O_TRUNC, 0755);
    write(fd, "this is not a program\n", 22);
    close(fd);
    check_err("execve-not-executable-format", execve("./junk", nargv, envp),
              ENOEXEC);
    unlink("junk");
    mkdir("xd", 0755);
    check_err("execve-directory", execve("xd", nargv, envp), EACCES);
    rmdir("xd");
}

// ---- fork and wait
static int forked_value = 1;
static int child_ppid_ok(void) { return getppid() == (pid_t)forked_value; }
static int child_modify(void) { forked_value = 2; return forked_value; }
static int child_exit7(void) { exit(7); }
static int child_exit256(void) { exit(256); }
static int child_selfkill(void) { kill(getpid(), SIGKILL); return 0; }
static int child_pause(void) { for (;;) pause(); return 0; }
static int child_chdir(void) { return chdir("cd") == 0 ? 5 : 6; }

static int child_stdio_exit(void) { printf("flushed"); exit(0); }
static int child_stdio__exit(void) { printf("lost"); _exit(0); }

static void test_fork_wait(void)
{
    int st;
    pid_t me = getpid();
    check("getppid-differs", getppid() != me, 1);
    forked_value = me;
    check("child-getppid-is-parent", exit_code(spawn(child_ppid_ok)), 1);
    forked_value = 1;
    check("child-sees-own-copy", exit_code(spawn(child_modify)), 2);
    check("parent-memory-unchanged", forked_value, 1);
    check("exit-status-7", exit_code(spawn(child_exit7)), 7);
    check("exit-status-256-is-0", exit_code(spawn(child_exit256)), 0);

    st = reap(spawn(child_selfkill));
    check("wifsignaled", WIFSIGNALED(st), 1);
    check("wtermsig-sigkill", WTERMSIG(st), SIGKILL);

    pid_t pid = spawn(child_pause);
    check("waitpid-wnohang-running", waitpid(pid, &st, WNOHANG), 0);
    check("kill-zero-live", kill(pid, 0), 0);
    check("kill-sigterm", kill(pid, SIGTERM), 0);
    st = reap(pid);
    check("wtermsig-sigterm", WIFSIGNALED(st) ? WTERMSIG(st) : -1, SIGTERM);
    check_err("kill-reaped", kill(pid, 0), ESRCH);
    check_err("kill-bad-signal", kill(getpid(), 1000), EINVAL);
    check_err("waitpid-no-children", waitpid(-1, &st, 0), ECHILD);
    check_err("waitpid-wnohang-no-children", waitpid(-1, &st, WNOHANG), ECHILD);

    // Several children; reap with waitpid(-1) and sum the statuses.
    pid_t kids[6];
    for (int i = 0; i < 6; i++) {
        fflush(stdout);
        if ((kids[i] = fork()) == 0)
            _exit(10 + i);
    }
    int sum = 0, matched = 0;
    for (int i = 0; i < 6; i++) {
        pid_t w = waitpid(-1, &st, 0);
        for (int j = 0; j < 6; j++)
            if (w == kids[j] && WEXITSTATUS(st) == 10 + j)
                matched++;
        sum += WEXITSTATUS(st);
    }
    check("wait-any-sum", sum, 75);
    check("wait-any-pids-match", matched, 6);

    // waitid reports the exit in siginfo.
    siginfo_t si;
    memset(&si, 0, sizeof si);
    pid = spawn(child_exit7);
    check("waitid", waitid(P_PID, pid, &si, WEXITED), 0);
    check("waitid-pid", si.si_pid == pid, 1);
    check("waitid-code", si.si_code, CLD_EXITED);
    check("waitid-status", si.si_status, 7);

    // cwd is inherited by value.
    char buf[8], cwd1[512], cwd2[512];
    mkdir("cd", 0755);
    getcwd(cwd1, sizeof cwd1);
    check("child-chdir", exit_code(spawn(child_chdir)), 5);
    getcwd(cwd2, sizeof cwd2);
    check("parent-cwd-unchanged", strcmp(cwd1, cwd2), 0);
    rmdir("cd");

    // Offsets of files open before fork are shared.
    int fd = open("sh", O_RDWR | O_CREAT | O_TRUNC, 0644);
    fflush(stdout);
    if ((pid = fork()) == 0) {
        write(fd, "child", 5);
        _exit(0);
    }
    reap(pid);
    check("fork-shares-offset", lseek(fd, 0, SEEK_CUR), 5);
    close(fd);
    unlink("sh");

    // exit() flushes stdio, _exit() does not.
    int (*fns[2])(void) = { child_stdio_exit, child_stdio__exit };
    const char *want[2] = { "flushed", "" };
    for (int i = 0; i < 2; i++) {
        int p[2];
        pipe(p);
        fflush(stdout);
        if ((pid = fork()) == 0) {
            dup2(p[1], 1);
            setvbuf(stdout, NULL, _IOFBF, 0);
            _exit(fns[i]());
        }
        close(p[1]);
        memset(buf, 0, sizeof buf);
        read(p[0], buf, sizeof buf - 1);
        close(p[0]);
        reap(pid);
        check(i ? "_exit-drops-stdio" : "exit-flushes-stdio",
              strcmp(buf, want[i]), 0);
    }

    // vfork + _exit; the parent resumes after the child is gone.
    pid = vfork();
    if (pid == 0)
        _exit(3);
    check("vfork-exit-status", exit_code(pid), 3);

    // The vfork child runs on its parent's memory, and the parent sleeps
    // until the child has exited: it sees what the child wrote after a
    // sleep.  (qemu-user runs the child as a fork: see QEMU_USER_NOT_LINUX
    // in tests/suite_linux.py.)
    static volatile int written;
    written = 0;
    pid = vfork();
    if (pid == 0) {
        struct timespec nap = { 0, 50 * 1000 * 1000 };
        nanosleep(&nap, NULL);
        written = 7;
        _exit(0);
    }
    check("vfork-shares-memory", written, 7);
    check("vfork-shared-exit-status", exit_code(pid), 0);

    // An orphan is reparented: its getppid() changes once the middle
    // process exits. It reports through a pipe. The middle process waits
    // for the orphan to have read its parent (through r) before it exits.
    int p[2], q[2], r[2];
    pipe(p);
    pipe(q);
    pipe(r);
    fflush(stdout);
    if ((pid = fork()) == 0) {
        if (fork() == 0) {
            pid_t old = getppid();
            char c = 0;
            close(p[1]);
            close(q[0]);
            close(r[0]);
            write(r[1], "r", 1);
            close(r[1]);
            read(p[0], &c, 1);   // EOF once the middle process is gone
            int tries = 0;
            while (getppid() == old && tries++ < 2000)
                usleep(1000);
            c = getppid() != old ? 'y' : 'n';
            write(q[1], &c, 1);
            _exit(0);
        }
        char ready;
        close(r[1]);
        read(r[0], &ready, 1);
        _exit(0);
    }
    close(r[0]);
    close(r[1]);
    close(p[0]);
    close(p[1]);
    close(q[1]);
    check("middle-exits", exit_code(pid), 0);
    char c = 0;
    check("orphan-reports", read(q[0], &c, 1), 1);
    check("orphan-reparented", c, 'y');
    close(q[0]);
    check("orphan-not-our-child", waitpid(-1, &st, WNOHANG) == -1 &&
          errno == ECHILD, 1);
}

// ---- process groups and sessions
static int child_session(void)
{
    pid_t me = getpid();
    if (getsid(0) == me) return 1;           // not yet a leader
    if (setsid() != me) return 2;
    if (getsid(0) != me || getpgid(0) != me) return 3;
    if (setsid() != -1 || errno != EPERM) return 4;
    if (setpgid(0, 0) != -1 || errno != EPERM) return 5;  // session leader
    return 0;
}

static int child_wait_pipe(void) { pause(); return 0; }

static void test_pgrp(void)
{
    pid_t me = getpid();
    check("getpgid-self", getpgid(0) == getpgrp(), 1);
    check("getsid-self", getsid(0) == getsid(me), 1);
    check("child-setsid", exit_code(spawn(child_session)), 0);
    pid_t pid = spawn(child_wait_pipe);
    check("child-inherits-pgid", getpgid(pid) == getpgid(0), 1);
    check("setpgid-child", setpgid(pid, pid), 0);
    check("getpgid-child", getpgid(pid) == pid, 1);
    check("kill-process-group", kill(-pid, SIGTERM), 0);
    int st = reap(pid);
    check("pgrp-signal-delivered", WIFSIGNALED(st) && WTERMSIG(st) == SIGTERM, 1);
    check_err("getpgid-gone", getpgid(pid), ESRCH);
    check_err("setpgid-negative", setpgid(0, -1), EINVAL);
}

// ---- pipes
static void test_pipes(void)
{
    int p[2];
    char buf[64];
    check("pipe", pipe(p), 0);
    struct stat st;
    fstat(p[0], &st);
    check("pipe-isfifo", S_ISFIFO(st.st_mode), 1);
    check("pipe-read-end-rdonly", fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
    check("pipe-write-end-wronly", fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
    check("pipe-write", write(p[1], "abcdef", 6), 6);
    check("pipe-read-partial", read(p[0], buf, 4), 4);
    check("pipe-read-rest", read(p[0], buf, sizeof buf), 2);
    check_err("pipe-lseek", lseek(p[0], 0, SEEK_CUR), ESPIPE);
    check_err("pipe-write-read-end", write(p[0], "x", 1), EBADF);
    check_err("pipe-pread", pread(p[0], buf, 1, 0), ESPIPE);
    close(p[1]);
    check("pipe-eof", read(p[0], buf, sizeof buf), 0);
    close(p[0]);

    signal(SIGPIPE, SIG_IGN);
    pipe(p);
    close(p[0]);
    check_err("pipe-no-readers-epipe", write(p[1], "x", 1), EPIPE);
    close(p[1]);
    signal(SIGPIPE, SIG_DFL);

    check("pipe2-nonblock", pipe2(p, O_NONBLOCK | O_CLOEXEC), 0);
    check_err("pipe2-empty-eagain", read(p[0], buf, 1), EAGAIN);
    check("pipe2-cloexec", fcntl(p[1], F_GETFD), FD_CLOEXEC);
    check("pipe2-nonblock-flag", !!(fcntl(p[0], F_GETFL) & O_NONBLOCK), 1);
    long total = 0;
    char big[4096];
    memset(big, 'p', sizeof big);
    for (int i = 0; i < 1000; i++) {
        ssize_t w = write(p[1], big, sizeof big);
        if (w < 0)
            break;
        total += w;
    }
    check("pipe-full-eagain", errno, EAGAIN);
    check("pipe-capacity-sane", total >= 4096 && total < 4096 * 1000, 1);
    close(p[0]);
    close(p[1]);
    check_err("pipe2-bad-flags", pipe2(p, 0x12345678), EINVAL);

    // 256 KiB from a child, received intact in order.
    pipe(p);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]);
        for (int i = 0; i < 64; i++) {
            memset(big, 'a' + i % 26, sizeof big);
            if (write(p[1], big, sizeof big) != sizeof big)
                _exit(1);
        }
        _exit(0);
    }
    close(p[1]);
    long got = 0, bad = 0;
    ssize_t n;
    while ((n = read(p[0], buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < n; i++)
            if (buf[i] != 'a' + ((got + i) / 4096) % 26)
                bad++;
        got += n;
    }
    close(p[0]);
    check("pipe-bulk-bytes", got, 64 * 4096);
    check("pipe-bulk-order", bad, 0);
    check("pipe-bulk-writer-status", exit_code(pid), 0);
}

static void test_system_info(void)
{
    struct utsname u;
    check("uname", uname(&u), 0);
    check("uname-sysname", strcmp(u.sysname, "Linux"), 0);
    check("uname-machine", strcmp(u.machine, "riscv64"), 0);
    struct rlimit rl;
    check("getrlimit-nofile", getrlimit(RLIMIT_NOFILE, &rl), 0);
    check("rlimit-nofile-sane", rl.rlim_cur >= 16 && rl.rlim_cur <= rl.rlim_max, 1);
    check("getrlimit-stack", getrlimit(RLIMIT_STACK, &rl), 0);
    check("rlimit-stack-sane", rl.rlim_cur >= 65536 && rl.rlim_cur <= rl.rlim_max, 1);
    check_err("getrlimit-bad", getrlimit(9999, &rl), EINVAL);
    struct sysinfo si;
    check("sysinfo", sysinfo(&si), 0);
    check("sysinfo-ram", si.totalram > 0 && si.freeram <= si.totalram, 1);
    check("sysinfo-procs", si.procs >= 1 && si.mem_unit >= 1, 1);
    unsigned char r1[32], r2[32];
    check("getrandom-len", getrandom(r1, sizeof r1, 0), 32);
    getrandom(r2, sizeof r2, 0);
    check("getrandom-differs", memcmp(r1, r2, sizeof r1) != 0, 1);
    check("getrandom-zero", getrandom(r1, 0, 0), 0);
    check("sched-yield", sched_yield(), 0);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "exec-child") == 0)
        return exec_child(argc, argv);
    if (argc > 1 && strcmp(argv[1], "env-count") == 0)
        return env_count();
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_fork_wait();
    test_exec(argv[0]);
    test_spawn(argv[0]);
    test_vfork_races(argv[0]);
    test_pgrp();
    test_pipes();
    test_system_info();
    printf("proc: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}

// limits.c: the limits an ordinary program meets.  RLIMIT_NOFILE: 64
// descriptors, each call that makes one (open, dup, dup2, dup3, fcntl
// F_DUPFD, pipe2) bounded by the soft limit, descriptors above a lowered
// limit kept, the limit kept across fork and execve.  execve's arguments:
// hundreds of them, a large environment, strings of up to 32 pages and
// a list as long as sysconf(_SC_ARG_MAX) allows arrive intact.  Only
// limits at or below 64 are set, so the host's own limits do not show.
// (The errors for over-long and bad argument lists are in errors.c.)
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

extern char **environ;

static int exit_code(pid_t pid)
{
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int set_nofile(rlim_t cur, rlim_t max)
{
    struct rlimit rl = { cur, max };
    return setrlimit(RLIMIT_NOFILE, &rl);
}

static rlim_t nofile_cur(void)
{
    struct rlimit rl;
    getrlimit(RLIMIT_NOFILE, &rl);
    return rl.rlim_cur;
}

// The last descriptor dup hands out before EMFILE; all of them closed again.
static int fill_fds(void)
{
    int last = -1, fd;
    while ((fd = dup(0)) >= 0)
        last = fd;
    for (int i = 3; i <= last; i++)
        close(i);
    return last;
}

static void test_nofile(const char *self)
{
    struct rlimit old;
    getrlimit(RLIMIT_NOFILE, &old);
    check("old-hard-at-least-64", old.rlim_max >= 64, 1);
    close(open("f", O_WRONLY | O_CREAT, 0644));
    check("set-64", set_nofile(64, old.rlim_max), 0);
    int fd, last = -1;
    while ((fd = dup(0)) >= 0)
        last = fd;
    check_err("full-dup", dup(0), EMFILE);
    check("full-last-fd", last, 63);
    check_err("full-open", open("f", O_RDONLY), EMFILE);
    check_err("full-fdupfd", fcntl(0, F_DUPFD, 10), EMFILE);
    check("full-dup2-replaces", dup2(1, 63), 63);
    check_err("dup2-at-limit", dup2(0, 64), EBADF);
    check_err("dup3-at-limit", dup3(0, 64, O_CLOEXEC), EBADF);
    check_err("fdupfd-at-limit", fcntl(0, F_DUPFD, 64), EINVAL);
    close(62);
    int p[2];
    check_err("pipe-one-free", pipe(p), EMFILE);
    check("pipe-left-it-free", dup(0), 62);
    close(63);
    check("fdupfd-cloexec-63", fcntl(0, F_DUPFD_CLOEXEC, 50), 63);
    check("fdupfd-cloexec-flag", fcntl(63, F_GETFD), FD_CLOEXEC);
    for (int i = 3; i <= 63; i++)
        close(i);

    // lowered below an open descriptor: it stays open, new ones stay below
    check("dup2-40", dup2(0, 40), 40);
    check("set-8", set_nofile(8, old.rlim_max), 0);
    check("get-8", nofile_cur(), 8);
    struct stat st;
    check("above-limit-usable", fstat(40, &st), 0);
    check_err("dup2-above-limit", dup2(0, 41), EBADF);
    check("lowered-last-fd", fill_fds(), 7);
    check("above-limit-closes", close(40), 0);

    // the rules for a new limit
    check_err("soft-over-hard", set_nofile(10, 5), EINVAL);
    check_err("hard-infinite", set_nofile(10, RLIM_INFINITY), EPERM);
    struct rlimit want = { 20, old.rlim_max }, got;
    check("prlimit", prlimit(0, RLIMIT_NOFILE, &want, &got), 0);
    check("prlimit-old-value", got.rlim_cur, 8);
    check("prlimit-new-value", nofile_cur(), 20);

    // kept by fork, and by execve (the child reports its limit)
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(nofile_cur() == 20 && fill_fds() == 19 ? 0 : 1);
    check("fork-keeps-limit", exit_code(pid), 0);
    set_nofile(24, old.rlim_max);
    char *argv[] = { (char *)self, "nofile-child", NULL };
    pid = fork();
    if (pid == 0) {
        execve(self, argv, environ);
        _exit(99);
    }
    check("exec-keeps-limit", exit_code(pid), 24);
    // lowering the hard limit, in a child: it may not be raised again by all
    pid = fork();
    if (pid == 0) {
        struct rlimit r;
        int ok = set_nofile(10, 30) == 0 && getrlimit(RLIMIT_NOFILE, &r) == 0 &&
                 r.rlim_cur == 10 && r.rlim_max == 30 && set_nofile(31, 30) == -1;
        _exit(ok ? 0 : 1);
    }
    check("hard-lowered", exit_code(pid), 0);
    setrlimit(RLIMIT_NOFILE, &old);
    unlink("f");
}

// ---- exec children: check what arrived, exit 42 if all of it did

static int nofile_child(void)
{
    // the exit status is the limit; fill_fds checks it is really enforced
    rlim_t cur = nofile_cur();
    return fill_fds() == (int)cur - 1 ? (int)cur : 1;
}

// argv[2..] are "1".."N", the environment V1=1 .. VN=N (in any order:
// qemu-user reverses it)
static int count_child(int argc, char **argv)
{
    static char seen[301];
    int n = argc - 2, nenv = 0;
    char want[32];
    for (int i = 0; i < n; i++) {
        snprintf(want, sizeof want, "%d", i + 1);
        if (strcmp(argv[i + 2], want) != 0)
            return 1;
    }
    for (char **e = environ; *e; e++) {
        int k = atoi(*e + 1);
        snprintf(want, sizeof want, "V%d=%d", k, k);
        if (k < 1 || k > 300 || seen[k] || strcmp(*e, want) != 0)
            return 2;
        seen[k] = 1;
        nenv++;
    }
    return n == 500 && nenv == 300 ? 42 : 3;
}

// argv[2..] are strings of one letter each, lengths given by argv[2]'s name
static int big_child(int argc, char **argv)
{
    long want = atol(argv[2]);
    for (int i = 3; i < argc; i++) {
        size_t len = strlen(argv[i]);
        if ((long)len != want || argv[i][0] != 'a' + i % 26 || argv[i][len - 1] != argv[i][0])
            return 1;
    }
    return 42;
}

static int run(const char *self, char **argv, char **envp)
{
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        execve(self, argv, envp);
        _exit(99);
    }
    return exit_code(pid);
}

// n strings of len bytes (NUL excluded) after self, "big" and the length
static char **big_args(const char *self, int n, long len)
{
    char **argv = calloc(n + 4, sizeof *argv);
    argv[0] = (char *)self;
    argv[1] = "big";
    argv[2] = malloc(32);
    snprintf(argv[2], 32, "%ld", len);
    for (int i = 3; i < n + 3; i++) {
        argv[i] = malloc(len + 1);
        memset(argv[i], 'a' + i % 26, len);
        argv[i][len] = 0;
    }
    return argv;
}

static void free_args(char **argv)
{
    for (int i = 2; argv[i]; i++)
        free(argv[i]);
    free(argv);
}

static void test_exec_args(const char *self)
{
    static char nums[500][8], envs[300][16];
    char *argv[503], *envp[301];
    argv[0] = (char *)self;
    argv[1] = "count";
    for (int i = 0; i < 500; i++) {
        snprintf(nums[i], sizeof nums[i], "%d", i + 1);
        argv[i + 2] = nums[i];
    }
    argv[502] = NULL;
    for (int i = 0; i < 300; i++) {
        snprintf(envs[i], sizeof envs[i], "V%d=%d", i + 1, i + 1);
        envp[i] = envs[i];
    }
    envp[300] = NULL;
    check("exec-500-args-300-env", run(self, argv, envp), 42);

    char *empty[] = { NULL };
    char **big = big_args(self, 1, 32 * 4096 - 1);     // the longest string
    check("exec-string-of-32-pages", run(self, big, empty), 42);
    free_args(big);
    big = big_args(self, 12, 100000);                   // 1.2 MB in all
    check("exec-12-strings-of-100k", run(self, big, empty), 42);
    free_args(big);

    // as many 1000-byte strings as sysconf(_SC_ARG_MAX) says fit, less 4 KiB
    long max = sysconf(_SC_ARG_MAX), room = max - 4096 - 64;
    check("arg-max-at-least-128k", max >= 131072, 1);
    big = big_args(self, (int)(room / 1009), 1000);
    check("exec-arg-max", run(self, big, empty), 42);
    free_args(big);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "nofile-child") == 0)
        return nofile_child();
    if (argc > 1 && strcmp(argv[1], "count") == 0)
        return count_child(argc, argv);
    if (argc > 2 && strcmp(argv[1], "big") == 0)
        return big_child(argc, argv);
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_nofile(argv[0]);
    test_exec_args(argv[0]);
    printf("limits: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}

// tty.c: character devices and terminal queries that behave the same
// whether or not the program runs on a terminal. Covers /dev/null,
// /dev/zero and /dev/urandom (type, reads, writes, lseek), isatty and
// tcgetattr/ttyname/TCGETS/TIOCGWINSZ failing with ENOTTY on a pipe, a
// regular file and /dev/null, EBADF from ioctl on a closed fd, and
// FIONREAD on a pipe. Never looks at the real stdin/stdout/stderr.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "check.h"

static int is_chr(int fd)
{
    struct stat st;
    return fstat(fd, &st) == 0 && S_ISCHR(st.st_mode);
}

static void test_devices(void)
{
    char buf[8192];
    int fd = open("/dev/null", O_RDWR);
    check("null-open", fd >= 0, 1);
    check("null-ischr", is_chr(fd), 1);
    check("null-write", write(fd, "discarded", 9), 9);
    check("null-write-big", write(fd, buf, sizeof buf), sizeof buf);
    check("null-read-eof", read(fd, buf, sizeof buf), 0);
    check("null-lseek", lseek(fd, 100, SEEK_SET), 0);
    check("null-pread-eof", pread(fd, buf, 10, 0), 0);
    struct stat st;
    check("null-stat-path", stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode), 1);
    // stdin from /dev/null in a child reads EOF.
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, 0);
        _exit(getchar() == EOF ? 0 : 1);
    }
    int s;
    waitpid(pid, &s, 0);
    check("null-as-stdin-eof", WIFEXITED(s) ? WEXITSTATUS(s) : -1, 0);
    close(fd);

    fd = open("/dev/zero", O_RDONLY);
    check("zero-open", fd >= 0, 1);
    check("zero-ischr", is_chr(fd), 1);
    memset(buf, 'x', sizeof buf);
    check("zero-read-full", read(fd, buf, sizeof buf), sizeof buf);
    int nz = 0;
    for (size_t i = 0; i < sizeof buf; i++)
        nz += buf[i] != 0;
    check("zero-all-zero", nz, 0);
    check("zero-read-again", read(fd, buf, 100), 100);
    check("zero-read-zero-len", read(fd, buf, 0), 0);
    close(fd);
    fd = open("/dev/zero", O_WRONLY);
    check("zero-write", write(fd, "abc", 3), 3);
    close(fd);

    fd = open("/dev/urandom", O_RDONLY);
    check("urandom-open", fd >= 0, 1);
    check("urandom-ischr", is_chr(fd), 1);
    unsigned char a[64], b[64];
    check("urandom-read", read(fd, a, sizeof a), sizeof a);
    check("urandom-read-2", read(fd, b, sizeof b), sizeof b);
    check("urandom-differs", memcmp(a, b, sizeof a) != 0, 1);
    int distinct = 0, seen[256] = { 0 };
    for (int i = 0; i < 64; i++)
        if (!seen[a[i]]++)
            distinct++;
    check("urandom-not-constant", distinct > 8, 1);
    close(fd);
    check_err("dev-missing", open("/dev/nosuchdev", O_RDONLY), ENOENT);
}

// isatty and terminal ioctls on something that is not a terminal.
static void not_a_tty(const char *what, int fd)
{
    char name[64];
    struct termios t;
    struct winsize ws;
    char tn[64];
    snprintf(name, sizeof name, "isatty-%s", what);
    errno = 0;
    check(name, isatty(fd), 0);
    snprintf(name, sizeof name, "isatty-%s-errno", what);
    check(name, errno, ENOTTY);
    snprintf(name, sizeof name, "tcgetattr-%s", what);
    check_err(name, tcgetattr(fd, &t), ENOTTY);
    snprintf(name, sizeof name, "tcgets-%s", what);
    check_err(name, ioctl(fd, TCGETS, &t), ENOTTY);
    snprintf(name, sizeof name, "tiocgwinsz-%s", what);
    check_err(name, ioctl(fd, TIOCGWINSZ, &ws), ENOTTY);
    snprintf(name, sizeof name, "ttyname-%s", what);
    check(name, ttyname_r(fd, tn, sizeof tn), ENOTTY);
    snprintf(name, sizeof name, "tcsetattr-%s", what);
    memset(&t, 0, sizeof t);
    check_err(name, tcsetattr(fd, TCSANOW, &t), ENOTTY);
}

static void test_not_tty(void)
{
    int p[2];
    pipe(p);
    not_a_tty("pipe-read", p[0]);
    not_a_tty("pipe-write", p[1]);
    int fd = open("file", O_RDWR | O_CREAT | O_TRUNC, 0644);
    write(fd, "hello", 5);
    not_a_tty("file", fd);
    int nul = open("/dev/null", O_RDWR);
    not_a_tty("devnull", nul);
    close(nul);

    int n = -1;
    check("fionread-empty-pipe", ioctl(p[0], FIONREAD, &n), 0);
    check("fionread-empty-count", n, 0);
    write(p[1], "12345", 5);
    check("fionread-pipe", ioctl(p[0], FIONREAD, &n), 0);
    check("fionread-count", n, 5);
    close(p[0]);
    close(p[1]);

    close(fd);
    errno = 0;
    check("isatty-closed", isatty(fd), 0);
    check("isatty-closed-errno", errno, EBADF);
    struct winsize ws;
    check_err("ioctl-closed-ebadf", ioctl(fd, TIOCGWINSZ, &ws), EBADF);
    check_err("ioctl-negative-ebadf", ioctl(-1, TCGETS, &ws), EBADF);
    unlink("file");
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_devices();
    test_not_tty();
    printf("tty: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}

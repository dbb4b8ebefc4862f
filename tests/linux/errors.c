// linux-cflags: -w
// errors.c: error numbers under the Linux system-call ABI.
// Covers ENOENT, EBADF, EEXIST, ENOTDIR, EISDIR, ENOTEMPTY, EINVAL,
// ENAMETOOLONG, ELOOP, ESPIPE, ESRCH, ECHILD, EMFILE, ERANGE, ENOSYS, E2BIG
// (execve's argument lists), and
// EFAULT for bad user pointers: (void *)1, NULL, a kernel-half address
// and read-only memory, passed to read/write/readv/open/stat/pipe2/
// clock_gettime/nanosleep/getcwd/uname/sysinfo/getrandom and more.
// Bad pointers go through syscall() so glibc never touches them.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

// check_err, then errno cleared, so a check that sets none is not misread.
static void E(const char *name, long ret, int want)
{
    check_err(name, ret, want);
    errno = 0;
}

static void touch(const char *path, const char *data)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, data, strlen(data));
    close(fd);
}

static void test_names(void)
{
    struct stat st;
    char buf[64];
    touch("f", "some data here\n");
    mkdir("d", 0755);
    touch("d/x", "x");
    mkdir("e", 0755);

    E("enoent-open", open("missing", O_RDONLY), ENOENT);
    E("enoent-stat", stat("missing", &st), ENOENT);
    E("enoent-lstat", lstat("missing", &st), ENOENT);
    E("enoent-dir-component", open("nodir/f", O_RDONLY), ENOENT);
    E("enoent-create-in-missing", open("nodir/f", O_CREAT | O_WRONLY, 0644), ENOENT);
    E("enoent-empty-path", open("", O_RDONLY), ENOENT);
    E("enoent-unlink", unlink("missing"), ENOENT);
    E("enoent-rmdir", rmdir("missing"), ENOENT);
    E("enoent-chdir", chdir("missing"), ENOENT);
    E("enoent-rename", rename("missing", "other"), ENOENT);
    E("enoent-readlink", readlink("missing", buf, sizeof buf), ENOENT);

    E("eexist-mkdir", mkdir("d", 0755), EEXIST);
    E("eexist-mkdir-over-file", mkdir("f", 0755), EEXIST);
    E("eexist-open-excl", open("f", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
    E("eexist-open-excl-dir", open("d", O_CREAT | O_EXCL | O_RDWR, 0644), EEXIST);
    E("eexist-link", link("f", "d/x"), EEXIST);
    E("eexist-symlink", symlink("f", "d"), EEXIST);

    E("enotdir-open", open("f/x", O_RDONLY), ENOTDIR);
    E("enotdir-create", open("f/x", O_CREAT | O_RDWR, 0644), ENOTDIR);
    E("enotdir-mkdir", mkdir("f/x", 0755), ENOTDIR);
    E("enotdir-stat", stat("f/x", &st), ENOTDIR);
    E("enotdir-rmdir", rmdir("f"), ENOTDIR);
    E("enotdir-chdir", chdir("f"), ENOTDIR);
    E("enotdir-o-directory", open("f", O_RDONLY | O_DIRECTORY), ENOTDIR);
    E("enotdir-trailing-slash", open("f/", O_RDONLY), ENOTDIR);
    int ffd = open("f", O_RDONLY);
    E("enotdir-openat-file-dirfd", openat(ffd, "x", O_RDONLY), ENOTDIR);
    E("enotdir-getdents-file", syscall(SYS_getdents64, ffd, buf, sizeof buf), ENOTDIR);
    E("enotdir-rename-dir-over-file", rename("e", "f"), ENOTDIR);

    int dfd = open("d", O_RDONLY);
    E("eisdir-read", read(dfd, buf, sizeof buf), EISDIR);
    E("eisdir-pread", pread(dfd, buf, sizeof buf, 0), EISDIR);
    E("eisdir-open-wronly", open("d", O_WRONLY), EISDIR);
    E("eisdir-open-rdwr", open("d", O_RDWR), EISDIR);
    E("eisdir-open-creat", open("d", O_CREAT | O_RDONLY, 0644), EISDIR);
    E("eisdir-unlink", unlink("d"), EISDIR);
    E("eisdir-truncate", truncate("d", 0), EISDIR);
    E("eisdir-rename-file-over-dir", rename("f", "e"), EISDIR);
    check("getdents-dir-ok", syscall(SYS_getdents64, dfd, buf, sizeof buf) > 0, 1);
    E("ebadf-write-dir", write(dfd, "x", 1), EBADF);

    E("enotempty-rmdir", rmdir("d"), ENOTEMPTY);
    E("enotempty-rename-over", rename("e", "d"), ENOTEMPTY);
    E("einval-rename-into-self", rename("d", "d/sub"), EINVAL);
    E("einval-rmdir-dot", rmdir("."), EINVAL);
    E("einval-readlink-file", readlink("f", buf, sizeof buf), EINVAL);

    // Names and paths that are too long.
    char lng[300], path[5000];
    memset(lng, 'n', sizeof lng - 1);
    lng[sizeof lng - 1] = 0;
    E("enametoolong-name", open(lng, O_CREAT | O_RDWR, 0644), ENAMETOOLONG);
    E("enametoolong-stat", stat(lng, &st), ENAMETOOLONG);
    for (int i = 0; i < 2400; i++)
        memcpy(path + 2 * i, "./", 2);
    strcpy(path + 4800, "f");
    E("enametoolong-path", open(path, O_RDONLY), ENAMETOOLONG);

    symlink("l2", "l1");
    symlink("l1", "l2");
    E("eloop-open", open("l1", O_RDONLY), ELOOP);
    E("eloop-stat", stat("l1", &st), ELOOP);
    check("eloop-lstat-ok", lstat("l1", &st), 0);
    E("einval-pipe2-flags", pipe2((int[2]){ 0 }, 0x7777), EINVAL);
    E("einval-lseek-whence", lseek(ffd, 0, 99), EINVAL);
    E("einval-fcntl-cmd", fcntl(ffd, 9999), EINVAL);
    E("einval-readv-count", readv(ffd, (struct iovec[1]){ { buf, 1 } }, -1), EINVAL);
    E("einval-dup3-flags", dup3(ffd, 40, 0x4), EINVAL);
    E("einval-open-at-bad-flags", openat(AT_FDCWD, "f", O_RDONLY | O_DIRECTORY | O_CREAT, 0644), EINVAL);
    close(ffd);
    close(dfd);
    unlink("l1");
    unlink("l2");
    rmdir("e");
    unlink("d/x");
    rmdir("d");
}

static void test_fds(void)
{
    char buf[8];
    struct stat st;
    E("ebadf-read", read(-1, buf, 1), EBADF);
    E("ebadf-write", write(99, buf, 1), EBADF);
    E("ebadf-close", close(99), EBADF);
    E("ebadf-close-negative", close(-5), EBADF);
    E("ebadf-fstat", fstat(99, &st), EBADF);
    E("ebadf-lseek", lseek(99, 0, SEEK_SET), EBADF);
    E("ebadf-dup", dup(99), EBADF);
    E("ebadf-dup2", dup2(99, 5), EBADF);
    E("ebadf-fcntl", fcntl(99, F_GETFD), EBADF);
    E("ebadf-openat-dirfd", openat(99, "f", O_RDONLY), EBADF);
    E("ebadf-getdents", syscall(SYS_getdents64, 99, buf, sizeof buf), EBADF);
    E("ebadf-ftruncate", ftruncate(99, 0), EBADF);
    E("ebadf-fchdir", fchdir(99), EBADF);
    int fd = open("f", O_RDONLY);
    E("ebadf-write-rdonly", write(fd, "x", 1), EBADF);
    E("ebadf-pwrite-rdonly", pwrite(fd, "x", 1, 0), EBADF);
    close(fd);
    E("ebadf-after-close", read(fd, buf, 1), EBADF);
    fd = open("f", O_WRONLY);
    E("ebadf-read-wronly", read(fd, buf, 1), EBADF);
    close(fd);

    int p[2];
    pipe(p);
    E("espipe-lseek-pipe", lseek(p[0], 0, SEEK_SET), ESPIPE);
    E("espipe-pwrite-pipe", pwrite(p[1], "x", 1, 0), ESPIPE);
    close(p[0]);
    close(p[1]);

    // EMFILE once RLIMIT_NOFILE is reached.
    struct rlimit old, rl = { 32, 32 };
    getrlimit(RLIMIT_NOFILE, &old);
    rl.rlim_max = old.rlim_max;
    check("setrlimit-nofile", setrlimit(RLIMIT_NOFILE, &rl), 0);
    int last = -1;
    for (;;) {
        int n = dup(0);
        if (n < 0)
            break;
        last = n;
    }
    E("emfile-dup", dup(0), EMFILE);
    E("emfile-open", open("f", O_RDONLY), EMFILE);
    E("emfile-pipe", pipe(p), EMFILE);
    check("emfile-last-fd", last, 31);
    E("ebadf-dup2-over-limit", dup2(0, 32), EBADF);
    for (int i = 3; i <= last; i++)
        close(i);
    setrlimit(RLIMIT_NOFILE, &old);
}

static void test_processes(void)
{
    int st;
    char buf[4];
    E("echild-wait", wait(&st), ECHILD);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0)
        _exit(0);
    waitpid(pid, &st, 0);
    E("esrch-kill-reaped", kill(pid, SIGTERM), ESRCH);
    E("echild-waitpid-reaped", waitpid(pid, &st, 0), ECHILD);
    E("einval-kill-signal", kill(getpid(), 999), EINVAL);
    E("einval-waitpid-options", waitpid(-1, &st, 0x7000000), EINVAL);
    E("erange-getcwd", getcwd(buf, 1) ? 0 : -1, ERANGE);
    E("enosys-unknown-syscall", syscall(4000), ENOSYS);
    E("enosys-huge-syscall", syscall(100000), ENOSYS);
}

#define BAD1 ((void *)1)
#define KERN ((void *)0xffffffc000000000UL)

static void test_efault(void)
{
    static void *const bads[] = { BAD1, KERN };
    static const char *const tag[] = { "one", "kernel" };
    char name[64];
    int fd = open("f", O_RDWR);
    int dfd = open(".", O_RDONLY);
    int st_ok = 0;
    for (int i = 0; i < 2; i++) {
        void *b = bads[i];
#define F(what, expr) do { \
        snprintf(name, sizeof name, "efault-%s-%s", what, tag[i]); \
        E(name, (expr), EFAULT); } while (0)
        F("read", syscall(SYS_read, fd, b, 8));
        F("pread", syscall(SYS_pread64, fd, b, 8, 0));
        F("write", syscall(SYS_write, fd, b, 8));
        F("pwrite", syscall(SYS_pwrite64, fd, b, 8, 0));
        F("readv-array", syscall(SYS_readv, fd, b, 1));
        F("writev-array", syscall(SYS_writev, fd, b, 1));
        struct iovec iov = { b, 8 };
        F("readv-base", syscall(SYS_readv, fd, &iov, 1));
        F("writev-base", syscall(SYS_writev, fd, &iov, 1));
        F("openat", syscall(SYS_openat, AT_FDCWD, b, O_RDONLY));
        F("openat-creat", syscall(SYS_openat, AT_FDCWD, b, O_CREAT | O_RDWR, 0644));
        F("fstatat-path", syscall(SYS_newfstatat, AT_FDCWD, b, b, 0));
        F("fstatat-buf", syscall(SYS_newfstatat, AT_FDCWD, "f", b, 0));
        F("fstat-buf", syscall(SYS_fstat, fd, b));
        F("mkdirat", syscall(SYS_mkdirat, AT_FDCWD, b, 0755));
        F("unlinkat", syscall(SYS_unlinkat, AT_FDCWD, b, 0));
        F("chdir", syscall(SYS_chdir, b));
        F("getcwd", syscall(SYS_getcwd, b, 128));
        F("getdents", syscall(SYS_getdents64, dfd, b, 512));
        F("clock-gettime", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, b));
        F("gettimeofday", syscall(SYS_gettimeofday, b, NULL));
        F("clock-nanosleep", syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, b, NULL));
        F("uname", syscall(SYS_uname, b));
        F("sysinfo", syscall(SYS_sysinfo, b));
        F("getrandom", syscall(SYS_getrandom, b, 16, 0));
        F("getrlimit", syscall(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, b));
        F("rt-sigaction", syscall(SYS_rt_sigaction, SIGUSR1, b, NULL, 8));
        F("rt-sigprocmask", syscall(SYS_rt_sigprocmask, SIG_BLOCK, b, NULL, 8));
        F("execve", syscall(SYS_execve, b, NULL, NULL));
        F("readlinkat", syscall(SYS_readlinkat, AT_FDCWD, b, name, sizeof name));
        F("renameat-old", syscall(SYS_renameat2, AT_FDCWD, b, AT_FDCWD, "z", 0));
        F("renameat-new", syscall(SYS_renameat2, AT_FDCWD, "f", AT_FDCWD, b, 0));
#undef F
        struct stat st;
        if (stat("f", &st) == 0 && st.st_size == 15)
            st_ok++;
    }
    check("efault-file-unchanged", st_ok, 2);

    // NULL where the call needs a pointer.
    E("efault-read-null", syscall(SYS_read, fd, NULL, 8), EFAULT);
    E("efault-write-null", syscall(SYS_write, fd, NULL, 8), EFAULT);
    E("efault-openat-null", syscall(SYS_openat, AT_FDCWD, NULL, O_RDONLY), EFAULT);
    E("efault-fstat-null", syscall(SYS_fstat, fd, NULL), EFAULT);
    E("efault-clock-gettime-null", syscall(SYS_clock_gettime, CLOCK_MONOTONIC, NULL), EFAULT);
    E("efault-uname-null", syscall(SYS_uname, NULL), EFAULT);
    E("efault-getcwd-null", syscall(SYS_getcwd, NULL, 128), EFAULT);

    // Writing into read-only memory, and a buffer that runs off the end
    // of the mapping.
    char *ro = mmap(NULL, 8192, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    lseek(fd, 0, SEEK_SET);
    E("efault-read-into-readonly", syscall(SYS_read, fd, ro, 8), EFAULT);
    E("efault-getcwd-readonly", syscall(SYS_getcwd, ro, 128), EFAULT);
    E("efault-clock-readonly", syscall(SYS_clock_gettime, CLOCK_REALTIME, ro), EFAULT);
    munmap(ro + 4096, 4096);
    lseek(fd, 0, SEEK_SET);
    E("efault-write-unmapped-whole", syscall(SYS_write, fd, ro + 4096, 4), EFAULT);
    munmap(ro, 4096);
    check("efault-no-new-fds", open("f", O_RDONLY), fd + 2);
    close(fd + 2);
    // pipe2 last: qemu-user leaks the new fds when the copy-out fails.
    E("efault-pipe2-one", syscall(SYS_pipe2, BAD1, 0), EFAULT);
    E("efault-pipe2-kernel", syscall(SYS_pipe2, KERN, 0), EFAULT);
    E("efault-pipe2-null", syscall(SYS_pipe2, NULL, 0), EFAULT);
    close(dfd);
    close(fd);
    unlink("f");
}

// execve's argument lists: too long (E2BIG) or bad pointers (EFAULT), and
// the caller goes on.  Each names the program itself, which must not run.
static void test_exec_args(char *self)
{
    static char *const empty[] = { NULL };
    char *ok[] = { self, NULL };
    char *big = malloc(32 * 4096 + 1);
    memset(big, 'x', 32 * 4096);
    big[32 * 4096] = 0;
    char *one[] = { self, big, NULL };
    E("e2big-exec-string", execve(self, one, empty), E2BIG);
    E("e2big-exec-env-string", execve(self, ok, one + 1), E2BIG);
    big[120000] = 0;            // 60 of them: 7.2 MB, past any Linux's limit (6 MiB)
    char *many[62] = { self };
    for (int i = 1; i <= 60; i++)
        many[i] = big;
    E("e2big-exec-total", execve(self, many, empty), E2BIG);
    long n = 1 << 20;           // a million pointers: 8 MB of them
    char **vec = malloc((n + 1) * sizeof *vec);
    for (long i = 0; i < n; i++)
        vec[i] = "";
    vec[n] = NULL;
    E("e2big-exec-count", execve(self, vec, empty), E2BIG);
    E("e2big-exec-env-count", execve(self, ok, vec), E2BIG);
    free(vec);
    free(big);

    char *kern[] = { self, KERN, NULL };
    E("efault-exec-kernel-string", execve(self, kern, empty), EFAULT);
    E("efault-exec-env-kernel-string", execve(self, ok, kern + 1), EFAULT);
    E("efault-exec-argv", syscall(SYS_execve, self, BAD1, NULL), EFAULT);
    E("efault-exec-envp", syscall(SYS_execve, self, ok, BAD1), EFAULT);
    // a vector, and a string of a page, that run into an unmapped page
    char *pages = mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(pages + 4096, 4096);
    char **tail = (char **)(pages + 4096 - 2 * sizeof(char *));
    tail[0] = self;
    tail[1] = "x";
    E("efault-exec-vector-end", execve(self, tail, empty), EFAULT);
    memset(pages, 'u', 4096);
    char *runoff[] = { self, pages, NULL };
    E("efault-exec-unterminated", execve(self, runoff, empty), EFAULT);
    munmap(pages, 4096);
    E("enoent-exec-after-all", execve("nope", ok, empty), ENOENT);
}

int main(int argc, char **argv)
{
    if (argc > 1) {             // an execve above that should have failed
        printf("FAIL exec ran with %d arguments\n", argc);
        return 1;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    test_names();
    test_fds();
    test_processes();
    test_efault();
    test_exec_args(argv[0]);
    printf("errors: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}

// files.c: files and directories through the Linux system-call ABI.
// Covers open/creat flags (O_CREAT, O_EXCL, O_TRUNC, O_APPEND,
// O_DIRECTORY), read/write/lseek including holes and EOF, pread/pwrite,
// readv/writev, dup/dup2/dup3, fcntl (F_GETFL, F_SETFL, F_DUPFD,
// F_GETFD/F_SETFD), stat/fstat/lstat/fstatat file types and sizes,
// directories (mkdir, rmdir, readdir with sorted names, chdir/getcwd),
// unlink/rename/link/symlink/readlink, truncate/ftruncate (and a kill
// ending one that grows a file by 60 MiB), access, umask.
// Prints only deterministic facts; runs in an empty working directory.
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

static void check_str(const char *name, const char *got, const char *want)
{
    nchecks++;
    if (got && strcmp(got, want) == 0) {
        printf("ok %s\n", name);
    } else {
        nfail++;
        printf("FAIL %s: got \"%s\" want \"%s\"\n", name,
               got ? got : "(null)", want);
    }
}

static long file_size(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    return st.st_size;
}

static long nlink_of(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return -1;
    return st.st_nlink;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

// Sorted, comma-joined names in dir (without "." and "..").
static void list_dir(const char *dir, char *out, size_t outsz)
{
    char *names[64];
    int n = 0;
    out[0] = 0;
    DIR *d = opendir(dir);
    if (!d) {
        snprintf(out, outsz, "(opendir: %s)", strerrorname_np(errno));
        return;
    }
    struct dirent *de;
    while ((de = readdir(d)) != NULL && n < 64) {
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            names[n++] = strdup(de->d_name);
    }
    closedir(d);
    qsort(names, n, sizeof names[0], cmp_str);
    for (int i = 0; i < n; i++) {
        strncat(out, names[i], outsz - strlen(out) - 1);
        if (i + 1 < n)
            strncat(out, ",", outsz - strlen(out) - 1);
        free(names[i]);
    }
}

static void test_open_rw(void)
{
    char buf[64];
    int fd = open("a", O_RDWR | O_CREAT | O_EXCL, 0644);
    check("open-creates-file", fd >= 0, 1);
    check("open-lowest-fd", fd, 3);
    check("write-returns-count", write(fd, "hello world", 11), 11);
    check("lseek-cur-after-write", lseek(fd, 0, SEEK_CUR), 11);
    check("read-at-eof", read(fd, buf, sizeof buf), 0);
    check("lseek-set", lseek(fd, 6, SEEK_SET), 6);
    check("read-partial", read(fd, buf, 3), 3);
    buf[3] = 0;
    check_str("read-data", buf, "wor");
    check("read-zero-bytes", read(fd, buf, 0), 0);
    check("lseek-end", lseek(fd, -2, SEEK_END), 9);
    check("read-short-at-end", read(fd, buf, sizeof buf), 2);
    check_err("lseek-negative", lseek(fd, -100, SEEK_SET), EINVAL);
    check_err("lseek-bad-whence", lseek(fd, 0, 42), EINVAL);
    check("close", close(fd), 0);
    check_err("close-twice", close(fd), EBADF);

    check_err("open-excl-existing", open("a", O_RDWR | O_CREAT | O_EXCL, 0644),
              EEXIST);
    check_err("open-missing", open("nope", O_RDONLY), ENOENT);
    check_err("open-directory-on-file", open("a", O_RDONLY | O_DIRECTORY),
              ENOTDIR);
    check_err("open-file-as-dir-component", open("a/b", O_RDONLY), ENOTDIR);

    fd = open("a", O_RDONLY);
    check_err("write-readonly-fd", write(fd, "x", 1), EBADF);
    close(fd);
    fd = open("a", O_WRONLY);
    check_err("read-writeonly-fd", read(fd, buf, 1), EBADF);
    close(fd);

    // O_TRUNC empties the file.
    fd = open("a", O_WRONLY | O_TRUNC);
    check("open-trunc-size", file_size("a"), 0);
    close(fd);

    // O_APPEND writes at the end even after lseek.
    fd = open("a", O_WRONLY | O_APPEND);
    write(fd, "abc", 3);
    lseek(fd, 0, SEEK_SET);
    write(fd, "def", 3);
    close(fd);
    fd = open("a", O_RDONLY);
    memset(buf, 0, sizeof buf);
    check("append-size", read(fd, buf, sizeof buf), 6);
    check_str("append-data", buf, "abcdef");
    close(fd);

    fd = creat("b", 0644);
    check("creat-returns-fd", fd >= 0, 1);
    check_err("creat-is-writeonly", read(fd, buf, 1), EBADF);
    close(fd);
    unlink("b");
}

static void test_holes_and_positional(void)
{
    char buf[16];
    int fd = open("h", O_RDWR | O_CREAT | O_TRUNC, 0644);
    check("lseek-past-end", lseek(fd, 8192, SEEK_SET), 8192);
    write(fd, "Z", 1);
    check("hole-file-size", file_size("h"), 8193);
    lseek(fd, 4000, SEEK_SET);
    memset(buf, 'x', sizeof buf);
    check("hole-read-count", read(fd, buf, sizeof buf), 16);
    int zeros = 1;
    for (int i = 0; i < 16; i++)
        if (buf[i] != 0)
            zeros = 0;
    check("hole-reads-zeros", zeros, 1);

    check("pwrite-count", pwrite(fd, "PQ", 2, 100), 2);
    check("pwrite-keeps-offset", lseek(fd, 0, SEEK_CUR), 4016);
    memset(buf, 0, sizeof buf);
    check("pread-count", pread(fd, buf, 2, 100), 2);
    check_str("pread-data", buf, "PQ");
    check("pread-past-eof", pread(fd, buf, 4, 9000), 0);
    check_err("pread-negative", pread(fd, buf, 1, -1), EINVAL);

    // readv/writev gather and scatter in order.
    struct iovec iov[3];
    char s1[] = "one", s2[] = "two", s3[] = "three";
    iov[0] = (struct iovec){ s1, 3 };
    iov[1] = (struct iovec){ s2, 3 };
    iov[2] = (struct iovec){ s3, 5 };
    lseek(fd, 0, SEEK_SET);
    check("writev-count", writev(fd, iov, 3), 11);
    char r1[5] = { 0 }, r2[7] = { 0 };
    iov[0] = (struct iovec){ r1, 4 };
    iov[1] = (struct iovec){ r2, 6 };
    lseek(fd, 0, SEEK_SET);
    check("readv-count", readv(fd, iov, 2), 10);
    check_str("readv-first", r1, "onet");
    check_str("readv-second", r2, "wothre");
    close(fd);

    // ftruncate shrinks and grows; grown part reads as zeros.
    fd = open("h", O_RDWR);
    check("ftruncate-shrink", ftruncate(fd, 5), 0);
    check("ftruncate-shrink-size", file_size("h"), 5);
    check("ftruncate-grow", ftruncate(fd, 3000), 0);
    check("ftruncate-grow-size", file_size("h"), 3000);
    char c = 'x';
    pread(fd, &c, 1, 2999);
    check("ftruncate-grow-zero", c, 0);
    check("truncate-path", truncate("h", 10), 0);
    check("truncate-path-size", file_size("h"), 10);
    check_err("truncate-missing", truncate("nope", 0), ENOENT);
    close(fd);
    fd = open("h", O_RDONLY);
    check_err("ftruncate-readonly", ftruncate(fd, 0), EINVAL);
    close(fd);
    unlink("h");
}

static void test_dup_fcntl(void)
{
    int fd = open("d", O_RDWR | O_CREAT | O_TRUNC, 0644);
    int fd2 = dup(fd);
    check("dup-new-fd", fd2 > fd, 1);
    write(fd, "12345", 5);
    check("dup-shares-offset", lseek(fd2, 0, SEEK_CUR), 5);
    check("dup2-target", dup2(fd, 20), 20);
    check("dup2-same-fd", dup2(fd, fd), fd);
    check_err("dup2-bad-old", dup2(99, 21), EBADF);
    check_err("dup3-same-fd", dup3(fd, fd, 0), EINVAL);
    check("dup3-cloexec", dup3(fd, 22, O_CLOEXEC), 22);
    check("dup3-cloexec-flag", fcntl(22, F_GETFD) & FD_CLOEXEC, FD_CLOEXEC);
    check("dup2-no-cloexec", fcntl(20, F_GETFD) & FD_CLOEXEC, 0);
    check("fcntl-dupfd-min", fcntl(fd, F_DUPFD, 40), 40);
    check("fcntl-dupfd-next", fcntl(fd, F_DUPFD, 40), 41);
    check("fcntl-dupfd-cloexec", fcntl(fd, F_DUPFD_CLOEXEC, 30), 30);
    check("fcntl-getfd-cloexec", fcntl(30, F_GETFD), FD_CLOEXEC);
    check("dup2-fd-63", dup2(fd, 63), 63);
    check("fcntl-setfd", fcntl(fd, F_SETFD, FD_CLOEXEC), 0);
    check("fcntl-getfd", fcntl(fd, F_GETFD), FD_CLOEXEC);
    check("fcntl-getfl-rdwr", fcntl(fd, F_GETFL) & O_ACCMODE, O_RDWR);
    check("fcntl-setfl-append", fcntl(fd, F_SETFL, O_APPEND), 0);
    check("fcntl-getfl-append", !!(fcntl(fd, F_GETFL) & O_APPEND), 1);
    check("fcntl-append-shared", !!(fcntl(fd2, F_GETFL) & O_APPEND), 1);
    lseek(fd, 0, SEEK_SET);
    write(fd, "6", 1);
    check("fcntl-append-writes", file_size("d"), 6);
    check_err("fcntl-bad-fd", fcntl(99, F_GETFL), EBADF);
    int wfd = open("d", O_WRONLY);
    check("fcntl-getfl-wronly", fcntl(wfd, F_GETFL) & O_ACCMODE, O_WRONLY);
    close(wfd);
    for (int i = 20; i <= 22; i++)
        close(i);
    close(30);
    close(40);
    close(41);
    close(63);
    close(fd2);
    close(fd);
    // After closing fds, the lowest free one is reused.
    fd = open("d", O_RDONLY);
    check("lowest-fd-reused", fd, 3);
    close(fd);
    unlink("d");
}

static void test_stat_links(void)
{
    struct stat st;
    int fd = open("f", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "0123456789", 10);
    check("fstat", fstat(fd, &st), 0);
    check("fstat-isreg", S_ISREG(st.st_mode), 1);
    check("fstat-size", st.st_size, 10);
    close(fd);
    check("stat-nlink-1", nlink_of("f"), 1);
    check("link", link("f", "g"), 0);
    check("link-nlink-2", nlink_of("f"), 2);
    struct stat s1, s2;
    stat("f", &s1);
    stat("g", &s2);
    check("link-same-inode", s1.st_ino == s2.st_ino && s1.st_dev == s2.st_dev, 1);
    check_err("link-existing", link("f", "g"), EEXIST);
    check_err("link-missing", link("nope", "x"), ENOENT);
    check("unlink-link", unlink("g"), 0);
    check("unlink-nlink-1", nlink_of("f"), 1);
    check_err("unlink-missing", unlink("g"), ENOENT);

    // An unlinked file stays readable through an open fd.
    fd = open("f", O_RDONLY);
    unlink("f");
    char buf[4] = { 0 };
    check("read-after-unlink", read(fd, buf, 3), 3);
    check_str("read-after-unlink-data", buf, "012");
    check("fstat-after-unlink-nlink", fstat(fd, &st) == 0 ? st.st_nlink : -1, 0);
    close(fd);
    check_err("stat-after-unlink", stat("f", &st), ENOENT);

    // Symlinks.
    fd = open("t", O_WRONLY | O_CREAT, 0644);
    write(fd, "xyz", 3);
    close(fd);
    check("symlink", symlink("t", "s"), 0);
    check_err("symlink-existing", symlink("t", "s"), EEXIST);
    check("lstat-islnk", lstat("s", &st) == 0 && S_ISLNK(st.st_mode), 1);
    check("stat-follows", stat("s", &st) == 0 && S_ISREG(st.st_mode), 1);
    check("stat-follows-size", st.st_size, 3);
    char lb[32];
    ssize_t n = readlink("s", lb, sizeof lb);
    check("readlink-len", n, 1);
    lb[n > 0 ? n : 0] = 0;
    check_str("readlink-target", lb, "t");
    check_err("readlink-not-link", readlink("t", lb, sizeof lb), EINVAL);
    check_err("readlink-missing", readlink("nope", lb, sizeof lb), ENOENT);
    check("open-via-symlink", (fd = open("s", O_RDONLY)) >= 0, 1);
    close(fd);
    symlink("gone", "dang");
    check_err("open-dangling", open("dang", O_RDONLY), ENOENT);
    check("lstat-dangling", lstat("dang", &st) == 0 && S_ISLNK(st.st_mode), 1);
    check("unlink-symlink", unlink("dang"), 0);
    unlink("s");
    check("fstatat-cwd", fstatat(AT_FDCWD, "t", &st, 0), 0);
    check("fstatat-size", st.st_size, 3);
}

static void test_rename(void)
{
    int fd = open("r1", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "first", 5);
    close(fd);
    fd = open("r2", O_WRONLY | O_CREAT | O_TRUNC, 0644);
    write(fd, "second!", 7);
    close(fd);
    check("rename-over-existing", rename("r1", "r2"), 0);
    check("rename-target-size", file_size("r2"), 5);
    check("rename-source-gone", access("r1", F_OK) == -1 && errno == ENOENT, 1);
    check("rename-new-name", rename("r2", "r3"), 0);
    check("rename-new-exists", access("r3", F_OK), 0);
    check("rename-same", rename("r3", "r3"), 0);
    check_err("rename-missing", rename("r1", "r4"), ENOENT);
    mkdir("rd", 0755);
    check("rename-into-dir", rename("r3", "rd/r"), 0);
    check("rename-into-dir-size", file_size("rd/r"), 5);
    mkdir("re", 0755);
    check_err("rename-file-over-dir", rename("rd/r", "re"), EISDIR);
    check_err("rename-dir-over-file", rename("re", "rd/r"), ENOTDIR);
    check_err("rename-dir-over-nonempty", rename("re", "rd"), ENOTEMPTY);
    check("rename-dir", rename("re", "rf"), 0);
    check("rename-dir-isdir", access("rf", F_OK), 0);
    rmdir("rf");
    unlink("rd/r");
    rmdir("rd");
}

static void test_dirs(void)
{
    char buf[256];
    struct stat st;
    check("mkdir", mkdir("dir", 0755), 0);
    check_err("mkdir-existing", mkdir("dir", 0755), EEXIST);
    check_err("mkdir-missing-parent", mkdir("no/sub", 0755), ENOENT);
    check("stat-isdir", stat("dir", &st) == 0 && S_ISDIR(st.st_mode), 1);
    check_err("read-directory", ({
        int d = open("dir", O_RDONLY);
        long r = read(d, buf, sizeof buf);
        int e = errno;
        close(d);
        errno = e;
        r;
    }), EISDIR);
    check_err("open-dir-for-write", open("dir", O_WRONLY), EISDIR);
    check("open-dir-o-directory", ({
        int d = open("dir", O_RDONLY | O_DIRECTORY);
        close(d);
        d >= 0;
    }), 1);

    const char *names[] = { "zeta", "alpha", "mid", "b2", "b10" };
    for (int i = 0; i < 5; i++) {
        snprintf(buf, sizeof buf, "dir/%s", names[i]);
        close(open(buf, O_WRONLY | O_CREAT, 0644));
    }
    mkdir("dir/sub", 0755);
    list_dir("dir", buf, sizeof buf);
    check_str("readdir-sorted", buf, "alpha,b10,b2,mid,sub,zeta");
    int dots = 0;
    DIR *d = opendir("dir");
    struct dirent *de;
    while ((de = readdir(d)) != NULL)
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            dots++;
    closedir(d);
    check("readdir-dot-entries", dots, 2);
    check_err("opendir-file", opendir("a") ? 0 : -1, ENOTDIR);
    check_err("opendir-missing", opendir("nope") ? 0 : -1, ENOENT);

    check_err("rmdir-nonempty", rmdir("dir"), ENOTEMPTY);
    check_err("unlink-directory", unlink("dir/sub"), EISDIR);
    check_err("rmdir-file", rmdir("dir/mid"), ENOTDIR);
    check_err("rmdir-dot", rmdir("dir/sub/."), EINVAL);
    check("dir-nlink-with-sub", nlink_of("dir"), 3);

    // chdir/getcwd: the new cwd is the old one plus "/dir/sub".
    char before[512], after[512];
    check("getcwd", getcwd(before, sizeof before) != NULL, 1);
    check("chdir", chdir("dir/sub"), 0);
    getcwd(after, sizeof after);
    size_t bl = strlen(before);
    check("getcwd-prefix", strncmp(before, after, bl), 0);
    check_str("getcwd-relative", after + bl + (bl > 1), "dir/sub");
    close(open("inner", O_WRONLY | O_CREAT, 0644));
    check("relative-after-chdir", access("../sub/inner", F_OK), 0);
    check("chdir-dotdot", chdir("../.."), 0);
    getcwd(after, sizeof after);
    check_str("getcwd-back", after, before);
    check_err("chdir-file", chdir("a"), ENOTDIR);
    check_err("chdir-missing", chdir("nope"), ENOENT);
    check_err("getcwd-small-buf", getcwd(after, 1) ? 0 : -1, ERANGE);

    for (int i = 0; i < 5; i++) {
        snprintf(buf, sizeof buf, "dir/%s", names[i]);
        unlink(buf);
    }
    unlink("dir/sub/inner");
    check("rmdir-sub", rmdir("dir/sub"), 0);
    check("rmdir-empty", rmdir("dir"), 0);
    check_err("rmdir-missing", rmdir("dir"), ENOENT);
}

static void test_access_umask(void)
{
    check("access-exists", access("a", F_OK), 0);
    check("access-read", access("a", R_OK), 0);
    check_err("access-missing", access("nope", F_OK), ENOENT);
    check_err("access-bad-mode", access("a", 0100), EINVAL);
    mode_t old = umask(022);
    umask(old);
    check("umask-roundtrip", umask(old), old);
    check("umask-returns-previous", (umask(077), umask(old)), 077);
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

// Growing a file writes zeros where the file system has no holes, which
// for 60 MiB takes long: a kill must end the call within a few seconds.
static void test_truncate_killed(void)
{
    int fd = open("big", O_RDWR | O_CREAT | O_TRUNC, 0644);
    pid_t pid = fork();
    if (pid == 0) {
        ftruncate(fd, 60L << 20);
        _exit(0);
    }
    struct timespec pause = { 0, 200000000 };
    nanosleep(&pause, NULL);
    double t0 = now();
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    check("truncate-growing-killed-ends-soon", now() - t0 < 5, 1);
    close(fd);
    check("truncate-growing-cleanup", unlink("big"), 0);
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    umask(022);
    test_open_rw();
    test_holes_and_positional();
    test_dup_fcntl();
    test_stat_links();
    test_rename();
    test_dirs();
    test_access_umask();
    test_truncate_killed();
    unlink("a");
    unlink("t");
    check("cleanup-a-gone", access("a", F_OK) == -1 && errno == ENOENT, 1);
    printf("files: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}

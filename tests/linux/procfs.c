// procfs.c: /proc as a program sees it.  /proc/self/stat, status and
// cmdline describe the caller (pid, ppid, state, argv); /proc/self is a
// link to the caller's pid; /proc lists it; paths through /proc and ".."
// lead where Linux's do; reads in small pieces and past the end; a
// process's files fail with ESRCH once it is reaped; nothing under /proc
// can be written, created, removed, linked, renamed or truncated.
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

// The whole of path, read in pieces of `piece` bytes, into buf (size bytes); its length or -1.
static long read_all(const char *path, char *buf, long size, long piece)
{
    int fd = open(path, O_RDONLY);
    long len = 0, n;
    if (fd < 0)
        return -1;
    while (len < size - 1 && (n = read(fd, buf + len, piece < size - 1 - len ? piece : size - 1 - len)) > 0)
        len += n;
    close(fd);
    buf[len] = 0;
    return n < 0 ? -1 : len;
}

// Field n (1-based, as proc(5) counts) of a /proc/PID/stat text, as a number.
static long stat_field(const char *text, int n)
{
    const char *p = strrchr(text, ')');     // the name may hold spaces
    if (n == 1)
        return atol(text);
    if (!p || n < 3)
        return -1;
    p += 2;
    for (int i = 3; i < n; i++) {
        p = strchr(p, ' ');
        if (!p)
            return -1;
        p++;
    }
    return *p >= 'A' && *p <= 'Z' ? *p : atol(p);
}

// The number after "key:\t" in a status text, or -1.
static long status_field(const char *text, const char *key)
{
    char want[32];
    snprintf(want, sizeof want, "\n%s:\t", key);
    const char *p = strstr(text, want);
    return p ? atol(p + strlen(want)) : -1;
}

static void self_files(int argc, char **argv)
{
    char buf[4096], piece[4096];
    long n = read_all("/proc/self/stat", buf, sizeof buf, sizeof buf);
    check("stat-reads", n > 0, 1);
    check("stat-pid", stat_field(buf, 1), getpid());
    check("stat-ppid", stat_field(buf, 4), getppid());
    check("stat-ends-newline", n > 0 && buf[n - 1] == '\n', 1);

    n = read_all("/proc/self/status", buf, sizeof buf, sizeof buf);
    check("status-pid", status_field(buf, "Pid"), getpid());
    check("status-ppid", status_field(buf, "PPid"), getppid());
    check("status-state-running", strstr(buf, "\nState:\tR") != NULL, 1);

    // cmdline: argv, each NUL-ended; the same read a byte at a time
    char want[4096];
    long wlen = 0;
    for (int i = 0; i < argc; i++) {
        memcpy(want + wlen, argv[i], strlen(argv[i]) + 1);
        wlen += strlen(argv[i]) + 1;
    }
    n = read_all("/proc/self/cmdline", buf, sizeof buf, sizeof buf);
    check("cmdline-length", n, wlen);
    check("cmdline-is-argv", n == wlen && memcmp(buf, want, wlen) == 0, 1);
    long m = read_all("/proc/self/cmdline", piece, sizeof piece, 1);
    check("cmdline-bytewise", m == n && memcmp(buf, piece, n) == 0, 1);
}

static void links_and_paths(const char *argv0)
{
    char buf[256], pid[32];
    struct stat st, st2;
    snprintf(pid, sizeof pid, "%d", getpid());
    long n = readlink("/proc/self", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("self-link-is-pid", n > 0 && strcmp(buf, pid) == 0, 1);
    check("self-lstat-link", lstat("/proc/self", &st) == 0 && S_ISLNK(st.st_mode), 1);
    check("self-stat-dir", stat("/proc/self", &st) == 0 && S_ISDIR(st.st_mode), 1);
    check("proc-dir-mode", stat("/proc", &st) == 0 ? (long)(st.st_mode & 07777) : -1, 0555);
    check("meminfo-mode", stat("/proc/meminfo", &st) == 0 ? (long)(st.st_mode & 07777) : -1, 0444);
    check("meminfo-regular", S_ISREG(st.st_mode), 1);

    // the program file: /proc/self/exe names it
    n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("exe-is-program", n > 0 && stat(buf, &st) == 0 && stat(argv0, &st2) == 0 &&
          st.st_ino == st2.st_ino && st.st_dev == st2.st_dev, 1);

    // ".." out of /proc leads to the root
    stat("/", &st);
    check("dotdot-of-self", stat("/proc/self/../..", &st2) == 0 && st2.st_ino == st.st_ino &&
          st2.st_dev == st.st_dev, 1);
    check("dotdot-of-proc", stat("/proc/../", &st2) == 0 && st2.st_ino == st.st_ino, 1);
    check("proc-dot", stat("/proc/./self/.", &st2) == 0 && S_ISDIR(st2.st_mode), 1);

    check_err("huge-pid", open("/proc/99999999999/stat", O_RDONLY), ENOENT);
    check_err("pid-zero", open("/proc/0/stat", O_RDONLY), ENOENT);
    check_err("pid-negative", open("/proc/-1/stat", O_RDONLY), ENOENT);
    check_err("pid-leading-zero", open("/proc/01/stat", O_RDONLY), ENOENT);
    check_err("no-such-file", open("/proc/self/nosuchfile", O_RDONLY), ENOENT);
    check_err("file-as-dir", open("/proc/meminfo/x", O_RDONLY), ENOTDIR);

    // relative to /proc as the current directory, and back
    int here = open(".", O_RDONLY | O_DIRECTORY);
    char cwd[64];
    check("chdir-proc", chdir("/proc/self"), 0);
    n = read_all("stat", buf, sizeof buf, sizeof buf);
    check("relative-stat-pid", n > 0 ? stat_field(buf, 1) : -1, getpid());
    check("getcwd-in-proc", getcwd(cwd, sizeof cwd) != NULL && strncmp(cwd, "/proc/", 6) == 0 &&
          strcmp(cwd + 6, pid) == 0, 1);
    check("fchdir-back", fchdir(here), 0);
    close(here);
}

static void listing(void)
{
    char pid[32];
    int self = 0, me = 0, meminfo = 0;
    snprintf(pid, sizeof pid, "%d", getpid());
    DIR *d = opendir("/proc");
    check("opendir", d != NULL, 1);
    for (struct dirent *e; d && (e = readdir(d));) {
        self += strcmp(e->d_name, "self") == 0;
        me += strcmp(e->d_name, pid) == 0;
        meminfo += strcmp(e->d_name, "meminfo") == 0;
    }
    if (d)
        closedir(d);
    check("lists-self", self, 1);
    check("lists-own-pid", me, 1);
    check("lists-meminfo", meminfo, 1);
}

static void offsets(void)
{
    char buf[8192], piece[8192];
    long n = read_all("/proc/meminfo", buf, sizeof buf, sizeof buf);
    check("meminfo-has-total", n > 0 && strncmp(buf, "MemTotal:", 9) == 0, 1);
    int fd = open("/proc/meminfo", O_RDONLY);
    check("seek-far", lseek(fd, 1L << 30, SEEK_SET), 1L << 30);
    check("read-far", read(fd, piece, sizeof piece), 0);
    check("pread-far", pread(fd, piece, sizeof piece, 1L << 40), 0);
    check("seek-back", lseek(fd, 0, SEEK_SET), 0);
    check("read-again", read(fd, piece, 9), 9);
    check("read-again-text", memcmp(piece, "MemTotal:", 9), 0);
    close(fd);
    n = read_all("/proc/self/status", buf, sizeof buf, 7);
    check("status-in-pieces", n > 0 && status_field(buf, "Pid") == getpid(), 1);
}

// A child's files: a zombie shows as Z; once reaped, its open file reads ESRCH and its directory is gone.
static void gone(void)
{
    int go[2];
    char path[64], buf[4096];
    pipe(go);
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        char c;
        close(go[1]);
        read(go[0], &c, 1);
        _exit(0);
    }
    close(go[0]);
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY);
    check("child-open", fd >= 0, 1);
    long n = read(fd, buf, sizeof buf - 1);
    buf[n > 0 ? n : 0] = 0;
    check("child-pid", stat_field(buf, 1), pid);
    check("child-ppid", stat_field(buf, 4), getpid());
    close(go[1]);
    long state = 0;
    for (int i = 0; i < 500 && state != 'Z'; i++) {     // it ends, unreaped: a zombie
        n = pread(fd, buf, sizeof buf - 1, 0);
        buf[n > 0 ? n : 0] = 0;
        state = stat_field(buf, 3);
        if (state != 'Z')
            usleep(10000);
    }
    check("zombie-state", state, 'Z');
    waitpid(pid, NULL, 0);
    check_err("reaped-read", pread(fd, buf, sizeof buf, 0), ESRCH);
    close(fd);
    check_err("reaped-open", open(path, O_RDONLY), ENOENT);
}

// Nothing under /proc changes.  Linux answers root (every process on
// Canopy) differently from others, so the first check finds out which we
// are: root may open /proc files for writing, and the writes fail.
static void read_only(void)
{
    int root = access("/proc/meminfo", W_OK) == 0;
    int fd = open("/proc/meminfo", O_RDONLY);
    check_err("write-rdonly-fd", write(fd, "x", 1), EBADF);
    close(fd);
    fd = open("/proc/meminfo", O_WRONLY | O_TRUNC);
    if (root) {
        check("open-wronly", fd >= 0, 1);
        check_err("write-meminfo", write(fd, "x", 1), EIO);
    } else {
        check_err("open-wronly", fd, EACCES);
        check("write-meminfo", 1, 1);
    }
    close(fd);
    char parent[64];
    snprintf(parent, sizeof parent, "/proc/%d/stat", getppid());
    fd = open(parent, O_RDWR);     // not our own: qemu-user makes up that one
    if (root) {
        check("open-rdwr", fd >= 0, 1);
        check_err("write-stat", write(fd, "x", 1), EINVAL);
    } else {
        check_err("open-rdwr", fd, EACCES);
        check("write-stat", 1, 1);
    }
    close(fd);
    check_err("unlink", unlink("/proc/meminfo"), root ? EPERM : EACCES);
    check_err("rmdir-pid", rmdir("/proc/1"), root ? EPERM : EACCES);
    check_err("rmdir-link", rmdir("/proc/self/"), root ? ENOTDIR : EACCES);
    if (root)
        check("truncate", truncate("/proc/meminfo", 0), 0);
    else
        check_err("truncate", truncate("/proc/meminfo", 0), EACCES);
    check_err("create", open("/proc/newfile", O_WRONLY | O_CREAT, 0644), ENOENT);
    check_err("create-in-pid", open("/proc/self/newfile", O_WRONLY | O_CREAT, 0644), ENOENT);
    check_err("mkdir", mkdir("/proc/newdir", 0755), ENOENT);
    check_err("mkdir-existing", mkdir("/proc/self", 0755), EEXIST);
    check_err("symlink-in", symlink("x", "/proc/newlink"), ENOENT);
    check_err("unlink-missing", unlink("/proc/nosuch"), ENOENT);
    check_err("rename-in", rename("/proc/meminfo", "/proc/x"), ENOENT);
    check_err("rename-out", rename("/proc/meminfo", "x"), EXDEV);
    check_err("link-out", link("/proc/meminfo", "x"), EXDEV);
    check("access-read", access("/proc/meminfo", R_OK), 0);
    fd = open("/proc/meminfo", O_RDONLY);
    check_err("seek-end", lseek(fd, 0, SEEK_END), EINVAL);
    close(fd);
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    self_files(argc, argv);
    links_and_paths(argv[0]);
    listing();
    offsets();
    gone();
    read_only();
    printf("procfs: %d checks\n", nchecks);
    return nfail != 0;
}

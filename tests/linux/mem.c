// mem.c: memory management under the Linux system-call ABI.
// Covers brk/sbrk growth and shrink, malloc of small and large blocks,
// anonymous mmap (zero fill, MAP_FIXED replacement, partial munmap
// holes, MAP_SHARED across fork vs MAP_PRIVATE copy), mprotect with
// SIGSEGV (si_addr, SEGV_ACCERR/SEGV_MAPERR), file mmap (MAP_SHARED write
// back, MAP_PRIVATE copy-on-write, tail of last page zeroed, SIGBUS past
// EOF, mapping outlives the fd), argument errors (EINVAL, EBADF, EACCES,
// ENOMEM) and a 1 MiB stack. Never prints addresses.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
static long pg;

// Fault catching: probe() touches an address and reports the signal.
static sigjmp_buf jb;
static volatile int last_sig, last_code;
static void *volatile last_addr;

static void on_fault(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    last_sig = sig;
    last_code = si->si_code;
    last_addr = si->si_addr;
    siglongjmp(jb, 1);
}

// Returns 0 if the access worked, else the signal number.
static int probe(volatile char *p, int write)
{
    last_sig = 0;
    last_addr = NULL;
    if (sigsetjmp(jb, 1) == 0) {
        if (write)
            *p = 'w';
        else
            (void)*p;
        return 0;
    }
    return last_sig;
}

static char *map_anon(size_t len)
{
    void *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void test_brk(void)
{
    char *b0 = sbrk(0);
    check("brk-query", (char *)syscall(SYS_brk, 0) == b0, 1);
    check("sbrk-grow", sbrk(65536) == (void *)b0, 1);
    check("sbrk-new-end", (char *)sbrk(0) == b0 + 65536, 1);
    int zero = 1;
    for (int i = 0; i < 65536; i += 512)
        if (b0[i])
            zero = 0;
    check("brk-zero-filled", zero, 1);
    memset(b0, 0x5a, 65536);
    check("brk-writable", b0[65535], 0x5a);
    check("sbrk-shrink", sbrk(-65536) == (void *)(b0 + 65536), 1);
    check("brk-after-shrink", (char *)sbrk(0) == b0, 1);
    check("brk-regrow-zero", (sbrk(65536), b0[100]), 0);
    sbrk(-65536);

    // malloc: many small blocks and some large ones (mmap-backed).
    char *small[200];
    int ok = 1;
    for (int i = 0; i < 200; i++) {
        small[i] = malloc(24 + i);
        memset(small[i], i, 24 + i);
    }
    for (int i = 0; i < 200; i++) {
        if (small[i][23 + i] != (char)i)
            ok = 0;
        free(small[i]);
    }
    check("malloc-small", ok, 1);
    char *big = malloc(4 << 20);
    check("malloc-large", big != NULL, 1);
    memset(big, 1, 4 << 20);
    check("malloc-large-use", big[(4 << 20) - 1], 1);
    free(big);
    char *z = calloc(1 << 20, 1);
    check("calloc-zero", z && z[12345] == 0 && z[(1 << 20) - 1] == 0, 1);
    z = realloc(z, 3 << 20);
    check("realloc-keeps", z[0], 0);
    free(z);
}

static void test_anon(void)
{
    char *a = map_anon(4 * pg);
    check("mmap-anon", a != NULL, 1);
    check("mmap-page-aligned", (uintptr_t)a % pg, 0);
    check("mmap-zero-filled", a[0] == 0 && a[4 * pg - 1] == 0, 1);
    for (int i = 0; i < 4; i++)
        memset(a + i * pg, 'A' + i, pg);

    // MAP_FIXED replaces page 1 with a fresh zero page.
    void *r = mmap(a + pg, pg, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    check("map-fixed-address", r == a + pg, 1);
    check("map-fixed-zeroed", a[pg + 7], 0);
    check("map-fixed-neighbors", a[0] == 'A' && a[2 * pg] == 'C', 1);

    // munmap of the middle punches a hole.
    check("munmap-middle", munmap(a + 2 * pg, pg), 0);
    check("munmap-hole-faults", probe(a + 2 * pg + 5, 0), SIGSEGV);
    check("munmap-hole-si-addr", last_addr == a + 2 * pg + 5, 1);
    check("munmap-hole-maperr", last_code, SEGV_MAPERR);
    check("munmap-left-intact", a[pg - 1] == 'A' && a[3 * pg] == 'D', 1);
    check("munmap-unmapped-ok", munmap(a + 2 * pg, pg), 0);
    // mremap of what is not mapped (the hole, even at the same size) fails
    check_err("mremap-unmapped-efault", (long)mremap(a + 2 * pg, pg, pg, 0), EFAULT);

    // mprotect.
    check("mprotect-ro", mprotect(a, pg, PROT_READ), 0);
    check("mprotect-ro-read", probe(a + 10, 0), 0);
    check("mprotect-ro-write-faults", probe(a + 10, 1), SIGSEGV);
    check("mprotect-accerr", last_code, SEGV_ACCERR);
    check("mprotect-ro-unchanged", a[10], 'A');
    check("mprotect-none", mprotect(a + 3 * pg, pg, PROT_NONE), 0);
    check("mprotect-none-read-faults", probe(a + 3 * pg, 0), SIGSEGV);
    check("mprotect-rw", mprotect(a, pg, PROT_READ | PROT_WRITE), 0);
    check("mprotect-rw-write", probe(a + 10, 1), 0);
    check("mprotect-keeps-data", mprotect(a + 3 * pg, pg, PROT_READ) == 0 &&
          a[3 * pg + 1] == 'D', 1);
    check_err("mprotect-unaligned", mprotect(a + 1, pg, PROT_READ), EINVAL);
    check_err("mprotect-unmapped", mprotect(a + 2 * pg, pg, PROT_READ), ENOMEM);
    munmap(a, 4 * pg);
    check("munmap-all-faults", probe(a, 0), SIGSEGV);

    // Argument errors.
    check_err("mmap-len-zero", mmap(NULL, 0, PROT_READ, MAP_PRIVATE |
              MAP_ANONYMOUS, -1, 0) == MAP_FAILED ? -1 : 0, EINVAL);
    check_err("mmap-no-type", mmap(NULL, pg, PROT_READ, MAP_ANONYMOUS, -1, 0)
              == MAP_FAILED ? -1 : 0, EINVAL);
    check_err("mmap-fixed-unaligned", mmap((char *)a + 1, pg, PROT_READ,
              MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == MAP_FAILED
              ? -1 : 0, EINVAL);
    check_err("munmap-unaligned", munmap((char *)a + 1, pg), EINVAL);
    check_err("munmap-len-zero", munmap(a, 0), EINVAL);

    // A larger mapping, touched sparsely.
    size_t len = 16 << 20;
    char *l = map_anon(len);
    long sum = 0;
    for (size_t off = 0; off < len; off += 1 << 20) {
        l[off] = 1;
        sum += l[off] + l[off + pg];
    }
    check("mmap-16m-sparse", sum, 16);
    munmap(l, len);
}

static void test_fork_sharing(void)
{
    char *priv = map_anon(pg);
    char *shr = mmap(NULL, pg, PROT_READ | PROT_WRITE,
                     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    check("mmap-shared-anon", shr != MAP_FAILED, 1);
    priv[0] = 'p';
    shr[0] = 's';
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        priv[0] = 'P';
        shr[0] = 'S';
        _exit(priv[0] == 'P' ? 0 : 1);
    }
    int st;
    waitpid(pid, &st, 0);
    check("fork-child-status", WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
    check("fork-private-copied", priv[0], 'p');
    check("fork-shared-visible", shr[0], 'S');
    munmap(priv, pg);
    munmap(shr, pg);
}

static void test_file_map(void)
{
    long len = 2 * pg + 100;
    int fd = open("m", O_RDWR | O_CREAT | O_TRUNC, 0644);
    static char bytes[2 * 65536 + 100];     // len fits for pages up to 64 KiB
    size_t n = len < (long)sizeof bytes ? (size_t)len : sizeof bytes;
    for (size_t i = 0; i < n; i++)
        bytes[i] = 'a' + i % 26;
    check("file-written", write(fd, bytes, n), len);
    char *m = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    check("mmap-file-shared", m != MAP_FAILED, 1);
    int ok = 1;
    for (long i = 0; i < len; i++)
        if (m[i] != 'a' + i % 26)
            ok = 0;
    check("mmap-file-contents", ok, 1);
    check("mmap-file-tail-zero", m[len] == 0 && m[3 * pg - 1] == 0, 1);
    m[1] = '!';
    check("msync", msync(m, pg, MS_SYNC), 0);
    char c = 0;
    pread(fd, &c, 1, 1);
    check("mmap-shared-write-to-file", c, '!');
    pwrite(fd, "#", 1, pg + 3);
    check("mmap-sees-write", m[pg + 3], '#');
    check("munmap-file", munmap(m, len), 0);

    // Offset mapping, private copy-on-write, and the fd may be closed.
    m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, pg);
    check("mmap-offset", m != MAP_FAILED && m[3] == '#', 1);
    close(fd);
    m[0] = '*';
    check("mmap-after-close", m[4], 'a' + (pg + 4) % 26);
    fd = open("m", O_RDONLY);
    pread(fd, &c, 1, pg);
    check("mmap-private-not-written", c, 'a' + pg % 26);
    munmap(m, pg);

    // Pages wholly beyond EOF raise SIGBUS.
    m = mmap(NULL, 4 * pg, PROT_READ, MAP_SHARED, fd, 0);
    check("mmap-beyond-eof-ok", m != MAP_FAILED, 1);
    check("mmap-last-partial-page", probe(m + 2 * pg + 200, 0), 0);
    check("mmap-past-eof-sigbus", probe(m + 3 * pg, 0), SIGBUS);
    munmap(m, 4 * pg);

    check_err("mmap-offset-unaligned", mmap(NULL, pg, PROT_READ, MAP_SHARED,
              fd, 100) == MAP_FAILED ? -1 : 0, EINVAL);
    check_err("mmap-ro-fd-shared-write", mmap(NULL, pg, PROT_READ | PROT_WRITE,
              MAP_SHARED, fd, 0) == MAP_FAILED ? -1 : 0, EACCES);
    m = mmap(NULL, pg, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    check("mmap-ro-fd-private-write", m != MAP_FAILED, 1);
    munmap(m, pg);
    close(fd);
    check_err("mmap-bad-fd", mmap(NULL, pg, PROT_READ, MAP_SHARED, 77, 0)
              == MAP_FAILED ? -1 : 0, EBADF);
    fd = open("m", O_WRONLY);
    check_err("mmap-wronly-fd", mmap(NULL, pg, PROT_READ, MAP_SHARED, fd, 0)
              == MAP_FAILED ? -1 : 0, EACCES);
    close(fd);
    mkdir("md", 0755);
    fd = open("md", O_RDONLY);
    check_err("mmap-directory", mmap(NULL, pg, PROT_READ, MAP_PRIVATE, fd, 0)
              == MAP_FAILED ? -1 : 0, ENODEV);
    close(fd);
    rmdir("md");
    unlink("m");
}

static long deep(int n, volatile char *prev)
{
    volatile char frame[4096];
    frame[0] = (char)n;
    frame[4095] = prev ? prev[0] : 0;
    if (n == 0)
        return frame[0] + frame[4095];
    return deep(n - 1, frame) + frame[0];
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    pg = sysconf(_SC_PAGESIZE);
    check("page-size", pg, 4096);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigaction(SIGSEGV, &sa, NULL);
    sigaction(SIGBUS, &sa, NULL);
    test_brk();
    test_anon();
    test_fork_sharing();
    test_file_map();
    check("stack-1mib", deep(250, NULL), 250L * 251 / 2 + 1);
    printf("mem: %d checks\n", nchecks);
    return nfail ? 1 : 0;
}

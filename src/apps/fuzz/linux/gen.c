/*
 * Drawing random Linux system calls.  A number is one of the calls the
 * table below lists (every call src/linux/syscall.c implements, and a few
 * it does not, such as clone3, drawn with their shapes), or now and
 * then any number at all.  Each argument is drawn for its kind: a
 * descriptor open or not, a path that exists or not, a buffer good, bad,
 * in the kernel or unaligned, a size at an edge, flag words with real and
 * junk bits, a signal, a pid (0, -1, the batch's group, its children),
 * clone's shapes (fork, vfork, threads, junk), mmap's and its kin's,
 * sigaction with handlers, a forged rt_sigreturn frame, the console's
 * ioctls, ppoll's timeouts, execve of real and junk images.  Arguments
 * whose memory must be laid out just before the call (an iovec array, a
 * termios...) carry a FILL_* that fill.c acts on.  One call in eight gets
 * junk in all six registers.  (The seeded generator and the values any
 * call may get are ../draw.c's.)
 */
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "lfuzz.h"

/* What a call's argument is, so that its value is drawn for it. */
enum kind {
	K_NONE, K_INT, K_LEN, K_FD, K_DIRFD, K_PID, K_OUT, K_IN, K_PATH, K_EXEC, K_ARGV,
	K_OFLAGS, K_MODE, K_ATFLAGS, K_WHENCE, K_OFF, K_IOV, K_IOVCNT, K_FCNTL, K_IOCTL,
	K_PIPEFL, K_SIG, K_SIGACT, K_SIGSET, K_SIGSZ, K_HOW, K_CLONE, K_STACK, K_WAITOPT,
	K_IDTYPE, K_MADDR, K_PROT, K_MFLAGS, K_MRFLAGS, K_MADV, K_MSFLAGS, K_CLOCK, K_TS,
	K_ITWHICH, K_ITV, K_RES, K_RLIM, K_POLL, K_NFDS, K_RENFL, K_GRND, K_STATXMASK,
	K_AMODE, K_UTIMES, K_SIGINFO, K_ALTSTACK, K_BRK, K_TFLAGS, K_ANY,
};

struct sysdesc {
	const char *name;
	uint8_t kinds[6];
	uint8_t weight;         /* 4: usual; less: drawn that much less often; 0: 1 in 16 */
	bool absent;            /* a call the kernel does not have: -ENOSYS */
};

#define C(nr, nm, w, ...) [nr] = { nm, { __VA_ARGS__ }, w, false }
#define ABSENT(nr, nm, ...) [nr] = { nm, { __VA_ARGS__ }, 1, true }

/* Indexed by Linux's number (the uapi header's); K_NONE ends an argument list. */
static const struct sysdesc calls[__NR_syscalls] = {
	C(SYS_read, "read", 4, K_FD, K_OUT, K_LEN),
	C(SYS_write, "write", 4, K_FD, K_IN, K_LEN),
	C(SYS_readv, "readv", 4, K_FD, K_IOV, K_IOVCNT),
	C(SYS_writev, "writev", 4, K_FD, K_IOV, K_IOVCNT),
	C(SYS_pread64, "pread64", 3, K_FD, K_OUT, K_LEN, K_OFF),
	C(SYS_pwrite64, "pwrite64", 3, K_FD, K_IN, K_LEN, K_OFF),
	C(SYS_openat, "openat", 4, K_DIRFD, K_PATH, K_OFLAGS, K_MODE),
	C(SYS_close, "close", 3, K_FD),
	C(SYS_lseek, "lseek", 3, K_FD, K_OFF, K_WHENCE),
	C(SYS_dup, "dup", 3, K_FD),
	C(SYS_dup3, "dup3", 3, K_FD, K_FD, K_OFLAGS),
	C(SYS_fcntl, "fcntl", 4, K_FD, K_FCNTL, K_ANY),
	C(SYS_ioctl, "ioctl", 4, K_FD, K_IOCTL, K_OUT),
	C(SYS_pipe2, "pipe2", 3, K_OUT, K_PIPEFL),
	C(SYS_getdents64, "getdents64", 3, K_FD, K_OUT, K_LEN),
	C(SYS_newfstatat, "newfstatat", 3, K_DIRFD, K_PATH, K_OUT, K_ATFLAGS),
	C(SYS_fstat, "fstat", 3, K_FD, K_OUT),
	C(SYS_statx, "statx", 3, K_DIRFD, K_PATH, K_ATFLAGS, K_STATXMASK, K_OUT),
	C(SYS_faccessat, "faccessat", 2, K_DIRFD, K_PATH, K_AMODE),
	C(SYS_faccessat2, "faccessat2", 2, K_DIRFD, K_PATH, K_AMODE, K_ATFLAGS),
	C(SYS_utimensat, "utimensat", 2, K_DIRFD, K_PATH, K_UTIMES, K_ATFLAGS),
	C(SYS_fchmodat, "fchmodat", 1, K_DIRFD, K_PATH, K_MODE),
	C(SYS_fchownat, "fchownat", 1, K_DIRFD, K_PATH, K_INT, K_INT, K_ATFLAGS),
	C(SYS_fchmod, "fchmod", 1, K_FD, K_MODE),
	C(SYS_fchown, "fchown", 1, K_FD, K_INT, K_INT),
	C(SYS_readlinkat, "readlinkat", 3, K_DIRFD, K_PATH, K_OUT, K_LEN),
	C(SYS_mkdirat, "mkdirat", 3, K_DIRFD, K_PATH, K_MODE),
	C(SYS_unlinkat, "unlinkat", 3, K_DIRFD, K_PATH, K_ATFLAGS),
	C(SYS_linkat, "linkat", 3, K_DIRFD, K_PATH, K_DIRFD, K_PATH, K_ATFLAGS),
	C(SYS_symlinkat, "symlinkat", 3, K_PATH, K_DIRFD, K_PATH),
	C(SYS_renameat2, "renameat2", 3, K_DIRFD, K_PATH, K_DIRFD, K_PATH, K_RENFL),
	C(SYS_chdir, "chdir", 2, K_PATH),
	C(SYS_fchdir, "fchdir", 2, K_FD),
	C(SYS_getcwd, "getcwd", 2, K_OUT, K_LEN),
	C(SYS_umask, "umask", 1, K_MODE),
	C(SYS_ftruncate, "ftruncate", 2, K_FD, K_OFF),
	C(SYS_truncate, "truncate", 2, K_PATH, K_OFF),
	C(SYS_sync, "sync", 1, 0),
	C(SYS_fsync, "fsync", 1, K_FD),
	C(SYS_fdatasync, "fdatasync", 1, K_FD),

	C(SYS_exit, "exit", 1, K_INT),
	C(SYS_exit_group, "exit_group", 1, K_INT),
	C(SYS_clone, "clone", 3, K_CLONE, K_STACK, K_OUT, K_ANY, K_OUT),
	C(SYS_execve, "execve", 2, K_EXEC, K_ARGV, K_ARGV),
	C(SYS_wait4, "wait4", 3, K_PID, K_OUT, K_WAITOPT, K_OUT),
	C(SYS_waitid, "waitid", 2, K_IDTYPE, K_PID, K_OUT, K_WAITOPT, K_OUT),
	C(SYS_getpid, "getpid", 1, 0),
	C(SYS_getppid, "getppid", 1, 0),
	C(SYS_gettid, "gettid", 1, 0),
	C(SYS_getuid, "getuid", 1, 0),
	C(SYS_geteuid, "geteuid", 1, 0),
	C(SYS_getgid, "getgid", 1, 0),
	C(SYS_getegid, "getegid", 1, 0),
	C(SYS_kill, "kill", 2, K_PID, K_SIG),
	C(SYS_tgkill, "tgkill", 2, K_PID, K_PID, K_SIG),
	C(SYS_tkill, "tkill", 2, K_PID, K_SIG),
	C(SYS_rt_sigqueueinfo, "rt_sigqueueinfo", 2, K_PID, K_SIG, K_SIGINFO),
	C(SYS_set_tid_address, "set_tid_address", 1, K_OUT),
	C(SYS_set_robust_list, "set_robust_list", 1, K_IN, K_LEN),
	C(SYS_sched_yield, "sched_yield", 1, 0),
	C(SYS_getcpu, "getcpu", 2, K_OUT, K_OUT, K_OUT),
	C(SYS_prlimit64, "prlimit64", 2, K_PID, K_RES, K_RLIM, K_OUT),
	C(SYS_getrlimit, "getrlimit", 2, K_RES, K_OUT),
	C(SYS_setrlimit, "setrlimit", 2, K_RES, K_RLIM),
	C(SYS_uname, "uname", 2, K_OUT),
	C(SYS_sysinfo, "sysinfo", 2, K_OUT),
	C(SYS_getrandom, "getrandom", 2, K_OUT, K_LEN, K_GRND),
	C(SYS_setpgid, "setpgid", 2, K_PID, K_PID),
	C(SYS_getpgid, "getpgid", 2, K_PID),
	C(SYS_setsid, "setsid", 1, 0),
	C(SYS_getsid, "getsid", 2, K_PID),

	C(SYS_rt_sigaction, "rt_sigaction", 4, K_SIG, K_SIGACT, K_OUT, K_SIGSZ),
	C(SYS_rt_sigprocmask, "rt_sigprocmask", 3, K_HOW, K_SIGSET, K_OUT, K_SIGSZ),
	C(SYS_rt_sigpending, "rt_sigpending", 2, K_OUT, K_SIGSZ),
	C(SYS_rt_sigsuspend, "rt_sigsuspend", 0, K_SIGSET, K_SIGSZ),   /* waits for a signal */
	C(SYS_rt_sigreturn, "rt_sigreturn", 2, 0),      /* its frame: fill.c */
	C(SYS_sigaltstack, "sigaltstack", 2, K_ALTSTACK, K_OUT),
	C(SYS_ppoll, "ppoll", 4, K_POLL, K_NFDS, K_TS, K_SIGSET, K_SIGSZ),
	C(SYS_pselect6, "pselect6", 3, K_NFDS, K_OUT, K_OUT, K_OUT, K_TS, K_ANY),
	C(SYS_getitimer, "getitimer", 1, K_ITWHICH, K_OUT),
	C(SYS_setitimer, "setitimer", 1, K_ITWHICH, K_ITV, K_OUT),

	C(SYS_brk, "brk", 3, K_BRK),
	C(SYS_mmap, "mmap", 4, K_MADDR, K_LEN, K_PROT, K_MFLAGS, K_FD, K_OFF),
	C(SYS_munmap, "munmap", 3, K_MADDR, K_LEN),
	C(SYS_msync, "msync", 2, K_MADDR, K_LEN, K_MSFLAGS),
	C(SYS_mprotect, "mprotect", 3, K_MADDR, K_LEN, K_PROT),
	C(SYS_madvise, "madvise", 2, K_MADDR, K_LEN, K_MADV),
	C(SYS_mremap, "mremap", 3, K_MADDR, K_LEN, K_LEN, K_MRFLAGS, K_MADDR),

	C(SYS_clock_gettime, "clock_gettime", 2, K_CLOCK, K_OUT),
	C(SYS_clock_getres, "clock_getres", 2, K_CLOCK, K_OUT),
	C(SYS_gettimeofday, "gettimeofday", 2, K_OUT, K_OUT),
	C(SYS_nanosleep, "nanosleep", 2, K_TS, K_OUT),
	C(SYS_clock_nanosleep, "clock_nanosleep", 2, K_CLOCK, K_TFLAGS, K_TS, K_OUT),
	C(SYS_times, "times", 1, K_OUT),

	ABSENT(SYS_clone3, "clone3", K_IN, K_LEN),
	ABSENT(SYS_rseq, "rseq", K_OUT, K_LEN, K_INT, K_INT),
	ABSENT(SYS_epoll_pwait, "epoll_pwait", K_FD, K_OUT, K_INT, K_INT, K_SIGSET, K_SIGSZ),
	ABSENT(SYS_socket, "socket", K_INT, K_INT, K_INT),
};

/* Paths exec may be given: none can start a program other than these two (or fail). */
const char *const exec_paths[] = {
	"/bin/true", "/linux/hello", "/bin/no-such-program", "/tmp", "/", "", "/bin/true/x",
	"/linux", "a", "j", "d", "/proc/self/exe", "/dev/null",
};
const int n_exec_paths = sizeof(exec_paths) / sizeof(exec_paths[0]);

/* Read-only bytes that spell nothing the system has, as a path or otherwise. */
static const char rodata_sample[] = "XYZZY-READ-ONLY-0123456789-XYZZY-READ-ONLY-ZZZ";

/*
 * A worker's paths (../draw.c), then Linux's (from p_linux on).  No path
 * here names a file of the system: a call may truncate or remove it.
 */
#define PATH_ROOM 200
#define NPATHS 72
static char path_store[NPATHS][PATH_ROOM];
static int npaths, p_linux;
static char long_path[4200];    /* longer than PATH_MAX */
static const char *const linux_paths[] = {
	"/dev/null", "/dev/zero", "/dev/urandom", "/dev/tty", "/dev/console", "/dev/stdin",
	"/dev/stdout", "/proc/self/exe", "/proc", "/dev", "j",
};

static inline uint64_t
below(uint64_t *s, uint64_t n)
{
	return rng_below(s, n);
}

/* --------------------------------------------------------------- addresses */

static uint64_t
page_end(uint64_t a)
{
	return (a + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1);
}

/* A buffer calls may use: the free part of scratch, lazy, the low stack. */
static uint64_t
good_addr(uint64_t *s, uint64_t r)
{
	switch (below(s, 5)) {
	case 0: return ar.scratch + SLOT_FREE + (r & 1 ? 0 : (r >> 20) % (SCRATCH_SIZE - SLOT_FREE));
	case 1: return ar.lazy + ((r >> 16) % LAZY_SIZE & ~(uint64_t)7);
	case 2: return LINUX_STACK_BOTTOM + ((r >> 24) % LOW_STACK & ~(uint64_t)7);
	case 3: return ar.scratch + SLOT_FREE + 1 + r % 7;     /* unaligned */
	default: return ar.edge + PGSIZE - PICK(s, 1, 8, 32, 64, 100, 512, PGSIZE);
	}
}

/*
 * An address from one of the classes.  valid: only buffers the caller may
 * use; otherwise anything.  *fill is set for the edge string.
 */
static uint64_t
gen_addr(uint64_t *s, bool valid, uint8_t *fill)
{
	uint64_t r = rng_next(s);
	uint64_t off = (r >> 32) & 0xff8;
	int class = valid ? 0 : (int)below(s, 22);

	switch (class) {
	case 0:
	case 1:
	case 2: return good_addr(s, r);
	case 3:
		*fill = FILL_EDGE_STR;
		return ar.edge + PGSIZE - 32;
	case 4: return 0;
	case 5: return PICK(s, 1, 8, 0xfff, 0x1000, 0x8000, USER_TEXT_BASE - 8);
	case 6: return ar.text_lo + (r & 1 ? 0 : off);
	case 7: return (uint64_t)rodata_sample + (r & 1 ? 0 : off % sizeof(rodata_sample));
	case 8: return page_end(ar.brk_hi) + PGSIZE * (1 + (r >> 40) % 64);
	case 9: return 0x1000000000UL + off;
	case 10: return LINUX_PIE_BASE + off;
	case 11: return VDSO_DATA + off;
	case 12: return VDSO_PROC + off;
	case 13: return ar.vdso + off;
	case 14:
	case 15:
	case 16:
	case 17: return draw_kernel_addr(s);
	case 18: return r;
	case 19: return ar.text_hi - 64;        /* rodata's last bytes */
	case 20: return ar.edge + PGSIZE + off; /* the unmapped page after the edge */
	default: return LINUX_STACK_BOTTOM - PGSIZE + off;     /* below the stack */
	}
}

static uint64_t
gen_buf(uint64_t *s, uint8_t *fill)
{
	return gen_addr(s, below(s, 2), fill);
}

/* ------------------------------------------------------------------ values */

static uint64_t
gen_int(uint64_t *s)
{
	return draw_int(s, ar.text_hi);
}

static uint64_t
gen_len(uint64_t *s)
{
	return draw_len(s, ar.text_hi);
}

/* Real bits, each one time in three; now and then junk ones too, or only junk. */
static uint64_t
gen_bits(uint64_t *s, const uint64_t *bits, int n)
{
	uint64_t f = 0;

	switch (below(s, 10)) {
	case 0: return PICK(s, -1UL, 0x80000000UL, 1UL << 32, 0x7fffffff, 0x10000000);
	case 1: return rng_next(s);
	default:
		for (int i = 0; i < n; i++)
			if (below(s, 3) == 0)
				f |= bits[i];
		if (below(s, 8) == 0)
			f |= 1UL << below(s, 32);
		return f;
	}
}

#define BITS(s, ...) ({ static const uint64_t b_[] = { __VA_ARGS__ }; \
			gen_bits(s, b_, sizeof(b_) / sizeof(b_[0])); })

/* One of the values, mostly; else any number. */
static uint64_t
choose(uint64_t *s, const uint64_t *v, int n)
{
	return below(s, 8) ? pick(s, v, n) : gen_int(s);
}

#define CHOOSE(s, ...) ({ static const uint64_t c_[] = { __VA_ARGS__ }; \
			  choose(s, c_, sizeof(c_) / sizeof(c_[0])); })

/* A descriptor: those the batch starts with (0..9), makes (10..), and absurd ones. */
static uint64_t
gen_fd(uint64_t *s)
{
	uint64_t c = below(s, 10);

	if (c < 6)
		return below(s, 10);
	if (c < 8)
		return below(s, 14);
	return PICK(s, -1UL, 16, 17, 0x7fffffff, INT_MIN_64, (1UL << 32) | 3, 1000, -16UL, 13, 10);
}

static uint64_t
gen_dirfd(uint64_t *s)
{
	return below(s, 2) ? (uint64_t)(long)AT_FDCWD : PICK(s, 5, 5, 1, 0, 7, -1UL, 99, -100UL);
}

/* A pid: the batch, its children, its group, all (-1), nobody, init, its worker. */
static uint64_t
gen_pid(uint64_t *s)
{
	uint64_t r = rng_next(s);       /* drawn whatever the case: see the top */

	switch (below(s, 7)) {
	case 0: return (uint64_t)ar.pid;
	case 1: return ar.nkids ? (uint64_t)ar.kids[r % ar.nkids] : (uint64_t)ar.pid + 1;
	case 2: return PICK(s, 0, -1UL, INT_MIN_64, 0x7fffffff, 1UL << 32, 1);
	case 3: return -(uint64_t)ar.pid;                      /* the batch's group */
	case 4: return ar.nkids ? -(uint64_t)ar.kids[r % ar.nkids] : (uint64_t)ar.pid + 1000000;
	case 5: return (uint64_t)ar.pid + below(s, 4);
	default: return (uint64_t)ar.worker_pid;
	}
}

/* A path: mostly the worker's own names and Linux's, else hostile strings and addresses. */
static uint64_t
gen_path(uint64_t *s, uint8_t *fill)
{
	switch (below(s, 12)) {
	case 0: return draw_name(s);
	case 1: return (uint64_t)long_path + PICK(s, 0, 100, 4200 - 4097, 4200 - 4096, 4200 - 200);
	case 2:
	case 3: return gen_addr(s, false, fill);
	case 4:
	case 5: return (uint64_t)path_store[p_linux + below(s, npaths - p_linux)];
	default: return (uint64_t)path_store[below(s, p_linux)];
	}
}

/* execve's path: never one that could start a program but true, hello, or a junk image. */
static uint64_t
gen_exec_path(uint64_t *s, uint8_t *fill)
{
	for (int tries = 0; tries < 4; tries++) {
		*fill = FILL_NONE;
		if (below(s, 2))
			return (uint64_t)exec_paths[below(s, n_exec_paths)];
		uint64_t a = gen_addr(s, false, fill);
		if (*fill == FILL_EDGE_STR || known_unreadable(a))
			return a;
	}
	*fill = FILL_NONE;
	return (uint64_t)exec_paths[0];
}

/* An address for mmap and its kin: a mapping made, free space, none, the program, anything. */
static uint64_t
gen_map_addr(uint64_t *s, uint8_t *fill)
{
	uint64_t r = rng_next(s);

	switch (below(s, 8)) {
	case 0:
	case 1: return ar.nmaps ? ar.maps[r % (uint64_t)ar.nmaps] + (r & 2 ? 0 : PGSIZE) : 0;
	case 2: return LINUX_STACK_BOTTOM - PGSIZE * (2 + r % 512);
	case 3: return 0x1000000000UL + PGSIZE * (r % 1024);
	case 4: return 0;
	case 5: return PICK(s, ar.scratch, ar.text_lo, ar.edge, ar.data_lo & ~(uint64_t)(PGSIZE - 1),
			    ar.brk_start, LINUX_STACK_BOTTOM, ar.vdso, VDSO_DATA);
	case 6: return (r & ~(uint64_t)(PGSIZE - 1)) % USER_TOP;
	default: return gen_addr(s, false, fill);
	}
}

static uint64_t
gen_oflags(uint64_t *s)
{
	uint64_t f = BITS(s, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_TRUNC, O_APPEND, O_NOFOLLOW,
			  O_DIRECTORY, O_CLOEXEC, O_NONBLOCK, O_SYNC, O_PATH, O_TMPFILE, O_NOCTTY);

	return below(s, 3) ? f & ~(uint64_t)(O_PATH | O_TMPFILE) : f;
}

static uint64_t
gen_fcntl_cmd(uint64_t *s)
{
	return CHOOSE(s, F_DUPFD, F_DUPFD_CLOEXEC, F_GETFD, F_SETFD, F_GETFL, F_SETFL, F_GETLK,
		      F_SETLK, F_SETLKW, F_OFD_GETLK, F_GETOWN, F_SETPIPE_SZ, 1030 + 100);
}

static uint64_t
gen_ioctl_req(uint64_t *s)
{
	uint64_t r = CHOOSE(s, TCGETS, TCGETS, TCSETS, TCSETSW, TCSETSF, TIOCGWINSZ, TIOCSWINSZ,
			    TIOCGPGRP, TIOCSPGRP, TIOCSPGRP, TIOCGSID, TIOCSCTTY, TIOCNOTTY, FIONREAD,
			    FIONBIO, TCFLSH, TIOCOUTQ, TCSBRK, TIOCSTI);

	return below(s, 16) ? r : r | (1UL << (32 + below(s, 32)));   /* junk above the int */
}

/* A signal: every one, 0, junk; the stopping ones less often (they stop the batch) */
static uint64_t
gen_sig(uint64_t *s)
{
	uint64_t sig = below(s, 8) ? 1 + below(s, 64) : PICK(s, 0, 0, 65, -1UL, 1UL << 32 | SIGUSR1);

	if ((sig == SIGSTOP || sig == SIGTSTP || sig == SIGTTIN || sig == SIGTTOU) && below(s, 4))
		sig = SIGCONT;
	return sig;
}

/* clone's flags: fork's and vfork's shapes, threads (refused), junk. */
static uint64_t
gen_clone_flags(uint64_t *s)
{
	switch (below(s, 8)) {
	case 0:
	case 1: return SIGCHLD;
	case 2: return CLONE_VM | CLONE_VFORK | SIGCHLD;
	case 3: return CLONE_VFORK | SIGCHLD;
	case 4: return SIGCHLD | BITS(s, CLONE_CHILD_SETTID, CLONE_PARENT_SETTID,
				      CLONE_CHILD_CLEARTID);
	case 5: return CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD |
		       CLONE_SYSVSEM | CLONE_SETTLS | CLONE_PARENT_SETTID | CLONE_CHILD_CLEARTID;
	case 6: return PICK(s, 0, CLONE_VM, SIGUSR1, 65, CLONE_NEWNS | SIGCHLD, CLONE_PIDFD | SIGCHLD);
	default: return BITS(s, CLONE_VM, CLONE_VFORK, CLONE_FILES, CLONE_SIGHAND, CLONE_THREAD,
			     SIGCHLD, CLONE_PARENT, CLONE_SETTLS);
	}
}

static uint64_t
gen_map_flags(uint64_t *s)
{
	uint64_t f = below(s, 4) ? (below(s, 2) ? MAP_SHARED : MAP_PRIVATE) :
		     PICK(s, 0, MAP_SHARED | MAP_PRIVATE, MAP_SHARED_VALIDATE);

	if (below(s, 2))
		f |= MAP_ANONYMOUS;
	if (below(s, 4) == 0)
		f |= below(s, 2) ? MAP_FIXED : MAP_FIXED_NOREPLACE;
	if (below(s, 6) == 0)
		f |= PICK(s, MAP_NORESERVE, MAP_STACK, MAP_GROWSDOWN, MAP_POPULATE, MAP_HUGETLB,
			  MAP_LOCKED, 1UL << 31, MAP_SYNC);
	return f;
}

/* brk: 0 (the query), the break and around it, within the cap, below the start, junk */
static uint64_t
gen_brk(uint64_t *s)
{
	switch (below(s, 6)) {
	case 0: return 0;
	case 1: return ar.brk + PGSIZE * below(s, 16) + below(s, 2) * below(s, PGSIZE);
	case 2: return ar.brk - PGSIZE * below(s, 8);
	case 3: return ar.brk_start + below(s, HEAP_CAP);
	case 4: return PICK(s, ar.data_lo, ar.text_lo, 1, -1UL, USER_TOP, LINUX_STACK_BOTTOM);
	default: return gen_int(s);
	}
}

static uint64_t
gen_any(uint64_t *s, uint8_t *fill)
{
	switch (below(s, 4)) {
	case 0: return gen_int(s);
	case 1: return gen_len(s);
	case 2: return gen_fd(s);
	default: return gen_addr(s, false, fill);
	}
}

static uint64_t
gen_arg(uint64_t *s, int kind, uint8_t *fill)
{
	switch (kind) {
	case K_INT: return gen_int(s);
	case K_LEN: return gen_len(s);
	case K_FD: return gen_fd(s);
	case K_DIRFD: return gen_dirfd(s);
	case K_PID: return gen_pid(s);
	case K_OUT:
	case K_IN: return gen_buf(s, fill);
	case K_PATH: return gen_path(s, fill);
	case K_EXEC: return gen_exec_path(s, fill);
	case K_ARGV: return below(s, 6) ? (*fill = FILL_ARGV, rng_next(s)) : gen_addr(s, false, fill);
	case K_OFLAGS: return gen_oflags(s);
	case K_MODE: return CHOOSE(s, 0644, 0755, 0, 07777, 0177777);
	case K_ATFLAGS: return BITS(s, AT_SYMLINK_NOFOLLOW, AT_REMOVEDIR, AT_SYMLINK_FOLLOW,
				    AT_EMPTY_PATH, AT_NO_AUTOMOUNT, AT_EACCESS);
	case K_WHENCE: return CHOOSE(s, SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA, SEEK_HOLE, 5);
	case K_OFF: return CHOOSE(s, 0, 0, 1, 100, PGSIZE, 2 * PGSIZE, 1UL << 26, 1UL << 31,
				  1UL << 32, -1UL, -PGSIZE, 1UL << 62, 67 * 1000 * 1000);
	case K_IOV: return below(s, 6) ? (*fill = FILL_IOV, rng_next(s)) : gen_addr(s, false, fill);
	case K_IOVCNT: return CHOOSE(s, 0, 1, 2, 3, 8, 63, 64, 65, 1024, 1025, -1UL, 1UL << 32);
	case K_FCNTL: return gen_fcntl_cmd(s);
	case K_IOCTL: return gen_ioctl_req(s);
	case K_PIPEFL: return BITS(s, O_NONBLOCK, O_CLOEXEC, O_DIRECT);
	case K_SIG: return gen_sig(s);
	case K_SIGACT: return below(s, 5) ? (*fill = FILL_SIGACT, rng_next(s)) : gen_addr(s, false, fill);
	case K_SIGSET: return below(s, 4) ? (*fill = FILL_SIGSET, rng_next(s)) : gen_addr(s, false, fill);
	case K_SIGSZ: return CHOOSE(s, 8, 8, 8, 8, 0, 4, 16, 128);
	case K_HOW: return CHOOSE(s, 0, 1, 2, 3, -1UL);
	case K_CLONE: return gen_clone_flags(s);
	case K_STACK: return below(s, 4) ? 0 : gen_addr(s, false, fill);
	case K_WAITOPT: return BITS(s, WNOHANG, WNOHANG, WUNTRACED, WCONTINUED, WEXITED,
				    WSTOPPED, WNOWAIT, __WALL, __WCLONE);
	case K_IDTYPE: return CHOOSE(s, P_ALL, P_PID, P_PGID, 3, -1UL);
	case K_MADDR: return gen_map_addr(s, fill);
	case K_PROT: return below(s, 8) ? below(s, 8) : gen_int(s);
	case K_MFLAGS: return gen_map_flags(s);
	case K_MRFLAGS: return BITS(s, MREMAP_MAYMOVE, MREMAP_FIXED, MREMAP_DONTUNMAP);
	case K_MADV: return CHOOSE(s, MADV_NORMAL, MADV_RANDOM, MADV_DONTNEED, MADV_FREE,
				   MADV_WILLNEED, MADV_REMOVE, 100);
	case K_MSFLAGS: return BITS(s, MS_ASYNC, MS_SYNC, MS_INVALIDATE);
	case K_CLOCK: return CHOOSE(s, CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_PROCESS_CPUTIME_ID,
				    CLOCK_THREAD_CPUTIME_ID, CLOCK_MONOTONIC_RAW, CLOCK_BOOTTIME,
				    CLOCK_REALTIME_COARSE, 16, -2UL, -6UL);
	case K_TS: return below(s, 5) ? (*fill = FILL_TIMESPEC, rng_next(s)) :
			  below(s, 2) ? 0 : gen_addr(s, false, fill);
	case K_ITWHICH: return CHOOSE(s, ITIMER_REAL, ITIMER_REAL, ITIMER_VIRTUAL, ITIMER_PROF, 3);
	case K_ITV: return below(s, 5) ? (*fill = FILL_ITIMER, rng_next(s)) : gen_addr(s, false, fill);
	case K_RES: return CHOOSE(s, RLIMIT_STACK, RLIMIT_NOFILE, RLIMIT_NPROC, RLIMIT_AS,
				  RLIMIT_CORE, RLIM_NLIMITS, 100);
	case K_RLIM: return below(s, 3) ? (*fill = FILL_RLIMIT, rng_next(s)) : gen_addr(s, false, fill);
	case K_POLL: return below(s, 6) ? (*fill = FILL_POLL, rng_next(s)) : gen_addr(s, false, fill);
	case K_NFDS: return CHOOSE(s, 0, 1, 2, 3, 5, 16, 32, 33, 1024, 1UL << 20, -1UL);
	case K_RENFL: return BITS(s, RENAME_NOREPLACE, RENAME_EXCHANGE, RENAME_WHITEOUT);
	case K_GRND: return BITS(s, GRND_NONBLOCK, GRND_RANDOM, GRND_INSECURE);
	case K_STATXMASK: return BITS(s, STATX_TYPE, STATX_MODE, STATX_SIZE, STATX_BASIC_STATS,
				      STATX_BTIME, STATX_ALL);
	case K_AMODE: return BITS(s, F_OK, R_OK, W_OK, X_OK);
	case K_UTIMES: return below(s, 4) ? (*fill = FILL_UTIMES, rng_next(s)) :
			      below(s, 2) ? 0 : gen_addr(s, false, fill);
	case K_SIGINFO: return below(s, 3) ? (*fill = FILL_SIGINFO, rng_next(s)) : gen_addr(s, false, fill);
	case K_ALTSTACK: return below(s, 3) ? (*fill = FILL_ALTSTACK, rng_next(s)) :
				below(s, 2) ? 0 : gen_addr(s, false, fill);
	case K_BRK: return gen_brk(s);
	case K_TFLAGS: return BITS(s, TIMER_ABSTIME);
	default: return gen_any(s, fill);
	}
}

/* ------------------------------------------------------------------ numbers */

/*
 * A number: a call of the table, by its weight, or one time in a hundred
 * any number (past the table, negative, with high bits, or one Linux has
 * and this kernel has not).
 */
static uint64_t
gen_nr(uint64_t *s)
{
	if (below(s, 100) == 0)
		return PICK(s, __NR_syscalls, __NR_syscalls + 1, 1000, -1UL, 0x7fffffff,
			    (1UL << 32) | SYS_getpid, 1UL << 63, -2UL, 0, 244, 258, 292, 400);
	for (;;) {
		uint64_t nr = below(s, __NR_syscalls);
		if (calls[nr].name && (calls[nr].weight ? below(s, 4) < calls[nr].weight : below(s, 16) == 0))
			return nr;
	}
}

/* Arguments some calls take only in certain shapes: fixed after drawing. */
static void
shape(uint64_t *s, struct call *c)
{
	switch (c->nr) {
	case SYS_ioctl:
		if (((uint32_t)c->a[1] == TCSETS || (uint32_t)c->a[1] == TCSETSW ||
		     (uint32_t)c->a[1] == TCSETSF) && below(s, 2))
			c->fill[2] = FILL_TERMIOS, c->a[2] = rng_next(s);
		if ((uint32_t)c->a[1] == TIOCSPGRP && below(s, 2))
			c->fill[2] = FILL_PGID, c->a[2] = rng_next(s);
		if (below(s, 3) == 0)
			c->a[0] = 7;    /* the console */
		break;
	case SYS_fcntl:
		if (c->a[1] == F_GETLK || c->a[1] == F_SETLK || c->a[1] == F_SETLKW ||
		    c->a[1] == F_OFD_GETLK)
			c->fill[2] = below(s, 4) ? FILL_FLOCK : FILL_NONE, c->a[2] = rng_next(s);
		else if (c->a[1] == F_SETFL || c->a[1] == F_SETFD)
			c->a[2] = BITS(s, O_APPEND, O_NONBLOCK, FD_CLOEXEC, O_DIRECT, O_RDWR);
		else if (c->a[1] == F_DUPFD || c->a[1] == F_DUPFD_CLOEXEC)
			c->a[2] = CHOOSE(s, 0, 3, 10, 13, 15, 16, 1000, -1UL);
		break;
	case SYS_clone:
		if (!(c->a[0] & CLONE_CHILD_SETTID) && below(s, 2))
			c->a[4] = 0;
		break;
	case SYS_rt_sigreturn:
		c->fill[0] = FILL_FRAME;        /* fill.c forges it from a[0]'s bits */
		c->a[0] = rng_next(s);
		break;
	}
}

/* One call on its own (gen_call may start a plan instead). */
static void
gen_one(uint64_t *s, struct call *c)
{
	memset(c, 0, sizeof(*c));
	c->nr = gen_nr(s);
	bool junk = !call_known(c->nr) || below(s, 8) == 0;
	const uint8_t *kinds = c->nr < __NR_syscalls ? calls[c->nr].kinds : NULL;
	bool typed = !junk;

	for (int i = 0; i < 6; i++) {
		int kind = typed && kinds[i] ? kinds[i] : K_ANY;
		if (typed && !kinds[i])
			typed = false;  /* past the call's arguments: junk */
		c->a[i] = gen_arg(s, kind, &c->fill[i]);
	}
	if (c->nr == SYS_execve && junk)
		c->a[0] = gen_exec_path(s, &c->fill[0]);
	if (!junk || c->nr == SYS_rt_sigreturn)
		shape(s, c);
}

/* ------------------------------------------------------------------- plans */

/*
 * Plans: one call in 32 starts a few calls that build a situation worth
 * attacking: a junk ELF image written and executed; a child forked and
 * killed, then waited for; a pipe with one end closed, then used; a
 * handler set and the signal sent to the batch itself; a file mapped,
 * the mapping shrunk with mremap and protected; a folder renamed into
 * its own child.
 */
static struct plan plan;

static struct call *
plan_call(uint64_t nr)
{
	return plan_add(&plan, nr);
}

static void
make_plan(uint64_t *s)
{
	struct call *c;

	plan.n = plan.next = 0;
	switch (below(s, 6)) {
	case 0:         /* a junk image: write it, then exec it */
		c = plan_call(SYS_openat);
		c->a[0] = (uint64_t)(long)AT_FDCWD;
		c->a[1] = (uint64_t)"j";
		c->a[2] = O_CREAT | O_TRUNC | O_WRONLY;
		c->a[3] = 0755;
		c = plan_call(SYS_write);
		c->fill[0] = FILL_RESULT1;
		c->fill[1] = FILL_ELF;          /* fill.c lays it out from a[1]'s bits */
		c->a[1] = rng_next(s);
		c->a[2] = 64 + below(s, 448);
		plan_call(SYS_close)->fill[0] = FILL_RESULT2;
		c = plan_call(SYS_execve);
		c->a[0] = (uint64_t)"j";
		c->fill[1] = FILL_ARGV;
		c->a[1] = rng_next(s);
		break;
	case 1:         /* a child forked, killed at once, waited for */
		plan_call(SYS_clone)->a[0] = below(s, 2) ? SIGCHLD : CLONE_VM | CLONE_VFORK | SIGCHLD;
		c = plan_call(SYS_kill);
		c->fill[0] = FILL_RESULT1;
		c->a[1] = PICK(s, SIGKILL, SIGTERM, SIGSTOP, SIGCONT, SIGUSR1, 0);
		c = plan_call(SYS_wait4);
		c->a[0] = -1UL;
		c->a[1] = below(s, 2) ? ar.scratch + SLOT_FREE : 0;
		c->a[2] = BITS(s, WNOHANG, WUNTRACED, WCONTINUED);
		break;
	case 2:         /* a pipe with one end closed */
		c = plan_call(SYS_pipe2);
		c->a[0] = ar.scratch + SLOT_PIPE;
		c->a[1] = below(s, 2) ? O_NONBLOCK : 0;
		plan_call(SYS_close)->fill[0] = below(s, 2) ? FILL_PIPE_READ : FILL_PIPE_WRITE;
		c = plan_call(below(s, 2) ? SYS_write : SYS_read);
		c->fill[0] = below(s, 2) ? FILL_PIPE_READ : FILL_PIPE_WRITE;
		c->a[1] = ar.scratch + SLOT_FREE;
		c->a[2] = below(s, 70000);
		break;
	case 3:         /* a handler, then the signal to the batch itself */
		c = plan_call(SYS_rt_sigaction);
		c->a[0] = PICK(s, SIGUSR1, SIGUSR2, SIGCHLD, SIGALRM, SIGPIPE, SIGWINCH, __SIGRTMIN + 4);
		c->fill[1] = FILL_SIGACT;
		c->a[1] = rng_next(s);
		c->a[3] = 8;
		c = plan_call(PICK(s, SYS_kill, SYS_tkill, SYS_tgkill));
		c->a[0] = (uint64_t)ar.pid;
		c->a[1] = c->nr == SYS_tgkill ? (uint64_t)ar.pid : plan.calls[0].a[0];
		c->a[2] = plan.calls[0].a[0];
		c = plan_call(SYS_rt_sigprocmask);
		c->a[0] = PICK(s, SIG_BLOCK, SIG_UNBLOCK, SIG_SETMASK);
		c->fill[1] = FILL_SIGSET;
		c->a[1] = rng_next(s);
		c->a[3] = 8;
		break;
	case 4:         /* a file mapped, shrunk, protected, unmapped */
		c = plan_call(SYS_mmap);
		c->a[1] = (1 + below(s, 8)) * PGSIZE;
		c->a[2] = PROT_READ | PROT_WRITE;
		c->a[3] = below(s, 2) ? MAP_SHARED : MAP_PRIVATE;
		c->a[4] = 1;            /* the file a */
		c = plan_call(SYS_mremap);
		c->fill[0] = FILL_RESULT1;
		c->a[1] = plan.calls[0].a[1];
		c->a[2] = below(s, 9) * PGSIZE;
		c = plan_call(SYS_mprotect);
		c->fill[0] = FILL_RESULT2;
		c->a[1] = below(s, 9) * PGSIZE;
		c->a[2] = PICK(s, PROT_NONE, PROT_READ, PROT_READ | PROT_WRITE, PROT_EXEC);
		c = plan_call(SYS_read);
		c->a[0] = PICK(s, 0, 1, 3, 6, 9);
		c->fill[1] = FILL_RESULT2;
		c->a[2] = below(s, 4 * PGSIZE);
		break;
	default:        /* a folder renamed into itself, or over its parent */
		c = plan_call(SYS_mkdirat);
		c->a[0] = (uint64_t)(long)AT_FDCWD;
		c->a[1] = gen_path_at(P_X);
		c = plan_call(SYS_renameat2);
		c->a[0] = c->a[2] = (uint64_t)(long)AT_FDCWD;
		c->a[1] = (uint64_t)PICK(s, (uint64_t)"x", (uint64_t)"d", (uint64_t)".");
		c->a[3] = (uint64_t)PICK(s, (uint64_t)"x/y", (uint64_t)"d/e", (uint64_t)"x/x",
					 (uint64_t)"..", (uint64_t)"d/d");
		c->a[4] = PICK(s, 0, 0, RENAME_NOREPLACE, RENAME_EXCHANGE);
		break;
	}
}

/* The next call: the next of a plan, or a plan's first, or one alone. */
void
gen_call(uint64_t *s, struct call *c)
{
	if (plan.next >= plan.n && below(s, 32) == 0)
		make_plan(s);
	if (!plan_next(&plan, c))
		gen_one(s, c);
}

/* ------------------------------------------------------------------ naming */

const char *
call_name(uint64_t nr)
{
	return nr < __NR_syscalls && calls[nr].name ? calls[nr].name : "invalid";
}

/* Does the kernel have call nr (by the table: the suite checks it against the kernel's)? */
bool
call_known(uint64_t nr)
{
	return nr < __NR_syscalls && calls[nr].name && !calls[nr].absent;
}

/* ------------------------------------------------------------------- paths */

void
gen_set_dir(const char *dir)
{
	npaths = p_linux = draw_paths(&path_store[0][0], PATH_ROOM, NPATHS, dir);
	for (unsigned i = 0; i < sizeof(linux_paths) / sizeof(linux_paths[0]) && npaths < NPATHS; i++)
		snprintf(path_store[npaths++], PATH_ROOM, "%s", linux_paths[i]);
	draw_long_path(long_path, sizeof(long_path));
}

uint64_t
gen_path_at(int i)
{
	return (uint64_t)path_store[i < npaths ? i : 0];
}

bool
is_exec_path(uint64_t a)
{
	for (int i = 0; i < n_exec_paths; i++)
		if (a == (uint64_t)exec_paths[i])
			return true;
	return false;
}

bool
in_path_table(uint64_t a)
{
	return a >= (uint64_t)path_store && a < (uint64_t)(path_store + npaths);
}

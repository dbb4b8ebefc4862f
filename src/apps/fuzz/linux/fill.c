/*
 * Just before each call: lay out what its arguments point at (FILL_*),
 * from the random bits gen.c left in them, and settle the few arguments
 * that could end the run for no kernel bug: a signal to a process not
 * the batch's (only signal 0 goes there), the progress pipe as a
 * descriptor, the console as something to read (it would wait for
 * input) or write (junk on the harness's console), long sleeps, a heap or
 * mapping or device read big enough to take the memory others need, the
 * heap below glibc's thread-local storage, exec of anything but what
 * exec_paths allows, renames of folders outside the worker's, a handler
 * for a fault that would fault again at once.  Just after: what the call
 * changed that the fuzzer must know (children, the break, mappings), and
 * the console's termios put back after a call that set it.
 */
#include <asm/ioctls.h>
#include <asm/termbits.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>
#include <ucontext.h>
#include "lfuzz.h"

#define SS_AUTODISARM (1U << 31)      /* <linux/signal.h>, which clashes with glibc's */

/* Linux's struct sigaction on riscv (asm-generic/signal.h, no sa_restorer) */
struct k_sigaction {
	uint64_t handler;
	uint64_t flags;
	uint64_t mask;
};

/* Linux's riscv rt_sigframe: a siginfo, then the ucontext rt_sigreturn reads. */
struct frame {
	siginfo_t info;
	ucontext_t uc;
};

static struct termios tty_saved;
static bool tty_known;
static const char *const words[] = { "true-fuzzed", "a", "", "-x", "XYZ" };

static uint64_t
page_end(uint64_t a)
{
	return (a + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1);
}

/* Is [a, a + len) in the arena and unchanged, so the fuzzer may lay memory out there? */
bool
ours(uint64_t a, uint64_t len)
{
	if (a < ar.scratch || a + len > ar.edge + PGSIZE || a + len < a)
		return false;
	for (int i = 0; i < ar.nchanged && i < MAX_RANGES; i++)
		if (a < ar.changed[i][1] && a + len > ar.changed[i][0])
			return false;
	return ar.nchanged <= MAX_RANGES;
}

static uint64_t
slot(int off)
{
	return ar.scratch + (uint64_t)off;
}

/* A random good buffer (for the parts of a fill that point at buffers). */
static uint64_t
some_buffer(uint64_t *r)
{
	uint64_t x = rng_next(r);

	switch (x % 4) {
	case 0: return slot(SLOT_FREE) + (x >> 8) % (SCRATCH_SIZE - SLOT_FREE);
	case 1: return ar.lazy + (x >> 8) % LAZY_SIZE;
	case 2: return PICK(r, 0, 1, KDIRECT + 0x80200000UL, USER_TOP - 8, ar.text_lo, ar.edge + PGSIZE);
	default: return ar.edge + PGSIZE - 16;
	}
}

/* --------------------------------------------------------------- the fills */

static uint64_t
fill_argv(uint64_t r, int which)
{
	uint64_t base = slot(which == 1 ? SLOT_ARGV : SLOT_ENVP);
	uint64_t *v = (uint64_t *)base;
	int n = 4;

	switch (r % 6) {
	case 0:                 /* ends in the unmapped page after the edge */
		v = (uint64_t *)(ar.edge + PGSIZE - 16);
		if (!ours((uint64_t)v, 16))
			return KDIRECT;
		v[0] = (uint64_t)words[0];
		v[1] = (uint64_t)words[1];
		return (uint64_t)v;
	case 1:                 /* more than the 32 the kernel takes */
		n = 40;
		break;
	case 2: {               /* more than 4 KiB of strings */
		char *big = (char *)slot(0x8000);
		memset(big, 'L', 5000);
		big[5000] = 0;
		v[1] = (uint64_t)big;
		break;
	}
	case 3:
		n = 0;          /* no arguments at all */
		break;
	}
	for (int i = 0; i < n; i++)
		if (!(r % 6 == 2 && i == 1))
			v[i] = (uint64_t)words[i % 5];
	if (r % 6 == 4)
		v[2] = KDIRECT + 0x80000000UL;        /* a kernel pointer among them */
	v[n] = 0;
	return base;
}

static uint64_t
fill_iov(uint64_t r)
{
	struct iovec *v = (struct iovec *)slot(SLOT_IOV);
	int n = 1 + (int)(r % 8);

	for (int i = 0; i < n; i++) {
		uint64_t x = rng_next(&r);
		v[i].iov_base = (void *)some_buffer(&r);
		bool good = ours((uint64_t)v[i].iov_base, 1);
		v[i].iov_len = good ? (x >> 8) % (x & 1 ? 64 : 65536) :
			       PICK(&r, 0, 1, PGSIZE, 1UL << 62, 1UL << 63, -1UL);
	}
	return (uint64_t)v;
}

static uint64_t
fill_poll(uint64_t r)
{
	struct pollfd *p = (struct pollfd *)slot(SLOT_POLL);

	for (int i = 0; i < 32; i++) {
		uint64_t x = rng_next(&r);
		int fd = (int)(x % 12);
		p[i].fd = fd == 10 ? -1 : fd == 11 ? 13 : fd;
		p[i].events = (short)(x >> 8 & 3 ? POLLIN | (x >> 16 & 1 ? POLLOUT : 0) : x >> 24);
		p[i].revents = (short)(x >> 40);
	}
	return (uint64_t)p;
}

/* A handler for signal sig: default, ignore, one that returns, junk. */
static uint64_t
pick_handler(uint64_t r, int sig, bool siginfo)
{
	bool fault = sig == SIGSEGV || sig == SIGBUS || sig == SIGILL || sig == SIGTRAP ||
		     sig == SIGFPE || sig == SIGSYS;

	switch (r % 8) {
	case 0: return (uint64_t)SIG_DFL;
	case 1: return (uint64_t)SIG_IGN;
	case 2: return fault ? (uint64_t)SIG_DFL : (uint64_t)handler_ret + 1;  /* misaligned: faults */
	case 3: return PICK(&r, KDIRECT + 0x80200000UL, 0x1000, USER_TOP - 16, ar.scratch);
	case 4:
	case 5: return fault ? (uint64_t)SIG_DFL : siginfo ? (uint64_t)handler_mask :
		       (uint64_t)handler_ret;
	default: return fault ? (uint64_t)SIG_DFL : (uint64_t)handler_ret;
	}
}

static uint64_t
fill_sigact(uint64_t r, int sig)
{
	struct k_sigaction *a = (struct k_sigaction *)slot(SLOT_SIGACT);
	uint64_t x = rng_next(&r);

	a->flags = x & 0xf ? 0 : x;
	static const uint64_t bits[] = { SA_SIGINFO, SA_RESTART, SA_NODEFER, SA_RESETHAND,
					 SA_ONSTACK, SA_NOCLDSTOP, SA_NOCLDWAIT };
	for (int i = 0; i < 7; i++)
		if (rng_below(&r, 3) == 0)
			a->flags |= bits[i];
	a->handler = pick_handler(rng_next(&r), sig, a->flags & SA_SIGINFO);
	a->mask = rng_below(&r, 2) ? 0 : rng_next(&r);
	return (uint64_t)a;
}

static uint64_t
fill_sigset(uint64_t r)
{
	uint64_t *set = (uint64_t *)slot(SLOT_SIGSET);

	*set = PICK(&r, 0, -1UL, 1UL << (SIGUSR1 - 1), 1UL << (SIGCHLD - 1), 1UL << (SIGALRM - 1),
		    (1UL << (SIGKILL - 1)) | (1UL << (SIGSTOP - 1)), r, r & 0xffffffff);
	return (uint64_t)set;
}

/* A timespec: nothing, short (under 30 ms), invalid; never a long wait. */
static void
short_timespec(struct timespec *t, uint64_t r)
{
	t->tv_sec = 0;
	t->tv_nsec = (long)PICK(&r, 0, 1, 1000, 1000000, 3000000, 29000000);
	switch (rng_below(&r, 6)) {
	case 0: t->tv_nsec = 1000000000L; break;
	case 1: t->tv_nsec = -1; break;
	case 2: t->tv_sec = -1; break;
	case 3: t->tv_sec = (long)(1UL << 62); t->tv_nsec = -5; break;
	}
}

static uint64_t
fill_timespec(uint64_t r)
{
	struct timespec *t = (struct timespec *)slot(SLOT_TS);

	short_timespec(t, r);
	return (uint64_t)t;
}

static uint64_t
fill_utimes(uint64_t r)
{
	struct timespec *t = (struct timespec *)slot(SLOT_TS);

	for (int i = 0; i < 2; i++) {
		t[i].tv_sec = (long)rng_below(&r, 1UL << 33);
		t[i].tv_nsec = (long)PICK(&r, UTIME_NOW, UTIME_OMIT, 0, 999999999, 1000000000, -1);
	}
	return (uint64_t)t;
}

static uint64_t
fill_itimer(uint64_t r)
{
	struct itimerval *v = (struct itimerval *)slot(SLOT_ITV);

	v->it_value.tv_sec = 0;
	v->it_value.tv_usec = (long)PICK(&r, 0, 1, 5000, 20000, 50000, 1000000, -1);
	v->it_interval.tv_sec = rng_below(&r, 8) ? 0 : -1;
	v->it_interval.tv_usec = (long)PICK(&r, 0, 0, 10000, 30000, 1000000);
	return (uint64_t)v;
}

static uint64_t
fill_rlimit(uint64_t r)
{
	uint64_t *v = (uint64_t *)slot(SLOT_RLIM);

	v[0] = PICK(&r, -1UL, 0, 16, 1, 8UL << 20, 1UL << 40);
	v[1] = PICK(&r, -1UL, 0, 16, 2, 8UL << 20);
	return (uint64_t)v;
}

/* The console's termios with some bits flipped (raw mode, no echo, signal keys moved...). */
static uint64_t
fill_termios(uint64_t r)
{
	struct termios *t = (struct termios *)slot(SLOT_TERMIOS);

	*t = tty_saved;
	t->c_lflag ^= (unsigned)(r & (ICANON | ECHO | ISIG | IEXTEN | ECHOE));
	t->c_iflag ^= (unsigned)(rng_next(&r) & (ICRNL | IXON | INLCR));
	if (rng_below(&r, 4) == 0)
		t->c_cc[rng_below(&r, NCCS)] = (cc_t)rng_next(&r);
	if (rng_below(&r, 8) == 0)
		t->c_lflag = (tcflag_t)rng_next(&r);
	return (uint64_t)t;
}

static uint64_t
fill_pgid(uint64_t r)
{
	int *v = (int *)slot(SLOT_INT);

	*v = (int)PICK(&r, (uint64_t)ar.pid, (uint64_t)(ar.nkids ? ar.kids[0] : 0), 0, -1UL,
		       1, (uint64_t)ar.worker_pid, 0x7fffffff);
	return (uint64_t)v;
}

static uint64_t
fill_altstack(uint64_t r)
{
	stack_t *ss = (stack_t *)slot(SLOT_ALTSTACK);

	ss->ss_sp = (void *)PICK(&r, slot(0x8000), ar.lazy + PGSIZE, LINUX_STACK_BOTTOM + PGSIZE,
				 0, ar.text_lo, KDIRECT + 0x80000000UL, slot(0x8003));
	ss->ss_flags = (int)PICK(&r, 0, 0, SS_DISABLE, SS_ONSTACK, SS_AUTODISARM, 0x7fff);
	ss->ss_size = PICK(&r, MINSIGSTKSZ - 1, MINSIGSTKSZ, SIGSTKSZ, 16384, 1UL << 62);
	return (uint64_t)ss;
}

static uint64_t
fill_siginfo(uint64_t r)
{
	siginfo_t *si = (siginfo_t *)slot(SLOT_SIGINFO);
	uint64_t *w = (uint64_t *)si;

	for (unsigned i = 0; i < sizeof(*si) / 8; i++)
		w[i] = rng_next(&r);
	si->si_code = (int)PICK(&r, SI_USER, SI_QUEUE, SI_TKILL, 1, 0x80, -100);
	return (uint64_t)si;
}

static uint64_t
fill_flock(uint64_t r)
{
	struct flock *l = (struct flock *)slot(SLOT_FLOCK);

	l->l_type = (short)PICK(&r, F_RDLCK, F_WRLCK, F_UNLCK, 77);
	l->l_whence = (short)PICK(&r, SEEK_SET, SEEK_CUR, SEEK_END, 9);
	l->l_start = (off_t)PICK(&r, 0, 10, -1UL, 1UL << 62);
	l->l_len = (off_t)PICK(&r, 0, 1, -1UL, 1UL << 62);
	l->l_pid = (pid_t)ar.pid;
	return (uint64_t)l;
}

/*
 * A junk ELF image: a header that is sound or nearly so, and program
 * headers with odd offsets, addresses (the kernel's too), sizes and
 * types.  Whatever loads, its entry is the image's first byte, the magic
 * number, which is no instruction, or an address that faults: no junk
 * code of it ever runs.
 */
static uint64_t
fill_elf(uint64_t r)
{
	uint8_t *e = (uint8_t *)slot(SLOT_ELF);
	uint64_t *q = (uint64_t *)e;
	uint64_t load = PICK(&r, 0x10000, 0x400000, 0, KDIRECT, USER_TOP - PGSIZE, 0x10001);

	for (int i = 0; i < 64; i++)
		q[i] = rng_next(&r);
	memcpy(e, "\177ELF\2\1\1", 7);
	e[7] = (uint8_t)PICK(&r, 0, 3, 3, 9);                   /* OS/ABI: Linux (GNU) mostly */
	*(uint16_t *)(e + 16) = (uint16_t)PICK(&r, 2, 2, 3, 1, 4);     /* ET_EXEC, ET_DYN, junk */
	*(uint16_t *)(e + 18) = (uint16_t)PICK(&r, 243, 243, 243, 62);  /* EM_RISCV */
	*(uint32_t *)(e + 20) = 1;
	*(uint64_t *)(e + 24) = PICK(&r, load, load, 0, KDIRECT, load + 1);  /* entry */
	*(uint64_t *)(e + 32) = PICK(&r, 64, 64, 64, 0, 500, 1UL << 40, 63);  /* phoff */
	*(uint16_t *)(e + 52) = 64;
	*(uint16_t *)(e + 54) = (uint16_t)PICK(&r, 56, 56, 56, 0, 55, 0xffff);
	*(uint16_t *)(e + 56) = (uint16_t)PICK(&r, 1, 2, 3, 6, 0, 0xffff);  /* phnum */
	for (int i = 0; i < 6; i++) {
		uint8_t *ph = e + 64 + 56 * i;
		*(uint32_t *)ph = (uint32_t)PICK(&r, 1, 1, 1, 3, 4, 0x6474e551, 7, 1000);
		*(uint32_t *)(ph + 4) = (uint32_t)PICK(&r, 5, 5, 6, 7, 4, 0);  /* flags */
		*(uint64_t *)(ph + 8) = i == 0 ? 0 : PICK(&r, 0, PGSIZE, 1UL << 40, 100, -1UL);
		*(uint64_t *)(ph + 16) = i == 0 ? load : PICK(&r, load + PGSIZE, 0, KDIRECT,
							     USER_TOP - PGSIZE, load + 5, -PGSIZE);
		*(uint64_t *)(ph + 32) = PICK(&r, 512, 100, 0, 1UL << 40, -1UL);       /* filesz */
		*(uint64_t *)(ph + 40) = PICK(&r, PGSIZE, 512, 0, 1UL << 36, -1UL, 1UL << 20);
		*(uint64_t *)(ph + 48) = PICK(&r, PGSIZE, 0, 1, 3, 1UL << 40);
	}
	return (uint64_t)e;
}

/*
 * A forged rt_sigreturn frame, where r says: mostly a sound one whose pc
 * is the landing (the batch goes on, with the frame's mask and the junk
 * registers the landing puts right), else a junk pc, or a frame the
 * kernel cannot read whole.  The argument becomes the frame's address,
 * the stack pointer of the call.
 */
static uint64_t
fill_frame(uint64_t r)
{
	uint64_t at = rng_below(&r, 4) ? slot(SLOT_FRAME) + PICK(&r, 0, 8, 3) :
		      PICK(&r, ar.edge + PGSIZE - 600, KDIRECT + 0x80200000UL, 0, USER_TOP - 64,
			   ar.text_lo);

	if (!ours(slot(SLOT_FRAME), sizeof(struct frame) + 16))
		return KDIRECT;
	struct frame *f = (struct frame *)slot(SLOT_FRAME);
	uint64_t *w = (uint64_t *)f;
	for (unsigned i = 0; i < sizeof(*f) / 8; i++)
		w[i] = rng_next(&r);
	if (ours(at, sizeof(*f)) && at != (uint64_t)f)
		memmove((void *)at, f, sizeof(*f));
	f = ours(at, sizeof(*f)) ? (struct frame *)at : f;
	f->uc.uc_mcontext.__gregs[0] = rng_below(&r, 4) ? (uint64_t)sigreturn_landing :
				       PICK(&r, 0, KDIRECT + 0x80200000UL, (uint64_t)sigreturn_landing + 1,
					    ar.scratch, -2UL);
	if (rng_below(&r, 2))
		memset(&f->uc.uc_sigmask, 0, sizeof(f->uc.uc_sigmask));
	return at;
}

/* ------------------------------------------------------------------ settle */

static bool
is_kid(int pid)
{
	return draw_in(ar.kids, ar.nkids, pid);
}

/* May the batch signal pid (kill's meaning)?  Itself, its group, its children. */
static bool
own_target(long pid)
{
	return pid == 0 || pid == ar.pid || pid == -ar.pid || (pid > 0 && is_kid((int)pid)) ||
	       (pid < -1 && is_kid((int)-pid));
}

/* The file behind fd, as fstat tells (st_rdev 0 and mode 0 if none). */
static struct stat
fd_stat(uint64_t fd)
{
	struct stat st;

	if (sys2(SYS_fstat, fd, &st) < 0)
		memset(&st, 0, sizeof(st));
	return st;
}

static bool
is_dev(const struct stat *st, uint64_t rdev)
{
	return S_ISCHR(st->st_mode) && st->st_rdev == rdev;
}

/* read or write of the console: /dev/null instead; of a device: at most IO_CAP. */
static void
settle_io(struct call *c, bool reading)
{
	struct stat st = fd_stat(c->a[0]);

	if (is_dev(&st, ar.console_rdev))
		c->a[0] = 8;    /* /dev/null */
	if (reading && c->a[2] > IO_CAP && (is_dev(&st, ar.zero_rdev) || is_dev(&st, ar.urandom_rdev)))
		c->a[2] = IO_CAP;
}

/*
 * Is p a path of the worker's table that leads outside its folder (for
 * rename's source: the folders of the system stay where they are)?
 */
static bool
outside(uint64_t p)
{
	const char *dir = (const char *)gen_path_at(0), *s = (const char *)p;

	if (!in_path_table(p))
		return false;
	if (s[0] == '/')
		return strncmp(s, dir, strlen(dir)) != 0 || strstr(s, "..");
	return s[0] == '.' || strstr(s, "..");
}

/*
 * A path in memory the calls write (a getcwd, readlink or getdents may
 * have left "/linux/fuzz-linux" or "/tmp" there) may name only a file of
 * the current folder: one with a slash, or starting with a dot, becomes "x".
 */
static uint64_t
safe_path(uint64_t p)
{
	bool arena = ours(p, 1), stack = p >= LINUX_STACK_BOTTOM && p < USER_STACK_TOP;

	if (!arena && !stack)
		return p;
	for (uint64_t a = p; a < p + 256 && (stack || ours(a, 1)); a++) {
		char ch = *(const char *)a;
		if (ch == 0)
			break;
		if (ch == '/' || (a == p && ch == '.'))
			return gen_path_at(P_X);
	}
	return p;
}

static void
settle_paths(struct call *c)
{
	static const struct { uint64_t nr; uint8_t pos[2]; } pathargs[] = {
		{ SYS_openat, { 1, 9 } }, { SYS_newfstatat, { 1, 9 } }, { SYS_statx, { 1, 9 } },
		{ SYS_faccessat, { 1, 9 } }, { SYS_faccessat2, { 1, 9 } }, { SYS_utimensat, { 1, 9 } },
		{ SYS_readlinkat, { 1, 9 } }, { SYS_mkdirat, { 1, 9 } }, { SYS_unlinkat, { 1, 9 } },
		{ SYS_linkat, { 1, 3 } }, { SYS_symlinkat, { 0, 2 } }, { SYS_renameat2, { 1, 3 } },
		{ SYS_chdir, { 0, 9 } }, { SYS_truncate, { 0, 9 } },
	};

	for (unsigned i = 0; i < sizeof(pathargs) / sizeof(pathargs[0]); i++)
		if (pathargs[i].nr == c->nr)
			for (int j = 0; j < 2; j++)
				if (pathargs[i].pos[j] < 6)
					c->a[pathargs[i].pos[j]] = safe_path(c->a[pathargs[i].pos[j]]);
	if (c->nr == SYS_renameat2 && outside(c->a[1]))
		c->a[1] = gen_path_at(P_A);
}

static void
settle_signal(struct call *c)
{
	switch (c->nr) {
	case SYS_kill:
		if (!own_target((long)c->a[0]))
			c->a[1] = 0;
		break;
	case SYS_tkill:
	case SYS_rt_sigqueueinfo:
		if (!own_target((long)c->a[0]) || (long)c->a[0] <= 0)
			c->a[1] = 0;
		break;
	case SYS_tgkill:
		if (!own_target((long)c->a[0]) || !own_target((long)c->a[1]) || (long)c->a[0] <= 0)
			c->a[2] = 0;
		break;
	}
}

/* The arguments that are descriptors, by the call's table entry: never the progress pipe. */
static void
settle_fds(struct call *c, bool verbose)
{
	static const struct { uint64_t nr; uint8_t pos[2]; } fdargs[] = {
		{ SYS_read, { 0, 9 } }, { SYS_write, { 0, 9 } }, { SYS_readv, { 0, 9 } },
		{ SYS_writev, { 0, 9 } }, { SYS_pread64, { 0, 9 } }, { SYS_pwrite64, { 0, 9 } },
		{ SYS_openat, { 0, 9 } }, { SYS_close, { 0, 9 } }, { SYS_lseek, { 0, 9 } },
		{ SYS_dup, { 0, 9 } }, { SYS_dup3, { 0, 1 } }, { SYS_fcntl, { 0, 9 } },
		{ SYS_ioctl, { 0, 9 } }, { SYS_getdents64, { 0, 9 } }, { SYS_newfstatat, { 0, 9 } },
		{ SYS_fstat, { 0, 9 } }, { SYS_statx, { 0, 9 } }, { SYS_faccessat, { 0, 9 } },
		{ SYS_faccessat2, { 0, 9 } }, { SYS_utimensat, { 0, 9 } },
		{ SYS_readlinkat, { 0, 9 } }, { SYS_mkdirat, { 0, 9 } }, { SYS_unlinkat, { 0, 9 } },
		{ SYS_linkat, { 0, 2 } }, { SYS_symlinkat, { 1, 9 } }, { SYS_renameat2, { 0, 2 } },
		{ SYS_fchdir, { 0, 9 } }, { SYS_ftruncate, { 0, 9 } }, { SYS_fsync, { 0, 9 } },
		{ SYS_fdatasync, { 0, 9 } }, { SYS_mmap, { 4, 9 } },
	};

	for (unsigned i = 0; i < sizeof(fdargs) / sizeof(fdargs[0]); i++) {
		if (fdargs[i].nr != c->nr)
			continue;
		for (int j = 0; j < 2; j++) {
			int p = fdargs[i].pos[j];
			if (p < 6 && ((int)c->a[p] == FD_PROGRESS || (verbose && (int)c->a[p] == FD_CONSOLE)))
				c->a[p] = -1UL;
		}
	}
}

static void
settle_memory(struct call *c)
{
	switch (c->nr) {
	case SYS_brk:
		/* not below the batch's start (glibc's TLS lies there), not past the cap */
		if (c->a[0] >= ar.data_hi && c->a[0] < ar.brk_start)
			c->a[0] = ar.brk_start;
		if (c->a[0] > ar.brk_start + HEAP_CAP && c->a[0] < USER_TOP)
			c->a[0] = ar.brk_start + c->a[0] % HEAP_CAP;
		break;
	case SYS_mmap:
		if (c->a[1] > MMAP_CAP && c->a[1] < USER_TOP)
			c->a[1] = (c->a[1] & (MMAP_CAP - 1)) | PGSIZE;
		break;
	case SYS_getrandom:
		if (c->a[1] > IO_CAP)
			c->a[1] = IO_CAP;
		break;
	}
	/* a buffer in the low stack: no more than it (the stack's top is in use) */
	if ((c->nr == SYS_read || c->nr == SYS_write || c->nr == SYS_pread64 ||
	     c->nr == SYS_pwrite64 || c->nr == SYS_getrandom || c->nr == SYS_getdents64) &&
	    c->a[1] >= LINUX_STACK_BOTTOM && c->a[1] < USER_STACK_TOP &&
	    c->a[2 - (c->nr == SYS_getrandom)] > LOW_STACK)
		c->a[2 - (c->nr == SYS_getrandom)] = LOW_STACK;
}

static void
settle_other(struct call *c)
{
	switch (c->nr) {
	case SYS_read:
	case SYS_readv:
	case SYS_pread64:
		settle_io(c, true);
		break;
	case SYS_write:
	case SYS_writev:
	case SYS_pwrite64:
		settle_io(c, false);
		break;
	case SYS_execve:
		if (!is_exec_path(c->a[0]) && !known_unreadable(c->a[0]) &&
		    c->a[0] != ar.edge + PGSIZE - 32)
			c->a[0] = (uint64_t)exec_paths[c->a[0] % n_exec_paths];
		break;
	case SYS_ppoll:
		if (c->a[2] == 0 && c->a[1] % 8)
			c->a[2] = fill_timespec(c->a[1]);  /* no wait for ever, mostly */
		break;
	}
}

/* Lay out argument i's memory (fill f, bits in c->a[i]); the new value of the argument. */
static uint64_t
fill_arg(struct call *c, int i, const long results[2])
{
	uint64_t r = c->a[i];
	if (!ours(ar.scratch, SLOT_FREE))
		return c->fill[i] == FILL_RESULT1 || c->fill[i] == FILL_RESULT2 ? 0 : KDIRECT;
	switch (c->fill[i]) {
	case FILL_EDGE_STR:
		if (!ours(ar.edge + PGSIZE - 32, 32))
			return KDIRECT;
		memset((void *)(ar.edge + PGSIZE - 32), 'X', 32);
		return ar.edge + PGSIZE - 32;
	case FILL_ARGV: return fill_argv(r, i);
	case FILL_IOV: return fill_iov(r);
	case FILL_POLL: return fill_poll(r);
	case FILL_SIGACT: return fill_sigact(r, (int)c->a[0]);
	case FILL_SIGSET: return fill_sigset(r);
	case FILL_TIMESPEC: return fill_timespec(r);
	case FILL_UTIMES: return fill_utimes(r);
	case FILL_ITIMER: return fill_itimer(r);
	case FILL_RLIMIT: return fill_rlimit(r);
	case FILL_TERMIOS: return fill_termios(r);
	case FILL_PGID: return fill_pgid(r);
	case FILL_ALTSTACK: return fill_altstack(r);
	case FILL_SIGINFO: return fill_siginfo(r);
	case FILL_FLOCK: return fill_flock(r);
	case FILL_RESULT1: return (uint64_t)results[0];
	case FILL_RESULT2: return (uint64_t)results[1];
	case FILL_PIPE_READ: return (uint64_t)(long)((int *)slot(SLOT_PIPE))[0];
	case FILL_PIPE_WRITE: return (uint64_t)(long)((int *)slot(SLOT_PIPE))[1];
	case FILL_ELF: return fill_elf(r);
	case FILL_FRAME: return fill_frame(r);
	}
	return r;
}

/* Make the call safe to make: it may fail in any way, but not end the run for no kernel bug. */
void
settle(struct call *c, const long results[2], bool verbose)
{
	for (int i = 0; i < 6; i++)
		if (c->fill[i])
			c->a[i] = fill_arg(c, i, results);
	settle_fds(c, verbose);
	settle_paths(c);
	settle_signal(c);
	settle_memory(c);
	settle_other(c);
}

/* ------------------------------------------------------------- after calls */

void
after_call(const struct call *c, long r)
{
	if (c->nr == SYS_clone && r > 0 && ar.nkids < MAX_KIDS)
		ar.kids[ar.nkids++] = (int)r;
	if (c->nr == SYS_brk && r > 0 && (uint64_t)r != ar.brk) {
		uint64_t lo = ar.brk < (uint64_t)r ? ar.brk : (uint64_t)r;
		uint64_t hi = ar.brk < (uint64_t)r ? (uint64_t)r : ar.brk;
		range_changed(lo & ~(uint64_t)(PGSIZE - 1), page_end(hi));
		ar.brk = (uint64_t)r;
		if (ar.brk > ar.brk_hi)
			ar.brk_hi = ar.brk;
	}
	if (r < 0)
		return;
	switch (c->nr) {
	case SYS_mmap:
		range_changed((uint64_t)r, (uint64_t)r + page_end(c->a[1]));
		if (ar.nmaps < MAX_RANGES)
			ar.maps[ar.nmaps++] = (uint64_t)r;
		break;
	case SYS_munmap:
	case SYS_mprotect:
		range_changed(c->a[0], c->a[0] + page_end(c->a[1]));
		break;
	case SYS_mremap:
		range_changed(c->a[0], c->a[0] + page_end(c->a[1]));
		range_changed((uint64_t)r, (uint64_t)r + page_end(c->a[2]));
		break;
	case SYS_ioctl:
		if ((uint32_t)c->a[1] == TCSETS || (uint32_t)c->a[1] == TCSETSW ||
		    (uint32_t)c->a[1] == TCSETSF)
			tty_restore();
		break;
	}
}

/* ---------------------------------------------------------------- the tty */

/* A descriptor of the console: fd 7 if it still is one, else a new one (-1: none). */
static long
console_fd(bool *opened)
{
	struct stat st = fd_stat(7);

	*opened = false;
	if (ar.console_rdev && is_dev(&st, ar.console_rdev))
		return 7;
	long fd = sys4(SYS_openat, AT_FDCWD, "/dev/console", O_RDWR, 0);
	if (fd < 0 && sys1(SYS_close, 13) == 0)
		fd = sys4(SYS_openat, AT_FDCWD, "/dev/console", O_RDWR, 0);
	*opened = fd >= 0;
	return fd;
}

/*
 * Note the console's termios, for tty_restore.  If it is not in canonical
 * mode with the signal keys and echo (a batch was killed between setting
 * it and putting it back), those bits are set again first: the harness's
 * Ctrl-P works only in canonical mode.
 */
void
tty_save(void)
{
	bool opened;
	long fd = console_fd(&opened);

	tty_known = fd >= 0 && sys3(SYS_ioctl, fd, TCGETS, &tty_saved) == 0;
	if (tty_known && (tty_saved.c_lflag & (ICANON | ISIG | ECHO)) != (ICANON | ISIG | ECHO)) {
		tty_saved.c_lflag |= ICANON | ISIG | ECHO;
		sys3(SYS_ioctl, fd, TCSETS, &tty_saved);
	}
	if (opened)
		sys1(SYS_close, fd);
}

void
tty_restore(void)
{
	bool opened;
	long fd = console_fd(&opened);

	if (tty_known && fd >= 0)
		sys3(SYS_ioctl, fd, TCSETS, &tty_saved);
	if (opened)
		sys1(SYS_close, fd);
}

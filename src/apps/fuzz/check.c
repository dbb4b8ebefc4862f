/*
 * The checks a batch makes after each call: answers the kernel must never
 * give.  A copy out to memory the caller cannot write, or in from memory
 * it cannot read, that succeeded; a path at an unreadable address that
 * was accepted; a read or write of a buffer running past USER_TOP done in
 * part rather than refused; more bytes than asked; a break outside the heap's
 * range, or a wrong one; getpid, uptime, dup, an invalid number and the
 * kernel's self-checks answering what they cannot; a vDSO page, or the
 * program's text, that changed.  What the caller can read or write is
 * what its layout says (gen.c: addr_readable, addr_writable).
 */
#include "fuzz.h"

extern char __tls_base[];

static uint64_t vdso_hz, vdso_timebase, vdso_design;
static uint64_t total_pages;

/* FNV-1a over the program's text and read-only data, a word at a time. */
uint64_t
hash_text(void)
{
	uint64_t h = 0xcbf29ce484222325UL;

	for (const uint64_t *p = (const uint64_t *)USER_TEXT_BASE;
	     p < (const uint64_t *)__tls_base; p++)
		h = (h ^ *p) * 0x100000001b3UL;
	return h;
}

const char *
why_text(uint32_t why)
{
	static const char *const text[WHY_COUNT] = {
		[WHY_NONE] = "no problem",
		[WHY_WROTE_UNWRITABLE] = "a copy out to memory the caller cannot write succeeded",
		[WHY_READ_UNREADABLE] = "a copy in from memory the caller cannot read succeeded",
		[WHY_PATH_UNREADABLE] = "a path at an address the caller cannot read was accepted",
		[WHY_PAST_USER_TOP] = "a buffer running past USER_TOP was used, not refused",
		[WHY_TOO_MANY_BYTES] = "a byte count the call cannot return",
		[WHY_BAD_BREAK] = "sbrk gave a wrong answer for the heap's range",
		[WHY_VDSO_CHANGED] = "a vDSO page changed",
		[WHY_TEXT_CHANGED] = "the program's text or read-only data changed",
		[WHY_BAD_RESULT] = "a result the call cannot return",
		[WHY_SELFTEST] = "a kernel self-check answered wrongly",
		[WHY_BAD_ERRNO] = "a negative result that is no errno, or not the one it must be",
	};
	return why < WHY_COUNT ? text[why] : "?";
}

/* Would sbrk(n) leave [heap_start, USER_HEAP_LIMIT]?  (The kernel's test.) */
bool
sbrk_must_fail(const struct arena *a, uint64_t brk, long n)
{
	if (n > 0 && (uint64_t)n > USER_HEAP_LIMIT - brk)
		return true;
	return n < 0 && 0 - (uint64_t)n > brk - a->heap_start;
}

static const struct arena *ar;     /* the batch's, for the helpers below */

static bool
copy_out_must_fail(uint64_t a, long n)
{
	return n > 0 && !addr_writable(ar, a);
}

/*
 * Does [a, a + n) start below USER_TOP and run past it?  A read or write
 * of such a buffer must fail whole, as a pipe's does (vm/uaccess.h,
 * rule 1: a range must lie wholly in 0..USER_TOP), not move the part below.
 */
static bool
past_user_top(uint64_t a, long n)
{
	return n > 0 && a < USER_TOP && (uint64_t)n > USER_TOP - a;
}

static bool
path_must_fail(uint64_t a)
{
	return !addr_readable(ar, a);
}

static uint32_t
check_paths(const struct call *c, long r)
{
	switch (c->nr) {
	case SYS_open:
	case SYS_mkdir:
	case SYS_mknod:
	case SYS_unlink:
	case SYS_chdir:
	case SYS_exec:
	case SYS_execve:
		return path_must_fail(c->a[0]) && r != -1 ? WHY_PATH_UNREADABLE : WHY_NONE;
	case SYS_link:
	case SYS_symlink:
		return (path_must_fail(c->a[0]) || path_must_fail(c->a[1])) && r != -1 ?
		       WHY_PATH_UNREADABLE : WHY_NONE;
	}
	return WHY_NONE;
}

static uint32_t
check_selftest(int op, uint64_t arg, long r)
{
	switch (op) {
	case SELFTEST_KSTACK_GUARD:
	case SELFTEST_SUM_OFF:
		return r == 1 ? WHY_NONE : WHY_SELFTEST;
	case SELFTEST_KSTACK_LIVE:
	case SELFTEST_SUM_IN_TRAP:
		return r == 0 ? WHY_NONE : WHY_SELFTEST;
	case SELFTEST_USER_DEREF:
		return r == (arg < USER_TOP ? 1 : -1) ? WHY_NONE : WHY_SELFTEST;
	case SELFTEST_PANIC:
	case SELFTEST_DEBUG_CHECK:
		return r == -1 ? WHY_NONE : WHY_SELFTEST;   /* no allow_panic_test here */
	case SELFTEST_SET_ASIDE:
		/* "until at most arg pages are free": none if arg is more than there are */
		return arg >= total_pages && r != 0 ? WHY_SELFTEST : WHY_NONE;
	}
	return WHY_NONE;
}

/*
 * sbrk(n, mode) from old_brk: -1 for an unknown mode or a break outside
 * [heap_start, USER_HEAP_LIMIT]; else the old break, which lazy growth
 * and shrinking always give, and eager growth when memory allows.  (A
 * mapping in the way also gives -1: no verdict once the batch mapped any.)
 */
static uint32_t
check_sbrk(const struct call *c, long r, uint64_t old_brk)
{
	long n = (long)c->a[0];
	int mode = (int)c->a[1];
	bool lazy = mode == SBRK_LAZY || (mode == SBRK_DEFAULT && (vdso()->design & DESIGN_LAZY));

	if (mode != SBRK_DEFAULT && mode != SBRK_EAGER && mode != SBRK_LAZY)
		return r == -1 ? WHY_NONE : WHY_BAD_BREAK;
	if (sbrk_must_fail(ar, old_brk, n))
		return r == -1 ? WHY_NONE : WHY_BAD_BREAK;
	if (r == (long)old_brk || (r == -1 && n > 0 && (ar->nmaps > 0 || !lazy)))
		return WHY_NONE;
	return WHY_BAD_BREAK;
}

/*
 * What the kernel must never answer r to c, made by the batch whose
 * arena is a, with the break at old_brk and the tick count at
 * ticks_before just before the call: a WHY_* (WHY_NONE: a possible answer).
 */
uint32_t
check_call(const struct arena *a, const struct call *c, long r, uint64_t old_brk,
	   uint64_t ticks_before)
{
	long n = (int)c->a[2];

	ar = a;
	uint32_t why = check_paths(c, r);

	if (why)
		return why;
	switch (c->nr) {
	case SYS_read:
		if (r > 0 && copy_out_must_fail(c->a[1], n))
			return WHY_WROTE_UNWRITABLE;
		if (r > 0 && past_user_top(c->a[1], n))
			return WHY_PAST_USER_TOP;
		return (n < 0 ? r != -1 : r > n) ? WHY_TOO_MANY_BYTES : WHY_NONE;
	case SYS_write:
		if (r > 0 && n > 0 && !addr_readable(ar, c->a[1]))
			return WHY_READ_UNREADABLE;
		if (r > 0 && past_user_top(c->a[1], n))
			return WHY_PAST_USER_TOP;
		return (n < 0 ? r != -1 : r > n) ? WHY_TOO_MANY_BYTES : WHY_NONE;
	case SYS_fstat:
	case SYS_wait:
	case SYS_pipe:
	case SYS_sysinfo:
	case SYS_bootargs: {
		uint64_t buf = c->nr == SYS_fstat ? c->a[1] : c->a[0];
		if (c->nr == SYS_wait && buf == 0)
			return WHY_NONE;
		return r != -1 && copy_out_must_fail(buf, 1) ? WHY_WROTE_UNWRITABLE : WHY_NONE;
	}
	case SYS_pgaccess:
		return r != -1 && copy_out_must_fail(c->a[2], 1) ? WHY_WROTE_UNWRITABLE : WHY_NONE;
	case SYS_vmprint:
		if (r > 0 && copy_out_must_fail(c->a[1], n))
			return WHY_WROTE_UNWRITABLE;
		return (n < 0 ? r != -1 : r > n) ? WHY_TOO_MANY_BYTES : WHY_NONE;
	case SYS_sbrk:
		return check_sbrk(c, r, old_brk);
	case SYS_procinfo:
		if (r > 0 && copy_out_must_fail(c->a[0], (int)c->a[1]))
			return WHY_WROTE_UNWRITABLE;
		return ((int)c->a[1] < 0 ? r != -1 : r > (int)c->a[1]) ? WHY_TOO_MANY_BYTES : WHY_NONE;
	case SYS_mmap:
		return r != -1 && (r % PGSIZE || r < (long)USER_TEXT_BASE ||
				   r >= (long)USER_STACK_GUARD) ? WHY_BAD_RESULT : WHY_NONE;
	case SYS_getpid:
		return r == ar->pid ? WHY_NONE : WHY_BAD_RESULT;
	case SYS_uptime:
		return r >= (long)ticks_before && r <= (long)uuptime() ? WHY_NONE : WHY_BAD_RESULT;
	case SYS_dup:
		return r < -1 || r >= NOFILE ? WHY_BAD_RESULT : WHY_NONE;
	case SYS_selftest:
		return check_selftest((int)c->a[0], c->a[1], r);
	}
	if (c->nr >= NSYSCALL)
		return r == -1 ? WHY_NONE : WHY_BAD_RESULT;
	return WHY_NONE;
}

/* Note what the vDSO pages hold at the start of a batch. */
void
check_start(void)
{
	vdso_hz = vdso()->tick_hz;
	vdso_timebase = vdso()->timebase_hz;
	vdso_design = vdso()->design;
	struct sysinfo si;
	total_pages = __sys_sysinfo(&si, SYSINFO_CANOPY) == 0 ? si.total_pages : -1UL;
}

/* WHY_VDSO_CHANGED if the vDSO pages no longer hold what they did (pid: ours). */
uint32_t
check_vdso(int pid)
{
	const struct vdso_data *d = vdso();

	if (ugetpid() != pid || d->tick_hz != vdso_hz || d->timebase_hz != vdso_timebase ||
	    d->design != vdso_design)
		return WHY_VDSO_CHANGED;
	return WHY_NONE;
}


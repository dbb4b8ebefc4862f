/*
 * What the kernel must never answer, for Linux's calls:
 *
 * - a number it has no call for: anything but -ENOSYS (0 for call 0,
 *   docs/linux-abi.md), and for any call, a negative result that is no
 *   errno (below -EHWPOISON);
 * - a copy out to memory the caller cannot write, or in from memory it
 *   cannot read, that succeeded; a path at an address it cannot read
 *   that was accepted;
 * - more bytes than asked (read, write, getrandom, readlink...);
 * - getpid, gettid or getppid naming another process; a descriptor past
 *   the table; a break below the heap's start or other than asked or
 *   before; a mapping not page-aligned, past USER_TOP, or elsewhere than a
 *   MAP_FIXED asked; setpgid of a process neither the caller nor its child;
 * - at the end: the program's text and read-only data, the vDSO image or
 *   the per-process vDSO page changed.
 *
 * "Cannot read" is known only away from everything a call may have mapped,
 * unmapped or protected (range_changed): there, nothing is judged.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "lfuzz.h"

static uint64_t text_hash, vdso_hash;

static uint64_t
page_end(uint64_t a)
{
	return (a + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1);
}

/* Nothing is known in [lo, hi) any more (past MAX_RANGES: nowhere). */
void
range_changed(uint64_t lo, uint64_t hi)
{
	if (hi < lo || hi > USER_TOP)
		hi = USER_TOP;
	if (ar.nchanged < MAX_RANGES) {
		ar.changed[ar.nchanged][0] = lo & ~(uint64_t)(PGSIZE - 1);
		ar.changed[ar.nchanged][1] = hi;
	}
	if (ar.nchanged <= MAX_RANGES)
		ar.nchanged++;
}

static bool
changed(uint64_t a)
{
	if (ar.nchanged > MAX_RANGES)
		return true;
	for (int i = 0; i < ar.nchanged; i++)
		if (a >= ar.changed[i][0] && a < ar.changed[i][1])
			return true;
	return false;
}

/* Has no call touched [lo, hi)? */
static bool
untouched(uint64_t lo, uint64_t hi)
{
	if (ar.nchanged > MAX_RANGES)
		return false;
	for (int i = 0; i < ar.nchanged; i++)
		if (lo < ar.changed[i][1] && hi > ar.changed[i][0])
			return false;
	return true;
}

/* Is nothing mapped at a, for sure? */
bool
known_unreadable(uint64_t a)
{
	if (a >= USER_TOP)
		return true;
	if (changed(a))
		return false;
	uint64_t heap_top = page_end(ar.brk_hi > ar.data_hi ? ar.brk_hi : ar.data_hi);
	bool mapped = (a >= ar.text_lo && a < heap_top) || (a >= ar.scratch && a < ar.edge + PGSIZE) ||
		      a >= LINUX_STACK_BOTTOM;
	return !mapped;
}

/* Is a, for sure, not writable (unmapped, text, rodata, the vDSO pages)? */
bool
known_unwritable(uint64_t a)
{
	if (known_unreadable(a))
		return true;
	return !changed(a) && ((a >= ar.text_lo && a < ar.text_hi) || a >= USER_STACK_TOP);
}

static uint64_t
hash(uint64_t lo, uint64_t hi)
{
	uint64_t h = 0xcbf29ce484222325UL;

	for (const uint64_t *p = (const uint64_t *)lo; p < (const uint64_t *)hi; p++)
		h = (h ^ *p) * 0x100000001b3UL;
	return h;
}

void
check_start(void)
{
	text_hash = hash(ar.text_lo, ar.text_hi);
	vdso_hash = ar.vdso ? hash(ar.vdso, ar.vdso + PGSIZE) : 0;
}

/* ------------------------------------------------------------------ calls */

static uint32_t
wrote(uint64_t buf, bool done)
{
	return done && buf && known_unwritable(buf) ? WHY_WROTE_UNWRITABLE : WHY_NONE;
}

static uint32_t
read_from(uint64_t buf, bool done)
{
	return done && known_unreadable(buf) ? WHY_READ_UNREADABLE : WHY_NONE;
}

static uint32_t
path_ok(uint64_t p, long r)
{
	return r >= 0 && known_unreadable(p) ? WHY_PATH_UNREADABLE : WHY_NONE;
}

/* r: at most n bytes, and bytes only into memory that can take them. */
static uint32_t
byte_count(uint64_t buf, uint64_t n, long r, bool out)
{
	if (r > 0 && (uint64_t)r > n)
		return WHY_TOO_MANY_BYTES;
	return out ? wrote(buf, r > 0) : read_from(buf, r > 0);
}

static bool
is_null(int fd)
{
	struct stat st;

	return sys2(SYS_fstat, fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == ar.null_rdev;
}

static uint32_t
check_paths(const struct call *c, long r)
{
	switch (c->nr) {
	case SYS_openat:
	case SYS_faccessat:
	case SYS_faccessat2:
	case SYS_readlinkat:
	case SYS_mkdirat:
	case SYS_unlinkat:
		return path_ok(c->a[1], r);
	case SYS_newfstatat:
	case SYS_statx:
	case SYS_utimensat:     /* a null path may mean the descriptor itself */
		return c->a[1] ? path_ok(c->a[1], r) : WHY_NONE;
	case SYS_linkat:
	case SYS_renameat2:
		return path_ok(c->a[1], r) ? path_ok(c->a[1], r) : path_ok(c->a[3], r);
	case SYS_symlinkat:
		return path_ok(c->a[0], r) ? path_ok(c->a[0], r) : path_ok(c->a[2], r);
	case SYS_chdir:
	case SYS_truncate:
	case SYS_execve:
		return path_ok(c->a[0], r);
	}
	return WHY_NONE;
}

static uint32_t
check_copies(const struct call *c, long r)
{
	const uint64_t *a = c->a;

	switch (c->nr) {
	case SYS_read:
	case SYS_pread64:
	case SYS_getdents64:
		return byte_count(a[1], a[2], r, true);
	case SYS_readlinkat:
		return byte_count(a[2], a[3], r, true);
	case SYS_getcwd:
		return byte_count(a[0], a[1], r, true);
	case SYS_getrandom:
		return byte_count(a[0], a[1], r, true);
	case SYS_write:
	case SYS_pwrite64:
		/* /dev/null takes the count without reading the bytes, as Linux's does */
		return is_null((int)a[0]) ? WHY_NONE : byte_count(a[1], a[2], r, false);
	case SYS_fstat:
		return wrote(a[1], r == 0);
	case SYS_newfstatat:
		return wrote(a[2], r == 0);
	case SYS_statx:
		return wrote(a[4], r == 0);
	case SYS_uname:
	case SYS_sysinfo:
	case SYS_pipe2:
		return wrote(a[0], r == 0);
	case SYS_clock_gettime:
	case SYS_clock_getres:
	case SYS_getrlimit:
	case SYS_getitimer:
		return wrote(a[1], r == 0);
	case SYS_prlimit64:
	case SYS_rt_sigaction:
	case SYS_rt_sigprocmask:
		if (wrote(a[2 + (c->nr == SYS_prlimit64)], r == 0))
			return WHY_WROTE_UNWRITABLE;
		return a[1 + (c->nr == SYS_prlimit64)] ? read_from(a[1 + (c->nr == SYS_prlimit64)], r == 0) :
		       WHY_NONE;
	case SYS_wait4:
		return wrote(a[1], r > 0);
	case SYS_nanosleep:
		return read_from(a[0], r == 0);
	case SYS_ioctl:
		switch ((uint32_t)a[1]) {
		case TCGETS:
		case TIOCGWINSZ:
		case TIOCGPGRP:
		case TIOCGSID:
		case FIONREAD:
			return wrote(a[2], r == 0);
		case TCSETS:
		case TCSETSW:
		case TCSETSF:
		case TIOCSPGRP:
			return read_from(a[2], r == 0);
		}
		return WHY_NONE;
	}
	return WHY_NONE;
}

/* A result the call cannot give, whatever its arguments. */
static uint32_t
check_value(const struct call *c, long r, uint64_t old_brk)
{
	switch (c->nr) {
	case SYS_getpid:
	case SYS_gettid:
		return r == ar.pid ? WHY_NONE : WHY_BAD_RESULT;
	case SYS_getppid:
		return r == ar.worker_pid ? WHY_NONE : WHY_BAD_RESULT;
	case SYS_openat:
	case SYS_dup:
	case SYS_dup3:
		return r >= NOFILE ? WHY_BAD_RESULT : WHY_NONE;
	case SYS_fcntl:
		return (c->a[1] == F_DUPFD || c->a[1] == F_DUPFD_CLOEXEC) && r >= NOFILE ?
		       WHY_BAD_RESULT : WHY_NONE;
	case SYS_brk:
		if ((uint64_t)r < ar.data_hi || ((uint64_t)r != old_brk && (uint64_t)r != c->a[0]))
			return WHY_BAD_BREAK;
		return WHY_NONE;
	case SYS_mmap:
		if (r < 0)
			return WHY_NONE;
		if (r % PGSIZE || (uint64_t)r < PGSIZE || (uint64_t)r + c->a[1] > USER_TOP)
			return WHY_BAD_RESULT;
		return (c->a[3] & MAP_FIXED) && (uint64_t)r != c->a[0] ? WHY_BAD_RESULT : WHY_NONE;
	case SYS_setpgid: {
		long pid = (long)(int)c->a[0];
		bool mine = pid == 0 || pid == ar.pid;
		for (int i = 0; i < ar.nkids; i++)
			mine |= pid == ar.kids[i];
		return r == 0 && !mine ? WHY_BAD_RESULT : WHY_NONE;
	}
	}
	return WHY_NONE;
}

/* What the kernel must never answer r to c (made with the break at old_brk): a WHY_*. */
uint32_t
check_call(const struct call *c, long r, uint64_t old_brk)
{
	if (c->nr == SYS_rt_sigreturn)
		return WHY_NONE;        /* its result is the frame's a0 */
	if (!call_known(c->nr))
		return r == (c->nr == 0 ? 0 : -ENOSYS) ? WHY_NONE : WHY_BAD_ERRNO;
	if (r < -EHWPOISON)
		return WHY_BAD_ERRNO;
	uint32_t why = check_paths(c, r);
	if (!why)
		why = check_copies(c, r);
	if (!why)
		why = check_value(c, r, old_brk);
	if (!why && ((const struct vdso_proc *)VDSO_PROC)->pid != ar.pid && !changed(VDSO_PROC))
		why = WHY_VDSO_CHANGED;
	return why;
}

/* At the end of the batch: the text, rodata and vDSO as they were? */
uint32_t
check_end(void)
{
	if (untouched(ar.text_lo, ar.text_hi) && hash(ar.text_lo, ar.text_hi) != text_hash)
		return WHY_TEXT_CHANGED;
	if (ar.vdso && untouched(ar.vdso, ar.vdso + PGSIZE) && hash(ar.vdso, ar.vdso + PGSIZE) != vdso_hash)
		return WHY_VDSO_CHANGED;
	return WHY_NONE;
}

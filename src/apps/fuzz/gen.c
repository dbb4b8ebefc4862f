/*
 * Drawing random system calls.  A call is a number (every one the kernel
 * has but poweroff, and now and then one it does not have) and six
 * argument registers.  Each argument the call takes is drawn from classes
 * for its kind (a length, a descriptor, a path, a buffer to fill...); the
 * registers it does not take get junk; one call in eight gets junk in all
 * six.  Addresses come from every part of the address space: the kernel
 * half, the vDSO, around USER_TOP, ranges that wrap, unmapped user pages,
 * read-only text, and buffers that are valid, or lazily mapped and never
 * touched, or end just before an unmapped page.
 *
 * (plan.c makes some calls part of a plan of a few.)
 *
 * Only the generator's state decides what is drawn, never a result, so a
 * seed gives the same calls every time (the few values that depend on
 * what happened, such as the fd a plan's open returned, are settled by
 * the child just before the call, deterministically too).
 */
#include <stdio.h>
#include <string.h>
#include <canopy/mman.h>
#include "fuzz.h"

enum kind {
	K_NONE, K_INT, K_LEN, K_FD, K_PID, K_OUT, K_IN, K_PATH, K_EXEC, K_ARGV,
	K_FLAGS, K_WHENCE, K_SBRK, K_TICKS, K_MAJOR, K_OP, K_NPAGES, K_ANY,
	K_SBRK_MODE, K_LAYOUT, K_MASK, K_TFLAGS, K_HANDLER, K_MADDR, K_PROT, K_MFLAGS, K_OFF, K_MSFLAGS,
};

struct sysdesc {
	const char *name;
	uint8_t kinds[6];
};

/* Indexed by system-call number; K_NONE ends an argument list. */
static const struct sysdesc calls[NSYSCALL] = {
	[SYS_null] = { "null", { 0 } },
	[SYS_fork] = { "fork", { 0 } },
	[SYS_exit] = { "exit", { K_INT } },
	[SYS_wait] = { "wait", { K_OUT } },
	[SYS_pipe] = { "pipe", { K_OUT } },
	[SYS_read] = { "read", { K_FD, K_OUT, K_LEN } },
	[SYS_kill] = { "kill", { K_PID } },
	[SYS_exec] = { "exec", { K_EXEC, K_ARGV } },
	[SYS_fstat] = { "fstat", { K_FD, K_OUT } },
	[SYS_chdir] = { "chdir", { K_PATH } },
	[SYS_dup] = { "dup", { K_FD } },
	[SYS_getpid] = { "getpid", { 0 } },
	[SYS_sbrk] = { "sbrk", { K_SBRK, K_SBRK_MODE } },
	[SYS_sleep] = { "sleep", { K_TICKS } },
	[SYS_uptime] = { "uptime", { 0 } },
	[SYS_open] = { "open", { K_PATH, K_FLAGS } },
	[SYS_write] = { "write", { K_FD, K_IN, K_LEN } },
	[SYS_mknod] = { "mknod", { K_PATH, K_MAJOR, K_INT } },
	[SYS_unlink] = { "unlink", { K_PATH } },
	[SYS_link] = { "link", { K_PATH, K_PATH } },
	[SYS_mkdir] = { "mkdir", { K_PATH } },
	[SYS_close] = { "close", { K_FD } },
	[SYS_symlink] = { "symlink", { K_PATH, K_PATH } },
	[SYS_pgaccess] = { "pgaccess", { K_IN, K_NPAGES, K_OUT } },
	[SYS_vmprint] = { "vmprint", { K_PID, K_OUT, K_LEN } },
	[SYS_sysinfo] = { "sysinfo", { K_OUT, K_LAYOUT } },
	[SYS_poweroff] = { "poweroff", { K_INT } },    /* never drawn */
	[SYS_bootargs] = { "bootargs", { K_OUT, K_LEN } },
	[SYS_selftest] = { "selftest", { K_OP, K_ANY } },
	[SYS_lseek] = { "lseek", { K_FD, K_INT, K_WHENCE } },
	[SYS_trace] = { "trace", { K_MASK, K_TFLAGS } },
	[SYS_sigalarm] = { "sigalarm", { K_TICKS, K_HANDLER } },
	[SYS_sigreturn] = { "sigreturn", { 0 } },
	[SYS_pgpte] = { "pgpte", { K_IN } },
	[SYS_kpgtbl] = { "kpgtbl", { 0 } },
	[SYS_procinfo] = { "procinfo", { K_OUT, K_LEN } },
	[SYS_mmap] = { "mmap", { K_MADDR, K_LEN, K_PROT, K_MFLAGS, K_FD, K_OFF } },
	[SYS_munmap] = { "munmap", { K_MADDR, K_LEN } },
	[SYS_msync] = { "msync", { K_MADDR, K_LEN, K_MSFLAGS } },
	[SYS_execve] = { "execve", { K_EXEC, K_ARGV, K_ARGV } },
	[SYS_setpgid] = { "setpgid", { K_PID, K_PID } },
	[SYS_tcsetpgrp] = { "tcsetpgrp", { K_PID } },
};

/* Paths exec may be given: nothing here can start a real program but true. */
const char *const exec_paths[] = {
	"/bin/true", "true", "/bin/no-such-program", "/tmp", "/", "", "/bin/true/x",
	"/bin//true", "/./bin/../bin/true",
};
const int n_exec_paths = sizeof(exec_paths) / sizeof(exec_paths[0]);

/* Read-only bytes that spell nothing the system has, as a path or otherwise. */
static const char rodata_sample[] = "XYZZY-READ-ONLY-0123456789-XYZZY-READ-ONLY-ZZZ";

/* A worker's paths: its folder's files, and names around them (P_* in fuzz.h). */
#define NPATHS 56
static char path_store[NPATHS][MAXPATH + 80];
static int npaths;
static char long_path[600];

/* -------------------------------------------------------------- generator */

static inline uint64_t
below(uint64_t *s, uint64_t n)
{
	return rng_below(s, n);
}

/* ------------------------------------------------------------- addresses */

extern char _end[], __tls_base[];
extern int main(int, char **);

static uint64_t
page_end(uint64_t a)
{
	return (a + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1);
}

/*
 * An address from one of the classes.  valid: only buffers the caller may
 * use; otherwise anything.  *fill is set for addresses whose contents are
 * laid out just before the call.
 */
static uint64_t
gen_addr(uint64_t *s, const struct arena *ar, bool valid, uint8_t *fill)
{
	uint64_t r = rng_next(s);
	uint64_t off = (r >> 32) & 0xff8;
	int class = valid ? (int)below(s, 5) : (int)below(s, 22);

	switch (class) {
	case 0: return ar->scratch + (r & 1 ? 0 : (r >> 20) % SCRATCH_SIZE);
	case 1: return ar->lazy + ((r >> 16) % LAZY_SIZE & ~(uint64_t)7);
	case 2: return USER_STACK_BOTTOM + ((r >> 24) % (USER_STACK_PAGES * PGSIZE) & ~(uint64_t)7);
	case 3: return ar->arg_area + (r & 1 ? 0 : off % (USER_STACK_TOP - ar->arg_area));
	case 4:
		*fill = FILL_EDGE_STR;
		return page_end(ar->brk) - 32;
	case 5: return 0;
	case 6: return PICK(s, 1, 8, 0xfff, 0x1000, 0x8000, USER_TEXT_BASE - 8);
	case 7: return r & 1 ? USER_TEXT_BASE : (uint64_t)main + (off & 0xff);
	case 8: return (uint64_t)rodata_sample + (r & 1 ? 0 : off % sizeof(rodata_sample));
	case 9: return page_end(ar->brk) + PGSIZE * (1 + (r >> 40) % 64);
	case 10: return 0x1000000000UL + off;
	case 11: return USER_STACK_GUARD + off;
	case 12: return VDSO_DATA + off;
	case 13: return VDSO_PROC + off;
	case 14:
	case 15:
	case 16:
	case 17:
	case 18: return draw_kernel_addr(s);
	case 19: return r;
	case 20: return (uint64_t)__tls_base - 64;     /* rodata's last bytes */
	default:
		/* the last bytes of the page where bss ends (but none of bss) */
		return page_end((uint64_t)_end) - 16 >= (uint64_t)_end ?
		       page_end((uint64_t)_end) - 16 : (uint64_t)_end;
	}
}

/* A buffer argument: valid one time in two. */
static uint64_t
gen_buf(uint64_t *s, const struct arena *ar, uint8_t *fill)
{
	return gen_addr(s, ar, below(s, 2), fill);
}

/* ----------------------------------------------------------------- values */

static uint64_t
gen_int(uint64_t *s)
{
	return draw_int(s, (uint64_t)__tls_base);
}

static uint64_t
gen_len(uint64_t *s)
{
	return draw_len(s, (uint64_t)__tls_base);
}

/* A descriptor: mostly those a batch starts with (0..6) and makes (7..). */
static uint64_t
gen_fd(uint64_t *s)
{
	uint64_t c = below(s, 10);

	if (c < 5)
		return below(s, 8);
	if (c < 8)
		return below(s, 16);
	return PICK(s, -1UL, 16, 17, 0x7fffffff, INT_MIN_64, (1UL << 32) | 3, 1000, -16UL);
}

static uint64_t
gen_pid(uint64_t *s, const struct arena *ar)
{
	uint64_t r = rng_next(s);       /* drawn whatever the case: see the top */

	switch (below(s, 6)) {
	case 0: return r % 4 ? (uint64_t)ar->pid + 1000000 : (uint64_t)ar->pid;
	case 1: return ar->nkids ? (uint64_t)ar->kids[r % ar->nkids] : (uint64_t)ar->pid + 1;
	case 2: return PICK(s, 0, -1UL, INT_MIN_64, 0x7fffffff, 1UL << 32);
	case 3: return (uint64_t)ar->pid + below(s, 4);
	case 4: return below(s, 12);            /* kill: settled by the child */
	default: return (uint64_t)ar->worker_pid;
	}
}

static uint64_t
gen_flags(uint64_t *s)
{
	static const uint64_t bits[] = {
		CANOPY_O_WRONLY, CANOPY_O_RDWR, CANOPY_O_CREATE, CANOPY_O_TRUNC,
		CANOPY_O_NOFOLLOW, CANOPY_O_APPEND,
	};
	uint64_t f = 0;

	switch (below(s, 10)) {
	case 0: return PICK(s, -1UL, 0x10000, 0x40, 3, 1UL << 32, 0x7fffffff);
	case 1: return rng_next(s);
	default:
		for (int i = 0; i < 6; i++)
			if (below(s, 3) == 0)
				f |= bits[i];
		return f;
	}
}

static uint64_t
gen_sbrk(uint64_t *s)
{
	switch (below(s, 6)) {
	case 0: return PICK(s, 0, 1, -1UL, 7, PGSIZE, -PGSIZE);
	case 1: return below(s, 64) * PGSIZE;
	case 2: return -(below(s, 32) * PGSIZE + below(s, 2));
	case 3: return PICK(s, 1UL << 20, 1UL << 30, 1UL << 37, 1UL << 40, 1UL << 62);
	case 4: return PICK(s, -(1UL << 20), -(1UL << 30), -(1UL << 40), 1UL << 63, INT_MIN_64,
			    USER_TOP, -USER_TOP);
	default: return rng_next(s);
	}
}

/* A path: mostly the worker's own names, else hostile strings and addresses. */
static uint64_t
gen_path(uint64_t *s, const struct arena *ar, uint8_t *fill)
{
	switch (below(s, 10)) {
	case 0: return draw_name(s);
	case 1: return (uint64_t)long_path + below(s, 480);
	case 2:
	case 3: return gen_addr(s, ar, false, fill);
	default: return (uint64_t)path_store[below(s, npaths)];
	}
}

/* exec's path: never one that could start a program other than true. */
static uint64_t
gen_exec_path(uint64_t *s, const struct arena *ar, uint8_t *fill)
{
	for (int tries = 0; tries < 4; tries++) {
		*fill = FILL_NONE;
		if (below(s, 2))
			return (uint64_t)exec_paths[below(s, n_exec_paths)];
		uint64_t a = gen_addr(s, ar, false, fill);
		if (*fill == FILL_EDGE_STR || !addr_readable(ar, a))
			return a;
	}
	*fill = FILL_NONE;
	return (uint64_t)exec_paths[0];
}

static uint64_t
gen_argv(uint64_t *s, const struct arena *ar, uint8_t *fill)
{
	switch (below(s, 8)) {
	case 0: *fill = FILL_ARGV; return ar->scratch + 8192;
	case 1: *fill = FILL_ARGV_MANY; return ar->scratch + 8192;
	case 2: *fill = FILL_ARGV_LONG; return ar->scratch + 8192;
	case 3: *fill = FILL_ARGV_HOSTILE; return ar->scratch + 8192;
	case 4: *fill = FILL_EDGE_ARGV; return page_end(ar->brk) - 32;
	case 5: return 0;
	default: return gen_addr(s, ar, false, fill);
	}
}

/*
 * An address for mmap, munmap or msync: a mapping this batch made, the
 * free space below the stack, none (0), the heap or text (regions no
 * mapping may replace), or anything.
 */
static uint64_t
gen_map_addr(uint64_t *s, const struct arena *ar, uint8_t *fill)
{
	uint64_t r = rng_next(s);       /* drawn whatever the case: see the top */

	switch (below(s, 7)) {
	case 0:
	case 1: return ar->nmaps ? ar->maps[r % (uint64_t)(ar->nmaps < MAX_MAPS ?
							    ar->nmaps : MAX_MAPS)][0] +
				   (r & 1 ? 0 : PGSIZE) : 0;
	case 2: return USER_STACK_GUARD - PGSIZE * (1 + r % 512);
	case 3: return 0x1000000000UL + PGSIZE * (r % 1024);
	case 4: return 0;
	case 5: return r & 1 ? ar->scratch : USER_TEXT_BASE;
	default: return gen_addr(s, ar, false, fill);
	}
}

static uint64_t
gen_map_flags(uint64_t *s)
{
	uint64_t f = below(s, 4) ? (below(s, 2) ? MAP_SHARED : MAP_PRIVATE) : below(s, 4);

	if (below(s, 2))
		f |= MAP_ANONYMOUS;
	if (below(s, 4) == 0)
		f |= MAP_FIXED;
	if (below(s, 8) == 0)
		f |= PICK(s, 0x40, 0x100, 1UL << 31, 0x1000);
	return f;
}

/* Anything at all: one of the kinds below, at random. */
static uint64_t
gen_any(uint64_t *s, const struct arena *ar, uint8_t *fill)
{
	switch (below(s, 4)) {
	case 0: return gen_int(s);
	case 1: return gen_len(s);
	case 2: return gen_fd(s);
	default: return gen_addr(s, ar, false, fill);
	}
}

static uint64_t
gen_arg(uint64_t *s, const struct arena *ar, int kind, uint8_t *fill)
{
	switch (kind) {
	case K_INT: return gen_int(s);
	case K_LEN: return gen_len(s);
	case K_FD: return gen_fd(s);
	case K_PID: return gen_pid(s, ar);
	case K_OUT:
	case K_IN: return gen_buf(s, ar, fill);
	case K_PATH: return gen_path(s, ar, fill);
	case K_EXEC: return gen_exec_path(s, ar, fill);
	case K_ARGV: return gen_argv(s, ar, fill);
	case K_FLAGS: return gen_flags(s);
	case K_WHENCE: return below(s, 4) ? below(s, 4) : gen_int(s);
	case K_SBRK: return gen_sbrk(s);
	case K_TICKS: return below(s, 4) ? below(s, 4) : gen_int(s);
	case K_MAJOR: return below(s, 4) ? below(s, 12) : gen_int(s);
	case K_OP: return below(s, 8) ? below(s, 17) : gen_int(s);
	case K_SBRK_MODE: return below(s, 8) ? below(s, 3) : gen_int(s);
	case K_LAYOUT: return below(s, 8) ? below(s, 3) : gen_int(s);
	case K_MASK: return below(s, 2) ? 1UL << below(s, 64) : rng_next(s);
	case K_TFLAGS: return below(s, 4) ? below(s, 2) : gen_int(s);
	case K_HANDLER: return below(s, 2) ? (uint64_t)fuzz_alarm_handler : gen_addr(s, ar, false, fill);
	case K_MADDR: return gen_map_addr(s, ar, fill);
	case K_PROT: return below(s, 8) ? below(s, 8) : gen_int(s);
	case K_MFLAGS: return gen_map_flags(s);
	case K_OFF: return PICK(s, 0, 0, 0, PGSIZE, 2 * PGSIZE, 1, 1UL << 32, -PGSIZE, 1UL << 44);
	case K_MSFLAGS: return below(s, 4) ? below(s, 8) : gen_int(s);
	case K_NPAGES: return below(s, 2) ? PICK(s, 0, 1, 2, 31, 32, 33, 63, 64, 65) : gen_int(s);
	default: return gen_any(s, ar, fill);
	}
}

/*
 * A system-call number: every one but poweroff, and one in a hundred
 * invalid.  exit ends the batch, so it comes a quarter as often; kpgtbl
 * prints the kernel's whole table on the console (a second or more), so
 * one time in 256.
 */
static uint64_t
gen_nr(uint64_t *s)
{
	if (below(s, 100) == 0)
		return PICK(s, NSYSCALL, NSYSCALL + 1, 64, 1000, -1UL, 0x7fffffff,
			    (1UL << 32) | SYS_fork, 1UL << 63, -2UL, 0x80000000UL);
	uint64_t nr = below(s, NSYSCALL - 1);
	if (nr == SYS_exit && below(s, 4))
		nr = below(s, NSYSCALL - 1);
	if (nr + (nr >= SYS_poweroff) == SYS_kpgtbl && below(s, 256))
		nr = SYS_getpid;
	return nr >= SYS_poweroff ? nr + 1 : nr;
}

/* One call on its own (plan.c: gen_call, which may start a plan instead). */
void
gen_one(uint64_t *rng, const struct arena *ar, struct call *c)
{
	memset(c, 0, sizeof(*c));
	c->nr = gen_nr(rng);
	bool junk = c->nr >= NSYSCALL || below(rng, 8) == 0;
	const uint8_t *kinds = c->nr < NSYSCALL ? calls[c->nr].kinds : NULL;
	bool typed = !junk;

	for (int i = 0; i < 6; i++) {
		int kind = typed && kinds[i] ? kinds[i] : K_ANY;
		if (typed && !kinds[i])
			typed = false;  /* past the call's arguments: junk */
		c->a[i] = gen_arg(rng, ar, kind, &c->fill[i]);
	}
	if ((c->nr == SYS_exec || c->nr == SYS_execve) && junk)
		c->a[0] = gen_exec_path(rng, ar, &c->fill[0]);
}

/* ----------------------------------------------------------------- naming */

const char *
call_name(uint64_t nr)
{
	if (nr < NSYSCALL && calls[nr].name)
		return calls[nr].name;
	return "invalid";
}

int
format_call(char *buf, int size, int index, const char *name, const struct call *c)
{
	return snprintf(buf, size, "#%d %s[%ld](%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)", index,
			name, (long)c->nr, (unsigned long)c->a[0],
			(unsigned long)c->a[1], (unsigned long)c->a[2], (unsigned long)c->a[3],
			(unsigned long)c->a[4], (unsigned long)c->a[5]);
}

/* ------------------------------------------------------------------ paths */

/* The names paths are drawn from, for the worker whose folder is dir. */
void
gen_set_dir(const char *dir)
{
	_Static_assert(P_COUNT <= NPATHS, "room for the paths");
	npaths = draw_paths(&path_store[0][0], sizeof(path_store[0]), NPATHS, dir);
	draw_long_path(long_path, sizeof(long_path));
}

/* -------------------------------------------------------- what is mapped */

/*
 * Is any of [a, a + len) in a mapping this batch made (or may have made:
 * past MAX_MAPS, anything may be mapped)?  Such memory is neither
 * known readable nor known unreadable.
 */
bool
addr_in_maps(const struct arena *ar, uint64_t a, uint64_t len)
{
	if (ar->nmaps > MAX_MAPS)
		return true;
	for (int i = 0; i < ar->nmaps; i++)
		if (a < ar->maps[i][1] && (a + len > ar->maps[i][0] || a + len < a))
			return true;
	return false;
}

/*
 * May the caller write at a (the heap up to its break, data, the stack)?
 * In a mapping of this batch's: true (nothing can be said).
 */
bool
addr_writable(const struct arena *ar, uint64_t a)
{
	return (a >= (uint64_t)__tls_base && a < page_end(ar->brk)) ||
	       (a >= USER_STACK_BOTTOM && a < USER_STACK_TOP) || addr_in_maps(ar, a, 1);
}

/* May the caller read at a (what it may write, text, rodata, the vDSO)? */
bool
addr_readable(const struct arena *ar, uint64_t a)
{
	return addr_writable(ar, a) || (a >= USER_TEXT_BASE && a < (uint64_t)__tls_base) ||
	       (a >= VDSO_PROC && a < USER_TOP);
}

/* Path number i of the worker's table. */
uint64_t
gen_path_at(int i)
{
	return (uint64_t)path_store[i < npaths ? i : 0];
}

bool
addr_is_exec_path(uint64_t a)
{
	for (int i = 0; i < n_exec_paths; i++)
		if (a == (uint64_t)exec_paths[i])
			return true;
	return false;
}

/*
 * Memory isolation and the address-space mechanisms: faults that must
 * kill, guard pages, W^X, zeroed pages, sbrk, the kernel half (shared, or
 * with KPTI only the trap entry area), and page-table switches on system
 * calls (none, or with KPTI two per call).
 */
#include "utest.h"

static volatile uint64_t target;
static void load_from(void)  { (void)*(volatile uint64_t *)target; }
static void store_to(void)   { *(volatile uint64_t *)target = 1; }

/* Run an access to addr in a child; it must be killed (status -1). */
static void
expect_killed(void (*access)(void), uint64_t addr, const char *what)
{
	target = addr;
	int st = run_in_child(access);
	expect(st == -1, "%s at %#lx: child exited with %d, want killed (-1)", what,
	       (unsigned long)addr, st);
}

static void
kernel_access_killed(void)
{
	const uint64_t addrs[] = { KADDR_LOW, KADDR_IMAGE, KADDR_HIGH - 7, 0xffffffd000000000UL };
	for (unsigned i = 0; i < sizeof(addrs) / sizeof(addrs[0]); i++) {
		expect_killed(load_from, addrs[i], "user read of a kernel address");
		expect_killed(store_to, addrs[i], "user write of a kernel address");
	}
	/* above USER_TOP, below the kernel: not canonical in Sv39 */
	expect_killed(load_from, 0x4000000000UL, "read of a non-canonical address");
}

static void
vdso_write_killed(void)
{
	expect_killed(store_to, VDSO_DATA, "write to the shared vDSO page");
	expect_killed(store_to, VDSO_PROC, "write to the per-process vDSO page");
	expect_killed(store_to, VDSO_PROC + 8, "write into the per-process vDSO page");
}

static void
text_not_writable(void)
{
	expect_killed(store_to, (uint64_t)(uintptr_t)&text_not_writable, "write to program text");
}

static void
jump_to(void)
{
	((void (*)(void))(uintptr_t)target)();
}

static void
data_not_executable(void)
{
	static uint32_t code[2] = { 0x00008067 /* ret */, 0 };
	target = (uint64_t)(uintptr_t)code;
	int st = run_in_child(jump_to);
	expect(st == -1, "executing data: child exited with %d, want killed", st);
	char *heap = sbrk(4096);
	memcpy(heap, code, sizeof(code));
	target = (uint64_t)(uintptr_t)heap;
	st = run_in_child(jump_to);
	expect(st == -1, "executing heap: child exited with %d, want killed", st);
	sbrk(-4096);
}

static volatile int depth_limit = 1 << 30;

static int
recurse(int n)
{
	volatile char pad[512];
	pad[0] = (char)n;
	if (n >= depth_limit)
		return 0;
	return recurse(n + 1) + pad[0];
}

static void
overflow_stack(void)
{
	recurse(0);
}

static void
stack_guard(void)
{
	expect_killed(store_to, USER_STACK_GUARD, "write to the stack guard page");
	expect_killed(load_from, USER_STACK_GUARD + 4088, "read of the stack guard page");
	int st = run_in_child(overflow_stack);
	expect(st == -1, "unbounded recursion: child exited with %d, want killed", st);
}

static void
kernel_stack_guard(void)
{
	expect(selftest(SELFTEST_KSTACK_GUARD, 0) == 1,
	       "reading the guard page below our kernel stack did not fault");
	expect(selftest(SELFTEST_KSTACK_LIVE, 0) == 0, "reading our own kernel stack faulted");
}

static void
sum_off_outside_copies(void)
{
	static volatile uint64_t word = 5;
	expect(selftest(SELFTEST_SUM_OFF, 0) == 1, "sstatus.SUM was on inside a system call");
	expect(selftest(SELFTEST_USER_DEREF, (uint64_t)(uintptr_t)&word) == 1,
	       "a plain kernel load of a user address did not fault");
	expect(word == 5, "word changed");
}

static char *heap_at;
static void touch_heap(void) { heap_at[0] = 1; }

static void
unmapped_by_parent_killed(void)
{
	char *p = sbrk(4 * 4096);
	expect(p != (char *)-1, "sbrk failed");
	memset(p, 1, 4 * 4096);
	expect(sbrk(-4 * 4096) != (char *)-1, "sbrk shrink failed");
	heap_at = p + 3 * 4096;
	int st = run_in_child(touch_heap);
	expect(st == -1, "child touched memory its parent unmapped and exited with %d", st);
}

static char bss_block[20000];

static void
pages_are_zeroed(void)
{
	for (unsigned i = 0; i < sizeof(bss_block); i++)
		expect(bss_block[i] == 0, "bss byte %u is %d", i, bss_block[i]);
	for (int round = 0; round < 3; round++) {
		unsigned char *p = sbrk(64 * 1024);
		expect(p != (unsigned char *)-1, "sbrk failed");
		for (int i = 0; i < 64 * 1024; i++)
			expect(p[i] == 0, "new heap byte %d is %d", i, p[i]);
		memset(p, 0xab, 64 * 1024);
		sbrk(-64 * 1024);
	}
}

static void
sbrk_grow_shrink(void)
{
	char *old = sbrk(0);
	char *p = sbrk(10 * 4096);
	expect(p == old, "sbrk returned %p, break was %p", p, old);
	expect(sbrk(0) == old + 10 * 4096, "break did not move");
	for (int i = 0; i < 10 * 4096; i += 4096)
		p[i] = 'x';
	expect(sbrk(-10 * 4096) == old + 10 * 4096, "shrink returned the wrong old break");
	expect(sbrk(0) == old, "break did not come back");
}

/* The "kernel half" block of a vmprint text. */
static void
kernel_half(const char *text, char *out, size_t size)
{
	const char *start = strstr(text, "kernel half:");
	const char *end = start ? strstr(start, "user half:") : NULL;
	size_t n = start && end ? (size_t)(end - start) : 0;
	if (n >= size)
		n = size - 1;
	memcpy(out, start ? start : "", n);
	out[n] = 0;
}

/* Count the leaf lines (" va 0x...") of a vmprint block. */
static int
count_leaves(const char *text)
{
	int n = 0;
	for (const char *s = text; (s = strstr(s, " va 0x")) != NULL; s++)
		n++;
	return n;
}

/*
 * The kernel half of two processes' tables, as vmprint shows them.  Shared
 * design: the kernel's own root entries, identical everywhere.  KPTI: only
 * the trap entry area, the trampoline (same page for all, never U) and
 * the process's own trapframe.
 */
static void
kernel_tables_shared(void)
{
	static char mine[16384], theirs[16384], a[4096], b[4096];
	int p[2], ready[2];
	char c;

	expect(pipe(p) == 0 && pipe(ready) == 0, "pipe failed");
	int pid = xfork();
	if (pid == 0) {
		write(ready[1], "r", 1);
		read(p[0], &c, 1);
		exit(0);
	}
	/* the child has run in user mode (with KPTI its entry area is attached then) */
	read(ready[0], &c, 1);
	long n1 = vmprint(0, mine, sizeof(mine) - 1);
	long n2 = vmprint(pid, theirs, sizeof(theirs) - 1);
	write(p[1], "x", 1);
	wait(NULL);
	expect(n1 > 0 && n2 > 0, "vmprint failed (%ld, %ld)", n1, n2);
	mine[n1] = theirs[n2] = 0;
	kernel_half(mine, a, sizeof(a));
	kernel_half(theirs, b, sizeof(b));
	expect(a[0] != 0, "no kernel half in vmprint output");
	expect(strstr(a, " k") != NULL, "no kernel root entries listed");
	expect(strstr(mine, "root ") && strstr(theirs, "root "), "no root line");
	if (info().design & DESIGN_KPTI) {
		expect(strstr(a, "1 of 256 root entries in use, same as the kernel root: no") != NULL,
		       "KPTI: want one kernel-half entry, not the kernel's: %s", a);
		expect(count_leaves(a) == 2 && count_leaves(b) == 2,
		       "KPTI: want 2 kernel-half pages (trampoline, trapframe), got %d and %d:\n%s",
		       count_leaves(a), count_leaves(b), a);
		const char *ta = strstr(a, "va 0xfffffffffffff000 pa ");
		const char *tb = strstr(b, "va 0xfffffffffffff000 pa ");
		expect(ta && tb, "KPTI: no trampoline at 0xfffffffffffff000:\n%s", a);
		expect(strncmp(ta, tb, 50) == 0, "KPTI: two processes' trampolines differ:\n%s\n---\n%s",
		       a, b);
		expect(strstr(a, "va 0xffffffffffffe000 pa ") != NULL, "KPTI: no trapframe:\n%s", a);
		for (const char *l = strstr(a, " va 0x"); l; l = strstr(l + 1, " va 0x")) {
			const char *flags = strchr(strstr(l, " pa 0x") + 4, ' ');
			expect(flags && flags[5] == '-', "KPTI: a kernel-half page is user-accessible: %.60s", l);
		}
	} else {
		expect(strstr(a, "same as the kernel root: yes") != NULL,
		       "our kernel half differs from the kernel's: %s", a);
		expect(strcmp(a, b) == 0, "two processes' kernel halves differ:\n%s\n---\n%s", a, b);
	}
}

static void
no_satp_write_on_syscalls(void)
{
	int p[2];
	char buf[64];

	expect(pipe(p) == 0, "pipe failed");
	uint64_t design = info().design;
	uint64_t before = info().satp_writes;
	for (int i = 0; i < 1000; i++) {
		getpid();
		write(p[1], buf, sizeof(buf));
		read(p[0], buf, sizeof(buf));
	}
	uint64_t writes = info().satp_writes - before;
	if (design & DESIGN_KPTI)
		expect(writes >= 6000, "KPTI: %lu satp writes in 3000 system calls, want two per call",
		       (unsigned long)writes);
	else
		/*
		 * The count is machine-wide: besides reschedules of this
		 * process, idle harts load the kernel's table and other
		 * processes (a shell's `timeout` waking each tick) are switched
		 * to, a few each tick.  A write on the system-call path would
		 * show as 3000.
		 */
		expect(writes < 100, "%lu satp writes during 3000 system calls (want none on the "
		       "path; under 100 allowed for other processes and idle harts)",
		       (unsigned long)writes);
}

/*
 * A trap taken inside a copy runs with SUM off, and the copy goes on with
 * it on: long user-to-user copies in one SUM window each, until timer
 * interrupts have landed inside some.  Had SUM stayed off after one, the
 * rest of that copy would fault and fail.
 */
static void
trap_inside_copy(void)
{
	enum { SIZE = 16 << 20 };

	if (info().design & DESIGN_KPTI) {
		expect(selftest(SELFTEST_COPY_USER, 0) == -1, "KPTI has no SUM window to test");
		return;
	}
	unsigned char *src = sbrk(2 * SIZE);
	expect(src != (unsigned char *)-1, "sbrk failed");
	unsigned char *dst = src + SIZE;
	for (long i = 0; i < SIZE; i += 8)
		*(uint64_t *)(src + i) = (uint64_t)i * 0x9e3779b97f4a7c15ULL;
	memset(dst, 0, SIZE);
	long traps0 = selftest(SELFTEST_TRAPS_IN_COPY, 0);
	long bad0 = selftest(SELFTEST_SUM_IN_TRAP, 0);
	struct selftest_copy c = { (uint64_t)(uintptr_t)dst, (uint64_t)(uintptr_t)src, SIZE };
	for (int round = 0; round < 40 && selftest(SELFTEST_TRAPS_IN_COPY, 0) - traps0 < 3; round++) {
		expect(selftest(SELFTEST_COPY_USER, (uint64_t)(uintptr_t)&c) == 0, "copy %d failed", round);
		expect(memcmp(src, dst, SIZE) == 0, "copy %d: data differs", round);
		memset(dst, 0, 4096);
	}
	long traps = selftest(SELFTEST_TRAPS_IN_COPY, 0) - traps0;
	expect(traps >= 3, "only %ld traps landed inside copies", traps);
	expect(selftest(SELFTEST_SUM_IN_TRAP, 0) == bad0, "a trap handler ran with SUM on");
}

const struct test tests_memory[] = {
	{ "mem_kernel_access_killed", kernel_access_killed },
	{ "mem_vdso_write_killed", vdso_write_killed },
	{ "mem_text_not_writable", text_not_writable },
	{ "mem_data_not_executable", data_not_executable },
	{ "mem_stack_guard", stack_guard },
	{ "mem_kernel_stack_guard", kernel_stack_guard },
	{ "mem_sum_off_outside_copies", sum_off_outside_copies },
	{ "mem_trap_inside_copy", trap_inside_copy },
	{ "mem_unmapped_by_parent_killed", unmapped_by_parent_killed },
	{ "mem_pages_zeroed", pages_are_zeroed },
	{ "mem_sbrk_grow_shrink", sbrk_grow_shrink },
	{ "mem_kernel_tables_shared", kernel_tables_shared },
	{ "mem_no_satp_write_on_syscalls", no_satp_write_on_syscalls },
	{ NULL, NULL },
};

/*
 * The xv6 lab mechanisms in Canopy's own API: sigalarm/sigreturn (a
 * periodic handler on CPU time; every register back exactly; never
 * re-entered; stopped by sigalarm(0, 0); cleared by fork and exec; a
 * process killed in its handler), trace's bad arguments, and pgpte.
 * trace's output goes to the console and is checked by tests/suite_core.py.
 */
#include "utest.h"

long reg_check_loop(long iterations);   /* regcheck.S */

static volatile int alarms;
static volatile int depth, nested;

/* Spin until cond() holds or `ticks` ticks pass; false on timeout. */
static bool
spin_until(bool (*cond)(void), long ticks)
{
	long end = uptime() + ticks;

	while (!cond())
		if (uptime() > end)
			return false;
	return true;
}

static int want_alarms;

static bool
enough_alarms(void)
{
	return alarms >= want_alarms;
}

static void
count_handler(void)
{
	alarms++;
	sigreturn();
}

static void
alarm_periodic(void)
{
	alarms = 0;
	want_alarms = 5;
	expect(sigalarm(2, count_handler) == 0, "sigalarm failed");
	expect(spin_until(enough_alarms, 500), "only %d alarms in 500 ticks", alarms);
	expect(sigalarm(0, NULL) == 0, "sigalarm(0, 0) failed");
	int n = alarms;
	long end = uptime() + 10;
	while (uptime() < end)
		;
	expect(alarms == n, "%d alarms after sigalarm(0, 0)", alarms - n);
}

/* A handler that scribbles on every register it may before sigreturn. */
static void
clobber_handler(void)
{
	alarms++;
	asm volatile("li t0, -1\n li t1, -1\n li t2, -1\n li t3, -1\n li t4, -1\n"
		     "li t5, -1\n li t6, -1\n li a1, -1\n li a2, -1\n li a3, -1\n"
		     "li a4, -1\n li a5, -1\n li a6, -1\n li a7, -1\n li s1, -1\n"
		     "li s2, -1\n li s3, -1\n li s4, -1\n li s5, -1\n li s6, -1\n"
		     "li s7, -1\n li s8, -1\n li s9, -1\n li s10, -1\n li s11, -1\n"
		     ::: "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a1", "a2", "a3", "a4",
		     "a5", "a6", "a7", "s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9",
		     "s10", "s11");
	sigreturn();
}

static void
alarm_restores_every_register(void)
{
	alarms = 0;
	expect(sigalarm(1, clobber_handler) == 0, "sigalarm failed");
	long end = uptime() + 500;
	while (alarms < 8 && uptime() < end) {
		long bad = reg_check_loop(200000);
		expect(bad == 0, "register x%ld changed across an alarm", bad);
	}
	sigalarm(0, NULL);
	expect(alarms >= 8, "only %d alarms interrupted the check", alarms);
}

static void
slow_handler(void)
{
	if (++depth > 1)
		nested = 1;
	long end = uptime() + 4;        /* several intervals */
	while (uptime() < end)
		;
	alarms++;
	depth--;
	sigreturn();
}

static void
alarm_not_reentered(void)
{
	alarms = depth = nested = 0;
	want_alarms = 3;
	expect(sigalarm(1, slow_handler) == 0, "sigalarm failed");
	expect(spin_until(enough_alarms, 500), "only %d alarms", alarms);
	sigalarm(0, NULL);
	expect(!nested, "the handler was entered while it ran");
}

static void
alarm_bad_arguments(void)
{
	expect(__sys_sigalarm(-1, count_handler) == -1, "negative ticks accepted");
	expect(__sys_sigalarm(1, (void (*)(void))KADDR_IMAGE) == -1, "kernel handler accepted");
	expect(__sys_sigalarm(1, (void (*)(void))USER_TOP) == -1, "handler at USER_TOP accepted");
	expect(__sys_sigreturn() == -1, "sigreturn outside a handler succeeded");
	expect(__sys_sigalarm(0, NULL) == 0, "sigalarm(0, 0) failed");
}

/*
 * fork's child starts without the parent's alarm; exec drops it (the new
 * program would jump to the old handler's address and die).
 */
static void
alarm_cleared_by_fork_and_exec(void)
{
	alarms = 0;
	expect(sigalarm(1, count_handler) == 0, "sigalarm failed");
	int pid = xfork();
	if (pid == 0) {
		/* the parent's alarm may have fired before the fork: count from here */
		alarms = 0;
		long end = uptime() + 10;
		while (uptime() < end)
			;
		exit(alarms == 0 ? 0 : 2);
	}
	expect(wait_for(pid) == 0, "the child got its parent's alarm");
	pid = xfork();
	if (pid == 0) {
		char *argv[] = { "utest", "--spin", "10", NULL };
		exec("utest", argv);
		exit(3);
	}
	int st = wait_for(pid);
	expect(st == 0, "after exec the old alarm still fired (status %d)", st);
	sigalarm(0, NULL);
}

static int kill_pipe[2];

static void
stuck_handler(void)
{
	char c = 'h';

	write(kill_pipe[1], &c, 1);
	for (;;)
		;
}

static void
alarm_killed_in_handler(void)
{
	char c;

	expect(pipe(kill_pipe) == 0, "pipe");
	int pid = xfork();
	if (pid == 0) {
		sigalarm(1, stuck_handler);
		for (;;)
			;
	}
	expect(read(kill_pipe[0], &c, 1) == 1, "the handler never ran");
	expect(kill(pid, 9) == 0, "kill failed");
	expect(wait_for(pid) == -1, "killed in its handler: status not -1");
	close(kill_pipe[0]);
	close(kill_pipe[1]);
}

static char shared_word[64];

/* The handler writes a page shared copy-on-write and a lazy heap page. */
static char *lazy_page;

static void
writing_handler(void)
{
	shared_word[0]++;
	lazy_page[100]++;
	alarms++;
	sigreturn();
}

static void
alarm_handler_writes_cow_and_lazy_pages(void)
{
	shared_word[0] = 10;
	int pid = xfork();
	if (pid == 0) {
		lazy_page = sbrk(8192);
		alarms = 0;
		want_alarms = 3;
		sigalarm(1, writing_handler);
		if (!spin_until(enough_alarms, 500))
			exit(2);
		sigalarm(0, NULL);
		exit(shared_word[0] == 10 + alarms && lazy_page[100] == alarms ? 0 : 3);
	}
	int st = wait_for(pid);
	expect(st == 0, "the handler's writes went wrong (status %d)", st);
	expect(shared_word[0] == 10, "the child's writes reached the parent");
}

static void
trace_bad_arguments(void)
{
	expect(__sys_trace(1, 0x80) == -1, "unknown trace flags accepted");
	expect(__sys_trace(0, 0) == 0, "trace(0, 0) failed");
}

/* pgpte: the leaf entry for an address, as the 2025 page-table lab has it. */
static void
pgpte_reports_leaves(void)
{
	uint64_t text = pgpte((void *)pgpte_reports_leaves);
	expect((text & 0x1b) == 0x1b && !(text & 0x4), "text entry %lx: want V R X U, not W",
	       (unsigned long)text);
	expect(pgpte((void *)0) == 0 && pgpte((void *)KADDR_IMAGE) == 0 &&
	       pgpte((void *)USER_TOP) == 0, "unmapped or kernel addresses have an entry");
	char *heap = sbrk(8192);
	uint64_t before = pgpte(heap);
	heap[0] = 1;
	uint64_t after = pgpte(heap);
	if (vdso()->design & DESIGN_LAZY)
		expect(before == 0, "an untouched lazy page has an entry");
	expect((after & 0x17) == 0x17, "a written heap page: entry %lx, want V R W U",
	       (unsigned long)after);
	int pid = xfork();
	if (pid == 0) {
		uint64_t e = pgpte(heap);
		bool cow = vdso()->design & DESIGN_COW;
		exit(cow ? ((e & 0x100) && !(e & 0x4) ? 0 : 2) : ((e & 0x4) ? 0 : 3));
	}
	expect(wait_for(pid) == 0, "the child's entry for a shared page is wrong");
	sbrk(-8192);
}

const struct test tests_labs[] = {
	{ "alarm_periodic", alarm_periodic },
	{ "alarm_restores_every_register", alarm_restores_every_register },
	{ "alarm_not_reentered", alarm_not_reentered },
	{ "alarm_bad_arguments", alarm_bad_arguments },
	{ "alarm_cleared_by_fork_and_exec", alarm_cleared_by_fork_and_exec },
	{ "alarm_killed_in_handler", alarm_killed_in_handler },
	{ "alarm_handler_writes_cow_and_lazy_pages", alarm_handler_writes_cow_and_lazy_pages },
	{ "trace_bad_arguments", trace_bad_arguments },
	{ "pgpte_reports_leaves", pgpte_reports_leaves },
	{ NULL, NULL },
};

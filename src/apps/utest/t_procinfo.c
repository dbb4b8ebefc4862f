/*
 * procinfo(buf, max): the process table as ps sees it.  The caller and
 * its parents are listed with the right pids, states and names; a child
 * is seen asleep and then as a zombie; pages follow the heap; a short
 * buffer gets the first entries only; bad buffers and counts fail with -1.
 */
#include <stddef.h>
#include "utest.h"

static struct procinfo table[NPROC + 1];

/* The entry for pid in the first n of table, or NULL. */
static const struct procinfo *
find(int n, int pid)
{
	for (int i = 0; i < n; i++)
		if (table[i].pid == pid)
			return &table[i];
	return NULL;
}

static int
list(void)
{
	int n = procinfo(table, NPROC);

	expect(n >= 3 && n <= NPROC, "procinfo returned %d entries", n);
	return n;
}

/* Poll until child pid is in state want (2 s at most); its last entry. */
static struct procinfo
wait_state(int pid, int want)
{
	const struct procinfo *e = NULL;

	for (int i = 0; i < 200; i++) {
		e = find(list(), pid);
		expect(e, "child %d is not listed", pid);
		if (e->state == want)
			break;
		sleep_ticks(1);
	}
	return *e;
}

static void
lists_self_and_parents(void)
{
	int n = list();
	const struct procinfo *me = find(n, getpid());
	const struct procinfo *init = find(n, 1);

	expect(me, "the caller (pid %d) is not listed", getpid());
	expect(me->ppid == ugetppid(), "ppid %d, want %d", me->ppid, ugetppid());
	expect(me->state == PROC_STATE_RUNNING, "the caller's state is %d, not running", me->state);
	expect(strcmp(me->name, "utest") == 0, "the caller's name is '%s'", me->name);
	expect(me->pages > 0, "the caller maps no pages");
	const struct procinfo *parent = find(n, me->ppid);
	expect(parent && strcmp(parent->name, "utest") == 0, "the test runner is not listed");
	expect(init && init->ppid == 0 && strcmp(init->name, "init") == 0,
	       "init is not listed as pid 1 with no parent");
	for (int i = 0; i < n; i++) {
		const unsigned char *pad = (const unsigned char *)&table[i] +
			offsetof(struct procinfo, name) + PROC_NAME_LEN;
		expect(table[i].pid > 0 && table[i].state >= PROC_STATE_USED &&
		       table[i].state <= PROC_STATE_ZOMBIE, "entry %d: pid %d, state %d",
		       i, table[i].pid, table[i].state);
		expect(find(i, table[i].pid) == NULL, "pid %d listed twice", table[i].pid);
		for (; pad < (const unsigned char *)&table[i].pages; pad++)
			expect(*pad == 0, "entry %d: padding not zeroed", i);
	}
}

static void
child_sleeping_then_zombie(void)
{
	int p[2];
	char c;

	/* a child blocked on a pipe: a sleep would wake at every tick, and on
	   one hart we would always look while it is runnable again */
	expect(pipe(p) == 0, "pipe failed");
	int pid = xfork();
	if (pid == 0) {
		read(p[0], &c, 1);
		exit(0);
	}
	struct procinfo e = wait_state(pid, PROC_STATE_SLEEPING);
	expect(e.state == PROC_STATE_SLEEPING, "a sleeping child's state is %d", e.state);
	expect(e.ppid == getpid(), "the child's ppid is %d, want %d", e.ppid, getpid());
	expect(kill(pid, 9) == 0, "kill failed");
	e = wait_state(pid, PROC_STATE_ZOMBIE);
	expect(e.state == PROC_STATE_ZOMBIE, "a dead child's state is %d", e.state);
	expect(e.pages == 0, "a zombie maps %lu pages", (unsigned long)e.pages);
	expect(wait(NULL) == pid, "wait failed");
	expect(find(list(), pid) == NULL, "a reaped child is still listed");
}

static void
pages_follow_the_heap(void)
{
	uint64_t before = find(list(), getpid())->pages;
	char *heap = sbrk(16 * PGSIZE);

	expect(heap != (char *)-1, "sbrk failed");
	for (int i = 0; i < 16; i++)
		heap[i * PGSIZE] = 1;
	uint64_t after = find(list(), getpid())->pages;
	expect(after >= before + 16, "pages went from %lu to %lu after touching 16",
	       (unsigned long)before, (unsigned long)after);
	sbrk(-16 * PGSIZE);
}

static void
short_buffer_gets_the_first(void)
{
	int n = list();
	struct procinfo first = table[0];

	memset(table, 0x5a, sizeof(table));
	expect(procinfo(table, 1) == 1, "procinfo(buf, 1) did not return 1");
	expect(table[0].pid == first.pid && strcmp(table[0].name, first.name) == 0,
	       "the one entry is pid %d, not the first (%d)", table[0].pid, first.pid);
	expect(table[1].pid == 0x5a5a5a5a, "procinfo wrote past max");
	expect(procinfo(table, n - 1) == n - 1, "procinfo(buf, n-1) did not return n-1");
	expect(procinfo(table, 0) == 0 && procinfo(NULL, 0) == 0, "max 0 did not return 0");
}

static void
bad_buffers(void)
{
	static const uint64_t bad[] = {
		0, KADDR_LOW, KADDR_IMAGE, KADDR_HIGH, 0xfffffffffffff000UL,
		USER_TOP - 8, VDSO_DATA, USER_STACK_GUARD, 0x3000000000UL,
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect(__sys_procinfo((struct procinfo *)bad[i], 2) == -1,
		       "procinfo into %#lx succeeded", (unsigned long)bad[i]);
	expect(__sys_procinfo(table, -1) == -1, "max -1 succeeded");
	expect(__sys_procinfo(table, -2147483647 - 1) == -1, "max INT_MIN succeeded");
	/* the first entry fits on the heap's last page, the second does not */
	uintptr_t brk = (uintptr_t)sbrk(0);
	long pad = (long)(((brk + PGSIZE - 1) & ~(uintptr_t)(PGSIZE - 1)) - brk);
	char *page = sbrk(pad + PGSIZE);
	expect(page != (char *)-1, "sbrk failed");
	char *end = page + pad + PGSIZE;
	struct procinfo *last = (struct procinfo *)(end - sizeof(struct procinfo));
	expect(__sys_procinfo(last, 1) == 1, "procinfo into the heap's last entry failed");
	expect(__sys_procinfo(last, 2) == -1, "procinfo running off the heap succeeded");
	sbrk(-(pad + PGSIZE));
}

const struct test tests_procinfo[] = {
	{ "procinfo_lists_self_and_parents", lists_self_and_parents },
	{ "procinfo_child_sleeping_then_zombie", child_sleeping_then_zombie },
	{ "procinfo_pages_follow_the_heap", pages_follow_the_heap },
	{ "procinfo_short_buffer", short_buffer_gets_the_first },
	{ "procinfo_bad_buffers", bad_buffers },
	{ NULL, NULL },
};

/*
 * xv6labtests: the traps lab's alarm.  sigalarm(n, fn) calls fn every n
 * ticks of CPU time (Canopy's ticks: 100 Hz); fn ends with sigreturn(),
 * which resumes the interrupted code with its registers as they were
 * (alarmtest's test1 and test3); the handler is never entered again while
 * it runs (test2); sigalarm(0, 0) stops it; a child starts without it.
 */
#include "labtests.h"

static volatile int count;
static volatile int depth, reentered;

static void
periodic(void)
{
	count++;
	sigreturn();
}

/* Spin until count reaches n or ticks pass; did it? */
static int
spin_for(int n, int ticks)
{
	int end = uptime() + ticks;

	while (count < n)
		if (uptime() > end)
			return 0;
	return 1;
}

static void
alarm_periodic(void)
{
	CHECK(sigalarm(2, periodic) == 0, "sigalarm failed");
	CHECK(spin_for(5, 500), "%d alarms in 500 ticks", count);
	CHECK(sigalarm(0, 0) == 0, "sigalarm(0, 0) failed");
	int n = count, end = uptime() + 10;
	while (uptime() < end)
		;
	CHECK(count == n, "%d alarms after sigalarm(0, 0)", count - n);
}

/* test1: a loop calling a function keeps its state across the handler. */
static void __attribute__((noinline))
step(int i, int *j)
{
	*j += 1;
}

static void
alarm_resumes_loop(void)
{
	int i, j = 0;

	CHECK(sigalarm(1, periodic) == 0, "sigalarm failed");
	for (i = 0; i < 500000000; i++) {
		if (count >= 10)
			break;
		step(i, &j);
	}
	sigalarm(0, 0);
	CHECK(count >= 10, "only %d alarms", count);
	CHECK(i == j, "i %d, j %d: the loop's state changed across the handler", i, j);
}

/* A handler that scribbles on every caller-saved register. */
static void
clobber(void)
{
	count++;
	asm volatile("li t0, -1\n li t1, -1\n li t2, -1\n li t3, -1\n li t4, -1\n"
		     "li t5, -1\n li t6, -1\n li a0, -1\n li a1, -1\n li a2, -1\n"
		     "li a3, -1\n li a4, -1\n li a5, -1\n li a6, -1\n li a7, -1\n"
		     ::: "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a0", "a1", "a2", "a3",
		     "a4", "a5", "a6", "a7");
	sigreturn();
}

/*
 * test3 and more: values in a0 and every temporary and argument register
 * (s1 counts) survive a spin during which alarms come and go.  0 if all
 * came through.
 */
static uint64
spin_with_registers(uint64 n)
{
	register uint64 a0 asm("a0") = 0xac;
	register uint64 s1 asm("s1") = n;

	asm volatile("li t0, 1\n li t1, 2\n li t2, 3\n li t3, 4\n li t4, 5\n li t5, 6\n"
		     "li t6, 7\n li a1, 8\n li a2, 9\n li a3, 10\n li a4, 11\n li a5, 12\n"
		     "li a6, 13\n li a7, 14\n"
		     "1: addi s1, s1, -1\n bnez s1, 1b\n"
		     "addi a0, a0, -0xac\n"
		     "addi t0, t0, -1\n or a0, a0, t0\n addi t1, t1, -2\n or a0, a0, t1\n"
		     "addi t2, t2, -3\n or a0, a0, t2\n addi t3, t3, -4\n or a0, a0, t3\n"
		     "addi t4, t4, -5\n or a0, a0, t4\n addi t5, t5, -6\n or a0, a0, t5\n"
		     "addi t6, t6, -7\n or a0, a0, t6\n addi a1, a1, -8\n or a0, a0, a1\n"
		     "addi a2, a2, -9\n or a0, a0, a2\n addi a3, a3, -10\n or a0, a0, a3\n"
		     "addi a4, a4, -11\n or a0, a0, a4\n addi a5, a5, -12\n or a0, a0, a5\n"
		     "addi a6, a6, -13\n or a0, a0, a6\n addi a7, a7, -14\n or a0, a0, a7\n"
		     : "+r" (a0), "+r" (s1)
		     :
		     : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a1", "a2", "a3", "a4", "a5",
		       "a6", "a7", "memory");
	return a0;
}

static void
alarm_keeps_registers(void)
{
	CHECK(sigalarm(1, clobber) == 0, "sigalarm failed");
	for (int round = 0; round < 50 && count < 5; round++)
		CHECK(spin_with_registers(20000000) == 0, "a register changed across the handler");
	sigalarm(0, 0);
	CHECK(count >= 5, "only %d alarms came during the spins", count);
}

/* test2: a slow handler is not entered again while it runs. */
static void
slow(void)
{
	if (++depth > 1)
		reentered = 1;
	int end = uptime() + 5;
	while (uptime() < end)
		;
	count++;
	depth--;
	sigreturn();
}

static void
alarm_not_reentered(void)
{
	CHECK(sigalarm(1, slow) == 0, "sigalarm failed");
	CHECK(spin_for(3, 500), "only %d alarms", count);
	sigalarm(0, 0);
	CHECK(!reentered, "the handler was entered while it ran");
}

/* A forked child does not inherit the alarm. */
static void
alarm_not_inherited(void)
{
	CHECK(sigalarm(1, periodic) == 0, "sigalarm failed");
	int pid = fork();
	CHECK(pid >= 0, "fork failed");
	if (pid == 0) {
		int before = count, end = uptime() + 10;
		while (uptime() < end)
			;
		exit(count == before ? 0 : 1);
	}
	CHECK(wait_status(pid) == 0, "the child ran its parent's handler");
	sigalarm(0, 0);
}

struct xv6t_test trap_tests[] = {
	{ "alarm_periodic", alarm_periodic },
	{ "alarm_resumes_loop", alarm_resumes_loop },
	{ "alarm_keeps_registers", alarm_keeps_registers },
	{ "alarm_not_reentered", alarm_not_reentered },
	{ "alarm_not_inherited", alarm_not_inherited },
	{ 0, 0 },
};

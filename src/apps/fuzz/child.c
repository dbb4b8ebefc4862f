/*
 * A batch: one child process that makes K random system calls and dies.
 *
 * The child first replaces its descriptors (nothing of the console stays,
 * unless verbose) with pipes and files of its worker's folder, and lays
 * out its heap: a touched scratch buffer, a lazy region no one has touched
 * and a last page whose end is the break.  Before each call it writes the
 * call on the progress pipe (so the worker knows the last call if the
 * child never comes back), settles the few arguments that could end the
 * run rather than find a bug (kill of a process not its own, long sleeps,
 * a heap bigger than HEAP_CAP, exec of anything but true, the console's
 * device number, memory set aside by selftest down to almost nothing), and after it checks what the kernel must never answer
 * (check.c).  Such an answer is sent as a failure record and ends the
 * batch.
 *
 * A process forked by a call exits at once, after a write or two that
 * breaks copy-on-write sharing; the batch remembers its pid (it may kill it).
 */
#include <string.h>
#include <stdio.h>
#include "fuzz.h"

#define CONSOLE_MAJOR 1

static struct arena ar;
static int progress = -1;
static int verbose_fd = -1;
static char linebuf[256];
static int batch_worker;
static long batch_no;
static int batch_progress_fd;
/* The stack the batch runs on: below the heap, where no copy can reach it */
static char batch_stack[16384] __attribute__((aligned(16)));
static long results[3];         /* of the last three calls, the last first */

extern char _end[], __tls_base[];

#define STR(x) #x
#define XSTR(x) STR(x)

/* sigalarm's handler: back at once, every register as it was. */
asm(".text\n"
    ".globl fuzz_alarm_handler\n"
    ".balign 4\n"
    "fuzz_alarm_handler:\n"
    "	li a7, " XSTR(SYS_sigreturn) "\n"
    "	ecall\n"
    "	unimp\n");

/* ------------------------------------------------------------------ setup */

/* Give the open file at fd the number target instead (target must be free). */
static void
move_fd(int fd, int target)
{
	int made[NOFILE], n = 0, got;

	while ((got = (int)__sys_dup(fd)) >= 0 && got != target)
		made[n++] = got;
	while (n > 0)
		__sys_close(made[--n]);
	__sys_close(fd);
}

/*
 * Close every descriptor but the progress pipe, which becomes
 * FD_PROGRESS, and with verbose the console (fd 1), which becomes
 * FD_CONSOLE.  (A Linux batch starts from these two as well.)
 */
void
child_keep_fds(int progress_fd, bool verbose)
{
	for (int fd = 0; fd < NOFILE; fd++)
		if (fd != progress_fd && !(verbose && fd == 1))
			__sys_close(fd);
	if (verbose)
		move_fd(1, FD_CONSOLE);
	move_fd(progress_fd, FD_PROGRESS);
}

/*
 * Descriptors: 0 a pipe holding 100 bytes, with no writer; 1 the file a;
 * 2 a pipe with no reader; 3 and 4 a pipe holding 4 KiB, both ends ours
 * (reading it dry blocks); 5 the folder; 6 the file b, read-only.  (If
 * a or b is gone, the numbers shift: that too depends on the calls only.)
 */
static void
setup_fds(int progress_fd, bool verbose)
{
	int p[2];

	child_keep_fds(progress_fd, verbose);
	verbose_fd = verbose ? FD_CONSOLE : -1;
	progress = FD_PROGRESS;

	__sys_pipe(p);
	__sys_write(p[1], (void *)ar.scratch, 100);
	__sys_close(p[1]);
	__sys_open("a", CANOPY_O_RDWR);
	__sys_pipe(p);
	__sys_close(p[0]);
	__sys_dup(p[1]);
	__sys_close(p[1]);
	__sys_pipe(p);
	__sys_write(p[1], (void *)ar.scratch, 4096);
	__sys_open(".", CANOPY_O_RDONLY);
	__sys_open("b", CANOPY_O_RDONLY);
}

/*
 * The heap: the break to a page boundary, then SCRATCH_SIZE bytes
 * touched, LAZY_SIZE bytes untouched and one page whose last bytes are
 * touched; the break ends that page.
 */
static void
setup_heap(void)
{
	uint64_t brk = (uint64_t)__sys_sbrk(0, SBRK_DEFAULT);

	__sys_sbrk((long)((PGSIZE - brk % PGSIZE) % PGSIZE), SBRK_LAZY);
	ar.scratch = (uint64_t)__sys_sbrk(SCRATCH_SIZE + LAZY_SIZE + PGSIZE, SBRK_LAZY);
	ar.lazy = ar.scratch + SCRATCH_SIZE;
	ar.edge = ar.lazy + LAZY_SIZE;
	ar.brk = ar.edge + PGSIZE;
	for (int i = 0; i < SCRATCH_SIZE; i++)
		((char *)ar.scratch)[i] = (char)(i * 7 + 1);
	memset((char *)ar.brk - 64, 'X', 64);
	ar.heap_start = ((uint64_t)_end + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1);
}

/* ------------------------------------------------------ before each call */

static bool
is_kid(int pid)
{
	return draw_in(ar.kids, ar.nkids, pid);
}

static bool
is_fd_call(uint64_t nr)
{
	return nr == SYS_read || nr == SYS_write || nr == SYS_close || nr == SYS_dup ||
	       nr == SYS_fstat || nr == SYS_lseek;
}

/* Where FILL_EDGE_STR puts its 32 bytes: they end where the mapped heap ends. */
static uint64_t
edge_string(void)
{
	return ((ar.brk + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1)) - 32;
}

/* Is a the start of our own memory laid out for this call? */
static bool
ours(uint64_t a, uint64_t len)
{
	return a >= ar.scratch && a + len <= ((ar.brk + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1)) &&
	       a + len <= USER_HEAP_LIMIT;
}

/* A pipe end a plan's pipe() stored in the scratch buffer, or -1. */
static uint64_t
pipe_end(int i)
{
	uint64_t a = ar.scratch + PIPE_FDS + 4 * i;

	return ours(a, 4) ? (uint64_t)(long)*(int *)a : -1UL;
}

/*
 * Settle an argument drawn as fill: lay out what it points at, or give it
 * the value it stands for.  False if the memory cannot be laid out here.
 */
static bool
fill_arg(uint64_t *arg, int fill)
{
	static const char *const words[] = { "true-fuzzed", "a", "", "-x", "XYZ" };
	uint64_t a = *arg;
	uint64_t *v = (uint64_t *)a;

	switch (fill) {
	case FILL_RESULT1:
	case FILL_RESULT2:
	case FILL_RESULT3:
		*arg = (uint64_t)results[fill - FILL_RESULT1];
		return true;
	case FILL_PIPE_READ:
	case FILL_PIPE_WRITE:
		*arg = pipe_end(fill - FILL_PIPE_READ);
		return true;
	case FILL_EDGE_STR:
		if (!ours(a, 32))
			return false;
		memset((char *)a, 'X', 32);
		return true;
	case FILL_EDGE_ARGV:
		if (!ours(a, 32))
			return false;
		for (int i = 0; i < 4; i++)
			v[i] = (uint64_t)words[i % 2];
		return true;
	case FILL_ARGV:
	case FILL_ARGV_MANY:
	case FILL_ARGV_LONG:
	case FILL_ARGV_HOSTILE: {
		int n = fill == FILL_ARGV_MANY ? MAXARG + 3 : 4;
		if (!ours(a, (n + 1) * 8 + 600))
			return false;
		char *longarg = (char *)(a + (n + 1) * 8);
		memset(longarg, 'L', 599);
		longarg[599] = 0;
		for (int i = 0; i < n; i++)
			v[i] = (uint64_t)words[i % 5];
		if (fill == FILL_ARGV_LONG)
			v[1] = (uint64_t)longarg;
		if (fill == FILL_ARGV_HOSTILE)
			v[2] = 0xffffffc080000000UL;
		v[n] = 0;
		return true;
	}
	}
	return true;
}

/* The calls trace may print (link: two paths to decode), and bits of no call. */
#define TRACE_ALLOWED ((1UL << SYS_link) | ~((1UL << NSYSCALL) - 1))

/*
 * sigalarm(ticks, handler): a handler in the program's text could be any
 * function of it, run with any registers: always fuzz_alarm_handler
 * instead.  Three times in four any other handler too; the fourth, the
 * address stays, and the child dies of a fetch fault when the alarm rings.
 */
static void
settle_alarm(struct call *c)
{
	uint64_t h = c->a[1];

	if (h == (uint64_t)fuzz_alarm_handler)
		return;
	if ((h >= USER_TEXT_BASE && h < (uint64_t)__tls_base) || (h >> 12) % 4)
		c->a[1] = (uint64_t)fuzz_alarm_handler;
}

/*
 * Make the call safe to make: it may fail in any way, but it must not end
 * the run for a reason that is not a kernel bug.
 */
static void
settle(struct call *c)
{
	for (int i = 0; i < 6; i++)
		if (c->fill[i] && !fill_arg(&c->a[i], c->fill[i]))
			c->a[i] = 0xffffffc000000000UL + 0x80000000UL;
	int a0 = (int)c->a[0];
	if (is_fd_call(c->nr) && (a0 == FD_PROGRESS || a0 == FD_CONSOLE))
		c->a[0] = -1UL;
	switch (c->nr) {
	case SYS_poweroff:
		c->nr = SYS_getpid;
		break;
	case SYS_kill:
		if (!(a0 <= 0 || a0 == ar.pid || (a0 > ar.pid && is_kid(a0))))
			c->a[0] = 0x7fffffff;   /* nobody */
		break;
	case SYS_sleep:
		if (a0 > 3)
			c->a[0] = (uint64_t)(a0 & 3);
		break;
	case SYS_sbrk:
		if (!sbrk_must_fail(&ar, ar.brk, (long)c->a[0]) && ar.brk + c->a[0] > ar.scratch + HEAP_CAP)
			c->a[0] = 0;
		break;
	case SYS_mmap:
		/* mappings are lazy, but a write() from one faults every page in */
		if (c->a[1] > MMAP_CAP && c->a[1] <= USER_STACK_GUARD)
			c->a[1] = (c->a[1] & (MMAP_CAP - 1)) | PGSIZE;
		break;
	case SYS_trace:
		/* lines on the console only for a few calls (and bits of no call) */
		c->a[0] &= TRACE_ALLOWED;
		break;
	case SYS_sigalarm:
		settle_alarm(c);
		break;

	case SYS_mknod:
		if ((int)c->a[1] == CONSOLE_MAJOR)
			c->a[1] = CONSOLE_MAJOR + 1;    /* no driver */
		break;
	case SYS_selftest:
		/*
		 * Setting aside all free memory makes the OOM killer kill other
		 * processes (it does not count the pages against the caller):
		 * a worker may die for it.  Leave at least half of memory.  (A
		 * count above all pages stays: it must set nothing aside.)
		 */
		if (a0 == SELFTEST_SET_ASIDE && c->a[1] < SET_ASIDE_KEEP)
			c->a[1] = SET_ASIDE_KEEP + (c->a[1] & 1023);
		break;
	case SYS_exec:
	case SYS_execve:
		/* a path of exec_paths, or one the kernel cannot read to its end */
		if (!addr_is_exec_path(c->a[0]) && addr_readable(&ar, c->a[0]) &&
		    !(c->fill[0] == FILL_EDGE_STR && c->a[0] == edge_string()))
			c->a[0] = (uint64_t)exec_paths[c->a[0] % n_exec_paths];
		if ((opt.skip & SKIP_EXEC) && addr_is_exec_path(c->a[0]))
			c->a[0] = (uint64_t)"/bin/no-such-program";
		break;
	}
}

/* ---------------------------------------------------------------- reports */

static void
send(uint32_t kind, int index, const struct call *c, long result, uint32_t why)
{
	struct record rec = { .kind = kind, .index = (uint32_t)index, .c = *c,
			      .result = result, .why = why };

	strncpy(rec.name, call_name(c->nr), sizeof(rec.name) - 1);

	__sys_write(progress, &rec, sizeof(rec));
}

static void
say(const char *fmt, long v)
{
	if (verbose_fd < 0)
		return;
	int n = snprintf(linebuf, sizeof(linebuf), fmt, v);
	__sys_write(verbose_fd, linebuf, n < (int)sizeof(linebuf) ? n : (int)sizeof(linebuf) - 1);
}

static void
say_call(int index, const struct call *c)
{
	if (verbose_fd < 0)
		return;
	int n = snprintf(linebuf, sizeof(linebuf), "fuzz: w%d b%ld ", batch_worker, batch_no);
	n += format_call(linebuf + n, sizeof(linebuf) - n - 1, index, call_name(c->nr), c);
	if (n > (int)sizeof(linebuf) - 2)
		n = sizeof(linebuf) - 2;
	linebuf[n++] = '\n';
	__sys_write(verbose_fd, linebuf, n);
}

/* verbose: the result, and the free pages after the call (not a fuzzed call). */
static void
say_result(long r)
{
	struct sysinfo si;

	if (verbose_fd < 0)
		return;
	__sys_sysinfo(&si, SYSINFO_CANOPY);
	int n = snprintf(linebuf, sizeof(linebuf), "  = %ld (%lu pages free)\n", r,
			 (unsigned long)si.free_pages);
	__sys_write(verbose_fd, linebuf, n < (int)sizeof(linebuf) ? n : (int)sizeof(linebuf) - 1);
}

static void __attribute__((noreturn))
fail_batch(int index, const struct call *c, long r, uint32_t why)
{
	send(REC_FAIL, index, c, r, why);
	say("fuzz: that call failed a check\n", 0);
	__sys_exit(3);
}

/* ------------------------------------------------------------------ batch */

/*
 * A process forked by a call: break some sharing, sometimes sleep a tick
 * (so that the batch may kill it, or wait for it, while it sleeps), and go.
 */
static void __attribute__((noreturn))
forked(void)
{
	static volatile int touched;

	touched++;
	if (ar.scratch + 64 <= ar.brk)
		((volatile char *)ar.scratch)[64] = 1;
	if (ugetpid() % 4 == 0)
		__sys_sleep(1);
	__sys_exit(touched);
}

static void
after_call(const struct call *c, long r)
{
	results[2] = results[1];
	results[1] = results[0];
	results[0] = r;
	if (c->nr == SYS_sbrk && r != -1)
		ar.brk += c->a[0];
	if (c->nr == SYS_fork && r > 0 && ar.nkids < MAX_KIDS)
		ar.kids[ar.nkids++] = (int)r;
	if (c->nr == SYS_mmap && r != -1) {
		if (ar.nmaps < MAX_MAPS) {
			ar.maps[ar.nmaps][0] = (uint64_t)r;
			ar.maps[ar.nmaps][1] = (uint64_t)r + ((c->a[1] + PGSIZE - 1) & ~(uint64_t)(PGSIZE - 1));
		}
		if (ar.nmaps <= MAX_MAPS)
			ar.nmaps++;
	}
}

/* The batch itself, on batch_stack. */
static void __attribute__((noreturn))
batch(void)
{
	uint64_t rng;
	struct call c;

	ar.pid = ugetpid();
	ar.worker_pid = ugetppid();
	ar.arg_area = arg_area;
	check_start();
	setup_heap();
	setup_fds(batch_progress_fd, opt.verbose);
	rng_seed(&rng, opt.seed, (uint64_t)batch_worker, (uint64_t)batch_no);

	for (int i = 0; i < opt.k; i++) {
		gen_call(&rng, &ar, &c);
		settle(&c);
		send(REC_CALL, i, &c, 0, 0);
		say_call(i, &c);
		uint64_t old_brk = ar.brk, ticks = uuptime();
		long r = fuzz_ecall(&c);
		if (ugetpid() != ar.pid)
			forked();
		say_result(r);
		after_call(&c, r);
		uint32_t why = check_call(&ar, &c, r, old_brk, ticks);
		if (!why)
			why = check_vdso(ar.pid);
		if (why && !(opt.skip & (1u << why)))
			fail_batch(i, &c, r, why);
	}
	if (hash_text() != text_hash) {
		memset(&c, 0, sizeof(c));
		fail_batch(opt.k, &c, 0, WHY_TEXT_CHANGED);
	}
	__sys_exit(0);
}

/*
 * Run batch number batch of worker worker, reporting on progress_fd.
 * The batch runs on a stack of its own in bss, below the heap: the calls
 * write anywhere in the real stack and the heap (copies go up from where
 * they start), and nothing of the fuzzer's own state lies there.
 */
void
child_main(int worker, long batch_number, int progress_fd)
{
	batch_worker = worker;
	batch_no = batch_number;
	batch_progress_fd = progress_fd;
	asm volatile("mv sp, %1\n\tjr %0"
		     : : "r"(batch), "r"(batch_stack + sizeof(batch_stack)) : "memory");
	__builtin_unreachable();
}

/*
 * fuzz-linux seed=S k=K worker=W batch=B skip=BITS dir=D [verbose]
 * fuzz-linux tty
 *
 * One batch of fuzz's Linux mode (lfuzz.h says what the parts do).  fuzz
 * starts it with the progress pipe at FD_PROGRESS and, verbose, the
 * console at FD_CONSOLE; before each call it sends the call on the pipe,
 * after it the checks' verdict if one failed (then it exits 3).  With
 * "tty" it only puts the console back in canonical mode (a batch killed
 * while it had the console raw leaves it so).  Anything else: exit 2,
 * silently (a fuzzed execve may start it with any arguments).
 *
 * The batch is a session of its own, so what it does to process groups
 * and the console's foreground group stays among its own processes.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include "lfuzz.h"

struct arena ar;

static struct {
	uint64_t seed;
	long k, worker, batch;
	uint32_t skip;
	const char *dir;
	bool verbose;
} opt = { .k = -1, .worker = -1, .batch = -1 };

/* ------------------------------------------------------------ the console */

static char line[320];
static int line_len;

static void
put(const char *s)
{
	while (*s && line_len < (int)sizeof(line) - 1)
		line[line_len++] = *s++;
}

static void
put_hex(uint64_t v)
{
	char buf[19];
	int n = 0;

	put("0x");
	do
		buf[n++] = "0123456789abcdef"[v & 15];
	while ((v >>= 4) && n < 16);
	while (n > 0 && line_len < (int)sizeof(line) - 1)
		line[line_len++] = buf[--n];
}

static void
put_dec(long v)
{
	char buf[24];
	int n = 0;
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	if (v < 0)
		put("-");
	do
		buf[n++] = (char)('0' + u % 10);
	while ((u /= 10) && n < 20);
	while (n > 0 && line_len < (int)sizeof(line) - 1)
		line[line_len++] = buf[--n];
}

static void
flush_line(void)
{
	put("\n");
	if (opt.verbose)
		sys3(SYS_write, FD_CONSOLE, line, line_len);
	line_len = 0;
}

/* verbose: "fuzz: wW bB #i name[nr](a0, ..., a5)" before the call */
static void
say_call(int index, const struct call *c)
{
	put("fuzz: w");
	put_dec(opt.worker);
	put(" b");
	put_dec(opt.batch);
	put(" #");
	put_dec(index);
	put(" ");
	put(call_name(c->nr));
	put("[");
	put_dec((long)c->nr);
	put("](");
	for (int i = 0; i < 6; i++) {
		put_hex(c->a[i]);
		put(i < 5 ? ", " : ")");
	}
	flush_line();
}

static void
say_result(long r)
{
	put("  = ");
	put_dec(r);
	flush_line();
}

/* ---------------------------------------------------------------- records */

static void
send(uint32_t kind, int index, const struct call *c, long result, uint32_t why)
{
	struct record rec = { .kind = kind, .index = (uint32_t)index, .c = *c,
			      .result = result, .why = why };
	const char *name = call_name(c->nr);

	for (unsigned i = 0; i < sizeof(rec.name) - 1 && name[i]; i++)
		rec.name[i] = name[i];
	for (long done = 0, n; done < (long)sizeof(rec); done += n > 0 ? n : 0) {
		n = sys3(SYS_write, FD_PROGRESS, (char *)&rec + done, sizeof(rec) - done);
		if (n < 0 && n != -EINTR)
			break;
	}
}

/* ------------------------------------------------------------------ setup */

static bool
number(const char *arg, const char *key, uint64_t *v)
{
	return draw_number(arg, key, v);
}

static bool
parse(int argc, char *argv[])
{
	uint64_t v;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (number(a, "seed", &v))
			opt.seed = v;
		else if (number(a, "k", &v) && v >= 1 && v <= FUZZ_MAX_K)
			opt.k = (long)v;
		else if (number(a, "worker", &v) && v < 64)
			opt.worker = (long)v;
		else if (number(a, "batch", &v))
			opt.batch = (long)v;
		else if (number(a, "skip", &v))
			opt.skip = (uint32_t)v;
		else if (strncmp(a, "dir=/tmp/", 9) == 0)
			opt.dir = a + 4;
		else if (strcmp(a, "verbose") == 0)
			opt.verbose = true;
		else
			return false;
	}
	return opt.k > 0 && opt.worker >= 0 && opt.batch >= 0 && opt.dir;
}

/* The program's read-only and writable segments, from its program headers. */
static void
find_segments(void)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)getauxval(AT_PHDR);
	int n = (int)getauxval(AT_PHNUM);

	ar.text_lo = ar.data_lo = -1UL;
	for (int i = 0; i < n; i++) {
		if (ph[i].p_type != PT_LOAD)
			continue;
		uint64_t lo = ph[i].p_vaddr, hi = ph[i].p_vaddr + ph[i].p_memsz;
		if (ph[i].p_flags & PF_W) {
			ar.data_lo = lo < ar.data_lo ? lo : ar.data_lo;
			ar.data_hi = hi > ar.data_hi ? hi : ar.data_hi;
		} else {
			ar.text_lo = lo < ar.text_lo ? lo : ar.text_lo;
			ar.text_hi = hi > ar.text_hi ? hi : ar.text_hi;
		}
	}
	ar.text_lo &= ~(uint64_t)(PGSIZE - 1);
	ar.text_hi &= ~7UL;
}

/*
 * The arena: scratch (touched), lazy (never touched), the edge page, and
 * an unmapped page after it; one mapping, so nothing of the fuzzer's
 * lies past a buffer the kernel may run off.
 */
static bool
setup_arena(void)
{
	uint64_t size = SCRATCH_SIZE + LAZY_SIZE + 2 * PGSIZE;
	long a = sys6(SYS_mmap, 0, (long)size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		      -1, 0);

	if (a < 0 || sys2(SYS_munmap, a + size - PGSIZE, PGSIZE) < 0)
		return false;
	ar.scratch = (uint64_t)a;
	ar.lazy = ar.scratch + SCRATCH_SIZE;
	ar.edge = ar.lazy + LAZY_SIZE;
	for (int i = 0; i < SCRATCH_SIZE; i++)
		((char *)ar.scratch)[i] = (char)(i * 7 + 1);
	memset((char *)ar.edge + PGSIZE - 64, 'X', 64);
	return true;
}

static uint64_t
rdev_of(long fd)
{
	struct stat st;

	return fd >= 0 && sys2(SYS_fstat, fd, &st) == 0 ? st.st_rdev : 0;
}

static long
open_at(const char *path, int flags)
{
	return sys4(SYS_openat, AT_FDCWD, path, flags, 0644);
}

/*
 * Descriptors: 0 a pipe holding 100 bytes, with no writer; 1 the file a;
 * 2 a pipe with no reader; 3 and 4 a pipe holding 4 KiB, both ends ours;
 * 5 the folder; 6 the file b, read-only; 7 the console; 8 /dev/null;
 * 9 /dev/zero.  (If a or b is gone, the numbers shift: that too depends
 * on the calls only.)
 */
static void
setup_fds(void)
{
	int p[2];

	for (int fd = 0; fd < NOFILE; fd++)
		if (fd != FD_PROGRESS && !(opt.verbose && fd == FD_CONSOLE))
			sys1(SYS_close, fd);
	sys2(SYS_pipe2, p, 0);
	sys3(SYS_write, p[1], ar.scratch, 100);
	sys1(SYS_close, p[1]);
	open_at("a", O_RDWR);
	sys2(SYS_pipe2, p, 0);
	sys1(SYS_close, p[0]);
	sys1(SYS_dup, p[1]);
	sys1(SYS_close, p[1]);
	sys2(SYS_pipe2, p, 0);
	sys3(SYS_write, p[1], ar.scratch, 4096);
	open_at(".", O_RDONLY | O_DIRECTORY);
	open_at("b", O_RDONLY);
	ar.console_rdev = rdev_of(open_at("/dev/console", O_RDWR));
	ar.null_rdev = rdev_of(open_at("/dev/null", O_RDWR));
	ar.zero_rdev = rdev_of(open_at("/dev/zero", O_RDONLY));
	long fd = open_at("/dev/urandom", O_RDONLY);
	ar.urandom_rdev = rdev_of(fd);
	sys1(SYS_close, fd);
}

static bool
setup(void)
{
	struct { uint64_t handler, flags, mask; } ign = { (uint64_t)SIG_IGN, 0, 0 };

	find_segments();
	ar.vdso = getauxval(AT_SYSINFO_EHDR);
	ar.pid = (int)sys0(SYS_getpid);
	ar.worker_pid = (int)sys0(SYS_getppid);
	ar.brk_start = ar.brk = ar.brk_hi = (uint64_t)sys1(SYS_brk, 0);
	if (!setup_arena() || sys1(SYS_chdir, opt.dir) < 0)
		return false;
	sys0(SYS_setsid);
	gen_set_dir(opt.dir);
	setup_fds();
	/* a write to the pipe without a reader (fd 2) fails, rather than end the batch */
	sys4(SYS_rt_sigaction, SIGPIPE, &ign, 0, 8);
	tty_save();
	check_start();
	return true;
}

/* ------------------------------------------------------------------ batch */

static long
make_call(const struct call *c)
{
	if (c->nr == SYS_clone)
		return clone_call(c);
	if (c->nr == SYS_rt_sigreturn)
		return forged_sigreturn(c->a[0]);
	return fuzz_ecall(c);
}

/*
 * A process a clone made: break some copy-on-write sharing, sometimes
 * sleep a tick (so that the batch may kill it, or wait for it, while it
 * sleeps), and go.  It runs on whatever stack clone gave it.
 */
void
clone_kid(void)
{
	static volatile int touched;
	struct { long s, ns; } tick = { 0, 10000000 };

	sys1(SYS_close, FD_PROGRESS);   /* the worker reads the records until no writer is left */
	touched++;
	if (ours(ar.scratch + 64, 1))
		((volatile char *)ar.scratch)[64] = 1;
	if (sys0(SYS_getpid) % 4 == 0)
		sys2(SYS_nanosleep, &tick, 0);
	sys1(SYS_exit_group, touched);
	for (;;)
		;
}

static void __attribute__((noreturn))
fail(int index, const struct call *c, long r, uint32_t why)
{
	send(REC_FAIL, index, c, r, why);
	put("fuzz: that call failed a check");
	flush_line();
	sys1(SYS_exit_group, 3);
	for (;;)
		;
}

int
main(int argc, char *argv[])
{
	uint64_t rng;
	long results[2] = { 0, 0 };
	struct call c;

	if (argc == 2 && strcmp(argv[1], "tty") == 0) {
		tty_save();
		return 0;
	}
	if (!parse(argc, argv) || !setup())
		return 2;
	ar.skip = opt.skip;
	rng_seed(&rng, opt.seed, (uint64_t)opt.worker, (uint64_t)opt.batch);
	for (int i = 0; i < opt.k; i++) {
		gen_call(&rng, &c);
		settle(&c, results, opt.verbose);
		send(REC_CALL, i, &c, 0, 0);
		if (opt.verbose)
			say_call(i, &c);
		uint64_t old_brk = ar.brk;
		long r = make_call(&c);
		if (opt.verbose)
			say_result(r);
		results[1] = results[0];
		results[0] = r;
		after_call(&c, r);
		uint32_t why = check_call(&c, r, old_brk);
		if (why && !(opt.skip & (1u << why)))
			fail(i, &c, r, why);
	}
	memset(&c, 0, sizeof(c));
	uint32_t why = check_end();
	if (why && !(opt.skip & (1u << why)))
		fail(opt.k, &c, 0, why);
	sys1(SYS_exit_group, 0);
	return 0;
}

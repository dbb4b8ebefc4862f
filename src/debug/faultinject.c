/*
 * Fault injection (DEBUG kernels only).  The kernel command line may hold
 *
 *     fail=KIND:N[,KIND:N...] [failseed=S]
 *
 * with KIND one of page (kalloc() returns NULL), disk (a virtio-blk
 * request is not sent and completes at once with an I/O error) or buf (a
 * buffer-cache miss finds no buffer, as if all were in use).  Each such
 * event then fails with probability 1/N: event number i of a kind (counted
 * from boot) fails when a hash of (S, kind, i) is divisible by N: the
 * seed fixes which event numbers fail (which operations they are depends
 * on timing).  S defaults to 1.  Only what processes other than init (pid 1) ask for
 * can fail: boot, mounting and init itself are never failed (a kernel
 * that cannot boot proves nothing; init's survival is a policy of its
 * own).  Arguments after "cmd=" are the shell's, not ours.
 *
 * Invariants: the rates and seed are set once, by the first call, which
 * comes from kalloc() on the boot hart before any other hart runs; after
 * that the counters only grow, atomically.
 */
#include "debug/faultinject.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include "boot/fdt.h"
#include "sched/proc.h"
#include "sched/trap.h"
#include "vm/kalloc.h"
#include "vm/vmobj.h"

#ifdef DEBUG

static const char *const kind_names[NFAULT] = { "page", "disk", "buf" };

static struct {
	bool parsed;
	bool given;             /* fail= was on the command line */
	uint64 seed;
	uint32 rate[NFAULT];    /* 0: never fail */
	uint64 seen[NFAULT];    /* events that could have failed, atomic */
	uint64 failed[NFAULT];  /* events made to fail, atomic */
} fi;

/* The number at *sp (decimal), advancing past it; -1 if there is none. */
static long
parse_number(const char **sp)
{
	const char *s = *sp;
	long n = 0;

	if (*s < '0' || *s > '9')
		return -1;
	while (*s >= '0' && *s <= '9' && n < 1000000000)
		n = n * 10 + (*s++ - '0');
	*sp = s;
	return n;
}

/* One "KIND:N" item of fail=, ending at a ',' or the end of the word. */
static void
parse_item(const char **sp)
{
	const char *s = *sp;
	int k;

	for (k = 0; k < NFAULT; k++) {
		uint64 len = strlen(kind_names[k]);
		if (strncmp(s, kind_names[k], len) == 0 && s[len] == ':') {
			s += len + 1;
			break;
		}
	}
	long n = k < NFAULT ? parse_number(&s) : -1;
	bool ok = n >= 0 && (*s == ',' || *s == ' ' || *s == 0);
	if (ok)
		fi.rate[k] = (uint32)n;
	while (*s != ',' && *s != ' ' && *s != 0)
		s++;
	if (!ok) {
		char item[24];
		uint64 len = (uint64)(s - *sp) + 1;
		strlcpy(item, *sp, len < sizeof(item) ? len : sizeof(item));
		kprintf("faultinject: cannot read \"%s\" in fail=: ignored\n", item);
	}
	*sp = s;
}

/* Read fail= and failseed= from the words before cmd=. */
static void
parse_bootargs(void)
{
	const char *s = platform.bootargs;

	fi.seed = 1;
	while (*s) {
		while (*s == ' ')
			s++;
		if (strncmp(s, "cmd=", 4) == 0)
			break;
		if (strncmp(s, "fail=", 5) == 0) {
			fi.given = true;
			s += 5;
			parse_item(&s);
			while (*s == ',') {
				s++;
				parse_item(&s);
			}
		} else if (strncmp(s, "failseed=", 9) == 0) {
			s += 9;
			long n = parse_number(&s);
			if (n >= 0)
				fi.seed = (uint64)n;
		}
		while (*s && *s != ' ')
			s++;
	}
	for (int k = 0; k < NFAULT; k++)
		if (fi.rate[k])
			kprintf("faultinject: %s: 1 in %u fails (seed %lu)\n", kind_names[k],
				fi.rate[k], fi.seed);
}

/* splitmix64's finaliser: a well-mixed 64-bit hash of x. */
static uint64
mix(uint64 x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

/* Should this event of the given kind fail?  Counts it either way. */
bool
fault_inject(enum fault_kind kind)
{
	if (!fi.parsed) {
		parse_bootargs();       /* the boot hart, alone: see the top */
		fi.parsed = true;
	}
	if (!fi.rate[kind])
		return false;
	struct proc *p = myproc();
	if (!p || p->pid <= 1)
		return false;
	uint64 i = __atomic_fetch_add(&fi.seen[kind], 1, __ATOMIC_RELAXED);
	if (mix(mix(fi.seed) ^ ((uint64)kind << 56) ^ i) % fi.rate[kind] != 0)
		return false;
	__atomic_fetch_add(&fi.failed[kind], 1, __ATOMIC_RELAXED);
	return true;
}

/*
 * At power-off, if fail= was given: one line per kind in use, how many
 * events failed out of how many, and the free pages (which a test
 * compares with a boot that failed nothing, to find leaks).  Process
 * context: it first sleeps a few ticks, so that every other hart, idle,
 * lets go of the last page table it had loaded (vm/aspace.c), which may
 * belong to a process already gone; and it empties the page cache of
 * what nothing maps (which files stay cached depends on what ran).
 */
void
fault_report(void)
{
	if (!fi.given)
		return;
	timer_sleep(3);
	vmobj_reclaim();
	for (int k = 0; k < NFAULT; k++)
		if (fi.rate[k])
			kprintf("faultinject: %s: %lu of %lu failed\n", kind_names[k],
				__atomic_load_n(&fi.failed[k], __ATOMIC_RELAXED),
				__atomic_load_n(&fi.seen[k], __ATOMIC_RELAXED));
	kprintf("faultinject: %lu pages free at power-off\n", kalloc_free_pages());
}

#endif /* DEBUG */

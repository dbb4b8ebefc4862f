/*
 * The seeded generator, the values both fuzzers draw, and the few
 * helpers both need alike (draw.h).  Only
 * the generator's state decides what is drawn, so a seed, a worker's and
 * a batch's numbers give the same values every time, in either fuzzer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "draw.h"

uint64_t
mix64(uint64_t x)
{
	/* splitmix64's finaliser */
	x += 0x9e3779b97f4a7c15UL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/* The generator of one batch: a function of the seed, worker and batch only. */
void
rng_seed(uint64_t *s, uint64_t seed, uint64_t worker, uint64_t batch)
{
	*s = mix64(mix64(mix64(seed) ^ worker) ^ (batch * 0x100000001b3UL));
}

uint64_t
rng_next(uint64_t *s)
{
	*s += 0x9e3779b97f4a7c15UL;
	uint64_t x = *s;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9UL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebUL;
	return x ^ (x >> 31);
}

/* A number in [0, n). */
uint64_t
rng_below(uint64_t *s, uint64_t n)
{
	return rng_next(s) % n;
}

uint64_t
pick(uint64_t *s, const uint64_t *v, int n)
{
	return v[rng_below(s, (uint64_t)n)];
}

/* An int-sized or wider number; data_top: the end of the caller's own data. */
uint64_t
draw_int(uint64_t *s, uint64_t data_top)
{
	switch (rng_below(s, 8)) {
	case 0: return 0;
	case 1: return rng_below(s, 32);
	case 2: return -1UL;
	case 3: return PICK(s, INT_MIN_64, 0x7fffffff, 0x80000000UL, 0xffffffffUL);
	case 4: return (1UL << 32) | rng_below(s, 16);
	case 5: return -(uint64_t)rng_below(s, 4096);
	case 6: return rng_below(s, data_top);  /* below the fuzzer's data */
	default: return rng_next(s);
	}
}

/* A length: small, around a page, huge, negative, with high bits. */
uint64_t
draw_len(uint64_t *s, uint64_t data_top)
{
	switch (rng_below(s, 8)) {
	case 0: return PICK(s, 0, 1, 2, 7, 8, 16);
	case 1:
	case 2: return 1 + rng_below(s, 200);
	case 3: return PICK(s, PGSIZE - 1, PGSIZE, PGSIZE + 1, 2 * PGSIZE, 3 * PGSIZE + 5, 65536);
	case 4: return PICK(s, 1UL << 20, 1UL << 24, 1UL << 30, 0x7fffffff, 0x80000000UL);
	case 5: return PICK(s, -1UL, -PGSIZE, 1UL << 32, (1UL << 32) | 64, 1UL << 63);
	case 6: return rng_below(s, 20000);
	default: return draw_int(s, data_top);
	}
}

/*
 * An address at or near the top of user memory or beyond: USER_TOP and
 * around it, non-canonical ones, the kernel's direct map (RAM and device
 * registers), its stacks and image, near 2^64.
 */
uint64_t
draw_kernel_addr(uint64_t *s)
{
	uint64_t r = rng_next(s);
	uint64_t off = (r >> 32) & 0xff8;

	switch (rng_below(s, 5)) {
	case 0: return PICK(s, USER_TOP, USER_TOP - 1, USER_TOP - 8, USER_TOP + 1,
			    USER_TOP + PGSIZE, 1UL << 38, (1UL << 38) - 1, (1UL << 38) - 8,
			    1UL << 39, 0x7fffffffffUL, 0x0000800000000000UL);
	case 1: return KDIRECT + PICK(s, 0, 0x80000000UL, 0x80200000UL, 0x10000000UL,
				      0x0c000000UL, 0x10001000UL, 0x84000000UL, 0x87fff000UL) +
		       (r & 1 ? 0 : off);
	case 2: return KSTACKS + (r & 1 ? 0 : (r >> 16) % (80 * 4 * PGSIZE));
	case 3: return r & 1 ? 0xffffffff80000000UL : KIMAGE + (r >> 16) % 0x200000;
	default: return PICK(s, -1UL, -8UL, -PGSIZE, -2 * PGSIZE, 1UL << 63, INT_MIN_64,
			     0xffffffbfffffffffUL, -USER_TOP);
	}
}

/*
 * The paths of the worker whose folder is dir (the worker makes its files:
 * a, b, c/, d/, d/e, l -> a), and names around them, into max rows of
 * room bytes at store.  How many.
 */
int
draw_paths(char *store, int room, int max, const char *dir)
{
	static const char *const names[] = {
		"%s", "%s/a", "%s/b", "%s/d", "%s/d/e", "%s/l", "%s/d/../a", "%s/./b",
		"%s//a", "%s/a/x", "%s/l/x", "%s/d/f", "%s/d/d", "%s/n", "%s/abcdefghijklm",
		"%s/abcdefghijklmn", "%s/abcdefghijklmnopqrstu", "%s/d/d/d/d/d/d", "%s/../..",
		"%s/d/../../fuzz-none/a", "%s/c", "a", "b", "c", "../c", "c/n", "d", "d/e", "l", "n",
		"e", ".", "..", "../..", "d/../a", "ll", "/", "/tmp", "/tmp/", "", "d/", "l/", "x/y/z",
		/* the plans' names: P_PLAN_DIR onwards */
		"%s/p", "../p", "%s/q", "m1", "m2", "x",
	};
	_Static_assert(sizeof(names) / sizeof(names[0]) == P_COUNT, "the plans' paths");
	int n = 0;

	for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]) && n < max; i++)
		snprintf(store + room * n++, room, names[i], dir);
	return n;
}

/* A path longer than any the kernel takes: a slash every 7 bytes. */
void
draw_long_path(char *p, int size)
{
	memset(p, 'Y', size - 1);
	for (int i = 0; i < size - 1; i += 7)
		p[i] = '/';
	p[size - 1] = 0;
}

/* A name of a few characters that can spell no program, file or folder of the system. */
uint64_t
draw_name(uint64_t *s)
{
	static const char alphabet[] = "XYZ0123._-/";
	static char names[4][40];
	static int next;
	char *p = names[next++ % 4];
	int n = 1 + (int)rng_below(s, 30);

	for (int i = 0; i < n; i++)
		p[i] = alphabet[rng_below(s, sizeof(alphabet) - 1)];
	p[n] = 0;
	return (uint64_t)p;
}

/* A new call at the end of plan p, all zero but its number. */
struct call *
plan_add(struct plan *p, uint64_t nr)
{
	struct call *c = &p->calls[p->n++];

	memset(c, 0, sizeof(*c));
	c->nr = nr;
	return c;
}

/* The plan's next call into *c: 1, or 0 when none is left. */
int
plan_next(struct plan *p, struct call *c)
{
	if (p->next >= p->n)
		return 0;
	*c = p->calls[p->next++];
	return 1;
}

/* The call, made with the registers as they are: a7 the number, a0..a5. */
long
fuzz_ecall(const struct call *c)
{
	register uint64_t a0 asm("a0") = c->a[0];
	register uint64_t a1 asm("a1") = c->a[1];
	register uint64_t a2 asm("a2") = c->a[2];
	register uint64_t a3 asm("a3") = c->a[3];
	register uint64_t a4 asm("a4") = c->a[4];
	register uint64_t a5 asm("a5") = c->a[5];
	register uint64_t a7 asm("a7") = c->nr;

	asm volatile("ecall"
		     : "+r"(a0)
		     : "r"(a1), "r"(a2), "r"(a3), "r"(a4), "r"(a5), "r"(a7)
		     : "memory");
	return (long)a0;
}

/* key=NUMBER (any base strtoull takes): 1 and *v, or 0. */
int
draw_number(const char *arg, const char *key, uint64_t *v)
{
	size_t n = strlen(key);
	char *end;

	if (strncmp(arg, key, n) != 0 || arg[n] != '=')
		return 0;
	*v = strtoull(arg + n + 1, &end, 0);
	return end != arg + n + 1 && *end == 0;
}

/* Is x among the n values at v? */
int
draw_in(const int *v, int n, int x)
{
	for (int i = 0; i < n; i++)
		if (v[i] == x)
			return 1;
	return 0;
}

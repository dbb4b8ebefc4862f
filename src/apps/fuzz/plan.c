/*
 * Plans: one call in 32 starts a few calls that build a situation worth
 * attacking, instead of one call alone: a folder removed while it is the
 * current one, then something made in it; a file unlinked while open,
 * then written, sought and read; a child killed at once and waited for;
 * symbolic links in a loop; a pipe with one end closed; a heap grown,
 * read into and shrunk; an anonymous mapping read into, unmapped and
 * used; a file mapped shared, written, synced and truncated under it.  Random calls come before and after, and a plan's
 * arguments that depend on what happened (the fd an open returned, the
 * old break, the pipe's descriptors) are settled by the child just before
 * the call (FILL_RESULT*, FILL_PIPE_*).
 */
#include <string.h>
#include <canopy/mman.h>
#include "fuzz.h"

static struct plan plan;

static struct call *
plan_call(uint64_t nr)
{
	return plan_add(&plan, nr);
}

static inline uint64_t
below(uint64_t *s, uint64_t n)
{
	return rng_below(s, n);
}

static inline uint64_t
path(int i)
{
	return gen_path_at(i);
}

/* A call that makes something at the relative path "x". */
static void
plan_create_x(uint64_t *s)
{
	static const uint64_t nrs[] = { SYS_mkdir, SYS_open, SYS_symlink, SYS_mknod, SYS_link };
	uint64_t nr = nrs[below(s, 5)];
	struct call *c = plan_call(nr);

	c->a[0] = path(P_X);
	if (nr == SYS_open)
		c->a[1] = CANOPY_O_CREATE | CANOPY_O_RDWR;
	if (nr == SYS_symlink || nr == SYS_link) {
		c->a[0] = path(P_A);
		c->a[1] = path(P_X);
	}
	if (nr == SYS_mknod)
		c->a[1] = 2;
}

static void
make_plan(uint64_t *s, const struct arena *ar)
{
	struct call *c;

	plan.n = plan.next = 0;
	int which = (int)below(s, 8);

	if (which == 0 && (opt.skip & SKIP_PLAN_RMDIR))
		which = 1;
	switch (which) {
	case 0:         /* make a folder, go in, remove it, make something in it */
		plan_call(SYS_mkdir)->a[0] = path(P_PLAN_DIR);
		plan_call(SYS_chdir)->a[0] = path(P_PLAN_DIR);
		plan_call(SYS_unlink)->a[0] = path(below(s, 2) ? P_PLAN_DIR_UP : P_PLAN_DIR);
		plan_create_x(s);
		break;
	case 1:         /* a file unlinked while open, then used */
		c = plan_call(SYS_open);
		c->a[0] = path(P_PLAN_FILE);
		c->a[1] = CANOPY_O_CREATE | CANOPY_O_RDWR;
		plan_call(SYS_unlink)->a[0] = path(P_PLAN_FILE);
		c = plan_call(SYS_write);
		c->fill[0] = FILL_RESULT2;
		c->a[1] = ar->scratch;
		c->a[2] = 1 + below(s, 3 * PGSIZE);
		c = plan_call(SYS_lseek);
		c->fill[0] = FILL_RESULT3;
		c->a[2] = CANOPY_SEEK_SET;
		c = plan_call(SYS_read);
		c->fill[0] = FILL_RESULT3;  /* wrong on purpose now and then: lseek's result */
		c->a[1] = ar->lazy + below(s, LAZY_SIZE / 2);
		c->a[2] = below(s, 2 * PGSIZE);
		break;
	case 2:         /* a child killed at once, then waited for */
		plan_call(SYS_fork);
		plan_call(SYS_kill)->fill[0] = FILL_RESULT1;
		plan_call(SYS_wait)->a[0] = below(s, 2) ? ar->scratch + 64 : 0;
		break;
	case 3:         /* symbolic links in a loop */
		c = plan_call(SYS_symlink);
		c->a[0] = path(P_M2);
		c->a[1] = path(P_M1);
		c = plan_call(SYS_symlink);
		c->a[0] = path(P_M1);
		c->a[1] = path(P_M2);
		c = plan_call(below(s, 2) ? SYS_open : SYS_chdir);
		c->a[0] = path(P_M1);
		c->a[1] = below(s, 2) ? CANOPY_O_CREATE | CANOPY_O_RDWR : 0;
		break;
	case 4:         /* a pipe with one end closed */
		plan_call(SYS_pipe)->a[0] = ar->scratch + PIPE_FDS;
		plan_call(SYS_close)->fill[0] = below(s, 2) ? FILL_PIPE_READ : FILL_PIPE_WRITE;
		c = plan_call(below(s, 2) ? SYS_write : SYS_read);
		c->fill[0] = below(s, 2) ? FILL_PIPE_READ : FILL_PIPE_WRITE;
		c->a[1] = ar->scratch;
		c->a[2] = below(s, 70000);
		break;
	case 6:         /* an anonymous mapping read into, written from, unmapped, used */
		c = plan_call(SYS_mmap);
		c->a[1] = (1 + below(s, 64)) * PGSIZE;
		c->a[2] = PROT_READ | PROT_WRITE;
		c->a[3] = MAP_ANONYMOUS | (below(s, 2) ? MAP_PRIVATE : MAP_SHARED);
		c->a[4] = -1UL;
		c = plan_call(SYS_read);
		c->a[0] = 1 + below(s, 6);
		c->fill[1] = FILL_RESULT1;
		c->a[2] = below(s, 16 * PGSIZE);
		c = plan_call(SYS_munmap);
		c->fill[0] = FILL_RESULT2;
		c->a[1] = (1 + below(s, 64)) * PGSIZE;
		c = plan_call(SYS_write);
		c->a[0] = 1 + below(s, 6);
		c->fill[1] = FILL_RESULT3;      /* unmapped now, or in part */
		c->a[2] = below(s, 16 * PGSIZE);
		break;
	case 7:         /* a file mapped shared, changed, synced, truncated under it */
		c = plan_call(SYS_open);
		c->a[0] = path(P_PLAN_FILE);
		c->a[1] = CANOPY_O_CREATE | CANOPY_O_RDWR;
		c = plan_call(SYS_write);
		c->fill[0] = FILL_RESULT1;
		c->a[1] = ar->scratch;
		c->a[2] = 1 + below(s, 3 * PGSIZE);
		c = plan_call(SYS_mmap);
		c->a[1] = (1 + below(s, 4)) * PGSIZE;
		c->a[2] = PROT_READ | (below(s, 4) ? PROT_WRITE : 0);
		c->a[3] = below(s, 2) ? MAP_SHARED : MAP_PRIVATE;
		c->fill[4] = FILL_RESULT2;
		if (below(s, 2)) {
			c = plan_call(SYS_msync);       /* msync(the mapping, a page) */
			c->fill[0] = FILL_RESULT1;
			c->a[1] = PGSIZE;
			c->a[2] = MS_SYNC;
		} else {
			c = plan_call(SYS_read);        /* the file into its own mapping */
			c->fill[0] = FILL_RESULT3;
			c->fill[1] = FILL_RESULT1;
			c->a[2] = PGSIZE;
		}
		c = plan_call(SYS_open);
		c->a[0] = path(P_PLAN_FILE);
		c->a[1] = CANOPY_O_TRUNC | CANOPY_O_RDWR;
		break;
	default:        /* a heap grown, read into, and shrunk */
		c = plan_call(SYS_sbrk);
		c->a[0] = (1 + below(s, 16)) * PGSIZE;
		c = plan_call(SYS_read);
		c->a[0] = 1 + below(s, 6);
		c->fill[1] = FILL_RESULT1;      /* the old break: the new pages */
		c->a[2] = below(s, 16 * PGSIZE);
		plan_call(SYS_sbrk)->a[0] = -(below(s, 17) * PGSIZE);
		break;
	}
}

/* The next call: the next of a plan, or a plan's first, or one alone. */
void
gen_call(uint64_t *rng, const struct arena *ar, struct call *c)
{
	if (plan.next >= plan.n && below(rng, 32) == 0)
		make_plan(rng, ar);
	if (!plan_next(&plan, c))
		gen_one(rng, ar, c);
}

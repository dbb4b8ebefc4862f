/*
 * Superpages: 2 MiB pages for private anonymous memory (src/vm/fault.c's
 * policy: a fault next to a page already there, in an aligned 2 MiB range
 * of the heap or an anonymous mapping, takes the range over with one
 * superpage; eager sbrk maps them at once), and everything that must cope with one: fork's
 * copy-on-write (a write copies 4 KiB, not 2 MiB), sbrk(-n) and munmap of
 * part of one, pgaccess over one, vmprint and pgpte.
 */
#include "vmtest.h"

#define SUPER (2UL << 20)

/* A page-aligned heap stretch holding `supers` whole aligned 2 MiB ranges; the first. */
static char *
heap_with_superpage_room(int supers)
{
	char *brk = sbrk(0);
	uint64_t first = ((uintptr_t)brk + SUPER - 1) & ~(SUPER - 1);
	expect(sbrk((long)(first - (uintptr_t)brk) + supers * SUPER) != (void *)-1, "sbrk failed");
	return (char *)first;
}

/* Is va mapped by a superpage? vmprint marks such leaves " 2M". */
static bool
is_superpage(void *va)
{
	char key[48];
	const char *t = vmprint_text(0);

	snprintf(key, sizeof(key), " va 0x%010lx pa ", (unsigned long)va);
	const char *at = strstr(t, key);
	if (!at)
		return false;
	const char *eol = strchr(at, '\n');
	return eol && eol - at > 4 && strncmp(eol - 3, " 2M", 3) == 0;
}

static void
second_touch_makes_superpage(void)
{
	if (!lazy())
		return;         /* eager heaps: see eager_sbrk_maps_superpages */
	char *h = heap_with_superpage_room(1);
	uint64_t before = info().superpages;
	h[4096 + 100] = 'a';            /* not the range's first page: a small page */
	expect(!is_superpage(h), "the first touch mapped a superpage already");
	expect(pgpte(h + 4096) != 0 && pgpte(h) == 0, "the first touch did not map one page");
	h[9 * 4096 + 7] = 'c';          /* sparse: no superpage */
	expect(info().superpages == before && !is_superpage(h), "a sparse touch made a superpage");
	h[2 * 4096 + 7] = 'b';          /* next to the first: filling in order */
	expect(info().superpages == before + 1, "no superpage after the second page in order");
	expect(is_superpage(h), "vmprint does not show a superpage at %p", h);
	uint64_t e = pgpte(h + 300000);
	expect((e & 0x17) == 0x17, "pgpte inside the superpage: %lx", (unsigned long)e);
	expect(h[4096 + 100] == 'a' && h[2 * 4096 + 7] == 'b' && h[9 * 4096 + 7] == 'c',
	       "the small pages' bytes were lost");
	for (long i = 0; i < (long)SUPER; i += 4096)
		if (i != 4096 && i != 2 * 4096 && i != 9 * 4096)
			expect(h[i] == 0, "byte %ld of the superpage is not zero", i);
	/* a fault on the first page of an empty range makes one at once */
	char *g = heap_with_superpage_room(1);
	g[5] = 'd';
	expect(info().superpages == before + 2 && is_superpage(g),
	       "a fault on a range's first page did not make a superpage");
}

static void
eager_sbrk_maps_superpages(void)
{
	char *brk = sbrk(0);
	uint64_t first = ((uintptr_t)brk + SUPER - 1) & ~(SUPER - 1);
	expect(__sys_sbrk((long)(first - (uintptr_t)brk) + 2 * SUPER, SBRK_EAGER) != -1,
	       "eager sbrk failed");
	expect(is_superpage((char *)first) && is_superpage((char *)first + SUPER),
	       "eager sbrk did not map superpages");
	for (long i = 0; i < 2 * (long)SUPER; i += 8192)
		expect(((char *)first)[i] == 0, "eager superpage byte %ld not zero", i);
}

/* Make a superpage at h (two touches, or eager), filled with a pattern. */
static void
make_filled_superpage(char *h)
{
	for (long i = 0; i < (long)SUPER; i += 4096)
		h[i] = (char)(i / 4096);
	expect(is_superpage(h), "no superpage to test");
}

static void
fork_copies_4k_of_a_superpage(void)
{
	char *h = heap_with_superpage_room(1);
	make_filled_superpage(h);
	uint64_t copies = info().cow_copies;
	int pid = fork();
	if (pid == 0) {
		h[3 * 4096] = 'c';
		bool others = h[2 * 4096] == 2 && h[4 * 4096] == 4 && h[3 * 4096] == 'c';
		exit(others ? 0 : 2);
	}
	expect(wait_for(pid) == 0, "the child's view of the superpage is wrong");
	if (cow()) {
		uint64_t made = info().cow_copies - copies;
		/* 1, and the stack and data pages parent and child write anyway */
		expect(made < 16, "a write to a shared superpage copied %lu pages, want 1",
		       (unsigned long)made);
	}
	expect(h[3 * 4096] == 3, "the child's write reached the parent");
	h[6 * 4096] = 'p';
	expect(h[6 * 4096] == 'p' && h[7 * 4096] == 7, "the parent's superpage is wrong");
}

static void
shrink_into_a_superpage(void)
{
	char *h = heap_with_superpage_room(1);
	make_filled_superpage(h);
	char *top = sbrk(0);
	uint64_t before = free_pages();
	expect(sbrk(-(long)(top - (h + SUPER / 2))) != (void *)-1, "sbrk(-n) into it failed");
	uint64_t after = free_pages();
	expect(after + 16 >= before + 256, "shrinking by 1 MiB gave back %ld pages, want 256",
	       (long)(after - before));
	for (long i = 0; i < (long)SUPER / 2; i += 4096)
		expect(h[i] == (char)(i / 4096), "page %ld below the break lost its byte", i / 4096);
	expect(sbrk(4096) != (void *)-1, "growing again failed");
	expect(h[SUPER / 2] == 0, "a page given back and taken again is not zero");
}

static void
munmap_part_of_a_superpage(void)
{
	char *want = (char *)(32UL << 30);      /* 32 GiB: aligned, far from everything */
	char *m = mmap(want, 2 * SUPER, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	expect(m == want, "mmap at %p failed", want);
	make_filled_superpage(m);
	expect(munmap(m + SUPER / 4, SUPER / 4) == 0, "munmap of part of a superpage failed");
	expect(m[0] == 0 && m[SUPER / 2] == (char)(SUPER / 2 / 4096), "the rest lost its bytes");
	expect(pgpte(m + SUPER / 4) == 0 && pgpte(m + SUPER / 2 - 4096) == 0,
	       "the unmapped part is still mapped");
	expect(munmap(m, 2 * SUPER) == 0, "munmap failed");
}

static void
pgaccess_over_a_superpage(void)
{
	char *h = heap_with_superpage_room(1);
	make_filled_superpage(h);
	uint64_t mask = 0;
	expect(pgaccess(h, 64, &mask) == 0, "pgaccess failed");
	expect(mask == ~0ULL, "pages of a touched superpage not all accessed: %lx",
	       (unsigned long)mask);
	expect(pgaccess(h, 64, &mask) == 0 && mask == 0, "pgaccess did not clear: %lx",
	       (unsigned long)mask);
	volatile char c = h[40 * 4096];
	(void)c;
	expect(pgaccess(h + 10 * 4096, 8, &mask) == 0 && mask == 0xff,
	       "after one read the superpage's pages read %lx, want all accessed",
	       (unsigned long)mask);
}

/*
 * The copy-out of pgaccess's mask faults on the page that completes a
 * collapse (pages 0, 38 and 510 of an aligned range are there; the mask
 * straddles the range's end, so page 511 faults first and the range
 * becomes one superpage, its level-0 table freed), then on the page after
 * the range, which may be given the freed table.  The report must be the
 * one made before the copy (pages 0 and 38), and no bit may be cleared
 * through a pointer into the freed table: that clears bit 6 (PTE_A) of
 * whatever the page holds now, here the mask's high word.
 */
static void
pgaccess_mask_copy_collapses_the_range(void)
{
	char *brk = sbrk(0);
	char *a = (char *)(((uintptr_t)brk + SUPER - 1) & ~(SUPER - 1));
	expect(__sys_sbrk((long)(a - brk) + (long)SUPER + 2 * 4096, SBRK_LAZY) != -1,
	       "lazy sbrk failed");
	a[38 * 4096] = 1;
	a[0] = 1;
	a[510 * 4096] = 1;
	expect(!is_superpage(a), "a superpage before the test");
	char *mask_at = a + SUPER - 4;
	expect(pgaccess(a, 64, (uint64_t *)mask_at) == 0, "pgaccess failed");
	uint64_t mask;
	memcpy(&mask, mask_at, sizeof(mask));
	expect(mask == ((1ULL << 38) | 1), "mask lo=%#x hi=%#x, want lo=0x1 hi=0x40",
	       (unsigned)mask, (unsigned)(mask >> 32));
	expect(a[38 * 4096] == 1 && a[0] == 1 && a[510 * 4096] == 1, "the touched bytes changed");
}

const struct test tests_huge[] = {
	{ "huge_second_touch_makes_superpage", second_touch_makes_superpage },
	{ "huge_eager_sbrk_maps_superpages", eager_sbrk_maps_superpages },
	{ "huge_fork_copies_4k_of_a_superpage", fork_copies_4k_of_a_superpage },
	{ "huge_shrink_into_a_superpage", shrink_into_a_superpage },
	{ "huge_munmap_part_of_a_superpage", munmap_part_of_a_superpage },
	{ "huge_pgaccess_over_a_superpage", pgaccess_over_a_superpage },
	{ "huge_pgaccess_mask_copy_collapses_the_range", pgaccess_mask_copy_collapses_the_range },
	{ NULL, NULL },
};

/*
 * Physical page allocator: one free list per hart, each with its own lock,
 * so harts allocating at once rarely meet.  A hart whose list is empty
 * steals a batch from another's.  Reference counts live in one array
 * indexed by page frame, carved out of RAM at boot.
 *
 * Invariants: a page is on a free list iff its count is 0; the count is
 * changed only with atomic operations; page_count_of() panics on any
 * address outside the managed RAM.
 */
#include "vm/kalloc.h"
#include "vm/kmem.h"
#include "boot/fdt.h"
#include "sched/spinlock.h"
#include "sched/cpu.h"
#include "lib/string.h"
#include "lib/printf.h"
#include "lib/faultinject.h"

#define STEAL_BATCH 64

struct run {
	struct run *next;
};

static struct freelist {
	struct spinlock lock;
	struct run *head;
	uint64 count;
} lists[NCPU];

static uint64 ram_lo, ram_hi;   /* physical span covered by the counts */
static uint32 *counts;
static uint64 total_pages;

static uint32 *
page_count_of(void *page)
{
	uint64 pa = kva2pa(page);

	if ((pa & (PGSIZE - 1)) || pa < ram_lo || pa >= ram_hi)
		panic("kalloc: %p is not a managed page", page);
	return &counts[(pa - ram_lo) >> PGSHIFT];
}

static bool
page_reserved(uint64 pa, uint64 image_start, uint64 image_end)
{
	if (pa < image_end && pa + PGSIZE > image_start)
		return true;
	for (int i = 0; i < platform.nreserved; i++) {
		struct mem_range *r = &platform.reserved[i];
		if (pa < r->base + r->size && pa + PGSIZE > r->base)
			return true;
	}
	return false;
}

static void
push_free(struct freelist *l, void *page)
{
	struct run *r = page;

	r->next = l->head;
	l->head = r;
	l->count++;
}

/*
 * Hand every usable page of RAM to the allocator.  The reference-count
 * array comes first, from the first free run long enough to hold it.
 */
void
kalloc_init(uint64 image_start, uint64 image_end)
{
	ram_lo = ~0UL;
	ram_hi = 0;
	for (int i = 0; i < platform.nram; i++) {
		struct mem_range *r = &platform.ram[i];
		if (r->base < ram_lo)
			ram_lo = ROUNDDOWN(r->base, PGSIZE);
		if (r->base + r->size > ram_hi)
			ram_hi = ROUNDDOWN(r->base + r->size, PGSIZE);
	}
	for (int i = 0; i < NCPU; i++)
		spin_init(&lists[i].lock, "kalloc");

	uint64 need = ROUNDUP(((ram_hi - ram_lo) >> PGSHIFT) * sizeof(uint32), PGSIZE);
	uint64 counts_pa = 0;
	for (int i = 0; i < platform.nram && !counts_pa; i++) {
		struct mem_range *r = &platform.ram[i];
		uint64 run_start = ROUNDUP(r->base, PGSIZE);
		for (uint64 pa = run_start; pa + PGSIZE <= r->base + r->size; pa += PGSIZE) {
			if (page_reserved(pa, image_start, image_end)) {
				run_start = pa + PGSIZE;
			} else if (pa + PGSIZE - run_start >= need) {
				counts_pa = run_start;
				break;
			}
		}
	}
	if (!counts_pa)
		panic("kalloc: no room for page counts");
	counts = pa2kva(counts_pa);
	memset(counts, 0, need);

	/* high addresses first, so allocation starts low */
	for (int i = platform.nram - 1; i >= 0; i--) {
		struct mem_range *r = &platform.ram[i];
		uint64 lo = ROUNDUP(r->base, PGSIZE);
		for (uint64 pa = ROUNDDOWN(r->base + r->size, PGSIZE); pa > lo; ) {
			pa -= PGSIZE;
			if (page_reserved(pa, image_start, image_end) ||
			    (pa >= counts_pa && pa < counts_pa + need))
				continue;
			push_free(&lists[0], pa2kva(pa));
			total_pages++;
		}
	}
}

static void *
pop_free(struct freelist *l)
{
	struct run *r = l->head;

	if (r) {
		l->head = r->next;
		l->count--;
	}
	return r;
}

/* Move up to STEAL_BATCH pages from another hart's list onto ours. */
static bool
steal(struct freelist *mine)
{
	struct run *chain = NULL;
	uint64 n = 0;

	for (int i = 0; i < NCPU && n == 0; i++) {
		struct freelist *l = &lists[i];
		if (l == mine || l->count == 0)
			continue;
		spin_lock(&l->lock);
		while (n < STEAL_BATCH && l->head) {
			struct run *r = pop_free(l);
			r->next = chain;
			chain = r;
			n++;
		}
		spin_unlock(&l->lock);
	}
	if (n == 0)
		return false;
	spin_lock(&mine->lock);
	while (chain) {
		struct run *next = chain->next;
		push_free(mine, chain);
		chain = next;
	}
	spin_unlock(&mine->lock);
	return true;
}

void *
kalloc(void)
{
	if (fault_inject(FAULT_PAGE)) return NULL;
	push_off();
	struct freelist *mine = &lists[mycpu()->id];
	void *page;

	do {
		spin_lock(&mine->lock);
		page = pop_free(mine);
		spin_unlock(&mine->lock);
	} while (!page && steal(mine));
	pop_off();

	if (page) {
		uint32 *c = page_count_of(page);
		if (*c != 0)
			panic("kalloc: free page %p has count %u", page, *c);
		__atomic_store_n(c, 1, __ATOMIC_RELAXED);
#ifdef DEBUG
		memset(page, 0xa5, PGSIZE);
#endif
	}
	return page;
}

void *
kzalloc(void)
{
	void *page = kalloc();

	if (page)
		memset(page, 0, PGSIZE);
	return page;
}

void
page_get(void *page)
{
	uint32 *c = page_count_of(page);

	if (__atomic_fetch_add(c, 1, __ATOMIC_RELAXED) == 0)
		panic("page_get: %p is free", page);
}

/*
 * The page's reference count.  Acquire: a caller that sees 1 and then
 * writes the page must come after the other sharers' kfree(), so after
 * everything they did with the page (a copy-on-write copy of it).
 */
uint32
page_refcount(void *page)
{
	return __atomic_load_n(page_count_of(page), __ATOMIC_ACQUIRE);
}

void
kfree(void *page)
{
	uint32 *c = page_count_of(page);
	uint32 old = __atomic_fetch_sub(c, 1, __ATOMIC_ACQ_REL);

	if (old == 0)
		panic("kfree: %p already free", page);
	if (old > 1)
		return;
#ifdef DEBUG
	memset(page, 0x5a, PGSIZE);
#endif
	push_off();
	struct freelist *mine = &lists[mycpu()->id];
	spin_lock(&mine->lock);
	push_free(mine, page);
	spin_unlock(&mine->lock);
	pop_off();
}

uint64
kalloc_free_pages(void)
{
	uint64 n = 0;

	for (int i = 0; i < NCPU; i++) {
		spin_lock(&lists[i].lock);
		n += lists[i].count;
		spin_unlock(&lists[i].lock);
	}
	return n;
}

uint64
kalloc_total_pages(void)
{
	return total_pages;
}

/* Is pa a page of the RAM the allocator manages? */
bool
page_is_ram(uint64 pa)
{
	return pa >= ram_lo && pa < ram_hi;
}

/*
 * The physical page allocator: a buddy allocator over all of RAM, fronted
 * by a small list of free single pages per hart.
 *
 * A block is 2^order pages (order 0..MAX_ORDER), aligned to its size in
 * physical addresses, so an order-9 block can back a 2 MiB superpage.  Free
 * blocks sit on one list per order.  Freeing a block merges it with its
 * buddy (the other half of the block twice its size) while that buddy is
 * free too.  Boot hands RAM over as the largest aligned blocks that fit
 * (vm/page.c walks RAM and holds the page array).
 * The lists are linked through the page array, never through the free
 * pages themselves, so a free page is not written until it is handed out:
 * a 16 GiB machine boots as fast as a 128 MiB one, and QEMU gives the host
 * memory behind a guest page only once the guest uses it.
 *
 * Single pages, nearly every request, come and go through per-hart lists,
 * each with its own lock, refilled from and drained to the buddy lists
 * (one lock) in batches.  A hart that finds its list and the buddy lists
 * empty takes pages from the other harts' lists.  (Not to be confused with
 * the file page cache, vm/vmobj.c.)
 *
 * Every page of RAM has a struct page, in one array carved out of RAM at
 * boot.  Invariants:
 *  - refs is the number of references to an allocated page (kalloc gives
 *    1, page_get adds, page_put drops); it is 0 for a free page;
 *  - PG_BUDDY is set exactly on the first page of each block on a buddy
 *    list, and that page's order is the block's;
 *  - nfree counts every free page: listed (on a hart's list or a buddy list)
 *    or moving between lists (nmoving of them).  Both change under the
 *    lock of the list a page joins or leaves, so with every allocator lock
 *    held, listed + nmoving == nfree (DEBUG kernels check it: kalloc_check).
 *    A page is unlisted and not yet counted out, or counted in and not yet
 *    listed, only inside one lock's hold; a batch moves between lists only
 *    with interrupts off.  So a hart never waits on a page that a
 *    preempted thread holds in flight, and while nfree is above 0 a page
 *    is listed or lands within a few instructions on another hart.  Even
 *    so, kalloc() searches a bounded number of times and then fails, to
 *    the out-of-memory policy like any other failure.
 */
#include "vm/kalloc.h"
#include "vm/page.h"
#include "vm/kernel_layout.h"
#include "boot/fdt.h"
#include "sync/spinlock.h"
#include "sched/cpu.h"
#include "lib/string.h"
#include "debug/kprintf.h"
#include "debug/faultinject.h"

#define MAX_ORDER       10      /* largest block: 4 MiB */
#define BATCH     32      /* pages moved between a hart's list and the buddy lists at once */
#define HART_HIGH      (4 * BATCH)

#define NIL             PAGE_NIL

static struct {
	struct spinlock lock;
	uint32 head[MAX_ORDER + 1];             /* doubly linked, NIL-ended */
	uint64 nblocks[MAX_ORDER + 1];
} buddy;

static struct hart_pages {
	struct spinlock lock;
	uint32 head;                            /* singly linked through next */
	uint64 count;
} harts[NCPU];

static uint64 total_pages;
static uint64 nfree;            /* atomic: see the invariants above */
static uint64 nmoving;          /* atomic: free pages between lists */
static bool superpages_on = true;       /* "nosuperpages" on the command line: off */
static uint64 (*reclaim)(void);         /* gives back pages others hold loosely: kalloc_set_reclaim */

/* --- buddy lists (buddy.lock held) --- */

static void
buddy_add(uint64 pa, int order)
{
	assert_held(&buddy.lock);
	uint32 n = pfn_of(pa), old = buddy.head[order];
	struct page *pg = &pages[n];

	pg->order = order;
	pg->flags |= PG_BUDDY;
	pg->prev = NIL;
	pg->next = old;
	if (old != NIL)
		pages[old].prev = n;
	buddy.head[order] = n;
	buddy.nblocks[order]++;
}

static void
buddy_del(uint64 pa, int order)
{
	assert_held(&buddy.lock);
	struct page *pg = page_of_pa(pa);

	pg->flags &= ~PG_BUDDY;
	if (pg->prev != NIL)
		pages[pg->prev].next = pg->next;
	else
		buddy.head[order] = pg->next;
	if (pg->next != NIL)
		pages[pg->next].prev = pg->prev;
	buddy.nblocks[order]--;
}

/* Take a block of 2^order pages, splitting a larger one if need be; 0 if none. */
static uint64
buddy_take(int order)
{
	assert_held(&buddy.lock);
	int k = order;

	while (k <= MAX_ORDER && buddy.nblocks[k] == 0)
		k++;
	if (k > MAX_ORDER)
		return 0;
	uint64 pa = pa_of(buddy.head[k]);
	buddy_del(pa, k);
	while (k > order) {
		k--;
		buddy_add(pa + (PGSIZE << k), k);
	}
	return pa;
}

/* Give back a block of 2^order pages at pa, merging it with free buddies. */
static void
buddy_give(uint64 pa, int order)
{
	assert_held(&buddy.lock);
	while (order < MAX_ORDER) {
		uint64 other = pa ^ (PGSIZE << order);
		if (!page_is_ram(other))
			break;
		struct page *b = page_of_pa(other);
		if (!(b->flags & PG_BUDDY) || b->order != order)
			break;
		buddy_del(other, order);
		if (other < pa)
			pa = other;
		order++;
	}
	buddy_add(pa, order);
}

/* Hand [pa, end) (page-aligned) to the buddy lists as the largest aligned blocks. */
static void
free_run(uint64 pa, uint64 end)
{
	while (pa < end) {
		int order = MAX_ORDER;
		while (order > 0 && ((pa & ((PGSIZE << order) - 1)) ||
				     pa + (PGSIZE << order) > end))
			order--;
		buddy_add(pa, order);
		pa += PGSIZE << order;
		total_pages += 1UL << order;
	}
}

/*
 * Hand every usable page of RAM to the allocator (the page array, which
 * comes first, is vm/page.c's).
 */
void
kalloc_init(uint64 image_start, uint64 image_end)
{
	spin_init(&buddy.lock, "buddy");
	for (int k = 0; k <= MAX_ORDER; k++)
		buddy.head[k] = NIL;
	for (int i = 0; i < NCPU; i++) {
		spin_init(&harts[i].lock, "hart pages");
		harts[i].head = NIL;
	}
	spin_lock(&buddy.lock);         /* no other hart runs yet: for the lists' rule */
	page_array_init(image_start, image_end, free_run);
	spin_unlock(&buddy.lock);
	nfree = total_pages;
	superpages_on = !strstr(platform.bootargs, "nosuperpages");
}

/* --- per-hart lists --- */

/* Page numbers chained through next: a batch on its way between lists. */
static uint32
chain_pop(uint32 *chain)
{
	uint32 n = *chain;

	if (n != NIL)
		*chain = pages[n].next;
	return n;
}

static void
chain_push(uint32 *chain, uint32 n)
{
	pages[n].next = *chain;
	*chain = n;
}

/* Put a chain of n moving pages into c (not holding c->lock). */
static void
hart_put_chain(struct hart_pages *c, uint32 chain, int n)
{
	spin_lock(&c->lock);
	for (uint32 pfn; (pfn = chain_pop(&chain)) != NIL; c->count++)
		chain_push(&c->head, pfn);
	__atomic_fetch_sub(&nmoving, n, __ATOMIC_RELAXED);
	spin_unlock(&c->lock);
}

/* Move up to BATCH single pages from the buddy lists into c. */
static bool
hart_refill(struct hart_pages *c)
{
	uint32 chain = NIL;
	int n = 0;

	spin_lock(&buddy.lock);
	for (uint64 pa; n < BATCH && (pa = buddy_take(0)) != 0; n++)
		chain_push(&chain, pfn_of(pa));
	__atomic_fetch_add(&nmoving, n, __ATOMIC_RELAXED);
	spin_unlock(&buddy.lock);
	if (n == 0)
		return false;
	hart_put_chain(c, chain, n);
	return true;
}

/* Move BATCH pages of a full hart list back to the buddy lists.  c->lock held. */
static void
hart_drain(struct hart_pages *c)
{
	assert_held(&c->lock);
	spin_lock(&buddy.lock);
	for (int i = 0; i < BATCH && c->head != NIL; i++, c->count--)
		buddy_give(pa_of(chain_pop(&c->head)), 0);
	spin_unlock(&buddy.lock);
}

/* Take pages from the other harts' lists into mine; true if any came. */
static bool
hart_steal(struct hart_pages *mine)
{
	for (int i = 0; i < NCPU; i++) {
		struct hart_pages *c = &harts[i];
		uint32 chain = NIL;
		int n = 0;
		if (c == mine)
			continue;
		spin_lock(&c->lock);
		for (; n < BATCH && c->head != NIL; n++, c->count--)
			chain_push(&chain, chain_pop(&c->head));
		__atomic_fetch_add(&nmoving, n, __ATOMIC_RELAXED);
		spin_unlock(&c->lock);
		if (n > 0) {
			hart_put_chain(mine, chain, n);
			return true;
		}
	}
	return false;
}

/* --- the interface --- */

#ifdef DEBUG
/*
 * The count invariant (top of file), with every allocator lock held so
 * that nothing moves: panics if the free pages listed and moving are not
 * nfree.  Where it runs: a failed kalloc() and every address space's end.
 */
void
kalloc_check(void)
{
	uint64 listed = 0;

	for (int i = 0; i < NCPU; i++)
		spin_lock(&harts[i].lock);
	spin_lock(&buddy.lock);
	for (int i = 0; i < NCPU; i++)
		for (uint32 n = harts[i].head; n != NIL; n = pages[n].next)
			listed++;
	for (int k = 0; k <= MAX_ORDER; k++)
		for (uint32 n = buddy.head[k]; n != NIL; n = pages[n].next)
			listed += 1UL << k;
	uint64 moving = __atomic_load_n(&nmoving, __ATOMIC_RELAXED);
	uint64 counted_free = __atomic_load_n(&nfree, __ATOMIC_RELAXED);
	if (listed + moving != counted_free)
		panic("kalloc_check: %lu pages listed and %lu moving, but nfree is %lu",
		      listed, moving, counted_free);
	spin_unlock(&buddy.lock);
	for (int i = NCPU - 1; i >= 0; i--)
		spin_unlock(&harts[i].lock);
}
#endif

/* A page just unlisted and counted out: one reference, DEBUG poison. */
static void
page_handed_out(void *page)
{
	struct page *pg = page_of(page);

	if (pg->refs != 0)
		panic("kalloc: free page %p has %u references", page, pg->refs);
	__atomic_store_n(&pg->refs, 1, __ATOMIC_RELAXED);
#ifdef DEBUG
	memset(page, 0xa5, PGSIZE);
#endif
}

/* A page from c, counted out; NULL if c is empty. */
static void *
hart_take(struct hart_pages *c)
{
	spin_lock(&c->lock);
	uint32 n = chain_pop(&c->head);
	if (n != NIL) {
		c->count--;
		__atomic_fetch_sub(&nfree, 1, __ATOMIC_RELAXED);
	}
	spin_unlock(&c->lock);
	return n != NIL ? pa2kva(pa_of(n)) : NULL;
}

/*
 * Searches of every list before kalloc() gives up while nfree says pages
 * are free: they are moving on another hart with interrupts off, and land
 * within one search or two.  Reaching the bound means the count is wrong:
 * a DEBUG kernel panics there (kalloc_check), others fail the allocation.
 */
#define KALLOC_SEARCHES 64

void *
kalloc(void)
{
	if (fault_inject(FAULT_PAGE)) return NULL;
	void *page = NULL;

	push_off();
	struct hart_pages *mine = &harts[mycpu()->id];
	for (int search = 0; search < KALLOC_SEARCHES; search++) {
		if ((page = hart_take(mine)) != NULL)
			break;
		if (hart_refill(mine) || hart_steal(mine))
			continue;
		if (__atomic_load_n(&nfree, __ATOMIC_ACQUIRE) == 0 && (!reclaim || reclaim() == 0))
			break;          /* nothing free, nothing to reclaim */
	}
#ifdef DEBUG
	if (!page)
		kalloc_check();
#endif
	pop_off();
	if (page)
		page_handed_out(page);
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

/* The struct page holding page's references: its own, or its superpage's first. */
static struct page *
counted(void *page)
{
	struct page *pg = page_of(page);

	return (pg->flags & PG_TAIL) ? &pages[pg->next] : pg;
}

void
page_get(void *page)
{
	if (__atomic_fetch_add(&counted(page)->refs, 1, __ATOMIC_RELAXED) == 0)
		panic("page_get: %p is free", page);
}

/*
 * The page's reference count.  Acquire: a caller that sees 1 and then
 * writes the page must come after the other sharers' page_put(), so after
 * everything they did with the page (a copy-on-write copy of it).
 */
uint32
page_refcount(void *page)
{
	return __atomic_load_n(&counted(page)->refs, __ATOMIC_ACQUIRE);
}

/*
 * A superpage of HUGE_PAGES pages, aligned to its size, straight from the
 * buddy lists (the per-hart lists hold single pages); NULL when no block
 * that large is free, or superpages are off ("nosuperpages" on the kernel
 * command line, for measurements): the caller falls back to single pages.
 */
void *
kalloc_huge(void)
{
	if (!superpages_on)
		return NULL;
	spin_lock(&buddy.lock);
	uint64 pa = buddy_take(HUGE_ORDER);
	if (pa)
		__atomic_fetch_sub(&nfree, HUGE_PAGES, __ATOMIC_RELAXED);
	spin_unlock(&buddy.lock);
	if (!pa)
		return NULL;
	uint32 head = pfn_of(pa);
	for (uint32 i = 1; i < HUGE_PAGES; i++) {
		pages[head + i].flags |= PG_TAIL;
		pages[head + i].next = head;
	}
	pages[head].flags |= PG_HEAD;
	pages[head].order = HUGE_ORDER;
	__atomic_store_n(&pages[head].refs, 1, __ATOMIC_RELAXED);
#ifdef DEBUG
	memset(pa2kva(pa), 0xa5, PGSIZE << HUGE_ORDER);
#endif
	return pa2kva(pa);
}

/* Make a superpage's pages ordinary pages again, each with refs (head excluded). */
static void
unmark_huge(uint32 head, uint32 refs)
{
	for (uint32 i = 1; i < HUGE_PAGES; i++) {
		pages[head + i].flags &= ~PG_TAIL;
		__atomic_store_n(&pages[head + i].refs, refs, __ATOMIC_RELAXED);
	}
	pages[head].flags &= ~PG_HEAD;
	pages[head].order = 0;
}

/*
 * A superpage with one reference (the caller's single mapping) becomes
 * HUGE_PAGES ordinary pages with one reference each, so that part of it
 * can be freed alone.
 */
void
huge_split(void *head)
{
	struct page *pg = page_of(head);

	if (!(pg->flags & PG_HEAD) || __atomic_load_n(&pg->refs, __ATOMIC_ACQUIRE) != 1)
		panic("huge_split: %p is not an unshared superpage", head);
	unmark_huge(pfn_of(kva2pa(head)), 1);
}

/* The last reference to a superpage went: the whole block goes back. */
static void
free_huge(struct page *head)
{
	uint32 n = (uint32)(head - pages);

#ifdef DEBUG
	memset(pa2kva(pa_of(n)), 0x5a, PGSIZE << HUGE_ORDER);
#endif
	unmark_huge(n, 0);
	spin_lock(&buddy.lock);
	__atomic_fetch_add(&nfree, HUGE_PAGES, __ATOMIC_RELEASE);
	buddy_give(pa_of(n), HUGE_ORDER);
	spin_unlock(&buddy.lock);
}

void
page_put(void *page)
{
	struct page *pg = counted(page);
	uint32 old = __atomic_fetch_sub(&pg->refs, 1, __ATOMIC_ACQ_REL);

	if (old == 0)
		panic("page_put: %p already free", page);
	if (old > 1)
		return;
	if (pg->flags & PG_HEAD) {
		free_huge(pg);
		return;
	}
	pg->flags &= ~PG_TABLE;         /* a page table no more: pt_check_live */
#ifdef DEBUG
	memset(page, 0x5a, PGSIZE);
#endif
	push_off();
	struct hart_pages *mine = &harts[mycpu()->id];
	spin_lock(&mine->lock);
	__atomic_fetch_add(&nfree, 1, __ATOMIC_RELEASE);
	chain_push(&mine->head, pfn_of(kva2pa(page)));
	if (++mine->count > HART_HIGH)
		hart_drain(mine);
	spin_unlock(&mine->lock);
	pop_off();
}

/*
 * fn gives back pages held only loosely (the file page cache's pages that
 * nothing maps) and returns how many; kalloc() calls it when no page is
 * free.  It must never sleep, fault or free a page table (vm/pagetable.h).
 */
void
kalloc_set_reclaim(uint64 (*fn)(void))
{
	reclaim = fn;
}

uint64
kalloc_free_pages(void)
{
	return __atomic_load_n(&nfree, __ATOMIC_RELAXED);
}

uint64
kalloc_total_pages(void)
{
	return total_pages;
}

/*
 * Set pages aside without touching them, a test aid (selftest's balloon):
 * whole free blocks, largest first, until no more than keep pages are
 * free.  They are chained through the page array at *chain (which starts
 * as KALLOC_NO_CHAIN) and belong to nobody: on no list, refs 0.  Returns
 * how many pages were set aside.
 */
uint64
kalloc_set_aside(uint64 keep, uint32 *chain)
{
	uint64 taken = 0;

	spin_lock(&buddy.lock);
	for (int k = MAX_ORDER; k >= 0; k--) {
		uint64 n;
		/* written so that a huge keep cannot wrap the sum */
		while (buddy.nblocks[k] > 0 &&
		       (n = __atomic_load_n(&nfree, __ATOMIC_RELAXED)) >= keep &&
		       n - keep >= (1UL << k)) {
			uint64 pa = buddy_take(k);
			page_of_pa(pa)->order = k;
			chain_push(chain, pfn_of(pa));
			__atomic_fetch_sub(&nfree, 1UL << k, __ATOMIC_RELAXED);
			taken += 1UL << k;
		}
	}
	spin_unlock(&buddy.lock);
	return taken;
}

/* Give back what kalloc_set_aside() put on *chain. */
void
kalloc_give_back(uint32 *chain)
{
	spin_lock(&buddy.lock);
	for (uint32 n; (n = chain_pop(chain)) != NIL;) {
		int k = pages[n].order;
		buddy_give(pa_of(n), k);
		__atomic_fetch_add(&nfree, 1UL << k, __ATOMIC_RELEASE);
	}
	spin_unlock(&buddy.lock);
}

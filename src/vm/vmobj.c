/*
 * Memory objects and their page cache (vm/vmobj.h).
 *
 * A cached page is found by (object, index) through one hash table, and
 * is on its object's list of pages; both links live in the page's struct
 * page, so the cache allocates nothing of its own.  The cache holds one
 * reference on each of its pages; every mapping holds another.  A page
 * with no reference but the cache's is mapped nowhere and may be dropped.
 *
 * Locking: cache_lock guards the hash table, the objects' page lists and
 * page counts, and the pool of objects.  It is a spinlock: the fault path
 * looks pages up with interrupts off.  Filling a file page reads the disk
 * and sleeps, outside the lock; two faults may fill the same page at once,
 * and the second to insert uses the first's page.
 */
#include "vm/vmobj.h"
#include "vm/kalloc.h"
#include "vm/kmem.h"
#include "vm/page.h"
#include "fs/fs.h"
#include "sched/spinlock.h"
#include "lib/printf.h"
#include "lib/string.h"

#define NVMOBJ          256
#define HASH_BUCKETS    1024

static struct spinlock cache_lock;
static uint32 buckets[HASH_BUCKETS];
static struct vmobj objs[NVMOBJ];

void
vmobj_init(void)
{
	spin_init(&cache_lock, "page cache");
	for (int i = 0; i < HASH_BUCKETS; i++)
		buckets[i] = PAGE_NIL;
}

static uint32 *
bucket(struct vmobj *o, uint64 index)
{
	uint64 h = ((uint64)o >> 4) * 0x9e3779b97f4a7c15UL + index;
	return &buckets[(h >> 20) % HASH_BUCKETS];
}

/* The cached page (its number) of o at index, or PAGE_NIL.  cache_lock held. */
static uint32
cache_lookup(struct vmobj *o, uint64 index)
{
	for (uint32 n = *bucket(o, index); n != PAGE_NIL; n = pages[n].hnext)
		if (pages[n].obj == o && pages[n].index == index)
			return n;
	return PAGE_NIL;
}

/* Put page n in the cache as o's page index.  cache_lock held. */
static void
cache_insert(struct vmobj *o, uint64 index, uint32 n)
{
	struct page *pg = &pages[n];
	uint32 *b = bucket(o, index);

	pg->flags |= PG_CACHED;
	pg->obj = o;
	pg->index = (uint32)index;
	pg->hnext = *b;
	*b = n;
	pg->prev = PAGE_NIL;
	pg->next = o->first;
	if (o->first != PAGE_NIL)
		pages[o->first].prev = n;
	o->first = n;
	o->npages++;
}

/* Take page n out of the cache; the caller drops the cache's reference.  cache_lock held. */
static void
cache_remove(uint32 n)
{
	struct page *pg = &pages[n];
	struct vmobj *o = pg->obj;
	uint32 *link = bucket(o, pg->index);

	while (*link != n)
		link = &pages[*link].hnext;
	*link = pg->hnext;
	if (pg->prev != PAGE_NIL)
		pages[pg->prev].next = pg->next;
	else
		o->first = pg->next;
	if (pg->next != PAGE_NIL)
		pages[pg->next].prev = pg->prev;
	pg->flags &= ~PG_CACHED;
	pg->obj = NULL;
	o->npages--;
}

/* A new shared anonymous object (one reference), or NULL if none is free. */
struct vmobj *
vmobj_anon(void)
{
	struct vmobj *o = NULL;

	spin_lock(&cache_lock);
	for (int i = 0; i < NVMOBJ && !o; i++)
		if (objs[i].refs == 0)
			o = &objs[i];
	if (o) {
		o->refs = 1;
		o->kind = VMOBJ_ANON;
		o->ip = NULL;
		o->npages = 0;
		o->first = PAGE_NIL;
	}
	spin_unlock(&cache_lock);
	return o;
}

void
vmobj_get(struct vmobj *o)
{
	spin_lock(&cache_lock);
	o->refs++;
	spin_unlock(&cache_lock);
}

/* Drop a reference; the last one empties the object's cache and frees it. */
void
vmobj_put(struct vmobj *o)
{
	spin_lock(&cache_lock);
	if (--o->refs > 0) {
		spin_unlock(&cache_lock);
		return;
	}
	uint32 chain = PAGE_NIL;
	while (o->first != PAGE_NIL) {
		uint32 n = o->first;
		cache_remove(n);
		pages[n].hnext = chain;         /* free after the lock */
		chain = n;
	}
	spin_unlock(&cache_lock);
	while (chain != PAGE_NIL) {
		uint32 n = chain;
		chain = pages[n].hnext;
		kfree(pa2kva(pa_of(n)));
	}
}

/*
 * Page index of o, with a reference for the caller (the mapping that will
 * hold it): from the cache, or zero-filled (anonymous) and cached.
 */
int
vmobj_page(struct vmobj *o, uint64 index, bool may_sleep, void **page)
{
	(void)may_sleep;
	if (index > 0xffffffffUL)
		return VMOBJ_NOMEM;
	spin_lock(&cache_lock);
	uint32 n = cache_lookup(o, index);
	if (n != PAGE_NIL) {
		*page = pa2kva(pa_of(n));
		page_get(*page);
		spin_unlock(&cache_lock);
		return VMOBJ_OK;
	}
	spin_unlock(&cache_lock);

	void *fresh = kzalloc();
	if (!fresh)
		return VMOBJ_NOMEM;
	spin_lock(&cache_lock);
	n = cache_lookup(o, index);
	if (n == PAGE_NIL) {
		n = pfn_of(kva2pa(fresh));
		cache_insert(o, index, n);
		fresh = NULL;
	}
	*page = pa2kva(pa_of(n));
	page_get(*page);
	spin_unlock(&cache_lock);
	if (fresh)
		kfree(fresh);           /* someone filled it first */
	return VMOBJ_OK;
}

/* For vmprint: " (anonymous)" or " (inode N, page I)". */
void
vmobj_describe(struct vmobj *o, uint64 pgoff, char *out, int size)
{
	if (o->kind == VMOBJ_FILE)
		snprintf(out, size, " (file: inode %u, page %lu)", o->ip->inum, pgoff);
	else
		snprintf(out, size, " (shared anonymous memory)");
}

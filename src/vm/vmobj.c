/*
 * Memory objects and their page cache (vm/vmobj.h).
 *
 * A cached page is found by (object, index) through one hash table, and
 * is on its object's list of pages; both links live in the page's struct
 * page, so the cache allocates nothing of its own.  The cache holds one
 * reference on each of its pages; every mapping holds another.  A page
 * with no reference but the cache's is mapped nowhere and may be dropped.
 *
 * A file's object stays after its last mapping goes, holding a reference
 * on the inode and its pages, so that the next exec or mmap of the file
 * finds them: the cache of program text.  Such pages are given back when
 * memory runs short (vmobj_reclaim, which kalloc calls through
 * kalloc_set_reclaim), the object when the pool
 * needs its slot, when more than CACHED_FILES_MAX files are cached so (each
 * holds an in-memory inode, of which there are 200), or when the file
 * loses its last link.  Pages a file object
 * holds are kept equal to the file: write() and truncation update them;
 * what a shared mapping writes reaches the file at msync, munmap, exit
 * and exec (vm/mmap.c).
 *
 * The file's side (reading and writing its bytes, its references, its
 * link count) is the file pager's (vm/pager.h, fs/pager.c): an inode is
 * opaque here.
 *
 * Locking: cache_lock guards the hash table, the objects' page lists and
 * page counts, the pool of objects and each file's object pointer.  It is a spinlock: the fault path
 * looks pages up with interrupts off.  Filling a file page reads the disk
 * and sleeps, outside the lock; two faults may fill the same page at once,
 * and the second to insert uses the first's page.
 */
#include "vm/vmobj.h"
#include "vm/kalloc.h"
#include "vm/kernel_layout.h"
#include "vm/page.h"
#include "vm/pager.h"
#include "sync/spinlock.h"
#include "debug/kprintf.h"
#include "lib/string.h"

#define NVMOBJ          256
#define CACHED_FILES_MAX 48     /* files kept cached with nothing mapping them */
#define HASH_BUCKETS    1024

static struct spinlock cache_lock;
/*
 * A file object became collectable (no mapping, file unlinked) by its last
 * put; vmobj_collect scans only then.  The other way there, unlink of a
 * file nothing maps, frees the object at once (vmobj_file_unlinked).
 */
static bool collect_wanted;
static uint32 buckets[HASH_BUCKETS];
static struct vmobj objs[NVMOBJ];
static const struct pager_ops *file_pager;

void
vmobj_init(void)
{
	spin_init(&cache_lock, "page cache");
	for (int i = 0; i < HASH_BUCKETS; i++)
		buckets[i] = PAGE_NIL;
	kalloc_set_reclaim(vmobj_reclaim);
}

void
vmobj_set_file_pager(const struct pager_ops *ops)
{
	file_pager = ops;
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
	assert_held(&cache_lock);
	for (uint32 n = *bucket(o, index); n != PAGE_NIL; n = pages[n].hnext)
		if (pages[n].obj == o && pages[n].index == index)
			return n;
	return PAGE_NIL;
}

/* Put page n in the cache as o's page index.  cache_lock held. */
static void
cache_insert(struct vmobj *o, uint64 index, uint32 n)
{
	assert_held(&cache_lock);
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
	assert_held(&cache_lock);
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

void
vmobj_get(struct vmobj *o)
{
	spin_lock(&cache_lock);
	o->refs++;
	spin_unlock(&cache_lock);
}

/* Take every page out of o's cache onto a chain; free it with free_chain.  cache_lock held. */
static uint32
empty_cache(struct vmobj *o)
{
	assert_held(&cache_lock);
	uint32 chain = PAGE_NIL;

	while (o->first != PAGE_NIL) {
		uint32 n = o->first;
		cache_remove(n);
		pages[n].hnext = chain;
		chain = n;
	}
	return chain;
}

/* Drop the cache's reference to each page of a chain (no lock held). */
static void
free_chain(uint32 chain)
{
	while (chain != PAGE_NIL) {
		uint32 n = chain;
		chain = pages[n].hnext;
		page_put(pa2kva(pa_of(n)));
	}
}

/*
 * Drop a mapping's reference.  The last one frees an anonymous object
 * and its pages; a file's object stays, cached (see the top).  Never
 * sleeps.
 */
void
vmobj_put(struct vmobj *o)
{
	uint32 chain = PAGE_NIL;

	spin_lock(&cache_lock);
	if (--o->refs == 0) {
		if (o->kind == VMOBJ_ANON)
			chain = empty_cache(o);
		else if (o->ip && file_pager->unlinked(o->ip))
			collect_wanted = true;  /* for vmobj_collect */
	}
	spin_unlock(&cache_lock);
	free_chain(chain);
}

/* One more or one fewer region mapping o's file opened for writing (pager_ops.writer). */
void
vmobj_writer(struct vmobj *o, bool more)
{
	file_pager->writer(o->ip, more);
}

/*
 * Free file object o, which no region maps (cache_lock held): its pages
 * go on *chain, and its inode, whose reference the caller must drop
 * (file_pager->release), is returned.
 */
static struct inode *
release_file_object(struct vmobj *o, uint32 *chain)
{
	assert_held(&cache_lock);
	struct inode *ip = o->ip;
	uint32 c = empty_cache(o);

	while (c != PAGE_NIL) {
		uint32 n = c;
		c = pages[n].hnext;
		pages[n].hnext = *chain;
		*chain = n;
	}
	*file_pager->object(ip) = NULL;
	o->ip = NULL;
	o->kind = VMOBJ_ANON;   /* free: refs 0, no inode */
	return ip;
}

/* ip's object with a new reference, if it has one; NULL if not.  Never sleeps. */
struct vmobj *
vmobj_file_cached(struct inode *ip)
{
	spin_lock(&cache_lock);
	struct vmobj *o = *file_pager->object(ip);
	if (o)
		o->refs++;
	spin_unlock(&cache_lock);
	return o;
}

/*
 * A free slot for a new object, refs 1 and of kind, or NULL if every slot
 * holds a mapped object.  A slot cached for a file nothing maps is taken
 * when no slot is free, or for a new file object when CACHED_FILES_MAX
 * files are cached so (the inodes they hold come from the shared inode
 * table): its pages go on *chain and its inode, whose reference the
 * caller drops (file_pager->release), in *evicted.  cache_lock held.
 */
static struct vmobj *
take_slot(int kind, uint32 *chain, struct inode **evicted)
{
	assert_held(&cache_lock);
	struct vmobj *spare = NULL, *unmapped = NULL;
	int cached = 0;

	for (int i = 0; i < NVMOBJ; i++) {
		if (objs[i].refs == 0 && !objs[i].ip && !spare)
			spare = &objs[i];
		if (objs[i].refs == 0 && objs[i].ip) {
			cached++;
			if (!unmapped)
				unmapped = &objs[i];
		}
	}
	if (unmapped && (!spare || (kind == VMOBJ_FILE && cached >= CACHED_FILES_MAX))) {
		*evicted = release_file_object(unmapped, chain);
		if (!spare)
			spare = unmapped;
	}
	if (spare) {
		spare->refs = 1;
		spare->kind = kind;
		spare->ip = NULL;
		spare->npages = 0;
		spare->first = PAGE_NIL;
	}
	return spare;
}

/* Give back what take_slot() evicted (and ip's reference, if any).  May sleep. */
static void
drop_evicted(uint32 chain, struct inode *evicted, struct inode *ip)
{
	might_sleep();
	free_chain(chain);
	if (ip)
		file_pager->release(ip);
	if (evicted)
		file_pager->release(evicted);
}

/*
 * A new shared anonymous object (one reference), or NULL if the pool is
 * full of mapped objects.  May sleep (an unmapped file object may be
 * freed to make room).
 */
struct vmobj *
vmobj_anon(void)
{
	might_sleep();
	struct inode *evicted = NULL;
	uint32 chain = PAGE_NIL;

	spin_lock(&cache_lock);
	struct vmobj *o = take_slot(VMOBJ_ANON, &chain, &evicted);
	spin_unlock(&cache_lock);
	drop_evicted(chain, evicted, NULL);
	return o;
}

/*
 * The object of file ip, with a mapping's reference: the one it has, or a
 * new one.  NULL if the pool is full of mapped objects.  May sleep (an
 * unmapped file object may be freed to make room) and may run a
 * transaction: the caller holds no inode lock, ip's included.
 */
struct vmobj *
vmobj_file(struct inode *ip)
{
	might_sleep();
	struct vmobj *o = vmobj_file_cached(ip);
	struct inode *evicted = NULL;
	uint32 chain = PAGE_NIL;

	if (o)
		return o;       /* the common case: no inode reference to take or drop */
	file_pager->hold(ip);   /* the object's own reference, if it is made */
	spin_lock(&cache_lock);
	struct vmobj **slot = file_pager->object(ip);
	if ((o = *slot)) {
		o->refs++;
	} else if ((o = take_slot(VMOBJ_FILE, &chain, &evicted))) {
		o->ip = ip;
		*slot = o;
		ip = NULL;      /* its reference is the object's now */
	}
	spin_unlock(&cache_lock);
	drop_evicted(chain, evicted, ip);
	return o;
}

/*
 * Free the file objects no region maps whose file has no link left, so
 * that the file is freed (their inode reference was all that kept it).
 * May sleep; called after exit and exec, and by unlink and sync.
 */
void
vmobj_collect(void)
{
	might_sleep();
	while (__atomic_load_n(&collect_wanted, __ATOMIC_RELAXED)) {
		struct inode *ip = NULL;
		uint32 chain = PAGE_NIL;
		spin_lock(&cache_lock);
		collect_wanted = false;         /* set again by a put after this pass */
		for (int i = 0; i < NVMOBJ && !ip; i++) {
			struct vmobj *o = &objs[i];
			if (o->refs == 0 && o->kind == VMOBJ_FILE && o->ip && file_pager->unlinked(o->ip))
				ip = release_file_object(o, &chain);
		}
		if (ip)
			collect_wanted = true;  /* there may be more */
		spin_unlock(&cache_lock);
		if (!ip)
			return;
		free_chain(chain);
		file_pager->release(ip);
	}
}

/*
 * ip lost its last link (in unlink's transaction, ip locked and held by
 * the caller): if nothing maps it, its object goes now.  Returns the
 * object's reference on ip for the caller to drop in its transaction
 * (not the last: the caller holds one), or NULL.
 */
struct inode *
vmobj_file_unlinked(struct inode *ip)
{
	struct inode *held = NULL;
	uint32 chain = PAGE_NIL;

	spin_lock(&cache_lock);
	struct vmobj *o = *file_pager->object(ip);
	if (o && o->refs == 0)
		held = release_file_object(o, &chain);
	spin_unlock(&cache_lock);
	free_chain(chain);
	return held;
}

/* Bytes [off, off+n) of ip were written with data: keep cached pages equal.  ip locked. */
void
vmobj_file_written(struct inode *ip, uint64 off, const void *data, uint64 n)
{
	struct vmobj **slot = file_pager->object(ip);
	if (!__atomic_load_n(slot, __ATOMIC_RELAXED))
		return;
	spin_lock(&cache_lock);
	struct vmobj *o = *slot;
	while (o && n > 0) {
		uint64 in_page = PGSIZE - off % PGSIZE, m = n < in_page ? n : in_page;
		uint32 pn = cache_lookup(o, off / PGSIZE);
		if (pn != PAGE_NIL)
			memcpy((char *)pa2kva(pa_of(pn)) + off % PGSIZE, data, m);
		data = (const char *)data + m;
		off += m;
		n -= m;
	}
	spin_unlock(&cache_lock);
}

/* ip was cut to size bytes: cached bytes past it read as zero.  ip locked. */
void
vmobj_file_truncated(struct inode *ip, uint64 size)
{
	struct vmobj **slot = file_pager->object(ip);
	if (!__atomic_load_n(slot, __ATOMIC_RELAXED))
		return;
	spin_lock(&cache_lock);
	struct vmobj *o = *slot;
	for (uint32 n = o ? o->first : PAGE_NIL; n != PAGE_NIL; n = pages[n].next) {
		uint64 start = (uint64)pages[n].index * PGSIZE;
		char *page = pa2kva(pa_of(n));
		if (start + PGSIZE <= size)
			continue;
		uint64 from = size > start ? size - start : 0;
		memset(page + from, 0, PGSIZE - from);
	}
	spin_unlock(&cache_lock);
}

/*
 * Memory is short: give back cached file pages nothing maps (the cache's
 * reference is their only one).  Never sleeps.  Returns how many.
 */
uint64
vmobj_reclaim(void)
{
	uint32 chain = PAGE_NIL;
	uint64 freed = 0;

	spin_lock(&cache_lock);
	for (int i = 0; i < NVMOBJ; i++) {
		struct vmobj *o = &objs[i];
		if (o->kind != VMOBJ_FILE || !o->ip)
			continue;
		for (uint32 n = o->first, next; n != PAGE_NIL; n = next) {
			next = pages[n].next;
			if (__atomic_load_n(&pages[n].refs, __ATOMIC_ACQUIRE) != 1)
				continue;
			cache_remove(n);
			pages[n].hnext = chain;
			chain = n;
			freed++;
		}
	}
	spin_unlock(&cache_lock);
	free_chain(chain);
	return freed;
}

/*
 * Page index of o, with a reference for the caller (the mapping that will
 * hold it): from the cache, or filled (zeroes for an anonymous object, the
 * file's bytes for a file: this may sleep, and with may_sleep false gives
 * VMOBJ_WOULD_SLEEP instead) and cached.
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

	if (o->kind == VMOBJ_FILE && !may_sleep)
		return VMOBJ_WOULD_SLEEP;
	void *fresh = kzalloc();
	if (!fresh)
		return VMOBJ_NOMEM;
	if (o->kind == VMOBJ_FILE && file_pager->fill(o->ip, index, fresh) < 0) {
		page_put(fresh);
		return VMOBJ_IO;
	}
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
		page_put(fresh);           /* someone filled it first */
	return VMOBJ_OK;
}

/* For vmprint: " (anonymous)" or " (inode N, page I)". */
void
vmobj_describe(struct vmobj *o, uint64 pgoff, char *out, int size)
{
	if (o->kind == VMOBJ_FILE)
		snprintf(out, size, " (file: inode %u, page %lu)", file_pager->number(o->ip), pgoff);
	else
		snprintf(out, size, " (shared anonymous memory)");
}

/* Pages in the page cache, for sysinfo. */
uint64
vmobj_cached_pages(void)
{
	uint64 n = 0;

	spin_lock(&cache_lock);
	for (int i = 0; i < NVMOBJ; i++)
		n += objs[i].npages;
	spin_unlock(&cache_lock);
	return n;
}

/* Cached file pages nothing maps: what vmobj_reclaim() would give back. */
uint64
vmobj_reclaimable(void)
{
	uint64 n = 0;

	spin_lock(&cache_lock);
	for (int i = 0; i < NVMOBJ; i++) {
		struct vmobj *o = &objs[i];
		if (o->kind != VMOBJ_FILE || !o->ip)
			continue;
		for (uint32 p = o->first; p != PAGE_NIL; p = pages[p].next)
			n += __atomic_load_n(&pages[p].refs, __ATOMIC_RELAXED) == 1;
	}
	spin_unlock(&cache_lock);
	return n;
}

/* Write n pages of file object o (kernel addresses, page indexes) back to the file: 0 or -1. */
int
vmobj_write_back(struct vmobj *o, void *const page[], const uint64 index[], int n)
{
	might_sleep();
	return file_pager->write_back(o->ip, page, index, n);
}

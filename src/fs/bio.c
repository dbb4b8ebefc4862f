/*
 * The buffer cache.  NBUF buffers, each in exactly one of NBUCKET hash
 * buckets chosen by its block number; each bucket has its own spinlock,
 * so lookups of different blocks by different harts do not meet.
 *
 * Locking:
 *  - a bucket's lock guards its chain and the refcnt and last_use of the
 *    buffers on it;
 *  - a buffer changes identity (and bucket) only in the miss path, with
 *    evict_lock held: one eviction at a time.  Hits and releases hold one
 *    bucket lock; only the evictor ever holds two, which cannot deadlock;
 *  - a buffer with refcnt 0 is on no one's hands and may be recycled; the
 *    least recently released such buffer goes first;
 *  - a buffer's sleep lock guards data, valid and the transfer.
 *
 * Writes are refused (with a message) at or beyond the limit, the size of
 * the mounted file system: nothing is written outside the image's blocks.
 */
#include "fs/buf.h"
#include "dev/virtio_blk.h"
#include "sched/proc.h"
#include "sched/spinlock.h"
#include "vm/kalloc.h"
#include "lib/printf.h"
#include "lib/string.h"

#define NBUF 512
#define NBUCKET 61

struct bucket {
	struct spinlock lock;
	struct buf *head;
};

static struct {
	struct buf buf[NBUF];
	struct bucket bucket[NBUCKET];
	struct spinlock evict_lock;
	uint64 clock;           /* ticks of last_use, atomic */
	uint32 limit;
	uint32 waiters;         /* misses waiting for a free buffer, under evict_lock */
} bcache;

static struct bucket *
bucket_of(uint32 blockno)
{
	return &bcache.bucket[blockno % NBUCKET];
}

/* Carve the buffers' data out of whole pages and spread them over the buckets. */
void
bio_init(void)
{
	spin_init(&bcache.evict_lock, "bcache evict");
	for (int i = 0; i < NBUCKET; i++)
		spin_init(&bcache.bucket[i].lock, "bcache bucket");
	for (int i = 0; i < NBUF; i++) {
		struct buf *b = &bcache.buf[i];
		if (i % (PGSIZE / BSIZE) == 0 && !(b->data = kalloc()))
			panic("bio_init: no memory for buffers");
		if (i % (PGSIZE / BSIZE) != 0)
			b->data = bcache.buf[i - 1].data + BSIZE;
		sleep_init(&b->lock, "buffer");
		b->dev = 0;             /* no device: matches no lookup */
		b->blockno = (uint32)i;
		b->next = bucket_of(b->blockno)->head;
		bucket_of(b->blockno)->head = b;
	}
	bcache.limit = 0;       /* no writes until a file system is found sound */
}

/* Refuse writes at or beyond block nblocks from now on. */
void
bio_set_limit(uint32 nblocks)
{
	bcache.limit = nblocks;
}

static struct buf *
find(struct bucket *bk, uint32 dev, uint32 blockno)
{
	for (struct buf *b = bk->head; b; b = b->next)
		if (b->dev == dev && b->blockno == blockno)
			return b;
	return NULL;
}

/* The unreferenced buffer released longest ago, or NULL.  Caller holds evict_lock. */
static struct buf *
pick_victim(void)
{
	struct buf *best = NULL;
	uint64 best_use = ~0ull;

	for (int i = 0; i < NBUCKET; i++) {
		spin_lock(&bcache.bucket[i].lock);
		for (struct buf *b = bcache.bucket[i].head; b; b = b->next) {
			if (b->refcnt == 0 && b->last_use < best_use) {
				best = b;
				best_use = b->last_use;
			}
		}
		spin_unlock(&bcache.bucket[i].lock);
	}
	return best;
}

static void
unlink_from(struct bucket *bk, struct buf *b)
{
	struct buf **pp = &bk->head;

	while (*pp != b)
		pp = &(*pp)->next;
	*pp = b->next;
}

/*
 * The buffer for (dev, blockno), referenced and locked; its data is valid
 * only if b->valid.  Sleeps while every buffer is in use.
 */
static struct buf *
bget(uint32 dev, uint32 blockno)
{
	struct bucket *bk = bucket_of(blockno);
	struct buf *b;

	spin_lock(&bk->lock);
	if ((b = find(bk, dev, blockno))) {
		b->refcnt++;
		spin_unlock(&bk->lock);
		sleep_lock(&b->lock);
		return b;
	}
	spin_unlock(&bk->lock);

	/* miss: recycle a buffer; only evictors add keys, so one check under evict_lock suffices */
	spin_lock(&bcache.evict_lock);
	spin_lock(&bk->lock);
	b = find(bk, dev, blockno);
	if (b)
		b->refcnt++;
	spin_unlock(&bk->lock);
	while (!b) {
		struct buf *v = pick_victim();
		if (!v) {
			bcache.waiters++;
			sleep(&bcache.waiters, &bcache.evict_lock);
			bcache.waiters--;
			continue;
		}
		struct bucket *vb = bucket_of(v->blockno);
		spin_lock(&vb->lock);
		if (vb != bk)
			spin_lock(&bk->lock);
		if (v->refcnt == 0) {   /* else a hit took it meanwhile: pick again */
			unlink_from(vb, v);
			v->dev = dev;
			v->blockno = blockno;
			v->valid = false;
			v->refcnt = 1;
			v->next = bk->head;
			bk->head = v;
			b = v;
		}
		if (vb != bk)
			spin_unlock(&bk->lock);
		spin_unlock(&vb->lock);
	}
	spin_unlock(&bcache.evict_lock);
	sleep_lock(&b->lock);
	return b;
}

/* A locked buffer holding block blockno's contents (zeros if the read failed). */
struct buf *
bread(uint32 dev, uint32 blockno)
{
	struct buf *b = bget(dev, blockno);

	if (!b->valid) {
		virtio_blk_rw(b, false);
		if (b->io_error)
			memset(b->data, 0, BSIZE);
		else
			b->valid = true;
	}
	return b;
}

/* A locked buffer for blockno with data all zero, without reading the disk. */
struct buf *
bget_zero(uint32 dev, uint32 blockno)
{
	struct buf *b = bget(dev, blockno);

	memset(b->data, 0, BSIZE);
	b->valid = true;
	return b;
}

static bool
write_allowed(uint32 blockno)
{
	if (blockno < bcache.limit)
		return true;
	kprintf("bio: refusing to write block %u, outside the file system (%u blocks)\n",
		blockno, bcache.limit);
	return false;
}

/* Write b's data to its block.  The caller holds b's lock. */
void
bwrite(struct buf *b)
{
	if (!sleep_holding(&b->lock))
		panic("bwrite: buffer not locked");
	if (write_allowed(b->blockno))
		virtio_blk_rw(b, true);
}

/*
 * Write n locked buffers at once, bufs[i] to block where[i] (or to its own
 * block if where is NULL), with as many transfers in flight as the disk
 * takes; return when all are done.
 */
void
bwrite_many(struct buf **bufs, const uint32 *where, int n)
{
	for (int i = 0; i < n; i++) {
		uint32 to = where ? where[i] : bufs[i]->blockno;
		if (write_allowed(to))
			virtio_blk_submit(bufs[i], to, true);
	}
	for (int i = 0; i < n; i++)
		virtio_blk_wait(bufs[i]);
}

/* A buffer became unreferenced: wake misses waiting for one. */
static void
wake_waiters(void)
{
	if (__atomic_load_n(&bcache.waiters, __ATOMIC_RELAXED)) {
		spin_lock(&bcache.evict_lock);
		wakeup(&bcache.waiters);
		spin_unlock(&bcache.evict_lock);
	}
}

/* Unlock and drop a reference; an unreferenced buffer may be recycled. */
void
brelse(struct buf *b)
{
	struct bucket *bk = bucket_of(b->blockno);

	sleep_unlock(&b->lock);
	spin_lock(&bk->lock);
	bool free = --b->refcnt == 0;
	if (free)
		b->last_use = __atomic_add_fetch(&bcache.clock, 1, __ATOMIC_RELAXED);
	spin_unlock(&bk->lock);
	if (free)
		wake_waiters();
}

/* Keep b cached (the log holds it until it is installed). */
void
bpin(struct buf *b)
{
	struct bucket *bk = bucket_of(b->blockno);

	spin_lock(&bk->lock);
	b->refcnt++;
	spin_unlock(&bk->lock);
}

void
bunpin(struct buf *b)
{
	struct bucket *bk = bucket_of(b->blockno);

	spin_lock(&bk->lock);
	if (b->refcnt == 0)
		panic("bunpin: buffer not referenced");
	bool free = --b->refcnt == 0;
	if (free)
		b->last_use = __atomic_add_fetch(&bcache.clock, 1, __ATOMIC_RELAXED);
	spin_unlock(&bk->lock);
	if (free)
		wake_waiters();
}

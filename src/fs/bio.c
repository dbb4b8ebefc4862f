/*
 * The buffer cache.  NBUF buffers, each in exactly one of NBUCKET hash
 * buckets chosen by its block number; each bucket has its own spinlock,
 * so lookups of different blocks by different harts do not meet.
 *
 * There is no global lock, misses included.
 *
 * Locking:
 *  - a bucket's lock guards its chain and the (dev, blockno), refcnt and
 *    last_use of the buffers on it;
 *  - a buffer changes identity, and so bucket, only with both its old and
 *    its new bucket locked, the lower-numbered bucket first;
 *  - a miss picks the unreferenced buffer released longest ago, then locks
 *    the two buckets and checks again that the block is still missing and
 *    the buffer still free, else starts over;
 *  - a buffer's sleep lock guards data, valid and the transfer.
 * When every buffer is referenced, a miss sleeps until one is released
 * (wait_lock and the releases counter make sure no wakeup is lost).
 *
 * Why that wait ends: the log pins at most FS_LOG_MAX buffers, and a
 * process holds at most two others when it may wait for one (a bitmap
 * block while it takes a fresh data block); bread_many(), which holds
 * more, never waits with buffers in hand.  NPROC * 2 + FS_LOG_MAX < NBUF.
 *
 * Writes are refused (with a message) at or beyond the limit, the size of
 * the mounted file system: nothing is written outside the image's blocks.
 *
 * Failures: bread() returns NULL when the block cannot be had -- the disk
 * reported an I/O error (the buffer is left invalid, so the next bread
 * tries the disk again) or, with fault injection, a miss found no buffer.
 * A hit never fails, so a block the open transaction has logged (pinned)
 * can always be read again.  Writes report an I/O error to the caller.
 */
#include "fs/buf.h"
#include "dev/virtio_blk.h"
#include "sched/proc.h"
#include <canopy/param.h>
#include "sync/spinlock.h"
#include "vm/kalloc.h"
#include "debug/faultinject.h"
#include "debug/kprintf.h"
#include "lib/string.h"

#define NBUCKET 61

struct bucket {
	struct spinlock lock;
	struct buf *head;
};

static struct {
	struct buf buf[NBUF];
	struct bucket bucket[NBUCKET];
	uint64 clock;           /* ticks of last_use, atomic */
	uint32 limit;
	struct spinlock wait_lock;
	uint32 waiters;         /* misses sleeping for a free buffer, atomic */
	uint64 releases;        /* buffers that became free, atomic */
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
	spin_init(&bcache.wait_lock, "bcache wait");
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

/* The unreferenced buffer released longest ago, or NULL (it may be taken before the caller locks it). */
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

/* Lock two buckets (or one) in index order. */
static void
lock_pair(struct bucket *a, struct bucket *b)
{
	if (a == b) {
		spin_lock(&a->lock);
	} else if (a < b) {
		spin_lock(&a->lock);
		spin_lock(&b->lock);
	} else {
		spin_lock(&b->lock);
		spin_lock(&a->lock);
	}
}

static void
unlock_pair(struct bucket *a, struct bucket *b)
{
	spin_unlock(&a->lock);
	if (a != b)
		spin_unlock(&b->lock);
}

/* Sleep until some buffer has been released since the count was `seen`. */
static void
wait_for_release(uint64 seen)
{
	spin_lock(&bcache.wait_lock);
	__atomic_add_fetch(&bcache.waiters, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&bcache.releases, __ATOMIC_SEQ_CST) == seen)
		sleep(&bcache.waiters, &bcache.wait_lock);
	__atomic_sub_fetch(&bcache.waiters, 1, __ATOMIC_SEQ_CST);
	spin_unlock(&bcache.wait_lock);
}

STATIC_ASSERT(NPROC * 2 + FS_LOG_MAX < NBUF);

/*
 * The buffer for (dev, blockno), referenced and locked; its data is valid
 * only if b->valid.  Sleeps while every buffer is in use, or returns NULL
 * then if !wait.  NULL too when fault injection fails a miss.
 */
static struct buf *
bget_maybe(uint32 dev, uint32 blockno, bool wait)
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

	/* a miss: recycle a buffer */
	if (fault_inject(FAULT_BUF))
		return NULL;
	for (;;) {
		uint64 seen = __atomic_load_n(&bcache.releases, __ATOMIC_SEQ_CST);
		struct buf *v = pick_victim();
		if (!v && !wait)
			return NULL;
		if (!v) {
			wait_for_release(seen);
			continue;
		}
		struct bucket *vb = bucket_of(__atomic_load_n(&v->blockno, __ATOMIC_RELAXED));
		lock_pair(bk, vb);
		if ((b = find(bk, dev, blockno))) {     /* another miss brought it in meanwhile */
			b->refcnt++;
			unlock_pair(bk, vb);
			break;
		}
		if (bucket_of(v->blockno) == vb && v->refcnt == 0) {
			unlink_from(vb, v);
			v->dev = dev;
			v->blockno = blockno;
			v->valid = false;
			v->refcnt = 1;
			v->next = bk->head;
			bk->head = v;
			unlock_pair(bk, vb);
			b = v;
			break;
		}
		unlock_pair(bk, vb);    /* the victim was taken: pick again */
	}
	sleep_lock(&b->lock);
	return b;
}

static struct buf *
bget(uint32 dev, uint32 blockno)
{
	return bget_maybe(dev, blockno, true);
}

/*
 * A locked buffer holding block blockno's contents; NULL (said once per
 * block by the driver) if the disk could not read it or no buffer was to
 * be had.
 */
struct buf *
bread(uint32 dev, uint32 blockno)
{
	struct buf *b = bget(dev, blockno);

	if (!b || b->valid)
		return b;
	virtio_blk_rw(b, false);
	if (b->io_error) {
		brelse(b);
		return NULL;
	}
	b->valid = true;
	return b;
}

/* A locked buffer for blockno with data all zero, without reading the disk; NULL if none. */
struct buf *
bget_zero(uint32 dev, uint32 blockno)
{
	struct buf *b = bget(dev, blockno);

	if (!b)
		return NULL;
	memset(b->data, 0, BSIZE);
	b->valid = true;
	return b;
}

/*
 * Forget b's contents (locked): the next bread() reads the disk again.
 * For blocks changed by a transaction that will never be written.
 */
void
binvalidate(struct buf *b)
{
	b->valid = false;
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

/* Write b's data to its block.  The caller holds b's lock.  0, or -1 if refused or failed. */
int
bwrite(struct buf *b)
{
	if (!sleep_holding(&b->lock))
		panic("bwrite: buffer not locked");
	if (!write_allowed(b->blockno))
		return -1;
	virtio_blk_rw(b, true);
	return b->io_error ? -1 : 0;
}

/* Sort idx[0..n) so that key[idx[i]] ascends (insertion sort: n is small, keys mostly sorted). */
static void
sort_by(uint16 *idx, const uint32 *key, int n)
{
	for (int i = 0; i < n; i++)
		idx[i] = (uint16)i;
	for (int i = 1; i < n; i++) {
		uint16 v = idx[i];
		int j = i;
		for (; j > 0 && key[idx[j - 1]] > key[v]; j--)
			idx[j] = idx[j - 1];
		idx[j] = v;
	}
}

/*
 * Send bufs[idx[0..n)] to the disk, whose block numbers to[] (indexed like
 * bufs) ascend along idx, as runs of consecutive blocks: one request per run.
 */
static void
submit_runs(struct buf **bufs, const uint32 *to, const uint16 *idx, int n, bool write)
{
	struct buf *run[VIRTIO_BLK_MAX_SEGS];

	for (int i = 0; i < n;) {
		int k = 0;
		uint32 first = to[idx[i]];
		while (i < n && k < VIRTIO_BLK_MAX_SEGS && to[idx[i]] == first + (uint32)k)
			run[k++] = bufs[idx[i++]];
		virtio_blk_submit(run, k, first, write);
	}
}

/*
 * Read n distinct blocks at once: out[i] becomes blocks[i]'s buffer,
 * locked, with its contents.  Returns k, the number of leading blocks
 * read (out[0..k) are theirs): n, or fewer when a block could not be read
 * (the buffers from it on are let go); 0 if not even blocks[0] could be
 * had.  If a buffer is not to be had without waiting, lets go of those it
 * took and reads only blocks[0], so no one waits for a buffer while
 * holding many.  Buffers are locked in ascending block order, as
 * everywhere several are held, so two batches cannot deadlock.
 * n <= BIO_BATCH.
 */
int
bread_many(uint32 dev, const uint32 *blocks, struct buf **out, int n)
{
	uint16 idx[BIO_BATCH], missing[BIO_BATCH] = { 0 };
	uint32 to[BIO_BATCH] = { 0 };
	int m = 0, k = n;

	if (n > BIO_BATCH)
		panic("bread_many: %d blocks", n);
	sort_by(idx, blocks, n);
	for (int i = 0; i < n; i++) {
		if (!(out[idx[i]] = bget_maybe(dev, blocks[idx[i]], false))) {
			for (int j = 0; j < i; j++)
				brelse(out[idx[j]]);
			return (out[0] = bread(dev, blocks[0])) ? 1 : 0;
		}
	}
	for (int i = 0; i < n; i++) {
		to[i] = blocks[i];
		if (!out[idx[i]]->valid)
			missing[m++] = idx[i];
	}
	submit_runs(out, to, missing, m, false);
	for (int i = 0; i < m; i++) {
		struct buf *b = out[missing[i]];
		virtio_blk_wait(b);
		if (b->io_error && missing[i] < k)
			k = missing[i];
		else if (!b->io_error)
			b->valid = true;
	}
	for (int i = k; i < n; i++)
		brelse(out[i]);
	return k;
}

/*
 * Start writing n locked buffers, bufs[i] to block where[i] (or to its
 * own block if where is NULL): consecutive targets go as one request,
 * several requests are in flight.  n <= BIO_MANY_MAX.  Wait with
 * bwait_many().
 */
void
bsubmit_many(struct buf **bufs, const uint32 *where, int n)
{
	uint16 idx[BIO_MANY_MAX], ok[BIO_MANY_MAX] = { 0 };
	uint32 to[BIO_MANY_MAX] = { 0 };
	int k = 0;

	if (n > BIO_MANY_MAX)
		panic("bsubmit_many: %d buffers", n);
	for (int i = 0; i < n; i++)
		to[i] = where ? where[i] : bufs[i]->blockno;
	sort_by(idx, to, n);
	for (int i = 0; i < n; i++) {
		if (write_allowed(to[idx[i]]))
			ok[k++] = idx[i];
		else
			bufs[idx[i]]->io_error = true;
	}
	submit_runs(bufs, to, ok, k, true);
}

/* Wait until no transfer of bufs[0..n) is in progress.  0, or -1 if any failed (or was refused). */
int
bwait_many(struct buf **bufs, int n)
{
	int r = 0;

	for (int i = 0; i < n; i++) {
		virtio_blk_wait(bufs[i]);
		if (bufs[i]->io_error)
			r = -1;
	}
	return r;
}

/* bsubmit_many() and bwait_many(). */
int
bwrite_many(struct buf **bufs, const uint32 *where, int n)
{
	bsubmit_many(bufs, where, n);
	return bwait_many(bufs, n);
}

/* A buffer became unreferenced: wake misses waiting for one. */
static void
wake_waiters(void)
{
	__atomic_add_fetch(&bcache.releases, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&bcache.waiters, __ATOMIC_SEQ_CST)) {
		spin_lock(&bcache.wait_lock);
		wakeup(&bcache.waiters);
		spin_unlock(&bcache.wait_lock);
	}
}

/* Drop a reference; the last one makes b the newest candidate for recycling. */
static void
put_ref(struct buf *b)
{
	struct bucket *bk = bucket_of(b->blockno);

	spin_lock(&bk->lock);
	if (b->refcnt == 0)
		panic("bio: buffer %u not referenced", b->blockno);
	bool free = --b->refcnt == 0;
	if (free)
		b->last_use = __atomic_add_fetch(&bcache.clock, 1, __ATOMIC_RELAXED);
	spin_unlock(&bk->lock);
	if (free)
		wake_waiters();
}

/* Unlock and drop a reference; an unreferenced buffer may be recycled. */
void
brelse(struct buf *b)
{
	sleep_unlock(&b->lock);
	put_ref(b);
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
	put_ref(b);
}

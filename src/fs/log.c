/*
 * The write-ahead log (see fs/log.h for its use).
 *
 * A transaction's blocks stay pinned in the buffer cache until commit,
 * which (1) writes them to the log area and, at the same time, the header
 * with their addresses and a checksum over addresses and contents; once
 * all of that is on disk the transaction is committed; (2) writes the
 * blocks to their homes; (3) clears the header (n = 0), without waiting:
 * the next commit waits for that write before sending its own header.
 *
 * Recovery at mount replays a header whose checksum matches the log area
 * and discards one that does not: that is a commit cut short (its
 * operations had not returned).  Replaying is idempotent, so a crash
 * during (2) or before (3) lands is repaired by replaying again.  Each
 * step sends all its blocks at once (consecutive blocks as one request);
 * the committer locks the buffers in ascending block order, like every
 * holder of several.  The header has a buffer of its own, outside the
 * cache, written straight to the disk.
 *
 * Group commit: operations join the open transaction while there is room
 * for each to write MAXOPBLOCKS blocks; the last one to finish commits it
 * for all, and the others sleep until it is on disk.  A transaction that
 * logged nothing (a path lookup's) and that nobody waits on just ends.
 *
 * Failures (I/O errors, and with fault injection missing buffers): the
 * disk must keep a state fsck finds clean, and nothing may panic.  So
 * Canopy does what Linux does when a journal aborts: the file system
 * turns read-only, with a message, and stays so until the next boot.
 *  - A failed write while committing, before the transaction is
 *    committed (log blocks or header), or a failed clearing of the last
 *    header: the transaction is discarded.
 *  - A failed write of a committed transaction to its homes: it stays
 *    committed (its calls succeeded); the header is left as it is, so
 *    the next mount replays it.
 *  - An operation that cannot finish a change it has started (fs_fail():
 *    a block it must change cannot be read) turns the file system
 *    read-only too, so its half-made change is discarded with its
 *    transaction.  (Errors before an operation changes anything just make
 *    its call return -1.)
 * Once read-only, every transaction that ends is discarded: nothing is
 * written to the disk again, the cached copies of its blocks are
 * forgotten (later reads see the disk), and end_op() returns -1, so the
 * calls in it return -1.  Reads keep working.  What a discarded operation
 * changed in memory (an inode's size) may be seen until the next boot;
 * the disk holds the last committed state.
 *
 * Locking: log.lock guards every field.  Invariants: committing implies
 * outstanding == 0 and no one is in an operation; done_seq < open_seq;
 * lh holds the blocks logged in transaction open_seq so far; once
 * readonly is set it stays set, and first_lost is the first transaction
 * that ended after it was set.
 */
#include "fs/log.h"
#include "fs/buf.h"
#include "fs/fs.h"
#include "dev/virtio_blk.h"
#include "sched/proc.h"
#include "sync/spinlock.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include <canopy/fs.h>

#define LOGSIZE FS_LOG_MAX

static struct {
	struct spinlock lock;
	uint32 dev;
	uint32 start;           /* the header block; logged blocks follow it */
	int outstanding;        /* operations in the open transaction */
	int waiting;            /* processes sleeping in begin_op() */
	int finishing;          /* processes sleeping in end_op() for a commit */
	bool committing;
	uint64 open_seq;        /* the transaction operations join now */
	uint64 done_seq;        /* the last transaction wholly on disk */
	struct logheader lh;
	struct buf head;        /* the header's own buffer, with head_data */
	uint64 commits;         /* transactions that wrote something */
	uint64 ops;             /* operations begun */
	bool readonly;          /* a failure stopped all writing (see the top) */
	uint64 first_lost;      /* the first transaction discarded; 0 if none */
	struct buf *bufs[LOGSIZE];      /* the committer's: lh.block[i]'s buffer */
	uint32 where[LOGSIZE];          /* the committer's: log slot of lh.block[i] */
} log;

static uint8 head_data[BSIZE] __attribute__((aligned(BSIZE)));

/* Start writing the in-memory header to the header block (after any previous header write). */
static void
send_head(void)
{
	struct buf *h = &log.head;

	virtio_blk_wait(h);
	memcpy(head_data, &log.lh, sizeof(log.lh));
	virtio_blk_submit(&h, 1, log.start, true);
}

/* Wait for the last header write; false if it failed. */
static bool
wait_head(void)
{
	virtio_blk_wait(&log.head);
	return !log.head.io_error;
}

/* Stop all writing, saying why (once). */
static void
go_readonly(const char *why)
{
	spin_lock(&log.lock);
	bool was = log.readonly;
	log.readonly = true;
	spin_unlock(&log.lock);
	if (!was)
		kprintf("fs: %s: the file system is now read-only (the disk keeps its last "
			"committed state)\n", why);
}

/*
 * An operation cannot finish a change it has started (why says what):
 * the file system turns read-only, which discards the open transaction
 * and so the change.  The caller then fails its call.
 */
void
fs_fail(const char *why)
{
	go_readonly(why);
}

/* Has a failure made the file system read-only?  (Calls that would change it return -1.) */
bool
fs_readonly(void)
{
	return __atomic_load_n(&log.readonly, __ATOMIC_ACQUIRE);
}

/* Lock the buffers of the logged blocks (pinned in the cache) into log.bufs, lowest block first. */
static void
lock_logged(void)
{
	uint32 order[LOGSIZE];

	/* insertion sort: n <= LOGSIZE, and a big write logs its blocks mostly in order */
	for (uint32 i = 0; i < log.lh.n; i++)
		order[i] = i;
	for (uint32 i = 1; i < log.lh.n; i++) {
		uint32 v = order[i], j = i;
		for (; j > 0 && log.lh.block[order[j - 1]] > log.lh.block[v]; j--)
			order[j] = order[j - 1];
		order[j] = v;
	}
	for (uint32 i = 0; i < log.lh.n; i++) {
		/* pinned, so cached: a hit cannot fail */
		if (!(log.bufs[order[i]] = bread(log.dev, log.lh.block[order[i]])))
			panic("log: logged block %u is not in the cache", log.lh.block[order[i]]);
	}
}

static void
release_logged(bool unpin)
{
	for (uint32 i = 0; i < log.lh.n; i++) {
		if (unpin)
			bunpin(log.bufs[i]);
		brelse(log.bufs[i]);
	}
}

/* Recovery: copy each logged block from the log area to its home.  -1 if a block cannot be. */
static int
install_from_log(void)
{
	for (uint32 i = 0; i < log.lh.n; i++) {
		struct buf *lb = bread(log.dev, log.start + 1 + i);
		struct buf *home = lb ? bget_zero(log.dev, log.lh.block[i]) : NULL;
		if (!home) {
			if (lb)
				brelse(lb);
			return -1;
		}
		memcpy(home->data, lb->data, BSIZE);
		brelse(lb);
		int r = bwrite(home);
		brelse(home);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* Forget the open transaction: its blocks are never written, and their cached copies are dropped. */
static void
discard(void)
{
	for (uint32 i = 0; i < log.lh.n; i++)
		binvalidate(log.bufs[i]);
	release_logged(true);
	log.lh.n = 0;
	namecache_forget();     /* directories read from the dropped blocks */
}

/*
 * Make the open transaction durable.  Called with committing set, no
 * lock held.  0 if it is committed (or empty), -1 if it was discarded:
 * the file system is read-only (see the top).
 */
static int
commit(void)
{
	might_sleep();
	uint32 n = log.lh.n;
	uint64 sum = FS_CHECKSUM_SEED;

	if (!wait_head())       /* the last clearing of the header */
		go_readonly("clearing the log header failed");
	if (n == 0)
		return fs_readonly() ? -1 : 0;
	lock_logged();
	if (fs_readonly()) {
		discard();
		return -1;
	}
	for (uint32 i = 0; i < n; i++) {
		log.where[i] = log.start + 1 + i;
		sum = fs_checksum_add(sum, log.bufs[i]->data, BSIZE);
	}
	log.lh.checksum = fs_log_checksum(&log.lh, sum);
	bsubmit_many(log.bufs, log.where, (int)n);
	send_head();
	bool logged = bwait_many(log.bufs, (int)n) == 0;
	if (!wait_head() || !logged) {
		/* not committed: the header on disk is the old one, or names a torn log */
		go_readonly("writing the log failed");
		discard();
		return -1;
	}
	/* committed */
	bool home = bwrite_many(log.bufs, NULL, (int)n) == 0;
	release_logged(true);
	log.lh.n = 0;
	log.commits++;
	if (!home) {
		/* the header stays: the next mount installs the transaction again */
		go_readonly("writing committed blocks home failed");
		return 0;
	}
	send_head();
	return 0;
}

/*
 * Recover the log of the file system described by sb: replay a committed
 * transaction, discard a torn one.  Returns -1, having said why, if the
 * header is not believable (the file system must not be mounted).
 */
int
log_init(uint32 dev, const struct superblock *sb)
{
	spin_init(&log.lock, "log");
	log.head.data = head_data;
	log.head.dev = dev;
	log.head.blockno = sb->logstart;
	log.dev = dev;
	log.start = sb->logstart;
	log.open_seq = 1;
	log.done_seq = 0;

	virtio_blk_rw(&log.head, false);
	memcpy(&log.lh, head_data, sizeof(log.lh));
	if (log.head.io_error) {
		kprintf("fs: cannot read the log header: not mounting\n");
		return -1;
	}
	if (log.lh.n == 0)
		return 0;
	if (log.lh.n > LOGSIZE || log.lh.n > sb->nlog - 1) {
		kprintf("fs: log header claims %u blocks: corrupt, not mounting\n", log.lh.n);
		return -1;
	}
	for (uint32 i = 0; i < log.lh.n; i++) {
		uint32 to = log.lh.block[i];
		if (to < sb->inodestart || to >= sb->size) {
			kprintf("fs: log entry %u names block %u, outside the inodes, bitmap "
				"and data: corrupt, not mounting\n", i, to);
			return -1;
		}
	}
	uint64 sum = FS_CHECKSUM_SEED;
	for (uint32 i = 0; i < log.lh.n; i++) {
		struct buf *lb = bread(dev, log.start + 1 + i);
		if (!lb) {
			kprintf("fs: log: cannot read log block %u: not mounting\n", i);
			return -1;
		}
		sum = fs_checksum_add(sum, lb->data, BSIZE);
		brelse(lb);
	}
	if (fs_log_checksum(&log.lh, sum) != log.lh.checksum) {
		kprintf("fs: log: a transaction of %u blocks was not wholly committed: "
			"discarded\n", log.lh.n);
	} else if (install_from_log() < 0) {
		kprintf("fs: log: cannot replay a committed transaction: not mounting\n");
		return -1;
	} else {
		kprintf("fs: log: replayed a committed transaction of %u blocks\n", log.lh.n);
	}
	log.lh.n = 0;
	send_head();
	if (!wait_head()) {
		kprintf("fs: log: cannot clear the log header: not mounting\n");
		return -1;
	}
	return 0;
}

/* Join the open transaction, waiting while it commits or is full. */
void
begin_op(void)
{
	spin_lock(&log.lock);
	while (log.committing ||
	       log.lh.n + (uint32)(log.outstanding + 1) * MAXOPBLOCKS > LOGSIZE) {
		log.waiting++;
		sleep(&log, &log.lock);
		log.waiting--;
	}
	log.outstanding++;
	log.ops++;
	spin_unlock(&log.lock);
}

/* Was transaction seq discarded?  Caller holds log.lock. */
static bool
lost(uint64 seq)
{
	return log.first_lost && seq >= log.first_lost;
}

/*
 * Leave the transaction.  The last operation out commits it; the others
 * wait for that, so when end_op() returns the caller's writes are on disk.
 * If others are waiting to begin, the last one first yields the processor
 * once so they can join: on one hart a process that commits over and
 * over would otherwise keep them out for ever.  Returns 0, or -1 if the
 * transaction was discarded (the file system is read-only): a call that
 * changes the file system then fails.
 */
int
end_op(void)
{
	spin_lock(&log.lock);
	if (log.outstanding < 1 || log.committing)
		panic("end_op: no operation in progress");
	uint64 mine = log.open_seq;
	log.outstanding--;
	if (log.outstanding == 0 && log.lh.n == 0 && log.waiting == 0 && log.finishing == 0 &&
	    !log.readonly) {
		/* the transaction logged nothing and nobody waits on it: it is over */
		log.done_seq = log.open_seq++;
		spin_unlock(&log.lock);
		return 0;
	}
	if (log.outstanding == 0 && log.waiting > 0) {
		spin_unlock(&log.lock);
		yield();
		spin_lock(&log.lock);
	}
	if (log.done_seq < mine && (log.outstanding > 0 || log.committing)) {
		/* another operation of this transaction will commit it */
		wakeup(&log);   /* a smaller reservation may let a begin_op in */
		log.finishing++;
		while (log.done_seq < mine)
			sleep(&log, &log.lock);
		log.finishing--;
	}
	if (log.done_seq >= mine) {
		int r = lost(mine) ? -1 : 0;
		spin_unlock(&log.lock);
		return r;
	}
	log.committing = true;
	spin_unlock(&log.lock);

	int r = commit();

	spin_lock(&log.lock);
	if (r < 0 && !log.first_lost)
		log.first_lost = mine;
	log.committing = false;
	log.done_seq = log.open_seq++;
	wakeup(&log);
	spin_unlock(&log.lock);
	return r;
}

/*
 * Record that b (locked, changed) belongs to the open transaction; it
 * stays pinned in the cache until installed.  Replaces bwrite() inside an
 * operation.  A block written twice is logged once.
 */
void
log_write(struct buf *b)
{
	spin_lock(&log.lock);
	if (log.outstanding < 1)
		panic("log_write: outside a transaction");
	uint32 i;
	for (i = 0; i < log.lh.n; i++)
		if (log.lh.block[i] == b->blockno)
			break;
	if (i == log.lh.n) {
		if (log.lh.n >= LOGSIZE)
			panic("log_write: transaction too big");
		log.lh.block[log.lh.n++] = b->blockno;
		bpin(b);
	}
	spin_unlock(&log.lock);
}

/*
 * Wait until the log is idle with its header cleared on disk: no
 * operation in progress, nothing left to commit.  For power-off.
 */
void
log_sync(void)
{
	spin_lock(&log.lock);
	while (log.outstanding > 0 || log.committing)
		sleep(&log, &log.lock);
	log.committing = true;  /* keep new operations out while we wait */
	spin_unlock(&log.lock);
	wait_head();
	spin_lock(&log.lock);
	log.committing = false;
	wakeup(&log);
	spin_unlock(&log.lock);
}

/* Transactions committed (with at least one block) and operations begun since boot. */
void
log_stats(uint64 *commits, uint64 *ops)
{
	spin_lock(&log.lock);
	*commits = log.commits;
	*ops = log.ops;
	spin_unlock(&log.lock);
}

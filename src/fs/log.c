/*
 * The write-ahead log (see fs/log.h for its use).
 *
 * A transaction's blocks stay pinned in the buffer cache until commit,
 * which (1) writes them to the log area, (2) writes the header with their
 * addresses and a checksum -- the commit point --, (3) writes them to
 * their homes, (4) writes the header again with n = 0.  A crash before
 * (2) leaves the old state; after it, recovery at mount redoes (3) and (4).
 * Each step sends all its blocks at once and waits for all of them.
 *
 * Group commit: operations join the open transaction while there is room
 * for each to write MAXOPBLOCKS blocks; the last one to finish commits it
 * for all, and the others sleep until it is on disk.
 *
 * Locking: log.lock guards every field.  Invariants: committing implies
 * outstanding == 0 and no one is in an operation; done_seq < open_seq;
 * lh holds the blocks logged in transaction open_seq so far.
 */
#include "fs/log.h"
#include "fs/buf.h"
#include "sched/proc.h"
#include "sched/spinlock.h"
#include "lib/printf.h"
#include "lib/string.h"
#include <canopy/fs.h>

#define LOGSIZE FS_LOG_MAX
#define BATCH 16        /* blocks sent to the disk before waiting */

static struct {
	struct spinlock lock;
	uint32 dev;
	uint32 start;           /* the header block; logged blocks follow it */
	int outstanding;        /* operations in the open transaction */
	bool committing;
	uint64 open_seq;        /* the transaction operations join now */
	uint64 done_seq;        /* the last transaction wholly on disk */
	struct logheader lh;
	uint64 commits;         /* transactions that wrote something */
	uint64 ops;             /* operations begun */
} log;

/* Write the in-memory header to the header block. */
static void
write_head(void)
{
	struct buf *b = bget_zero(log.dev, log.start);

	memcpy(b->data, &log.lh, sizeof(log.lh));
	bwrite(b);
	brelse(b);
}

/*
 * Copy the logged blocks to their homes: from the cache (commit: they are
 * pinned there) or from the log area (recovery).  Batches of BATCH.
 */
static void
install(bool recovering)
{
	struct buf *home[BATCH];

	for (uint32 i = 0; i < log.lh.n; i += BATCH) {
		int k = 0;
		for (; k < BATCH && i + k < log.lh.n; k++) {
			if (recovering) {
				struct buf *lb = bread(log.dev, log.start + 1 + i + k);
				home[k] = bget_zero(log.dev, log.lh.block[i + k]);
				memcpy(home[k]->data, lb->data, BSIZE);
				brelse(lb);
			} else {
				home[k] = bread(log.dev, log.lh.block[i + k]);
			}
		}
		bwrite_many(home, NULL, k);
		for (int j = 0; j < k; j++) {
			if (!recovering)
				bunpin(home[j]);
			brelse(home[j]);
		}
	}
}

/* Write the cached blocks to the log area; return their checksum. */
static uint64
write_log(void)
{
	struct buf *bufs[BATCH];
	uint32 where[BATCH];
	uint64 sum = FS_CHECKSUM_SEED;

	for (uint32 i = 0; i < log.lh.n; i += BATCH) {
		int k = 0;
		for (; k < BATCH && i + k < log.lh.n; k++) {
			bufs[k] = bread(log.dev, log.lh.block[i + k]);
			where[k] = log.start + 1 + i + k;
			sum = fs_checksum_add(sum, bufs[k]->data, BSIZE);
		}
		bwrite_many(bufs, where, k);
		for (int j = 0; j < k; j++)
			brelse(bufs[j]);
	}
	return sum;
}

/* Make the open transaction durable.  Called with committing set, no lock held. */
static void
commit(void)
{
	if (log.lh.n == 0)
		return;
	uint64 sum = write_log();
	log.lh.checksum = fs_log_checksum(&log.lh, sum);
	write_head();           /* the commit point */
	install(false);
	log.lh.n = 0;
	write_head();
	log.commits++;
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
	log.dev = dev;
	log.start = sb->logstart;
	log.open_seq = 1;
	log.done_seq = 0;

	struct buf *b = bread(dev, log.start);
	memcpy(&log.lh, b->data, sizeof(log.lh));
	brelse(b);
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
		sum = fs_checksum_add(sum, lb->data, BSIZE);
		brelse(lb);
	}
	if (fs_log_checksum(&log.lh, sum) != log.lh.checksum) {
		kprintf("fs: log: a transaction of %u blocks was not wholly committed: "
			"discarded\n", log.lh.n);
	} else {
		install(true);
		kprintf("fs: log: replayed a committed transaction of %u blocks\n", log.lh.n);
	}
	log.lh.n = 0;
	write_head();
	return 0;
}

/* Join the open transaction, waiting while it commits or is full. */
void
begin_op(void)
{
	spin_lock(&log.lock);
	while (log.committing ||
	       log.lh.n + (uint32)(log.outstanding + 1) * MAXOPBLOCKS > LOGSIZE)
		sleep(&log, &log.lock);
	log.outstanding++;
	log.ops++;
	spin_unlock(&log.lock);
}

/*
 * Leave the transaction.  The last operation out commits it; the others
 * wait for that, so when end_op() returns the caller's writes are on disk.
 */
void
end_op(void)
{
	spin_lock(&log.lock);
	if (log.outstanding < 1 || log.committing)
		panic("end_op: no operation in progress");
	uint64 mine = log.open_seq;
	if (--log.outstanding > 0) {
		wakeup(&log);   /* a smaller reservation may let a begin_op in */
		while (log.done_seq < mine)
			sleep(&log, &log.lock);
		spin_unlock(&log.lock);
		return;
	}
	log.committing = true;
	spin_unlock(&log.lock);

	commit();

	spin_lock(&log.lock);
	log.committing = false;
	log.done_seq = log.open_seq++;
	wakeup(&log);
	spin_unlock(&log.lock);
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

/* Transactions committed (with at least one block) and operations begun since boot. */
void
log_stats(uint64 *commits, uint64 *ops)
{
	spin_lock(&log.lock);
	*commits = log.commits;
	*ops = log.ops;
	spin_unlock(&log.lock);
}

/*
 * The buffer cache: one cached copy of each disk block in use.
 *
 * A buffer returned by bread() is locked (its sleep lock) and referenced
 * (bread returns NULL if the block cannot be read or no buffer is had);
 * the caller may read and change data, write it with bwrite() or hand it
 * to the log (log_write), and must brelse() it.  A buffer is never evicted
 * while referenced, so its (dev, blockno) stay fixed while the holder has it.
 */
#ifndef FS_BUF_H
#define FS_BUF_H

#include "lib/types.h"
#include "sync/sleeplock.h"
#include <canopy/fs.h>

struct buf {
	struct sleeplock lock;  /* held by the one user of data */
	bool valid;             /* data holds the block's contents */
	bool io_error;          /* the last transfer failed */
	volatile bool disk;     /* a transfer is in progress (the driver's) */
	uint32 dev;
	uint32 blockno;
	uint32 refcnt;          /* under the lock of the buffer's bucket */
	uint64 last_use;        /* when refcnt last fell to 0: eviction picks the oldest */
	struct buf *next;       /* in the bucket's chain */
	uint8 *data;            /* BSIZE bytes */
};

#define BIO_BATCH 30            /* blocks bread_many() reads at once (one request's worth) */
#define BIO_MANY_MAX FS_LOG_MAX /* buffers bwrite_many() writes at once */

void bio_init(void);
struct buf *bread(uint32 dev, uint32 blockno);
int bread_many(uint32 dev, const uint32 *blocks, struct buf **out, int n);
struct buf *bget_zero(uint32 dev, uint32 blockno);
int bwrite(struct buf *b);
void binvalidate(struct buf *b);
void bsubmit_many(struct buf **bufs, const uint32 *where, int n);
int bwait_many(struct buf **bufs, int n);
int bwrite_many(struct buf **bufs, const uint32 *where, int n);
void brelse(struct buf *b);
void bpin(struct buf *b);
void bunpin(struct buf *b);
void bio_set_limit(uint32 nblocks);

#endif

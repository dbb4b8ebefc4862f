/*
 * Block allocation: the free bitmap, one bit per block of the disk (set =
 * in use).  Only data blocks are ever handed out or freed; the metadata
 * blocks' bits are set by mkfs and stay set.  Callers are inside a
 * transaction; a bitmap block's buffer lock makes test-and-set atomic.
 * A bitmap block that cannot be read makes balloc() find nothing (as on a
 * full disk) and bfree() turn the file system read-only (fs_fail): the
 * block could not be freed.
 */
#include "fs/fs.h"
#include "fs/buf.h"
#include "fs/log.h"
#include "debug/kprintf.h"

static uint32 next_hint;        /* where the next search starts (racy, only a hint) */

/* Claim a free block in [lo, hi); 0 if none. */
static uint32
alloc_in(uint32 dev, uint32 lo, uint32 hi)
{
	const struct superblock *sb = fs_super();

	for (uint32 b = lo; b < hi;) {
		struct buf *bp = bread(dev, BBLOCK(b, *sb));
		if (!bp)
			return 0;
		uint32 end = (b / BPB + 1) * BPB;
		if (end > hi)
			end = hi;
		for (; b < end; b++) {
			uint32 bit = b % BPB;
			uint8 *byte = &bp->data[bit / 8];
			if (bit % 8 == 0 && b + 8 <= end && *byte == 0xff) {
				b += 7;         /* a full byte: skip it */
				continue;
			}
			if (!(*byte & (1u << (bit % 8)))) {
				*byte |= (uint8)(1u << (bit % 8));
				log_write(bp);
				brelse(bp);
				return b;
			}
		}
		brelse(bp);
	}
	return 0;
}

/* A newly allocated, zeroed data block, or 0 if the disk is full (or a block cannot be had). */
uint32
balloc(uint32 dev)
{
	const struct superblock *sb = fs_super();
	uint32 first = sb->size - sb->nblocks;
	uint32 start = __atomic_load_n(&next_hint, __ATOMIC_RELAXED);

	if (start < first || start >= sb->size)
		start = first;
	uint32 b = alloc_in(dev, start, sb->size);
	if (!b)
		b = alloc_in(dev, first, start);
	if (!b)
		return 0;
	__atomic_store_n(&next_hint, b + 1, __ATOMIC_RELAXED);
	struct buf *zb = bget_zero(dev, b);
	if (!zb) {
		bfree(dev, b);  /* its bitmap block is logged, so cached: this cannot fail */
		return 0;
	}
	log_write(zb);
	brelse(zb);
	return b;
}

/* Mark data block b free.  A block outside the data area or already free is reported and left alone. */
void
bfree(uint32 dev, uint32 b)
{
	const struct superblock *sb = fs_super();

	if (!fs_data_block_ok(b)) {
		kprintf("fs: not freeing block %u: not a data block\n", b);
		return;
	}
	struct buf *bp = bread(dev, BBLOCK(b, *sb));
	if (!bp) {
		fs_fail("cannot read a bitmap block to free a block");
		return;
	}
	uint32 bit = b % BPB;
	uint8 mask = (uint8)(1u << (bit % 8));
	if (!(bp->data[bit / 8] & mask)) {
		kprintf("fs: block %u freed but already free: left alone\n", b);
	} else {
		bp->data[bit / 8] &= (uint8)~mask;
		log_write(bp);
	}
	brelse(bp);
}

/*
 * Mounting the root file system: checking the superblock, recovering the
 * log, freeing inodes a crash left without links.  Runs once, in the
 * first process (mounting sleeps on the disk).  An image whose superblock
 * or log cannot be believed is not mounted: the system then runs without
 * a file system, as with no disk, and says why.
 *
 * After mounting, sb never changes and mounted stays true.
 */
#include "fs/fs.h"
#include "fs/buf.h"
#include "fs/log.h"
#include "dev/virtio_blk.h"
#include "debug/kprintf.h"
#include "lib/string.h"

static struct superblock sb;
static bool mounted;

bool
fs_mounted(void)
{
	return mounted;
}

const struct superblock *
fs_super(void)
{
	return &sb;
}

/* Is b a data block of the mounted file system? */
bool
fs_data_block_ok(uint32 b)
{
	return b >= sb.size - sb.nblocks && b < sb.size;
}

/* A new reference to the root directory, or NULL without a file system. */
struct inode *
fs_root(void)
{
	return mounted ? iget(ROOTDEV, ROOTINO) : NULL;
}

/* Does the superblock describe a layout that fits on a disk of disk_blocks?  Says why not. */
static bool
super_ok(uint64 disk_blocks)
{
	uint64 inode_blocks = ((uint64)sb.ninodes + IPB - 1) / IPB;
	uint64 bitmap_blocks = ((uint64)sb.size + BPB - 1) / BPB;
	uint64 data_start = (uint64)sb.bmapstart + bitmap_blocks;
	const char *why = NULL;

	if (sb.magic != FS_MAGIC)
		why = "bad magic number";
	else if (sb.size > disk_blocks)
		why = "larger than the disk";
	else if (sb.ninodes <= ROOTINO || sb.ninodes > 65536)
		why = "impossible inode count";
	else if (sb.nlog < FS_LOG_MAX + 1 || sb.logstart != 2 ||
		 sb.inodestart != (uint64)sb.logstart + sb.nlog)
		why = "bad log position or size";
	else if (sb.bmapstart != sb.inodestart + inode_blocks)
		why = "bad inode area";
	else if (bitmap_blocks > FS_MAX_BITMAP_BLOCKS)
		why = "too big (bitmap)";
	else if (data_start >= sb.size || sb.nblocks != sb.size - data_start)
		why = "bad data area";
	if (why)
		kprintf("fs: superblock: %s (magic %x, %u blocks, %u inodes, log %u at %u, "
			"inodes at %u, bitmap at %u): not mounting\n", why, sb.magic, sb.size,
			sb.ninodes, sb.nlog, sb.logstart, sb.inodestart, sb.bmapstart);
	return why == NULL;
}

/* The root must be a linked directory whose ".." is itself. */
static bool
root_ok(void)
{
	struct inode *root = iget(ROOTDEV, ROOTINO);
	uint32 off;
	bool ok = false;

	if (!root)
		return false;
	if (ilock(root) == 0 && root->type == T_DIR && root->nlink >= 1) {
		struct inode *up = dirlookup(root, "..", &off);
		ok = up == root;
		if (up)
			iput(up);       /* not the last reference: frees nothing */
	}
	iunlock(root);
	if (ok) {
		begin_op();
		iput(root);
		end_op();
	} else {
		/* keep the reference: a last iput of an unlinked root would free it */
		kprintf("fs: the root (inode %d) is not a directory that is its own parent: "
			"not mounting\n", ROOTINO);
	}
	return ok;
}

/*
 * Free every inode that is allocated but has no links: a file removed
 * while open, whose last close a crash prevented.  One transaction each.
 */
static void
free_orphans(void)
{
	int freed = 0;

	for (uint32 inum = ROOTINO + 1; inum < sb.ninodes; inum++) {
		struct buf *bp = bread(ROOTDEV, IBLOCK(inum, sb));
		if (!bp)
			continue;       /* unreadable: left for the next mount */
		struct dinode *d = (struct dinode *)bp->data + inum % IPB;
		bool orphan = d->type >= T_DIR && d->type <= T_SYMLINK && d->nlink == 0;
		brelse(bp);
		if (!orphan)
			continue;
		begin_op();
		struct inode *ip = iget(ROOTDEV, inum);
		if (ip) {
			ilock(ip);
			iunlock(ip);
			iput(ip);       /* the last reference to an unlinked inode: freed */
			freed++;
		}
		end_op();
	}
	if (freed)
		kprintf("fs: freed %d inode%s left without links\n", freed, freed == 1 ? "" : "s");
}

/* Leave the disk consistent and quiet, for power-off. */
void
fs_sync(void)
{
	if (mounted)
		log_sync();
}

/*
 * Mount the disk's file system as the root, if there is a disk and its
 * image is sound.  Process context (sleeps).  Says what happened.
 */
void
fs_init(void)
{
	uint64 disk_blocks = virtio_blk_blocks();

	if (disk_blocks == 0) {
		kprintf("fs: no disk: only the programs built into the kernel can run\n");
		return;
	}
	bio_init();
	inode_init();
	namecache_init();
	if (disk_blocks < 2) {
		kprintf("fs: the disk is too small to hold a file system\n");
		return;
	}
	struct buf *b = bread(ROOTDEV, 1);
	if (!b) {
		kprintf("fs: cannot read the superblock: not mounting\n");
		return;
	}
	memcpy(&sb, b->data, sizeof(sb));
	brelse(b);
	if (!super_ok(disk_blocks))
		return;
	bio_set_limit(sb.size);
	if (log_init(ROOTDEV, &sb) < 0 || !root_ok())
		return;
	mounted = true;
	free_orphans();
	kprintf("fs: mounted: %u blocks (%u for data), %u inodes\n", sb.size, sb.nblocks,
		sb.ninodes);
}

/*
 * Inodes: the table of inodes in memory, allocation, reading and writing
 * a file's bytes through its block map.
 *
 * An inode in the table is referenced (ref > 0) by open files, current
 * directories and code in the middle of using it; an unreferenced slot may
 * be reused for another inode.  ilock() reads the dinode the first time
 * and checks it; an inode that fails (free, bad type, impossible size) is
 * marked bad, reported once, and every later use of it fails.  A block
 * address outside the data area is reported and treated as "no block".
 *
 * A slot that has held an inode is on the hash chain of its inum, so
 * iget() finds a referenced inode without scanning the table; only a miss
 * scans, for a free slot.
 *
 * Locking: itable.lock guards ref, dev, inum and the chains; an inode's
 * sleep lock guards the rest.  iput() of the last reference to an inode
 * without links frees it, so it must run inside a transaction.
 *
 * A block that cannot be read (bread() NULL: an I/O error, no buffer)
 * fails the call when nothing has changed yet: ilock() and readi() fail,
 * a new block is not allocated (bmap() gives 0, as on a full disk).  Where
 * a change is under way and cannot be finished or undone -- an inode or an
 * indirect block to update, a bitmap block to free into -- fs_fail()
 * turns the file system read-only and the transaction is discarded
 * (fs/log.c).  A block the transaction has already logged is pinned in
 * the cache, so reading it again never fails.
 */
#include "vm/vmobj.h"
#include "fs/fs.h"
#include "fs/buf.h"
#include "fs/log.h"
#include "fs/procfs.h"
#include "vm/uaccess.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include "lib/errno.h"
#include <canopy/stat.h>

#define NIHASH 64

static struct {
	struct spinlock lock;
	struct inode inode[NINODE];
	struct inode *chain[NIHASH];    /* slots by inum */
} itable;

static struct inode **
chain_of(uint32 inum)
{
	return &itable.chain[inum % NIHASH];
}

/* Give slot ip (unreferenced) the identity (dev, inum), moving it to that chain. */
static void
rename_slot(struct inode *ip, uint32 dev, uint32 inum)
{
	if (ip->inum != 0) {
		struct inode **pp = chain_of(ip->inum);
		while (*pp != ip)
			pp = &(*pp)->hnext;
		*pp = ip->hnext;
	}
	ip->dev = dev;
	ip->inum = inum;
	ip->hnext = *chain_of(inum);
	*chain_of(inum) = ip;
}

void
inode_init(void)
{
	spin_init(&itable.lock, "itable");
	for (int i = 0; i < NINODE; i++)
		sleep_init(&itable.inode[i].lock, "inode");
}

/*
 * A referenced, unlocked inode for (dev, inum), without reading the disk;
 * NULL if inum is out of range or the table is full.
 */
struct inode *
iget(uint32 dev, uint32 inum)
{
	struct inode *empty = NULL;

	if (dev != PROCFS_DEV && (inum == 0 || inum >= fs_super()->ninodes)) {
		kprintf("fs: inode number %u is out of range: skipped\n", inum);
		return NULL;
	}
	spin_lock(&itable.lock);
	for (struct inode *ip = *chain_of(inum); ip; ip = ip->hnext) {
		if (ip->ref > 0 && ip->dev == dev && ip->inum == inum) {
			ip->ref++;
			spin_unlock(&itable.lock);
			return ip;
		}
	}
	for (struct inode *ip = itable.inode; ip < itable.inode + NINODE && !empty; ip++)
		if (ip->ref == 0)
			empty = ip;
	if (empty) {
		rename_slot(empty, dev, inum);
		empty->ref = 1;
		empty->writecount = 0;  /* nobody holds it: every count went with its reference */
		empty->valid = false;
		empty->bad = false;
	}
	spin_unlock(&itable.lock);
	return empty;
}

struct inode *
idup(struct inode *ip)
{
	spin_lock(&itable.lock);
	ip->ref++;
	spin_unlock(&itable.lock);
	return ip;
}

/*
 * A file is either open for writing or running as a program, never both
 * (Linux's ETXTBSY): a running program's text is the file's page cache,
 * so a write would change the code of every process running it.  An open
 * for writing takes a write count (refused while a process runs the
 * file), and each mapping made through it keeps one more (vm/mm.h,
 * REGION_WRITER), as Linux's mapping keeps its open file; exec takes a
 * denial (refused while a file is open for writing).  Each is given back
 * when the file closes, the mapping goes or the process leaves the
 * program (exec, exit).  writecount holds both, with opposite signs.
 */
static int
writecount_move(struct inode *ip, int by)
{
	int v = __atomic_load_n(&ip->writecount, __ATOMIC_RELAXED);

	do {
		if ((by > 0 && v < 0) || (by < 0 && v > 0))
			return -ETXTBSY;
	} while (!__atomic_compare_exchange_n(&ip->writecount, &v, v + by, false,
					      __ATOMIC_ACQ_REL, __ATOMIC_RELAXED));
	return 0;
}

int
inode_get_write(struct inode *ip)
{
	return writecount_move(ip, 1);
}

/* One more write count where the caller already holds one: cannot fail. */
void
inode_dup_write(struct inode *ip)
{
	if (__atomic_fetch_add(&ip->writecount, 1, __ATOMIC_ACQ_REL) <= 0)
		panic("inode_dup_write: inode %u holds no write count", ip->inum);
}

void
inode_put_write(struct inode *ip)
{
	__atomic_fetch_sub(&ip->writecount, 1, __ATOMIC_RELEASE);
}

int
inode_deny_write(struct inode *ip)
{
	return writecount_move(ip, -1);
}

void
inode_allow_write(struct inode *ip)
{
	__atomic_fetch_add(&ip->writecount, 1, __ATOMIC_RELEASE);
}

/* Is the dinode just read believable?  Says why not. */
static bool
dinode_ok(struct inode *ip)
{
	if (ip->type == 0) {
		kprintf("fs: inode %u is free but still named: skipped\n", ip->inum);
		return false;
	}
	if (ip->type < T_DIR || ip->type > T_SYMLINK) {
		kprintf("fs: inode %u has bad type %d: skipped\n", ip->inum, ip->type);
		return false;
	}
	if (ip->size > (uint64)MAXFILE * BSIZE) {
		kprintf("fs: inode %u has impossible size %u: skipped\n", ip->inum, ip->size);
		return false;
	}
	return true;
}

/*
 * Lock ip, reading it from disk if needed.  Returns 0, or -1 if the inode
 * is bad or cannot be read: it is locked all the same, and the caller
 * only unlocks it (an unread inode is tried again by the next ilock).
 */
int
ilock(struct inode *ip)
{
	if (!ip || ip->ref < 1)
		panic("ilock: unreferenced inode");
	sleep_lock(&ip->lock);
	if (procfs_inode(ip))
		procfs_fill(ip);        /* made, not read: never from a disk */
	else if (!ip->valid) {
		const struct superblock *sb = fs_super();
		struct buf *bp = bread(ip->dev, IBLOCK(ip->inum, *sb));
		if (!bp)
			return -1;
		struct dinode *d = (struct dinode *)bp->data + ip->inum % IPB;
		ip->type = d->type;
		ip->major = d->major;
		ip->minor = d->minor;
		ip->nlink = d->nlink;
		ip->size = d->size;
		memcpy(ip->addrs, d->addrs, sizeof(ip->addrs));
		brelse(bp);
		ip->valid = true;
		ip->bad = !dinode_ok(ip);
	}
	return ip->bad ? -1 : 0;
}

void
iunlock(struct inode *ip)
{
	if (!ip || !sleep_holding(&ip->lock) || ip->ref < 1)
		panic("iunlock: inode not locked");
	sleep_unlock(&ip->lock);
}

/*
 * Write ip's fields to its dinode.  Caller holds ip's lock, in a
 * transaction.  If the inode block cannot be read, the change cannot be
 * made: the file system turns read-only (fs_fail).
 */
void
iupdate(struct inode *ip)
{
	const struct superblock *sb = fs_super();
	if (procfs_inode(ip))
		return;         /* nothing to write back */
	struct buf *bp = bread(ip->dev, IBLOCK(ip->inum, *sb));

	if (!bp) {
		fs_fail("cannot read an inode block to update it");
		return;
	}
	struct dinode *d = (struct dinode *)bp->data + ip->inum % IPB;

	d->type = ip->type;
	d->major = ip->major;
	d->minor = ip->minor;
	d->nlink = ip->nlink;
	d->size = ip->size;
	memcpy(d->addrs, ip->addrs, sizeof(ip->addrs));
	log_write(bp);
	brelse(bp);
}

/*
 * Allocate a free inode of the given type: referenced, unlocked, with no
 * links yet.  NULL if there is none, or an inode block cannot be read.
 * In a transaction.
 */
struct inode *
ialloc(uint32 dev, short type)
{
	const struct superblock *sb = fs_super();

	for (uint32 inum = ROOTINO + 1; inum < sb->ninodes; inum++) {
		struct buf *bp = bread(dev, IBLOCK(inum, *sb));
		if (!bp)
			return NULL;
		struct dinode *d = (struct dinode *)bp->data + inum % IPB;
		if (d->type == 0) {
			struct inode *ip = iget(dev, inum);
			if (!ip) {              /* the inode table is full */
				brelse(bp);
				return NULL;
			}
			memset(d, 0, sizeof(*d));
			d->type = type;
			log_write(bp);
			brelse(bp);
			return ip;
		}
		brelse(bp);
	}
	return NULL;
}

/*
 * Drop a reference.  The last reference to an inode with no links frees
 * it and its blocks -- unless the file system is read-only: the inode then
 * stays allocated on the disk, and the next mount frees it.  In a
 * transaction.
 */
/* Would dropping this reference free ip?  itable.lock held. */
static bool
last_of_unlinked(struct inode *ip)
{
	assert_held(&itable.lock);
	return ip->ref == 1 && ip->valid && !ip->bad && ip->nlink == 0 && !fs_readonly();
}

/* Count one reference down (itable.lock held). */
static void
drop_ref(struct inode *ip)
{
	assert_held(&itable.lock);
	if (ip->ref < 1)
		panic("iput: unreferenced inode");
	ip->ref--;
}

void
iput(struct inode *ip)
{
	spin_lock(&itable.lock);
	if (last_of_unlinked(ip)) {
		/*
		 * No one else has it and no entry names it, so no one can
		 * take it while our reference keeps the slot: its lock is
		 * free (taken after the spinlock goes: a sleep lock may sleep).
		 */
		spin_unlock(&itable.lock);
		sleep_lock(&ip->lock);
		itrunc(ip);
		ip->type = 0;
		iupdate(ip);
		ip->valid = false;
		sleep_unlock(&ip->lock);
		spin_lock(&itable.lock);
	}
	drop_ref(ip);
	spin_unlock(&itable.lock);
}

/*
 * iput() for a caller in no transaction: one is opened only when this
 * reference may free the inode.  Most drops (a close, an exit's current
 * directory, exec's program) only count down, and a transaction costs a
 * log round trip.
 */
void
iput_op(struct inode *ip)
{
	spin_lock(&itable.lock);
	if (!last_of_unlinked(ip)) {
		drop_ref(ip);
		spin_unlock(&itable.lock);
		return;
	}
	spin_unlock(&itable.lock);
	begin_op();
	iput(ip);
	end_op();
}

void
iunlockput(struct inode *ip)
{
	iunlock(ip);
	iput(ip);
}

/* A block address read from ip, checked; 0 (reported) if it is not a data block. */
static uint32
checked(struct inode *ip, uint32 addr)
{
	if (addr && !fs_data_block_ok(addr)) {
		kprintf("fs: inode %u: block address %u is out of range: ignored\n", ip->inum, addr);
		return 0;
	}
	return addr;
}

/* The block at *slot in the inode itself, allocated if missing and alloc. */
static uint32
slot_block(struct inode *ip, uint32 *slot, bool alloc)
{
	if (!*slot && alloc)
		*slot = balloc(ip->dev);
	return checked(ip, *slot);
}

/*
 * Entry i of indirect block ind, allocated if missing and alloc.  No
 * buffer is held across balloc(): even a corrupt bitmap that hands out
 * ind itself cannot make us wait on our own buffer.
 */
static uint32
indirect_block(struct inode *ip, uint32 ind, uint32 i, bool alloc)
{
	if (!ind)
		return 0;
	struct buf *bp = bread(ip->dev, ind);
	if (!bp)
		return 0;
	uint32 addr = ((uint32 *)bp->data)[i];
	brelse(bp);
	if (!addr && alloc && (addr = balloc(ip->dev))) {
		if (!(bp = bread(ip->dev, ind))) {
			bfree(ip->dev, addr);   /* its bitmap block is logged: this cannot fail */
			return 0;
		}
		((uint32 *)bp->data)[i] = addr;
		log_write(bp);
		brelse(bp);
	}
	return checked(ip, addr);
}

/*
 * The disk block holding byte bn * BSIZE of ip; if alloc, the block (and
 * any indirect block on the way) is allocated when missing.  0 if there
 * is none: not allocated, disk full, a block that cannot be read, or a
 * bad address.  Caller holds ip's lock; with alloc, in a transaction, and
 * calls iupdate() afterwards.
 */
static uint32
bmap(struct inode *ip, uint32 bn, bool alloc)
{
	if (bn < NDIRECT)
		return slot_block(ip, &ip->addrs[bn], alloc);
	bn -= NDIRECT;
	if (bn < NINDIRECT)
		return indirect_block(ip, slot_block(ip, &ip->addrs[NDIRECT], alloc), bn, alloc);
	bn -= NINDIRECT;
	if (bn < NDINDIRECT) {
		uint32 top = slot_block(ip, &ip->addrs[NDIRECT + 1], alloc);
		uint32 mid = indirect_block(ip, top, bn / NINDIRECT, alloc);
		return indirect_block(ip, mid, bn % NINDIRECT, alloc);
	}
	return 0;
}

/*
 * Free every block an indirect block at depth levels lists, then itself.
 * The addresses are copied out first, so no buffer is held while freeing
 * (a corrupt block that lists itself is only freed twice, and reported).
 */
static void
free_indirect(struct inode *ip, uint32 ind, int levels)
{
	uint32 a[NINDIRECT];

	if (!checked(ip, ind))
		return;
	struct buf *bp = bread(ip->dev, ind);
	if (!bp) {
		fs_fail("cannot read an indirect block to free it");
		return;
	}
	memcpy(a, bp->data, sizeof(a));
	brelse(bp);
	for (uint32 i = 0; i < NINDIRECT; i++) {
		if (!a[i])
			continue;
		if (levels > 1)
			free_indirect(ip, a[i], levels - 1);
		else if (checked(ip, a[i]))
			bfree(ip->dev, a[i]);
	}
	bfree(ip->dev, ind);
}

/* Free all of ip's blocks; its size becomes 0.  Caller holds ip's lock, in a transaction. */
void
itrunc(struct inode *ip)
{
	if (procfs_inode(ip))
		return;         /* no blocks */
	if (ip->type == T_DIR)
		namecache_forget();     /* a removed directory: its entries go */
	for (int i = 0; i < NDIRECT; i++) {
		if (checked(ip, ip->addrs[i]))
			bfree(ip->dev, ip->addrs[i]);
		ip->addrs[i] = 0;
	}
	if (ip->addrs[NDIRECT])
		free_indirect(ip, ip->addrs[NDIRECT], 1);
	if (ip->addrs[NDIRECT + 1])
		free_indirect(ip, ip->addrs[NDIRECT + 1], 2);
	ip->addrs[NDIRECT] = ip->addrs[NDIRECT + 1] = 0;
	ip->size = 0;
	iupdate(ip);
	vmobj_file_truncated(ip, 0);
}

/*
 * Cut ip to len bytes (len < ip->size): the direct blocks past the end are
 * freed, and the indirect trees if no byte of them is kept; blocks of a
 * partly kept tree past the end stay allocated until the file is cut to 0
 * or removed (they are never read: reads stop at the size).  The kept
 * last block's tail is zeroed, so the file grown again reads zeros there.
 * Caller holds ip's lock, in a transaction.
 */
void
itrunc_to(struct inode *ip, uint32 len)
{
	static const char zeros[BSIZE];
	uint32 keep = (len + BSIZE - 1) / BSIZE;        /* blocks that keep bytes */

	if (len == 0) {
		itrunc(ip);
		return;
	}
	if (len % BSIZE && len < ip->size) {
		uint32 n = BSIZE - len % BSIZE;
		writei(ip, false, (uint64)zeros, len, n < ip->size - len ? n : ip->size - len);
	}
	for (uint32 i = keep; i < NDIRECT; i++) {
		if (checked(ip, ip->addrs[i]))
			bfree(ip->dev, ip->addrs[i]);
		ip->addrs[i] = 0;
	}
	if (keep <= NDIRECT && ip->addrs[NDIRECT]) {
		free_indirect(ip, ip->addrs[NDIRECT], 1);
		ip->addrs[NDIRECT] = 0;
	}
	if (keep <= NDIRECT + NINDIRECT && ip->addrs[NDIRECT + 1]) {
		free_indirect(ip, ip->addrs[NDIRECT + 1], 2);
		ip->addrs[NDIRECT + 1] = 0;
	}
	ip->size = len;
	iupdate(ip);
	vmobj_file_truncated(ip, len);
}

/* Caller holds ip's lock. */
void
stati(struct inode *ip, struct canopy_stat *st)
{
	st->dev = (int)ip->dev;
	st->ino = ip->inum;
	st->type = ip->type;
	st->nlink = ip->nlink;
	st->size = ip->size;
}

/*
 * Copy up to n bytes from offset off of ip to dst (a user address if
 * user).  Returns the bytes copied (0 at or past the end), or -1 if
 * nothing could be: a bad inode, a missing block, a failed copy.
 * Reads up to BIO_BATCH blocks at a time, in one request where they are
 * consecutive on disk.  Caller holds ip's lock.
 */
int
readi(struct inode *ip, bool user, uint64 dst, uint32 off, uint32 n)
{
	uint32 addrs[BIO_BATCH];
	struct buf *bufs[BIO_BATCH];
	uint32 done = 0;
	bool failed = false;

	if (ip->bad)
		return -1;
	if (procfs_inode(ip))
		return procfs_read(ip, user, dst, off, n);
	if (off >= ip->size || n == 0)
		return 0;
	if (n > ip->size - off)
		n = ip->size - off;
	while (done < n && !failed) {
		/* the blocks of the next stretch, stopping at a hole or a repeat */
		int k = 0;
		uint32 first_bn = off / BSIZE, last_bn = (off + (n - done) - 1) / BSIZE;
		for (uint32 bn = first_bn; bn <= last_bn && k < BIO_BATCH; bn++) {
			uint32 addr = bmap(ip, bn, false);
			bool repeat = false;
			for (int j = 0; j < k; j++)
				repeat |= addrs[j] == addr;
			if (!addr || repeat)
				break;
			addrs[k++] = addr;
		}
		if (k == 0 || (k = bread_many(ip->dev, addrs, bufs, k)) == 0)
			break;
		for (int i = 0; i < k; i++) {
			uint32 m = BSIZE - off % BSIZE;
			if (m > n - done)
				m = n - done;
			if (!failed && copy_to(user, dst, bufs[i]->data + off % BSIZE, m) < 0)
				failed = true;
			brelse(bufs[i]);
			if (failed)
				continue;
			done += m;
			off += m;
			dst += m;
		}
	}
	return done > 0 ? (int)done : -1;
}

/*
 * Copy n bytes from src (a user address if user) to offset off of ip,
 * growing it as needed; off may not be past the end.  Returns the bytes
 * written, fewer if the disk filled up or a copy failed, -1 if none.
 * Caller holds ip's lock, in a transaction, and writes at most
 * (MAXOPBLOCKS - 4) / 2 blocks' worth.
 */
int
writei(struct inode *ip, bool user, uint64 src, uint32 off, uint32 n)
{
	uint8 chunk[BSIZE];
	uint32 done = 0;

	if (ip->bad || procfs_inode(ip) || off > ip->size || (uint64)off + n > (uint64)MAXFILE * BSIZE)
		return -1;
	if (n == 0)
		return 0;
	if (ip->type == T_DIR)
		namecache_forget();     /* its entries change */
	while (done < n) {
		uint32 m = BSIZE - off % BSIZE;
		if (m > n - done)
			m = n - done;
		/* copy first: a fault must not leave a cached block half changed */
		if (copy_from(user, chunk, src, m) < 0)
			break;
		uint32 addr = bmap(ip, off / BSIZE, true);
		struct buf *bp = addr ? bread(ip->dev, addr) : NULL;
		if (!bp)
			break;
		memcpy(bp->data + off % BSIZE, chunk, m);
		log_write(bp);
		brelse(bp);
		vmobj_file_written(ip, off, chunk, m);  /* mappings see it at once */
		done += m;
		off += m;
		src += m;
	}
	if (off > ip->size)
		ip->size = off;
	iupdate(ip);            /* bmap may have added blocks even if nothing was written */
	return done > 0 ? (int)done : -1;
}

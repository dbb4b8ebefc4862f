/*
 * Canopy's on-disk file-system format, shared by the kernel, tools/mkfs,
 * tools/fsck and the xv6 compatibility headers: one definition of every
 * structure and constant that reaches the disk.
 *
 * The disk is an array of BSIZE-byte blocks:
 *
 *   block 0          boot block (unused)
 *   block 1          superblock
 *   logstart ..      the log: one header block, then up to FS_LOG_MAX blocks
 *   inodestart ..    inodes, IPB per block; inode 0 is never used
 *   bmapstart ..     the free bitmap, one bit per block of the whole disk
 *   .. size-1        data blocks
 *
 * Every number on disk is little-endian.  Invariants a valid image keeps
 * (tools/fsck checks them): the regions follow each other in that order
 * with no gaps; a block is marked in the bitmap iff it is metadata or is
 * referenced by exactly one inode; an inode's nlink equals the number of
 * directory entries naming it ("." entries excepted, the root's ".." counted).
 */
#ifndef CANOPY_FS_H
#define CANOPY_FS_H

#include <stdint.h>
#include <canopy/stat.h>

#define BSIZE       1024        /* bytes per block */
#define FS_MAGIC    0x4350594eu /* "NYPC": a Canopy file system */
#define ROOTINO     1           /* the root directory's inode number */
#define ROOTDEV     1           /* device number of the disk */

/* Block 1. */
struct superblock {
	uint32_t magic;         /* FS_MAGIC */
	uint32_t size;          /* blocks in the image */
	uint32_t nblocks;       /* data blocks */
	uint32_t ninodes;       /* inodes (numbers 0 .. ninodes-1) */
	uint32_t nlog;          /* log blocks, the header included */
	uint32_t logstart;      /* first log block: the header */
	uint32_t inodestart;    /* first inode block */
	uint32_t bmapstart;     /* first bitmap block */
};

/* Inode types (struct dinode.type) are T_DIR, T_FILE, T_DEVICE and
 * T_SYMLINK from <canopy/stat.h>; 0 is a free inode. */

/*
 * Block addresses of an inode: NDIRECT direct blocks, then one block of
 * NINDIRECT addresses, then one block of NINDIRECT blocks of addresses.
 * An address of 0 means "not allocated".
 */
#define NDIRECT     11
#define NINDIRECT   (BSIZE / sizeof(uint32_t))
#define NDINDIRECT  (NINDIRECT * NINDIRECT)
#define MAXFILE     (NDIRECT + NINDIRECT + NDINDIRECT)     /* blocks */

struct dinode {
	int16_t type;           /* T_*, or 0 if free */
	int16_t major;          /* T_DEVICE: driver */
	int16_t minor;
	int16_t nlink;          /* directory entries naming this inode */
	uint32_t size;          /* bytes */
	uint32_t addrs[NDIRECT + 2];
};

/*
 * An operation that frees a file's blocks may touch every bitmap block in
 * one transaction, so the bitmap is bounded: at most 56 blocks, which is a
 * file system of at most 56 * 8192 blocks (448 MiB).
 */
#define FS_MAX_BITMAP_BLOCKS 56

#define IPB             (BSIZE / sizeof(struct dinode))     /* inodes per block */
#define IBLOCK(i, sb)   ((i) / IPB + (sb).inodestart)       /* block holding inode i */
#define BPB             (BSIZE * 8)                         /* bitmap bits per block */
#define BBLOCK(b, sb)   ((b) / BPB + (sb).bmapstart)        /* bitmap block for block b */

/*
 * A directory is a file of these.  inum 0 marks a free slot.  A name is
 * NUL-padded; a name of exactly DIRSIZ bytes has no NUL.  Longer names are
 * cut to DIRSIZ bytes when created and when looked up (as on xv6).
 */
#define DIRSIZ 14

struct dirent {
	uint16_t inum;
	char name[DIRSIZ];
};

/*
 * The log header (block logstart).  n > 0 means a transaction committed:
 * its blocks are in logstart+1 .. logstart+n and belong at block[0..n-1].
 * checksum (fs_log_checksum) covers n, the addresses and the n logged
 * blocks, so a header that is not wholly written is never replayed.
 */
#define FS_LOG_MAX  254

struct logheader {
	uint32_t n;
	uint32_t checksum;
	uint32_t block[FS_LOG_MAX];
};

/* Fold len bytes (a multiple of 4, 4-byte aligned) into a running checksum. */
static inline uint64_t
fs_checksum_add(uint64_t h, const void *data, unsigned long len)
{
	const uint32_t *w = (const uint32_t *)data;

	for (unsigned long i = 0; i < len / 4; i++) {
		h ^= w[i];
		h *= 0x100000001b3ull;
		h ^= h >> 29;
	}
	return h;
}

_Static_assert(sizeof(struct dinode) == 64, "dinode: 64 bytes");
_Static_assert(sizeof(struct dirent) == 16, "dirent: 16 bytes");
_Static_assert(sizeof(struct logheader) == BSIZE, "log header: one block");

#define FS_CHECKSUM_SEED 0xcbf29ce484222325ull

/*
 * The header's checksum: n, the whole address array as written, and
 * blocks_sum, the checksum of the n logged blocks in order (start it
 * from FS_CHECKSUM_SEED).
 */
static inline uint32_t
fs_log_checksum(const struct logheader *lh, uint64_t blocks_sum)
{
	uint64_t h = fs_checksum_add(FS_CHECKSUM_SEED ^ lh->n, lh->block,
				     sizeof(lh->block));

	h ^= blocks_sum * 0x9e3779b97f4a7c15ull;
	return (uint32_t)(h ^ (h >> 32));
}

#endif

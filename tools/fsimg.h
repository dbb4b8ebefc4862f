/*
 * fsimg: a Canopy file-system image held in memory, for the host tools
 * (mkfs, fsck): loading it, checking its superblock, replaying its log
 * as mounting would, and reading its inodes and files.  The format is
 * <canopy/fs.h>.  Nothing here prints or exits: each tool reports in its
 * own words.
 */
#ifndef FSIMG_H
#define FSIMG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <canopy/fs.h>

struct fsimg {
	uint8_t *data;          /* blocks * BSIZE bytes */
	uint64_t blocks;        /* whole blocks in the file */
	struct superblock sb;   /* a copy of block 1, once checked */
	uint32_t data_start;    /* the first data block, once checked */
};

/* What fsimg_replay_log() found in the log. */
enum fsimg_log {
	FSIMG_LOG_EMPTY,        /* nothing committed */
	FSIMG_LOG_REPLAYED,     /* a committed transaction, now copied to its homes */
	FSIMG_LOG_TORN,         /* a header whose checksum fails: ignored, as the kernel does */
	FSIMG_LOG_BAD,          /* a header that cannot be believed: why says how */
};

const char *fsimg_load(struct fsimg *im, const char *path);
const char *fsimg_check_super(struct fsimg *im);
enum fsimg_log fsimg_replay_log(struct fsimg *im, uint32_t *n, char *why, size_t why_len);

static inline uint8_t *
fsimg_block(const struct fsimg *im, uint32_t b)
{
	return im->data + (uint64_t)b * BSIZE;
}

static inline struct dinode *
fsimg_inode(const struct fsimg *im, uint32_t inum)
{
	return (struct dinode *)fsimg_block(im, IBLOCK(inum, im->sb)) + inum % IPB;
}

uint32_t fsimg_file_block(const struct fsimg *im, const struct dinode *d, uint32_t bn);
bool fsimg_read(const struct fsimg *im, const struct dinode *d, uint32_t off, void *buf,
		uint32_t len);

#endif

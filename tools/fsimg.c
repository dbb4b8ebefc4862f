/*
 * fsimg: an image in memory, shared by mkfs and fsck (see fsimg.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "fsimg.h"

/*
 * Map the file at path into im, privately: changes stay in memory, and
 * only the blocks read are read (a sparse 80 MiB disk costs little).
 * NULL, or why not.
 */
const char *
fsimg_load(struct fsimg *im, const char *path)
{
	int fd = open(path, O_RDONLY);
	struct stat st;

	memset(im, 0, sizeof(*im));
	if (fd < 0 || fstat(fd, &st) < 0) {
		const char *why = strerror(errno);
		if (fd >= 0)
			close(fd);
		return why;
	}
	im->blocks = (uint64_t)st.st_size / BSIZE;
	if (im->blocks > 0) {
		void *p = mmap(NULL, im->blocks * BSIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
		im->data = p == MAP_FAILED ? NULL : p;
	}
	close(fd);
	return im->blocks == 0 || im->data ? NULL : "cannot read the image";
}

/*
 * Check the superblock and copy it into im->sb: the regions must follow
 * each other in order, without gaps, inside the file.  NULL, or why not.
 */
const char *
fsimg_check_super(struct fsimg *im)
{
	if (im->blocks < 2)
		return "image too small to hold a superblock";
	memcpy(&im->sb, fsimg_block(im, 1), sizeof(im->sb));
	const struct superblock *sb = &im->sb;
	uint64_t inode_blocks = ((uint64_t)sb->ninodes + IPB - 1) / IPB;
	uint64_t bitmap_blocks = ((uint64_t)sb->size + BPB - 1) / BPB;
	uint64_t start = (uint64_t)sb->bmapstart + bitmap_blocks;

	if (sb->magic != FS_MAGIC)
		return "bad magic number";
	if (sb->size > im->blocks)
		return "larger than the image";
	if (sb->ninodes <= ROOTINO || sb->ninodes > 65536)
		return "impossible inode count";
	if (sb->nlog < FS_LOG_MAX + 1 || sb->logstart != 2 ||
	    sb->inodestart != (uint64_t)sb->logstart + sb->nlog)
		return "bad log position or size";
	if (sb->bmapstart != sb->inodestart + inode_blocks)
		return "bad inode area";
	if (bitmap_blocks > FS_MAX_BITMAP_BLOCKS)
		return "too big (bitmap)";
	if (start >= sb->size || sb->nblocks != sb->size - start)
		return "bad data area";
	im->data_start = (uint32_t)start;
	return NULL;
}

/*
 * Replay a committed transaction in memory, as mounting would (the
 * superblock checked first); *n is the transaction's size.  The header
 * is left as it was: a tool that writes the image clears it.
 */
enum fsimg_log
fsimg_replay_log(struct fsimg *im, uint32_t *n, char *why, size_t why_len)
{
	struct logheader lh;

	memcpy(&lh, fsimg_block(im, im->sb.logstart), sizeof(lh));
	*n = lh.n;
	if (lh.n == 0)
		return FSIMG_LOG_EMPTY;
	if (lh.n > FS_LOG_MAX) {
		snprintf(why, why_len, "log header claims %u blocks", lh.n);
		return FSIMG_LOG_BAD;
	}
	for (uint32_t i = 0; i < lh.n; i++) {
		if (lh.block[i] < im->sb.inodestart || lh.block[i] >= im->sb.size) {
			snprintf(why, why_len, "log entry %u names block %u, outside the inodes, "
				 "bitmap and data", i, lh.block[i]);
			return FSIMG_LOG_BAD;
		}
	}
	uint64_t sum = FS_CHECKSUM_SEED;
	for (uint32_t i = 0; i < lh.n; i++)
		sum = fs_checksum_add(sum, fsimg_block(im, im->sb.logstart + 1 + i), BSIZE);
	if (fs_log_checksum(&lh, sum) != lh.checksum)
		return FSIMG_LOG_TORN;
	for (uint32_t i = 0; i < lh.n; i++)
		memcpy(fsimg_block(im, lh.block[i]), fsimg_block(im, im->sb.logstart + 1 + i), BSIZE);
	return FSIMG_LOG_REPLAYED;
}

static bool
in_data(const struct fsimg *im, uint32_t b)
{
	return b >= im->data_start && b < im->sb.size;
}

/* The data block holding file block bn of d, or 0: none, or an address outside the data. */
uint32_t
fsimg_file_block(const struct fsimg *im, const struct dinode *d, uint32_t bn)
{
	if (bn < NDIRECT)
		return in_data(im, d->addrs[bn]) ? d->addrs[bn] : 0;
	bn -= NDIRECT;
	uint32_t ind;
	if (bn < NINDIRECT) {
		ind = d->addrs[NDIRECT];
	} else {
		bn -= NINDIRECT;
		if (bn >= NDINDIRECT)
			return 0;
		uint32_t top = d->addrs[NDIRECT + 1];
		if (!in_data(im, top))
			return 0;
		ind = ((uint32_t *)fsimg_block(im, top))[bn / NINDIRECT];
		bn %= NINDIRECT;
	}
	if (!in_data(im, ind))
		return 0;
	uint32_t b = ((uint32_t *)fsimg_block(im, ind))[bn];
	return in_data(im, b) ? b : 0;
}

/* Read len bytes at off of inode d into buf; false at a missing block. */
bool
fsimg_read(const struct fsimg *im, const struct dinode *d, uint32_t off, void *buf, uint32_t len)
{
	uint8_t *p = buf;

	while (len > 0) {
		uint32_t b = fsimg_file_block(im, d, off / BSIZE);
		uint32_t m = BSIZE - off % BSIZE;
		if (m > len)
			m = len;
		if (!b)
			return false;
		memcpy(p, fsimg_block(im, b) + off % BSIZE, m);
		p += m;
		off += m;
		len -= m;
	}
	return true;
}

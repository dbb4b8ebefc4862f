/*
 * fsck: check a Canopy file-system image on the host, read-only.
 *
 *   fsck [-l] IMAGE
 *
 * Checks the superblock; replays a committed log transaction in memory
 * (as the kernel would at mount; a torn one is ignored, as the kernel
 * does); then that every allocated inode is sound (type, size, block
 * addresses in the data area, no holes), every block in use is referenced
 * exactly once and marked in the bitmap, no referenced block is marked
 * free, every directory's "." and ".." are right, no entry names a free
 * or out-of-range inode, every directory is reached exactly once from the
 * root (no loops), and each inode's link count equals the directory
 * entries naming it.  An inode with no links and no entries is what a
 * crash leaves of a file removed while open; the kernel frees it at mount,
 * so it is only noted.
 *
 * Each problem is one line starting "fsck: error:"; the last line says
 * "clean" or how many errors.  Exit status 0 if clean, 1 if not.
 * With -l, it also lists every path: "path type inode nlink size crc",
 * crc being the CRC-32 (zlib's) of a file's bytes or a link's target, in
 * hex (0 for directories and devices).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <canopy/fs.h>
#include "fsimg.h"

#define MAX_SHOWN 60

static struct fsimg im;
static struct superblock sb;    /* im's, once checked */
static uint32_t data_start;
static int errors;

static uint32_t *owner;         /* per block: the inode using it, 0 if none */
static uint32_t *refs;          /* per inode: directory entries naming it ("." excepted) */
static uint32_t *parent;        /* per directory inode: the directory it was reached from */

static void __attribute__((format(printf, 1, 2)))
error(const char *fmt, ...)
{
	va_list ap;

	if (++errors > MAX_SHOWN)
		return;
	printf("fsck: error: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static uint8_t *
block(uint32_t b)
{
	return fsimg_block(&im, b);
}

static struct dinode *
dinode(uint32_t inum)
{
	return fsimg_inode(&im, inum);
}

static const char *
type_name(int type)
{
	switch (type) {
	case T_DIR: return "dir";
	case T_FILE: return "file";
	case T_DEVICE: return "dev";
	case T_SYMLINK: return "link";
	}
	return "?";
}

static int
check_super(void)
{
	const char *why = fsimg_check_super(&im);

	sb = im.sb;
	if (why) {
		error("superblock: %s (magic %#x, %u blocks, %u inodes, log %u at %u, inodes at %u, "
		      "bitmap at %u)", why, sb.magic, sb.size, sb.ninodes, sb.nlog, sb.logstart,
		      sb.inodestart, sb.bmapstart);
		return -1;
	}
	data_start = im.data_start;
	return 0;
}

/* Replay a committed transaction in memory, as mounting would. */
static int
replay_log(void)
{
	char why[128];
	uint32_t n;

	switch (fsimg_replay_log(&im, &n, why, sizeof(why))) {
	case FSIMG_LOG_EMPTY:
		break;
	case FSIMG_LOG_BAD:
		error("%s", why);
		return -1;
	case FSIMG_LOG_TORN:
		printf("fsck: note: log: a transaction of %u blocks was not wholly committed: "
		       "ignored (the kernel discards it)\n", n);
		break;
	case FSIMG_LOG_REPLAYED:
		printf("fsck: note: log: a committed transaction of %u blocks replayed in memory\n", n);
		break;
	}
	return 0;
}

static bool
bitmap_says_used(uint32_t b)
{
	return block(BBLOCK(b, sb))[(b % BPB) / 8] & (1 << (b % 8));
}

/* Record that inode inum uses block b (as data or as an indirect block). */
static bool
claim(uint32_t inum, uint32_t b)
{
	if (b < data_start || b >= sb.size) {
		error("inode %u: block address %u is outside the data area", inum, b);
		return false;
	}
	if (owner[b]) {
		error("block %u is used twice: by inode %u and inode %u", b, owner[b], inum);
		return false;
	}
	owner[b] = inum;
	return true;
}

/* Claim every block of an indirect block of the given depth. */
static void
walk_indirect(uint32_t inum, uint32_t ind, int levels)
{
	if (!claim(inum, ind))
		return;
	uint32_t a[NINDIRECT];
	memcpy(a, block(ind), sizeof(a));
	for (uint32_t i = 0; i < NINDIRECT; i++) {
		if (!a[i])
			continue;
		if (levels > 1)
			walk_indirect(inum, a[i], levels - 1);
		else
			claim(inum, a[i]);
	}
}

static void
check_inodes(void)
{
	for (uint32_t inum = 1; inum < sb.ninodes; inum++) {
		struct dinode *d = dinode(inum);
		if (d->type == 0)
			continue;
		if (d->type < T_DIR || d->type > T_SYMLINK) {
			error("inode %u: bad type %d", inum, d->type);
			continue;
		}
		if (d->size > (uint64_t)MAXFILE * BSIZE) {
			error("inode %u: impossible size %u", inum, d->size);
			continue;
		}
		if (d->type == T_DIR && d->size % sizeof(struct dirent))
			error("inode %u: directory size %u is not a whole number of entries",
			      inum, d->size);
		if (d->type == T_SYMLINK && (d->size == 0 || d->size >= 128))
			error("inode %u: symbolic link of %u bytes", inum, d->size);
		for (int i = 0; i < NDIRECT; i++)
			if (d->addrs[i])
				claim(inum, d->addrs[i]);
		if (d->addrs[NDIRECT])
			walk_indirect(inum, d->addrs[NDIRECT], 1);
		if (d->addrs[NDIRECT + 1])
			walk_indirect(inum, d->addrs[NDIRECT + 1], 2);
		for (uint32_t bn = 0; bn < (d->size + BSIZE - 1) / BSIZE; bn++) {
			if (!fsimg_file_block(&im, d, bn)) {
				error("inode %u: no block for bytes %u.. of its %u", inum, bn * BSIZE,
				      d->size);
				break;
			}
		}
	}
}

static void
check_bitmap(void)
{
	for (uint32_t b = 0; b < sb.size; b++) {
		bool used = bitmap_says_used(b);
		if (b < data_start) {
			if (!used)
				error("metadata block %u is marked free", b);
		} else if (owner[b] && !used) {
			error("block %u is used by inode %u but marked free", b, owner[b]);
		} else if (!owner[b] && used) {
			error("block %u is marked used but no inode uses it", b);
		}
	}
}

/* The CRC-32 of each byte value, for content_crc: a byte a step, not a bit. */
static uint32_t crc_table[256];

static void
crc_table_init(void)
{
	for (uint32_t v = 0; v < 256; v++) {
		uint32_t c = v;
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & -(c & 1));
		crc_table[v] = c;
	}
}

/* CRC-32 (the zlib/IEEE one) of a file's bytes. */
static uint32_t
content_crc(const struct dinode *d)
{
	uint32_t crc = 0xffffffffu;
	uint8_t buf[BSIZE];

	if (!crc_table[1])
		crc_table_init();
	for (uint32_t off = 0; off < d->size; off += BSIZE) {
		uint32_t m = d->size - off < BSIZE ? d->size - off : BSIZE;
		if (!fsimg_read(&im, d, off, buf, m))
			break;
		for (uint32_t i = 0; i < m; i++)
			crc = (crc >> 8) ^ crc_table[(crc ^ buf[i]) & 0xff];
	}
	return ~crc;
}

/* content_crc of inode inum, made once however many links name it (busybox has hundreds). */
static uint32_t
inode_crc(uint32_t inum, const struct dinode *d)
{
	static uint32_t *crc;           /* by inode; 0: not made yet (a made 0 is made again) */

	if (!crc && !(crc = calloc(sb.ninodes, sizeof(*crc))))
		return content_crc(d);
	if (!crc[inum])
		crc[inum] = content_crc(d);
	return crc[inum];
}

struct pending {
	uint32_t inum;
	char path[1024];
};

/* Walk the tree from the root, breadth first; list paths if asked. */
static void
check_tree(bool list)
{
	struct pending *queue = calloc(sb.ninodes, sizeof(*queue));
	uint32_t head = 0, tail = 0;
	struct dirent de;

	if (!queue) {
		error("out of memory");
		return;
	}
	if (dinode(ROOTINO)->type != T_DIR) {
		error("the root (inode %d) is not a directory", ROOTINO);
		free(queue);
		return;
	}
	queue[tail].inum = ROOTINO;
	strcpy(queue[tail++].path, "");
	parent[ROOTINO] = ROOTINO;
	while (head < tail) {
		struct pending *dir = &queue[head++];
		struct dinode *d = dinode(dir->inum);
		for (uint32_t off = 0; off + sizeof(de) <= d->size; off += sizeof(de)) {
			if (!fsimg_read(&im, d, off, &de, sizeof(de)))
				break;
			char name[DIRSIZ + 1];
			memcpy(name, de.name, DIRSIZ);
			name[DIRSIZ] = 0;
			bool dot = strcmp(name, ".") == 0, dotdot = strcmp(name, "..") == 0;
			if (off == 0 && (!dot || de.inum != dir->inum))
				error("directory %u (%s/): first entry is not \".\" naming itself",
				      dir->inum, dir->path);
			if (off == sizeof(de) && (!dotdot || de.inum != parent[dir->inum]))
				error("directory %u (%s/): second entry is not \"..\" naming its parent %u",
				      dir->inum, dir->path, parent[dir->inum]);
			if (de.inum == 0)
				continue;
			if (de.inum >= sb.ninodes) {
				error("directory %u (%s/): entry '%s' names inode %u, out of range",
				      dir->inum, dir->path, name, de.inum);
				continue;
			}
			struct dinode *t = dinode(de.inum);
			if (t->type < T_DIR || t->type > T_SYMLINK) {
				error("directory %u (%s/): entry '%s' names inode %u, which is %s",
				      dir->inum, dir->path, name, de.inum,
				      t->type == 0 ? "free (dangling entry)" : "bad");
				continue;
			}
			if (dot) {
				if (de.inum != dir->inum)
					error("directory %u (%s/): \".\" names inode %u", dir->inum,
					      dir->path, de.inum);
				continue;       /* "." is not a link */
			}
			refs[de.inum]++;
			if (dotdot) {
				if (off != sizeof(de))
					error("directory %u (%s/): a second \"..\"", dir->inum, dir->path);
				continue;
			}
			char path[sizeof(dir->path)];
			if (strlen(dir->path) + 1 + strlen(name) >= sizeof(path)) {
				error("directory %u: path too deep to follow", dir->inum);
				continue;
			}
			strcpy(path, dir->path);
			strcat(path, "/");
			strcat(path, name);
			if (list)
				printf("%s %s %u %d %u %08x\n", path, type_name(t->type), de.inum,
				       t->nlink, t->size,
				       t->type == T_DEVICE || t->type == T_DIR ? 0u : inode_crc(de.inum, t));
			if (t->type != T_DIR)
				continue;
			if (parent[de.inum]) {
				error("directory %u is reached twice (%s, and from directory %u): "
				      "a loop or a second link", de.inum, path, parent[de.inum]);
				continue;
			}
			parent[de.inum] = dir->inum;
			queue[tail].inum = de.inum;
			strcpy(queue[tail++].path, path);
		}
	}
	free(queue);
}

static void
check_links(void)
{
	for (uint32_t inum = 1; inum < sb.ninodes; inum++) {
		struct dinode *d = dinode(inum);
		if (d->type < T_DIR || d->type > T_SYMLINK)
			continue;
		if (refs[inum] == 0 && d->nlink == 0)
			printf("fsck: note: inode %u has no links (removed while open before a "
			       "crash): freed at the next mount\n", inum);
		else if (refs[inum] == 0)
			error("inode %u (%s, %d links) is in no directory", inum, type_name(d->type),
			      d->nlink);
		else if ((uint32_t)d->nlink != refs[inum])
			error("inode %u (%s): link count %d, but %u directory entries name it",
			      inum, type_name(d->type), d->nlink, refs[inum]);
	}
}

int
main(int argc, char *argv[])
{
	bool list = false;
	int opt;

	while ((opt = getopt(argc, argv, "l")) != -1) {
		if (opt != 'l') {
			fprintf(stderr, "usage: fsck [-l] image\n");
			return 2;
		}
		list = true;
	}
	if (optind + 1 != argc) {
		fprintf(stderr, "usage: fsck [-l] image\n");
		return 2;
	}
	const char *path = argv[optind];
	const char *why = fsimg_load(&im, path);
	if (why) {
		fprintf(stderr, "fsck: %s: %s\n", path, why);
		return 2;
	}

	if (check_super() == 0 && replay_log() == 0) {
		owner = calloc(sb.size, sizeof(*owner));
		refs = calloc(sb.ninodes, sizeof(*refs));
		parent = calloc(sb.ninodes, sizeof(*parent));
		if (!owner || !refs || !parent) {
			fprintf(stderr, "fsck: out of memory\n");
			return 2;
		}
		/*
		 * The tree before the bitmap: when an entry names a freed
		 * inode, each of the file's blocks is then "marked used but
		 * no inode uses it", and those must not crowd the one error
		 * that explains them out of the MAX_SHOWN lines.
		 */
		check_inodes();
		check_tree(list);
		check_links();
		check_bitmap();
	}
	if (errors > MAX_SHOWN)
		printf("fsck: ... and %d more errors\n", errors - MAX_SHOWN);
	if (errors) {
		printf("fsck: %s: %d error%s\n", path, errors, errors == 1 ? "" : "s");
		return 1;
	}
	uint32_t used_inodes = 0, used_blocks = 0;
	for (uint32_t i = 1; i < sb.ninodes; i++)
		used_inodes += dinode(i)->type != 0;
	for (uint32_t b = data_start; b < sb.size; b++)
		used_blocks += owner[b] != 0;
	printf("fsck: %s: clean: %u of %u inodes, %u of %u data blocks in use\n", path,
	       used_inodes, sb.ninodes - 1, used_blocks, sb.nblocks);
	return 0;
}

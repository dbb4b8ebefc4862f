/*
 * mkfs: build a Canopy file-system image on the host.
 *
 *   mkfs [-b blocks] [-i inodes] [-l LINK=PATH ...] IMAGE [PATH=HOSTFILE | PATH/ ...]
 *
 * PATH=HOSTFILE copies a host file to PATH in the image (its directories
 * are made as needed); PATH/ makes an empty directory.  -l LINK=PATH
 * makes LINK a hard link to PATH, a file given as PATH=HOSTFILE, once
 * every file is in: another name for the same inode, costing no block
 * unless LINK's directory needs one more (the build uses it to give xv6
 * programs the flat root they expect: /echo for /bin/echo).  The image
 * always has the root directory and /console, the console device (major 1).
 * The layout (see src/include/canopy/fs.h) is: boot block, superblock,
 * a log of FS_LOG_MAX+1 blocks, the inodes, the bitmap, then data.
 *
 * The image is built in memory and written sparsely: blocks that are all
 * zero are left as holes.  Any error stops mkfs with a message and
 * status 1; a name longer than DIRSIZ is an error here (the kernel cuts it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <canopy/fs.h>

#define CONSOLE_MAJOR 1
#define MAX_DIRS 256
#define MAX_FILES 1024
#define MAX_LINKS 1024

#define USAGE "usage: mkfs [-b blocks] [-i inodes] [-l link=path ...] image [path=hostfile | path/ ...]"

static uint8_t *image;          /* size * BSIZE bytes */
static struct superblock sb;
static uint32_t next_block;     /* first free data block */
static uint32_t next_inode = 1;

static struct {
	char path[256];
	uint32_t inum;
} dirs[MAX_DIRS];
static int ndirs;

/* the files copied in, so that -l can find them */
static struct {
	char path[256];
	uint32_t inum;
} files[MAX_FILES];
static int nfiles;

static char *links[MAX_LINKS];  /* -l arguments, LINK=PATH, made last */
static int nlinks;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "mkfs: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	exit(1);
}

static uint8_t *
block(uint32_t b)
{
	if (b >= sb.size)
		die("block %u outside the image", b);
	return image + (uint64_t)b * BSIZE;
}

static struct dinode *
dinode(uint32_t inum)
{
	return (struct dinode *)block(IBLOCK(inum, sb)) + inum % IPB;
}

static uint32_t
alloc_block(void)
{
	if (next_block >= sb.size)
		die("image full: make it bigger with -b");
	return next_block++;
}

static uint32_t
alloc_inode(int type)
{
	if (next_inode >= sb.ninodes)
		die("out of inodes: make more with -i");
	struct dinode *d = dinode(next_inode);
	memset(d, 0, sizeof(*d));
	d->type = (int16_t)type;
	d->nlink = 1;
	return next_inode++;
}

/* The address slot for file block bn, allocating indirect blocks as needed. */
static uint32_t *
block_slot(struct dinode *d, uint32_t bn)
{
	if (bn < NDIRECT)
		return &d->addrs[bn];
	bn -= NDIRECT;
	if (bn < NINDIRECT) {
		if (!d->addrs[NDIRECT])
			d->addrs[NDIRECT] = alloc_block();
		return (uint32_t *)block(d->addrs[NDIRECT]) + bn;
	}
	bn -= NINDIRECT;
	if (bn >= NDINDIRECT)
		die("file too big");
	if (!d->addrs[NDIRECT + 1])
		d->addrs[NDIRECT + 1] = alloc_block();
	uint32_t *top = (uint32_t *)block(d->addrs[NDIRECT + 1]) + bn / NINDIRECT;
	if (!*top)
		*top = alloc_block();
	return (uint32_t *)block(*top) + bn % NINDIRECT;
}

static void
append(uint32_t inum, const void *data, uint32_t n)
{
	struct dinode *d = dinode(inum);
	const uint8_t *p = data;

	while (n > 0) {
		uint32_t off = d->size % BSIZE;
		uint32_t *slot = block_slot(d, d->size / BSIZE);
		if (!*slot)
			*slot = alloc_block();
		uint32_t m = BSIZE - off < n ? BSIZE - off : n;
		memcpy(block(*slot) + off, p, m);
		d->size += m;
		p += m;
		n -= m;
	}
}

/* Does directory dir already hold name? */
static bool
dir_has(uint32_t dir, const char *name)
{
	struct dinode *d = dinode(dir);

	for (uint32_t off = 0; off < d->size; off += sizeof(struct dirent)) {
		struct dirent *de = (struct dirent *)(block(*block_slot(d, off / BSIZE)) + off % BSIZE);
		if (de->inum && strncmp(de->name, name, DIRSIZ) == 0)
			return true;
	}
	return false;
}

static void
add_entry(uint32_t dir, const char *name, uint32_t inum)
{
	struct dirent de;

	if (strlen(name) > DIRSIZ)
		die("name '%s' is longer than %d bytes", name, DIRSIZ);
	if (dir_has(dir, name))
		die("'%s' is already in directory inode %u", name, dir);
	memset(&de, 0, sizeof(de));
	de.inum = (uint16_t)inum;
	memcpy(de.name, name, strlen(name));     /* NUL-padded by the memset */
	append(dir, &de, sizeof(de));
}

static uint32_t
make_dir(uint32_t parent, const char *name)
{
	uint32_t inum = alloc_inode(T_DIR);

	add_entry(inum, ".", inum);
	add_entry(inum, "..", parent);
	if (parent != inum) {
		add_entry(parent, name, inum);
		dinode(parent)->nlink++;        /* the new ".." */
	}
	return inum;
}

/* The inode of directory path (no trailing slash), made with its parents if missing. */
static uint32_t
dir_path(const char *path)
{
	char parent[256], *slash;

	if (path[0] == 0)
		return ROOTINO;
	for (int i = 0; i < ndirs; i++)
		if (strcmp(dirs[i].path, path) == 0)
			return dirs[i].inum;
	if (strlen(path) >= sizeof(parent) || ndirs == MAX_DIRS)
		die("too many or too deep directories at %s", path);
	strcpy(parent, path);
	slash = strrchr(parent, '/');
	*slash = 0;
	uint32_t inum = make_dir(dir_path(parent), slash + 1);
	strcpy(dirs[ndirs].path, path);
	dirs[ndirs++].inum = inum;
	return inum;
}

/* Split "/a/b/name" into the directory's inode and name. */
static uint32_t
parent_of(const char *path, const char **name)
{
	char dir[256];
	const char *slash = strrchr(path, '/');

	if (path[0] != '/' || !slash || slash[1] == 0 || slash - path >= (long)sizeof(dir))
		die("bad path '%s': must be absolute", path);
	memcpy(dir, path, slash - path);
	dir[slash - path] = 0;
	*name = slash + 1;
	return dir_path(dir);
}

static void
add_file(const char *path, const char *host)
{
	const char *name;
	uint32_t dir = parent_of(path, &name);
	FILE *f = fopen(host, "rb");
	uint8_t buf[BSIZE * 16];
	size_t n;

	if (!f)
		die("%s: %s", host, strerror(errno));
	uint32_t inum = alloc_inode(T_FILE);
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		append(inum, buf, (uint32_t)n);
	if (ferror(f))
		die("%s: read error", host);
	fclose(f);
	add_entry(dir, name, inum);
	if (nfiles == MAX_FILES || strlen(path) >= sizeof(files[0].path))
		die("too many files, or too long a path at %s", path);
	strcpy(files[nfiles].path, path);
	files[nfiles++].inum = inum;
}

/* Make link (LINK=PATH, edited in place) another name for the file PATH. */
static void
add_link(char *link)
{
	char *eq = strchr(link, '=');
	const char *name;

	if (!eq)
		die("-l '%s': expected LINK=PATH", link);
	*eq = 0;
	for (int i = 0; i < nfiles; i++) {
		if (strcmp(files[i].path, eq + 1) != 0)
			continue;
		uint32_t dir = parent_of(link, &name);
		add_entry(dir, name, files[i].inum);
		dinode(files[i].inum)->nlink++;
		return;
	}
	die("-l %s=%s: no file %s in the image", link, eq + 1, eq + 1);
}

static void
write_image(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	static const uint8_t zero[BSIZE];

	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (ftruncate(fd, (off_t)sb.size * BSIZE) < 0)
		die("%s: %s", path, strerror(errno));
	for (uint32_t b = 0; b < sb.size; b++) {
		if (memcmp(block(b), zero, BSIZE) == 0)
			continue;
		if (pwrite(fd, block(b), BSIZE, (off_t)b * BSIZE) != BSIZE)
			die("%s: write failed", path);
	}
	if (close(fd) < 0)
		die("%s: %s", path, strerror(errno));
}

int
main(int argc, char *argv[])
{
	uint32_t size = 32768, ninodes = 512;
	int opt;

	while ((opt = getopt(argc, argv, "b:i:l:")) != -1) {
		if (opt == 'b')
			size = (uint32_t)strtoul(optarg, NULL, 0);
		else if (opt == 'i')
			ninodes = (uint32_t)strtoul(optarg, NULL, 0);
		else if (opt == 'l' && nlinks < MAX_LINKS)
			links[nlinks++] = optarg;
		else
			die(USAGE);
	}
	if (optind >= argc)
		die(USAGE);
	if (ninodes < 16 || ninodes > 65535)
		die("inodes must be 16 .. 65535 (a directory entry holds 16 bits)");

	uint32_t ninodeblocks = (ninodes + IPB - 1) / IPB;
	uint32_t nbitmap = (size + BPB - 1) / BPB;
	uint32_t nlog = FS_LOG_MAX + 1;
	if (nbitmap > FS_MAX_BITMAP_BLOCKS)
		die("%u blocks is too big: at most %u", size, FS_MAX_BITMAP_BLOCKS * BPB);
	uint32_t nmeta = 2 + nlog + ninodeblocks + nbitmap;
	if (size < nmeta + 16)
		die("%u blocks is too small: the metadata alone needs %u", size, nmeta);

	sb.magic = FS_MAGIC;
	sb.size = size;
	sb.nblocks = size - nmeta;
	sb.ninodes = ninodes;
	sb.nlog = nlog;
	sb.logstart = 2;
	sb.inodestart = 2 + nlog;
	sb.bmapstart = 2 + nlog + ninodeblocks;
	if (!(image = calloc(size, BSIZE)))
		die("out of memory");
	next_block = nmeta;
	memcpy(block(1), &sb, sizeof(sb));

	if (make_dir(ROOTINO, "") != ROOTINO)
		die("root is not inode %d", ROOTINO);
	uint32_t console = alloc_inode(T_DEVICE);
	dinode(console)->major = CONSOLE_MAJOR;
	add_entry(ROOTINO, "console", console);

	for (int i = optind + 1; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		size_t len = strlen(argv[i]);
		if (eq) {
			*eq = 0;
			add_file(argv[i], eq + 1);
		} else if (len > 1 && argv[i][0] == '/' && argv[i][len - 1] == '/') {
			argv[i][len - 1] = 0;
			dir_path(argv[i]);
		} else {
			die("'%s': expected PATH=HOSTFILE or /DIR/", argv[i]);
		}
	}
	for (int i = 0; i < nlinks; i++)
		add_link(links[i]);

	/* every block up to the last one handed out is in use */
	for (uint32_t b = 0; b < next_block; b++)
		block(BBLOCK(b, sb))[(b % BPB) / 8] |= (uint8_t)(1 << (b % 8));
	write_image(argv[optind]);
	printf("mkfs: %s: %u blocks (%u data, %u used), %u inodes (%u used), log %u blocks\n",
	       argv[optind], size, sb.nblocks, next_block - nmeta, ninodes, next_inode - 1, nlog);
	return 0;
}

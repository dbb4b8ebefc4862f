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
 *   mkfs -u KEPT BUILT NEW
 *
 * refreshes KEPT, a disk in use (the one `scons run` keeps), from BUILT,
 * an image mkfs made: NEW is BUILT plus every file, directory and link
 * of KEPT at a path BUILT has none at, hard links kept as links.  So the
 * build's files (its programs in /bin, their links in /, /README ...)
 * come from BUILT, even where the user replaced or removed them on KEPT,
 * and everything else is KEPT's.  A directory where BUILT has a file, or
 * the reverse, is an error.  KEPT's log is replayed in memory first, as
 * mounting would; its orphaned inodes (files removed while open before a
 * crash) are left out, as mounting would free them.  NEW is not written
 * if KEPT already holds every file of BUILT as it is and has its size.
 * The one line printed says which, and what changed.  KEPT is only read.
 *
 * The image is built in memory and written sparsely: blocks that are all
 * zero are left as holes.  Any error stops mkfs with a message and
 * status 1 (with -u before NEW is written); a name longer than DIRSIZ is
 * an error here (the kernel cuts it).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <canopy/fs.h>
#include "fsimg.h"

#define CONSOLE_MAJOR 1
#define MAX_DIRS 256
#define MAX_FILES 1024
#define MAX_LINKS 1024

#define USAGE "usage: mkfs [-b blocks] [-i inodes] [-l link=path ...] image [path=hostfile | path/ ...]\n" \
	"       mkfs -u kept built new"

static struct fsimg fs;         /* the image being made */
static uint32_t block_cursor;   /* no free data block below it */
static uint32_t inode_cursor = 1;       /* no free inode below it */

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
	if (b >= fs.sb.size)
		die("block %u outside the image", b);
	return fsimg_block(&fs, b);
}

static struct dinode *
dinode(uint32_t inum)
{
	if (inum >= fs.sb.ninodes)
		die("inode %u outside the image", inum);
	return fsimg_inode(&fs, inum);
}

static uint8_t *
bitmap_byte(uint32_t b)
{
	return block(BBLOCK(b, fs.sb)) + (b % BPB) / 8;
}

static bool
block_used(uint32_t b)
{
	return *bitmap_byte(b) & (1 << (b % 8));
}

static void
mark_used(uint32_t b)
{
	*bitmap_byte(b) |= (uint8_t)(1 << (b % 8));
}

static const char *old_path, *built_path;     /* -u's KEPT and BUILT */

static void __attribute__((noreturn))
no_room(const char *what, const char *option)
{
	if (old_path)
		die("%s has too few %s for the files of %s as well", built_path, what, old_path);
	die("out of %s: make more with %s", what, option);
}

/*
 * A free data block, zeroed and marked used.  Allocation follows the
 * bitmap, not a counter, so that mkfs -u can add files to an image it
 * loaded; a new image fills from the start of the data area in order.
 */
static uint32_t
alloc_block(void)
{
	for (uint32_t b = block_cursor; b < fs.sb.size; b++) {
		if (block_used(b))
			continue;
		mark_used(b);
		memset(block(b), 0, BSIZE);
		block_cursor = b + 1;
		return b;
	}
	no_room("blocks", "-b");
}

static uint32_t
alloc_inode(int type)
{
	for (uint32_t inum = inode_cursor; inum < fs.sb.ninodes; inum++) {
		struct dinode *d = dinode(inum);
		if (d->type != 0)
			continue;
		memset(d, 0, sizeof(*d));
		d->type = (int16_t)type;
		d->nlink = 1;
		inode_cursor = inum + 1;
		return inum;
	}
	no_room("inodes", "-i");
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

/* The inode directory dir names name by, or 0. */
static uint32_t
dir_lookup(uint32_t dir, const char *name)
{
	struct dinode *d = dinode(dir);

	for (uint32_t off = 0; off < d->size; off += sizeof(struct dirent)) {
		struct dirent *de = (struct dirent *)(block(*block_slot(d, off / BSIZE)) + off % BSIZE);
		if (de->inum && strncmp(de->name, name, DIRSIZ) == 0)
			return de->inum;
	}
	return 0;
}

static void
add_entry(uint32_t dir, const char *name, uint32_t inum)
{
	struct dirent de;

	if (strlen(name) > DIRSIZ)
		die("name '%s' is longer than %d bytes", name, DIRSIZ);
	if (dir_lookup(dir, name))
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
	if (ftruncate(fd, (off_t)fs.sb.size * BSIZE) < 0)
		die("%s: %s", path, strerror(errno));
	for (uint32_t b = 0; b < fs.sb.size; b++) {
		if (memcmp(block(b), zero, BSIZE) == 0)
			continue;
		if (pwrite(fd, block(b), BSIZE, (off_t)b * BSIZE) != BSIZE)
			die("%s: write failed", path);
	}
	if (close(fd) < 0)
		die("%s: %s", path, strerror(errno));
}

/* ---------------------------------------------------------------- a new image */

/* A new image in memory: the superblock, the metadata marked used, the root and /console. */
static void
new_image(uint32_t size, uint32_t ninodes)
{
	struct superblock *sb = &fs.sb;

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

	sb->magic = FS_MAGIC;
	sb->size = size;
	sb->nblocks = size - nmeta;
	sb->ninodes = ninodes;
	sb->nlog = nlog;
	sb->logstart = 2;
	sb->inodestart = 2 + nlog;
	sb->bmapstart = 2 + nlog + ninodeblocks;
	if (!(fs.data = calloc(size, BSIZE)))
		die("out of memory");
	fs.blocks = size;
	fs.data_start = nmeta;
	block_cursor = nmeta;
	memcpy(block(1), sb, sizeof(*sb));
	for (uint32_t b = 0; b < nmeta; b++)
		mark_used(b);

	if (make_dir(ROOTINO, "") != ROOTINO)
		die("root is not inode %d", ROOTINO);
	uint32_t console = alloc_inode(T_DEVICE);
	dinode(console)->major = CONSOLE_MAJOR;
	add_entry(ROOTINO, "console", console);
}

/* Add what the arguments after the image name ask for, then the -l links. */
static void
add_arguments(int argc, char *argv[])
{
	for (int i = 0; i < argc; i++) {
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
}

static void
print_summary(const char *path)
{
	uint32_t used_blocks = 0, used_inodes = 0;

	for (uint32_t b = fs.data_start; b < fs.sb.size; b++)
		used_blocks += block_used(b);
	for (uint32_t inum = 1; inum < fs.sb.ninodes; inum++)
		used_inodes += dinode(inum)->type != 0;
	printf("mkfs: %s: %u blocks (%u data, %u used), %u inodes (%u used), log %u blocks\n",
	       path, fs.sb.size, fs.sb.nblocks, used_blocks, fs.sb.ninodes, used_inodes,
	       fs.sb.nlog);
}

/* ---------------------------------------------------------------- -u: refresh a kept disk */

#define PATH_LEN 1024

static struct fsimg old;        /* the kept disk */
static uint32_t *copied;        /* per inode of old: the inode made for it here (0: none yet) */
static bool *noted;             /* per inode here: its difference from old is counted */

/* Files of the build that the kept disk lacks or holds otherwise: how many, the first few. */
struct tally {
	uint32_t n;
	char names[3][PATH_LEN];
};
static struct tally changed, added;
static uint32_t kept_files, kept_dirs, kept_links;

/* Load an image, its log replayed (a torn transaction ignored), its header cleared. */
static void
load_image(struct fsimg *im, const char *path)
{
	char why[128];
	uint32_t n;
	const char *problem = fsimg_load(im, path);

	if (problem)
		die("%s: %s", path, problem);
	if ((problem = fsimg_check_super(im)))
		die("%s: superblock: %s", path, problem);
	if (fsimg_replay_log(im, &n, why, sizeof(why)) == FSIMG_LOG_BAD)
		die("%s: %s", path, why);
	memset(fsimg_block(im, im->sb.logstart), 0, BSIZE);
	if (fsimg_inode(im, ROOTINO)->type != T_DIR)
		die("%s: the root is not a directory (run fsck on it)", path);
}

/*
 * Entry i of directory dir of image im (named im_path), its name NUL-ended
 * in name; false past the end.  An entry naming no sound inode stops mkfs:
 * nothing is written from a damaged disk.
 */
static bool
dir_entry(const struct fsimg *im, const char *im_path, uint32_t dir, uint32_t i,
	  struct dirent *de, char name[DIRSIZ + 1])
{
	const struct dinode *d = fsimg_inode(im, dir);
	uint32_t off = i * sizeof(*de);

	if (off + sizeof(*de) > d->size)
		return false;
	if (!fsimg_read(im, d, off, de, sizeof(*de)))
		die("%s: directory inode %u has a missing block (run fsck on it)", im_path, dir);
	memcpy(name, de->name, DIRSIZ);
	name[DIRSIZ] = 0;
	if (de->inum && (de->inum >= im->sb.ninodes || fsimg_inode(im, de->inum)->type < T_DIR ||
			 fsimg_inode(im, de->inum)->type > T_SYMLINK))
		die("%s: directory inode %u names a bad inode %u (run fsck on it)", im_path, dir,
		    de->inum);
	return true;
}

static bool
is_dot(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0;
}

/* Append "/name" to path, len bytes long: the new length. */
static size_t
path_push(char *path, size_t len, const char *name)
{
	if (len + 1 + strlen(name) >= PATH_LEN)
		die("%s/%s: path too long", path, name);
	path[len] = '/';
	strcpy(path + len + 1, name);
	return len + 1 + strlen(name);
}

/* The inode directory dir of the kept disk names name by, or 0. */
static uint32_t
old_lookup(uint32_t dir, const char *name)
{
	struct dirent de;
	char n[DIRSIZ + 1];

	for (uint32_t i = 0; dir_entry(&old, old_path, dir, i, &de, n); i++)
		if (de.inum && strcmp(n, name) == 0)
			return de.inum;
	return 0;
}

/* Does inode o of the kept disk (0: none) hold what inode inum here does? */
static bool
same(uint32_t inum, uint32_t o)
{
	const struct dinode *d = dinode(inum);
	uint8_t a[BSIZE], b[BSIZE];

	if (!o)
		return false;
	const struct dinode *od = fsimg_inode(&old, o);
	if (d->type != od->type)
		return false;
	if (d->type == T_DIR)
		return true;
	if (d->type == T_DEVICE)
		return d->major == od->major && d->minor == od->minor;
	if (d->size != od->size)
		return false;
	for (uint32_t off = 0; off < d->size; off += BSIZE) {
		uint32_t m = d->size - off < BSIZE ? d->size - off : BSIZE;
		if (!fsimg_read(&fs, d, off, a, m) || !fsimg_read(&old, od, off, b, m) ||
		    memcmp(a, b, m) != 0)
			return false;
	}
	return true;
}

static void
tally(struct tally *t, const char *path)
{
	if (t->n < 3)
		strcpy(t->names[t->n], path);
	t->n++;
}

/*
 * Count the files of the build (the image loaded) under directory dir
 * that the kept disk lacks or holds otherwise; old_dir is the same
 * directory there (0: it has none).  An inode counts once, under the
 * first of its names met (/bin/echo before its flat-root link /echo).
 */
static void
compare_dir(uint32_t dir, uint32_t old_dir, char *path, size_t len)
{
	struct dirent de;
	char name[DIRSIZ + 1];

	for (uint32_t i = 0; dir_entry(&fs, built_path, dir, i, &de, name); i++) {
		if (!de.inum || is_dot(name))
			continue;
		size_t sub = path_push(path, len, name);
		uint32_t o = old_dir ? old_lookup(old_dir, name) : 0;
		if (!noted[de.inum] && !same(de.inum, o)) {
			noted[de.inum] = true;
			tally(o ? &changed : &added, path);
		}
		if (dinode(de.inum)->type == T_DIR)
			compare_dir(de.inum, o && fsimg_inode(&old, o)->type == T_DIR ? o : 0, path,
				    sub);
		path[len] = 0;
	}
}

/* Record that directory o of the kept disk is merged into directory inum here (once: no loops). */
static uint32_t
visit(uint32_t o, uint32_t inum, const char *path)
{
	if (copied[o])
		die("%s: directory %s is reached twice (run fsck on it)", old_path, path);
	copied[o] = inum;
	return o;
}

static void merge_dir(uint32_t old_dir, uint32_t dir, char *path, size_t len);

/* Copy file o of the kept disk's bytes into inode inum here. */
static void
copy_data(uint32_t o, uint32_t inum, const char *path)
{
	const struct dinode *od = fsimg_inode(&old, o);
	uint8_t buf[BSIZE];

	for (uint32_t off = 0; off < od->size; off += BSIZE) {
		uint32_t m = od->size - off < BSIZE ? od->size - off : BSIZE;
		if (!fsimg_read(&old, od, off, buf, m))
			die("%s: %s has a missing block (run fsck on it)", old_path, path);
		append(inum, buf, m);
	}
}

/* Copy o of the kept disk, which the build has no path for, into directory dir as name. */
static void
copy_entry(uint32_t o, uint32_t dir, const char *name, char *path, size_t len)
{
	const struct dinode *od = fsimg_inode(&old, o);

	if (od->type == T_DIR) {
		uint32_t inum = make_dir(dir, name);
		kept_dirs++;
		merge_dir(visit(o, inum, path), inum, path, len);
	} else if (copied[o]) {         /* another name of a file copied already */
		add_entry(dir, name, copied[o]);
		dinode(copied[o])->nlink++;
		kept_links++;
	} else {
		uint32_t inum = alloc_inode(od->type);
		dinode(inum)->major = od->major;
		dinode(inum)->minor = od->minor;
		copy_data(o, inum, path);
		add_entry(dir, name, inum);
		copied[o] = inum;
		kept_files++;
	}
}

static const char *
type_name(int type)
{
	return type == T_DIR ? "directory" : type == T_SYMLINK ? "symbolic link" :
	       type == T_DEVICE ? "device" : "file";
}

/*
 * Copy into directory dir everything under directory old_dir of the kept
 * disk that the build has no path for; a directory both have is merged.
 * The build's file replaces the disk's at its path.  A directory where
 * the build has a file, or the reverse, stops mkfs: it would drop the
 * user's directory, or the build's.
 */
static void
merge_dir(uint32_t old_dir, uint32_t dir, char *path, size_t len)
{
	struct dirent de;
	char name[DIRSIZ + 1];

	for (uint32_t i = 0; dir_entry(&old, old_path, old_dir, i, &de, name); i++) {
		if (!de.inum || is_dot(name))
			continue;
		size_t sub = path_push(path, len, name);
		uint32_t inum = dir_lookup(dir, name);
		int type = fsimg_inode(&old, de.inum)->type;
		if (!inum)
			copy_entry(de.inum, dir, name, path, sub);
		else if (type == T_DIR && dinode(inum)->type == T_DIR)
			merge_dir(visit(de.inum, inum, path), inum, path, sub);
		else if (type == T_DIR || dinode(inum)->type == T_DIR)
			die("%s: %s is a %s there but a %s in %s: move it away, or start again from %s",
			    old_path, path, type_name(type), type_name(dinode(inum)->type), built_path,
			    built_path);
		path[len] = 0;
	}
}

/* Append to out (size bytes), after a comma unless it is empty, the text fmt makes. */
static void __attribute__((format(printf, 3, 4)))
add_part(char *out, size_t size, const char *fmt, ...)
{
	size_t n = strlen(out);
	va_list ap;

	if (n && n + 2 < size) {
		strcpy(out + n, ", ");
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(out + n, size - n, fmt, ap);
	va_end(ap);
}

/* Append "3 changed (/bin/echo, /bin/sh, /README and 2 more)" to out. */
static void
describe(char *out, size_t size, const struct tally *t, const char *what)
{
	if (!t->n)
		return;
	add_part(out, size, "%u %s (%s%s%s%s%s", t->n, what, t->names[0],
		 t->n > 1 ? ", " : "", t->n > 1 ? t->names[1] : "",
		 t->n > 2 ? ", " : "", t->n > 2 ? t->names[2] : "");
	size_t n = strlen(out);
	snprintf(out + n, size - n, t->n > 3 ? " and %u more)" : ")", t->n - 3);
}

/* Are a and b one file?  (-u maps KEPT and BUILT, so it must not write NEW over either.) */
static bool
same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	       sa.st_ino == sb.st_ino;
}

static const char *
plural(uint32_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* "kept 3 files, 1 directory of yours", or "nothing of yours to keep". */
static const char *
kept_summary(void)
{
	static char out[128];
	char parts[96] = "";

	if (kept_files)
		add_part(parts, sizeof(parts), "%u file%s", kept_files, plural(kept_files, "", "s"));
	if (kept_dirs)
		add_part(parts, sizeof(parts), "%u director%s", kept_dirs,
			 plural(kept_dirs, "y", "ies"));
	if (kept_links)
		add_part(parts, sizeof(parts), "%u more link%s", kept_links,
			 plural(kept_links, "", "s"));
	if (!parts[0])
		return "nothing of yours to keep";
	snprintf(out, sizeof(out), "kept %s of yours", parts);
	return out;
}

/*
 * -u: new is built (the image the build made) plus the user's part of the
 * kept disk old: whatever old has at a path built has not.  Written only
 * if old differs from built in a file of built or in its size.
 */
static int
update(const char *old_file, const char *built, const char *new)
{
	char path[PATH_LEN] = "", what[8 * PATH_LEN] = "";

	old_path = old_file;
	built_path = built;
	if (same_file(new, old_file) || same_file(new, built))
		die("-u: %s must be neither %s nor %s (both are read while it is written)", new,
		    old_file, built);
	load_image(&fs, built);
	block_cursor = fs.data_start;
	load_image(&old, old_file);
	if (!(copied = calloc(old.sb.ninodes, sizeof(*copied))) ||
	    !(noted = calloc(fs.sb.ninodes, sizeof(*noted))))
		die("out of memory");

	compare_dir(ROOTINO, ROOTINO, path, 0);
	bool resized = old.sb.size != fs.sb.size || old.sb.ninodes != fs.sb.ninodes;
	if (!changed.n && !added.n && !resized) {
		printf("mkfs: %s: up to date with %s\n", old_file, built);
		return 0;
	}
	copied[ROOTINO] = ROOTINO;
	merge_dir(ROOTINO, ROOTINO, path, 0);
	write_image(new);

	describe(what, sizeof(what), &changed, "changed");
	describe(what, sizeof(what), &added, "new");
	if (resized)
		add_part(what, sizeof(what), "now %u blocks and %u inodes", fs.sb.size,
			 fs.sb.ninodes);
	printf("mkfs: %s: %s refreshed: %s; %s\n", new, old_file, what, kept_summary());
	return 0;
}

int
main(int argc, char *argv[])
{
	uint32_t size = 32768, ninodes = 512;
	const char *kept = NULL;
	bool build_options = false;
	int opt;

	while ((opt = getopt(argc, argv, "b:i:l:u:")) != -1) {
		build_options |= opt != 'u';
		if (opt == 'b')
			size = (uint32_t)strtoul(optarg, NULL, 0);
		else if (opt == 'i')
			ninodes = (uint32_t)strtoul(optarg, NULL, 0);
		else if (opt == 'l' && nlinks < MAX_LINKS)
			links[nlinks++] = optarg;
		else if (opt == 'u')
			kept = optarg;
		else
			die(USAGE);
	}
	if (kept) {
		if (argc - optind != 2 || build_options)
			die(USAGE);
		return update(kept, argv[optind], argv[optind + 1]);
	}
	if (optind >= argc)
		die(USAGE);
	new_image(size, ninodes);
	add_arguments(argc - optind - 1, argv + optind + 1);
	write_image(argv[optind]);
	print_summary(argv[optind]);
	return 0;
}

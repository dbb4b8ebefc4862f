/*
 * exec's view of a program file: the inode stays locked (so it cannot
 * change under the loader) and referenced from fs_program() until the
 * source's done() call, which drops it.  The loader reads the file
 * through its page cache, the pages its text will map: reading a header
 * there costs a lookup, not a buffer-cache round trip.  When no page-cache
 * object is free (mappings hold them all), it reads the file itself and
 * copies every segment, as for a program built into the kernel.  Loading
 * happens outside any transaction; only the lookup and the final iput are
 * in one.
 */
#include "fs/program.h"
#include "lib/errno.h"
#include "fs/fs.h"
#include "fs/log.h"
#include "fs/procfs.h"
#include "sched/exec.h"
#include "vm/kalloc.h"
#include "vm/vmobj.h"
#include <canopy/layout.h>
#include "lib/string.h"

/* Read [off, off+n) of the program (its inode locked) from its page cache. */
static int
cache_source_read(void *ctx, uint64 off, void *dst, uint64 n)
{
	struct exec_source *src = ctx;

	if (off > src->size || n > src->size - off)
		return -1;
	while (n > 0) {
		uint64 in_page = PGSIZE - off % PGSIZE, m = n < in_page ? n : in_page;
		void *page;
		if (vmobj_page(src->obj, off / PGSIZE, true, &page) != VMOBJ_OK)
			return -1;
		memcpy(dst, (char *)page + off % PGSIZE, m);
		page_put(page);    /* the reference vmobj_page gave us */
		dst = (char *)dst + m;
		off += m;
		n -= m;
	}
	return 0;
}

/* The same, from the file through the buffer cache: no page-cache object. */
static int
inode_source_read(void *ctx, uint64 off, void *dst, uint64 n)
{
	struct exec_source *src = ctx;

	if (off > src->size || n > src->size - off)
		return -1;
	return readi(src->ip, false, (uint64)dst, (uint32)off, (uint32)n) == (int)n ? 0 : -1;
}

static void
cache_source_done(void *ctx)
{
	struct exec_source *src = ctx;
	struct inode *ip = src->ip;

	iunlock(ip);
	if (src->obj)
		vmobj_put(src->obj);
	iput_op(ip);
}

/*
 * The page-cache object of the program file ip (locked): the one the file
 * has (the common case, taking no lock but the cache's), or a new one.
 * vmobj_file() may drop an inode reference in a transaction of its own,
 * and the log comes before inode locks (a commit waits for every
 * operation, one of which may wait for this inode: an exec of a path
 * through the program file deadlocked so), so the file is unlocked
 * meanwhile; the loader checks what it reads, the file may change.  No
 * object free: the source reads the file instead.  -1, with ip still
 * locked, if the file cannot be locked again.
 */
static int
program_object(struct exec_source *src)
{
	if ((src->obj = vmobj_file_cached(src->ip)))
		return 0;
	iunlock(src->ip);
	src->obj = vmobj_file(src->ip);
	if (ilock(src->ip) < 0)         /* locked again even so, for done() */
		return -1;
	if (!src->obj)
		src->read = inode_source_read;
	src->size = src->ip->size;
	return 0;
}

/*
 * Set src to read the regular file path names (symbolic links followed).
 * 0, or -ENOENT (no file system, no such file: namei_at's errors),
 * -EACCES (not a regular file), -EIO, -ENOMEM.
 */
int
fs_program(const char *path, struct exec_source *src)
{
	struct inode *ip;
	int err;

	if (!fs_mounted())
		return -ENOENT;
	begin_op();
	ip = namei_at(NULL, path, true, &err);
	end_op();
	if (!ip)
		return err;
	src->read = cache_source_read;
	src->done = cache_source_done;
	src->ctx = src;
	src->ip = ip;
	src->obj = NULL;
	if (ilock(ip) < 0 || ip->type != T_FILE || procfs_inode(ip)) {
		err = ip->type != T_FILE || procfs_inode(ip) ? -EACCES : -EIO;
		cache_source_done(src);
		return err;
	}
	src->size = ip->size;
	if (program_object(src) < 0) {
		cache_source_done(src);
		return -ENOMEM;
	}
	return 0;
}

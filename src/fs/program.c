/*
 * exec's view of a program file: the inode stays locked (so it cannot
 * change under the loader) and referenced from fs_program() until the
 * source's done() call, which drops it.  Loading happens outside any
 * transaction; only the lookup and the final iput are in one.
 */
#include "fs/program.h"
#include "fs/fs.h"
#include "fs/log.h"
#include "sched/exec.h"

static int
inode_source_read(void *ctx, uint64 off, void *dst, uint64 n)
{
	struct inode *ip = ctx;

	if (off > ip->size || n > ip->size - off)
		return -1;
	return readi(ip, false, (uint64)dst, (uint32)off, (uint32)n) == (int)n ? 0 : -1;
}

static void
inode_source_done(void *ctx)
{
	struct inode *ip = ctx;

	iunlock(ip);
	begin_op();
	iput(ip);
	end_op();
}

/*
 * Set src to read the regular file path names (symbolic links followed).
 * -1 if there is no file system or no such file.
 */
int
fs_program(const char *path, struct exec_source *src)
{
	struct inode *ip;

	if (!fs_mounted())
		return -1;
	begin_op();
	ip = namei(path, true);
	end_op();
	if (!ip)
		return -1;
	if (ilock(ip) < 0 || ip->type != T_FILE) {
		inode_source_done(ip);
		return -1;
	}
	src->read = inode_source_read;
	src->done = inode_source_done;
	src->ctx = ip;
	src->size = ip->size;
	src->ip = ip;
	return 0;
}

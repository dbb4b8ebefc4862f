/*
 * The file pager (vm/pager.h): all file I/O for mapped and cached pages.
 * The page cache (vm/vmobj.c) asks it for a page's bytes, hands it dirty
 * pages to write back, and holds inode references through it; each call
 * that writes or drops an inode runs its own transaction, so the page
 * cache itself never does.
 */
#include "vm/pager.h"
#include "vm/vmobj.h"
#include "fs/fs.h"
#include "fs/file.h"
#include "fs/log.h"
#include "fs/procfs.h"
#include "sync/sleeplock.h"
#include "sync/spinlock.h"
#include <canopy/layout.h>
#include <canopy/mman.h>

/*
 * Read page index of ip into page (zeroes past the end: the page comes
 * zeroed).  The caller may hold ip's lock already (a copy inside read()
 * or write() of the same file faulting on a mapping of it); else it is
 * taken here.
 */
static int
file_fill(struct inode *ip, uint64 index, void *page)
{
	might_sleep();
	uint64 off = index * PGSIZE;
	bool held = sleep_holding(&ip->lock);
	int r = 0;

	if (!held && ilock(ip) < 0) {
		iunlock(ip);    /* ilock leaves it locked even when it fails */
		return -1;
	}
	if (off < ip->size) {
		uint32 n = ip->size - off < PGSIZE ? (uint32)(ip->size - off) : PGSIZE;
		if (readi(ip, false, (uint64)page, (uint32)off, n) != (int)n)
			r = -1;
	}
	if (!held)
		iunlock(ip);
	return r;
}

/* Write n pages of ip in one transaction, each up to the file's end (never past it). */
static int
file_write_back(struct inode *ip, void *const page[], const uint64 index[], int n)
{
	might_sleep();
	int r = 0;

	begin_op();
	if (ilock(ip) < 0) {
		iunlock(ip);
		end_op();
		return -1;
	}
	for (int i = 0; i < n; i++) {
		uint64 off = index[i] * PGSIZE;
		if (off >= ip->size)
			continue;
		uint32 m = ip->size - off < PGSIZE ? (uint32)(ip->size - off) : PGSIZE;
		if (writei(ip, false, (uint64)page[i], (uint32)off, m) != (int)m)
			r = -1;
	}
	iunlock(ip);
	if (end_op() < 0)
		r = -1;         /* discarded: the file system turned read-only */
	return r;
}

static void
file_hold(struct inode *ip)
{
	idup(ip);
}

static void
file_release(struct inode *ip)
{
	might_sleep();
	begin_op();
	iput(ip);
	end_op();
}

static bool
file_unlinked(struct inode *ip)
{
	return ip->nlink == 0;
}

static struct vmobj **
file_object(struct inode *ip)
{
	return &ip->obj;
}

static uint32
file_number(struct inode *ip)
{
	return ip->inum;
}

static void
file_writer(struct inode *ip, bool more)
{
	if (more)
		inode_dup_write(ip);
	else
		inode_put_write(ip);
}

static const struct pager_ops file_pager = {
	.fill = file_fill,
	.write_back = file_write_back,
	.hold = file_hold,
	.release = file_release,
	.unlinked = file_unlinked,
	.object = file_object,
	.number = file_number,
	.writer = file_writer,
};

void
file_pager_init(void)
{
	vmobj_set_file_pager(&file_pager);
}

struct vmobj *
pager_map_file(struct file *f, int prot, int flags, bool *writer)
{
	if (f->type != FD_INODE || !f->ip || f->ip->type != T_FILE || !f->readable ||
	    procfs_inode(f->ip))        /* its text is made at each read: nothing to map */
		return NULL;
	if ((flags & MAP_SHARED) && (prot & PROT_WRITE) && !f->writable)
		return NULL;
	*writer = f->write_count;
	return vmobj_file(f->ip);
}

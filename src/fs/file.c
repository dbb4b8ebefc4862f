/*
 * The system-wide table of open files, shared by descriptors after dup()
 * and fork().  Reading and writing dispatch on the file's type.  A write
 * to an inode is cut into transactions of at most WRITE_CHUNK bytes; each
 * is atomic across a crash, a larger write as a whole is not.  (A write
 * of at most WRITE_CHUNK minus its offset within a block is one chunk; an
 * O_APPEND write of at most WRITE_CHUNK minus a block.)  The inode is
 * locked a page at a time, not across the user copies (see inode_read):
 * concurrent writes to one file interleave at page boundaries at worst.
 * A chunk whose transaction is discarded (the file system turned
 * read-only, fs/log.c) counts as not written.
 */
#include "fs/file.h"
#include "fs/fs.h"
#include "fs/log.h"
#include "fs/pipe.h"
#include "fs/procfs.h"
#include "sched/proc.h"
#include "sync/spinlock.h"
#include "vm/kalloc.h"
#include "vm/uaccess.h"
#include "debug/kprintf.h"
#include "lib/string.h"
#include <canopy/stat.h>
#include <canopy/fcntl.h>

/* A transaction writes the data, a bitmap block per data block in the worst
 * case, the inode and up to three indirect blocks. */
#define WRITE_CHUNK (((MAXOPBLOCKS - 4) / 2) * BSIZE)

struct devsw devsw[NDEV];

static struct {
	struct spinlock lock;
	struct file file[NFILE];
} ftable;

void
file_init(void)
{
	spin_init(&ftable.lock, "ftable");
}

/* A free file with ref 1, or NULL if the table is full. */
struct file *
file_alloc(void)
{
	spin_lock(&ftable.lock);
	for (struct file *f = ftable.file; f < ftable.file + NFILE; f++) {
		if (f->ref == 0) {
			f->ref = 1;
			f->append = f->nonblock = f->write_count = false;
			spin_unlock(&ftable.lock);
			return f;
		}
	}
	spin_unlock(&ftable.lock);
	return NULL;
}

struct file *
file_dup(struct file *f)
{
	spin_lock(&ftable.lock);
	if (f->ref < 1)
		panic("file_dup: unreferenced file");
	f->ref++;
	spin_unlock(&ftable.lock);
	return f;
}

void
file_close(struct file *f)
{
	spin_lock(&ftable.lock);
	if (f->ref < 1)
		panic("file_close: unreferenced file");
	if (--f->ref > 0) {
		spin_unlock(&ftable.lock);
		return;
	}
	struct file copy = *f;
	f->type = FD_NONE;
	f->ip = NULL;
	f->pipe = NULL;
	f->write_count = false;
	spin_unlock(&ftable.lock);

	if (copy.type == FD_PIPE)
		pipe_close(copy.pipe, copy.writable);
	if (copy.write_count)
		inode_put_write(copy.ip);
	if (copy.ip)
		iput_op(copy.ip);
}

/* Install f in the lowest free descriptor of the current process; -1 if none. */
int
fd_alloc(struct file *f)
{
	return fd_alloc_from(f, 0);
}

/*
 * The lowest free descriptor >= from now refers to f (fcntl F_DUPFD); -1
 * if none is free below the process's RLIMIT_NOFILE (p->nofile), which
 * every call that makes a descriptor goes through, bar dup2's and dup3's
 * own check.
 */
int
fd_alloc_from(struct file *f, int from)
{
	struct proc *p = myproc();

	for (int fd = from < 0 ? 0 : from; fd < p->nofile; fd++) {
		if (!p->ofile[fd]) {
			p->ofile[fd] = f;
			proc_set_cloexec(p, fd, false);
			return fd;
		}
	}
	return -1;
}

/* exec: close the descriptors marked close-on-exec. */
void
fd_close_on_exec(struct proc *p)
{
	for (int fd = 0; fd < NOFILE; fd++) {
		if (proc_cloexec(p, fd) && p->ofile[fd]) {
			struct file *f = p->ofile[fd];
			p->ofile[fd] = NULL;
			file_close(f);
		}
	}
	p->cloexec = 0;
}

struct file *
file_open_device(int major, bool readable, bool writable)
{
	struct file *f = file_alloc();

	if (!f)
		return NULL;
	f->type = FD_DEVICE;
	f->major = (short)major;
	f->readable = readable;
	f->writable = writable;
	return f;
}

int
file_stat(struct file *f, uint64 addr)
{
	struct canopy_stat st;

	if (file_stati(f, &st) < 0)
		return -1;
	return copyout(addr, &st, sizeof(st));
}

/*
 * Reads and writes move user data a page at a time through a kernel page
 * (the bounce), not a block at a time: each user copy opens a user-access
 * window, which costs a TLB flush on QEMU.  Without a free page they use
 * a small buffer on the stack.  The user copy happens with the inode
 * unlocked: a fault in it may need a file's page from the page cache, so
 * another inode's lock, and two processes copying between two files'
 * mappings crosswise must not each hold the lock the other waits for.
 */
#define SMALL_BOUNCE 512

static int
inode_read(struct file *f, uint64 addr, int n, uint32 *offp)
{
	char small[SMALL_BOUNCE];
	char *page = kalloc(), *bounce = page ? page : small;
	uint32 size = page ? PGSIZE : SMALL_BOUNCE;
	int done = 0;

	while (done < n) {
		uint32 m = (uint32)(n - done) < size ? (uint32)(n - done) : size;
		if (ilock(f->ip) < 0) {
			iunlock(f->ip);
			done = done ? done : -1;
			break;
		}
		int r = readi(f->ip, false, (uint64)bounce, *offp, m);
		if (r > 0)
			*offp += (uint32)r;
		iunlock(f->ip);
		if (r > 0 && copyout(addr + done, bounce, (uint64)r) < 0) {
			ilock(f->ip);
			*offp -= (uint32)r;    /* not read after all */
			iunlock(f->ip);
			r = -1;
		}
		if (r <= 0) {
			if (done == 0)
				done = r;
			break;
		}
		done += r;
		if ((uint32)r < m)
			break;
	}
	if (page)
		page_put(page);
	return done;
}

/*
 * Write [addr, addr + m) at f's offset (the end, for O_APPEND), in the
 * caller's transaction, through bounce (size bytes).  The bytes written.
 */
static int
inode_write_piece(struct file *f, char *bounce, uint32 size, uint64 addr, uint32 m,
		  uint32 *offp, bool append)
{
	uint32 done = 0;

	while (done < m) {
		uint32 k = m - done < size ? m - done : size;
		if (copyin(bounce, addr + done, k) < 0)
			break;
		if (ilock(f->ip) < 0) {
			iunlock(f->ip);
			break;
		}
		if (append)
			*offp = f->ip->size;
		int r = writei(f->ip, false, (uint64)bounce, *offp, k);
		if (r > 0) {
			*offp += (uint32)r;
			done += (uint32)r;
		}
		iunlock(f->ip);
		if (r != (int)k)
			break;
	}
	return (int)done;
}

static int
inode_write(struct file *f, uint64 addr, int n, uint32 *offp, bool append)
{
	if (procfs_inode(f->ip))
		return -1;      /* nothing there is written */
	char small[SMALL_BOUNCE];
	char *page = kalloc(), *bounce = page ? page : small;
	uint32 size = page ? PGSIZE : SMALL_BOUNCE;
	int done = 0;

	while (done < n && !fs_readonly()) {
		begin_op();
		/* end the chunk on a block boundary: it then spans at most WRITE_CHUNK / BSIZE blocks */
		uint32 at = append ? 0 : *offp;     /* appends start on a block at worst */
		int m = WRITE_CHUNK - (int)(at % BSIZE) - (append ? BSIZE : 0);
		if (m > n - done)
			m = n - done;
		int r = inode_write_piece(f, bounce, size, addr + done, (uint32)m, offp, append);
		if (end_op() < 0) {
			*offp -= (uint32)r;    /* discarded: not written */
			break;
		}
		done += r;
		if (r != m)
			break;
	}
	if (page)
		page_put(page);
	return done > 0 ? done : (n == 0 ? 0 : -1);
}

/*
 * Move f's offset (whence: CANOPY_SEEK_SET, _CUR or _END).  Returns the
 * new offset, or -1 for a file without one or an offset outside
 * 0 .. the largest file size.
 */
long
file_seek(struct file *f, long off, int whence)
{
	if (f->type != FD_INODE)
		return -1;
	if (ilock(f->ip) < 0) {
		iunlock(f->ip);
		return -1;
	}
	long base = whence == CANOPY_SEEK_SET ? 0 :
		    whence == CANOPY_SEEK_CUR ? (long)f->off :
		    whence == CANOPY_SEEK_END ? (long)f->ip->size : -1;
	long to = base + off;
	/* /proc's text is made at each read: any offset an off can hold */
	long most = procfs_inode(f->ip) ? (long)UINT32_MAX : (long)MAXFILE * BSIZE;
	bool ok = base >= 0 && off <= most && off >= -most && to >= 0 && to <= most;
	if (ok)
		f->off = (uint32)to;
	iunlock(f->ip);
	return ok ? to : -1;
}

int
file_read(struct file *f, uint64 addr, int n)
{
	/* the whole buffer below USER_TOP, or nothing moves (a partial count would hide the error) */
	if (!f->readable || n < 0 || !user_range_ok(addr, (uint64)n))
		return -1;
	switch (f->type) {
	case FD_PIPE:
		return pipe_read(f->pipe, addr, n, f->nonblock);
	case FD_DEVICE:
		if (f->major < 0 || f->major >= NDEV || !devsw[f->major].read)
			return -1;
		return devsw[f->major].read(true, addr, n);
	case FD_INODE:
		return inode_read(f, addr, n, &f->off);
	default:
		panic("file_read: bad type");
	}
}

int
file_write(struct file *f, uint64 addr, int n)
{
	/* the whole buffer below USER_TOP, or nothing moves (a partial count would hide the error) */
	if (!f->writable || n < 0 || !user_range_ok(addr, (uint64)n))
		return -1;
	switch (f->type) {
	case FD_PIPE:
		return pipe_write(f->pipe, addr, n, f->nonblock);
	case FD_DEVICE:
		if (f->major < 0 || f->major >= NDEV || !devsw[f->major].write)
			return -1;
		return devsw[f->major].write(true, addr, n);
	case FD_INODE:
		return inode_write(f, addr, n, &f->off, f->append);
	default:
		panic("file_write: bad type");
	}
}

/*
 * pread and pwrite: at offset off, leaving f's own offset alone.  Only
 * files of the file system have offsets: -1 for pipes and devices (the
 * Linux layer says ESPIPE).
 */
int
file_pread(struct file *f, uint64 addr, int n, uint32 off)
{
	if (!f->readable || n < 0 || !user_range_ok(addr, (uint64)n) || f->type != FD_INODE)
		return -1;
	return inode_read(f, addr, n, &off);
}

int
file_pwrite(struct file *f, uint64 addr, int n, uint32 off)
{
	if (!f->writable || n < 0 || !user_range_ok(addr, (uint64)n) || f->type != FD_INODE)
		return -1;
	return inode_write(f, addr, n, &off, false);
}

/* fstat's answer for f, into a kernel buffer; -1 if its inode cannot be read. */
int
file_stati(struct file *f, struct canopy_stat *st)
{
	memset(st, 0, sizeof(*st));
	if (f->ip) {
		int r = ilock(f->ip);
		if (r == 0)
			stati(f->ip, st);
		iunlock(f->ip);
		return r < 0 ? -1 : 0;
	}
	st->type = f->type == FD_PIPE ? T_PIPE : T_DEVICE;
	st->nlink = 1;
	return 0;
}

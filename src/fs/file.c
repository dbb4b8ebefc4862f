/*
 * The system-wide table of open files, shared by descriptors after dup()
 * and fork().  Reading and writing dispatch on the file's type.
 */
#include "fs/file.h"
#include "fs/pipe.h"
#include "sched/proc.h"
#include "sched/spinlock.h"
#include "vm/uaccess.h"
#include "lib/printf.h"
#include <canopy/stat.h>

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
	spin_unlock(&ftable.lock);

	if (copy.type == FD_PIPE)
		pipe_close(copy.pipe, copy.writable);
}

/* Install f in the lowest free descriptor of the current process; -1 if none. */
int
fd_alloc(struct file *f)
{
	struct proc *p = myproc();

	for (int fd = 0; fd < NOFILE; fd++) {
		if (!p->ofile[fd]) {
			p->ofile[fd] = f;
			return fd;
		}
	}
	return -1;
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
	struct canopy_stat st = { 0 };

	if (f->type == FD_PIPE)
		st.type = T_PIPE;
	else
		st.type = T_DEVICE;
	st.nlink = 1;
	return copyout(addr, &st, sizeof(st));
}

int
file_read(struct file *f, uint64 addr, int n)
{
	if (!f->readable || n < 0)
		return -1;
	switch (f->type) {
	case FD_PIPE:
		return pipe_read(f->pipe, addr, n);
	case FD_DEVICE:
		if (f->major < 0 || f->major >= NDEV || !devsw[f->major].read)
			return -1;
		return devsw[f->major].read(true, addr, n);
	default:
		panic("file_read: bad type");
	}
}

int
file_write(struct file *f, uint64 addr, int n)
{
	if (!f->writable || n < 0)
		return -1;
	switch (f->type) {
	case FD_PIPE:
		return pipe_write(f->pipe, addr, n);
	case FD_DEVICE:
		if (f->major < 0 || f->major >= NDEV || !devsw[f->major].write)
			return -1;
		return devsw[f->major].write(true, addr, n);
	default:
		panic("file_write: bad type");
	}
}

/*
 * Pipes.  The bytes live in a 64 KiB ring of separate pages (as Linux's
 * default pipe size: a writer of 4 KiB chunks runs 16 writes before it
 * must give way to the reader, and each switch costs two TLB flushes on
 * this QEMU); nread and nwrite count bytes ever read and written, so the
 * ring holds nwrite - nread of them.
 * Readers and writers move whole runs with one user copy each (at most two
 * per call, where the ring wraps), never byte by byte.
 */
#include "fs/pipe.h"
#include "lib/errno.h"
#include "fs/file.h"
#include "sched/pollwait.h"
#include "sched/proc.h"
#include "sync/spinlock.h"
#include "vm/kalloc.h"
#include "vm/uaccess.h"

#define PIPE_PAGES 16
#define PIPE_SIZE (PIPE_PAGES * PGSIZE)
#define PIPE_ATOMIC 512         /* writes up to this size are never interleaved */

struct pipe {
	struct spinlock lock;
	uint64 nread;
	uint64 nwrite;
	bool read_open;
	bool write_open;
	char *page[PIPE_PAGES]; /* the ring, a page at a time */
};

int
pipe_alloc(struct file **r, struct file **w)
{
	struct pipe *pi = NULL;

	*r = *w = NULL;
	if (!(*r = file_alloc()) || !(*w = file_alloc()))
		goto fail;
	if (!(pi = kalloc()))
		goto fail;
	for (int i = 0; i < PIPE_PAGES; i++)
		pi->page[i] = NULL;
	for (int i = 0; i < PIPE_PAGES; i++)
		if (!(pi->page[i] = kalloc()))
			goto fail;
	spin_init(&pi->lock, "pipe");
	pi->nread = pi->nwrite = 0;
	pi->read_open = pi->write_open = true;
	(*r)->type = FD_PIPE;
	(*r)->readable = true;
	(*r)->writable = false;
	(*r)->pipe = pi;
	(*w)->type = FD_PIPE;
	(*w)->readable = false;
	(*w)->writable = true;
	(*w)->pipe = pi;
	return 0;

fail:
	if (pi) {
		for (int i = 0; i < PIPE_PAGES; i++)
			if (pi->page[i])
				page_put(pi->page[i]);
		page_put(pi);
	}
	if (*r)
		file_close(*r);
	if (*w)
		file_close(*w);
	return -1;
}

/* Wake the sleepers on one side of the ring, and pollers (sched/pollwait.h). */
static void
pipe_wake(void *chan)
{
	wakeup(chan);
	poll_notify();
}

void
pipe_close(struct pipe *pi, bool writable)
{
	spin_lock(&pi->lock);
	if (writable) {
		pi->write_open = false;
		pipe_wake(&pi->nread);
	} else {
		pi->read_open = false;
		pipe_wake(&pi->nwrite);
	}
	bool done = !pi->read_open && !pi->write_open;
	spin_unlock(&pi->lock);
	if (done) {
		for (int i = 0; i < PIPE_PAGES; i++)
			page_put(pi->page[i]);
		page_put(pi);
	}
}

/*
 * The copies run under the pipe's lock, where a fault cannot wait (for
 * memory, or a file page from the disk).  So a copy is tried as it is, and
 * only when it fails is the lock let go, the user range faulted in as the
 * process's own access would (user_prefault, which may wait) and the copy
 * tried again; a range that cannot be faulted in fails the call.  The
 * common case walks no page table.
 */

/*
 * Write all n bytes, sleeping while the ring is full; a write of at most
 * PIPE_ATOMIC bytes goes in whole, never mixed with another.  Returns n, or the
 * count written before the reader went away, we were killed or a copy
 * failed (-1 if nothing was written).  With nonblock, where it would
 * sleep it stops instead: -EAGAIN if nothing was written.
 */
int
pipe_write(struct pipe *pi, uint64 addr, int n, bool nonblock)
{
	struct proc *p = myproc();
	int done = 0, faulted_in = -1;  /* where the last prefault started */
	bool would_block = false;

	if (n == 0)
		return 0;
	if (!user_range_ok(addr, n))
		return -1;      /* all or nothing: never a part before a bad range */
	for (;;) {
		bool copy_failed = false, stop = false;
		spin_lock(&pi->lock);
		while (done < n) {
			if (!pi->read_open || proc_interrupted(p)) {
				stop = true;
				break;
			}
			uint64 used = pi->nwrite - pi->nread;
			uint64 need = (done == 0 && n <= PIPE_ATOMIC) ? (uint64)n : 1;
			if (PIPE_SIZE - used < need) {
				if (nonblock) {
					would_block = stop = true;
					break;
				}
				pipe_wake(&pi->nread);
				sleep(&pi->nwrite, &pi->lock);
				continue;
			}
			uint64 at = pi->nwrite % PIPE_SIZE;
			uint64 run = PIPE_SIZE - used;
			if (run > PGSIZE - at % PGSIZE)
				run = PGSIZE - at % PGSIZE;
			if (run > (uint64)(n - done))
				run = n - done;
			if (copyin(pi->page[at / PGSIZE] + at % PGSIZE, addr + done, run) < 0) {
				copy_failed = true;
				break;
			}
			pi->nwrite += run;
			done += run;
		}
		pipe_wake(&pi->nread);
		spin_unlock(&pi->lock);
		if (!copy_failed || stop || faulted_in == done)
			break;
		/* the next ring's worth of the source, then again */
		faulted_in = done;
		int m = n - done < PIPE_SIZE ? n - done : PIPE_SIZE;
		if (user_prefault(addr + done, m, false) < 0)
			break;
	}
	return done > 0 ? done : would_block ? -EAGAIN : -1;
}

/*
 * Read up to n bytes once some are there; 0 at end of file (no writer
 * left and the ring empty).  -1 if killed or the copy fails; with
 * nonblock, -EAGAIN where it would sleep.
 */
int
pipe_read(struct pipe *pi, uint64 addr, int n, bool nonblock)
{
	struct proc *p = myproc();
	bool faulted_in = false;

	for (;;) {
		int done = 0;
		spin_lock(&pi->lock);
		while (pi->nread == pi->nwrite && pi->write_open) {
			if (proc_interrupted(p) || nonblock) {
				spin_unlock(&pi->lock);
				return nonblock ? -EAGAIN : -1;
			}
			sleep(&pi->nread, &pi->lock);
		}
		while (done < n && pi->nread != pi->nwrite) {
			uint64 at = pi->nread % PIPE_SIZE;
			uint64 run = pi->nwrite - pi->nread;
			if (run > PGSIZE - at % PGSIZE)
				run = PGSIZE - at % PGSIZE;
			if (run > (uint64)(n - done))
				run = n - done;
			if (copyout(addr + done, pi->page[at / PGSIZE] + at % PGSIZE, run) < 0) {
				if (done == 0)
					done = -1;
				break;
			}
			pi->nread += run;
			done += run;
		}
		pipe_wake(&pi->nwrite);
		spin_unlock(&pi->lock);
		/* nothing read for a fault: bring the destination in once, then again */
		if (done >= 0 || faulted_in)
			return done;
		faulted_in = true;
		if (user_prefault(addr, n < PIPE_SIZE ? n : PIPE_SIZE, true) < 0)
			return -1;
	}
}

/* Bytes a read would find now (FIONREAD). */
int
pipe_available(struct pipe *pi)
{
	spin_lock(&pi->lock);
	int n = (int)(pi->nwrite - pi->nread);
	spin_unlock(&pi->lock);
	return n;
}

/* For poll: what the pipe holds now, as PIPE_* bits (fs/pipe.h). */
int
pipe_state(struct pipe *pi)
{
	spin_lock(&pi->lock);
	uint64 used = pi->nwrite - pi->nread;
	int state = (used > 0 ? PIPE_BYTES : 0) | (used < PIPE_SIZE ? PIPE_ROOM : 0) |
		    (!pi->write_open ? PIPE_NO_WRITER : 0) | (!pi->read_open ? PIPE_NO_READER : 0);
	spin_unlock(&pi->lock);
	return state;
}

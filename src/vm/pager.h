/*
 * The pager interface: the one way vm/ reaches a backing store.  A memory
 * object (vm/vmobj.h) of a file gets its pages' contents from the file
 * pager and writes them back through it; vm/ never looks inside an inode
 * (struct inode is opaque here) and runs no transaction of its own.  The
 * file pager is fs/pager.c, which registers itself at boot
 * (vmobj_set_file_pager); the anonymous pager, zero-filled pages with
 * nothing to write back, is vmobj.c's own.  A write-back file cache would
 * plug in here.
 */
#ifndef VM_PAGER_H
#define VM_PAGER_H

#include "lib/types.h"

struct inode;
struct file;
struct vmobj;

struct pager_ops {
	/* Fill page with page index of the file (zeroes past its end): 0, or -1.  May sleep. */
	int (*fill)(struct inode *ip, uint64 index, void *page);
	/* Write n pages (kernel addresses, page indexes) back, never past the end: 0 or -1.  May sleep. */
	int (*write_back)(struct inode *ip, void *const page[], const uint64 index[], int n);
	/* A reference on the file for its object, and its release (in a transaction of its own: may sleep). */
	void (*hold)(struct inode *ip);
	void (*release)(struct inode *ip);
	/* Has the file lost its last link (so that its object goes once unmapped)? */
	bool (*unlinked)(struct inode *ip);
	/* Where the file keeps its object: read and written under the page cache's lock only. */
	struct vmobj **(*object)(struct inode *ip);
	/* A number naming the file, for vmprint. */
	uint32 (*number)(struct inode *ip);
	/*
	 * One more or one fewer mapping of the file opened for writing: each
	 * keeps the write count its descriptor had (fs/inode.c, ETXTBSY), so
	 * the file does not run while a mapping could still write it.  One
	 * more only while another holder has a count: it cannot fail.
	 */
	void (*writer)(struct inode *ip, bool more);
};

void vmobj_set_file_pager(const struct pager_ops *ops);

/*
 * The object of the file open as f, for a mapping with prot and flags
 * (PROT_*, MAP_*), with a reference for the caller; NULL if f is no
 * regular file, was opened without the access the mapping needs, or the
 * pool of objects is full.  *writer says whether f holds the file open
 * for writing, a hold the mapping keeps (REGION_WRITER) as Linux's keeps
 * its struct file.  May sleep.  (fs/pager.c)
 */
struct vmobj *pager_map_file(struct file *f, int prot, int flags, bool *writer);

#endif
